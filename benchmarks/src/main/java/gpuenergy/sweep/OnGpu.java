package gpuenergy.sweep;

import gpuenergy.profile.EnvironmentKeys;

/**
 * The GPU a sweep's runs use, as the results' environment names it: its model ({@code gpu.name}, what not-run entries
 * and the report group by), its board ({@code gpu.uuid}: boards of one model differ by a few % in J/img, and several
 * sweeps of one host each measure their own) and whether the board is split into MIG instances ({@code gpu.mig_mode}).
 * All null on the CPU, without a GPU, and in log lines written before they were recorded.
 */
record OnGpu(String name, String uuid, String migMode) {
    static final OnGpu NONE = new OnGpu(null, null, null);

    /**
     * The GPU model as a resumed sweep tells models apart ({@link Resume}): {@link #name}, and where the board is split
     * into MIG instances, or NVML did not say whether it is, that too. A MIG instance has its board's name and UUID, but
     * a slice of its SMs and memory, and its energy is the whole board's: a batch that did not fit on it may fit on the
     * whole GPU, and its J/img is not the whole GPU's. Disabled, n/a (a GPU or driver without MIG) and a line that
     * records no mode (written before the mode was) are the whole GPU. Null where {@link #name} is.
     */
    String model() {
        if (name == null) {
            return null;
        }
        return EnvironmentKeys.GPU_MIG_ENABLED.equals(migMode) ? name + " with MIG enabled"
                : EnvironmentKeys.UNKNOWN.equals(migMode) ? name + " with MIG mode unknown" : name;
    }
}
