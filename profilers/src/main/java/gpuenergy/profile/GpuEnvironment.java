package gpuenergy.profile;

import java.util.Map;

/**
 * What the host (the JMH launcher, not the forked benchmark VM) can ask about the NVIDIA GPU
 * before and after a run: is there one to measure, and what is it (for the result's environment record).
 *
 * CONTRACT between the two modules (implementation owned by the profilers module):
 * - {@link #unavailableReason()} returns null when NVML loads and sees at least one GPU, else one line
 *   saying why energy cannot be measured here (e.g. "no NVIDIA GPU: libnvidia-ml.so.1 not found").
 * - {@link #describe(String)} returns a flat, ordered map for the GPU the selector names (null = the GPU
 *   the benchmark will use, honouring CUDA_VISIBLE_DEVICES), keys:
 *   gpu.name, gpu.uuid, gpu.pci_bus_id, gpu.vbios, gpu.power_limit_w, driver, cuda_driver, nvml.
 *   Empty when no GPU is available.
 */
public final class GpuEnvironment {
    private GpuEnvironment() {}

    public static String unavailableReason() {
        throw new UnsupportedOperationException("implemented by the profilers module work");
    }

    public static Map<String, String> describe(String gpuSelector) {
        throw new UnsupportedOperationException("implemented by the profilers module work");
    }
}
