package gpuenergy.engine.tensorrt;

import gpuenergy.engine.NotRunException;

/** {@code -p device=} for engines that run on an NVIDIA GPU only: auto and gpu mean GPU 0. */
final class GpuSpec {
    private GpuSpec() {}

    static int gpuId(String spec, String engine) {
        if ("auto".equals(spec) || "gpu".equals(spec)) {
            return 0;
        }
        if (spec != null && spec.matches("gpu:\\d{1,3}")) {
            return Integer.parseInt(spec.substring(4));
        }
        if ("cpu".equals(spec)) {
            throw NotRunException.unavailable("engine '" + engine + "' runs on NVIDIA GPUs only (TensorRT); device=cpu is not "
                    + "accepted for it; on a CPU use pytorch-fp32 or pytorch-opt-fp32");
        }
        throw NotRunException.error("device '" + spec + "' is not accepted for engine '" + engine + "'; accepted: auto, gpu, gpu:N");
    }
}
