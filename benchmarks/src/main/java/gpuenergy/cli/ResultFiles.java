package gpuenergy.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import gpuenergy.results.NotRun;
import gpuenergy.sweep.AtomicWrite;
import org.openjdk.jmh.infra.BenchmarkParams;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Post-processing of a finished run: the environment into JMH's JSON, and the list of benchmarks that did not run. */
final class ResultFiles {
    private ResultFiles() {}

    /** Adds {"environment": host + fork} to every entry of a JMH JSON result (the entries are kept as JMH wrote them). */
    static JsonArray withEnvironment(JsonArray results, Map<String, String> host, TrialLog log) {
        JsonArray out = results.deepCopy();
        for (JsonElement e : out) {
            JsonObject entry = e.getAsJsonObject();
            JsonObject env = new JsonObject();
            host.forEach(env::addProperty);
            log.environment.getOrDefault(TrialLog.key(entry), Map.of()).forEach(env::addProperty);
            entry.add("environment", env);
        }
        return out;
    }

    /**
     * One entry per started benchmark without a result: the fork's own reason if it gave one, else JMH's failure line;
     * with the run's GPU (null: none) unless the benchmark ran on the CPU.
     */
    static JsonArray notRun(Map<String, BenchmarkParams> started, Set<String> succeeded, Map<String, String> failureLines,
                            TrialLog log, String gpuName) {
        JsonArray out = new JsonArray();
        for (Map.Entry<String, BenchmarkParams> s : started.entrySet()) {
            if (succeeded.contains(s.getKey())) {
                continue;
            }
            BenchmarkParams p = s.getValue();
            JsonObject entry = new JsonObject();
            entry.addProperty("benchmark", p.getBenchmark());
            JsonObject params = new JsonObject();
            for (String k : p.getParamsKeys()) {
                params.addProperty(k, p.getParam(k));
            }
            entry.add("params", params);
            JsonObject reported = log.notRun.get(s.getKey());
            String reason = reported != null ? reported.get("reason").getAsString()
                    : failureLines.getOrDefault(s.getKey(), "failed without a message; see the JMH output");
            entry.addProperty("reason", reason);
            entry.addProperty("kind", reported != null ? reported.get("kind").getAsString() : "error");
            String gpu = NotRun.gpuFor(p.getParam("device"), gpuName);
            if (gpu != null) {
                entry.addProperty(NotRun.GPU, gpu);
            }
            out.add(entry);
        }
        return out;
    }

    /** {@code run.json} -> {@code run.notrun.json}; any other name gets {@code .notrun.json} appended. */
    static Path notRunFile(Path result) {
        String name = result.getFileName().toString();
        String stem = name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
        return result.resolveSibling(stem + ".notrun.json");
    }

    static JsonArray read(Path file) throws IOException {
        return JsonParser.parseString(Files.readString(file)).getAsJsonArray();
    }

    /** Writes through a sibling file and a rename, so a failure or a kill never leaves a half-written result. */
    static void write(Path file, JsonArray content) throws IOException {
        AtomicWrite.writeString(file.toAbsolutePath(),
                new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(content) + "\n");
    }

    static List<String> describe(JsonArray notRun) {
        List<String> lines = new ArrayList<>();
        for (JsonElement e : notRun) {
            JsonObject o = e.getAsJsonObject();
            String bench = o.get("benchmark").getAsString();
            StringBuilder params = new StringBuilder();
            for (Map.Entry<String, JsonElement> p : o.getAsJsonObject("params").entrySet()) {
                params.append(params.length() == 0 ? "" : ", ").append(p.getKey()).append('=').append(p.getValue().getAsString());
            }
            lines.add(bench.substring(bench.lastIndexOf('.', bench.lastIndexOf('.') - 1) + 1) + " (" + params + ") ["
                    + o.get("kind").getAsString() + "]: " + o.get("reason").getAsString());
        }
        return lines;
    }
}
