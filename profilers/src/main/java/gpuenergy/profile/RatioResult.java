package gpuenergy.profile;

import gpuenergy.energy.RatioOfSums;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.Aggregator;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ResultRole;
import org.openjdk.jmh.util.ListStatistics;
import org.openjdk.jmh.util.ScoreFormatter;

import java.util.Arrays;
import java.util.Collection;

/**
 * A secondary result that is a power over a rate, e.g. J/img = average W / (img/s), aggregated the way JMH aggregates
 * the rate itself. JMH would average per-iteration ratios (ScalarResult); this result keeps each iteration's numerator
 * and denominator instead, and its score over any set of iterations, of one fork or of all, is
 * {@link RatioOfSums#ratio}: sum of powers over sum of rates. JMH's throughput score is the mean of the same rates and
 * avg-W the mean of the same powers, so JMH's table and JSON give img/s x J/img = avg-W exactly in throughput mode
 * (with {@code interleave=true} the score is over every window and this figure over the sampled ones only).
 * In the time modes the score is a mean of times per op, not of rates: the figure is the same energy over ops, and the
 * score's inverse times it falls short of avg-W wherever the iterations' rates differ.
 *
 * <p>The statistics hold the iterations' own ratios: JMH writes them as the metric's rawData and percentiles, and
 * its extended output shows their min, mean and max. The score's error and interval are the ratio's
 * ({@link RatioOfSums#linearized}, Student t at 99.9 % as JMH's own), not the spread of the per-iteration ratios.
 */
public final class RatioResult extends Result<RatioResult> {
    private static final long serialVersionUID = 1L;
    /** JMH's confidence level for every score error and interval; the suite's readers use the same. */
    public static final double CONFIDENCE = 0.999;

    private final double[] numerators;
    private final double[] denominators;

    /** One iteration: numerator / denominator, e.g. its average watts over its images per second. */
    public RatioResult(String label, String unit, double numerator, double denominator) {
        this(label, unit, new double[]{numerator}, new double[]{denominator});
    }

    private RatioResult(String label, String unit, double[] numerators, double[] denominators) {
        super(ResultRole.SECONDARY, label, perIteration(numerators, denominators), unit, AggregationPolicy.AVG);
        this.numerators = numerators;
        this.denominators = denominators;
    }

    private static ListStatistics perIteration(double[] numerators, double[] denominators) {
        ListStatistics s = new ListStatistics();
        for (int i = 0; i < numerators.length; i++) {
            s.addValue(numerators[i] / denominators[i]);
        }
        return s;
    }

    @Override
    public double getScore() {
        return RatioOfSums.ratio(numerators, denominators);
    }

    @Override
    public double getScoreError() {
        return new ListStatistics(RatioOfSums.linearized(numerators, denominators)).getMeanErrorAt(CONFIDENCE);
    }

    @Override
    public double[] getScoreConfidence() {
        double score = getScore();
        double error = getScoreError();
        return new double[]{score - error, score + error};
    }

    /**
     * JMH's own text would print the mean of the per-iteration ratios as "avg" beside a score that is not their
     * mean: say what the score is, and give the iterations' range.
     */
    @Override
    public String extendedInfo() {
        double[] ci = getScoreConfidence();
        String head = String.format("  %s \u00B1(99.9%%) %s %s [sum of powers / sum of rates over %d iterations]%n",
                ScoreFormatter.format(getScore()), ScoreFormatter.formatError(getScoreError()), getScoreUnit(),
                statistics.getN());
        return head + String.format("  iterations' own values: (min, max) = (%s, %s)%n  CI (99.9%%): [%s, %s] (ratio"
                        + " estimator, assumes normal distribution)%n", ScoreFormatter.format(statistics.getMin()),
                ScoreFormatter.format(statistics.getMax()), ScoreFormatter.format(ci[0]), ScoreFormatter.format(ci[1]));
    }

    @Override
    protected Aggregator<RatioResult> getThreadAggregator() {
        return RatioResult::joined;
    }

    @Override
    protected Aggregator<RatioResult> getIterationAggregator() {
        return RatioResult::joined;
    }

    /**
     * None: an iteration without this label is a window the profiler sat out ({@code interleave=true}), and the figure
     * is that of the windows it measured ({@link WindowResult}); in every window it measures it reports the label, NaN
     * where unknown, which makes the aggregate NaN.
     */
    @Override
    protected RatioResult getZeroResult() {
        return null;
    }

    /** All the iterations of the results together; label and unit must agree, as JMH's own aggregators demand. */
    private static RatioResult joined(Collection<RatioResult> results) {
        String label = null;
        String unit = null;
        double[] n = new double[0];
        double[] d = new double[0];
        for (RatioResult r : results) {
            if (label == null) {
                label = r.label;
                unit = r.unit;
            } else if (!label.equals(r.label) || !unit.equals(r.unit)) {
                throw new IllegalStateException("joining " + label + " [" + unit + "] with " + r.label + " [" + r.unit + "]");
            }
            n = concat(n, r.numerators);
            d = concat(d, r.denominators);
        }
        return new RatioResult(label, unit, n, d);
    }

    private static double[] concat(double[] a, double[] b) {
        double[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
