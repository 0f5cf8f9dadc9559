package gpuenergy.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import gpuenergy.profile.EnvironmentKeys;
import gpuenergy.results.BadInputException;
import gpuenergy.results.NotRunList;
import gpuenergy.results.ResultFile;
import gpuenergy.sweep.testbench.SleepBenchmark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A benchmark that fails in its second fork, after its first fork measured: JMH keeps part of it as a result when an
 * iteration throws, and ends it without one when the fork's VM dies. Either way it is no result: the run exits 1, the
 * not-run list has its failure, the result holds only the benchmark that ran well, and the iterations it measured are
 * kept in run.unfinished.json, which no reader takes for a result.
 */
class FailedAfterMeasuringTest {

    @Test
    void anIterationThatThrowsInALaterForkLeavesNoResultAndKeepsItsIterationsApart(@TempDir Path dir) throws Exception {
        failsInItsSecondFork(dir, "late-broken");
    }

    @Test
    void aForkedVmThatDiesInALaterForkKeepsTheIterationsMeasuredBefore(@TempDir Path dir) throws Exception {
        failsInItsSecondFork(dir, "late-halt");
    }

    private static void failsInItsSecondFork(Path dir, String engine) throws Exception {
        Path result = dir.resolve("run.json");
        Path log = dir.resolve("run.log");
        Process run = twoForks(dir, log, "engine=" + engine + ",sleep", "5", result);
        assertEquals(1, run.waitFor(), "a failed benchmark makes the run fail:\n" + Forked.read(log));

        JsonArray kept = JsonParser.parseString(Files.readString(result)).getAsJsonArray();
        assertEquals(1, kept.size(), kept.toString());
        assertEquals("sleep", engineOf(kept.get(0)), "only the benchmark that ran well is a result");

        JsonArray notRun = JsonParser.parseString(Files.readString(NotRunList.besides(result))).getAsJsonArray();
        assertEquals(1, notRun.size(), notRun.toString());
        assertEquals(engine, notRun.get(0).getAsJsonObject().getAsJsonObject("params").get("engine").getAsString());
        assertEquals("error", notRun.get(0).getAsJsonObject().get("kind").getAsString());

        Path unfinishedFile = dir.resolve("run.unfinished.json");
        JsonArray unfinished = JsonParser.parseString(Files.readString(unfinishedFile)).getAsJsonArray();
        assertEquals(1, unfinished.size(), unfinished.toString());
        JsonObject entry = unfinished.get(0).getAsJsonObject();
        assertEquals(engine, engineOf(entry));
        String why = entry.getAsJsonObject("environment").get(EnvironmentKeys.UNFINISHED).getAsString();
        assertTrue(why.startsWith("failed: ") && why.endsWith("2 of 5 measured iterations of fork 2 of 2 taken"), why);
        JsonArray forks = entry.getAsJsonObject("primaryMetric").getAsJsonArray("rawData");
        assertEquals(2, forks.size(), forks.toString());
        assertEquals(5, forks.get(0).getAsJsonArray().size(), "the first fork, whole: " + forks);
        assertEquals(2, forks.get(1).getAsJsonArray().size(), "the second fork's iterations before it failed: " + forks);
        assertTrue(Forked.read(log).contains("did not finish are kept in " + unfinishedFile), Forked.read(log));

        // the one reader of result files (report, compare, sweep) takes it for none
        BadInputException refused = assertThrows(BadInputException.class, () -> ResultFile.read(unfinishedFile));
        assertTrue(refused.getMessage().contains("is a benchmark that did not finish (failed: "), refused.getMessage());
    }

