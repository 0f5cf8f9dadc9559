package gpuenergy.profile;

import gpuenergy.nvml.Nvml;
import gpuenergy.nvml.NvmlDevice;
import gpuenergy.nvml.NvmlException;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the host (the JMH launcher, not the forked benchmark VM) can ask about the NVIDIA GPU
 * before and after a run: is there one to measure, and what is it (for the result's environment record).
 *
 * <ul>
 * <li>{@link #unavailableReason()} returns null when NVML loads and sees at least one GPU, else one line
 *   saying why energy cannot be measured here (e.g. "no NVIDIA GPU: libnvidia-ml.so.1 not found").</li>
 * <li>{@link #describe(String)} returns a flat, ordered map for the GPU the selector names (null = the GPU
 *   the benchmark will use, honouring CUDA_VISIBLE_DEVICES), keys ({@link EnvironmentKeys}):
 *   gpu.name, gpu.uuid, gpu.pci_bus_id, gpu.vbios, gpu.power_limit_w ({@link EnvironmentKeys#UNKNOWN} where NVML
 *   does not report it), gpu.mig_mode, driver, cuda_driver, nvml. Empty when no GPU is available.</li>
 * </ul>
 */
public final class GpuEnvironment {
    private GpuEnvironment() {}

    public static String unavailableReason() {
        try (Nvml nvml = Nvml.open()) {
            return nvml.deviceCount() > 0 ? null : "no NVIDIA GPU: NVML sees no device";
        } catch (NvmlException e) {
            return "no NVIDIA GPU: " + (e.code() == Nvml.ERROR_LIBRARY_NOT_FOUND ? "libnvidia-ml.so.1 not found" : e.getMessage());
        }
    }

    /**
     * @param gpuSelector as the profiler's gpu= option (NVML index, GPU UUID or PCI bus id), or null
     * @throws IllegalArgumentException (one line) when the selector, or CUDA_VISIBLE_DEVICES, names no GPU
     */
    public static Map<String, String> describe(String gpuSelector) {
        return describe(gpuSelector, null);
    }

    /**
     * The GPU the profiler measures for a benchmark with this device value (auto, gpu, gpu:N; null: none) when its
     * gpu= option is {@code gpuSelector} (null: unset).
     */
    public static Map<String, String> describe(String gpuSelector, String deviceValue) {
        if (unavailableReason() != null) {
            return new LinkedHashMap<>();
        }
        try (Nvml nvml = Nvml.open()) {
            return describe(nvml, GpuLocator.selector(gpuSelector, deviceValue));
        } catch (NvmlException | IllegalStateException e) {
            throw new IllegalArgumentException("gpu energy: cannot describe " + (gpuSelector == null ? "the benchmark's GPU" : "gpu=" + gpuSelector)
                    + ": " + e.getMessage());
        }
    }

    /** The environment record of the GPU {@code selector} names in this NVML session. */
    static Map<String, String> describe(Nvml nvml, GpuSelector selector) {
        NvmlDevice gpu = GpuLocator.locate(nvml, selector);
        Map<String, String> env = new LinkedHashMap<>();
        env.put(EnvironmentKeys.GPU_NAME, gpu.name());
        env.put(EnvironmentKeys.GPU_UUID, gpu.uuid());
        env.put(EnvironmentKeys.GPU_PCI_BUS_ID, gpu.pciBusId());
        env.put(EnvironmentKeys.GPU_VBIOS, gpu.vbiosVersion());
        String limit;
        try {
            limit = watts(gpu.enforcedPowerLimitMilliwatts() / 1000.0);
        } catch (NvmlException e) {
            limit = EnvironmentKeys.UNKNOWN; // some boards do not report it (Not Supported): the rest of the record stands
        }
        env.put(EnvironmentKeys.GPU_POWER_LIMIT_W, limit);
        env.put(EnvironmentKeys.GPU_MIG_MODE, migMode(gpu));
        env.put(EnvironmentKeys.DRIVER, nvml.driverVersion());
        env.put(EnvironmentKeys.CUDA_DRIVER, nvml.cudaDriverVersion());
        env.put(EnvironmentKeys.NVML, nvml.nvmlVersion());
        return env;
    }

    /**
     * {@link EnvironmentKeys#GPU_MIG_MODE}'s value: a MIG instance has its GPU's name, UUID and PCI bus id, which the
     * record holds, so without it a result measured on a slice reads as one of the whole GPU.
     */
    private static String migMode(NvmlDevice gpu) {
        try {
            return gpu.migEnabled() ? EnvironmentKeys.GPU_MIG_ENABLED : EnvironmentKeys.GPU_MIG_DISABLED;
        } catch (NvmlException e) {
            return e.code() == Nvml.ERROR_NOT_SUPPORTED || e.code() == Nvml.ERROR_FUNCTION_NOT_FOUND ? EnvironmentKeys.NOT_APPLICABLE
                    : EnvironmentKeys.UNKNOWN;
        }
    }

    /** Watts without a pointless ".0": "700", "312.5". */
    private static String watts(double w) {
        return w == Math.rint(w) ? Long.toString((long) w) : Double.toString(w);
    }
}
