package gpuenergy.sweep;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import gpuenergy.engine.EngineSession;
import org.openjdk.jmh.runner.options.TimeValue;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * What the sweep needs from one finished configuration's JMH JSON result file (one entry, mode thrpt,
 * score in batches/s): the rate, the slowest iteration, the iteration time and the energy per image.
 *
 * @param slowestBatchesPerSecond the lowest per-iteration score over all forks (JMH's rawData)
 * @param jPerImg                 energy.J/img, NaN when the energy profiler did not run
 * @param avgW                    energy.avg-W, NaN when absent
 * @param buildSeconds            seconds the engine's build took (engine.build_seconds), NaN for engines that build none
 * @param builtInRun              the engine was built during this run (not taken from the engine cache)
 */
record Measurement(String model, String engine, int batchSize, double batchesPerSecond,
                   double slowestBatchesPerSecond, long iterationMillis, double jPerImg, double avgW,
                   double buildSeconds, boolean builtInRun) {

    Measurement(String model, String engine, int batchSize, double batchesPerSecond, double slowestBatchesPerSecond,
                long iterationMillis, double jPerImg, double avgW) {
        this(model, engine, batchSize, batchesPerSecond, slowestBatchesPerSecond, iterationMillis, jPerImg, avgW, Double.NaN, false);
    }

    static final String J_PER_IMG = "energy.J/img";
    static final String AVG_W = "energy.avg-W";

    double imagesPerSecond() {
        return batchesPerSecond * batchSize;
    }

    boolean hasEnergy() {
        return Double.isFinite(jPerImg);
    }

    /** Reads and checks a JMH JSON result file; throws with one line naming what is wrong. */
    static Measurement read(Path file) throws IOException {
        JsonElement root;
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            root = JsonParser.parseReader(r);
        } catch (JsonParseException e) {
            throw new IOException(file + " is not JSON: " + Failure.oneLine(e.getMessage()), e);
        }
        try {
            return of(root);
        } catch (RuntimeException e) {
            throw new IOException(file + " is not a one-entry JMH throughput result: " + Failure.oneLine(e.getMessage()), e);
        }
    }

    private static Measurement of(JsonElement root) {
        JsonArray entries = root.getAsJsonArray();
        if (entries.size() != 1) {
            throw new IllegalArgumentException("expected 1 entry, found " + entries.size());
        }
        JsonObject entry = entries.get(0).getAsJsonObject();
        if (!"thrpt".equals(entry.get("mode").getAsString())) {
            throw new IllegalArgumentException("mode " + entry.get("mode") + ", expected thrpt");
        }
        JsonObject params = entry.getAsJsonObject("params");
        JsonObject primary = entry.getAsJsonObject("primaryMetric");
        String unit = primary.get("scoreUnit").getAsString();
        if (!"ops/s".equals(unit)) {
            throw new IllegalArgumentException("score unit " + unit + ", expected ops/s");
        }
        double slowest = Double.POSITIVE_INFINITY;
        for (JsonElement fork : primary.getAsJsonArray("rawData")) {
            for (JsonElement iteration : fork.getAsJsonArray()) {
                slowest = Math.min(slowest, number(iteration));
            }
        }
        if (slowest == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException("no measured iterations in rawData");
        }
        TimeValue time = TimeValue.fromString(entry.get("measurementTime").getAsString());
        JsonObject secondary = entry.has("secondaryMetrics") ? entry.getAsJsonObject("secondaryMetrics") : new JsonObject();
        JsonObject env = entry.has("environment") && entry.get("environment").isJsonObject() ? entry.getAsJsonObject("environment")
                : new JsonObject();
        double build = env.has(EngineSession.BUILD_SECONDS) ? Double.parseDouble(env.get(EngineSession.BUILD_SECONDS).getAsString()) : Double.NaN;
        boolean builtInRun = env.has(EngineSession.ENGINE_CACHE) && !env.get(EngineSession.ENGINE_CACHE).getAsString().equals("hit");
        return new Measurement(params.get("model").getAsString(), params.get("engine").getAsString(),
                Integer.parseInt(params.get("batchSize").getAsString()), number(primary.get("score")), slowest,
                time.convertTo(TimeUnit.MILLISECONDS), score(secondary, J_PER_IMG), score(secondary, AVG_W), build, builtInRun);
    }

    private static double score(JsonObject secondary, String label) {
        JsonElement metric = secondary.get(label);
        return metric == null ? Double.NaN : number(metric.getAsJsonObject().get("score"));
    }

    /** JMH writes NaN and infinities as strings. */
    private static double number(JsonElement e) {
        return e.getAsJsonPrimitive().isString() ? Double.parseDouble(e.getAsString()) : e.getAsDouble();
    }
}
