package gpuenergy.results;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import org.openjdk.jmh.infra.BenchmarkParams;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The forked benchmark VMs' report to the launcher: one JSON line per trial appended to the file named by
 * {@code -Dgpuenergy.records} (the launcher passes it), {@code {"benchmark", "params", "environment": {...}}} (what
 * ran: libtorch, device, precision, numerics ...) or {@code {"benchmark", "params", "notrun": {"reason", "kind"}}}
 * (why not). The fork writes with the static methods (nothing without the property); the launcher reads the file
 * into an instance: per benchmark key ({@link BenchmarkResult#key}), the environment of its trials (values that differ
 * between forks joined with " | ") and why it did not run, if it said.
 */
public final class TrialRecords {
    public static final String PROPERTY = "gpuenergy.records";

    /** A benchmark's own account of why it did not run. */
    public record NotRunRecord(NotRun.Kind kind, String reason) {}

    private final Map<String, Map<String, String>> environment = new LinkedHashMap<>();
    private final Map<String, NotRunRecord> notRun = new LinkedHashMap<>();

    private TrialRecords() {}

    /** In the fork: what this trial runs with. */
    public static void environment(BenchmarkParams params, Map<String, String> environment) {
        JsonObject line = key(params);
        line.add("environment", new Gson().toJsonTree(environment));
        append(line);
    }

    /** In the fork: why this trial does not run. */
    public static void notRun(BenchmarkParams params, NotRun.Kind kind, String reason) {
        JsonObject line = key(params);
        JsonObject notrun = new JsonObject();
        notrun.addProperty("reason", reason);
        notrun.addProperty("kind", kind.label());
        line.add("notrun", notrun);
        append(line);
    }

    /** In the launcher: every record of the file; none when the file is absent (no fork reported). */
    public static TrialRecords read(Path file) throws IOException {
        TrialRecords records = new TrialRecords();
        if (file != null) {
            records.addAll(JsonLines.read(file).lines()); // a fork killed mid-write tore only the last line, left out
        }
        return records;
    }

    /** What the forks of this benchmark reported they ran with; empty when none did. */
    public Map<String, String> environment(String benchmarkKey) {
        return environment.getOrDefault(benchmarkKey, Map.of());
    }

    /** Why this benchmark did not run, as its first fork that said so said it; null when none did. */
    public NotRunRecord notRun(String benchmarkKey) {
        return notRun.get(benchmarkKey);
    }

    private void addAll(List<String> lines) {
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            String key;
            Map<String, String> reported;
            try {
                JsonObject o = JsonParser.parseString(line).getAsJsonObject();
                // the fork writes every field as a string: a value of another type is no record of it
                key = BenchmarkResult.key(JsonFile.string(o.get("benchmark"), "benchmark"),
                        JsonFile.strings(o.getAsJsonObject("params"), "params"));
                reported = JsonFile.strings(o.has("environment") ? o.getAsJsonObject("environment") : null, "environment");
                if (o.has("notrun")) {
                    JsonObject n = o.getAsJsonObject("notrun");
                    notRun.putIfAbsent(key, new NotRunRecord(NotRun.Kind.of(JsonFile.string(n.get("kind"), "notrun.kind")),
                            JsonFile.string(n.get("reason"), "notrun.reason")));
                }
            } catch (JsonParseException | IllegalStateException | IllegalArgumentException | NullPointerException
                     | ClassCastException e) {
                continue; // a line that is not a record; the others still count
            }
            if (!reported.isEmpty()) {
                Map<String, String> merged = environment.computeIfAbsent(key, k -> new LinkedHashMap<>());
                reported.forEach((k, v) -> merged.merge(k, v, (a, b) -> List.of(a.split(" \\| ")).contains(b) ? a : a + " | " + b));
            }
        }
    }

    private static JsonObject key(BenchmarkParams params) {
        JsonObject line = new JsonObject();
        line.addProperty("benchmark", params.getBenchmark());
        JsonObject p = new JsonObject();
        BenchmarkResult.params(params).forEach(p::addProperty);
        line.add("params", p);
        return line;
    }

    private static void append(JsonObject line) {
        String file = System.getProperty(PROPERTY);
        if (file == null || file.isBlank()) {
            return;
        }
        try {
            JsonLines.append(Path.of(file), line.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + PROPERTY + "=" + file, e);
        }
    }
}
