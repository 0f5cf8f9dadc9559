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

    /**
     * The ticks that read the counter inside [t0, t1]: how often the sampler read it there, whether or not the window's
     * energy can be told.
     */
    int readsWithin(long t0Ns, long t1Ns) {
        int n = 0;
        for (long t : counterReads().tNs) {
            n += t >= t0Ns && t <= t1Ns ? 1 : 0;
        }
        return n;
    }

    /**
     * The counter's steps around [t0, t1] ({@link #counterReads} only; {@link EnergyCounterWindow#around}): a decrease
     * of the counter elsewhere in these samples does not touch them.
     *
     * @throws IllegalArgumentException when the counter went backwards around the window
     */
    EnergyCounterWindow counter(long t0Ns, long t1Ns) {
        CounterSamples c = counterReads();
        return EnergyCounterWindow.around(c.tNs, c.energyMj, c.size(), t0Ns, t1Ns);
    }
}
