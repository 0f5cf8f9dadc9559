package gpuenergy.sweep;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import gpuenergy.ConsoleCapture;
import gpuenergy.compare.CompareCommand;
import gpuenergy.report.ReportCommand;
import gpuenergy.results.NotRun;
import gpuenergy.results.ShardFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * --shard I/N with real JMH runs of {@link gpuenergy.sweep.testbench.SleepBenchmark}: the parts together run what
 * the unsharded sweep runs, each part in its own directory, and merge into the same report; a part's directory takes
 * only its own part back.
 */
class SweepShardTest {
    static {
        System.setProperty("jmh.ignoreLock", "true"); // see SweepRunTest
    }

    /** Two ladders: fits1 (batch 1, then out of memory at 2) and fits2 (1, 2, out of memory at 4). */
    private static final List<String> SWEEP = List.of("--benchmark", SweepRunTest.BENCH, "-p", "model=fits1,fits2",
            "-p", "engine=sleep", "--min-seconds", "0.03", "--min-batches", "1");

    @TempDir
    static Path tmp;
    static Path whole;
    static Path sharded;
    /** The whole sweep's log with fits2's times 100 s longer: which ladder a machine runs longer is not the test's to guess. */
    static Path timed;

    private static String[] args(Path out, String... more) {
        List<String> a = new ArrayList<>(SWEEP);
        a.addAll(List.of("--out", out.toString()));
        a.addAll(Arrays.asList(more));
        return a.toArray(new String[0]);
    }

    @BeforeAll
    static void sweepWholeThenInTwoParts() throws Exception {
        whole = tmp.resolve("whole");
        sharded = tmp.resolve("sharded");
        assertEquals(0, SweepCommand.run(args(whole)));
        assertEquals(0, SweepCommand.run(args(sharded.resolve("shard-1-of-2"), "--shard", "1/2")));
        assertEquals(0, SweepCommand.run(args(sharded.resolve("shard-2-of-2"), "--shard", "2/2")));
        timed = Files.createDirectories(tmp.resolve("timed"));
        List<String> lines = new ArrayList<>();
        for (String line : Files.readAllLines(whole.resolve(SweepLog.FILE))) {
            JsonObject e = JsonParser.parseString(line).getAsJsonObject();
            if (e.get("model").getAsString().equals("fits2")) {
                e.addProperty("seconds", e.get("seconds").getAsDouble() + 100);
            }
            lines.add(e.toString());
        }
        Files.write(timed.resolve(SweepLog.FILE), lines);
    }

    private static Set<String> results(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.matches("fits\\d-sleep-b\\d+\\.json"))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    @Test
    void thePartsRunWhatTheWholeSweepRunsEachLadderInOnePart() throws Exception {
        Set<String> one = results(sharded.resolve("shard-1-of-2"));
        Set<String> two = results(sharded.resolve("shard-2-of-2"));
        assertEquals(Set.of("fits1-sleep-b1.json"), one, "nothing known of the times: ladders dealt out in turn");
        assertEquals(Set.of("fits2-sleep-b1.json", "fits2-sleep-b2.json"), two);
        Set<String> union = new TreeSet<>(one);
        union.addAll(two);
        assertEquals(results(whole), union);
        for (String part : List.of("shard-1-of-2", "shard-2-of-2")) {
            ShardFile f = ShardFile.read(sharded.resolve(part));
            assertEquals(part.equals("shard-1-of-2") ? "1/2" : "2/2", f.shard());
            assertEquals(List.of("fits1", "fits2"), f.partition().stream().map(ShardFile.Ladder::model).toList());
            assertEquals(List.of(1, 2), f.partition().stream().map(ShardFile.Ladder::shard).toList());
        }
        // each part's did-not-fit is its own
        assertEquals(List.of("fits1"), SweepLog.read(sharded.resolve("shard-1-of-2"), System.out).stream()
                .filter(e -> e.kind() == NotRun.Kind.DID_NOT_FIT).map(SweepLog.Entry::model).toList());
    }