    /**
     * In JMH's own VM (-f 0) an iteration that throws stops the run (JMH fails on its own bookkeeping): one line says so,
     * what finished is the result, the failed benchmark is listed with its iterations kept apart, exit 1.
     */
    @Test
    void inJmhsOwnVmAFailedIterationStopsTheRunInOneLineKeepingWhatWasMeasured(@TempDir Path dir) throws Exception {
        Path result = dir.resolve("run.json");
        Path log = dir.resolve("run.log");
        // -f 0: one trial per batch size in this VM; the second trial's third iteration throws
        Process run = Forked.java(log, List.of("-Djmh.ignoreLock=true", "-D" + SleepBenchmark.TRIALS + "=" + dir.resolve("trials.txt")),
                Main.class.getName(), Forked.SLEEP, "-f", "0", "-wi", "0", "-i", "5", "-r", "100ms", "-p", "engine=late-broken",
                "-p", "batchSize=1,2,4", "-rff", result.toString()).start();
        assertEquals(1, run.waitFor(), Forked.read(log));
        String printed = Forked.read(log);
        // JMH prints the benchmark's own exception under <failure>; the launcher adds no trace of JMH's stop
        assertFalse(printed.contains("Exception in thread") || printed.contains("IndexOutOfBoundsException"), printed);
        assertTrue(printed.contains("JMH cannot go on in its own VM (-f 0) after an iteration that threw: no benchmark after it was started"),
                printed);
        JsonArray kept = JsonParser.parseString(Files.readString(result)).getAsJsonArray();
        assertEquals(1, kept.size(), kept.toString());
        assertEquals("1", kept.get(0).getAsJsonObject().getAsJsonObject("params").get("batchSize").getAsString());
        JsonArray notRun = JsonParser.parseString(Files.readString(NotRunList.besides(result))).getAsJsonArray();
        assertEquals("2", notRun.get(0).getAsJsonObject().getAsJsonObject("params").get("batchSize").getAsString(), notRun.toString());
        JsonObject unfinished = JsonParser.parseString(Files.readString(dir.resolve("run.unfinished.json"))).getAsJsonArray()
                .get(0).getAsJsonObject();
        assertTrue(unfinished.getAsJsonObject("environment").get(EnvironmentKeys.UNFINISHED).getAsString().startsWith("failed: "),
                unfinished.toString());
    }

    /** JMH writes -rf csv itself with what it kept of a failed benchmark; the file the user gets holds results only. */
    @Test
    void anotherFormatHoldsOnlyTheBenchmarksThatFinished(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("run.log");
        Process run = twoForks(dir, log, "engine=late-broken,sleep", "5", dir.resolve("run.csv"));
        assertEquals(1, run.waitFor(), Forked.read(log));
        List<String> rows = Files.readAllLines(dir.resolve("run.csv"));
        assertEquals(2, rows.size(), "the header and the benchmark that finished: " + rows);
        assertTrue(rows.get(1).contains("sleep") && !rows.get(1).contains("late-broken"), rows.toString());
    }

    /** When no benchmark finished, no -rf file claims one, and the line says where the measured iterations are. */
    @Test
    void withNoBenchmarkFinishedNoFileHoldsOne(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("run.log");
        Process run = twoForks(dir, log, "engine=late-broken", "3", dir.resolve("run.csv"));
        assertEquals(1, run.waitFor(), Forked.read(log));
        assertFalse(Files.exists(dir.resolve("run.csv")), "a CSV of a failed benchmark:\n" + Forked.read(log));
        assertFalse(Files.exists(dir.resolve("run.json")));
        assertTrue(Forked.read(log).contains("No result file written: no benchmark finished; the measured iterations of 1"
                + " are kept in " + dir.resolve("run.unfinished.json")), Forked.read(log));
    }

    /** The test benchmark with {@code engines}, two forks of {@code iterations} 100 ms iterations, its trials counted in dir. */
    private static Process twoForks(Path dir, Path log, String engines, String iterations, Path result) throws Exception {
        return Forked.java(log, List.of("-Djmh.ignoreLock=true"), Main.class.getName(), Forked.SLEEP,
                "-f", "2", "-wi", "0", "-i", iterations, "-r", "100ms", "-p", engines,
                "-jvmArgsAppend", "-D" + SleepBenchmark.TRIALS + "=" + dir.resolve("trials.txt"),
                "-rff", result.toString()).start();
    }

    private static String engineOf(JsonElement entry) {
        return entry.getAsJsonObject().getAsJsonObject("params").get("engine").getAsString();
    }
}
