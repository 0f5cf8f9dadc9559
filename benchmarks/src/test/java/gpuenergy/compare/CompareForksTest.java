package gpuenergy.compare;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import gpuenergy.results.BenchmarkResult;
import gpuenergy.results.ResultFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gate on recorded H200 runs of one configuration, ResNet-50 pytorch-fp16 at batch 1, where the host sets the pace
 * (src/test/resources/h200/b1-runs: the overhead command's runs without a profiler, with lean and with continuous
 * sampling, two rounds each, one fork of 8 x 1 s iterations per run). The two runs without a profiler differ by 49 %
 * (means of their iterations) while each one's iterations spread by 8-9 % (CV): an interval over iterations calls that
 * a change.
 */
class CompareForksTest {
    static final Path RUNS = Path.of("src/test/resources/h200/b1-runs");

    @TempDir
    Path tmp;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** What compare printed for {@code base} against {@code cand}, once its exit status is {@code rc}. */
    private String compared(int rc, Path base, Path cand) {
        int exit = CompareCommand.run(new String[] {base.toString(), cand.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream(), true,
                        StandardCharsets.UTF_8));
        String o = out.toString(StandardCharsets.UTF_8);
        assertEquals(rc, exit, o);
        return o;
    }

    /** One result of the runs' only benchmark with each run's iterations as a fork ({@code asForks}) or as one fork. */
    private Path merged(String name, boolean asForks, String... runs) throws IOException {
        JsonObject entry = null;
        for (String run : runs) {
            JsonObject e = JsonParser.parseString(Files.readString(RUNS.resolve("pytorch-fp16-b1." + run + ".json")))
                    .getAsJsonArray().get(0).getAsJsonObject();
            if (entry == null) {
                entry = e;
                continue;
            }
            append(entry.getAsJsonObject("primaryMetric"), e.getAsJsonObject("primaryMetric"), asForks);
            for (Map.Entry<String, com.google.gson.JsonElement> m : e.getAsJsonObject("secondaryMetrics").entrySet()) {
                if (!entry.getAsJsonObject("secondaryMetrics").has(m.getKey())) {
                    continue; // a metric the first run lacks (the energy profiler's, after a run without it) is left out
                }
                append(entry.getAsJsonObject("secondaryMetrics").getAsJsonObject(m.getKey()), m.getValue().getAsJsonObject(), asForks);
            }
        }
        entry.addProperty("forks", asForks ? runs.length : 1);
        JsonArray file = new JsonArray();
        file.add(entry);
        Path p = tmp.resolve(name + ".json");
        Files.writeString(p, file.toString());
        return p;
    }

    private static void append(JsonObject into, JsonObject from, boolean asFork) {
        JsonArray raw = into.getAsJsonArray("rawData");
        JsonArray more = from.getAsJsonArray("rawData").get(0).getAsJsonArray();
        if (asFork) {
            raw.add(more);
        } else {
            raw.get(0).getAsJsonArray().addAll(more);
        }
    }

    @Test
    void twoRunsOfOneConfigurationWithOneForkEachReadAsAChangeAndTheGateSaysWhy() {
        // nothing differs but the fork: 234 -> 349 img/s (means of the iterations), called significant over iterations
        String o = compared(0, RUNS.resolve("pytorch-fp16-b1.r1.off.json"), RUNS.resolve("pytorch-fp16-b1.r2.off.json"));
        assertTrue(o.contains("  img/s  234.4 -> 348.5  +48.67% [+22.46%, +74.88%]  improvement\n"), o);
        assertTrue(o.contains("1 benchmark ran fewer than 3 forks on a side (-f): their intervals treat iterations as independent"), o);
        assertFalse(o.contains("host's pace"), "runs without the energy profiler have no busy figure");
    }

    /**
     * The lean-sampling runs of the same two rounds: their GPU busy figure (about a third of each window) shows the
     * host's pace, and with one fork a side the gate passes neither img/s nor J/img, and says why, rather than read the
     * forks' difference as no change.
     */
    @Test
    void oneForkASideAtTheHostsPaceIsNotJudged() {
        String o = compared(CompareCommand.NOT_JUDGED, RUNS.resolve("pytorch-fp16-b1.r1.lean.json"),
                RUNS.resolve("pytorch-fp16-b1.r2.lean.json"));
        String why = "  not judged: over iterations at the host's pace (GPU busy 34 % -> 34 %), where forks lie further "
                + "apart than iterations; run -f 3 or more, of equal length, on both sides\n";
        // the figures docs/report.md quotes
        assertTrue(o.contains("\n  img/s  288.6 -> 297.2  +2.99% [-30.80%, +36.77%]" + why), o);
        assertTrue(o.matches("(?s).*\n  J/img  [0-9.]+ -> [0-9.]+  [-+][0-9.]+% \\[[-+][0-9.]+%, [-+][0-9.]+%\\]"
                + java.util.regex.Pattern.quote(why) + ".*"), o);
        assertTrue(o.contains("exit 3: nothing regressed, but 2 metrics could not be judged"), o);
    }

