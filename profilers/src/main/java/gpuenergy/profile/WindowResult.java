package gpuenergy.profile;

import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.Aggregator;
import org.openjdk.jmh.results.ScalarResult;

/**
 * One measured window's figure. JMH pads a label missing from an iteration with its result's zero before aggregating;
 * this result has none, so its aggregate is over the windows that report it. The profiler reports every label in
 * every window it measures, NaN where a figure is unknown, and none in a window it sits out ({@code interleave=true}):
 * a sat-out window pads no 0 into a mean.
 */
final class WindowResult extends ScalarResult {
    private static final long serialVersionUID = 1L;

    WindowResult(String label, double value, String unit, AggregationPolicy policy) {
        super(label, value, unit, policy);
    }

    /**
     * Itself for the one result an iteration has: JMH's own would make a plain ScalarResult of it, with a zero. (Two of
     * one label in an iteration, two energy profilers in one run, go through JMH's and get the zero back.)
     */
    @Override
    protected Aggregator<ScalarResult> getThreadAggregator() {
        Aggregator<ScalarResult> jmh = super.getThreadAggregator();
        return results -> results.size() == 1 ? results.iterator().next() : jmh.aggregate(results);
    }

    @Override
    protected ScalarResult getZeroResult() {
        return null;
    }
}