    @Test
    void theMergedReportHasTheRowsOfTheWholeSweepsReport() throws Exception {
        Path wholeReport = tmp.resolve("report-whole");
        Path mergedReport = tmp.resolve("report-merged");
        assertEquals(0, ReportCommand.run(new String[] {whole.toString(), "--out", wholeReport.toString()}));
        assertEquals(0, ReportCommand.run(new String[] {sharded.toString(), "--out", mergedReport.toString()}));
        // the same benchmarks, each once (plotted: no duplicate); the rates are the runs' own, and without energy no
        // row is a best batch
        assertEquals(rowKeys(wholeReport), rowKeys(mergedReport));
        assertEquals(3, rowKeys(wholeReport).size(), "fits1 b1, fits2 b1 and b2");
        String md = Files.readString(mergedReport.resolve("summary.md"));
        assertTrue(md.contains("batchSize=2}: did-not-fit") && md.contains("batchSize=4}: did-not-fit"),
                "both parts' not-run lists: " + md);
    }

    /** A shell's DIR/*.json also passes the part's settings and shard records: they are not results, and not skipped. */
    @Test
    void aGlobOverAPartsFilesReportsItsResultsAndPassesItsRecords() throws Exception {
        Path part = sharded.resolve("shard-2-of-2");
        List<String> args = new java.util.ArrayList<>();
        try (Stream<Path> files = Files.list(part)) {
            files.filter(p -> p.toString().endsWith(".json")).map(Path::toString).sorted().forEach(args::add);
        }
        assertTrue(args.stream().anyMatch(a -> a.endsWith("sweep-settings.json")) && args.stream().anyMatch(a -> a.endsWith("shard.json")), args.toString());
        args.addAll(List.of("--out", tmp.resolve("report-glob").toString(), "--strict"));
        ConsoleCapture report = ConsoleCapture.run(() -> ReportCommand.run(args.toArray(new String[0])));
        assertEquals(0, report.rc(), report.out());
        assertTrue(!report.out().contains("skipped"), report.out());
        assertEquals(2, rowKeys(tmp.resolve("report-glob")).size(), "fits2 b1 and b2");
    }

