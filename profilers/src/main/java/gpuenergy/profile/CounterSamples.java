package gpuenergy.profile;

/**
 * The sampler's counter samples, in time order: time (System.nanoTime), the energy counter in millijoules, and the power
 * in milliwatts (negative where that sample read none).
 */
record CounterSamples(long[] tNs, long[] energyMj, long[] powerMw) {

    int size() {
        return tNs.length;
    }
}
