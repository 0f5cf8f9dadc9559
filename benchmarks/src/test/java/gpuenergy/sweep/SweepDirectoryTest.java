package gpuenergy.sweep;

import gpuenergy.ConsoleCapture;
import gpuenergy.results.NotRun;
import gpuenergy.results.NotRunList;
import gpuenergy.results.ParamNames;
import gpuenergy.results.ShardFile;
import gpuenergy.results.TrialRecords;
import gpuenergy.run.RunHooks;
import gpuenergy.sweep.testbench.SleepBenchmark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a sweep directory keeps across kills, corrupt files and resumes, and what a sweep says about it, with real JMH
 * runs of {@link gpuenergy.sweep.testbench.SleepBenchmark}.
 */
class SweepDirectoryTest {
    static {
        System.setProperty("jmh.ignoreLock", "true"); // see SweepRunTest
    }

    private static List<String> sweep(Path dir, String model) {
        return List.of("--benchmark", SweepRunTest.BENCH, "-p", "model=" + model, "-p", "engine=sleep", "-f", "1", "-wi", "0",
                "-i", "1", "-v", "SILENT", "--min-seconds", "0.03", "--min-batches", "2", "--out", dir.toString());
    }

    private static ConsoleCapture run(List<String> base, String... more) {
        List<String> args = new ArrayList<>(base);
        args.addAll(List.of(more));
        return ConsoleCapture.run(() -> SweepCommand.run(args.toArray(new String[0])));
    }

    /**
     * A kill while a log line is written leaves it torn. The resumed sweep says it skips it, and its own first line does
     * not join the fragment (where it would be lost, and the log unreadable for every later --resume).
     */
    @Test
    void aTornLogLineIsSkippedAndTheNextResumesReadTheWholeLog(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("sweep");
        assertEquals(0, run(sweep(dir, "fits4"), "--max-batch", "1").rc());
        Path log = dir.resolve(SweepLog.FILE);
        Files.writeString(log, "{\"time\":\"2026-01-01T00:00:00Z\",\"model\":\"fits4\",\"engine\":\"sleep\",\"batchSize\":2,"
                + "\"status\":\"do", StandardCharsets.UTF_8, StandardOpenOption.APPEND);

        ConsoleCapture resumed = run(sweep(dir, "fits4"), "--max-batch", "2", "--resume");
        assertEquals(0, resumed.rc(), resumed.out() + resumed.err());
        assertTrue(resumed.out().contains("[sweep] " + log + ": its last line is torn (90 characters without a final "
                + "newline"), resumed.out());
        assertTrue(SweepLog.read(dir, System.out).stream().anyMatch(e -> e.batchSize() == 2 && e.status().equals(SweepLog.DONE)),
                "batch 2's line is whole");

        ConsoleCapture again = run(sweep(dir, "fits4"), "--max-batch", "8", "--resume");
        assertEquals(0, again.rc(), again.out() + again.err());
        assertFalse(again.out().contains("torn"), again.out());
        assertEquals(List.of("1 done", "2 above-max-batch", "2 done", "4 above-max-batch", "4 done", "8 did-not-fit"),
                outcomes(dir));
    }

