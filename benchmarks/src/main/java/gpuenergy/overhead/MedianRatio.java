package gpuenergy.overhead;

import gpuenergy.results.InterleavedRun;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.stat.descriptive.moment.StandardDeviation;
import org.apache.commons.math3.stat.descriptive.rank.Percentile;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.DoubleStream;

/**
 * The statistics of the overhead table: the median of a variant's per-iteration values, and the ratio of two medians
 * with a percentile-bootstrap interval.
 *
 * <p>Medians, because a profiler's cost (a sampler thread, a pause at an iteration's edges) and the noise it hides in
 * (a GC, a clock step) touch single iterations; a median is not pulled by one of them, and a mean's t interval would
 * assume a normal spread that a few slow iterations break.
 *
 * <p>A variant's values come as runs (one forked JMH run per round), and iterations of different runs are not
 * exchangeable: each fork has its own JIT, memory layout and clocks, so two runs of one configuration differ by more
 * than their iterations spread. With two or more runs a side is resampled hierarchically: its runs are drawn with
 * replacement, then each drawn run's iterations with replacement, so the interval carries the run-to-run spread. A side
 * with one run can only resample its iterations; its interval then misses the run-to-run spread ({@link #overRuns}),
 * and one of a few runs understates it ({@link #MIN_RUNS_FOR_VERDICT}).
 *
 * <p>The interval of median(candidate) / median(baseline): {@link #RESAMPLES} times each side is resampled as above,
 * independently (the variants ran in separate forks), and the ratio of the resamples' medians is taken; the interval
 * is the {@link #CONFIDENCE} central part of those ratios (their 2.5th and 97.5th percentiles). The estimate itself is
 * the ratio of the medians of every iteration pooled. A fixed seed makes the table the same for the same files.
 *
 * <p>Windows of one run in which a profiler sampled and sat out share the fork: {@link #pairedRatio} compares them
 * pair by pair inside each run, so that the fork's level and the run's drift cancel.
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
    }

    /**
     * The median (the mean of the middle two for an even count); NaN for none, and NaN when a value is unknown (NaN):
     * Percentile's default drops NaN values unsaid, so a caller that leaves unknown values out does so itself and says
     * how many.
     */
    static double median(double[] values) {
        if (values.length == 0 || Arrays.stream(values).anyMatch(Double::isNaN)) {
            return Double.NaN;
        }
        return new Percentile(50).evaluate(values);
    }

    /** Whether an interval of these runs (each run's per-iteration values) includes the run-to-run spread. */
    static boolean overRuns(List<double[]> runs) {
        return measured(runs).size() >= 2;
    }

    /**
     * The fewest runs with iterations, on each side (the variant and the baseline), that a firm verdict rests on; under
     * it the table says too-noisy whatever the interval. A side's resamples can only redraw the few runs it has, so
     * where runs differ more than their iterations the bootstrap understates the run-to-run spread, and the 95 %
     * interval holds the true ratio far less often than 95 %. {@link #ratio} on two sides of the same lognormal runs
     * (each run's level with an SD of 1 %, its 8 iterations 0.1 % around it; MedianRatioTest, 1,000 pairs) held it
     * 68 % of the time with 2 runs a side, 88 % with 3, 93 % with 4 and 96 % with 5.
     */
    static final int MIN_RUNS_FOR_VERDICT = 5;

    /** Whether these runs are enough on their side for a firm verdict: {@link #MIN_RUNS_FOR_VERDICT} with values. */
    static boolean enoughForVerdict(List<double[]> runs) {
        return measured(runs).size() >= MIN_RUNS_FOR_VERDICT;
    }

    /** The median of every run's values pooled, with its bootstrap interval (resampled as one side of {@link #ratio}). */
    static Estimate medianWithInterval(List<double[]> runs) {
        List<double[]> measured = measured(runs);
        if (measured.isEmpty()) {
            return Estimate.UNKNOWN;
        }
        if (pooled(measured).length < 2) {
            return new Estimate(median(pooled(measured)), Double.NaN, Double.NaN); // no interval: see #ratio
        }
        SplittableRandom random = new SplittableRandom(SEED);
        double[] medians = new double[RESAMPLES];
        for (int b = 0; b < RESAMPLES; b++) {
            medians[b] = median(resample(measured, random));
        }
        return new Estimate(median(pooled(measured)), percentile(medians, (1 - CONFIDENCE) / 2),
                percentile(medians, (1 + CONFIDENCE) / 2));
    }

    /** median(candidate) / median(baseline), every run's values pooled, with its interval; unknown when a side has none. */
    static Estimate ratio(List<double[]> baseline, List<double[]> candidate) {
        List<double[]> base = measured(baseline);
        List<double[]> cand = measured(candidate);
        if (base.isEmpty() || cand.isEmpty()) {
            return Estimate.UNKNOWN;
        }
        if (pooled(base).length < 2 || pooled(cand).length < 2) {
            // one value on a side resamples to itself: a point would read as no uncertainty, where there is no interval
            return new Estimate(median(pooled(cand)) / median(pooled(base)), Double.NaN, Double.NaN);
        }
        SplittableRandom random = new SplittableRandom(SEED);
        double[] ratios = new double[RESAMPLES];
        for (int b = 0; b < RESAMPLES; b++) {
            ratios[b] = median(resample(cand, random)) / median(resample(base, random));
        }
        return new Estimate(median(pooled(cand)) / median(pooled(base)), percentile(ratios, (1 - CONFIDENCE) / 2),
                percentile(ratios, (1 + CONFIDENCE) / 2));
    }

    /**
     * The fewest runs, each with a pair of a sat-out and a sampled window, that a firm verdict on {@link #pairedRatio}
     * rests on; under it the table says too-noisy whatever the interval. Paired inside each run, a run's level cancels,
     * and where the profiler costs the same in every fork one run would do; but its interval holds only how that run's
     * windows vary, not how the cost itself varies from fork to fork (with the CPU the sampler shares, the pace the fork
     * settled at). PairedCoverageTable in the test sources simulates runs without a true difference, 10,000 sets each
     * (results/cpu-build-machine/paired-coverage/, quoted in docs/overhead.md, "Inside one run"): with two to five runs
     * Student's t over the runs held the true ratio 94.5-95.4 % of the time in each model, also where the cost varies
     * from fork to fork by 0.5 % or 1 % around none; one run's interval, over its windows, held that mean cost 71 % and
     * 44 % of the time.
     */
    static final int MIN_PAIRED_RUNS_FOR_VERDICT = 2;

    /** The runs of {@link #pairedRatio} it compares: those with a pair ({@link InterleavedRun#pairLogRatios}). */
    static List<InterleavedRun> paired(List<InterleavedRun> runs) {
        return runs.stream().filter(r -> r.pairLogRatios().length > 0).toList();
    }

    /** Whether these runs ({@link #pairedRatio}'s) are enough for a firm verdict: {@link #MIN_PAIRED_RUNS_FOR_VERDICT}. */
    static boolean enoughForPairedVerdict(List<InterleavedRun> runs) {
        return paired(runs).size() >= MIN_PAIRED_RUNS_FOR_VERDICT;
    }

    /**
     * A run's own log ratio of its sampled windows' pace over its sat-out windows': the Hodges-Lehmann estimate of its
     * pairs' log ratios ({@link InterleavedRun#pairLogRatios}), the median of their Walsh averages (d_i + d_j) / 2, i <=
     * j; NaN without a pair. A pair's two windows are neighbours in time, so a drift of the run's pace over seconds
     * cancels inside it, where the medians of the two kinds over the whole run would each carry its spread; the
     * Hodges-Lehmann estimate is nearly as steady as the pairs' mean where the windows vary evenly, and, like a median,
     * is not pulled by a few much slower windows.
     */
    static double runLogRatio(InterleavedRun run) {
        return median(walshAverages(run.pairLogRatios()));
    }

    /** The Walsh averages (d_i + d_j) / 2, i <= j, of {@code d}. */
    private static double[] walshAverages(double[] d) {
        double[] walsh = new double[d.length * (d.length + 1) / 2];
        int w = 0;
        for (int i = 0; i < d.length; i++) {
            for (int j = i; j < d.length; j++) {
                walsh[w++] = (d[i] + d[j]) / 2;
            }
        }
        return walsh;
    }

    /** Above this many pairs {@link #signedRankBound} takes the normal approximation: the exact sum costs n³. */
    private static final int EXACT_SIGNED_RANK_PAIRS = 1000;

    /**
     * The k of the {@link #CONFIDENCE} interval of a Hodges-Lehmann estimate over n pairs, [W_(k), W_(N + 1 - k)] of
     * its N = n (n + 1) / 2 sorted Walsh averages: the largest k with P(T <= k - 1) <= (1 - CONFIDENCE) / 2, T
     * Wilcoxon's signed-rank sum of n pairs where their differences are symmetric about the estimate's centre (each of
     * the 2^n signs alike), so that the interval holds that centre with a chance of 1 - 2 P(T <= k - 1), at least
     * CONFIDENCE (96.1 % for 8 pairs: k = 4); 0 where no k reaches it, under {@link #MIN_PAIRS_FOR_ONE_RUN_INTERVAL}
     * pairs. T's distribution is summed exactly up to {@link #EXACT_SIGNED_RANK_PAIRS} pairs, above from its normal
     * approximation with a continuity correction.
     */
    static int signedRankBound(int n) {
        double tail = (1 - CONFIDENCE) / 2;
        if (n > EXACT_SIGNED_RANK_PAIRS) {
            double sd = Math.sqrt(n * (n + 1.0) * (2 * n + 1) / 24);
            double z = new NormalDistribution().inverseCumulativeProbability(tail);
            return (int) Math.floor(n * (n + 1.0) / 4 - 0.5 + z * sd) + 1;
        }
        int sums = n * (n + 1) / 2;
        double[] p = new double[sums + 1]; // P(T = t) over the pairs so far
        p[0] = 1;
        for (int rank = 1; rank <= n; rank++) {
            for (int t = sums; t >= 0; t--) {
                p[t] = (p[t] + (t >= rank ? p[t - rank] : 0)) / 2;
            }
        }
        double below = 0;
        int k = 0;
        while (below + p[k] <= tail) {
            below += p[k++];
        }
        return k;
    }

    /** The fewest pairs whose one run has a {@link #CONFIDENCE} interval ({@link #signedRankBound}): 2^-n <= 2.5 %. */
    static final int MIN_PAIRS_FOR_ONE_RUN_INTERVAL = (int) Math.ceil(Math.log(2 / (1 - CONFIDENCE)) / Math.log(2));

    /**
     * How the sampled windows' pace compares with the sat-out windows' of the same runs: each run's own ratio,
     * exp({@link #runLogRatio}), and their geometric mean over the runs, with its interval; unknown when no run has a
     * pair.
     *
     * <p>A ratio inside each run leaves out the fork's level, which pooling runs that settled apart would not (a pooled
     * median lies among one run's windows); the geometric mean weighs every run alike. With two runs or more the runs
     * are the units: the interval is Student's t at {@link #CONFIDENCE} over the runs' log ratios, which holds how a
     * run's windows vary and how the cost itself varies from fork to fork, each run's ratio carrying both. With one run
     * it is the interval of the run's own estimate, over its pairs' Walsh averages ({@link #signedRankBound}; unknown
     * under {@link #MIN_PAIRS_FOR_ONE_RUN_INTERVAL} pairs), so that the figure and its interval are of one estimator: it
     * holds how that run's windows vary, not how the cost varies between forks, so one run gives no verdict anyway
     * ({@link #MIN_PAIRED_RUNS_FOR_VERDICT}).
     */
    static Estimate pairedRatio(List<InterleavedRun> runs) {
        List<InterleavedRun> both = paired(runs);
        if (both.isEmpty()) {
            return Estimate.UNKNOWN;
        }
        if (both.size() == 1) {
            double[] walsh = walshAverages(both.get(0).pairLogRatios());
            int k = signedRankBound(both.get(0).pairLogRatios().length);
            Arrays.sort(walsh);
            return new Estimate(Math.exp(median(walsh)), k == 0 ? Double.NaN : Math.exp(walsh[k - 1]),
                    k == 0 ? Double.NaN : Math.exp(walsh[walsh.length - k]));
        }
        double[] logs = both.stream().mapToDouble(MedianRatio::runLogRatio).toArray();
        double mean = Arrays.stream(logs).average().getAsDouble();
        double halfWidth = new TDistribution(logs.length - 1).inverseCumulativeProbability(1 - (1 - CONFIDENCE) / 2)
                * new StandardDeviation().evaluate(logs) / Math.sqrt(logs.length);
        return new Estimate(Math.exp(mean), Math.exp(mean - halfWidth), Math.exp(mean + halfWidth));
    }

    /**
     * The mean-based check of {@link #pairedRatio}: each run's mean of its pairs' log ratios, their mean over the runs,
     * exp of it; NaN without a run with a pair. A cost that makes a few sampled windows much slower (a stall now and
     * then) moves this mean by its whole share of the pace, while the Hodges-Lehmann estimate, like a median, sees only
     * part of it.
     */
    static double meanPairRatio(List<InterleavedRun> runs) {
        return Math.exp(paired(runs).stream().mapToDouble(r -> Arrays.stream(r.pairLogRatios()).average().getAsDouble())
                .average().orElse(Double.NaN));
    }

    /** The standard deviation of the runs' log ratios that {@link #pairedRatio}'s t interval rests on; NaN under two runs. */
    static double pairedRunSd(List<InterleavedRun> runs) {
        double[] logs = paired(runs).stream().mapToDouble(MedianRatio::runLogRatio).toArray();
        return logs.length < 2 ? Double.NaN : new StandardDeviation().evaluate(logs);
    }

    /**
     * Roughly how many runs give "same" inside runs at tolerance {@code t} where a run's log ratio varies by {@code sd}:
     * n = sd² (z(0.975) + z(0.9))² / t², rounded up, the size of two one-sided tests of equivalence within ±t for a mean
     * at a true ratio of 1, with the table's 95 % and a {@link #POWER} chance of "same"; at least {@link
     * #MIN_PAIRED_RUNS_FOR_VERDICT}. A planning figure: the t quantile of few runs asks for more, and so does a true
     * ratio away from 1.
     */
    static long pairedRunsForSame(double sd, double t) {
        NormalDistribution normal = new NormalDistribution();
        double z = normal.inverseCumulativeProbability(1 - (1 - CONFIDENCE) / 2)
                + normal.inverseCumulativeProbability(1 - (1 - POWER) / 2);
        return Math.max(MIN_PAIRED_RUNS_FOR_VERDICT, (long) Math.ceil(sd * sd * z * z / (t * t)));
    }

    /** The runs that have values (a run file without iterations says nothing about the spread). */
    private static List<double[]> measured(List<double[]> runs) {
        return runs.stream().filter(r -> r.length > 0).toList();
    }

    private static double[] pooled(List<double[]> runs) {
        return runs.stream().flatMapToDouble(DoubleStream::of).toArray();
    }

    /** One bootstrap resample of a side: its iterations for one run; for several, runs first, then each one's iterations. */
    private static double[] resample(List<double[]> runs, SplittableRandom random) {
        if (runs.size() == 1) {
            return resample(runs.get(0), random);
        }
        List<double[]> drawn = new ArrayList<>(runs.size());
        for (int i = 0; i < runs.size(); i++) {
            drawn.add(resample(runs.get(random.nextInt(runs.size())), random));
        }
        return pooled(drawn);
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

    /** The fewest runs a side, each with two iterations or more, that {@link #withinRunSpread} compares. */
    static final int WITHIN_RUN_MIN_RUNS = 5;

    /**
     * How steady a variant's runs are inside, against the baseline's: where the host sets the pace, a profiler can make
     * a run's iterations move more (or less) while the medians stay alike.
     *
     * @param baselineCv the baseline's within-run CV: each run's sample standard deviation of its iterations over their
     *                   mean, the median over its runs
     * @param cv         the same for the variant
     * @param p          the two-sided p of the Mann-Whitney U test ({@link MannWhitney}) of the two sides' run CVs: runs
     *                   of separate forks, not paired by round, so a side missing a round's run costs nothing
     */
    record WithinRunSpread(double baselineCv, double cv, double p) {}

    /** Each run's coefficient of variation over its iterations, for the runs with two iterations or more. */
    static double[] runCvs(List<double[]> runs) {
        StandardDeviation sd = new StandardDeviation(); // the sample's: n - 1
        return runs.stream().filter(r -> r.length >= 2)
                .mapToDouble(r -> sd.evaluate(r) / Arrays.stream(r).average().getAsDouble()).toArray();
    }

    /** The median of {@link #runCvs}; NaN without such a run. */
    static double withinRunCv(List<double[]> runs) {
        double[] cvs = runCvs(runs);
        return cvs.length == 0 ? Double.NaN : median(cvs);
    }

    /** {@link WithinRunSpread} of a variant's runs against the baseline's; null under {@link #WITHIN_RUN_MIN_RUNS} a side. */
    static WithinRunSpread withinRunSpread(List<double[]> baselineRuns, List<double[]> runs) {
        double[] a = runCvs(baselineRuns);
        double[] b = runCvs(runs);
        if (a.length < WITHIN_RUN_MIN_RUNS || b.length < WITHIN_RUN_MIN_RUNS) {
            return null;
        }
        return new WithinRunSpread(median(a), median(b), MannWhitney.twoSidedP(a, b));
    }

    /** The chance of a "same" verdict that {@link #runsForSame} plans for, where the variants do not differ. */
    static final double POWER = 0.8;

    /**
     * How many times as many runs the table's statistic takes as a mean of run medians would, for the same spread of
     * its estimate, where runs differ more than their iterations: the median of pooled iterations then follows the
     * median of the run levels, whose variance is π/2 times the mean's for normally spread levels (the median's
     * efficiency of 2/π).
     */
    static final double MEDIAN_RUNS_FACTOR = Math.PI / 2;

    /**
     * How far the runs of a configuration lie apart, and roughly how many runs a side would give a "same" verdict at
     * that spread.
     *
     * @param sd               pooled standard deviation of the runs' log medians (about the relative spread of a run's
     *                         median), over every variant with two runs or more
     * @param degreesOfFreedom how many it is estimated from: those runs less one per variant
     * @param runsASide        n = π/2 x 2 sd² (z(0.975) + z(0.9))² / t², rounded up: the size of two one-sided tests
     *                         of equivalence within ±t for two means of log run medians at a true ratio of 1, with the
     *                         95 % interval the table uses and a {@link #POWER} chance of "same" (1 - POWER split over
     *                         the two bounds), times {@link #MEDIAN_RUNS_FACTOR} for the medians the table compares
     */
    record RunsForSame(double sd, int degreesOfFreedom, long runsASide) {}

    /**
     * {@link RunsForSame} at tolerance {@code t} from each variant's run medians (NaN for a run without iterations, left
     * out); null under two degrees of freedom. A planning figure, not a promise: it assumes runs as long as these and a
     * spread between them as it was (estimated from few runs, so it is itself uncertain), runs that differ more than
     * their iterations (where they differ less, the median's factor is smaller); and a true ratio away from 1 takes more
     * runs.
     */
    static RunsForSame runsForSame(List<double[]> runMediansByVariant, double t) {
        double squares = 0;
        int degrees = 0;
        for (double[] medians : runMediansByVariant) {
            double[] logs = Arrays.stream(medians).filter(m -> !Double.isNaN(m) && m > 0).map(Math::log).toArray();
            if (logs.length < 2) {
                continue;
            }
            double mean = Arrays.stream(logs).average().getAsDouble();
            squares += Arrays.stream(logs).map(x -> (x - mean) * (x - mean)).sum();
            degrees += logs.length - 1;
        }
        if (degrees < 2) {
            return null;
        }
        double sd = Math.sqrt(squares / degrees);
        NormalDistribution normal = new NormalDistribution();
        double z = normal.inverseCumulativeProbability(1 - (1 - CONFIDENCE) / 2)
                + normal.inverseCumulativeProbability(1 - (1 - POWER) / 2);
        return new RunsForSame(sd, degrees, (long) Math.ceil(MEDIAN_RUNS_FACTOR * 2 * sd * sd * z * z / (t * t)));
    }

    /**
     * What a variant's img/s ratio to the baseline says at tolerance {@code t} (0.01 for 1 %), from its interval alone:
     * the band [1 - t, 1 + t] is what counts as no overhead. A profiler's overhead is acceptable at t when it is
     * {@link #SAME}.
     */
    enum Verdict {
        /** The baseline itself. */
        BASELINE("baseline"),
        /**
         * The whole interval inside [1 - t, 1 + t]: any difference is smaller than t. It may exclude 1 (a real
         * difference, smaller than t).
         */
        SAME("same"),
        /** The whole interval below 1 - t: slower than the baseline by more than t. */
        SLOWER("slower"),
        /** The whole interval above 1 + t: faster by more than t. */
        FASTER("faster"),
        /**
         * The interval straddles a tolerance bound: cannot tell at t; run more iterations or rounds. The table also
         * gives it, whatever the interval, where the variant or the baseline has under {@link #MIN_RUNS_FOR_VERDICT}
         * runs.
         */
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
            if (ratio.hi() < 1 - tolerance) {
                return SLOWER;
            }
            if (ratio.lo() > 1 + tolerance) {
                return FASTER;
            }
            return ratio.lo() >= 1 - tolerance && ratio.hi() <= 1 + tolerance ? SAME : TOO_NOISY;
        }
    }
}
