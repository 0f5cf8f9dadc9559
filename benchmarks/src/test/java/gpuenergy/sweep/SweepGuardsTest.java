package gpuenergy.sweep;

import com.google.gson.JsonParser;
import gpuenergy.ConsoleCapture;
import gpuenergy.SymbolicLinkInOut;
import gpuenergy.UnwritableDirectory;
import gpuenergy.results.ShardFile;
import gpuenergy.run.DirectoryLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * What keeps a sweep from mixing or losing results before and around its runs: one sweep per directory, result names
 * that are one configuration's, profilers that load, leftovers of a killed run, JMH's lock shared with another run.
 * Runs {@link gpuenergy.sweep.testbench.SleepBenchmark} (1 ms per image), one or two batches.
 */
class SweepGuardsTest {
    /** How long the test holds JMH's lock after the sweep said it waits: longer than the sweep's own run. */
    private static final long WAIT_MS = 8_000;
    static {
        System.setProperty("jmh.ignoreLock", "true"); // see SweepRunTest; the JMH-lock test runs its sweep in a child VM
    }

    private static String[] sweep(Path dir, String... more) {
        List<String> args = new ArrayList<>(List.of("--benchmark", SweepRunTest.BENCH, "-p", "engine=sleep",
                "--min-seconds", "0.03", "--min-batches", "1", "--max-batch", "1", "--out", dir.toString()));
        args.addAll(Arrays.asList(more));
        return args.toArray(new String[0]);
    }

    private static String[] concat(String[] first, String... more) {
        List<String> args = new ArrayList<>(Arrays.asList(first));
        args.addAll(Arrays.asList(more));
        return args.toArray(new String[0]);
    }

    private static ConsoleCapture run(String... args) {
        return ConsoleCapture.run(() -> SweepCommand.run(args));
    }

    @Test
    void aSecondSweepOfTheSameDirectoryIsRefusedNamingTheHolderAndAStaleLockFileBlocksNothing(@TempDir Path tmp)
            throws Exception {
        Path dir = tmp.resolve("sweep");
        Files.createDirectories(dir);
        // a lock file alone, as a sweep killed as it started leaves it: the directory counts as empty, nothing holds it
        Files.writeString(dir.resolve(SweepDirectory.LOCK_FILE), "pid 1 on host gone, since 2026-01-01T00:00:00Z\n");
        ConsoleCapture first = run(sweep(dir, "-p", "model=fits1"));
        assertEquals(0, first.rc(), first.out() + first.err());
        byte[] result = Files.readAllBytes(dir.resolve("fits1-sleep-b1.json"));
        long lines = Files.readAllLines(dir.resolve(SweepLog.FILE)).size();

        try (DirectoryLock held = DirectoryLock.hold(dir, dir, "sweep", System.out)) {
            ConsoleCapture second = run(sweep(dir, "-p", "model=fits1", "--resume"));
            assertEquals(1, second.rc(), second.out() + second.err());
            assertEquals(1, second.err().lines().count(), second.err());
            assertTrue(second.err().startsWith("sweep: --out " + dir + " is in use by another sweep (pid "
                    + ProcessHandle.current().pid() + " on host "), second.err());
            assertTrue(second.err().contains("wait for it to end, or choose another --out"), second.err());
        }
        assertArrayEquals(result, Files.readAllBytes(dir.resolve("fits1-sleep-b1.json")));
        assertEquals(lines, Files.readAllLines(dir.resolve(SweepLog.FILE)).size(), "the refused sweep logged nothing");
        // released when a sweep ends: the next one runs
        assertEquals(0, run(sweep(dir, "-p", "model=fits1", "--resume")).rc());
    }

