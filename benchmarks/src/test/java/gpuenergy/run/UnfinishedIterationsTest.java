package gpuenergy.run;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import gpuenergy.profile.EnvironmentKeys;
import gpuenergy.results.BadInputException;
import gpuenergy.results.ParamNames;
import gpuenergy.results.ResultFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.ResultRole;
import org.openjdk.jmh.results.ScalarResult;
import org.openjdk.jmh.results.ThroughputResult;
import org.openjdk.jmh.runner.IterationType;
import org.openjdk.jmh.runner.WorkloadParams;
import org.openjdk.jmh.runner.format.OutputFormat;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The measured iterations of a configuration's run ({@link ConfigRun}) as JMH hands them over, one at a time: each is on
 * disk, whole, beside the name the run is published under, until the result holds them; a failed run keeps them.
 */
class UnfinishedIterationsTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    /** One benchmark of one fork and three measured iterations, after one warmup iteration. */
    static final BenchmarkParams PARAMS = params();

    private static BenchmarkParams params() {
        WorkloadParams wp = new WorkloadParams();
        wp.put(ParamNames.BATCH_SIZE, "1", 0);
        return new BenchmarkParams("gpuenergy.bench.InferenceBenchmark.infer", "generated", false, 1, new int[] {1},
                List.of(), 1, 0, new IterationParams(IterationType.WARMUP, 1, TimeValue.seconds(1), 1),
                new IterationParams(IterationType.MEASUREMENT, 3, TimeValue.seconds(1), 1), Mode.Throughput, wp,
                TimeUnit.SECONDS, 1, "java", List.of(), "17", "vm", "17", "1.37", TimeValue.minutes(1));
    }

    static IterationResult iteration(IterationParams type, double batchesPerSecond) {
        IterationResult ir = new IterationResult(PARAMS, type, null);
        ir.addResult(new ThroughputResult(ResultRole.PRIMARY, "infer", batchesPerSecond, 1_000_000_000L, TimeUnit.SECONDS));
        return ir;
    }

    /** Wrapped as ConfigRun wraps the console: the hooks' environment added, the file named for the published result. */
    private UnfinishedIterations kept(Path published, UnaryOperator<JsonArray> enrich) {
        return new UnfinishedIterations(OutputFormatFactory.createFormatInstance(
                new PrintStream(printed, true, StandardCharsets.UTF_8), VerboseMode.NORMAL), published, enrich, "");
    }

    static UnaryOperator<JsonArray> withCommand() {
        return jmh -> {
            JsonArray out = jmh.deepCopy();
            for (JsonElement e : out) {
                JsonObject env = new JsonObject();
                env.addProperty(EnvironmentKeys.COMMAND, "java -jar benchmarks.jar overhead");
                e.getAsJsonObject().add("environment", env);
            }
            return out;
        };
    }

    /** A run started and its measured iterations handed over, after a warmup one that is kept by none. */
    static List<IterationResult> measure(UnfinishedIterations kept, double... batchesPerSecond) {
        kept.startRun();
        kept.startBenchmark(PARAMS);
        kept.println("# Fork: 1 of 1");
        kept.iterationResult(PARAMS, PARAMS.getWarmup(), 1, iteration(PARAMS.getWarmup(), 1));
        List<IterationResult> its = new ArrayList<>();
        for (int i = 0; i < batchesPerSecond.length; i++) {
            IterationResult it = iteration(PARAMS.getMeasurement(), batchesPerSecond[i]);
            its.add(it);
            kept.iterationResult(PARAMS, PARAMS.getMeasurement(), i + 1, it);
        }
        return its;
    }

    static JsonObject onlyEntry(Path file) throws IOException {
        JsonArray entries = JsonParser.parseString(Files.readString(file)).getAsJsonArray();
        assertEquals(1, entries.size(), entries.toString());
        return entries.get(0).getAsJsonObject();
    }

    static List<Double> rawData(JsonObject entry) {
        JsonArray forks = entry.getAsJsonObject("primaryMetric").getAsJsonArray("rawData");
        assertEquals(1, forks.size(), forks.toString());
        List<Double> values = new ArrayList<>();
        forks.get(0).getAsJsonArray().forEach(v -> values.add(v.getAsDouble()));
        return values;
    }

    @Test
    void eachMeasuredIterationIsKeptBesideThePublishedNameUntilTheResultHoldsIt() throws Exception {
        Path published = dir.resolve("model=resnet50+batchSize=1.r6.lean.json");
        Path unfinished = dir.resolve("model=resnet50+batchSize=1.r6.lean.unfinished.json");
        UnfinishedIterations kept = kept(published, withCommand());
        measure(kept);
        assertFalse(Files.exists(unfinished), "a warmup iteration is no measurement");

        measure(kept(published, withCommand()), 100, 200);
        JsonObject entry = onlyEntry(unfinished);
        assertEquals(List.of(100.0, 200.0), rawData(entry));
        JsonObject env = entry.getAsJsonObject("environment");
        assertEquals("not finished: 2 of 3 measured iterations of fork 1 of 1 taken", env.get(EnvironmentKeys.UNFINISHED).getAsString());
        assertEquals("java -jar benchmarks.jar overhead", env.get(EnvironmentKeys.COMMAND).getAsString(), "with the run's environment");
        BadInputException refused = assertThrows(BadInputException.class, () -> ResultFile.read(unfinished));
        assertTrue(refused.getMessage().contains("is a benchmark that did not finish (not finished: 2 of 3"), refused.getMessage());
    }

    /**
     * JMH ends the benchmark, then the run, then writes its result: the iterations stay kept until the caller has seen
     * that file ({@link UnfinishedIterations#resultWritten}), and then the file goes.
     */
    @Test
    void theFileGoesOnlyOnceTheResultIsWritten() throws Exception {
        Path published = dir.resolve("fits8-sleep-b4.json");
        Path unfinished = dir.resolve("fits8-sleep-b4.unfinished.json");
        UnfinishedIterations kept = kept(published, withCommand());
        List<IterationResult> its = measure(kept, 100, 200, 300);
        kept.endBenchmark(new BenchmarkResult(PARAMS, its));
        kept.endRun(List.of());
        assertEquals(List.of(100.0, 200.0, 300.0), rawData(onlyEntry(unfinished)), "JMH has not written its result yet");
        assertFalse(printed.toString(StandardCharsets.UTF_8).contains("did not finish"), printed.toString(StandardCharsets.UTF_8));
        kept.resultWritten();
        assertFalse(Files.exists(unfinished));
        assertFalse(Files.exists(published), "the result is JMH's to write");
    }

    @Test
    void aFailedRunKeepsWhatItMeasuredAndSaysWhere() throws Exception {
        Path published = dir.resolve("fits8-sleep-b4.json");
        Path unfinished = dir.resolve("fits8-sleep-b4.unfinished.json");
        UnfinishedIterations kept = kept(published, withCommand());
        measure(kept, 100, 200);
        kept.finish("it failed (see the not-run list)");
        assertEquals("failed: it failed (see the not-run list); 2 of 3 measured iterations of fork 1 of 1 taken",
                onlyEntry(unfinished).getAsJsonObject("environment").get(EnvironmentKeys.UNFINISHED).getAsString());
        assertEquals(1, kept.unfinishedCount());
        assertTrue(printed.toString(StandardCharsets.UTF_8).contains("result: the measured iterations of 1 benchmark(s) that did "
                + "not finish are kept in " + unfinished + " (not a result)"), printed.toString(StandardCharsets.UTF_8));
        kept.resultWritten();
        assertTrue(Files.exists(unfinished), "a failed run's iterations are in no result");
    }

    /** Where the environment cannot be added, JMH's JSON is kept with the one key readers refuse. */
    @Test
    void withoutItsEnvironmentTheIterationsAreKeptAllTheSame() throws Exception {
        Path published = dir.resolve("run.json");
        measure(kept(published, jmh -> {
            throw new IllegalStateException("records unreadable");
        }), 100);
        JsonObject env = onlyEntry(dir.resolve("run.unfinished.json")).getAsJsonObject("environment");
        assertEquals(List.of(EnvironmentKeys.UNFINISHED), List.copyOf(env.keySet()));
    }

    /**
     * A later run of the same name (a resumed command making the run again) sets the earlier run's file aside as it
     * starts, never over one set aside before, and removes only its own.
     */
    @Test
    void anEarlierRunsFileIsSetAsideNeverReplaced() throws Exception {
        Path published = dir.resolve("cfg.r1.off.json");
        Path unfinished = dir.resolve("cfg.r1.off.unfinished.json");
        UnfinishedIterations first = kept(published, withCommand());
        measure(first, 100);
        UnfinishedIterations second = kept(published, withCommand());
        measure(second, 200, 300);
        assertEquals(List.of(100.0), rawData(onlyEntry(dir.resolve("cfg.r1.off.unfinished.earlier.json"))));
        assertTrue(printed.toString(StandardCharsets.UTF_8).contains("result: " + unfinished + " of an earlier run set aside as "
                + dir.resolve("cfg.r1.off.unfinished.earlier.json")), printed.toString(StandardCharsets.UTF_8));
        UnfinishedIterations third = kept(published, withCommand());
        List<IterationResult> its = measure(third, 400, 500, 600);
        assertEquals(List.of(200.0, 300.0), rawData(onlyEntry(dir.resolve("cfg.r1.off.unfinished.earlier.1.json"))));
        third.endBenchmark(new BenchmarkResult(PARAMS, its));
        third.resultWritten();
        assertFalse(Files.exists(unfinished));
        for (String name : List.of("cfg.r1.off.unfinished.json", "cfg.r1.off.unfinished.earlier.json",
                "cfg.r1.off.unfinished.earlier.1.json")) {
            assertTrue(ResultFile.isUnfinished(dir.resolve(name)), name);
        }
        assertFalse(ResultFile.isUnfinished(published));
    }
    /**
     * A plain run killed between the write of its unfinished file's new copy and the rename leaves the copy, which holds
     * its last iteration: the next run of the name sets that copy aside, not the older file; a torn copy goes. Where
     * kills left several copies (each write has its own), the newest whole one is what is set aside.
     */
    @Test
    void theNewestCopyAKillLeftIsWhatIsSetAside() throws Exception {
        Path published = dir.resolve("run.json");
        Path copy = dir.resolve(".run.unfinished.json.4242-7.partial");
        aWholeCopyIsSetAsideAndATornOneGoes(copy);

        measure(kept(dir.resolve("newer.json"), withCommand()), 500, 600);
        Path newest = Files.move(dir.resolve("newer.unfinished.json"), dir.resolve(".run.unfinished.json.31337-1.partial"));
        Path older = Files.writeString(copy, "[]");
        Files.setLastModifiedTime(older, java.nio.file.attribute.FileTime.from(
                Files.getLastModifiedTime(newest).toInstant().minusSeconds(10)));
        measure(kept(published, withCommand()), 700);
        assertEquals(List.of(500.0, 600.0), rawData(onlyEntry(dir.resolve("run.unfinished.earlier.2.json"))));
        assertFalse(Files.exists(older));
        assertFalse(Files.exists(newest));
    }

    /**
     * A run of run.json whose unfinished file's {@code copy} a kill left whole (iterations 100 and 150) sets it aside
     * with one line; the next, whose copy is torn, removes it and sets aside the file (300); neither copy stays.
     */
    private void aWholeCopyIsSetAsideAndATornOneGoes(Path copy) throws Exception {
        Path published = dir.resolve("run.json");
        Path unfinished = dir.resolve("run.unfinished.json");
        measure(kept(published, withCommand()), 100);
        measure(kept(dir.resolve("newer.json"), withCommand()), 100, 150);
        Files.move(dir.resolve("newer.unfinished.json"), copy);
        measure(kept(published, withCommand()), 300);
        assertEquals(List.of(100.0, 150.0), rawData(onlyEntry(dir.resolve("run.unfinished.earlier.json"))));
        assertTrue(printed.toString(StandardCharsets.UTF_8).contains("result: " + copy + ": the last copy of " + unfinished),
                printed.toString(StandardCharsets.UTF_8));
        assertFalse(Files.exists(copy));

        Files.writeString(copy, "[{\"benchmark\": ");
        measure(kept(published, withCommand()), 400);
        assertEquals(List.of(300.0), rawData(onlyEntry(dir.resolve("run.unfinished.earlier.1.json"))));
        assertEquals(List.of(400.0), rawData(onlyEntry(unfinished)));
        assertFalse(Files.exists(copy));
    }

    /**
     * A plain run killed under an earlier version of the suite (whose writes of the unfinished file share one copy,
     * .NAME.partial) leaves that copy: the next run of the name under this version sets it aside as it does its own
     * copies, a torn one goes, and beside a copy of this version's it is the older.
     */
    @Test
    void theCopyAnEarlierVersionLeftIsSetAsideToo() throws Exception {
        Path published = dir.resolve("run.json");
        Path shared = dir.resolve(".run.unfinished.json.partial");
        aWholeCopyIsSetAsideAndATornOneGoes(shared);

        measure(kept(dir.resolve("newer.json"), withCommand()), 500);
        Files.move(dir.resolve("newer.unfinished.json"), shared);
        measure(kept(dir.resolve("newer.json"), withCommand()), 500, 600);
        Path own = Files.move(dir.resolve("newer.unfinished.json"), dir.resolve(".run.unfinished.json.4242-1.partial"));
        measure(kept(published, withCommand()), 700);
        assertEquals(List.of(500.0, 600.0), rawData(onlyEntry(dir.resolve("run.unfinished.earlier.2.json"))));
        assertFalse(Files.exists(shared));
        assertFalse(Files.exists(own));
    }

    /**
     * Each measured iteration is on disk before JMH's line of it is printed, and the benchmark's summary only once the
     * file holds what it sums up, what a profiler reports per trial included: a kill right after the console shows a
     * figure keeps it.
     */
    @Test
    void whatTheConsoleShowsIsOnDiskBeforeItIsPrinted() throws Exception {
        Path unfinished = dir.resolve("run.unfinished.json");
        List<String> onDiskWhenPrinted = new ArrayList<>();
        OutputFormat console = new ForwardingOutputFormat(OutputFormatFactory.createFormatInstance(
                new PrintStream(printed, true, StandardCharsets.UTF_8), VerboseMode.NORMAL)) {
            @Override
            public void iterationResult(BenchmarkParams b, IterationParams p, int i, IterationResult data) {
                if (p.getType() == IterationType.MEASUREMENT) {
                    onDiskWhenPrinted.add("iteration " + i + ": " + onDisk(unfinished));
                }
                super.iterationResult(b, p, i, data);
            }

            @Override
            public void endBenchmark(BenchmarkResult r) {
                onDiskWhenPrinted.add("summary: " + onDisk(unfinished));
                super.endBenchmark(r);
            }
        };
        UnfinishedIterations kept = new UnfinishedIterations(console, dir.resolve("run.json"), withCommand(), "");
        BenchmarkResult r = new BenchmarkResult(PARAMS, measure(kept, 100, 200, 300));
        r.addBenchmarkResult(new ScalarResult("trial-metric", 7, "units", AggregationPolicy.AVG));
        kept.endBenchmark(r);
        assertEquals(List.of("iteration 1: [100.0] []", "iteration 2: [100.0, 200.0] []",
                "iteration 3: [100.0, 200.0, 300.0] []", "summary: [100.0, 200.0, 300.0] [trial-metric]"), onDiskWhenPrinted);
        assertTrue(printed.toString(StandardCharsets.UTF_8).contains("300.000 ops/s"), printed.toString(StandardCharsets.UTF_8));
    }

    /** The primary metric's iterations in the file's only entry, and its secondary metrics' names; none without a file. */
    private static String onDisk(Path file) {
        if (!Files.exists(file)) {
            return "none";
        }
        try {
            JsonObject entry = onlyEntry(file);
            return rawData(entry) + " " + (entry.has("secondaryMetrics") ? entry.getAsJsonObject("secondaryMetrics").keySet() : "[]");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
