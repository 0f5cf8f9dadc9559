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
        Process run = Forked.java(log, List.of("-Djmh.ignoreLock=true"), Main.class.getName(), Forked.SLEEP,
                "-f", "2", "-wi", "0", "-i", "5", "-r", "100ms", "-p", "engine=" + engine + ",sleep",
                "-jvmArgsAppend", "-D" + SleepBenchmark.TRIALS + "=" + dir.resolve("trials.txt"),
                "-rff", result.toString()).start();
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

    private static String engineOf(JsonElement entry) {
        return entry.getAsJsonObject().getAsJsonObject("params").get("engine").getAsString();
    }
}
