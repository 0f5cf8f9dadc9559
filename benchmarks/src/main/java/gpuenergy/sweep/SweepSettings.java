package gpuenergy.sweep;

import gpuenergy.results.BadInputException;
import gpuenergy.results.SweepResults;
import gpuenergy.run.RunSettings;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.Defaults;
import org.openjdk.jmh.runner.options.CommandLineOptions;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * DIR/sweep-settings.json: how every configuration of a sweep directory is measured (JMH's forks and iterations as
 * resolved from the command line, the benchmark's annotations and JMH's defaults; --min-seconds, --min-batches; the
 * benchmark and its fixed parameters; {@link RunSettings#whenGiven}'s settings where given), so that --resume cannot mix
 * settings within a ladder. What only chooses which
 * configurations run (models, engines, --min-batch, --max-batch, --stop-after) may differ: ladders are extended with
 * a larger --max-batch, or small batches filled in later.
 */
final class SweepSettings {
    static final String FILE = SweepResults.SETTINGS;
    static final RunSettings RECORD = new RunSettings(FILE, "--resume: ", "its ladders would mix measurement settings",
            "sweep into another --out");

    private SweepSettings() {}

    /** The settings as option name -> value, in the words of the command line. */
    static Map<String, String> of(SweepOptions o, BenchmarkListEntry entry) throws BadInputException {
        CommandLineOptions jmh = o.jmh();
        Map<String, String> m = new LinkedHashMap<>();
        m.put("--benchmark", o.benchmark());
        o.fixedParams().forEach((k, v) -> m.put("-p " + k, v));
        m.put("-f", String.valueOf(RunSettings.first(jmh.getForkCount(), entry.getForks(), Defaults.MEASUREMENT_FORKS)));
        m.put("-wf", String.valueOf(RunSettings.first(jmh.getWarmupForkCount(), entry.getWarmupForks(), Defaults.WARMUP_FORKS)));
        m.put("-wi", String.valueOf(RunSettings.first(jmh.getWarmupIterations(), entry.getWarmupIterations(), Defaults.WARMUP_ITERATIONS)));
        m.put("-w", String.valueOf(RunSettings.first(jmh.getWarmupTime(), entry.getWarmupTime(), Defaults.WARMUP_TIME)));
        m.put("-i", String.valueOf(RunSettings.first(jmh.getMeasurementIterations(), entry.getMeasurementIterations(),
                Defaults.MEASUREMENT_ITERATIONS)));
        m.put("--min-seconds", SweepOptions.seconds(o.minMillis()));
        m.put("--min-batches", String.valueOf(o.minBatches()));
        m.putAll(RunSettings.whenGiven(jmh));
        return m;
    }
}