    /** The lock is the operating system's: another process holding it is refused, and its death frees it. */
    @Test
    void anotherProcesssLockRefusesAndDiesWithIt(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("sweep");
        Files.createDirectories(dir);
        Path file = dir.resolve(SweepDirectory.LOCK_FILE);
        Files.writeString(file, "pid 7 on host other, since 2026-01-01T00:00:00Z\n");
        // flock(1) is not everywhere; a child JVM that locks the file and waits stands in for another sweep
        Path holder = tmp.resolve("Holder.java");
        Files.writeString(holder, "import java.nio.channels.*; import java.nio.file.*;\n"
                + "public class Holder { public static void main(String[] a) throws Exception {\n"
                + "  FileChannel ch = FileChannel.open(Path.of(a[0]), StandardOpenOption.WRITE);\n"
                + "  ch.lock(); System.out.println(\"held\"); System.out.flush(); Thread.sleep(600_000); } }\n");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), holder.toString(),
                file.toString()).redirectErrorStream(true).start();
        try {
            assertEquals("held", new String(p.getInputStream().readNBytes(4), StandardCharsets.UTF_8));
            ConsoleCapture refused = run(sweep(dir, "-p", "model=fits1", "--resume"));
            assertEquals(1, refused.rc(), refused.out() + refused.err());
            assertTrue(refused.err().contains("is in use by another sweep (pid 7 on host other"), refused.err());
        } finally {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
        assertEquals(0, run(sweep(dir, "-p", "model=fits1", "--resume")).rc(), "a dead holder's lock is gone with it");
    }

    /**
     * A model whose files' names would exceed the file system's 255 bytes (a long path) is refused before anything is
     * created: its run would fail as it starts, or measure without keeping the iterations of a run killed midway.
     */
    @Test
    void aModelWhoseFileNamesAreTooLongIsRefusedUpFront(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("sweep");
        String fits = "m".repeat(200); // .M-sleep-b1.unfinished.json.4194304-999999999999.partial: 255 bytes
        SweepCommand.checkBeforeStart(SweepOptions.parse(sweep(dir, "-p", "model=" + fits)));
        ConsoleCapture refused = run(sweep(dir, "-p", "model=" + fits + "m"));
        assertEquals(2, refused.rc(), refused.err());
        assertEquals("sweep: " + fits + "m / sleep: its runs' files would take names of up to 256 bytes (." + fits
                + "m-sleep-b1.unfinished.json.PID-N.partial), over the 255 a file system takes; give the model by a "
                + "shorter name or path (a link to its file)\n", refused.err());
        assertFalse(Files.exists(dir), "nothing created");
    }

    @Test
    void namesWithOneResultFileAreRefusedUpFrontAndAResultOfAnotherConfigurationIsNotDone(@TempDir Path tmp)
            throws Exception {
        Path dir = tmp.resolve("sweep");
        ConsoleCapture refused = run(sweep(dir, "-p", "model=fits1/x,fits1_x"));
        assertEquals(2, refused.rc(), refused.err());
        assertEquals("sweep: fits1/x / sleep and fits1_x / sleep have one result file name (fits1_x-sleep-b<batch>.json: "
                + "characters other than letters, digits and ._+=- become _); sweep them into separate --out directories, "
                + "or name one otherwise\n", refused.err());
        assertFalse(Files.exists(dir), "nothing created");

        // a result under a configuration's name that is another's (fits1's, as fits01's): set aside, measured again
        assertEquals(0, run(sweep(dir, "-p", "model=fits1")).rc());
        byte[] other = Files.readAllBytes(dir.resolve("fits1-sleep-b1.json"));
        Files.write(dir.resolve("fits01-sleep-b1.json"), other);
        ConsoleCapture resumed = run(sweep(dir, "-p", "model=fits01", "--resume"));
        assertEquals(0, resumed.rc(), resumed.out() + resumed.err());
        assertFalse(resumed.out().contains("done earlier"), resumed.out());
        assertTrue(resumed.out().contains("is not the result of fits01 / sleep batch 1: its parameters"), resumed.out());
        assertArrayEquals(other, Files.readAllBytes(dir.resolve("unreadable/fits01-sleep-b1.json")), "kept, not lost");
        assertEquals("fits01", Measurement.read(dir.resolve("fits01-sleep-b1.json")).model());
    }

    /**
     * A symbolic link in --out at a name the sweep writes whole or removes (its summary, not-run list, part, settings, a
     * configuration's result or unfinished iterations), to a file or dangling, is refused with --resume in one line
     * before anything runs, as a plain run refuses one beside its -rff result: the file renamed over it would replace
     * the link and leave its target as it was. The links and their target stay as they were, and nothing is written.
     */
    @Test
    void aSymbolicLinkAtANameTheSweepWritesIsRefused(@TempDir Path tmp) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("sweep"));
        Files.writeString(dir.resolve(SweepLog.FILE), "");
        Path target = Files.writeString(tmp.resolve("target"), "kept\n");
        Path dangling = tmp.resolve("gone");
        List<List<String>> cases = List.of(
                List.of("summary.csv", "where the sweep writes its summary"),
                List.of("sweep.notrun.json", "where the sweep writes the list of the configurations that did not run"),
                List.of("shard.json", "where the sweep records its part of the ladders"),
                List.of("sweep-settings.json", "where the sweep records its settings"),
                List.of("fits1-sleep-b1.json", "where the sweep writes a configuration's result"),
                List.of("fits1-sleep-b2.unfinished.json", "where the sweep keeps the measured iterations of a run that does"
                        + " not finish"));
        for (List<String> c : cases) {
            Path link = dir.resolve(c.get(0));
            SymbolicLinkInOut.assertRefused(link, List.of(target, dangling), java.util.Set.of(dir.resolve(SweepLog.FILE)),
                    SymbolicLinkInOut.renamedOver("sweep", link, c.get(1)),
                    () -> run(sweep(dir, "-p", "model=fits1", "--resume")));
        }
        assertEquals("kept\n", Files.readString(target));
        // a link at a name the sweep does not write whole is left to the user
        Files.createSymbolicLink(dir.resolve("notes.json"), target);
        Files.createSymbolicLink(dir.resolve("fits2-sleep-b1.json"), target);
        ConsoleCapture resumed = run(sweep(dir, "-p", "model=fits1", "--resume"));
        assertEquals(0, resumed.rc(), resumed.out() + resumed.err());
        assertEquals("kept\n", Files.readString(target));
    }

    /**
     * A symbolic link at the name of the sweep's lock (.sweep.lock), to a file or dangling, in a new --out or one
     * resumed, is refused in one line, exit 2, before anything runs, as one at a name the sweep renames a file over is:
     * the lock empties its file and writes its holder there, which would replace what the link's target holds. The link
     * and its target stay as they were, and nothing is written.
     */
    @Test
    void aSymbolicLinkAtTheLocksNameIsRefused(@TempDir Path tmp) throws Exception {
        Path target = Files.writeString(tmp.resolve("target"), "kept\n");
        Path dangling = tmp.resolve("gone");
        for (boolean resume : new boolean[] {false, true}) {
            Path dir = Files.createDirectories(tmp.resolve("sweep-" + resume));
            if (resume) {
                Files.writeString(dir.resolve(SweepLog.FILE), "");
            }
            Path link = dir.resolve(SweepDirectory.LOCK_FILE);
            SymbolicLinkInOut.assertRefused(link, List.of(target, dangling),
                    resume ? java.util.Set.of(dir.resolve(SweepLog.FILE)) : java.util.Set.of(), SymbolicLinkInOut.lock("sweep", link),
                    () -> run(resume ? sweep(dir, "-p", "model=fits1", "--resume") : sweep(dir, "-p", "model=fits1")));
        }
        assertEquals("kept\n", Files.readString(target));
        assertFalse(Files.exists(dangling), "no file made at a dangling link's target");
    }

    /**
     * An --out the sweep cannot write in (read-only storage, another user's directory) is one line naming --out, exit
     * 1, as one that cannot be created is: the lock is the first file made there, and its error alone names a file the
     * user did not give. As root every permission check passes: a directory in the lock's place fails to open as the
     * lock on read-only storage does, and where this machine has an empty directory that refuses new files (sysfs,
     * procfs), that one is given too.
     */
    @Test
    void anOutThatCannotBeWrittenIsOneLineNamingTheOut(@TempDir Path tmp) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("sweep").resolve(SweepDirectory.LOCK_FILE)).getParent();
        UnwritableDirectory.assertRefusedAsOut("sweep", SweepDirectory.LOCK_FILE, dir, out -> run(sweep(out, "-p", "model=fits1")));
    }

    /**
     * A part written to OUT/shard-1-of-2 claims OUT, not its own directory, while it makes the latter: where OUT's lock
     * cannot be written the line names OUT, whose lock it is, beside the part's --out.
     */
    @Test
    void aPartWhoseParentCannotBeWrittenNamesTheParent(@TempDir Path tmp) throws Exception {
        Path parent = Files.createDirectories(tmp.resolve("sweep").resolve(SweepDirectory.LOCK_FILE)).getParent();
        Path out = parent.resolve("shard-1-of-2");
        ConsoleCapture refused = run(sweep(out, "-p", "model=fits1,fits2", "--shard", "1/2"));
        assertEquals(1, refused.rc(), refused.out() + refused.err());
        assertEquals("sweep: --out " + out + ": " + parent + " cannot be written (" + parent.resolve(SweepDirectory.LOCK_FILE)
                + ": is a directory)\n", refused.err());
        assertEquals("", refused.out(), "nothing ran");
        assertFalse(Files.exists(out), "the part's directory is not made");
    }

    /**
     * --resume into a directory that holds no sweep (a report's, mistyped) is refused before anything is written there:
     * the sweep's summary.csv would replace the report's.
     */
    @Test
    void resumeIntoADirectoryThatHoldsNoSweepIsRefused(@TempDir Path tmp) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("report"));
        Files.writeString(dir.resolve("summary.csv"), "model,engine,best_batch\n");
        Files.writeString(dir.resolve("report-files.txt"), "summary.csv\n");
        ConsoleCapture refused = run(sweep(dir, "-p", "model=fits1", "--resume"));
        assertEquals(2, refused.rc(), refused.out() + refused.err());
        assertEquals("sweep: --resume: " + dir + " holds no sweep (no sweep.jsonl or sweep-settings.json): nothing to"
                + " continue; choose another --out\n", refused.err());
        assertEquals("model,engine,best_batch\n", Files.readString(dir.resolve("summary.csv")));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(2, s.count(), "nothing written beside the report's files");
        }
        // an empty directory is a sweep to start, as without --resume
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertEquals(0, run(sweep(empty, "-p", "model=fits1", "--resume")).rc());
    }

    /**
     * --resume of a sweep whose sweep-settings.json is lost checks the command against what its results hold: one that
     * measures otherwise (-i 2 where the results hold 1 iteration) is refused in one line, nothing written; one that
     * measures alike records the lost settings again, and says so in one line.
     */
    @Test
    void resumeWithoutTheSettingsFileChecksTheCommandAgainstTheResults(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("sweep");
        assertEquals(0, run(sweep(dir, "-p", "model=fits1")).rc());
        Path settings = dir.resolve(SweepSettings.FILE);
        String recorded = Files.readString(settings);
        Files.delete(settings);
        String commands = Files.readString(dir.resolve(SweepDirectory.COMMANDS_FILE));

        ConsoleCapture refused = run(sweep(dir, "-p", "model=fits1", "-i", "2", "--resume"));
        assertEquals(2, refused.rc(), refused.out() + refused.err());
        assertEquals("sweep: --resume: " + dir + " has no sweep-settings.json, and its result fits1-sleep-b1.json was "
                + "measured with -i 1; this command gives -i 2: its ladders would mix measurement settings; give the same "
                + "options, restore " + settings + ", or sweep into another --out\n", refused.err());
        assertFalse(Files.exists(settings), "nothing recorded");
        assertEquals(commands, Files.readString(dir.resolve(SweepDirectory.COMMANDS_FILE)), "nothing written");

        ConsoleCapture resumed = run(sweep(dir, "-p", "model=fits1", "--resume"));
        assertEquals(0, resumed.rc(), resumed.out() + resumed.err());
        assertTrue(resumed.out().startsWith("[sweep] --resume: " + dir + " has no sweep-settings.json; its 1 result(s) "
                + "were measured with this command's --benchmark, -f, -wi, -w, -i, -Dai.djl.pytorch.num_threads and "
                + "parameters, so its settings are recorded there (-wf, --min-seconds, --min-batches and the JVM's, which no "
                + "result holds, as this command gives them)\n"), resumed.out());
        assertEquals(recorded, Files.readString(settings), "the lost record, as the sweep wrote it");
    }

    /**
     * --resume of a sweep whose sweep-settings.json is lost checks the PyTorch thread count against its results' forks'
     * arguments, as the record's is checked: another count, or none where the results were given one, is refused in one
     * line, nothing written. A result without its forks' arguments does not tell the count: one line on stderr says it
     * is not checked, and the resume goes on.
     */
    @Test
    void resumeWithoutTheSettingsFileChecksTheThreadCountAgainstTheResults(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("sweep");
        String threads = "-Dai.djl.pytorch.num_threads";
        assertEquals(0, run(sweep(dir, "-p", "model=fits1", "-jvmArgsAppend", threads + "=2")).rc());
        Path settings = dir.resolve(SweepSettings.FILE);
        Files.delete(settings);
        String commands = Files.readString(dir.resolve(SweepDirectory.COMMANDS_FILE));

        for (List<String> other : List.of(List.of("-jvmArgsAppend", threads + "=3"), List.<String>of())) {
            List<String> args = new ArrayList<>(List.of("-p", "model=fits1", "--resume"));
            args.addAll(other);
            ConsoleCapture refused = run(sweep(dir, args.toArray(new String[0])));
            assertEquals(2, refused.rc(), refused.out() + refused.err());
            assertEquals("sweep: --resume: " + dir + " has no sweep-settings.json, and its result fits1-sleep-b1.json was "
                    + "measured with " + threads + " 2; this command gives " + threads + " " + (other.isEmpty() ? "(none)"
                    : "3") + ": its ladders would mix measurement settings; give the same options, restore " + settings
                    + ", or sweep into another --out\n", refused.err());
            assertFalse(Files.exists(settings), "nothing recorded");
            assertEquals(commands, Files.readString(dir.resolve(SweepDirectory.COMMANDS_FILE)), "nothing written");
        }

        // the same count: the resume goes on, the count among what it checked
        ConsoleCapture same = run(sweep(dir, "-p", "model=fits1", "--resume", "-jvmArgsAppend", threads + "=2"));
        assertEquals(0, same.rc(), same.out() + same.err());
        assertEquals("", same.err());
        assertTrue(same.out().contains("measured with this command's --benchmark, -f, -wi, -w, -i, " + threads
                + " and parameters"), same.out());
        Files.delete(settings);

        // a result without its forks' arguments: the count is not known, and the resume goes on
        Path result = dir.resolve("fits1-sleep-b1.json");
        com.google.gson.JsonArray a = JsonParser.parseString(Files.readString(result)).getAsJsonArray();
        a.get(0).getAsJsonObject().remove("jvmArgs");
        Files.writeString(result, a.toString());
        ConsoleCapture resumed = run(sweep(dir, "-p", "model=fits1", "--resume", "-jvmArgsAppend", threads + "=3"));
        assertEquals(0, resumed.rc(), resumed.out() + resumed.err());
        assertEquals("sweep: --resume: " + dir + " has no sweep-settings.json, and not every result of it holds its forks' "
                + "arguments (jvmArgs, without an @argfile): the " + threads + " it was measured with is not known, and not "
                + "checked\n", resumed.err());
        assertTrue(resumed.out().contains("measured with this command's --benchmark, -f, -wi, -w, -i and parameters"),
                resumed.out());
        assertEquals("3", JsonParser.parseString(Files.readString(settings)).getAsJsonObject().get(threads).getAsString());
    }

    /**
     * An engine or device no machine accepts is refused before anything runs, as overhead refuses it: beside an engine
     * that runs, its ladder would fail only once the other ladders had run.
     */
    @Test
    void anEngineNoMachineAcceptsIsOneLineBeforeAnythingIsCreated(@TempDir Path tmp) {
        Path dir = tmp.resolve("sweep");
        // short runs, where a sweep that does not refuse them would run them
        String[] brief = {"--max-batch", "1", "--min-seconds", "0.1", "-wi", "0", "-i", "1", "--out", dir.toString()};
        ConsoleCapture refused = run(concat(brief, "-p", "model=mobilenetv3_small_100", "-p", "engine=nope,pytorch-fp32"));
        assertEquals(2, refused.rc(), refused.out() + refused.err());
        assertEquals("sweep: unknown engine 'nope'; accepted: pytorch-fp32, pytorch-fp16, pytorch-opt-fp32, "
                + "pytorch-opt-fp16, tensorrt-fp16\n", refused.err());
        ConsoleCapture device = run(concat(brief, "-p", "model=mobilenetv3_small_100", "-p", "engine=pytorch-fp32", "-p",
                "device=tpu"));
        assertEquals(2, device.rc(), device.out() + device.err());
        assertEquals("sweep: device 'tpu' is not accepted; accepted: auto, cpu, gpu, gpu:N\n", device.err());
        assertFalse(Files.exists(dir), "nothing created");
    }

    @Test
    void aProfilerThatDoesNotLoadIsOneLineBeforeAnythingIsCreated(@TempDir Path tmp) {
        Path dir = tmp.resolve("sweep");
        ConsoleCapture refused = run(sweep(dir, "-p", "model=fits1", "-prof", "nosuchprof"));
        assertEquals(2, refused.rc(), refused.out() + refused.err());
        assertEquals("sweep: -prof nosuchprof: the profiler does not load: no profiler of that name (-lprof lists "
                + "them)\n", refused.err());
        assertFalse(Files.exists(dir));
    }

    @Test
    void aProfilersHelpIsPrintedWholeAndNothingIsCreated(@TempDir Path tmp) {
        Path dir = tmp.resolve("sweep");
        ConsoleCapture help = run(sweep(dir, "-p", "model=fits1", "-prof", "gpuenergy.profile.SchedulingProfiler:help"));
        assertEquals(0, help.rc(), help.out() + help.err());
        assertTrue(help.out().startsWith("Usage: -prof gpuenergy.profile.SchedulingProfiler") && help.out().contains("  probe=<true|false>"),
                help.out());
        assertFalse(Files.exists(dir));
        // no such profiler: its help is no help, the one line says why
        ConsoleCapture none = run(sweep(dir, "-p", "model=fits1", "-prof", "nosuchprof:help"));
        assertEquals(2, none.rc(), none.out() + none.err());
        assertTrue(none.err().startsWith("sweep: -prof nosuchprof:help: the profiler does not load: no profiler"), none.err());
    }

    @Test
    void runFilesAKilledSweepLeftAreRemovedWhenEmptyAndSetAsideWhenNot(@TempDir Path dir) throws Exception {
        Path empty = dir.resolve(".fits1-sleep-b4.json.partial");
        Path whole = dir.resolve(".fits1-sleep-b8.json.partial");
        Files.createFile(empty);
        Files.writeString(whole, "[]");
        Files.writeString(dir.resolve("summary.csv"), "kept");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SweepDirectory.clearPartials(dir, Path.of("d"), new PrintStream(out, true, StandardCharsets.UTF_8));
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(List.of("[sweep] d/.fits1-sleep-b4.json.partial: removed, the empty result file of a run killed "
                        + "before it ended (nothing measured)",
                "[sweep] d/.fits1-sleep-b8.json.partial: a run killed before its result was published; moved to "
                        + dir.resolve("unpublished/fits1-sleep-b8.json") + " (not counted as done)"), lines);
        assertFalse(Files.exists(empty));
        assertFalse(Files.exists(whole));
        assertEquals("[]", Files.readString(dir.resolve("unpublished/fits1-sleep-b8.json")));
        assertTrue(Files.exists(dir.resolve("summary.csv")));
    }

    @Test
    void aPartsHeaderCountsItsOwnLadders(@TempDir Path tmp) {
        ConsoleCapture part = run(sweep(tmp.resolve("p"), "-p", "model=fits1,fits2", "--shard", "1/2"));
        assertEquals(0, part.rc(), part.out() + part.err());
        assertTrue(part.out().contains("[sweep] 1 ladder of this part, batch sizes 1..1"), part.out());
    }

    @Test
    void aPartDividedOtherwiseSaysWhichLaddersMoved() {
        ShardFile recorded = new ShardFile("1/2", List.of(new ShardFile.Ladder("a", "e", 1, 1), new ShardFile.Ladder("b", "e", 2, 1),
                new ShardFile.Ladder("c", "e", 1, 1)));
        ShardFile now = new ShardFile("1/2", List.of(new ShardFile.Ladder("a", "e", 1, 1), new ShardFile.Ladder("c", "e", 2, 1)));
        // part 1 runs a and c in one, a alone in the other; b is gone from part 2
        assertEquals("b / e: part 2 -> none, c / e: part 1 -> part 2", ShardPlan.differences(recorded, now));
    }

    /**
     * A sweep whose run JMH refuses because another run of the host holds JMH's lock waits for it, saying so, and runs
     * then: Slurm tasks of a CPU-only cluster on one node take turns instead of failing.
     */
    @Test
    void aSweepWaitsForJmhsLockAndRunsWhenItIsFree(@TempDir Path tmp) throws Exception {
        Path tmpdir = Files.createDirectories(tmp.resolve("tmpdir"));
        Path dir = tmp.resolve("sweep");
        Path log = tmp.resolve("sweep.log");
        List<String> cmd = sweepInItsOwnVm(tmpdir, sweep(dir, "-p", "model=fits1"));
        double notWaiting;
        try (FileChannel ch = FileChannel.open(tmpdir.resolve("jmh.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            FileLock jmh = ch.lock(); // another JMH run of this host
            long started = System.nanoTime();
            Process sweep = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (!Files.readString(log).contains("waiting for JMH's lock")) {
                    if (!sweep.isAlive() || System.nanoTime() > deadline) {
                        fail("no wait for JMH's lock:\n" + Files.readString(log));
                    }
                    Thread.sleep(50);
                }
                long waiting = System.nanoTime();
                assertTrue(sweep.isAlive(), Files.readString(log));
                assertFalse(Files.exists(dir.resolve(SweepLog.FILE)), "nothing recorded while it waits");
                Thread.sleep(WAIT_MS); // a wait longer than the run: it must not count as the run's time
                long released = System.nanoTime();
                jmh.release();
                assertTrue(sweep.waitFor(60, TimeUnit.SECONDS), Files.readString(log));
                // the sweep ran before it said it waits and after the lock was free, however long a busy host takes
                // over either: its run's time lies there, and the wait between does not count
                notWaiting = (waiting - started + System.nanoTime() - released) / 1e9;
            } finally {
                sweep.destroyForcibly();
            }
            assertEquals(0, sweep.exitValue(), Files.readString(log));
        }
        assertEquals("fits1", Measurement.read(dir.resolve("fits1-sleep-b1.json")).model());
        double logged = JsonParser.parseString(Files.readAllLines(dir.resolve(SweepLog.FILE)).stream()
                .filter(l -> l.contains("\"done\"")).findFirst().orElseThrow()).getAsJsonObject().get("seconds").getAsDouble();
        assertTrue(logged < notWaiting, "the lock wait counted as the run's time: " + logged + " s logged, of the "
                + notWaiting + " s the sweep ran outside its wait");
        assertTrue(Files.readString(log).contains("[sweep] fits1 / sleep batch 1: waiting for JMH's lock (" + tmpdir.resolve("jmh.lock")
                + "): another JMH run on this host is measuring; Ctrl-C or SIGTERM stops the sweep, and --resume continues it"),
                Files.readString(log));
    }

    /**
     * JMH's lock held longer than --stop-after leaves: the sweep stops waiting where the configuration could no longer
     * end in time, as --stop-after stops before a run (exit 0, nothing recorded, --resume runs it), instead of waiting
     * past its limit. The wait is said once. The first rung's prediction is the 15 s assumed before any run, so with
     * --stop-after 22 the wait ends about 7 s after the sweep started.
     */
    @Test
    void aSweepWaitingForJmhsLockStopsAtStopAfter(@TempDir Path tmp) throws Exception {
        Path tmpdir = Files.createDirectories(tmp.resolve("tmpdir"));
        Path dir = tmp.resolve("sweep");
        Path log = tmp.resolve("sweep.log");
        List<String> cmd = sweepInItsOwnVm(tmpdir, sweep(dir, "-p", "model=fits1", "--stop-after", "22"));
        try (FileChannel ch = FileChannel.open(tmpdir.resolve("jmh.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock jmh = ch.lock()) { // another JMH run of this host, longer than the sweep may take
            Process sweep = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                assertTrue(sweep.waitFor(90, TimeUnit.SECONDS), "still waiting for JMH's lock past --stop-after:\n"
                        + Files.readString(log));
            } finally {
                sweep.destroyForcibly();
            }
            String said = Files.readString(log);
            assertEquals(0, sweep.exitValue(), said);
            assertTrue(jmh.isValid(), "the lock was held throughout");
            assertEquals(1, said.split("waiting for JMH's lock", -1).length - 1, said);
            assertTrue(said.contains("[sweep] fits1 / sleep batch 1: waiting for JMH's lock (" + tmpdir.resolve("jmh.lock")
                    + "): another JMH run on this host is measuring; --stop-after ends the wait when this configuration "
                    + "could no longer end in time; Ctrl-C or SIGTERM stops the sweep, and --resume continues it"), said);
            assertTrue(said.contains("[sweep] stopping: fits1 / sleep batch 1 predicted "), said);
            assertTrue(said.contains(" left of --stop-after 22; --resume continues here"), said);
        }
        assertFalse(Files.exists(dir.resolve("fits1-sleep-b1.json")));
        assertFalse(Files.exists(dir.resolve(SweepLog.FILE)), "nothing recorded: --resume runs the configuration");
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(), s.filter(p -> p.getFileName().toString().endsWith(".partial")).toList());
        }
    }

    /** {@code java ... Main sweep ARGS} with its own java.io.tmpdir (where JMH's lock lives). */
    private static List<String> sweepInItsOwnVm(Path tmpdir, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + tmpdir, "-cp", System.getProperty("java.class.path"), gpuenergy.cli.Main.class.getName(), "sweep"));
        cmd.addAll(Arrays.asList(args));
        return cmd;
    }
}
