package gpuenergy.sweep;

import gpuenergy.results.GpuModel;

/**
 * The GPU a sweep's runs use, as the results' environment names it: its name ({@code gpu.name}), its board
 * ({@code gpu.uuid}: boards of one model differ by a few % in J/img, and several sweeps of one host each measure their
 * own), whether the board is split into MIG instances ({@code gpu.mig_mode}) and the profile of the instance the runs
 * use ({@code gpu.mig_profile}); the GPU model, what not-run entries and the report group by, is {@link #model}. All
 * null on the CPU, without a GPU, and in log lines written before they were recorded.
 */
record OnGpu(String name, String uuid, String migMode, String migProfile) {
    static final OnGpu NONE = new OnGpu(null, null, null, null);

    /**
     * The GPU model as a resumed sweep tells models apart ({@link Resume}), and as the report groups its results
     * ({@link GpuModel#of(String, String, String)}): "NAME MIG 1g.10gb" for a MIG instance. Null where {@link #name} is.
     */
    String model() {
        return GpuModel.of(name, migMode, migProfile);
    }
}
