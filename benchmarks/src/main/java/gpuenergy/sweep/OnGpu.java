package gpuenergy.sweep;

import gpuenergy.profile.EnvironmentKeys;

/**
 * The GPU a sweep's runs use, as the results' environment names it: its model ({@code gpu.name}, what not-run entries
 * and the report group by), its board ({@code gpu.uuid}: boards of one model differ by a few % in J/img, and several
 * sweeps of one host each measure their own), whether the board is split into MIG instances ({@code gpu.mig_mode}) and
 * the profile of the instance the runs use ({@code gpu.mig_profile}). All null on the CPU, without a GPU, and in log
 * lines written before they were recorded.
 */
record OnGpu(String name, String uuid, String migMode, String migProfile) {
    static final OnGpu NONE = new OnGpu(null, null, null, null);

    /**
     * The GPU model as a resumed sweep tells models apart ({@link Resume}): {@link #name}, and where the board is split
     * into MIG instances, or NVML did not say whether it is, that too, with the instance's profile where it is known
     * ("NAME MIG 1g.10gb", as NVML names the instance). A MIG instance has its board's name and UUID, but a slice of its
     * SMs and memory, and its energy is the whole board's: a batch that did not fit on it may fit on the whole GPU, or
     * on an instance of a larger profile, and its J/img is neither's. An instance whose profile is unknown, or not
     * recorded (a line written before it was), is "NAME with MIG enabled". Disabled, n/a (a GPU or driver without MIG)
     * and a line that records no mode (written before the mode was) are the whole GPU. Null where {@link #name} is.
     */
    String model() {
        if (name == null) {
            return null;
        }
        if (EnvironmentKeys.GPU_MIG_ENABLED.equals(migMode)) {
            return migProfile == null || EnvironmentKeys.UNKNOWN.equals(migProfile) ? name + " with MIG enabled"
                    : name + " MIG " + migProfile;
        }
        return EnvironmentKeys.UNKNOWN.equals(migMode) ? name + " with MIG mode unknown" : name;
    }
}
