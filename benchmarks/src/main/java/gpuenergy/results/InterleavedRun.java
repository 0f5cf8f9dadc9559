package gpuenergy.results;

import gpuenergy.profile.EnergyLabels;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * One run of a profiler with {@code interleave=true}: its measured windows in time order, each window's pace (img/s or
 * batches/s: only ratios are taken) and its {@link EnergyLabels#SAMPLED} value, 1 where the profiler sampled it, 0
 * where it sat out, NaN where it is neither (the sampler did not park before it in time, or had stopped).
 *
 * <p>The windows come in ABBA blocks, sat out, sampled, sampled, sat out, so the windows 2k and 2k + 1 are a pair of
 * one window of each kind, neighbours in time: a drift of the run's pace over seconds weighs on both alike, and the
 * pairs' orientations alternate, so a linear drift cancels over each block.
 */
public record InterleavedRun(double[] windows, double[] sampled) {
    /** The {@link EnergyLabels#SAMPLED} value of a window the profiler sat out. */
    public static final int SAT_OUT = 0;
    /** The {@link EnergyLabels#SAMPLED} value of a window the profiler sampled. */
    public static final int SAMPLED = 1;

    /**
     * The run of these windows and their {@link EnergyLabels#SAMPLED} values; null unless those are one 0, 1 or NaN per
     * window.
     */
    public static InterleavedRun of(double[] windows, double[] sampled) {
        if (sampled.length != windows.length
                || Arrays.stream(sampled).anyMatch(x -> !Double.isNaN(x) && x != SAT_OUT && x != SAMPLED)) {
            return null;
        }
        return new InterleavedRun(windows, sampled);
    }

    /** The paces of the windows of one kind ({@link #SAT_OUT} or {@link #SAMPLED}), in order. */
    public double[] ofKind(int kind) {
        return IntStream.range(0, windows.length).filter(i -> sampled[i] == kind).mapToDouble(i -> windows[i]).toArray();
    }

    /**
     * log(sampled pace / sat-out pace) of each pair of windows (2k, 2k + 1), in order. A pair is left out where it does
     * not hold one window of each kind (a window of neither kind) or where a pace is not a positive number; so is a last
     * window without a partner (an odd {@code -i}).
     */
    public double[] pairLogRatios() {
        return pairs().mapToDouble(k -> Math.log(inPair(k, SAMPLED) / inPair(k, SAT_OUT))).toArray();
    }

    /** The k of the pairs (2k, 2k + 1) that hold one window of each kind, both paces known. */
    private IntStream pairs() {
        return IntStream.range(0, windows.length / 2)
                .filter(k -> sampled[2 * k] + sampled[2 * k + 1] == SAT_OUT + SAMPLED) // NaN fails it too
                .filter(k -> known(windows[2 * k]) && known(windows[2 * k + 1]));
    }

    /** The pace of the window of {@code kind} in the pair (2k, 2k + 1). */
    private double inPair(int k, int kind) {
        return sampled[2 * k] == kind ? windows[2 * k] : windows[2 * k + 1];
    }

    private static boolean known(double pace) {
        return pace > 0 && pace < Double.POSITIVE_INFINITY; // NaN fails both
    }
}
