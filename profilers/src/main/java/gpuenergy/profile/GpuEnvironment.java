package gpuenergy.profile;

import gpuenergy.nvml.CudaDriver;
import gpuenergy.nvml.Nvml;
import gpuenergy.nvml.NvmlDevice;
import gpuenergy.nvml.NvmlException;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

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
 *   does not report it), gpu.mig_mode, gpu.mig_profile (only where MIG is enabled), driver, cuda_driver, nvml. Empty
 *   when no GPU is available.</li>
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
     * The GPU a selector names, with no benchmark on it: on a board split into MIG instances, which instance is not
     * known ({@link EnvironmentKeys#GPU_MIG_PROFILE} is unknown).
     *
     * @param gpuSelector as the profiler's gpu= option (NVML index, GPU UUID or PCI bus id), or null
     * @throws IllegalArgumentException (one line) when the selector, or CUDA_VISIBLE_DEVICES, names no GPU
     */
    public static Map<String, String> describe(String gpuSelector) {
        return describe(gpuSelector, null, () -> null);
    }

    /**
     * The GPU the profiler measures for a benchmark with this device value (auto, gpu, gpu:N; null: none) when its
     * gpu= option is {@code gpuSelector} (null: unset); on a board split into MIG instances, the instance is the one
     * CUDA gives the benchmark's device.
     */
    public static Map<String, String> describe(String gpuSelector, String deviceValue) {
        DeviceSpec device = deviceValue == null ? DeviceSpec.AUTO : DeviceSpec.readOrNull(deviceValue);
        return describe(gpuSelector, deviceValue,
                () -> device == null || device.isCpu() ? null : CudaDriver.uuidOfDevice(device.ordinal()));
    }

    private static Map<String, String> describe(String gpuSelector, String deviceValue, Supplier<String> cudaUuid) {
        if (unavailableReason() != null) {
            return new LinkedHashMap<>();
        }
        try (Nvml nvml = Nvml.open()) {
            return describe(nvml, GpuLocator.selector(gpuSelector, deviceValue), cudaUuid);
        } catch (NvmlException | IllegalStateException e) {
            throw new IllegalArgumentException("gpu energy: cannot describe " + (gpuSelector == null ? "the benchmark's GPU" : "gpu=" + gpuSelector)
                    + ": " + e.getMessage());
        }
    }

    /** The environment record of the GPU {@code selector} names in this NVML session, with no benchmark on it. */
    static Map<String, String> describe(Nvml nvml, GpuSelector selector) {
        return describe(nvml, selector, () -> null);
    }

    /**
     * The environment record of the GPU {@code selector} names in this NVML session.
     *
     * @param cudaUuid the UUID CUDA gives the benchmark's device, without its prefix ({@link CudaDriver#uuidOfDevice});
     *                 asked only of a board split into MIG instances; null, or an IllegalStateException (one line):
     *                 CUDA does not tell
     */
    static Map<String, String> describe(Nvml nvml, GpuSelector selector, Supplier<String> cudaUuid) {
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
        String migMode = migMode(gpu);
        env.put(EnvironmentKeys.GPU_MIG_MODE, migMode);
        if (EnvironmentKeys.GPU_MIG_ENABLED.equals(migMode)) {
            env.put(EnvironmentKeys.GPU_MIG_PROFILE, migProfile(nvml, gpu, cudaUuid));
        }
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

    /**
     * {@link EnvironmentKeys#GPU_MIG_PROFILE}'s value: instances of one board share its name, UUID and MIG mode, but not
     * their slice of its SMs and memory, so a batch that does not fit on one may fit on another. NVML knows the instance
     * CUDA runs the benchmark on by that device's UUID with "MIG-" before it (CUDA's UUID of a device that is no instance
     * is the board's, which NVML does not find so); its name ends in the profile after " MIG ", unknown where it does not.
     */
    private static String migProfile(Nvml nvml, NvmlDevice board, Supplier<String> cudaUuid) {
        try {
            String uuid = cudaUuid.get();
            if (uuid == null) {
                return EnvironmentKeys.UNKNOWN;
            }
            NvmlDevice instance = nvml.deviceByUuid("MIG-" + uuid);
            if (!instance.migParent().uuid().equals(board.uuid())) {
                return EnvironmentKeys.UNKNOWN; // gpu= measures another board than the one the benchmark runs on
            }
            String name = instance.name();
            int mig = name.lastIndexOf(" MIG ");
            // a name without the profile would make the GPU model "NAME MIG NAME"
            return mig < 0 ? EnvironmentKeys.UNKNOWN : name.substring(mig + " MIG ".length());
        } catch (NvmlException | IllegalStateException e) {
            return EnvironmentKeys.UNKNOWN;
        }
    }

    /** Watts without a pointless ".0": "700", "312.5". */
    private static String watts(double w) {
        return w == Math.rint(w) ? Long.toString((long) w) : Double.toString(w);
    }
}
