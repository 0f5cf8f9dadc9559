package gpuenergy.run;

import com.google.gson.JsonArray;
import gpuenergy.results.BadInputException;
import gpuenergy.results.GpuModel;
import gpuenergy.results.ResultFile;
import gpuenergy.results.TrialRecords;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptions;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What the launcher adds to each configuration's JMH run and result (gpuenergy.cli.SuiteRun: the energy
 * profiler, the forks' environment records, the "environment" object), so that sweep, overhead and plain results
 * have one format.
 */
public interface RunHooks {
    /** Leaves options and results as JMH makes them. */
    RunHooks NONE = new RunHooks() {};

    /**
     * Starts one configuration's run: what the hooks keep of a run (the forks' trial records) starts empty, so that
     * {@link #notRun} and {@link #finish} speak of this run only, not of an earlier run of the same parameters (an
     * overhead command runs each configuration once per variant and round).
     */
    default void startRun() throws IOException {
    }

    /** Adds to one run's options, the energy profiler included where it can measure; returns why energy is not measured, or null. */
    default String configure(ChainedOptionsBuilder opts, CommandLineOptions cmd) {
        return configure(opts, cmd, true);
    }

    /**
     * Adds to one run's options; returns why energy is not measured, or null.
     *
     * @param addEnergy add the energy profiler by itself where a GPU can be measured and {@code cmd} names no profiler;
     *                  false: the run has exactly the profilers {@code cmd} names, none included
     */
    default String configure(ChainedOptionsBuilder opts, CommandLineOptions cmd, boolean addEnergy) {
        return null;
    }

    /**
     * -prof's values as the launcher passes them on: its short profiler names ({@code energy[:opts]}) expanded, and the
     * energy profiler after the others, so that its window holds none of their reads.
     */
    default List<String> profilers(List<String> given) {
        return given;
    }

    /**
     * Post-processes one finished JMH JSON result in place, before the caller publishes it: its entries as
     * {@link #withEnvironment} makes them, the one thing the hooks add to a result and to the measured iterations of a
     * run that has not finished alike.
     */
    default void finish(Path jmhJson) throws IOException {
        try {
            ResultFile.write(jmhJson, withEnvironment(ResultFile.readJson(jmhJson)));
        } catch (BadInputException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /**
     * JMH's JSON entries with what the hooks add to a result (the suite's "environment" object), for {@link #finish} and
     * for the measured iterations of a run that has not finished ({@link UnfinishedIterations}); as they are by default.
     * Unchecked, so it can be a function.
     */
    default JsonArray withEnvironment(JsonArray jmh) {
        return jmh;
    }

    /**
     * What the benchmark itself recorded about a run that produced no result (its kind and one-line reason, e.g.
     * unavailable for FP16 on a CPU); null when it recorded nothing.
     *
     * @param params every parameter of the run, as JMH passes them to the benchmark
     */
    default TrialRecords.NotRunRecord notRun(String benchmark, Map<String, String> params) {
        return null;
    }

    /**
     * The GPU a benchmark with this device value (auto, gpu:N ...; null: none given) runs on and is measured on, as
     * {@link #finish} names it in the results (gpu.name); null without a GPU. Not-run entries name its
     * {@link #gpuModel}.
     */
    default String gpuName(String device) {
        return null;
    }

    /** That GPU's board (gpu.uuid): what the sweep's log keys its lines by and locks while it measures; null when none. */
    default String gpuUuid(String device) {
        return null;
    }

    /** That GPU's MIG mode (gpu.mig_mode), which a resumed sweep tells GPU models apart by; null when none. */
    default String gpuMigMode(String device) {
        return null;
    }

    /**
     * The profile of the MIG instance the benchmark runs on (gpu.mig_profile), which a resumed sweep tells instances of
     * one board apart by; null when none.
     */
    default String gpuMigProfile(String device) {
        return null;
    }

    /**
     * That GPU's model ({@link GpuModel}: its name, and a MIG instance's profile), as not-run entries name it
     * ({@link gpuenergy.results.NotRun#gpuFor}) and the report groups results; null without a GPU.
     */
    default String gpuModel(String device) {
        return GpuModel.of(gpuName(device), gpuMigMode(device), gpuMigProfile(device));
    }

    /**
     * The class a sweep's child process runs ({@code sweep --gpus}: one per GPU), so that the child gets these hooks
     * too; its main method takes "sweep" and the sweep's arguments. Null: the sweep's own command, without hooks.
     */
    default String mainClass() {
        return null;
    }
}
