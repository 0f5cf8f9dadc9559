package gpuenergy.cli;

import gpuenergy.profile.GpuEnvironment;

import java.util.Map;

/**
 * The launcher's view of the GPU, through the profilers module's {@link GpuEnvironment} contract.
 * The one place that calls it: a build whose profilers module does not implement it yet (or lacks it)
 * reads as "no GPU information", never as a crash.
 */
final class GpuInfo {
    static final String ENERGY_PROFILER = "gpuenergy.profile.NvmlEnergyProfiler";

    private GpuInfo() {}

    /** null when energy can be measured here, else one line saying why not. */
    static String energyUnavailableReason() {
        try {
            Class.forName(ENERGY_PROFILER, false, GpuInfo.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return "the energy profiler " + ENERGY_PROFILER + " is not in this build";
        }
        try {
            return GpuEnvironment.unavailableReason();
        } catch (UnsupportedOperationException | LinkageError e) {
            return "GPU environment not available in this build (" + e.getMessage() + ")";
        }
    }

    /** gpu.name, driver, ... of the GPU the benchmark uses; empty without one. */
    static Map<String, String> describe() {
        try {
            Map<String, String> m = GpuEnvironment.describe(null);
            return m == null ? Map.of() : m;
        } catch (UnsupportedOperationException | LinkageError e) {
            return Map.of();
        }
    }
}
