package gpuenergy.results;

import gpuenergy.profile.EnvironmentKeys;

import java.util.Map;

/**
 * The GPU model a result was measured on, as the sweep tells models apart on --resume, the report groups results and
 * not-run entries, and compare pairs and checks devices: one name for all of them, so that a group of the report is a
 * ladder of the sweep.
 */
public final class GpuModel {
    private GpuModel() {}

    /**
     * The GPU's name ({@code gpu.name}), and where the board is split into MIG instances, or NVML did not say whether it
     * is, that too, with the instance's profile where it is known ("NAME MIG 1g.10gb", as NVML names the instance). A
     * MIG instance has its board's name and UUID, but a slice of its SMs and memory, and its energy is the whole board's:
     * a batch that did not fit on it may fit on the whole GPU, or on an instance of a larger profile, and its J/img is
     * neither's. An instance whose profile is unknown, or not recorded (by builds that did not record it), is "NAME with
     * MIG enabled". Disabled, n/a (a GPU or driver without MIG) and no mode recorded (results of builds that did not
     * record it) are the whole GPU: its name alone. Null where the name is null or blank.
     *
     * @param migMode    {@code gpu.mig_mode}, null when not recorded
     * @param migProfile {@code gpu.mig_profile}, null when not recorded
     */
    public static String of(String name, String migMode, String migProfile) {
        if (name == null || name.isBlank()) {
            return null;
        }
        if (EnvironmentKeys.GPU_MIG_ENABLED.equals(migMode)) {
            return migProfile == null || EnvironmentKeys.UNKNOWN.equals(migProfile) ? name + " with MIG enabled"
                    : name + " MIG " + migProfile;
        }
        return EnvironmentKeys.UNKNOWN.equals(migMode) ? name + " with MIG mode unknown" : name;
    }

    /**
     * Whether {@code model} ({@link #of}) is a whole GPU: not a MIG instance, nor a board whose MIG mode NVML did not
     * tell. A board's figures (its peak FLOP/s) are not an instance's, which holds a slice of its SMs.
     */
    public static boolean wholeGpu(String model) {
        return !model.contains(" MIG ") && !model.endsWith(" with MIG enabled") && !model.endsWith(" with MIG mode unknown");
    }

    /**
     * The model of an instance of the split board {@code name} whose profile only the process running on it can ask
     * CUDA for ("NAME MIG instance unknown"): a name {@link #of} never gives, so nothing recorded on another instance, or
     * on one whose profile was not told ("NAME with MIG enabled"), is taken for this instance's.
     */
    public static String unknownInstance(String name) {
        return name + UNKNOWN_INSTANCE;
    }

    /** Whether {@code model} is {@link #unknownInstance}'s. */
    public static boolean isUnknownInstance(String model) {
        return model != null && model.endsWith(UNKNOWN_INSTANCE);
    }

    private static final String UNKNOWN_INSTANCE = " MIG instance unknown";

    /** {@link #of(String, String, String)} of a result's environment record; null where it names no GPU. */
    public static String of(Map<String, String> environment) {
        return of(environment.get(EnvironmentKeys.GPU_NAME), environment.get(EnvironmentKeys.GPU_MIG_MODE),
                environment.get(EnvironmentKeys.GPU_MIG_PROFILE));
    }
}
