package gpuenergy.sweep;

import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptions;

import java.io.IOException;
import java.nio.file.Path;

/**
 * What the launcher adds to each configuration's JMH run and result (gpuenergy.cli.SuiteRun: the energy
 * profiler, the forks' environment records, the "environment" object), so sweep results and plain results
 * have one format.
 */
public interface RunHooks {
    /** Leaves options and results as JMH makes them (tests). */
    RunHooks NONE = new RunHooks() {
        @Override
        public String configure(ChainedOptionsBuilder opts, CommandLineOptions cmd) {
            return null;
        }

        @Override
        public void finish(Path jmhJson) {
        }
    };

    /** Adds to one run's options; returns why energy is not measured, or null. */
    String configure(ChainedOptionsBuilder opts, CommandLineOptions cmd);

    /** Post-processes one finished JMH JSON result in place, before the sweep publishes it. */
    void finish(Path jmhJson) throws IOException;

    /**
     * What the benchmark itself reported about a run that produced no result (its one-line reason and its kind, e.g.
     * unavailable for FP16 on a CPU); null when it reported nothing.
     *
     * @param params every parameter of the run, as JMH passes them to the benchmark
     */
    default NotRunReport notRun(String benchmark, java.util.Map<String, String> params) {
        return null;
    }

    /** A benchmark's own account of why it did not run. */
    record NotRunReport(String reason, String kind) {
    }

    /** The GPU the runs use, as {@link #finish} names it in the results (gpu.name); null when there is none. */
    default String gpuName() {
        return null;
    }
}
