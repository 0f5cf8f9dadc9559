package gpuenergy.run;

import com.google.gson.JsonArray;
import gpuenergy.profile.EnvironmentKeys;
import gpuenergy.results.NotRun;
import gpuenergy.results.ResultFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.VerboseMode;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static gpuenergy.run.UnfinishedIterationsTest.PARAMS;
import static gpuenergy.run.UnfinishedIterationsTest.measure;
import static gpuenergy.run.UnfinishedIterationsTest.onlyEntry;
import static gpuenergy.run.UnfinishedIterationsTest.rawData;
import static gpuenergy.run.UnfinishedIterationsTest.withCommand;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a configuration's run leaves once JMH has returned ({@link ConfigRun#ended}): its measured iterations leave the
 * unfinished file only for a result file JMH wrote whole; JMH writes it through a stream that drops its errors (a full
 * disk) after creating it empty, so a file that is there proves nothing.
 */
class ConfigRunTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    private String printed() {
        return printed.toString(StandardCharsets.UTF_8);
    }

    /** A run of one benchmark, three measured iterations, that JMH ended with a result; the result JMH returned. */
    private RunResult ranToItsEnd(UnfinishedIterations kept) {
        List<IterationResult> its = measure(kept, 100, 200, 300);
        BenchmarkResult r = new BenchmarkResult(PARAMS, its);
        kept.endBenchmark(r);
        kept.endRun(List.of());
        return new RunResult(PARAMS, List.of(r));
    }

    private UnfinishedIterations kept(Path published) {
        return new UnfinishedIterations(OutputFormatFactory.createFormatInstance(
                new PrintStream(printed, true, StandardCharsets.UTF_8), VerboseMode.NORMAL), published, withCommand(), "");
    }

    @Test
    void aResultWrittenWholeTakesTheIterationsOver() throws Exception {
        Path published = dir.resolve("cfg.r1.off.json");
        UnfinishedIterations kept = kept(published);
        RunResult result = ranToItsEnd(kept);
        Path partial = PartialResult.of(published);
        ResultFile.write(partial, UnfinishedIterations.json(List.of(result)));

        ConfigRun.Outcome outcome = ConfigRun.ended(kept, List.of(result), partial, "", OomKills.start());
        assertNull(outcome.failure());
        assertEquals(partial, outcome.resultFile());
        assertFalse(Files.exists(dir.resolve("cfg.r1.off.unfinished.json")), "the result holds them");
    }

    /** JMH's write failed midway (a full disk): the run failed, in one line, and the only copy of its iterations stays. */
    @Test
    void aResultFileNotWrittenWholeKeepsTheIterationsAsAFailedRuns() throws Exception {
        Path published = dir.resolve("cfg.r1.off.json");
        Path unfinished = dir.resolve("cfg.r1.off.unfinished.json");
        UnfinishedIterations kept = kept(published);
        RunResult result = ranToItsEnd(kept);
        Path partial = PartialResult.of(published);
        String whole = UnfinishedIterations.json(List.of(result)).toString();
        Files.writeString(partial, whole.substring(0, whole.length() / 2));

        ConfigRun.Outcome outcome = ConfigRun.ended(kept, List.of(result), partial, "", OomKills.start());
        assertNull(outcome.resultFile());
        assertEquals(NotRun.Kind.ERROR, outcome.failure().kind());
        assertTrue(outcome.failure().reason().startsWith("JMH did not write the result whole (its file is removed; the "
                + "measured iterations are kept in cfg.r1.off.unfinished.json): " + partial + ": not valid JSON"),
                outcome.failure().reason());
        assertFalse(outcome.failure().reason().contains("\n"));
        assertEquals(List.of(100.0, 200.0, 300.0), rawData(onlyEntry(unfinished)));
        assertEquals("failed: " + ConfigRun.NOT_WHOLE + "; 3 of 3 measured iterations of fork 1 of 1 taken",
                onlyEntry(unfinished).getAsJsonObject("environment").get(EnvironmentKeys.UNFINISHED).getAsString());
        assertTrue(printed().contains("result: the measured iterations of 1 benchmark(s) whose result was not written are "
                + "kept in " + unfinished + " (not a result)"), printed());
        assertFalse(Files.exists(partial), "torn, and what it held is kept whole beside it");
    }

    /** A long directory and configuration name: the line is cut at its end, and where the file went still shows. */
    @Test
    void whereTheFileWentSurvivesALongPath() throws Exception {
        Path deep = Files.createDirectories(dir.resolve("results/h200-580.159.04/profiler-overhead/calls/20261205T105919Z/b16"));
        Path published = deep.resolve("model=resnet50+engine=tensorrt-fp16+batchSize=16.r1.lean.json");
        UnfinishedIterations kept = kept(published);
        RunResult result = ranToItsEnd(kept);
        Path partial = PartialResult.of(published);
        String whole = UnfinishedIterations.json(List.of(result)).toString();
        Files.writeString(partial, whole.substring(0, whole.length() / 2));

        String reason = ConfigRun.ended(kept, List.of(result), partial, "", OomKills.start()).failure().reason();
        assertTrue(reason.startsWith("JMH did not write the result whole (its file is removed; the measured iterations "
                + "are kept in model=resnet50+engine=tensorrt-fp16+batchSize=16.r1.lean.unfinished.json): "), reason);
        assertFalse(Files.exists(partial));
    }

    /** A whole file that does not hold every benchmark JMH returned is not the run's result either. */
    @Test
    void aResultFileWithoutEveryBenchmarkIsNoResult() throws Exception {
        Path published = dir.resolve("cfg.r1.off.json");
        UnfinishedIterations kept = kept(published);
        RunResult result = ranToItsEnd(kept);
        Path partial = PartialResult.of(published);
        ResultFile.write(partial, new JsonArray());

        ConfigRun.Outcome outcome = ConfigRun.ended(kept, List.of(result), partial, "", OomKills.start());
        assertTrue(outcome.failure().reason().endsWith(partial + ": holds 0 entries of the 1 JMH ran"),
                outcome.failure().reason());
        assertTrue(outcome.failure().reason().startsWith("JMH did not write the result whole (its file is removed; "),
                outcome.failure().reason());
        assertFalse(Files.exists(partial));
        assertTrue(Files.exists(dir.resolve("cfg.r1.off.unfinished.json")));
    }

    /**
     * A run that ended its benchmark with a result and then failed without writing it (no result file): the benchmark is
     * kept as failed, not as one still under way, and the line names the file.
     */
    @Test
    void aRunEndedWithoutItsResultFileKeepsTheBenchmarkAsFailed() throws Exception {
        Path published = dir.resolve("fits8-sleep-b4.json");
        Path unfinished = dir.resolve("fits8-sleep-b4.unfinished.json");
        UnfinishedIterations kept = kept(published);
        RunResult result = ranToItsEnd(kept);
        assertEquals("not finished: 3 of 3 measured iterations of fork 1 of 1 taken",
                onlyEntry(unfinished).getAsJsonObject("environment").get(EnvironmentKeys.UNFINISHED).getAsString(),
                "ended, its result not written yet");

        ConfigRun.Outcome outcome = ConfigRun.ended(kept, List.of(result), PartialResult.of(published), "", OomKills.start());
        assertEquals(NotRun.Kind.ERROR, outcome.failure().kind());
        assertEquals("failed: " + UnfinishedIterations.FAILED + "; 3 of 3 measured iterations of fork 1 of 1 taken",
                onlyEntry(unfinished).getAsJsonObject("environment").get(EnvironmentKeys.UNFINISHED).getAsString());
        assertEquals(1, kept.unfinishedCount());
        assertTrue(printed().contains("result: the measured iterations of 1 benchmark(s) whose result was not written are "
                + "kept in " + unfinished + " (not a result)"), printed());
    }
    /**
     * A result file with content that an earlier run of the name left (its result, which the unfinished file could not
     * take over) is set aside before the run makes its own, never thrown away.
     */
    @Test
    void aRunSetsAsideTheResultAnEarlierRunOfItsNameLeft() throws Exception {
        Path result = dir.resolve("fits1-sleep-b1.json");
        Files.writeString(PartialResult.of(result), "[{\"benchmark\": \"earlier\"}]");
        ConfigRun.Outcome outcome = ConfigRun.run(new org.openjdk.jmh.runner.options.CommandLineOptions("-f", "1", "-wi",
                        "0", "-i", "1", "-r", "30ms", "-v", "SILENT"), RunHooks.NONE, false,
                gpuenergy.sweep.testbench.SleepBenchmark.class.getName() + ".infer",
                java.util.Map.of("model", "fits1", "engine", "sleep", "batchSize", "1"), 0, result, "");
        assertNull(outcome.failure(), String.valueOf(outcome.failure()));
        assertEquals("[{\"benchmark\": \"earlier\"}]",
                Files.readString(dir.resolve(PartialResult.UNPUBLISHED_DIR).resolve("fits1-sleep-b1.json")));
        assertEquals(1, ResultFile.readJson(outcome.resultFile()).size(), "this run's own result");
    }
}
