package gpuenergy.engine.tensorrt;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;

import java.nio.file.Path;
import java.util.Map;

/**
 * tensorrt-djl-fp16: the exported ONNX model through DJL's own TensorRT engine (ai.djl.tensorrt 0.33.0, the
 * design's engine) with its {@code fp16} option. That engine was removed from DJL after 0.33.0 and its JNI is built
 * for TensorRT 8.4, which predates Hopper: it is for Ampere and older GPUs. Use tensorrt-fp16 on an H100.
 *
 * <p>Its builder defines no optimization profile, so it needs a fixed batch size: the first batch writes a copy of
 * the model with that batch size (see {@link OnnxFiles#fixedBatch}) and builds the engine from it, in the
 * benchmark's setup. Its builder's workspace is fixed at 16 MiB by DJL's JNI, which limits TensorRT's choice of
 * kernels: its numbers describe that engine, not TensorRT at its best.
 */
public final class DjlTensorRtEngine extends OnnxFp16Engine {
    static final String NAME = "tensorrt-djl-fp16";
    static final String NEEDS = "TensorRT 8.4 (libnvinfer.so.8, libnvonnxparser.so.8, libnvparsers.so.8) and CUDA 11 on the "
            + "library path (DJL TensorRT 0.33.0's JNI is built for TensorRT 8.4.1; no Hopper support)";

    private static String engineProblem;
    private static String engineVersion;
    private static boolean probed;

    /** Public for ServiceLoader; touches no native library. */
    public DjlTensorRtEngine() {
        super(NAME);
    }

    @Override
    String probe() {
        return probeEngine();
    }

    /** Loads DJL's TensorRT engine once per VM (its JNI library links TensorRT 8); null when it loaded. */
    static synchronized String probeEngine() {
        if (!probed) {
            probed = true;
            try {
                engineVersion = Engine.getEngine("TensorRT").getVersion();
            } catch (RuntimeException | LinkageError e) {
                Throwable root = e;
                while (root.getCause() != null && root.getCause() != root) {
                    root = root.getCause();
                }
                String what = "engine '" + NAME + "': DJL's TensorRT engine cannot load";
                engineProblem = root instanceof LinkageError && !(root instanceof UnsatisfiedLinkError)
                        ? what + ": DJL TensorRT 0.33.0 does not link against this DJL api (" + root + "); see docs/tensorrt.md"
                        : MissingLibrary.reason(what, root.getMessage(), NEEDS);
            }
        }
        return engineProblem;
    }

    @Override
    public ZooModel<NDList, NDList> load(String location, Device device) {
        Path file = OnnxFiles.localFile(location, NAME);
        OnnxFiles.Input input = OnnxFiles.input(file);
        // The outer model only holds the input and the block: ONNX Runtime's manager makes host arrays, which
        // DJL's TensorRT session copies into its bound input buffer.
        Model model = Model.newInstance(file.getFileName().toString(), device, "OnnxRuntime");
        Path dir = OnnxFiles.cacheDir(file, "djl-tensorrt-" + engineVersion);
        model.setBlock(new DjlTrtBlock(file, input, device, dir, model.getNDManager()));
        return new ZooModel<>(model, new NoopTranslator());
    }

    @Override
    public Map<String, String> describe(Device device) {
        Map<String, String> m = describeCommon("djl-tensorrt " + engineVersion);
        m.put("tensorrt.workspace", "16 MiB (fixed by DJL's JNI)");
        return m;
    }
}
