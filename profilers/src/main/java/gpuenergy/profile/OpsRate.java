package gpuenergy.profile;

import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.IterationResult;

import java.util.concurrent.TimeUnit;

/** Operations per second, all threads together, from an iteration's primary score as JMH reports it. */
final class OpsRate {
    private OpsRate() {}

    static double opsPerSecond(IterationResult result) {
        return opsPerSecond(result.getBenchmarkParams().getMode(), result.getPrimaryResult().getScore(),
                result.getBenchmarkParams().getTimeUnit(), result.getBenchmarkParams().getThreads());
    }

    /**
     * Throughput scores are ops per time unit, summed over threads. Average, sample and single-shot scores
     * are time per op, averaged over threads, so all threads together complete threads / time ops per unit.
     */
    static double opsPerSecond(Mode mode, double score, TimeUnit unit, int threads) {
        double unitSeconds = unit.toNanos(1) / 1e9;
        return switch (mode) {
            case Throughput -> score / unitSeconds;
            case AverageTime, SampleTime, SingleShotTime -> threads / (score * unitSeconds);
            default -> throw new IllegalArgumentException("no rate for JMH mode " + mode);
        };
    }
}
