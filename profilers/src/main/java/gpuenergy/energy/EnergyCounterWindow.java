package gpuenergy.energy;

import java.util.Arrays;
import java.util.Locale;

/**
 * Energy over an exact time window from a polled cumulative energy counter that only steps now and then
 * (nvmlDeviceGetTotalEnergyConsumption on an H100 steps about every 100 ms).
 *
 * <p>An <em>edge</em> is the first sample whose counter value differs from the previous sample's. The
 * counter changed somewhere between those two samples; the edge is placed at their midpoint, so its time is
 * known to half a polling period (2.5 ms at 200 Hz). Between consecutive edges the cumulative energy is
 * taken as linear (constant power over each ~100 ms step), and the energy of [t0, t1] is E(t1) - E(t0).
 * That needs an edge at or before t0 and one at or after t1; outside the edges the counter says nothing about when
 * the energy was spent, so {@link #joules} refuses rather than extrapolate.
 *
 * <p>The naive figure, counter(t1) - counter(t0) read from the samples nearest t0 and t1, is kept for
 * comparison: it is off by up to one step's energy at each end.
 */
public final class EnergyCounterWindow {
    private final long[] sampleNs;
    private final long[] sampleMj;
    private final long[] edgeNs;
    private final long[] edgeMj;

    private EnergyCounterWindow(long[] sampleNs, long[] sampleMj, long[] edgeNs, long[] edgeMj) {
        this.sampleNs = sampleNs;
        this.sampleMj = sampleMj;
        this.edgeNs = edgeNs;
        this.edgeMj = edgeMj;
    }

    /**
     * @param tNs      sample times (any monotonic clock, nanoseconds), strictly increasing
     * @param energyMj counter value at each sample, millijoules, never decreasing
     * @param n        number of samples used from the front of both arrays
     */
    public static EnergyCounterWindow of(long[] tNs, long[] energyMj, int n) {
        checkLength(tNs, energyMj, n);
        for (int i = 1; i < n; i++) {
            if (energyMj[i] < energyMj[i - 1]) {
                throw new IllegalArgumentException("energy counter went backwards at sample " + i
                        + " (" + energyMj[i - 1] + " -> " + energyMj[i] + " mJ): driver reloaded?");
            }
        }
        return ofRange(tNs, energyMj, 0, n);
    }

    /**
     * The counter around the window [t0, t1] from samples in which it may go backwards (a driver reload, a GPU reset):
     * the samples between the decreases on either side of the last sample at or before t0. A decrease costs only the
     * windows whose edges it lies between, however long the samples reach back.
     *
     * @param tNs      sample times (any monotonic clock, nanoseconds), strictly increasing
     * @param energyMj counter value at each sample, millijoules
     * @param n        number of samples used from the front of both arrays
     * @throws IllegalArgumentException when the counter goes backwards between the edge at or before t0 and the one at
     *                                  or after t1 (or before either is seen)
     */
    public static EnergyCounterWindow around(long[] tNs, long[] energyMj, int n, long t0Ns, long t1Ns) {
        checkLength(tNs, energyMj, n);
        checkOrder(t0Ns, t1Ns);
        int from = 0;
        int to = n;
        for (int i = 1; i < to; i++) {
            if (energyMj[i] < energyMj[i - 1]) {
                if (tNs[i] <= t0Ns) {
                    from = i;
                } else {
                    to = i;
                }
            }
        }
        EnergyCounterWindow w = ofRange(tNs, energyMj, from, to);
        int edges = w.edgeNs.length;
        if (from > 0 && (edges == 0 || w.edgeNs[0] > t0Ns)) {
            throw backwardsAround(energyMj, from);
        }
        if (to < n && (edges == 0 || w.edgeNs[edges - 1] < t1Ns)) {
            throw backwardsAround(energyMj, to);
        }
        return w;
    }

    /** The samples [from, to), the counter never decreasing among them. */
    private static EnergyCounterWindow ofRange(long[] tNs, long[] energyMj, int from, int to) {
        int n = to - from;
        long[] edgeNs = new long[n];
        long[] edgeMj = new long[n];
        int edges = 0;
        for (int i = from + 1; i < to; i++) {
            if (tNs[i] <= tNs[i - 1]) {
                throw new IllegalArgumentException("sample times not increasing at sample " + i);
            }
            if (energyMj[i] != energyMj[i - 1]) {
                edgeNs[edges] = tNs[i - 1] + (tNs[i] - tNs[i - 1]) / 2;
                edgeMj[edges] = energyMj[i];
                edges++;
            }
        }
        return new EnergyCounterWindow(Arrays.copyOfRange(tNs, from, to), Arrays.copyOfRange(energyMj, from, to),
                Arrays.copyOf(edgeNs, edges), Arrays.copyOf(edgeMj, edges));
    }