    /** One of {@code run}'s files with its img/s scaled and its GPU busy set, one iteration's busy unknown where asked. */
    private Path edited(Path run, String name, double scale, double busy, boolean oneBusyUnknown) throws IOException {
        JsonArray file = JsonParser.parseString(Files.readString(run)).getAsJsonArray();
        JsonObject entry = file.get(0).getAsJsonObject();
        JsonArray iterations = entry.getAsJsonObject("primaryMetric").getAsJsonArray("rawData").get(0).getAsJsonArray();
        for (int i = 0; i < iterations.size(); i++) {
            iterations.set(i, new com.google.gson.JsonPrimitive(iterations.get(i).getAsDouble() * scale));
        }
        JsonObject busyMetric = entry.getAsJsonObject("secondaryMetrics").getAsJsonObject("energy.gpu-busy-%");
        JsonArray busyIterations = busyMetric.getAsJsonArray("rawData").get(0).getAsJsonArray();
        for (int i = 0; i < busyIterations.size(); i++) {
            busyIterations.set(i, oneBusyUnknown && i == 0 ? new com.google.gson.JsonPrimitive("NaN") : new com.google.gson.JsonPrimitive(busy));
        }
        if (oneBusyUnknown) {
            busyMetric.addProperty("score", "NaN");
        } else {
            busyMetric.addProperty("score", busy);
        }
        Path p = tmp.resolve(name + ".json");
        Files.writeString(p, file.toString());
        return p;
    }

    static final Path B128 = Path.of("src/test/resources/h200/b128-runs");

    /** Two GPU-bound runs (GPU busy 97 %), one fork a side: judged over iterations, as the CI example in the docs. */
    @Test
    void oneForkASideAtTheGpusPaceIsJudged() {
        String o = compared(0, B128.resolve("pytorch-fp16-b128.r1.lean.json"), B128.resolve("pytorch-fp16-b128.r2.lean.json"));
        assertTrue(o.contains("  img/s  15460 -> 15435  -0.16% [-1.01%, +0.68%]  ok (within noise)\n"), o);
        assertFalse(o.contains("host's pace"), o);
    }

    /**
     * A candidate 40 % slower whose GPU fell from 97 % to 60 % busy: the host now sets its pace, and the fall is still a
     * regression (exit 1), to be confirmed over forks; a gate never passes a regression it shows.
     */
    @Test
    void aRegressionIntoTheHostsPaceFailsTheGate() throws Exception {
        Path slow = edited(B128.resolve("pytorch-fp16-b128.r2.lean.json"), "slow", 0.6, 60, false);
        String o = compared(1, B128.resolve("pytorch-fp16-b128.r1.lean.json"), slow);
        assertTrue(o.contains("-40.10% [-40.95%, -39.24%]  REGRESSION over iterations at the host's pace (GPU busy 97 % "
                + "-> 60 %), where forks lie further apart than iterations: confirm with -f 3 or more, of equal length, "
                + "on both sides\n"), o);
        assertTrue(o.contains("1 regression"), o);
    }

    /** A window without a busy figure leaves the others to tell the pace: the rule holds. */
    @Test
    void oneUnknownBusyWindowDoesNotHideTheHostsPace() throws Exception {
        Path base = edited(RUNS.resolve("pytorch-fp16-b1.r1.lean.json"), "base", 1, 34, true);
        String o = compared(CompareCommand.NOT_JUDGED, base, RUNS.resolve("pytorch-fp16-b1.r2.lean.json"));
        assertTrue(o.contains("not judged: over iterations at the host's pace (GPU busy 34 % -> 34 %)"), o);
    }

    /** Three forks a side, each with a busy figure: the forks' means are the samples, host's pace or not. */
    @Test
    void threeForksASideAtTheHostsPaceAreJudgedOverForks() throws Exception {
        String o = compared(CompareCommand.NOT_JUDGED, merged("e3a", true, "r1.lean", "r1.continuous", "r2.continuous"),
                merged("e3b", true, "r2.lean", "r1.lean", "r2.continuous"));
        assertTrue(o.contains("over forks  not judged: too noisy to rule out a fall over 3.00%"), o);
        assertFalse(o.contains("host's pace"), o);
    }

    /** J/img's linearised iterations split as the throughput's forks: the samples the interval over forks takes. */
    @Test
    void joulesPerImageComeForkByFork() throws Exception {
        BenchmarkResult two = ResultFile.read(merged("lean", true, "r1.lean", "r2.lean")).get(0);
        List<double[]> forks = two.joulesPerImageForks();
        assertEquals(List.of(8, 8), forks.stream().map(f -> f.length).toList());
        assertArrayEquals(two.joulesPerImageSamples(), forks.stream().flatMapToDouble(java.util.Arrays::stream).toArray());
        assertEquals(List.of(8, 8), two.imagesPerSecond().forks().stream().map(f -> f.length).toList());

        String o = compared(CompareCommand.NOT_JUDGED, merged("continuous", true, "r1.continuous", "r2.continuous"),
                merged("lean-2", true, "r1.lean", "r2.lean"));
        assertTrue(o.contains("1 benchmark ran fewer than 3 forks on a side"), o);
    }

    /**
     * Three forks a side, each round's runs (without a profiler, with lean and continuous sampling: at batch 1 the
     * forks differ by far more than any cost of the profiler, and the first run's metrics only are kept: img/s): over
     * the forks' means the interval spans tens of percent, so the gate neither passes nor fails the runs, and says why.
     */
    @Test
    void threeForksASideAtBatchOneAreTooNoisyToPassTheGate() throws Exception {
        String o = compared(CompareCommand.NOT_JUDGED, merged("round-1", true, "r1.off", "r1.lean", "r1.continuous"),
                merged("round-2", true, "r2.off", "r2.lean", "r2.continuous"));
        assertTrue(o.matches("(?s).*  img/s  [0-9.]+ -> [0-9.]+  [-+][0-9.]+% \\[-[0-9.]+%, \\+[0-9.]+%\\] over forks  not judged: too "
                + "noisy to rule out a fall over 3.00%.*"), o);
        // the interval docs/report.md quotes
        assertTrue(o.contains("  img/s  275.6 -> 298.6  +8.36% [-100.00%, +130.74%] over forks  not judged"), o);
        assertFalse(o.contains("fewer than 3 forks"), o);
        assertTrue(o.contains("exit 3: nothing regressed, but 1 metric could not be judged"), o);
    }
}
