package gpuenergy.profile;

import gpuenergy.energy.EnergyCounterWindow;

import java.util.Arrays;

/**
 * The sampler's ticks, in time order: time (System.nanoTime), the energy counter in millijoules and the power in
 * milliwatts, each negative where that tick read none.
 */
record CounterSamples(long[] tNs, long[] energyMj, long[] powerMw) {

    int size() {
        return tNs.length;
    }

    /** The ticks that read the counter. */
    CounterSamples counterReads() {
        int[] keep = new int[size()];
        int n = 0;
        for (int i = 0; i < size(); i++) {
            if (energyMj[i] >= 0) {
                keep[n++] = i;
            }
        }
        if (n == size()) {
            return this;
        }
        int[] k = Arrays.copyOf(keep, n);
        return new CounterSamples(Arrays.stream(k).mapToLong(i -> tNs[i]).toArray(),
                Arrays.stream(k).mapToLong(i -> energyMj[i]).toArray(), Arrays.stream(k).mapToLong(i -> powerMw[i]).toArray());
    }

    /** The counter's steps ({@link #counterReads} only). */
    EnergyCounterWindow counter() {
        CounterSamples c = counterReads();
        return EnergyCounterWindow.of(c.tNs, c.energyMj, c.size());
    }
}
