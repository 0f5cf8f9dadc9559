package gpuenergy.compare;

import gpuenergy.options.Subcommand;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.stat.StatUtils;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The change of a metric's mean from baseline to candidate, with a Welch t-interval of the difference of
 * means: the interval JMH itself uses for one score (Student t at its confidence level), extended to two samples with
 * unequal variances and the Welch-Satterthwaite degrees of freedom. The samples are the forks' means where both sides
 * ran {@link #MIN_FORKS} forks or more ({@link #ofForks}), else JMH's per-iteration values of all forks (rawData; for
 * J/img linearised around its ratio of sums), treated as independent.
 *
 * @param baseMean  mean of the baseline samples
 * @param candMean  mean of the candidate samples
 * @param lo        lower end of the interval of (candMean - baseMean); NaN when a side has fewer than 2 samples
 * @param hi        upper end of that interval
 * @param overForks whether the samples were the forks' means
 */
public record Change(double baseMean, double candMean, double lo, double hi, boolean overForks) {

    /**
     * The forks a side that make their means the samples. Two forks a side give Welch one or two degrees of freedom, a
     * 99.9 % t factor of 32 to 637: no threshold of a few percent is decided with it, even at large batches where forks
     * lie under 1 % apart. Three give two to four (8.6 to 32), enough there; where forks differ by tens of percent
     * (small batches) it takes more forks still, and the interval's width says so.
     */
    public static final int MIN_FORKS = 3;

    /** A change whose samples were iterations. */
    public Change(double baseMean, double candMean, double lo, double hi) {
        this(baseMean, candMean, lo, hi, false);
    }

    /**
     * The change between two results given fork by fork. Iterations of one fork are not independent of each other
     * the way iterations of different forks are: each fork settles into its own pace (its JIT, its memory, where its
     * threads run), and where the host sets the pace (small batches) forks differ by more than their iterations spread.
     * So where each side has {@link #MIN_FORKS} forks or more, of as many iterations each (as JMH runs them, so that the
     * mean of their means is JMH's score), the samples are the forks' means, and the interval holds the spread between
     * forks; otherwise the iterations are the samples, and that spread is in the interval poorly (two forks) or not at
     * all (one).
     */
    public static Change ofForks(List<double[]> base, List<double[]> cand, double confidence) {
        if (evenForks(base) >= MIN_FORKS && evenForks(cand) >= MIN_FORKS) {
            Change c = of(means(base), means(cand), confidence);
            return new Change(c.baseMean, c.candMean, c.lo, c.hi, true);
        }
        return of(pooled(base), pooled(cand), confidence);
    }

    private static double[] means(List<double[]> forks) {
        return forks.stream().mapToDouble(StatUtils::mean).toArray();
    }

    /** The number of forks when all have the same number of iterations, one at least; else 0. */
    private static int evenForks(List<double[]> forks) {
        boolean even = !forks.isEmpty() && forks.get(0).length > 0
                && forks.stream().allMatch(f -> f.length == forks.get(0).length);
        return even ? forks.size() : 0;
    }

    private static double[] pooled(List<double[]> forks) {
        return forks.stream().flatMapToDouble(Arrays::stream).toArray();
    }

    public static Change of(double[] base, double[] cand, double confidence) {
        double mb = StatUtils.mean(base);
        double mc = StatUtils.mean(cand);
        double d = mc - mb;
        if (base.length < 2 || cand.length < 2) {
            return new Change(mb, mc, Double.NaN, Double.NaN);
        }
        double vb = StatUtils.variance(base, mb) / base.length;
        double vc = StatUtils.variance(cand, mc) / cand.length;
        double se = Math.sqrt(vb + vc);
        if (se == 0) {
            return new Change(mb, mc, d, d); // both sides constant: the difference is exact
        }
        double df = (vb + vc) * (vb + vc)
                / (vb * vb / (base.length - 1) + vc * vc / (cand.length - 1));
        double t = new TDistribution(df).inverseCumulativeProbability(1 - (1 - confidence) / 2);
        return new Change(mb, mc, d - t * se, d + t * se);
    }

    /** (candidate - baseline) / baseline. */
    public double relative() {
        return (candMean - baseMean) / baseMean;
    }

    /** The interval relative to the baseline mean (the baseline mean's own uncertainty is in lo/hi already). */
    public double relativeLo() {
        return lo / baseMean;
    }

    public double relativeHi() {
        return hi / baseMean;
    }

    public boolean hasInterval() {
        return !Double.isNaN(lo);
    }

    /**
     * A regression: the interval excludes 0 on the bad side (noise cannot explain it) AND the change is
     * larger than {@code threshold} (a fraction, 0.03 for 3 %) in the bad direction. Without an interval
     * (fewer than 2 samples on a side) nothing can be called a regression, nor ruled out: {@link #isJudged}.
     */
    public boolean isRegression(boolean higherIsBetter, double threshold) {
        if (!hasInterval()) {
            return false;
        }
        return higherIsBetter
                ? hi < 0 && relative() < -threshold
                : lo > 0 && relative() > threshold;
    }

    /** Same rule in the good direction. */
    public boolean isImprovement(boolean higherIsBetter, double threshold) {
        return isRegression(!higherIsBetter, threshold);
    }

    /**
     * Whether the interval decides the gate at {@code threshold}: it shows a regression, or it rules one out, its bad end
     * lying within the threshold. An interval that reaches further on the bad side without being a regression (wide, at
     * small batches, where forks differ by tens of percent) says neither that the change passed nor that it failed.
     */
    public boolean isJudged(boolean higherIsBetter, double threshold) {
        if (!hasInterval()) {
            return false;
        }
        return isRegression(higherIsBetter, threshold) || badEnd(higherIsBetter) <= threshold;
    }

    /** How far the interval reaches in the bad direction, relative to the baseline: 0.05 for a fall of 5 % in img/s. */
    private double badEnd(boolean higherIsBetter) {
        return higherIsBetter ? -relativeLo() : relativeHi();
    }

    public String verdict(boolean higherIsBetter, double threshold) {
        if (!hasInterval()) {
            return "not judged: fewer than 2 samples on a side (run more iterations or forks)";
        }
        if (isRegression(higherIsBetter, threshold)) {
            return "REGRESSION";
        }
        if (isImprovement(higherIsBetter, threshold)) {
            return "improvement";
        }
        if (!isJudged(higherIsBetter, threshold)) {
            return String.format(Locale.ROOT, "not judged: too noisy to rule out a %s over %s%% (more forks, -f, or iterations, -i, narrow it)",
                    higherIsBetter ? "fall" : "rise", Subcommand.percentShown(threshold, 3));
        }
        boolean significant = lo > 0 || hi < 0;
        return significant ? "ok (significant, within threshold)" : "ok (within noise)";
    }
}
