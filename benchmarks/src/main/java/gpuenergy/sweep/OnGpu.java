package gpuenergy.sweep;

/**
 * The GPU a sweep's runs use, as the results' environment names it: its model ({@code gpu.name}, what not-run entries
 * and the report group by) and its board ({@code gpu.uuid}: boards of one model differ by a few % in J/img, and
 * several sweeps of one host each measure their own). Both null on the CPU, without a GPU, and in log lines written
 * before they were recorded.
 */
record OnGpu(String name, String uuid) {
    static final OnGpu NONE = new OnGpu(null, null);
}