    private static IllegalArgumentException backwardsAround(long[] energyMj, int i) {
        return new IllegalArgumentException("energy counter went backwards around the window (" + energyMj[i - 1] + " -> "
                + energyMj[i] + " mJ): driver reloaded?");
    }

    private static void checkLength(long[] tNs, long[] energyMj, int n) {
        if (n > tNs.length || n > energyMj.length) {
            throw new IllegalArgumentException("n=" + n + " exceeds the sample arrays");
        }
    }

    /** Cumulative counter value at time t, millijoules, interpolated linearly between the edges around t. */
    public double millijoulesAt(long tNs) {
        if (edgeNs.length == 0 || tNs < edgeNs[0] || tNs > edgeNs[edgeNs.length - 1]) {
            throw new IllegalArgumentException("no counter edge on both sides of t=" + tNs + " ns ("
                    + edgeNs.length + " edges" + (edgeNs.length == 0 ? "" : " in [" + edgeNs[0] + ", "
                    + edgeNs[edgeNs.length - 1] + "] ns") + ")");
        }
        int i = Arrays.binarySearch(edgeNs, tNs);
        if (i >= 0) {
            return edgeMj[i];
        }
        int hi = -i - 1; // first edge after t; hi >= 1 because t > edgeNs[0]
        int lo = hi - 1;
        double f = (double) (tNs - edgeNs[lo]) / (edgeNs[hi] - edgeNs[lo]);
        return edgeMj[lo] + f * (edgeMj[hi] - edgeMj[lo]);
    }

    /** Energy spent in [t0, t1], joules; throws IllegalArgumentException unless edges lie at or before t0 and at or after t1. */
    public double joules(long t0Ns, long t1Ns) {
        checkOrder(t0Ns, t1Ns);
        return (millijoulesAt(t1Ns) - millijoulesAt(t0Ns)) / 1000.0;
    }

    /**
     * Energy spent in [t0, t1], joules, when the power just outside the window is known: the benchmark stops
     * between JMH iterations, so the GPU idles there (at the idle baseline). The counter step that straddles
     * t0 is then split by that knowledge instead of linearly: its part before t0 drew {@code wattsBefore}, the
     * rest of the step's energy is the window's (clamped to the step); likewise the step straddling t1 with
     * {@code wattsAfter}. Steps wholly inside count fully, as in {@link #joules(long, long)}. Linear
     * interpolation would give each straddling step the mean of busy and idle power and so lose up to
     * (busy - idle) W x 100 ms per window end: a few % of a 1 s window, a few tenths of a % of a 10 s one.
     * A NaN power means "unknown" and keeps that end linear; where one step holds the whole window, a NaN on either side
     * keeps the whole window linear: that step's part outside the window lies on both sides, and one side's power alone
     * does not split it.
     *
     * <p>Where the split leaves the window nothing (no whole step inside, and the outside power over each end step's
     * part outside the window at or above that step's energy: a window inside one step, or across two), that power is
     * not what the GPU, which never draws nothing, drew around this window: the window's energy is unknown and the
     * method refuses. One end step's share clamped at zero while the window keeps energy stands.
     *
     * <p>Of the edges' times only those of a (the last edge at or before t0) and b (the first at or after t1) enter a
     * split end; the edges in between count by their values (start part + whole steps + end part telescopes to
     * edgeMj[b] - edgeMj[a] less the outside parts, apart from clamping). A linear end uses the time of the edge next
     * to it inside too (a+1, b-1). So the counter needs precise reads only around the window's ends.
     *
     * @throws IllegalArgumentException unless edges lie at or before t0 and at or after t1, or where the split leaves the
     *                                  window nothing
     */
    public double joules(long t0Ns, long t1Ns, double wattsBefore, double wattsAfter) {
        checkOrder(t0Ns, t1Ns);
        millijoulesAt(t0Ns); // the bracket checks, with their message
        millijoulesAt(t1Ns);
        int a = lastEdgeAtOrBefore(t0Ns);
        int b = firstEdgeAtOrAfter(t1Ns);
        double mj;
        if (a + 1 == b) { // one step holds the whole window
            double step = edgeMj[b] - edgeMj[a];
            if (Double.isNaN(wattsBefore) || Double.isNaN(wattsAfter)) {
                return joules(t0Ns, t1Ns);
            }
            double outsideMj = wattsBefore * (t0Ns - edgeNs[a]) / 1e6 + wattsAfter * (edgeNs[b] - t1Ns) / 1e6;
            mj = clamp(step - outsideMj, step);
        } else {
            double startMj = Double.isNaN(wattsBefore) ? edgeMj[a + 1] - millijoulesAt(t0Ns)
                    : clamp(edgeMj[a + 1] - edgeMj[a] - wattsBefore * (t0Ns - edgeNs[a]) / 1e6, edgeMj[a + 1] - edgeMj[a]);
            double endMj = Double.isNaN(wattsAfter) ? millijoulesAt(t1Ns) - edgeMj[b - 1]
                    : clamp(edgeMj[b] - edgeMj[b - 1] - wattsAfter * (edgeNs[b] - t1Ns) / 1e6, edgeMj[b] - edgeMj[b - 1]);
            mj = startMj + (edgeMj[b - 1] - edgeMj[a + 1]) + endMj;
        }
        if (mj <= 0) {
            // counter values only grow from edge to edge, so only the clamps can leave the window nothing
            throw new IllegalArgumentException(String.format(Locale.ROOT, "the counter steps around a %.1f ms window hold"
                    + " %.3f J, no more than the idle power outside it (%s) over their %.1f ms outside it: that power is not what"
                    + " the GPU drew around this window", (t1Ns - t0Ns) / 1e6, (edgeMj[b] - edgeMj[a]) / 1000.0,
                    wattsBefore == wattsAfter ? String.format(Locale.ROOT, "%.1f W", wattsBefore)
                            : String.format(Locale.ROOT, "%.1f W before, %.1f W after", wattsBefore, wattsAfter),
                    (t0Ns - edgeNs[a] + edgeNs[b] - t1Ns) / 1e6));
        }
        return mj / 1000.0;
    }

