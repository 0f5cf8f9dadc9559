package gpuenergy.sweep;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import com.google.gson.reflect.TypeToken;
import gpuenergy.results.AtomicWrite;
import gpuenergy.results.SweepResults;
import gpuenergy.results.BadInputException;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.Defaults;
import org.openjdk.jmh.runner.options.CommandLineOptions;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * DIR/sweep-settings.json: how every configuration of a sweep directory is measured (JMH's forks and iterations as
 * resolved from the command line, the benchmark's annotations and JMH's defaults; --min-seconds, --min-batches; the
 * benchmark and its fixed parameters), so that --resume cannot mix settings within a ladder. What only chooses which
 * configurations run (models, engines, --min-batch, --max-batch, --stop-after) may differ: ladders are extended with
 * a larger --max-batch, or small batches filled in later.
 */
final class SweepSettings {
    static final String FILE = SweepResults.SETTINGS;

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    private SweepSettings() {}

    /** The settings as option name -> value, in the words of the command line. */
    static Map<String, String> of(SweepOptions o, BenchmarkListEntry entry) {
        CommandLineOptions jmh = o.jmh();
        Map<String, String> m = new LinkedHashMap<>();
        m.put("--benchmark", o.benchmark());
        o.fixedParams().forEach((k, v) -> m.put("-p " + k, v));
        m.put("-f", String.valueOf(RunTime.first(jmh.getForkCount(), entry.getForks(), Defaults.MEASUREMENT_FORKS)));
        m.put("-wf", String.valueOf(RunTime.first(jmh.getWarmupForkCount(), entry.getWarmupForks(), Defaults.WARMUP_FORKS)));
        m.put("-wi", String.valueOf(RunTime.first(jmh.getWarmupIterations(), entry.getWarmupIterations(), Defaults.WARMUP_ITERATIONS)));
        m.put("-w", String.valueOf(RunTime.first(jmh.getWarmupTime(), entry.getWarmupTime(), Defaults.WARMUP_TIME)));
        m.put("-i", String.valueOf(RunTime.first(jmh.getMeasurementIterations(), entry.getMeasurementIterations(),
                Defaults.MEASUREMENT_ITERATIONS)));
        m.put("--min-seconds", BigDecimal.valueOf(o.minMillis(), 3).stripTrailingZeros().toPlainString());
        m.put("--min-batches", String.valueOf(o.minBatches()));
        return m;
    }

    /**
     * Refuses, in one line, a --resume whose settings differ from those the directory was swept with; records them when
     * the directory has none (a new sweep, or a directory without them: then from this command on).
     */
    static void checkAndRecord(Path dir, Path shownDir, Map<String, String> now, boolean resume)
            throws IOException, BadInputException {
        Path file = dir.resolve(FILE);
        if (resume && Files.exists(file)) {
            Map<String, String> then;
            try {
                then = GSON.fromJson(Files.readString(file, StandardCharsets.UTF_8), new TypeToken<Map<String, String>>() {}.getType());
            } catch (JsonParseException e) {
                throw new BadInputException("--resume: " + shownDir.resolve(FILE) + " is not the settings file a sweep writes; "
                        + "restore it, or sweep into another --out");
            }
            List<String> was = new ArrayList<>();
            List<String> is = new ArrayList<>();
            for (String k : union(then, now)) {
                String a = then == null ? null : then.get(k);
                String b = now.get(k);
                if (a == null ? b != null : !a.equals(b)) {
                    was.add(k + " " + (a == null ? "(none)" : a));
                    is.add(k + " " + (b == null ? "(none)" : b));
                }
            }
            if (!was.isEmpty()) {
                throw new BadInputException("--resume: " + shownDir + " was measured with " + String.join(", ", was)
                        + "; this command gives " + String.join(", ", is) + ": its ladders would mix measurement settings; "
                        + "give the same options, or sweep into another --out");
            }
            return;
        }
        if (!Files.exists(file)) {
            AtomicWrite.writeString(file, GSON.toJson(now) + "\n");
        }
    }

    private static List<String> union(Map<String, String> a, Map<String, String> b) {
        List<String> keys = new ArrayList<>(a == null ? List.of() : a.keySet());
        b.keySet().stream().filter(k -> !keys.contains(k)).forEach(keys::add);
        return keys;
    }
}
