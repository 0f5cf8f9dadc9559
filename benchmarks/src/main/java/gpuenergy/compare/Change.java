package gpuenergy.compare;

import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.stat.StatUtils;

/**
 * The change of a metric's mean from baseline to candidate, with a Welch t-interval of the difference of
 * means: the interval JMH itself uses for one score (Student t at its confidence level), extended to two samples with
 * unequal variances and the Welch-Satterthwaite degrees of freedom. Samples are JMH's per-iteration values
 * of all forks (rawData; for J/img linearised around its ratio of sums), treated as independent.
 *
 * @param baseMean mean of the baseline samples
 * @param candMean mean of the candidate samples
 * @param lo       lower end of the interval of (candMean - baseMean); NaN when a side has fewer than 2 samples
 * @param hi       upper end of that interval
 */
public record Change(double baseMean, double candMean, double lo, double hi) {

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
     * (fewer than 2 samples on a side) nothing can be called a regression: {@link #verdict} says so.
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
        boolean significant = lo > 0 || hi < 0;
        return significant ? "ok (significant, within threshold)" : "ok (within noise)";
    }
}