    @Test
    void compareTakesSweepDirectoriesAndAMissingPartIsNamed() throws Exception {
        ConsoleCapture all = ConsoleCapture.run(() -> CompareCommand.run(new String[] {whole.toString(), sharded.toString()}));
        assertEquals(3, all.rc(), "one iteration a run: nothing can be judged, " + all.out());
        assertTrue(all.out().contains("3 benchmarks compared"), all.out());

        Path partial = tmp.resolve("partial");
        Path one = partial.resolve("shard-1-of-2");
        Files.createDirectories(one);
        try (Stream<Path> files = Files.list(sharded.resolve("shard-1-of-2"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.copy(f, one.resolve(f.getFileName()));
            }
        }
        String missing = "part 2 of 2 missing (no shard-2-of-2): its ladders fits2 / sleep are not in it";
        ConsoleCapture report = ConsoleCapture.run(() -> ReportCommand.run(new String[] {partial.toString(), "--out", tmp.resolve("r").toString()}));
        assertEquals(0, report.rc(), "the part that is there is reported");
        assertTrue(report.err().contains("report: skipped " + partial + ": " + missing), report.err());
        ConsoleCapture strict = ConsoleCapture.run(() -> ReportCommand.run(new String[] {partial.toString(), "--out", tmp.resolve("r2").toString(),
                "--strict"}));
        assertEquals(2, strict.rc());
        ConsoleCapture gate = ConsoleCapture.run(() -> CompareCommand.run(new String[] {whole.toString(), partial.toString()}));
        assertEquals(2, gate.rc(), "a gate does not pass on half a sweep");
        assertEquals("compare: " + partial + ": " + missing, gate.err().strip());
    }

    /**
     * A sweep run whole records its ladders as the one part of one, as a part records its own: here a resume that adds
     * fits2 and that --stop-after stops before it. The sweep names fits2 as left, as the --gpus parent names what a part
     * left; report lists it under "Not run", and compare names it on either side.
     */
    @Test
    void aSweepRunWholeStoppedBeforeALadderHasItNamedByReportAndCompare() throws Exception {
        Path stopped = tmp.resolve("stopped");
        List<String> first = new ArrayList<>(List.of(args(stopped)));
        first.set(first.indexOf("model=fits1,fits2"), "model=fits1");
        assertEquals(0, SweepCommand.run(first.toArray(new String[0])));
        assertEquals(List.of("1/1 fits1"), recorded(stopped));
        ConsoleCapture resumed = ConsoleCapture.run(() -> SweepCommand.run(args(stopped, "--resume", "--stop-after", "0.001")));
        assertEquals(0, resumed.rc(), resumed.out() + resumed.err());
        assertTrue(resumed.out().contains("[sweep] stopping: "), resumed.out());
        // fits1's ladder ended in the first run: only fits2 is left, in the --gpus parent's words for a part
        assertEquals(List.of("[sweep] the sweep was stopped by its --stop-after with ladders left; left to run: fits2 / "
                + "sleep from batch 1; what it measured stays in " + stopped + ", and --resume "
                + "continues it"), resumed.out().lines().filter(l -> l.contains("left to run")).toList(), resumed.out());
        assertEquals(List.of("1/1 fits1", "1/1 fits2"), recorded(stopped));
        assertEquals(Set.of("fits1-sleep-b1.json"), results(stopped));

        String what = "fits2 / sleep: nothing measured: its sweep has not reached this ladder (stopped or killed before "
                + "it, or still running); sweep --resume runs it";
        Path report = tmp.resolve("report-stopped");
        assertEquals(0, ReportCommand.run(new String[] {stopped.toString(), "--out", report.toString()}));
        assertEquals(List.of("- stopped: " + what), Files.readAllLines(report.resolve("summary.md")).stream()
                .filter(l -> l.contains("nothing measured")).toList());
        Path wholeReport = tmp.resolve("report-whole-reached");
        assertEquals(0, ReportCommand.run(new String[] {whole.toString(), "--out", wholeReport.toString()}));
        assertFalse(Files.readString(wholeReport.resolve("summary.md")).contains("nothing measured"));

        ConsoleCapture gate = ConsoleCapture.run(() -> CompareCommand.run(new String[] {whole.toString(), stopped.toString()}));
        assertEquals(3, gate.rc(), gate.out());
        assertTrue(gate.out().contains("no result in the candidate: " + stopped + ": " + what), gate.out());
        assertEquals(2, gate.out().lines().filter(l -> l.startsWith("missing in the candidate (not judged): ")
                && l.contains("model=fits2") && l.endsWith(": no result: " + stopped + ": " + what)).count(), gate.out());
        ConsoleCapture reversed = ConsoleCapture.run(() -> CompareCommand.run(new String[] {stopped.toString(), whole.toString()}));
        assertTrue(reversed.out().contains("no result in the baseline: " + stopped + ": " + what), reversed.out());
        assertFalse(reversed.out().contains("no result in the candidate"), reversed.out());
    }

    /** A part that its --stop-after stopped names what it left as the --gpus parent names it, the part's number first. */
    @Test
    void aPartStoppedByItsStopAfterNamesTheLaddersItLeft() throws Exception {
        Path part = tmp.resolve("stopped-part");
        ConsoleCapture run = ConsoleCapture.run(() -> SweepCommand.run(args(part, "--shard", "2/2", "--stop-after",
                "0.001")));
        assertEquals(0, run.rc(), run.out() + run.err());
        assertEquals(List.of("[sweep] part 2/2 was stopped by its --stop-after with ladders left; left to run: fits2 / "
                + "sleep from batch 1; what it measured stays in " + part + ", and --resume "
                + "continues it"), run.out().lines().filter(l -> l.contains("left to run")).toList(), run.out());
    }

    /**
     * A divided sweep whose part 2 its --stop-after stopped before its ladder: the report names its files and that part
     * under the sweep's directory, not under part 1's, the one holding every result, with part 2 as "../shard-2-of-2".
     */
    @Test
    void aPartThatHoldsNoResultIsNamedUnderTheSweepsDirectoryInTheReport() throws Exception {
        Path divided = tmp.resolve("part-2-stopped");
        Path one = Files.createDirectories(divided.resolve("shard-1-of-2"));
        try (Stream<Path> files = Files.list(sharded.resolve("shard-1-of-2"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.copy(f, one.resolve(f.getFileName()));
            }
        }
        assertEquals(0, SweepCommand.run(args(divided.resolve("shard-2-of-2"), "--shard", "2/2", "--stop-after", "0.001")));
        Path report = tmp.resolve("report-part-2-stopped");
        assertEquals(0, ReportCommand.run(new String[] {divided.toString(), "--out", report.toString()}));
        List<String> md = Files.readAllLines(report.resolve("summary.md"));
        assertEquals(List.of("- shard-2-of-2: fits2 / sleep: nothing measured: its sweep has not reached this ladder "
                + "(stopped or killed before it, or still running); sweep --resume runs it"),
                md.stream().filter(l -> l.contains("nothing measured")).toList());
        assertEquals(List.of("Inputs (under `" + divided.toAbsolutePath().normalize() + "`): shard-1-of-2/fits1-sleep-b1.json"),
                md.stream().filter(l -> l.startsWith("Inputs")).toList());
    }

    /** "I/N model" for each ladder of DIR/shard.json. */
    private static List<String> recorded(Path dir) throws Exception {
        ShardFile f = ShardFile.read(dir);
        return f.partition().stream().map(l -> f.shard() + " " + l.model()).toList();
    }

    /** summary.csv's gpu, model, engine, batch and plotted columns. */
    private static List<String> rowKeys(Path report) throws Exception {
        List<String> lines = Files.readAllLines(report.resolve("summary.csv"));
        List<String> header = List.of(lines.get(0).split(","));
        List<String> keys = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", -1);
            keys.add(String.join(",", f[header.indexOf("gpu")], f[header.indexOf("model")], f[header.indexOf("engine")],
                    f[header.indexOf("batch")], f[header.indexOf("plotted")]));
        }
        return keys;
    }

    @Test
    void aPartsDirectoryTakesOnlyItsOwnPartBack() throws Exception {
        Path one = sharded.resolve("shard-1-of-2");
        String named = refused(args(one, "--resume", "--shard", "2/2"));
        assertTrue(named.startsWith("sweep: --shard 2/2 --out " + one + ": that name is part 1 of 2's"), named);
        // under a name of another form, its shard.json says which part it holds
        Path renamed = Files.createDirectories(tmp.resolve("renamed-part"));
        try (Stream<Path> files = Files.list(one)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.copy(f, renamed.resolve(f.getFileName()));
            }
        }
        String other = refused(args(renamed, "--resume", "--shard", "2/2"));
        assertTrue(other.startsWith("sweep: --shard 2/2: --out " + renamed + " holds part 1/2; give --shard 1/2"), other);
        String none = refused(args(renamed, "--resume"));
        assertTrue(none.startsWith("sweep: --out " + renamed + " holds part 1/2 of a sharded sweep; continue it with "
                + "--shard 1/2"), none);
        // the models in the other order deal the ladders out the other way
        List<String> swapped = new ArrayList<>(List.of(args(one, "--resume", "--shard", "1/2")));
        swapped.set(swapped.indexOf("model=fits1,fits2"), "model=fits2,fits1");
        String otherwise = refused(swapped.toArray(new String[0]));
        assertTrue(otherwise.contains("divides the ladders otherwise than the one that started " + one
                + " (ladders whose part differs, as recorded -> as this command divides them: fits1 / sleep: part 1 -> part 2, "
                + "fits2 / sleep: part 2 -> part 1)"), otherwise);
        String unsharded = refused(args(whole, "--resume", "--shard", "1/2"));
        assertTrue(unsharded.contains("holds a sweep run without --shard"), unsharded);
        // the same command resumes: its ladder is done, nothing runs
        assertEquals(0, SweepCommand.run(args(one, "--resume", "--shard", "1/2")));
        assertEquals(Set.of("fits1-sleep-b1.json"), results(one));
    }

