package gpuenergy.energy;

/**
 * Energy as the integral of polled power readings (NVML field 186, the instant power, which itself
 * refreshes about every 100 ms on an H100): an independent cross-check of the energy counter.
 * Trapezoids between consecutive readings, cut at the window ends by linear interpolation.
 */
public final class PowerIntegral {
    private PowerIntegral() {}

    /**
     * @param tNs     sample times, nanoseconds, increasing
     * @param powerMw readings, milliwatts; a negative value marks a failed reading and is skipped
     * @param n       number of samples used
     * @return joules in [t0, t1]
     * @throws IllegalArgumentException unless valid readings lie at or before t0 and at or after t1
     */
    public static double joules(long[] tNs, long[] powerMw, int n, long t0Ns, long t1Ns) {
        if (t1Ns <= t0Ns) {
            throw new IllegalArgumentException("empty window [" + t0Ns + ", " + t1Ns + "] ns");
        }
        double mwNs = 0;
        int prev = -1;
        boolean coversStart = false, coversEnd = false;
        for (int i = 0; i < n; i++) {
            if (powerMw[i] < 0) {
                continue;
            }
            coversStart |= tNs[i] <= t0Ns;
            coversEnd |= tNs[i] >= t1Ns;
            if (prev >= 0) {
                mwNs += clippedTrapezoid(tNs[prev], powerMw[prev], tNs[i], powerMw[i], t0Ns, t1Ns);
            }
            prev = i;
        }
        if (!coversStart || !coversEnd) {
            throw new IllegalArgumentException("power readings do not cover [" + t0Ns + ", " + t1Ns + "] ns");
        }
        return mwNs / 1e12;
    }

    /** Area of the segment (ta, pa)-(tb, pb) inside [t0, t1], milliwatt-nanoseconds. */
    private static double clippedTrapezoid(long ta, long pa, long tb, long pb, long t0, long t1) {
        long from = Math.max(ta, t0), to = Math.min(tb, t1);
        if (to <= from) {
            return 0;
        }
        double slope = (double) (pb - pa) / (tb - ta);
        double pFrom = pa + slope * (from - ta), pTo = pa + slope * (to - ta);
        return (pFrom + pTo) / 2 * (to - from);
    }

    /**
     * How far the power integral is from the counter's energy, percent of the counter's; NaN where the counter's energy
     * is unknown (NaN) or not above 0: no share of nothing to tell.
     */
    public static double divergencePercent(double powerJoules, double counterJoules) {
        return counterJoules > 0 ? 100.0 * (powerJoules - counterJoules) / counterJoules : Double.NaN;
    }
}
