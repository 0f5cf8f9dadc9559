package gpuenergy.engine.tensorrt;

import gpuenergy.engine.Artifact;
import gpuenergy.engine.EngineSession;
import gpuenergy.engine.InferenceEngine;
import gpuenergy.engine.NotRunException;
import gpuenergy.profile.DeviceSpec;
import gpuenergy.profile.EnvironmentKeys;

/**
 * tensorrt-fp16: the exported FP32 ONNX model built into a TensorRT 10 engine with the builder's FP16 flag, run
 * through JavaCPP's TensorRT bindings with input and output on the GPU. It needs only the NVIDIA driver and TensorRT's
 * own libraries (no CUDA toolkit or runtime): see {@link TensorRtLibraries} for where they come from, and
 * docs/tensorrt.md. There is no fallback to another runtime.
 */
public final class TensorRtEngine implements InferenceEngine {
    public static final String NAME = "tensorrt-fp16";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String artifactFormat() {
        return "onnx";
    }

    @Override
    public String artifactFile(String model) {
        return model + ".onnx";
    }

    @Override
    public String precision() {
        return EnvironmentKeys.PRECISION_FP16;
    }

    /**
     * Above the longest engine build measured at TensorRT's default optimization level (ViT-B/16, 223 s on an H200,
     * results/h200-580.159.04/tensorrt): a sweep's prediction errs long.
     */
    @Override
    public double buildSecondsWhenUncached() {
        return 300;
    }

    @Override
    public void checkDevice(String deviceSpec) {
        int ordinal = gpuOrdinal(deviceSpec);
        TensorRtLibraries.load(NAME);
        CudaDevice.deviceHandle(ordinal, NAME);
    }

    @Override
    public EngineSession open(Artifact artifact, String deviceSpec, int batchSize) {
        if (artifact.location().contains("://")) {
            throw NotRunException.error("engine '" + NAME + "' takes an ONNX file (a model name or a path), not the URL " + artifact.location());
        }
        return new TensorRtSession(NAME, artifact, gpuOrdinal(deviceSpec), batchSize);
    }

    /** {@code -p device=} ({@link DeviceSpec}): auto and gpu mean CUDA device 0 (after CUDA_VISIBLE_DEVICES), gpu:N device N. */
    static int gpuOrdinal(String spec) {
        DeviceSpec device = InferenceEngine.device(spec);
        if (device.isCpu()) {
            throw NotRunException.unavailable("engine '" + NAME + "' runs on NVIDIA GPUs only (TensorRT); device=cpu is not accepted for it; "
                    + "on a CPU use pytorch-fp32");
        }
        return device.ordinal();
    }
}
