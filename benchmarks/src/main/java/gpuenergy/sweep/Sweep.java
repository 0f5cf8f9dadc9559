package gpuenergy.sweep;

import gpuenergy.run.RunHooks;
import java.io.PrintStream;

/**
 * What the parts of one sweep share: its options and benchmark, its directory, the launcher's hooks, its progress and
 * --stop-after limit, and the overhead its last run measured.
 */
final class Sweep {
    final SweepOptions options;
    final RunHooks hooks;
    final SweptBenchmark benchmark;
    final SweepDirectory directory;
    /** The JMH iterations and forks every configuration's run makes, for --stop-after's predictions. */
    final RunTime.Plan plan;
    final Progress progress;
    final StopAfter stopAfter;
    final PrintStream out;
    /** The last finished run's wall time beyond its iterations; NaN before this sweep has finished one. */
    double overheadSeconds = Double.NaN;

    Sweep(SweepOptions options, RunHooks hooks, SweptBenchmark benchmark, SweepDirectory directory, long startNanos,
          PrintStream out) {
        this.options = options;
        this.hooks = hooks;
        this.benchmark = benchmark;
        this.directory = directory;
        this.plan = RunTime.Plan.of(options.jmh(), benchmark.entry());
        this.progress = new Progress(startNanos);
        this.stopAfter = new StopAfter(options.stopAfterMillis(), startNanos, out);
        this.out = out;
    }
}
