package gpuenergy.engine.tensorrt;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import gpuenergy.engine.InferenceEngine;
import gpuenergy.engine.Libtorch;
import gpuenergy.engine.NotRunException;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the two TensorRT engines share: a float32 ONNX artifact run with FP16 kernels allowed on one GPU, a
 * native library probed once per VM before the device is handed out, and the common head of {@link #describe}.
 */
abstract class OnnxFp16Engine implements InferenceEngine {
    private final String name;

    OnnxFp16Engine(String name) {
        this.name = name;
    }

    /** Loads the engine's native library once per VM; null when it loaded, else the one-line reason. */
    abstract String probe();

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final String artifactFormat() {
        return "onnx";
    }

    @Override
    public final String artifactFile(String model) {
        return model + ".onnx";
    }

    /** TensorRT builds with FP16 kernels allowed; the input is float32 (see {@link #describe}). */
    @Override
    public final String precision() {
        return "fp16";
    }

    @Override
    public final Device device(String spec) {
        int id = GpuSpec.gpuId(spec, name);
        String problem = probe();
        if (problem != null) {
            throw NotRunException.unavailable(problem + (Libtorch.nvidiaGpuPresent() ? "" : "; this machine has no NVIDIA GPU either"));
        }
        return Device.gpu(id);
    }

    @Override
    public final NDArray randomInput(NDManager manager, Shape shape) {
        return OnnxFiles.randomFloat32(manager, shape);
    }

    /** The entries both engines report, in order; the caller adds its own after them. */
    final Map<String, String> describeCommon(String runtime) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("precision", precision());
        m.put("input_precision", "fp32");
        m.put("tf32", "n/a");
        m.put("cudnn_benchmark", "n/a");
        m.put("runtime", runtime);
        m.put("tensorrt.fp16", "on");
        m.put("tensorrt.library", String.valueOf(OnnxFiles.loadedLibrary("libnvinfer.so")));
        return m;
    }
}
