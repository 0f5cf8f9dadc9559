package gpuenergy.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import gpuenergy.profile.EnvironmentKeys;
import gpuenergy.results.ParamNames;
import gpuenergy.run.ForwardingOutputFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.ResultRole;
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
 * A plain run's benchmarks as JMH hands them over: each one that ended stays in run.unfinished.json until a write of
 * the result holds it; where no write does, it is kept there as a failed one. An earlier run's not-run list is never
 * on disk beside this run's result.
 */
class ProgressiveResultTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    private String printed() {
        return printed.toString(StandardCharsets.UTF_8);
    }

    /** One fork of two measured iterations, batch size {@code batch}. */
    private static BenchmarkParams params(int batch) {
        WorkloadParams wp = new WorkloadParams();
        wp.put(ParamNames.BATCH_SIZE, String.valueOf(batch), 0);
        return new BenchmarkParams("gpuenergy.bench.InferenceBenchmark.infer", "generated", false, 1, new int[] {1},
                List.of(), 1, 0, new IterationParams(IterationType.WARMUP, 0, TimeValue.seconds(1), 1),
                new IterationParams(IterationType.MEASUREMENT, 2, TimeValue.seconds(1), 1), Mode.Throughput, wp,
                TimeUnit.SECONDS, 1, "java", List.of(), "17", "vm", "17", "1.37", TimeValue.minutes(1));
    }

    /** A benchmark of batch {@code batch} measured and ended by JMH with a result. */
    private static void runToItsEnd(OutputFormat written, int batch, double batchesPerSecond) {
        BenchmarkParams p = params(batch);
        written.startBenchmark(p);
        written.println("# Fork: 1 of 1");
        List<IterationResult> its = new ArrayList<>();
        for (int i = 1; i <= 2; i++) {
            IterationResult ir = new IterationResult(p, p.getMeasurement(), null);
            ir.addResult(new ThroughputResult(ResultRole.PRIMARY, "infer", batchesPerSecond, 1_000_000_000L, TimeUnit.SECONDS));
            its.add(ir);
            written.iterationResult(p, p.getMeasurement(), i, ir);
        }
        written.endBenchmark(new BenchmarkResult(p, its));
    }

    private ProgressiveResult written(Path result) {
        UnaryOperator<JsonArray> asIs = jmh -> jmh;
        return new ProgressiveResult(OutputFormatFactory.createFormatInstance(
                new PrintStream(printed, true, StandardCharsets.UTF_8), VerboseMode.NORMAL), result, null, asIs);
    }

    /** A run whose first benchmark (batch 1) ended while a directory stood at {@code result}'s name. */
    private ProgressiveResult firstBenchmarkNotWritten(Path result) throws IOException {
        Files.createFile(Files.createDirectories(result).resolve("in-the-way"));
        ProgressiveResult written = written(result);
        written.startRun();
        runToItsEnd(written, 1, 100);
        return written;
    }

    private static List<String> unfinished(Path file) throws Exception {
        List<String> why = new ArrayList<>();
        for (var e : JsonParser.parseString(Files.readString(file)).getAsJsonArray()) {
            JsonObject entry = e.getAsJsonObject();
            why.add(entry.getAsJsonObject("params").get(ParamNames.BATCH_SIZE).getAsString() + ": "
                    + entry.getAsJsonObject("environment").get(EnvironmentKeys.UNFINISHED).getAsString());
        }
        return why;
    }

    /**
     * The result cannot be written after the first benchmark (its name is a directory): that benchmark stays in the
     * unfinished file as one not in the result yet, until the write after the second holds both.
     */
    @Test
    void aBenchmarkWhoseWriteFailedStaysKeptUntilAWriteHoldsIt() throws Exception {
        Path result = dir.resolve("run.json");
        Path unfinished = dir.resolve("run.unfinished.json");
        ProgressiveResult written = firstBenchmarkNotWritten(result);
        assertTrue(printed().contains("result: " + result + " not written after this benchmark ("), printed());
        assertEquals(List.of("1: not finished: 2 of 2 measured iterations of fork 1 of 1 taken"), unfinished(unfinished),
                "ended, and in no result yet");

        Files.delete(result.resolve("in-the-way"));
        Files.delete(result);
        runToItsEnd(written, 2, 50);
        assertFalse(Files.exists(unfinished), "the result holds both now");
        JsonArray both = JsonParser.parseString(Files.readString(result)).getAsJsonArray();
        assertEquals(2, both.size(), both.toString());
    }

    /** No write of the result holds it (the run's last failed too): it is kept as a failed one, and a line says where. */
    @Test
    void aBenchmarkNoWriteHeldIsKeptAsFailed() throws Exception {
        Path result = dir.resolve("run.json");
        Path unfinished = dir.resolve("run.unfinished.json");
        ProgressiveResult written = firstBenchmarkNotWritten(result);
        written.endRun(List.of());
        assertFalse(printed().contains("kept in"), "nothing failed yet: " + printed());

        written.resultNotWritten("its result could not be written to " + result);
        assertEquals(List.of("1: failed: its result could not be written to " + result + "; 2 of 2 measured iterations of "
                + "fork 1 of 1 taken"), unfinished(unfinished));
        assertEquals(1, written.unfinishedCount());
        assertTrue(printed().contains("result: the measured iterations of 1 benchmark(s) whose result was not written are "
                + "kept in " + unfinished + " (not a result)\n"), printed());
    }

    /**
     * JMH's summary of a benchmark that ended is printed once the result holds it, each iteration line once the
     * unfinished file does: a kill right after the console shows a figure keeps it.
     */
    @Test
    void aBenchmarkIsInTheResultBeforeItsSummaryIsPrinted() throws Exception {
        Path result = dir.resolve("run.json");
        Path unfinished = dir.resolve("run.unfinished.json");
        List<String> onDiskWhenPrinted = new ArrayList<>();
        OutputFormat console = new ForwardingOutputFormat(OutputFormatFactory.createFormatInstance(
                new PrintStream(printed, true, StandardCharsets.UTF_8), VerboseMode.NORMAL)) {
            @Override
            public void iterationResult(BenchmarkParams b, IterationParams p, int i, IterationResult data) {
                onDiskWhenPrinted.add("iteration " + i + ": " + batchSizes(unfinished));
                super.iterationResult(b, p, i, data);
            }

            @Override
            public void endBenchmark(BenchmarkResult r) {
                onDiskWhenPrinted.add("summary: " + batchSizes(result));
                super.endBenchmark(r);
            }
        };
        ProgressiveResult written = new ProgressiveResult(console, result, null, jmh -> jmh);
        written.startRun();
        runToItsEnd(written, 1, 100);
        runToItsEnd(written, 2, 50);
        assertEquals(List.of("iteration 1: [1]", "iteration 2: [1]", "summary: [1]",
                "iteration 1: [2]", "iteration 2: [2]", "summary: [1, 2]"), onDiskWhenPrinted);
    }

    /** The batch sizes of the file's entries; none without a file. */
    private static List<String> batchSizes(Path file) {
        List<String> sizes = new ArrayList<>();
        try {
            if (Files.exists(file)) {
                for (var e : JsonParser.parseString(Files.readString(file)).getAsJsonArray()) {
                    sizes.add(e.getAsJsonObject().getAsJsonObject("params").get(ParamNames.BATCH_SIZE).getAsString());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sizes;
    }

    /**
     * A run given the name of an earlier result that has a not-run list: the list goes right after the result that
     * replaces the earlier one is written, before the console shows the benchmark.
     */
    @Test
    void anEarlierRunsListIsGoneBeforeTheResultThatReplacesItsResult() throws Exception {
        Path result = Files.writeString(dir.resolve("run.json"), "[\"an earlier run's result\"]");
        Path list = Files.writeString(dir.resolve("run.notrun.json"), "[\"the earlier run's failure\"]");
        List<String> onDiskWhenWritten = new ArrayList<>();
        OutputFormat console = new ForwardingOutputFormat(OutputFormatFactory.createFormatInstance(
                new PrintStream(printed, true, StandardCharsets.UTF_8), VerboseMode.NORMAL)) {
            @Override
            public void endBenchmark(BenchmarkResult r) {
                // JMH's summary comes right after the result's write: the first moment a kill would find it there
                onDiskWhenWritten.add("result " + batchSizes(result) + ", earlier list " + (Files.exists(list) ? "there" : "gone"));
                super.endBenchmark(r);
            }
        };
        try (SuiteRun suite = new SuiteRun(new String[0], () -> null)) {
            FailureCapture capture = new FailureCapture(new ProgressiveResult(console, result, null, jmh -> jmh), suite,
                    result, false);
            capture.startRun();
            assertTrue(Files.exists(list), "nothing is decided before the run writes under the name");
            runToItsEnd(capture, 1, 100);
        }
        assertEquals(List.of("result [1], earlier list gone"), onDiskWhenWritten, printed());
        try (var files = Files.list(dir)) {
            assertEquals(List.of("run.json"), files.map(f -> f.getFileName().toString()).toList(),
                    "the earlier result replaced, as -rff asks, and its list with it");
        }
    }

    /**
     * The same, where this run's result cannot be written (the name of its write's copy, longer by its .PID-N.partial,
     * is over the file system's 255 bytes): the earlier result and its list stay together, neither replaced nor removed.
     */
    @Test
    void anEarlierPairStaysWholeWhereTheResultCannotBeWritten() throws Exception {
        String stem = "r".repeat(243); // its <stem>.notrun.json is 255 bytes
        Path result = Files.writeString(dir.resolve(stem + ".json"), "[\"an earlier run's result\"]");
        Path list = Files.writeString(dir.resolve(stem + ".notrun.json"), "[\"the earlier run's failure\"]");
        OutputFormat console = OutputFormatFactory.createFormatInstance(new PrintStream(printed, true, StandardCharsets.UTF_8),
                VerboseMode.NORMAL);
        try (SuiteRun suite = new SuiteRun(new String[0], () -> null)) {
            FailureCapture capture = new FailureCapture(new ProgressiveResult(console, result, null, jmh -> jmh), suite,
                    result, false);
            capture.startRun();
            runToItsEnd(capture, 1, 100);
        }
        assertTrue(printed().contains("not written after this benchmark"), printed());
        assertEquals("[\"an earlier run's result\"]", Files.readString(result));
        assertEquals("[\"the earlier run's failure\"]", Files.readString(list), "its list beside it still");
    }

    /**
     * Where java.io.tmpdir cannot take the results the result file could not (the name of the write's copy is over the
     * file system's 255 bytes), JMH's own copy is moved to their name, whole; with none (JMH writes nothing when the run
     * stops at a failure), nothing is claimed there.
     */
    @Test
    void jmhsCopyIsKeptWhereTheResultsCannotBeWrittenInTmpdir() throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        String stem = "r".repeat(243 - ".unwritten.1".length()); // its <stem>.unwritten.1.json is 255 bytes
        Path jmhCopy = Files.writeString(tmp.resolve("gpuenergy-jmh-result123.json"), "[{\"benchmark\":\"b\"}]\n");
        String tmpdir = System.getProperty("java.io.tmpdir");
        System.setProperty("java.io.tmpdir", tmp.toString());
        try {
            ProgressiveResult written = new ProgressiveResult(OutputFormatFactory.createFormatInstance(
                    new PrintStream(printed, true, StandardCharsets.UTF_8), VerboseMode.NORMAL), dir.resolve(stem + ".json"),
                    jmhCopy, jmh -> jmh);
            ProgressiveResult.Kept kept = written.keepUnwritten(List.of());
            assertEquals(new ProgressiveResult.Kept(tmp.resolve(stem + ".unwritten.json"), true), kept);
            assertEquals("[{\"benchmark\":\"b\"}]\n", Files.readString(kept.file()));
            assertFalse(Files.exists(jmhCopy));
            assertEquals("its results are kept in " + kept.file() + " (as JMH wrote them, without the environment)",
                    kept.said());

            Files.writeString(jmhCopy, "");
            ProgressiveResult stopped = new ProgressiveResult(OutputFormatFactory.createFormatInstance(
                    new PrintStream(printed, true, StandardCharsets.UTF_8), VerboseMode.NORMAL), dir.resolve(stem + ".json"),
                    jmhCopy, jmh -> jmh);
            assertThrows(IOException.class, () -> stopped.keepUnwritten(List.of()));
            assertFalse(Files.exists(tmp.resolve(stem + ".unwritten.1.json")), "no empty file claims a name");
            assertTrue(Files.exists(jmhCopy));
        } finally {
            System.setProperty("java.io.tmpdir", tmpdir);
        }
    }
}
