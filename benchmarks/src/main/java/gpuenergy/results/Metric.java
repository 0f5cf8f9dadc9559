package gpuenergy.results;

import java.util.Arrays;
import java.util.List;
import org.apache.commons.math3.distribution.TDistribution;

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
     * The metric recomputed from its samples as JMH does for a score: their mean, with the Student t
     * interval at 99.9 % (none with fewer than 2 samples).
     */
    public static Metric ofSamples(String unit, List<List<Double>> rawData) {
        double[] v = rawData.stream().flatMap(List::stream).mapToDouble(Double::doubleValue).toArray();
        double mean = Arrays.stream(v).average().orElse(Double.NaN);
        if (v.length < 2) {
            return new Metric(mean, Double.NaN, Double.NaN, unit, rawData);
        }
        double ss = Arrays.stream(v).map(x -> (x - mean) * (x - mean)).sum();
        double half = new TDistribution(v.length - 1).inverseCumulativeProbability(1 - 0.001 / 2)
                * Math.sqrt(ss / (v.length - 1) / v.length);
        return new Metric(mean, mean - half, mean + half, unit, rawData);
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