    /**
     * Sweep directories on disk hold logs that spell kind error "failed" (src/test/resources/sweep): such a line reads as
     * error, and --resume runs its configuration again, as it does any failure.
     */
    @Test
    void aLogThatSpellsErrorFailedResumes(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("sweep");
        assertEquals(0, run(sweep(dir, "fits4"), "--max-batch", "1").rc());
        Files.writeString(dir.resolve(SweepLog.FILE), Files.readString(Path.of("src/test/resources/sweep/error-spelled-failed.jsonl")),
                StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        List<SweepLog.Entry> before = SweepLog.read(dir, System.out);
        assertEquals(List.of("2 " + NotRun.Kind.ERROR.label()), Resume.of(before).notRun().stream()
                .map(e -> e.batchSize() + " " + e.kind().label()).toList());

        ConsoleCapture resumed = run(sweep(dir, "fits4"), "--max-batch", "2", "--resume");
        assertEquals(0, resumed.rc(), resumed.out() + resumed.err());
        assertEquals(List.of("1 done", "2 above-max-batch", "2 failed", "2 done", "4 above-max-batch"), outcomes(dir));
    }

    /**
     * A whole line of the log that is not a log entry (another JSON object, text) stops --resume in one line, exit 1,
     * before anything is recorded: shard.json, sweep-settings.json and sweep-commands.txt stay as they were, or absent in a
     * directory that holds the log alone (a sweep's from before those records). The line names the log under --out as
     * given, as the sweep's other lines about --out do.
     */
    @Test
    void aLogLineThatIsNotAnEntryStopsAResumeBeforeAnythingIsRecorded(@TempDir Path tmp) throws Exception {
        Path measured = Path.of("").toAbsolutePath().relativize(tmp.resolve("measured"));
        assertEquals(0, run(sweep(measured, "fits1"), "--max-batch", "1").rc());
        Path logAlone = Files.createDirectories(Path.of("").toAbsolutePath().relativize(tmp.resolve("log-alone")));
        List<String> records = List.of(ShardFile.FILE, SweepSettings.FILE, SweepDirectory.COMMANDS_FILE);
        for (Path dir : List.of(measured, logAlone)) {
            Path log = dir.resolve(SweepLog.FILE);
            String logged = Files.exists(log) ? Files.readString(log) : "";
            for (String line : List.of("{\"x\":1}", "hello")) {
                Files.writeString(log, logged + line + "\n");
                Map<String, byte[]> before = new java.util.TreeMap<>();
                for (String name : records) {
                    before.put(name, Files.exists(dir.resolve(name)) ? Files.readAllBytes(dir.resolve(name)) : null);
                }
                assertEquals(dir == measured, before.values().stream().allMatch(java.util.Objects::nonNull), before.keySet().toString());

                ConsoleCapture resumed = run(sweep(dir, "fits1"), "--max-batch", "1", "--resume");
                assertEquals(1, resumed.rc(), line + ": " + resumed.out() + resumed.err());
                assertEquals("sweep: " + log + " line " + Files.readAllLines(log).size() + " is not a sweep log entry: "
                        + "expected one JSON object with model, engine, batchSize (a whole number >= 1) and status\n",
                        resumed.err(), line);
                for (String name : records) {
                    byte[] now = Files.exists(dir.resolve(name)) ? Files.readAllBytes(dir.resolve(name)) : null;
                    if (before.get(name) == null) {
                        assertNull(now, dir + ": " + name + " written by a refused resume");
                    } else {
                        assertArrayEquals(before.get(name), now, dir + ": " + name + " changed by a refused resume");
                    }
                }
            }
        }
    }

    /**
     * A relative --out is named as given in every line about it: the first ("results in DIR"), the last ("summary:
     * DIR/summary.csv; not run: ...; log: ..."), a result set aside, what a --stop-after left, and the refusal of an
     * unreadable DIR/shard.json; the sweep's files are where --out names them.
     */
    @Test
    void aRelativeOutIsNamedAsGiven(@TempDir Path tmp) throws Exception {
        Path dir = Path.of("").toAbsolutePath().relativize(tmp.resolve("sweep"));
        ConsoleCapture c = run(sweep(dir, "fits1"), "--max-batch", "1");
        assertEquals(0, c.rc(), c.out() + c.err());
        List<String> lines = c.out().lines().filter(l -> l.startsWith("[sweep] ")).toList();
        assertEquals("[sweep] 1 model x 1 engine, batch sizes 1..1 doubling until out of memory; results in " + dir,
                lines.get(0), c.out());
        assertEquals("[sweep] summary: " + dir.resolve(Summary.FILE) + "; not run: " + dir.resolve(NotRunList.SWEEP_FILE)
                + "; log: " + dir.resolve(SweepLog.FILE), lines.get(lines.size() - 1), c.out());
        assertTrue(Files.exists(dir.resolve(Summary.FILE)));

        Files.writeString(dir.resolve("fits1-sleep-b1.json"), "not json");
        ConsoleCapture resumed = run(sweep(dir, "fits1,fits2"), "--max-batch", "1", "--resume", "--stop-after", "0.001");
        assertEquals(0, resumed.rc(), resumed.out() + resumed.err());
        assertTrue(resumed.out().contains("[sweep] " + dir.resolve("fits1-sleep-b1.json") + ": not valid JSON"),
                resumed.out());
        assertTrue(resumed.out().contains("; moved to " + dir.resolve(SweepDirectory.UNREADABLE_DIR).resolve("fits1-sleep-b1.json")
                + " and "), resumed.out());
        assertTrue(resumed.out().contains("; what it measured stays in " + dir + ", and --resume continues it\n"),
                resumed.out());

        Files.writeString(dir.resolve(ShardFile.FILE), "not json");
        ConsoleCapture refused = run(sweep(dir, "fits1"), "--max-batch", "1", "--resume");
        assertEquals(2, refused.rc(), refused.out() + refused.err());
        assertTrue(refused.err().startsWith("sweep: " + dir.resolve(ShardFile.FILE) + ": "), refused.err());
    }

    /**
     * unreadable/ that cannot be made (a file stands there) is named under a relative --out as given, as every other line
     * about the sweep's files is, not as the absolute path the sweep works on.
     */
    @Test
    void anAsideThatCannotBeMadeIsNamedUnderARelativeOut(@TempDir Path tmp) throws Exception {
        Path dir = Path.of("").toAbsolutePath().relativize(tmp.resolve("sweep"));
        List<String> args = new ArrayList<>(sweep(dir, "fits1"));
        args.addAll(List.of("--max-batch", "1"));
        assertEquals(0, run(args).rc());
        Files.writeString(dir.resolve("fits1-sleep-b1.json"), "not json");
        Files.writeString(dir.resolve(SweepDirectory.UNREADABLE_DIR), "a file where the directory goes");
        ConsoleCapture c = run(args, "--resume");
        assertNotEquals(0, c.rc(), c.out() + c.err());
        assertEquals("sweep: " + dir.resolve(SweepDirectory.UNREADABLE_DIR) + ": is a file, not a directory\n", c.err(),
                c.out());
    }

    /**
     * The log's lines as "BATCH STATUS", its re-run lines left out: a busy host may hold fewer than the 2 batches asked
     * for in a 0.03 s iteration, and the sweep then runs that batch again, as it should.
     */
    private static List<String> outcomes(Path dir) throws IOException {
        return SweepLog.read(dir, System.out).stream().filter(e -> !e.status().equals(SweepLog.RERUN))
                .map(e -> e.batchSize() + " " + e.status()).toList();
    }

    /** A result that cannot be read is moved to unreadable/ each time, under a name of its own: none replaces another. */
    @Test
    void resultsSetAsideTwiceAreBothKept(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("sweep");
        List<String> args = new ArrayList<>(sweep(dir, "fits1"));
        args.addAll(List.of("--max-batch", "1"));
        assertEquals(0, run(args).rc());
        Path result = dir.resolve("fits1-sleep-b1.json");
        Path unreadable = dir.resolve(SweepDirectory.UNREADABLE_DIR);
        for (String junk : List.of("first", "second")) {
            Files.writeString(result, junk);
            ConsoleCapture resumed = run(args, "--resume");
            assertEquals(0, resumed.rc(), resumed.out() + resumed.err());
            Path aside = unreadable.resolve(junk.equals("first") ? "fits1-sleep-b1.json" : "fits1-sleep-b1.1.json");
            assertTrue(resumed.out().contains("; moved to " + aside + " and running it again"), resumed.out());
            assertTrue(Files.readString(result).startsWith("["), "measured again");
        }
        assertEquals("first", Files.readString(unreadable.resolve("fits1-sleep-b1.json")));
        assertEquals("second", Files.readString(unreadable.resolve("fits1-sleep-b1.1.json")));
    }

    /**
     * A directory filled by several sweeps is summarized whole: another sweep's result that cannot be read is moved to
     * unreadable/ with one line and left out of its ladder's row, and the summary of the rest is written.
     */
    @Test
    void anotherSweepsUnreadableResultCostsOnlyItsOwnRung(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("sweep");
        assertEquals(0, run(sweep(dir, "fits2"), "--max-batch", "2").rc());
        Path bad = dir.resolve("fits2-sleep-b2.json");
        Files.writeString(bad, "not json");

        ConsoleCapture resumed = run(sweep(dir, "fits1"), "--max-batch", "1", "--resume");
        assertEquals(0, resumed.rc(), resumed.out() + resumed.err());
        Path aside = dir.resolve(SweepDirectory.UNREADABLE_DIR).resolve("fits2-sleep-b2.json");
        assertTrue(resumed.out().contains("; moved to " + aside + " and left out of the summary"), resumed.out());
        assertEquals("not json", Files.readString(aside));
        List<String> rows = Files.readAllLines(dir.resolve(Summary.FILE));
        assertEquals(3, rows.size(), rows.toString());
        assertTrue(rows.get(1).startsWith("fits1,sleep,1,"), rows.toString());
        assertTrue(rows.get(2).startsWith("fits2,sleep,1,"), rows.toString());
        assertTrue(rows.get(2).contains(",1,"), "batch 2 left out of batch_sizes_measured: " + rows.get(2));
    }

    /**
     * Sweep directories on disk may hold the results of a model given by a relative path under hidden names
     * (._fits4-sleep-b1.json for ./fits4), their unfinished files too: --resume renames each, one line each, and takes
     * its result as done rather than measuring it again beside it; report and compare then read one result per
     * configuration. A hidden result whose visible name is taken stays, and its line says so.
     */
    @Test
    void hiddenResultNamesOnDiskAreRenamedAndDone(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("sweep");
        List<String> args = new ArrayList<>(sweep(dir, "./fits4"));
        args.addAll(List.of("--max-batch", "2"));
        assertEquals(0, run(args).rc());
        // the directory as sweeps on disk hold it: every file named after a result with the result's leading '.'
        Map<String, String> measured = new java.util.TreeMap<>();
        for (String name : List.of("__fits4-sleep-b1.json", "__fits4-sleep-b2.json")) {
            measured.put(name, Files.readString(dir.resolve(name)));
            Files.move(dir.resolve(name), dir.resolve("." + name.substring(1)));
        }
        Files.writeString(dir.resolve("._fits4-sleep-b4.unfinished.json"), "[]");
        Path log = dir.resolve(SweepLog.FILE);
        String asLogged = Files.readString(log);
        String hidden = asLogged.replace("\"file\":\"__fits4", "\"file\":\"._fits4");
        assertNotEquals(asLogged, hidden, "the log names the results by file");
        Files.writeString(log, hidden);
        List<String> logged = SweepLog.read(dir, System.out).stream().map(e -> e.batchSize() + " " + e.status()).toList();

        ConsoleCapture resumed = run(args, "--resume");
        assertEquals(0, resumed.rc(), resumed.out() + resumed.err());
        for (String name : List.of("__fits4-sleep-b1.json", "__fits4-sleep-b2.json", "__fits4-sleep-b4.unfinished.json")) {
            assertTrue(resumed.out().contains("[sweep] " + dir.resolve("." + name.substring(1)) + ": renamed "
                    + dir.resolve(name) + ", the name this sweep gives it (a leading '.' hides a file)\n"), resumed.out());
        }
        assertTrue(resumed.out().contains("[sweep] ./fits4 / sleep batch 1: done earlier (__fits4-sleep-b1.json)"), resumed.out());
        assertTrue(resumed.out().contains("[sweep] ./fits4 / sleep batch 2: done earlier (__fits4-sleep-b2.json)"), resumed.out());
        assertEquals(logged, SweepLog.read(dir, System.out).stream().map(e -> e.batchSize() + " " + e.status()).toList(),
                "nothing measured again");
        for (var e : measured.entrySet()) {
            assertEquals(e.getValue(), Files.readString(dir.resolve(e.getKey())));
        }
        try (var files = Files.list(dir)) {
            assertEquals(List.of(), files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json") && n.startsWith("."))
                    .toList(), "no result left hidden");
        }
        assertEquals(List.of("__fits4-sleep-b1.json", "__fits4-sleep-b2.json", NotRunList.SWEEP_FILE),
                gpuenergy.results.SweepResults.of(dir).files().stream().map(p -> p.getFileName().toString()).toList());

        // a hidden result beside its visible name (the configuration measured again under it): both stay
        Files.writeString(dir.resolve("._fits4-sleep-b1.json"), measured.get("__fits4-sleep-b1.json"));
        ConsoleCapture again = run(args, "--resume");
        assertEquals(0, again.rc(), again.out() + again.err());
        assertTrue(again.out().contains("[sweep] " + dir.resolve("._fits4-sleep-b1.json") + ": left as it is, since "
                + dir.resolve("__fits4-sleep-b1.json") + ", the name this sweep gives it, is taken (the configuration ran "
                + "again under it); report and compare read both results: move one of them out of " + dir + "\n"),
                again.out());
        assertTrue(Files.exists(dir.resolve("._fits4-sleep-b1.json")));
        assertTrue(again.out().contains("done earlier (__fits4-sleep-b1.json)"), again.out());
    }

    /** Every configuration unavailable here (FP16 on a CPU): nothing measured, exit 1, and one line says why. */
    @Test
    void nothingMeasuredSaysWhyItExitsOne(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("sweep");
        RunHooks unavailable = new RunHooks() {
            @Override
            public TrialRecords.NotRunRecord notRun(String benchmark, Map<String, String> params) {
                return new TrialRecords.NotRunRecord(NotRun.Kind.UNAVAILABLE, "engine '" + params.get(ParamNames.ENGINE)
                        + "' needs a GPU (test)");
            }
        };
        ConsoleCapture c = ConsoleCapture.run(() -> SweepCommand.run(new String[] {"--benchmark", SweepRunTest.BENCH, "-p",
                "model=fits1,fits2", "-p", "engine=broken", "-v", "SILENT", "--min-seconds", "0.03", "--out", dir.toString()},
                unavailable));
        assertEquals(1, c.rc(), c.out() + c.err());
        assertEquals("sweep: nothing was measured (not run: 2 unavailable); exit 1\n", c.err());
        assertEquals(2, NotRunList.read(dir.resolve(NotRunList.SWEEP_FILE)).size());
    }

    /** --out naming a file: one line that says so, exit 1 as a plain run whose -rff cannot be written. */
    @Test
    void anOutThatIsAFileIsOneLine(@TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("afile"), "mine");
        for (List<String> more : List.of(List.<String>of(), List.of("--resume"))) {
            ConsoleCapture c = run(sweep(file, "fits1"), more.toArray(new String[0]));
            assertEquals(1, c.rc(), more + ": " + c.out() + c.err());
            assertEquals("sweep: --out " + file + " is a file, not a directory\n", c.err(), more.toString());
        }
        assertEquals("mine", Files.readString(file));
    }

