package gpuenergy.cli;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the forked benchmark VMs reported (gpuenergy.bench.TrialRecords): per benchmark key, the environment
 * of its trials (values that differ between forks are joined with " | ") and why it did not run, if so.
 */
final class TrialLog {
    final Map<String, Map<String, String>> environment = new LinkedHashMap<>();
    final Map<String, JsonObject> notRun = new LinkedHashMap<>();

    static TrialLog read(Path file) throws IOException {
        TrialLog log = new TrialLog();
        if (file != null && Files.exists(file)) {
            log.addAll(Files.readAllLines(file));
        }
        return log;
    }

    void addAll(List<String> lines) {
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            JsonObject o;
            try {
                o = JsonParser.parseString(line).getAsJsonObject();
            } catch (JsonParseException | IllegalStateException e) {
                continue; // a fork killed mid-write leaves a partial line; the others still count
            }
            String key = key(o);
            if (o.has("notrun")) {
                notRun.putIfAbsent(key, o.getAsJsonObject("notrun"));
            }
            if (o.has("environment")) {
                Map<String, String> merged = environment.computeIfAbsent(key, k -> new LinkedHashMap<>());
                for (Map.Entry<String, JsonElement> e : o.getAsJsonObject("environment").entrySet()) {
                    String v = e.getValue().getAsString();
                    merged.merge(e.getKey(), v, (a, b) -> List.of(a.split(" \\| ")).contains(b) ? a : a + " | " + b);
                }
            }
        }
    }

    /** The key of a JMH JSON entry or a trial record: benchmark name and params. */
    static String key(JsonObject entry) {
        Map<String, String> params = new LinkedHashMap<>();
        if (entry.has("params")) {
            for (Map.Entry<String, JsonElement> e : entry.getAsJsonObject("params").entrySet()) {
                params.put(e.getKey(), e.getValue().getAsString());
            }
        }
        return FailureCapture.key(entry.get("benchmark").getAsString(), params);
    }
}
