package gpuenergy.results;

import java.util.List;

/**
 * One JMH metric of a result entry (primaryMetric or one of secondaryMetrics), as JMH's JSON writes it.
 *
 * @param score      JMH's aggregate score (mean over all iterations of all forks)
 * @param lo         lower end of JMH's 99.9 % confidence interval (NaN when JMH could not compute one)
 * @param hi         upper end of that interval
 * @param unit       JMH's scoreUnit, e.g. "ops/s" or "J/img"
 * @param rawData    the per-iteration values, one list per fork
 */
public record Metric(double score, double lo, double hi, String unit, List<List<Double>> rawData) {

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
