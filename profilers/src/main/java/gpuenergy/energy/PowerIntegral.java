package gpuenergy.energy;

import java.util.Locale;

/**
 * Energy as the integral of polled power readings (NVML field 186, the instant power, which itself
 * refreshes about every 100 ms on an H100): an independent cross-check of the energy counter.
 * Trapezoids between consecutive readings, cut at the window ends by linear interpolation.
 */
public final class PowerIntegral {
    /**
     * The widest gap between valid readings that the integral bridges with a straight line inside a window: twice the
     * field's ~100 ms refresh, so a wider one holds at least one of its values unread (the sampler reads the power every
     * 10-25 ms: a gap this wide is a run of failed reads or a stalled sampler).
     */
    public static final long MAX_GAP_NS = 200_000_000L;

    private PowerIntegral() {}

    /**
     * @param tNs     sample times, nanoseconds, increasing
     * @param powerMw readings, milliwatts; a negative value marks a failed reading and is skipped
     * @param n       number of samples used
     * @return joules in [t0, t1]
     * @throws IllegalArgumentException unless valid readings lie at or before t0 and at or after t1, none more than
     *                                  {@link #MAX_GAP_NS} apart where the window lies between them
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
                if (tNs[i] - tNs[prev] > MAX_GAP_NS && tNs[i] > t0Ns && tNs[prev] < t1Ns) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT, "power readings %.1f ms apart in [%d, %d] ns",
                            (tNs[i] - tNs[prev]) / 1e6, t0Ns, t1Ns));
                }
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
