package gpuenergy.overhead;

import org.apache.commons.math3.stat.descriptive.rank.Percentile;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The statistics of the overhead table: the median of a variant's per-iteration values, and the ratio of two medians
 * with a percentile-bootstrap interval.
 *
 * <p>Medians, because a profiler's cost (a sampler thread, a pause at an iteration's edges) and the noise it hides in
 * (a GC, a clock step) touch single iterations; a median is not pulled by one of them, and a mean's t interval would
 * assume a normal spread that a few slow iterations break.
 *
 * <p>The interval of median(candidate) / median(baseline): {@link #RESAMPLES} times, each side's values are resampled
 * with replacement, each side at its own size and independently of the other (the variants ran in separate forks), and
 * the ratio of the resamples' medians is taken; the interval is the {@link #CONFIDENCE} central part of those ratios
 * (their 2.5th and 97.5th percentiles). Iterations of one variant are treated as exchangeable, every round's pooled: the
 * rounds' order (see OverheadCommand) is what keeps a drift from favouring a variant. A fixed seed makes the table the
 * same for the same files.
 */
final class MedianRatio {
    static final int RESAMPLES = 10_000;
    static final double CONFIDENCE = 0.95;
    private static final long SEED = 0x6f76657268656164L;

    private MedianRatio() {}

    /** A median or a ratio of medians, and its interval; all NaN when there are no values. */
    record Estimate(double value, double lo, double hi) {
        static final Estimate UNKNOWN = new Estimate(Double.NaN, Double.NaN, Double.NaN);

        boolean known() {
            return !Double.isNaN(value);
        }

        boolean includes(double x) {
            return lo <= x && x <= hi;
        }
    }

    /** The median (the mean of the middle two for an even count); NaN for none. */
    static double median(double[] values) {
        return values.length == 0 ? Double.NaN : new Percentile(50).evaluate(values);
    }

    /** The median of {@code values} with its bootstrap interval (resampled as one side of {@link #ratio}). */
    static Estimate medianWithInterval(double[] values) {
        if (values.length == 0) {
            return Estimate.UNKNOWN;
        }
        SplittableRandom random = new SplittableRandom(SEED);
        double[] medians = new double[RESAMPLES];
        for (int b = 0; b < RESAMPLES; b++) {
            medians[b] = median(resample(values, random));
        }
        return new Estimate(median(values), percentile(medians, (1 - CONFIDENCE) / 2), percentile(medians, (1 + CONFIDENCE) / 2));
    }

    /** median(candidate) / median(baseline) with its bootstrap interval; unknown when a side has no values. */
    static Estimate ratio(double[] baseline, double[] candidate) {
        if (baseline.length == 0 || candidate.length == 0) {
            return Estimate.UNKNOWN;
        }
        SplittableRandom random = new SplittableRandom(SEED);
        double[] ratios = new double[RESAMPLES];
        for (int b = 0; b < RESAMPLES; b++) {
            ratios[b] = median(resample(candidate, random)) / median(resample(baseline, random));
        }
        return new Estimate(median(candidate) / median(baseline), percentile(ratios, (1 - CONFIDENCE) / 2),
                percentile(ratios, (1 + CONFIDENCE) / 2));
    }

    private static double[] resample(double[] values, SplittableRandom random) {
        double[] out = new double[values.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = values[random.nextInt(values.length)];
        }
        return out;
    }

    /** The q quantile (0 < q < 1) of the bootstrap distribution, by the nearest rank. */
    private static double percentile(double[] values, double q) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
    }

    /**
     * What a variant's img/s ratio to the baseline says, at tolerance {@code t} (0.01 for 1 %) and the interval above.
     * A profiler whose overhead is acceptable is {@link #SAME} or {@link #WITHIN_TOLERANCE}.
     */
    enum Verdict {
        /** The baseline itself. */
        BASELINE("baseline"),
        /** |ratio - 1| <= t and the interval includes 1: no difference found, and the estimate is within t. */
        SAME("same"),
        /** |ratio - 1| <= t and the interval excludes 1: a difference the noise does not explain, smaller than t. */
        WITHIN_TOLERANCE("within-tolerance"),
        /** ratio < 1 - t and the interval excludes 1: slower than the baseline by more than t, beyond the noise. */
        SLOWER("slower"),
        /** ratio > 1 + t and the interval excludes 1: faster by more than t, beyond the noise. */
        FASTER("faster"),
        /** |ratio - 1| > t but the interval includes 1: the noise is too large to tell; run more iterations or rounds. */
        TOO_NOISY("too-noisy"),
        /** No ratio: a side has no measured iterations. */
        NOT_COMPARED("not-compared");

        final String label;

        Verdict(String label) {
            this.label = label;
        }

        static Verdict of(Estimate ratio, double tolerance) {
            if (!ratio.known()) {
                return NOT_COMPARED;
            }
            boolean withinTolerance = Math.abs(ratio.value() - 1) <= tolerance;
            boolean noiseExplains = ratio.includes(1);
            if (withinTolerance) {
                return noiseExplains ? SAME : WITHIN_TOLERANCE;
            }
            if (noiseExplains) {
                return TOO_NOISY;
            }
            return ratio.value() < 1 ? SLOWER : FASTER;
        }
    }
}
