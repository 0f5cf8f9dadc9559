package gpuenergy.engine;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.BlockFactory;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import gpuenergy.profile.DeviceSpec;
import gpuenergy.profile.EnvironmentKeys;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * TorchScript artifacts from tools/export_models.py on DJL's PyTorch engine.
 *
 * <ul>
 *   <li>pytorch-fp32: plain traced module, float32 weights and input: the paper's baseline with PyTorch's
 *       defaults, which run float32 convolutions in TF32 on Ampere and newer (recorded as tf32=on).</li>
 *   <li>pytorch-fp16: half weights in channels_last, half NCHW input (the artifact converts the input to
 *       channels_last itself, as the Python reference does).</li>
 *   <li>pytorch-opt-fp32 / pytorch-opt-fp16: the same traces after torch.jit.freeze + optimize_for_inference.</li>
 * </ul>
 */
public final class PyTorchEngine implements InferenceEngine {
    private static final BlockFactory NO_BLOCK = (model, modelPath, arguments) -> null;

    private final String name;
    private final String format;
    private final DataType inputType;

    private PyTorchEngine(String format, DataType inputType) {
        this.name = "pytorch-" + format;
        this.format = format;
        this.inputType = inputType;
    }

    public static PyTorchEngine fp32() {
        return new PyTorchEngine("fp32", DataType.FLOAT32);
    }

    public static PyTorchEngine fp16() {
        return new PyTorchEngine("fp16", DataType.FLOAT16);
    }

    public static PyTorchEngine optFp32() {
        return new PyTorchEngine("opt-fp32", DataType.FLOAT32);
    }

    public static PyTorchEngine optFp16() {
        return new PyTorchEngine("opt-fp16", DataType.FLOAT16);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String artifactFormat() {
        return format;
    }

    @Override
    public String precision() {
        return inputType == DataType.FLOAT16 ? EnvironmentKeys.PRECISION_FP16 : EnvironmentKeys.PRECISION_FP32;
    }

    @Override
    public void checkDevice(String spec) {
        device(spec);
    }

    @Override
    public EngineSession open(Artifact artifact, String spec, int batchSize) {
        return new PyTorchSession(this, artifact, device(spec), batchSize);
    }

    /** {@code -p device=} resolved against the libtorch DJL loaded. */
    Device device(String spec) {
        DeviceSpec parsed = InferenceEngine.device(spec); // a bad value is refused before libtorch loads
        Device device = Libtorch.get().resolve(parsed);
        if (inputType == DataType.FLOAT16 && !device.isGpu()) {
            throw NotRunException.unavailable("engine '" + name + "' needs a GPU (FP16 is measured on CUDA devices only) but device="
                    + spec + " resolved to cpu; on a CPU use pytorch-fp32");
        }
        return device;
    }

    /** Loads a TorchScript file (or a URL DJL's Criteria accepts) onto the device. */
    ZooModel<NDList, NDList> load(String location, Device device) {
        Criteria.Builder<NDList, NDList> criteria = Criteria.builder()
                .setTypes(NDList.class, NDList.class)
                .optEngine("PyTorch")
                .optDevice(device)
                .optTranslator(new NoopTranslator())
                .optOption("mapLocation", "true") // load the weights straight onto the device
                // A factory of no block: DJL otherwise looks for one in the jars and classes of the model's directory
                // (benchmarks.jar beside the model holds DJL's own), and a block found there loads parameters, not
                // the TorchScript file.
                .optArgument("blockFactory", NO_BLOCK);
        if (location.contains("://")) {
            criteria.optModelUrls(location);
        } else {
            criteria.optModelPath(Path.of(location));
        }
        try {
            return criteria.build().loadModel();
        } catch (ModelNotFoundException | MalformedModelException | IOException | RuntimeException e) {
            throw NotRunException.from("cannot load model '" + location + "' with engine '" + name + "': ", e);
        }
    }

    /** Random input in [0, 1) of this engine's input precision on the manager's device. */
    NDArray randomInput(NDManager manager, Shape shape) {
        NDArray x = manager.randomUniform(0f, 1f, shape, DataType.FLOAT32);
        if (inputType == DataType.FLOAT32) {
            return x;
        }
        try (NDArray fp32 = x) {
            return fp32.toType(inputType, false);
        }
    }

    /** What the result's environment records about this engine on this device. */
    public Map<String, String> describe(Device device) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(EnvironmentKeys.PRECISION, precision());
        // PyTorch's defaults (torch.backends.cudnn.allow_tf32 = True): float32 convolutions run in TF32 on
        // Ampere and newer GPUs, matmuls stay float32. Recorded so nobody reads fp32 results as strict fp32.
        m.put(EnvironmentKeys.TF32, device.isGpu() && inputType == DataType.FLOAT32
                ? EnvironmentKeys.TF32_ON : EnvironmentKeys.TF32_NOT_APPLICABLE);
        m.put(EnvironmentKeys.CUDNN_BENCHMARK, device.isGpu()
                ? String.valueOf(Boolean.getBoolean("ai.djl.pytorch.cudnn_benchmark")) : EnvironmentKeys.NOT_APPLICABLE);
        m.putAll(Libtorch.get().describe());
        return m;
    }
}
