package gpuenergy.sweep;

import gpuenergy.run.RunSettings;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.Defaults;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.TimeValue;

import java.util.concurrent.TimeUnit;

/**
 * The predicted wall time of one configuration's JMH run, for --stop-after. The sweep starts a configuration
 * only when it predicts the run to end before the deadline: a run killed midway loses everything it measured
 * (its .partial file), and a later call with the same deadline would start it again, and lose it again.
 *
 * A throughput iteration configured for T runs until T has passed and then finishes its current batch, and
 * runs at least one batch: it lasts about max(T, batch time), warm-up and measured iterations alike, in every
 * fork. Everything else a run spends (forked VM start, model load, cuDNN's algorithm search at a large batch, the
 * profiler's idle and settle pauses, result writing) is an overhead per run, measured on the previous rung: on its run
 * in this sweep, or, for a rung an earlier sweep measured, on the wall time that sweep's log recorded for it.
 */
final class RunTime {
    /** Overhead assumed before this sweep has finished a run: a forked VM that loads a model, with head room. */
    static final double DEFAULT_OVERHEAD_SECONDS = 15;

    private RunTime() {}

    /**
     * What a run's duration depends on besides its iteration time, resolved as JMH resolves it: the sweep's
     * JMH options (-f, -wf, -wi, -w, -i), else the benchmark's annotations, else JMH's defaults.
     *
     * @param forks forks that run iterations: measured forks plus warm-up forks (-wf), which run the same iterations
     */
    record Plan(int forks, int warmupIterations, long warmupMillis, int iterations) {
        static Plan of(CommandLineOptions jmh, BenchmarkListEntry entry) {
            int forks = RunSettings.first(jmh.getForkCount(), entry.getForks(), Defaults.MEASUREMENT_FORKS);
            int warmupForks = RunSettings.first(jmh.getWarmupForkCount(), entry.getWarmupForks(), Defaults.WARMUP_FORKS);
            TimeValue warmup = RunSettings.first(jmh.getWarmupTime(), entry.getWarmupTime(), Defaults.WARMUP_TIME);
            return new Plan(Math.max(1, forks) + Math.max(0, warmupForks),
                    RunSettings.first(jmh.getWarmupIterations(), entry.getWarmupIterations(), Defaults.WARMUP_ITERATIONS),
                    warmup.convertTo(TimeUnit.MILLISECONDS),
                    RunSettings.first(jmh.getMeasurementIterations(), entry.getMeasurementIterations(), Defaults.MEASUREMENT_ITERATIONS));
        }
    }

    /**
     * Seconds a batch of {@code batch} images is predicted to take, from the previous rung's slowest iteration
     * (as {@link IterationTime#chooseMillis} predicts: images per second assumed not to improve, so it errs long).
     *
     * @return 0 when there is no previous rung: then only the configured iteration times count, a lower bound
     */
    static double batchSeconds(Measurement previous, int batch) {
        if (previous == null || !(previous.slowestBatchesPerSecond() > 0)) {
            return 0;
        }
        return batch / (previous.slowestBatchesPerSecond() * previous.batchSize());
    }

    /** Warm-up and measured iterations of all forks: each lasts its configured time, or one batch if that is longer. */
    static double iterationSeconds(Plan p, long iterationMillis, double batchSeconds) {
        double warmup = p.warmupIterations() * Math.max(p.warmupMillis() / 1000.0, batchSeconds);
        double measured = p.iterations() * Math.max(iterationMillis / 1000.0, batchSeconds);
        return p.forks() * (warmup + measured);
    }

    /** A finished run's wall time beyond its own iterations (predicted from its own measured rate); never negative. */
    static double overheadSeconds(double runSeconds, double ownIterationSeconds) {
        return Math.max(0, runSeconds - ownIterationSeconds);
    }

    /**
     * The overhead of a run an earlier sweep finished: the wall time its log line records, less its own iterations at
     * its own measured rate (as for a run of this sweep), with this sweep's plan (a sweep directory has one protocol).
     *
     * @param runSeconds that run's wall time (SweepLog.Entry#seconds, less the short runs before it)
     */
    static double recordedOverheadSeconds(Plan p, Measurement run, double runSeconds) {
        return overheadSeconds(runSeconds, iterationSeconds(p, run.iterationMillis(), 1 / run.batchesPerSecond()));
    }

    /**
     * Seconds to add to the previous rung's overhead for this rung's engine build: an engine built per batch size (TensorRT)
     * is built in the trial's setup when it is not cached. A previous rung that built its engine has the build in its
     * overhead already; one whose engine came from the cache has not, and its recorded build time stands for this one's;
     * the first rung assumes the engine's longest build. It errs long, as the rest of the prediction does.
     *
     * @param whenUncached the engine's {@code buildSecondsWhenUncached()}: 0 for engines that build nothing
     */
    static double buildSeconds(double whenUncached, Measurement previous) {
        if (whenUncached <= 0) {
            return 0;
        }
        if (previous == null) {
            return whenUncached;
        }
        if (previous.builtInRun()) {
            return 0;
        }
        return Double.isFinite(previous.buildSeconds()) ? previous.buildSeconds() : whenUncached;
    }

    /**
     * @param overheadSeconds the previous run's overhead; NaN when this sweep has finished no run yet and the
     *                        previous rung, if any, has no recorded wall time
     */
    static double predictSeconds(Plan p, long iterationMillis, double batchSeconds, double overheadSeconds) {
        double overhead = Double.isNaN(overheadSeconds) ? DEFAULT_OVERHEAD_SECONDS : overheadSeconds;
        return overhead + iterationSeconds(p, iterationMillis, batchSeconds);
    }
}
