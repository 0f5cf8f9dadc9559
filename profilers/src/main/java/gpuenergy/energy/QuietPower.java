package gpuenergy.energy;

/**
 * Has the GPU's power settled? After a load the board takes seconds to clock down and cool; an idle
 * baseline measured during that tail is too high. Quiet = the means of the last two half-second slices
 * of power readings agree within 3 W or 2 %, whichever is larger.
 *
 * <p>Quiet is not idle: an H100's power holds at the level it had with a CUDA context for one to two seconds
 * after the last process leaves, then falls by a third. A caller wanting the idle
 * level must also check that the power stays put over its whole idle window.
 */
public final class QuietPower {
    public static final long SLICE_NS = 500_000_000L;
    public static final double ABSOLUTE_W = 3.0;
    public static final double RELATIVE = 0.02;

    private QuietPower() {}

    /**
     * @param powerMw readings, milliwatts (negative = failed reading, skipped)
     * @return true when (now - 1 s, now - 0.5 s] and (now - 0.5 s, now] both hold readings and their
     *         means agree within the tolerance; false otherwise, including too little data
     */
    public static boolean isQuiet(long[] tNs, long[] powerMw, int n, long nowNs) {
        double older = meanWatts(tNs, powerMw, n, nowNs - 2 * SLICE_NS, nowNs - SLICE_NS);
        double newer = meanWatts(tNs, powerMw, n, nowNs - SLICE_NS, nowNs);
        return agree(older, newer);
    }

    /** Two power levels within 3 W or 2 % of each other; false when either is NaN. */
    public static boolean agree(double wattsA, double wattsB) {
        return Math.abs(wattsA - wattsB) <= Math.max(ABSOLUTE_W, RELATIVE * Math.max(wattsA, wattsB));
    }

    /** Mean of the valid readings in (from, to], watts; NaN when there are none. */
    public static double meanWatts(long[] tNs, long[] powerMw, int n, long fromNs, long toNs) {
        double sum = 0;
        int count = 0;
        for (int i = 0; i < n; i++) {
            if (tNs[i] > fromNs && tNs[i] <= toNs && powerMw[i] >= 0) {
                sum += powerMw[i];
                count++;
            }
        }
        return count == 0 ? Double.NaN : sum / count / 1000.0;
    }
}
