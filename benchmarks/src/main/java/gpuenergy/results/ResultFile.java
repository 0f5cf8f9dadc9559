package gpuenergy.results;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a result file: the JSON array JMH writes with {@code -rf json}, optionally with an "environment"
 * object per entry. Only the fields the commands use are read; anything else JMH writes is ignored.
 * Every problem becomes a {@link BadInputException} whose message names the file and what is wrong.
 */
public final class ResultFile {
    private ResultFile() {}

    private static final String EXPECTED = "expected the JSON array JMH writes with -rf json";

    public static List<BenchmarkResult> read(Path file) throws BadInputException {
        JsonElement root = JsonFile.read(file, "", EXPECTED);
        if (!root.isJsonArray()) {
            throw new BadInputException(file + ": not a JMH result file; " + EXPECTED);
        }
        JsonArray entries = root.getAsJsonArray();
        if (entries.isEmpty()) {
            throw new BadInputException(file + ": contains no benchmark results (empty array)");
        }
        List<BenchmarkResult> results = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            try {
                results.add(entry(entries.get(i).getAsJsonObject()));
            } catch (RuntimeException e) {
                throw new BadInputException(file + ": entry " + i + " is not a JMH result ("
                        + firstLine(String.valueOf(e.getMessage())) + "); " + EXPECTED);
            }
        }
        return results;
    }

    /**
     * The not-run list that belongs to a result file, or null when there is none: the sibling
     * {@code <result>.notrun.json} or, next to a sweep's result files, {@code sweep.notrun.json}.
     */
    public static Path notRunListOf(Path resultFile) {
        // "<result>.notrun.json": run.json -> run.notrun.json; also accept run.json.notrun.json.
        String name = resultFile.getFileName().toString();
        String stem = name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
        // a sweep writes one result file per batch size and one sweep.notrun.json for all of them
        for (String candidate : List.of(stem + ".notrun.json", name + ".notrun.json", "sweep.notrun.json")) {
            Path sibling = resultFile.resolveSibling(candidate);
            if (Files.exists(sibling)) {
                return sibling;
            }
        }
        return null;
    }

    /** A not-run list given where a result file was expected, e.g. by {@code report sweep/*.json}. */
    public static boolean isNotRunList(Path file) {
        return file.getFileName().toString().endsWith(".notrun.json");
    }

    /**
     * The lines of one not-run list ({@code <result>.notrun.json} or {@code sweep.notrun.json}): benchmarks that were
     * asked for but produced no result. An unreadable list gives a line saying so (a report must not hide that
     * something was not measured).
     */
    public static List<String> notRunLines(Path list) {
        try {
            return readNotRun(list).stream().map(NotRun::line).toList();
        } catch (IOException | RuntimeException e) {
            return List.of(list + ": unreadable list of benchmarks not run (" + firstLine(e instanceof IOException
                    ? String.valueOf(e.getMessage()) : "not a JSON array of {benchmark, params, reason, kind}") + ")");
        }
    }

    /** The entries of one not-run list; none when it is unreadable (its {@link #notRunLines} say so). */
    public static List<NotRun> notRunEntries(Path list) {
        try {
            return readNotRun(list);
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    private static List<NotRun> readNotRun(Path list) throws IOException {
        List<NotRun> entries = new ArrayList<>();
        JsonElement root;
        try {
            root = JsonFile.read(list, "", "expected a JSON array of {benchmark, params, reason, kind}");
        } catch (BadInputException e) {
            throw new IOException(e.getMessage().substring(list.toString().length() + 2), e);
        }
        for (JsonElement e : root.getAsJsonArray()) {
            JsonObject o = e.getAsJsonObject();
            entries.add(new NotRun(str(o, "benchmark"), strings(o.getAsJsonObject("params")), str(o, "kind"),
                    str(o, "reason"), gpu(o)));
        }
        return entries;
    }

    private static BenchmarkResult entry(JsonObject o) {
        String benchmark = required(o, "benchmark").getAsString();
        String mode = o.has("mode") ? o.get("mode").getAsString() : "thrpt";
        TreeMap<String, String> params = new TreeMap<>(strings(o.getAsJsonObject("params")));
        Metric primary = metric(required(o, "primaryMetric").getAsJsonObject());
        Map<String, Metric> secondary = new LinkedHashMap<>();
        if (o.has("secondaryMetrics")) {
            int iterations = primary.samples().length;
            for (Map.Entry<String, JsonElement> e : o.getAsJsonObject("secondaryMetrics").entrySet()) {
                Metric m = metric(e.getValue().getAsJsonObject());
                int n = m.samples().length;
                // JMH fills a scalar metric missing from an iteration with 0 and averages it in (some result files
                // lack an iteration whose power readings did not cover it): with 1 of 2 iterations, JMH's score is
                // half the measured value. The mean of the reported samples is not. A NaN score is kept: the
                // profiler's J/img figures are NaN when an iteration lacks them, which a mean of the rest would hide.
                boolean diluted = n > 0 && n < iterations && !Double.isNaN(m.score());
                secondary.put(e.getKey(), diluted ? Metric.ofSamples(m.unit(), m.rawData()) : m);
            }
        }
        return new BenchmarkResult(benchmark, mode, params, primary, secondary,
                strings(o.getAsJsonObject("environment")));
    }

    private static Metric metric(JsonObject m) {
        double score = number(required(m, "score"));
        double lo = Double.NaN;
        double hi = Double.NaN;
        if (m.has("scoreConfidence") && m.get("scoreConfidence").isJsonArray()) {
            JsonArray c = m.getAsJsonArray("scoreConfidence");
            lo = number(c.get(0));
            hi = number(c.get(1));
        }
        List<List<Double>> raw = new ArrayList<>();
        if (m.has("rawData")) {
            for (JsonElement fork : m.getAsJsonArray("rawData")) {
                List<Double> values = new ArrayList<>();
                for (JsonElement v : fork.getAsJsonArray()) {
                    values.add(number(v));
                }
                raw.add(values);
            }
        }
        String unit = m.has("scoreUnit") ? m.get("scoreUnit").getAsString() : "";
        return new Metric(score, lo, hi, unit, raw);
    }

    /** JMH writes NaN as the string "NaN"; Gson's getAsDouble parses that too. */
    private static double number(JsonElement e) {
        return e.getAsDouble();
    }

    private static JsonElement required(JsonObject o, String field) {
        JsonElement e = o.get(field);
        if (e == null || e.isJsonNull()) {
            throw new IllegalArgumentException("no \"" + field + "\" field");
        }
        return e;
    }

    private static Map<String, String> strings(JsonObject o) {
        Map<String, String> map = new LinkedHashMap<>();
        if (o != null) {
            for (Map.Entry<String, JsonElement> e : o.entrySet()) {
                map.put(e.getKey(), e.getValue().isJsonPrimitive() ? e.getValue().getAsString() : e.getValue().toString());
            }
        }
        return map;
    }

    /** A not-run entry's GPU; null when it names none (lists written before entries named their GPU). */
    private static String gpu(JsonObject o) {
        JsonElement g = o.get(NotRun.GPU);
        return g == null || g.isJsonNull() ? null : g.getAsString();
    }

    private static String str(JsonObject o, String field) {
        return o.has(field) ? o.get(field).getAsString() : "?";
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
