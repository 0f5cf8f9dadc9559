package gpuenergy.results;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import gpuenergy.profile.EnvironmentKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * A result file: the JSON array JMH writes with {@code -rf json}, with an "environment" object per entry that the
 * launcher adds ({@link #withEnvironment}). Reading keeps only the fields the commands use; anything else JMH writes is
 * ignored. Every problem becomes a {@link BadInputException} whose message names the file and what is wrong.
 */
public final class ResultFile {
    private ResultFile() {}

    private static final String EXPECTED = "expected the JSON array JMH writes with -rf json";

    public static List<BenchmarkResult> read(Path file) throws BadInputException {
        JsonArray entries = readJson(file);
        if (entries.isEmpty()) {
            throw new BadInputException(file + ": contains no benchmark results (empty array)");
        }
        List<BenchmarkResult> results = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            BenchmarkResult r;
            try {
                r = entry(entries.get(i).getAsJsonObject());
            } catch (RuntimeException e) {
                throw new BadInputException(file + ": entry " + i + " is not a JMH result ("
                        + firstLine(String.valueOf(e.getMessage())) + "); " + EXPECTED);
            }
            String unfinished = r.environment().get(EnvironmentKeys.UNFINISHED);
            if (unfinished != null) {
                throw new BadInputException(file + ": entry " + i + " is a benchmark that did not finish (" + unfinished
                        + "): its measured iterations are kept there, but they are no result");
            }
            results.add(r);
        }
        return results;
    }

    /** The file's entries as JMH wrote them (the launcher adds the environment to them). */
    public static JsonArray readJson(Path file) throws BadInputException {
        JsonElement root = JsonFile.read(file, "", EXPECTED);
        if (!root.isJsonArray()) {
            throw new BadInputException(file + ": not a JMH result file; " + EXPECTED);
        }
        return root.getAsJsonArray();
    }

    /** Writes the entries whole, through a sibling file and a rename: a failure or a kill never leaves half a result. */
    public static void write(Path file, JsonArray entries) throws IOException {
        AtomicWrite.writeString(file.toAbsolutePath(),
                new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(entries) + "\n");
    }

    /**
     * What an earlier run's file NAME.json is renamed to as it is set aside: NAME.earlier.json, which
     * {@link AtomicWrite#setAside} numbers NAME.earlier.N.json where it is taken.
     */
    private static final String EARLIER = ".earlier";
    /** The names {@link #EARLIER} gives, numbered as {@link AtomicWrite#setAside} numbers them. */
    private static final String EARLIER_NAMES = Pattern.quote(EARLIER) + "(\\.\\d+)?\\.json";
    private static final String UNFINISHED = ".unfinished";

    /**
     * A file set aside as an earlier run's: a result ({@link #setAsideAsEarlier}) or an unfinished file
     * ({@link #setAsideUnfinished}): NAME.earlier[.N].json.
     */
    public static boolean isEarlierRun(Path file) {
        return file.getFileName() != null && file.getFileName().toString().matches(".*" + EARLIER_NAMES);
    }

    /**
     * Where the measured iterations of a run's benchmarks that are not in {@code result} yet are kept
     * (gpuenergy.run.UnfinishedIterations): NAME.unfinished.json beside NAME.json.
     */
    public static Path unfinishedBeside(Path result) {
        return result.resolveSibling(stem(result) + UNFINISHED + ".json");
    }

    /** Whether {@code file} is named as {@link #unfinishedBeside} names one, or one set aside: NAME.unfinished.earlier[.N].json. */
    public static boolean isUnfinished(Path file) {
        return file.getFileName() != null
                && file.getFileName().toString().matches(".*" + Pattern.quote(UNFINISHED) + "(\\.json|" + EARLIER_NAMES + ")");
    }

    /**
     * Sets an earlier run's unfinished file ({@link #unfinishedBeside}) aside, so that a new run of the same name neither
     * replaces it nor is read with it: NAME.unfinished.json becomes NAME.unfinished.earlier.json, or the first free
     * NAME.unfinished.earlier.N.json. Returns where it went.
     */
    public static Path setAsideUnfinished(Path unfinished) throws IOException {
        return AtomicWrite.setAside(unfinished, unfinished.toAbsolutePath().getParent(), stem(unfinished) + EARLIER + ".json");
    }

    /**
     * Sets an earlier run's result aside, with its not-run list: NAME.json becomes NAME.earlier.json (or the first free
     * NAME.earlier.N.json) and NAME.notrun.json the list beside that. Returns where the result went.
     */
    public static Path setAsideAsEarlier(Path result) throws IOException {
        Path dir = result.toAbsolutePath().getParent();
        Path list = NotRunList.besides(result);
        Path aside = AtomicWrite.setAside(result, dir, stem(result) + EARLIER + ".json");
        if (Files.isRegularFile(list)) {
            AtomicWrite.setAside(list, dir, NotRunList.besides(aside).getFileName().toString());
        }
        return aside;
    }

    /**
     * JMH's entries with {"environment": host + what the benchmark's forks reported}, in that order; the entries
     * otherwise as JMH wrote them.
     */
    public static JsonArray withEnvironment(JsonArray jmh, Map<String, String> host, TrialRecords records) {
        JsonArray out = jmh.deepCopy();
        for (JsonElement e : out) {
            JsonObject entry = e.getAsJsonObject();
            JsonObject env = new JsonObject();
            host.forEach(env::addProperty);
            String key = BenchmarkResult.key(entry.get("benchmark").getAsString(),
                    JsonFile.strings(entry.getAsJsonObject("params")));
            records.environment(key).forEach(env::addProperty);
            entry.add("environment", env);
        }
        return out;
    }

    private static BenchmarkResult entry(JsonObject o) {
        String benchmark = required(o, "benchmark").getAsString();
        String mode = o.has("mode") ? o.get("mode").getAsString() : "thrpt";
        TreeMap<String, String> params = new TreeMap<>(JsonFile.strings(o.getAsJsonObject("params")));
        Metric primary = metric(required(o, "primaryMetric").getAsJsonObject());
        Map<String, Metric> secondary = new LinkedHashMap<>();
        if (o.has("secondaryMetrics")) {
            int iterations = primary.samples().length;
            for (Map.Entry<String, JsonElement> e : o.getAsJsonObject("secondaryMetrics").entrySet()) {
                Metric m = metric(e.getValue().getAsJsonObject());
                int n = m.samples().length;
                // JMH fills a scalar metric missing from an iteration with 0 and averages it in: with 1 of 2
                // iterations, JMH's score is half the measured value. The profiler emits every label in every
                // iteration, but files of builds that left some out exist; for them the mean of the reported samples
                // is the figure (for a J/img of such a file, the mean of its iterations' ratios: the rates of the
                // missing iterations are not in the file). A NaN score is kept: it says an iteration lacked it.
                boolean diluted = n > 0 && n < iterations && !Double.isNaN(m.score());
                secondary.put(e.getKey(), diluted ? Metric.ofSamples(m.unit(), m.rawData()) : m);
            }
        }
        long measurementMillis = o.has("measurementTime")
                ? TimeValue.fromString(o.get("measurementTime").getAsString()).convertTo(TimeUnit.MILLISECONDS) : -1;
        return new BenchmarkResult(benchmark, mode, params, primary, secondary,
                JsonFile.strings(o.getAsJsonObject("environment")), measurementMillis);
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

    /** NAME of NAME.json; a name without .json whole. */
    private static String stem(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".json") ? name.substring(0, name.length() - ".json".length()) : name;
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
