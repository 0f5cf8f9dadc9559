package gpuenergy.results;

import gpuenergy.profile.RatioResult;
import java.util.List;
import org.openjdk.jmh.util.ListStatistics;

/**
 * One JMH metric of a result entry (primaryMetric or one of secondaryMetrics), as JMH's JSON writes it.
 *
 * @param score      JMH's aggregate score over all iterations of all forks: their mean, or for the energy profiler's
 *                   J/op and J/img figures the sum of the iterations' powers over the sum of their rates
 * @param lo         lower end of JMH's 99.9 % confidence interval (NaN when JMH could not compute one)
 * @param hi         upper end of that interval
 * @param unit       JMH's scoreUnit, e.g. "ops/s" or "J/img"
 * @param rawData    the per-iteration values, one list per fork
 */
public record Metric(double score, double lo, double hi, String unit, List<List<Double>> rawData) {

    /**
     * The metric recomputed from its samples by JMH's own statistics: their mean, with JMH's Student t interval at
     * {@link RatioResult#CONFIDENCE} (none, as in JMH, with fewer than 3 samples).
     */
    public static Metric ofSamples(String unit, List<List<Double>> rawData) {
        ListStatistics s = new ListStatistics();
        rawData.stream().flatMap(List::stream).forEach(s::addValue);
        if (s.getN() == 0) {
            return new Metric(Double.NaN, Double.NaN, Double.NaN, unit, rawData);
        }
        double[] interval = s.getConfidenceIntervalAt(RatioResult.CONFIDENCE);
        return new Metric(s.getMean(), interval[0], interval[1], unit, rawData);
    }

    /** Each fork's iteration values, in order. */
    public List<double[]> forks() {
        return rawData.stream().map(f -> f.stream().mapToDouble(Double::doubleValue).toArray()).toList();
    }

    /** All iteration values of all forks, in order: the samples the statistics work on. */
    public double[] samples() {
        return rawData.stream().flatMap(List::stream).mapToDouble(Double::doubleValue).toArray();
    }

    /** The same metric with score, interval and samples multiplied by {@code factor} (e.g. batches/s to img/s). */
    public Metric scaled(double factor) {
        List<List<Double>> raw = rawData.stream()
                .map(fork -> fork.stream().map(v -> v * factor).toList()).toList();
        return new Metric(score * factor, lo * factor, hi * factor, unit, raw);
    }
}
