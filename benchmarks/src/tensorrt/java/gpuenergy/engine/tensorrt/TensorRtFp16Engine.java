package gpuenergy.engine.tensorrt;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.onnxruntime.engine.OrtNDManager;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.providers.OrtTensorRTProviderOptions;

import java.nio.file.Path;
import java.util.Map;

/**
 * tensorrt-fp16: the exported ONNX model (float32) through ONNX Runtime's TensorRT execution provider with FP16
 * enabled, on DJL's OnnxRuntime engine. TensorRT picks FP16 kernels where they are faster and keeps float32 where a
 * layer needs it; the input stays float32 (TensorRT converts it on the GPU).
 *
 * <p>Only the TensorRT provider is registered and ONNX Runtime's CPU fallback is disabled, so a model with a node
 * TensorRT does not take fails to load (one line) instead of silently running part of it elsewhere.
 */
public final class TensorRtFp16Engine extends OnnxFp16Engine {
    static final String NAME = "tensorrt-fp16";
    static final String NEEDS = "TensorRT 10.9 (libnvinfer.so.10), CUDA 12 (libcudart/libcublas.so.12) and cuDNN 9 on the "
            + "library path (ONNX Runtime 1.22's TensorRT provider)";

    private static String providerProblem;
    private static boolean probed;

    /** Public for ServiceLoader; touches no native library. */
    public TensorRtFp16Engine() {
        super(NAME);
    }

    @Override
    String probe() {
        return probeProvider();
    }

    /**
     * Loads ONNX Runtime's TensorRT provider library once per VM; null when it loaded, else the one-line reason.
     * Registering the provider makes ONNX Runtime open libonnxruntime_providers_tensorrt.so, which needs TensorRT,
     * CUDA and cuDNN: the first missing one is in the error.
     */
    static synchronized String probeProvider() {
        if (!probed) {
            probed = true;
            try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
                OnnxFiles.environment();
                // the options object, not addTensorrt(int): only its error names the library the loader missed
                options.addTensorrt(new OrtTensorRTProviderOptions(0));
            } catch (OrtException | RuntimeException | LinkageError e) {
                providerProblem = MissingLibrary.reason("engine '" + NAME + "': ONNX Runtime's TensorRT provider cannot load",
                        e.getMessage(), NEEDS);
            }
        }
        return providerProblem;
    }

    @Override
    public ZooModel<NDList, NDList> load(String location, Device device) {
        Path file = OnnxFiles.localFile(location, NAME);
        OnnxFiles.Input input = OnnxFiles.input(file);
        Model model = Model.newInstance(file.getFileName().toString(), device, "OnnxRuntime");
        Path cache = OnnxFiles.cacheDir(file, runtime());
        model.setBlock(new TrtSessionBlock(file, input, device.getDeviceId(), cache, (OrtNDManager) model.getNDManager()));
        return new ZooModel<>(model, new NoopTranslator());
    }

    /** What invalidates a cached engine: ONNX Runtime's version and the TensorRT library it loaded. */
    static String runtime() {
        String trt = OnnxFiles.loadedLibrary("libnvinfer.so");
        return "ort-" + OnnxFiles.environment().getVersion() + "_" + (trt == null ? "libnvinfer-unknown" : trt);
    }

    @Override
    public Map<String, String> describe(Device device) {
        Map<String, String> m = describeCommon("onnxruntime " + OnnxFiles.environment().getVersion() + " TensorrtExecutionProvider");
        m.put("tensorrt.cpu_fallback", "refused");
        m.put("tensorrt.engine_cache", "trt-cache beside the .onnx, or -Dgpuenergy.trt.cache="
                + System.getProperty("gpuenergy.trt.cache", ""));
        return m;
    }
}