    private static double clamp(double mj, double stepMj) {
        return Math.max(0, Math.min(stepMj, mj));
    }

    private int lastEdgeAtOrBefore(long tNs) {
        int i = Arrays.binarySearch(edgeNs, tNs);
        return i >= 0 ? i : -i - 2;
    }

    private int firstEdgeAtOrAfter(long tNs) {
        int i = Arrays.binarySearch(edgeNs, tNs);
        return i >= 0 ? i : -i - 1;
    }

    /** {@link #joules} divided by the window's length, watts. */
    public double averageWatts(long t0Ns, long t1Ns) {
        return joules(t0Ns, t1Ns) / ((t1Ns - t0Ns) / 1e9);
    }

    /** counter(t1) - counter(t0) from the samples nearest t0 and t1, joules: what reading the counter twice gives. */
    public double naiveJoules(long t0Ns, long t1Ns) {
        checkOrder(t0Ns, t1Ns);
        if (sampleNs.length == 0) {
            throw new IllegalArgumentException("no samples");
        }
        return (sampleMj[nearestSample(t1Ns)] - sampleMj[nearestSample(t0Ns)]) / 1000.0;
    }

    /**
     * Average power between the first and the last edge inside [t0, t1], watts: the counter's exact energy
     * between two of its own steps, with no assumption about the steps that straddle t0 and t1 (what the
     * GPU drew just outside the window). For a steady load it is the window's power; it leaves out the
     * first and last ~100 ms, so a ramp at the window's start is not in it. NaN with fewer than two edges inside.
     */
    public double interiorWatts(long t0Ns, long t1Ns) {
        checkOrder(t0Ns, t1Ns);
        int first = firstEdgeAtOrAfter(t0Ns);
        int last = lastEdgeAtOrBefore(t1Ns);
        if (first < 0 || last >= edgeNs.length || last <= first) {
            return Double.NaN;
        }
        return (edgeMj[last] - edgeMj[first]) / 1000.0 / ((edgeNs[last] - edgeNs[first]) / 1e9);
    }

    /** Number of edges in (t0, t1]. */
    public int edgesWithin(long t0Ns, long t1Ns) {
        return edgesAtOrBefore(t1Ns) - edgesAtOrBefore(t0Ns);
    }

    private int edgesAtOrBefore(long tNs) {
        int i = Arrays.binarySearch(edgeNs, tNs); // edge times are distinct
        return i >= 0 ? i + 1 : -i - 1;
    }

    private int nearestSample(long tNs) {
        int i = Arrays.binarySearch(sampleNs, tNs);
        if (i >= 0) {
            return i;
        }
        int hi = -i - 1;
        if (hi == 0) {
            return 0;
        }
        if (hi == sampleNs.length) {
            return sampleNs.length - 1;
        }
        return tNs - sampleNs[hi - 1] <= sampleNs[hi] - tNs ? hi - 1 : hi;
    }

    private static void checkOrder(long t0Ns, long t1Ns) {
        if (t1Ns <= t0Ns) {
            throw new IllegalArgumentException("empty window [" + t0Ns + ", " + t1Ns + "] ns");
        }
    }
}
