package gpuenergy.sweep;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import gpuenergy.ConsoleCapture;
import gpuenergy.profile.EnvironmentKeys;
import gpuenergy.results.SweepResults;
import gpuenergy.sweep.testbench.SleepBenchmark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A configuration's run that fails after measuring keeps its measured iterations beside the name its result would have,
 * in a file no reader of the sweep takes for a result; the run made again and finished sets it aside and leaves none of
 * its own.
 */
class SweepUnfinishedRunTest {
    static {
        System.setProperty("jmh.ignoreLock", "true"); // see SweepRunTest
    }

    /**
     * A sweep of fits8 on {@code engine}, batches up to 2, one fork of {@code iterations} 0.03 s iterations, into
     * tmp/sweep; the benchmark counts its trials in tmp/trials.txt.
     */
    private static String[] sweep(Path tmp, String engine, String iterations, String minBatches) {
        return new String[] {"--benchmark", SweepRunTest.BENCH, "-p", "model=fits8", "-p", "engine=" + engine, "-f", "1",
                "-wi", "0", "-i", iterations, "--min-seconds", "0.03", "--min-batches", minBatches, "--max-batch", "2",
                "-jvmArgsAppend", "-D" + SleepBenchmark.TRIALS + "=" + tmp.resolve("trials.txt"), "--out",
                tmp.resolve("sweep").toString()};
    }

    @Test
    void aRunThatFailsMidwayKeepsItsIterationsAndTheRunMadeAgainSetsThemAside(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("sweep");
        Path trials = tmp.resolve("trials.txt");
        // the first trial (batch 1) runs; the second (batch 2) throws in its third iteration, after two were measured
        String[] args = sweep(tmp, "late-broken", "4", "1");
        ConsoleCapture failed = ConsoleCapture.run(() -> SweepCommand.run(args));
        assertEquals(1, failed.rc(), failed.out() + failed.err());
        assertTrue(Files.exists(dir.resolve("fits8-late-broken-b1.json")));
        assertFalse(Files.exists(dir.resolve("fits8-late-broken-b1.unfinished.json")), "a run that finished keeps none");
        assertFalse(Files.exists(dir.resolve("fits8-late-broken-b2.json")));

        Path unfinished = dir.resolve("fits8-late-broken-b2.unfinished.json");
        JsonArray kept = JsonParser.parseString(Files.readString(unfinished)).getAsJsonArray();
        assertEquals(1, kept.size(), kept.toString());
        JsonObject entry = kept.get(0).getAsJsonObject();
        assertEquals("2", entry.getAsJsonObject("params").get("batchSize").getAsString());
        assertEquals("failed: it failed (see the not-run list); 2 of 4 measured iterations of fork 1 of 1 taken",
                entry.getAsJsonObject("environment").get(EnvironmentKeys.UNFINISHED).getAsString());
        JsonArray forks = entry.getAsJsonObject("primaryMetric").getAsJsonArray("rawData");
        assertEquals(1, forks.size(), forks.toString());
        assertEquals(2, forks.get(0).getAsJsonArray().size(), "the iterations before the failure: " + forks);
        assertTrue(failed.out().contains("kept in " + unfinished + " (not a result)"), failed.out());
        // report and compare read the sweep's results: the measured iterations of a failed run are none of them
        assertEquals(List.of(dir.resolve("fits8-late-broken-b1.json"), dir.resolve("sweep.notrun.json")),
                SweepResults.of(dir).files());

        // --resume makes the failed run again; this time it finishes
        Files.delete(trials);
        String[] resume = java.util.Arrays.copyOf(args, args.length + 1);
        resume[args.length] = "--resume";
        ConsoleCapture resumed = ConsoleCapture.run(() -> SweepCommand.run(resume));
        assertEquals(0, resumed.rc(), resumed.out() + resumed.err());
        assertEquals(2, Measurement.read(dir.resolve("fits8-late-broken-b2.json")).batchSize());
        Path aside = dir.resolve("fits8-late-broken-b2.unfinished.earlier.json");
        assertEquals(kept, JsonParser.parseString(Files.readString(aside)).getAsJsonArray(), "the failed run's, set aside whole");
        assertTrue(resumed.out().contains("\n[sweep] result: " + unfinished + " of an earlier run set aside as " + aside), resumed.out());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of("fits8-late-broken-b1.json", "fits8-late-broken-b2.json",
                    "fits8-late-broken-b2.unfinished.earlier.json"), files.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("fits8") || n.startsWith(".fits8")).sorted().toList());
        }
        assertEquals(List.of(dir.resolve("fits8-late-broken-b1.json"), dir.resolve("fits8-late-broken-b2.json"),
                dir.resolve("sweep.notrun.json")), SweepResults.of(dir).files());
    }

    /**
     * A short run fits; its re-run with longer iterations runs out of memory. The batch fits, so the short run is kept as
     * its result, logged done with a note that says both, and the ladder ends there, with nothing logged above it, so that
     * a --resume tries the next batch.
     */
    @Test
    void aShortRunWhoseReRunDidNotFitIsTheResult(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("sweep");
        // 0.03 s iterations of a 1 ms batch hold about 30 batches, short of 1000: the re-run (the second trial) fails
        String[] args = sweep(tmp, "late-oom", "1", "1000");
        ConsoleCapture run = ConsoleCapture.run(() -> SweepCommand.run(args));
        assertEquals(0, run.rc(), run.out() + run.err());
        Path result = dir.resolve("fits8-late-oom-b1.json");
        Path shortRun = dir.resolve("short/fits8-late-oom-b1.try1.json");
        assertEquals(Files.readString(shortRun), Files.readString(result), "the short run, kept in short/ too");
        List<SweepLog.Entry> log = SweepLog.read(dir, System.out);
        assertEquals(List.of("1 rerun", "1 done"), log.stream().map(e -> e.batchSize() + " " + e.status()).toList());
        String note = log.get(1).reason();
        assertTrue(note.startsWith("the short run short/fits8-late-oom-b1.try1.json kept as the result: slowest iteration "
                + "held "), note);
        assertTrue(note.contains("(< 1000) in 0.030 s; its re-run with "), note);
        assertTrue(note.contains(" s iterations did not fit: "), note);
        assertFalse(Files.exists(dir.resolve("sweep.notrun.json")), "nothing is recorded as not run");
        List<String> console = run.out().lines().filter(l -> l.contains("late-oom")).toList();
        assertTrue(console.contains("[sweep] fits8 / late-oom batch 1: " + note + "; ladder ends"), run.out());
        assertTrue(console.stream().noneMatch(l -> l.contains("did not fit; ladder ends")), run.out());
        String row = Files.readAllLines(dir.resolve(Summary.FILE)).get(1);
        assertTrue(row.startsWith("fits8,late-oom,1,"), row);
        assertTrue(row.contains("not the protocol's --min-batches"), row);
    }
}