    /** A part's shard.json whose numbers no --shard takes (over six digits) is refused in one line naming it. */
    @Test
    void aShardRecordBeyondAnyShardIsOneLine() throws Exception {
        Path part = Files.createDirectories(tmp.resolve("big").resolve("shard-1-of-2"));
        try (Stream<Path> files = Files.list(sharded.resolve("shard-1-of-2"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.copy(f, part.resolve(f.getFileName()));
            }
        }
        Path record = part.resolve(ShardFile.FILE);
        Files.writeString(record, Files.readString(record).replace("\"1/2\"", "\"1/99999999999\""));
        assertEquals("sweep: " + record + ": not a shard record (needs \"shard\": \"I/N\", numbers of up to six digits, "
                + "and a \"partition\" of {model, engine, shard}); expected the shard.json a sweep with --shard I/N writes; "
                + "restore it, or sweep into another --out", refused(args(part, "--resume", "--shard", "1/2")));
    }

    /** The regular files of {@code from} (its lock file aside) copied into a new directory {@code to}. */
    private static Path copy(Path from, Path to) throws Exception {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                if (!f.getFileName().toString().equals(SweepDirectory.LOCK_FILE)) {
                    Files.copy(f, to.resolve(f.getFileName()));
                }
            }
        }
        return to;
    }

    /** Each regular file of {@code dir} by name, with what it holds; the lock file, which names its last holder, aside. */
    private static java.util.Map<String, String> contents(Path dir) throws Exception {
        java.util.Map<String, String> m = new java.util.TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(Files::isRegularFile)
                    .filter(f -> !f.getFileName().toString().equals(SweepDirectory.LOCK_FILE)).toList()) {
                m.put(f.getFileName().toString(), Files.readString(f));
            }
        }
        return m;
    }

    /**
     * A shard.json that cannot be read (not JSON, JSON of another shape, text in place of a number), a whole sweep's or
     * a part's, stops --resume without --shard in one line naming it, as an unreadable sweep-settings.json does: it is
     * not rewritten as part 1 of 1, and nothing else in the directory changes.
     */
    @Test
    void anUnreadableShardRecordStopsAResumeWithoutShard() throws Exception {
        String good = Files.readString(whole.resolve(ShardFile.FILE));
        String part = Files.readString(sharded.resolve("shard-2-of-2").resolve(ShardFile.FILE));
        String notAShardRecord = "not a shard record; expected the shard.json a sweep with --shard I/N writes";
        java.util.Map<String, String> why = new java.util.LinkedHashMap<>();
        why.put("{\"shard\": \"1/1\", \"partition\": [", "not valid JSON at line 1, column 32; expected the shard.json a "
                + "sweep with --shard I/N writes");
        why.put("[1, 2]", notAShardRecord);
        why.put("{\"shard\": 1}", "not a shard record (needs \"shard\": \"I/N\", numbers of up to six digits, and a "
                + "\"partition\" of {model, engine, shard}); expected the shard.json a sweep with --shard I/N writes");
        why.put(good.replaceFirst("\"predictedSeconds\": [0-9.]+", "\"predictedSeconds\": \"abc\""), notAShardRecord);
        why.put(good.replaceFirst("\"shard\": 1,", "\"shard\": \"one\","), notAShardRecord);
        why.put(part.replaceFirst("\"shard\": 2,", "\"shard\": \"two\","), notAShardRecord);
        int n = 0;
        for (java.util.Map.Entry<String, String> bad : why.entrySet()) {
            Path dir = copy(bad.getKey().contains("\"2/2\"") ? sharded.resolve("shard-2-of-2") : whole,
                    tmp.resolve("unreadable-record-" + n++));
            Path record = Files.writeString(dir.resolve(ShardFile.FILE), bad.getKey());
            java.util.Map<String, String> before = contents(dir);
            assertEquals("sweep: " + record + ": " + bad.getValue() + "; restore it, or sweep into another --out",
                    refused(args(dir, "--resume")), bad.getKey());
            assertEquals(before, contents(dir), bad.getKey());
        }
    }

    /**
     * A part's directory whose shard.json is gone (moved aside), resumed without --shard, is refused by its name: the
     * sweep would run the other part's ladders there and record it as part 1 of 1, which report then skips as a part
     * that does not match its name.
     */
    @Test
    void aPartsDirectoryWhoseRecordIsGoneIsNotResumedWhole() throws Exception {
        Path part = copy(sharded.resolve("shard-2-of-2"), tmp.resolve("record-gone").resolve("shard-2-of-2"));
        Files.move(part.resolve(ShardFile.FILE), tmp.resolve("record-gone-aside.json"));
        java.util.Map<String, String> before = contents(part);
        assertEquals("sweep: --out " + part + ": that name is part 2 of 2's, where report and compare look for it, and a "
                + "sweep without --shard runs every ladder; give --shard 2/2, or another --out", refused(args(part, "--resume")));
        assertEquals(before, contents(part));
        // a new sweep without --shard is not written there either
        Path fresh = tmp.resolve("fresh").resolve("shard-1-of-2");
        assertEquals("sweep: --out " + fresh + ": that name is part 1 of 2's, where report and compare look for it, and a "
                + "sweep without --shard runs every ladder; give --shard 1/2, or another --out", refused(args(fresh)));
        assertFalse(Files.exists(fresh));
    }

    /**
     * As a plain sweep's, a part's --resume may change --min-batch and --max-batch: they choose batches, not ladders.
     * Options that divide the ladders otherwise, here a --balance-from whose times give part 1 the other ladder, are
     * refused.
     */
    @Test
    void aPartResumesWithOtherBatchesButNotWithAnotherDivision() throws Exception {
        Path one = sharded.resolve("shard-1-of-2");
        assertEquals(0, SweepCommand.run(args(one, "--resume", "--shard", "1/2", "--max-batch", "4", "--min-batch", "2")));
        assertEquals(Set.of("fits1-sleep-b1.json"), results(one), "fits1 did not fit at batch 2: nothing more to run");
        String balanced = refused(args(one, "--resume", "--shard", "1/2", "--balance-from", timed.toString()));
        assertTrue(balanced.contains("divides the ladders otherwise than the one that started " + one
                + " (ladders whose part differs, as recorded -> as this command divides them: fits1 / sleep: part 1 -> part 2, "
                + "fits2 / sleep: part 2 -> part 1)"), balanced);
    }

    @Test
    void aPartWithNoLadderRunsNothingAndExitsZero() throws Exception {
        Path three = tmp.resolve("three").resolve("shard-3-of-3");
        ConsoleCapture c = ConsoleCapture.run(() -> SweepCommand.run(args(three, "--shard", "3/3")));
        assertEquals(0, c.rc(), c.out() + c.err());
        assertTrue(c.out().contains("[sweep] shard 3/3: 0 of the 2 ladders (none: more parts than ladders)"), c.out());
        assertEquals(Set.of(), results(three));
    }

    /**
     * The sweep in three parts, of which the third, with no ladder (more parts than ladders), never ran: nothing is
     * missing, so report --strict and compare read the two parts there as the whole sweep.
     */
    @Test
    void aPartWithNoLadderThatNeverRanLeavesNothingOut() throws Exception {
        Path three = tmp.resolve("two-of-three");
        for (int i = 1; i <= 2; i++) {
            Path part = Files.createDirectories(three.resolve("shard-" + i + "-of-3"));
            try (Stream<Path> files = Files.list(sharded.resolve("shard-" + i + "-of-2"))) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    Files.copy(f, part.resolve(f.getFileName()));
                }
            }
            // as --shard i/3 records it: the two ladders dealt out in turn, parts 1 and 2, none to part 3
            Path record = part.resolve(ShardFile.FILE);
            Files.writeString(record, Files.readString(record).replace("\"" + i + "/2\"", "\"" + i + "/3\""));
            assertEquals(List.of(), ShardFile.read(part).part(3));
        }
        ConsoleCapture report = ConsoleCapture.run(() -> ReportCommand.run(new String[] {three.toString(), "--out",
                tmp.resolve("report-two-of-three").toString(), "--strict"}));
        assertEquals(0, report.rc(), report.err());
        assertEquals(3, rowKeys(tmp.resolve("report-two-of-three")).size(), "fits1 b1, fits2 b1 and b2");
        ConsoleCapture gate = ConsoleCapture.run(() -> CompareCommand.run(new String[] {whole.toString(), three.toString()}));
        assertEquals(3, gate.rc(), "one iteration a run: nothing can be judged, " + gate.out() + gate.err());
        assertTrue(gate.out().contains("3 benchmarks compared"), gate.out());
    }

    @Test
    void earlierTimesBalanceTheParts() throws Exception {
        // from the log in timed: fits2's ladder took longer than fits1's
        Path balanced = tmp.resolve("balanced").resolve("shard-1-of-2");
        List<String> a = new ArrayList<>(List.of(args(balanced, "--shard", "1/2", "--balance-from", timed.toString())));
        a.set(a.indexOf("model=fits1,fits2"), "model=fits1,fits2,fits3");
        assertEquals(0, SweepCommand.run(a.toArray(new String[0])));
        ShardFile f = ShardFile.read(balanced);
        double fits1 = logged(timed, "fits1");
        double fits2 = logged(timed, "fits2");
        assertTrue(fits2 > fits1, fits1 + " " + fits2);
        double[] predicted = f.partition().stream().mapToDouble(ShardFile.Ladder::predictedSeconds).toArray();
        assertEquals(fits1, predicted[0], 0.001);
        assertEquals(fits2, predicted[1], 0.001);
        assertEquals((fits1 + fits2) / 2, predicted[2], 0.001, "fits3 was not swept before: the median of the known");
        // longest first: fits2 -> 1, then fits3 (the median) -> 2, then fits1 -> 2
        assertEquals(List.of(2, 1, 2), f.partition().stream().map(ShardFile.Ladder::shard).toList());
        assertEquals(Set.of("fits2-sleep-b1.json", "fits2-sleep-b2.json"), results(balanced));
        assertEquals("sweep: --balance-from: it balances the parts of a sharded sweep; give --shard I/N with it",
                refused(args(tmp.resolve("x"), "--balance-from", timed.toString())));
    }

    /**
     * --balance-from, which takes several directories, given one directory twice (as given and by another spelling of
     * its path) reads it once, in the line report gives an input given twice, and divides the ladders as it given once.
     */
    @Test
    void aBalanceFromDirectoryGivenTwiceIsReadOnce() throws Exception {
        Path part = tmp.resolve("balanced-twice").resolve("shard-2-of-2");
        Path again = timed.resolve("..").resolve(timed.getFileName());
        ConsoleCapture c = ConsoleCapture.run(() -> SweepCommand.run(args(part, "--shard", "2/2", "--balance-from",
                timed.toString(), "--balance-from", again + "/")));
        assertEquals(0, c.rc(), c.out() + c.err());
        assertEquals(List.of("sweep: 1 --balance-from DIR(s) given more than once, read once: " + again),
                c.err().lines().filter(l -> l.contains("--balance-from")).toList(), c.err());
        // fits2's ladder took longer: part 1 runs it, part 2 fits1
        assertEquals(List.of(2, 1), ShardFile.read(part).partition().stream().map(ShardFile.Ladder::shard).toList());
        assertEquals(logged(timed, "fits2"), ShardFile.read(part).partition().get(1).predictedSeconds(), 0.001);
    }

    private static double logged(Path dir, String model) throws Exception {
        double s = SweepLog.read(dir, System.out).stream().filter(e -> e.model().equals(model)).mapToDouble(SweepLog.Entry::seconds).sum();
        return Math.round(s * 1000) / 1000.0;
    }

    /** Runs a sweep that must be refused (exit 2) and returns its one line on stderr. */
    private static String refused(String[] args) {
        ConsoleCapture c = ConsoleCapture.run(() -> SweepCommand.run(args));
        assertEquals(2, c.rc(), Arrays.toString(args) + ": " + c.out() + c.err());
        assertEquals(1, c.err().lines().count(), c.err());
        return c.err().strip();
    }

    @Test
    void aBadShardIsOneLine() {
        assertEquals("sweep: --shard 3/2: expected I/N with 1 <= I <= N, e.g. --shard 1/4",
                refused(args(tmp.resolve("bad"), "--shard", "3/2")));
        assertEquals("sweep: --shard x: expected I/N, the I-th of N parts (1 <= I <= N), e.g. --shard 1/4",
                refused(args(tmp.resolve("bad"), "--shard", "x")));
        // not the line without --gpus, whose --shard I/N --gpus refuses
        assertEquals("sweep: --balance-from with --gpus: a GPU takes the next part as its own ends, rather than parts "
                + "balanced by earlier times; give --shards N for more parts than GPUs",
                refused(args(tmp.resolve("bad"), "--gpus", "0,1", "--balance-from", timed.toString())));
        assertFalse(Files.exists(tmp.resolve("bad")));
    }
}