    /** A sweep stopped before its first run wrote no log and no not-run list: its last line names only the summary. */
    @Test
    void theLastLineNamesOnlyTheFilesWritten(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("sweep");
        ConsoleCapture c = run(sweep(dir, "fits1"), "--stop-after", "0.001");
        assertEquals(0, c.rc(), c.out() + c.err());
        assertFalse(Files.exists(dir.resolve(SweepLog.FILE)));
        assertFalse(Files.exists(dir.resolve(NotRunList.SWEEP_FILE)));
        assertTrue(c.out().endsWith("[sweep] summary: " + dir.resolve(Summary.FILE) + "\n"), c.out());
    }

    /**
     * A configuration that failed and then measured is no longer listed as not run, also where nothing else ended
     * without a result since: here a kill right after batch 2's "done" line (its list still the failure's), and a
     * resume stopped by --stop-after before any run. report lists sweep.notrun.json under "Not run".
     */
    @Test
    void aFailureMeasuredLaterLeavesTheNotRunList(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("sweep");
        Path trials = tmp.resolve("trials.txt");
        // the first trial (batch 1) runs; the second (batch 2) fails
        List<String> args = List.of("--benchmark", SweepRunTest.BENCH, "-p", "model=fits8", "-p", "engine=late-broken",
                "-f", "1", "-wi", "0", "-i", "4", "-v", "SILENT", "--min-seconds", "0.03", "--min-batches", "1",
                "-jvmArgsAppend", "-D" + SleepBenchmark.TRIALS + "=" + trials, "--out", dir.toString());
        assertEquals(1, run(args, "--max-batch", "2").rc());
        Path list = dir.resolve(NotRunList.SWEEP_FILE);
        String failedList = Files.readString(list);
        assertEquals(List.of("2 error"), NotRunList.read(list).stream()
                .map(n -> n.param(ParamNames.BATCH_SIZE) + " " + n.kind().label()).toList());

        Files.delete(trials);
        ConsoleCapture resumed = run(args, "--max-batch", "2", "--resume");
        assertEquals(0, resumed.rc(), resumed.out() + resumed.err());
        // as a kill right after batch 2's line leaves it: the log ends at "2 done", the list is still the failure's
        Path log = dir.resolve(SweepLog.FILE);
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        assertTrue(lines.get(lines.size() - 1).contains("\"status\":\"above-max-batch\""), lines.toString());
        Files.write(log, lines.subList(0, lines.size() - 1), StandardCharsets.UTF_8);
        Files.writeString(list, failedList);

        ConsoleCapture stopped = run(args, "--max-batch", "4", "--resume", "--stop-after", "0.001");
        assertEquals(0, stopped.rc(), stopped.out() + stopped.err());
        assertTrue(stopped.out().contains("[sweep] stopping: "), stopped.out());
        assertFalse(Files.exists(list), "batch 2 measured: nothing is left not run");
        assertFalse(stopped.out().contains("not run: "), stopped.out());
    }
}
