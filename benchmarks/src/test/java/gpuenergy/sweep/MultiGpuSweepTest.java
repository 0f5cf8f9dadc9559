package gpuenergy.sweep;

import com.google.gson.Gson;
import gpuenergy.ConsoleCapture;
import gpuenergy.cli.Main;
import gpuenergy.options.ShellWord;
import gpuenergy.options.SuiteSetting;
import gpuenergy.profile.EnvironmentKeys;
import gpuenergy.report.ReportCommand;
import gpuenergy.results.BadInputException;
import gpuenergy.results.JsonLines;
import gpuenergy.results.ShardFile;
import gpuenergy.run.DirectoryLock;
import gpuenergy.sweep.testbench.SleepBenchmark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * sweep --gpus on a machine without GPUs: two stand-in GPUs (UUIDs no NVML has, given as if looked up), three parts of
 * the sweep of {@link SleepBenchmark}, each part a real child process running benchmarks.jar's launcher, whose JMH
 * forks record the CUDA_VISIBLE_DEVICES they ran with and when. What a GPU machine adds (NVML finding the GPUs, the
 * profiler reading the pinned GPU's counter) is not here.
 */
class MultiGpuSweepTest {
    static {
        System.setProperty("jmh.ignoreLock", "true"); // see SweepRunTest
    }

    private static final List<GpuDevice> GPUS = List.of(
            new GpuDevice("0", "GPU-00000000-aaaa-bbbb-cccc-000000000000", "STAND-IN GPU (test)", null),
            new GpuDevice("1", "GPU-11111111-aaaa-bbbb-cccc-111111111111", "STAND-IN GPU (test)", null));

    /** Three ladders: fits1 (batch 1), fits2 (1, 2) and fits4 (1, 2, 4), each ending at out of memory. */
    private static SweepOptions options(Path out, String... more) throws BadInputException {
        List<String> args = new ArrayList<>(List.of("--benchmark", SweepRunTest.BENCH, "-p", "model=fits1,fits2,fits4",
                "-p", "engine=sleep", "-p", "device=gpu", "--min-seconds", "0.03", "--min-batches", "1", "-gpus", "0,1",
                "-out", out.toString())); // spelt as jopt-simple also takes them: the parts' command lines leave them out
        args.addAll(List.of(more));
        return SweepOptions.parse(args.toArray(new String[0]));
    }

    private record Trial(String model, String gpu, long start, long end) {
    }

    /** gpu-runs.jsonl's lines, as a reader of the record (docs/scale-out.md) takes them. */
    private static List<MultiGpuSweep.RunLine> readRuns(Path dir) throws Exception {
        List<MultiGpuSweep.RunLine> lines = new ArrayList<>();
        for (String l : JsonLines.read(dir.resolve(MultiGpuSweep.RUNS_FILE)).lines()) {
            if (!l.isBlank()) {
                lines.add(new Gson().fromJson(l, MultiGpuSweep.RunLine.class));
            }
        }
        return lines;
    }

    @Test
    void threePartsOnTwoGpusEachForkPinnedAndNoGpuRunningTwoAtOnce(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("sweep");
        Path trace = tmp.resolve("trials.txt");
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        int rc = MultiGpuSweep.run(options(out, "--shards", "3", "-jvmArgsAppend", "-D" + SleepBenchmark.TRACE + "=" + trace),
                GPUS, Main.class.getName(), new PrintStream(said, true, StandardCharsets.UTF_8), System.nanoTime());
        String console = said.toString(StandardCharsets.UTF_8);
        assertEquals(0, rc, console);

        // which GPU ran which part: the first two parts start at once, one per GPU; the third on the GPU freed first
        List<MultiGpuSweep.RunLine> runs = readRuns(out);
        assertEquals(6, runs.size(), runs.toString());
        assertEquals(List.of("start 1/3 " + GPUS.get(0).uuid(), "start 2/3 " + GPUS.get(1).uuid()),
                runs.subList(0, 2).stream().map(r -> r.event() + " " + r.shard() + " " + r.gpu()).toList());
        MultiGpuSweep.RunLine firstEnd = runs.stream().filter(r -> r.event().equals("end")).findFirst().orElseThrow();
        MultiGpuSweep.RunLine third = runs.stream().filter(r -> r.shard().equals("3/3") && r.event().equals("start"))
                .findFirst().orElseThrow();
        assertEquals(firstEnd.gpu(), third.gpu(), "the third part goes to the GPU whose part ended first");
        assertTrue(runs.indexOf(third) > runs.indexOf(firstEnd));
        Map<String, String> gpuOfPart = new HashMap<>();
        Map<String, Integer> runningOn = new HashMap<>();
        for (MultiGpuSweep.RunLine r : runs) {
            int now = runningOn.merge(r.gpu(), r.event().equals("start") ? 1 : -1, Integer::sum);
            assertTrue(now == 0 || now == 1, "two parts at once on " + r.gpu() + ": " + runs);
            if (r.event().equals("end")) {
                assertEquals(0, r.exit());
            } else {
                assertNull(r.exit());
                gpuOfPart.put(r.shard(), r.gpu());
            }
        }

        // every fork ran pinned to its part's GPU; the forks of one GPU one after another
        Map<String, String> gpuOfModel = new HashMap<>();
        for (int part = 1; part <= 3; part++) {
            ShardFile f = ShardFile.read(out.resolve("shard-" + part + "-of-3"));
            for (ShardFile.Ladder l : f.part(part)) {
                gpuOfModel.put(l.model(), gpuOfPart.get(part + "/3"));
            }
        }
        assertEquals(Set.of("fits1", "fits2", "fits4"), gpuOfModel.keySet());
        List<Trial> trials = Files.readAllLines(trace).stream().map(l -> l.split(" "))
                .map(f -> new Trial(f[0], f[1], Long.parseLong(f[2]), Long.parseLong(f[3]))).toList();
        assertTrue(trials.size() >= 6, "one trial per measured batch at least: " + trials);
        for (Trial t : trials) {
            assertEquals(gpuOfModel.get(t.model()), t.gpu(), "CUDA_VISIBLE_DEVICES of a " + t.model() + " fork");
        }
        for (GpuDevice gpu : GPUS) {
            List<Trial> on = trials.stream().filter(t -> t.gpu().equals(gpu.uuid()))
                    .sorted((a, b) -> Long.compare(a.start(), b.start())).toList();
            assertTrue(!on.isEmpty(), gpu + " ran nothing");
            for (int i = 1; i < on.size(); i++) {
                assertTrue(on.get(i - 1).end() <= on.get(i).start(), "two trials at once on " + gpu + ": " + on);
            }
        }

        // the parts together hold the whole sweep, each in its own directory, with its own log
        assertEquals(Set.of("fits1-sleep-b1.json", "fits2-sleep-b1.json", "fits2-sleep-b2.json", "fits4-sleep-b1.json",
                "fits4-sleep-b2.json", "fits4-sleep-b4.json"), results(out));
        for (int part = 1; part <= 3; part++) {
            assertTrue(Files.readString(out.resolve("shard-" + part + "-of-3.log")).contains("[sweep] shard " + part + "/3"));
        }

        // --resume: every part continues in its directory, nothing is measured again
        Map<Path, Long> modified = new HashMap<>();
        for (Path f : resultPaths(out)) {
            modified.put(f, Files.getLastModifiedTime(f).toMillis());
        }
        assertEquals(0, MultiGpuSweep.run(options(out, "--shards", "3", "--resume"), GPUS, Main.class.getName(),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), System.nanoTime()));
        assertEquals(12, readRuns(out).size());
        for (Map.Entry<Path, Long> f : modified.entrySet()) {
            assertEquals(f.getValue(), Files.getLastModifiedTime(f.getKey()).toMillis(), f.getKey() + " measured again");
        }
        for (int part = 1; part <= 3; part++) {
            assertEquals(2, Files.readAllLines(out.resolve("shard-" + part + "-of-3").resolve(SweepDirectory.COMMANDS_FILE))
                    .size());
        }

        // a sweep in 3 parts is not continued as one in 2
        BadInputException two = assertThrows(BadInputException.class, () -> MultiGpuSweep.run(options(out, "--resume"), GPUS,
                Main.class.getName(), System.out, System.nanoTime()));
        assertEquals("--out " + out + " holds a sweep in 3 parts; continue it with --shards 3, or choose another --out",
                two.getMessage());
    }

    /**
     * --out given relative to the user's working directory: the parts, which run in it too, measure in their directories
     * below it, and the lines name them as given. The parent runs as a process of its own, in a directory of its own.
     */
    @Test
    void aRelativeOutIsTheDirectoryAsGiven(@TempDir Path tmp) throws Exception {
        Path cwd = Files.createDirectories(tmp.resolve("cwd"));
        Path log = tmp.resolve("parent.log");
        Process parent = standInParent(cwd, log, List.of(), "--out", "sweep");
        assertTrue(parent.waitFor(120, TimeUnit.SECONDS), "still running after 120 s");
        String said = Files.readString(log);
        assertEquals(0, parent.exitValue(), said);
        List<String> lines = said.lines().filter(l -> l.startsWith("[sweep] ")).toList();
        assertEquals("[sweep] 2 parts on 2 GPUs, one part per GPU at a time; results in sweep", lines.get(0), said);
        for (int part = 1; part <= 2; part++) {
            String dir = "sweep/shard-" + part + "-of-2";
            assertTrue(lines.stream().anyMatch(Pattern.compile("\\[sweep] part " + part + "/2 on .+: started in "
                    + Pattern.quote(dir) + " \\(log " + Pattern.quote(dir) + ".log\\)").asMatchPredicate()), said);
            assertTrue(Files.readString(cwd.resolve(dir + ".log")).contains("[sweep] shard " + part + "/2"), said);
        }
        assertTrue(lines.get(lines.size() - 1).endsWith("; one report of them all: java -jar benchmarks.jar report sweep "
                + "--out sweep/report"), said);
        assertEquals(Set.of("sweep"), list(cwd), "written in the working directory");
        Set<String> measured = new TreeSet<>(results(cwd.resolve("sweep/shard-1-of-2")));
        measured.addAll(results(cwd.resolve("sweep/shard-2-of-2")));
        assertEquals(Set.of("fits1-sleep-b1.json", "fits2-sleep-b1.json", "fits2-sleep-b2.json"), measured);
        assertEquals(results(cwd), measured, "every result is in a part's directory");
    }

    /**
     * java -Dai.djl.pytorch.num_threads=2 ... sweep --gpus: each part is started with it, so each part's JMH forks run
     * libtorch on 2 threads rather than choosing their own count.
     */
    @Test
    void theThreadCountGivenToJavaReachesEveryPartsForks(@TempDir Path tmp) throws Exception {
        Path cwd = Files.createDirectories(tmp.resolve("cwd"));
        Path log = tmp.resolve("parent.log");
        Path trace = tmp.resolve("trials.txt");
        Process parent = standInParent(cwd, log, List.of("-D" + SuiteSetting.TORCH_THREADS.property() + "=2"), "--out", "sweep",
                "-jvmArgsAppend", "-D" + SleepBenchmark.TRACE + "=" + trace);
        assertTrue(parent.waitFor(120, TimeUnit.SECONDS), "still running after 120 s");
        assertEquals(0, parent.exitValue(), Files.readString(log));
        List<String[]> trials = Files.readAllLines(trace).stream().map(l -> l.split(" ")).toList();
        assertEquals(Set.of("fits1", "fits2"), trials.stream().map(t -> t[0]).collect(Collectors.toSet()));
        assertEquals(Set.of("2"), trials.stream().map(t -> t[4]).collect(Collectors.toSet()), "the forks' thread counts");
    }

    /** The two-GPU sweep of fits1 and fits2 run by {@link StandInParent} in {@code cwd}, with java's {@code vm} options. */
    private static Process standInParent(Path cwd, Path log, List<String> vm, String... more) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djmh.ignoreLock=true"));
        cmd.addAll(vm);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), StandInParent.class.getName(), "--benchmark",
                SweepRunTest.BENCH, "-p", "model=fits1,fits2", "-p", "engine=sleep", "-p", "device=gpu", "--min-seconds",
                "0.03", "--min-batches", "1", "--gpus", "0,1"));
        cmd.addAll(List.of(more));
        return new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static Set<String> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    /**
     * The parent fails after a part has started (here it cannot append to gpu-runs.jsonl, a directory in its place): the
     * part is stopped, and ended, before the sweep says so in one line; no part is left measuring unwatched.
     */
    /**
     * Two parts, a --stop-after that has passed before the first could start: neither starts, and the parent ends with
     * nothing running rather than waiting for a part that never started (as it would where the deadline passes while
     * parts wait for a GPU). The sweep began a second before its first part, so that its millisecond has passed
     * however fast the machine comes to the part.
     */
    @Test
    @org.junit.jupiter.api.Timeout(120)
    void aDeadlinePassedWithPartsWaitingEndsTheParent(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("sweep");
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        int rc = MultiGpuSweep.run(options(out, "--shards", "2", "--stop-after", "0.001"), GPUS.subList(0, 1),
                Main.class.getName(), new PrintStream(said, true, StandardCharsets.UTF_8),
                System.nanoTime() - TimeUnit.SECONDS.toNanos(1));
        String console = said.toString(StandardCharsets.UTF_8);
        assertTrue(console.contains("--stop-after 0.001 s has passed: parts 1/2, 2/2 not started; --resume starts them"),
                console);
        assertFalse(console.contains("started in"), console);
        assertEquals(0, rc, console);
    }

    /**
     * A part that --stop-after leaves unstarted and whose partition gives it no ladder (two parts, one ladder) holds
     * nothing, and report takes none missing for it: the last line lists it as not started, with no ladder, and leaves
     * it out of what is not finished.
     */
    @Test
    void aPartWithNoLadderLeftUnstartedIsNotUnfinished(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("sweep");
        SweepOptions o = SweepOptions.parse("--benchmark", SweepRunTest.BENCH, "-p", "model=fits1", "-p", "engine=sleep",
                "-p", "device=gpu", "--gpus", "0", "--shards", "2", "--stop-after", "0.001", "--out", out.toString());
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        assertEquals(0, MultiGpuSweep.run(o, GPUS.subList(0, 1), Main.class.getName(),
                new PrintStream(said, true, StandardCharsets.UTF_8), System.nanoTime() - TimeUnit.SECONDS.toNanos(1)));
        String last = lastLine(said.toString(StandardCharsets.UTF_8));
        assertTrue(last.startsWith("[sweep] parts: 1/2 not started, 2/2 not started (no ladder); not finished: 1/2; "
                + "continue it with java -jar benchmarks.jar sweep --gpus 0 --shards 2 --out " + ShellWord.of(out.toString())
                + " --resume "), last);
    }

    /**
     * A part whose forked VM does not start with the sweep's options (-jvmArgsAppend -Xmx6q, which the VM refuses) stops
     * at its first fork, exit 1, as a sweep does. The parent reads that fork's line, the last of the part's log, starts
     * no other part (each would fork with the same options), and says so in one line; its last line lists the part as
     * not finished, as it does the part not started, and gives the command that continues them. The third part, which
     * has no ladder, is neither.
     */
    @Test
    void aPartWhoseForkedVmDoesNotStartStopsTheParts(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("sweep");
        SweepOptions o = SweepOptions.parse("--benchmark", SweepRunTest.BENCH, "-p", "model=fits1,fits2", "-p",
                "engine=sleep", "-p", "device=gpu", "--min-seconds", "0.03", "--min-batches", "1", "--gpus", "0",
                "--shards", "3", "--out", out.toString(), "-jvmArgsAppend", "-Xmx6q");
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        int rc = MultiGpuSweep.run(o, GPUS.subList(0, 1), Main.class.getName(),
                new PrintStream(said, true, StandardCharsets.UTF_8), System.nanoTime());
        String console = said.toString(StandardCharsets.UTF_8);
        assertEquals(1, rc, console);
        assertEquals(List.of("[sweep] stopping: the forked VM of part 1/3 does not start with this sweep's options "
                + "(Invalid maximum heap size: -Xmx6q), and every part forks with them: parts 2/3, 3/3 not started; fix "
                + "them, and --resume continues"), console.lines().filter(l -> l.startsWith("[sweep] stopping")).toList(),
                console);
        assertEquals(List.of("start 1/3", "end 1/3"), readRuns(out).stream().map(r -> r.event() + " " + r.shard()).toList());
        String last = lastLine(console);
        assertTrue(last.startsWith("[sweep] parts: 1/3 exit 1 (its forked VM does not start), 2/3 not started, 3/3 not "
                + "started (no ladder); not finished: 1/3, 2/3; continue them with java -jar benchmarks.jar sweep --gpus 0 "
                + "--shards 3 --out " + ShellWord.of(out.toString()) + " --resume "), last);
    }

    /**
     * Parts that end with a sweep's own exit status without running through their ladders: part 1/3 refused (exit 2:
     * --resume of its directory, which holds no sweep) and part 2/3 kept from running (exit 1: another sweep holds its
     * directory). Neither wrote its summary, which a sweep writes as it ends: the last line lists both as not finished,
     * with the command that continues them, not a report of them all. Part 3/3 (no ladder) runs through.
     */
    @Test
    void partsThatDidNotRunThroughAreNotFinished(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("sweep");
        Files.writeString(Files.createDirectories(out.resolve("shard-1-of-3")).resolve("notes.txt"), "not a sweep");
        Path second = Files.createDirectories(out.resolve("shard-2-of-3"));
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        SweepOptions o = SweepOptions.parse("--benchmark", SweepRunTest.BENCH, "-p", "model=fits1,fits2", "-p",
                "engine=sleep", "-p", "device=gpu", "--min-seconds", "0.03", "--min-batches", "1", "--gpus", "0",
                "--shards", "3", "--out", out.toString(), "--resume");
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        int rc;
        try (DirectoryLock held = DirectoryLock.hold(second, second, "sweep", quiet)) {
            rc = MultiGpuSweep.run(o, GPUS.subList(0, 1), Main.class.getName(),
                    new PrintStream(said, true, StandardCharsets.UTF_8), System.nanoTime());
        }
        String console = said.toString(StandardCharsets.UTF_8);
        assertEquals(2, rc, console);
        assertTrue(Files.readString(out.resolve("shard-1-of-3.log")).contains("holds no sweep"), console);
        assertTrue(Files.readString(out.resolve("shard-2-of-3.log")).contains("is in use by another sweep"), console);
        String last = lastLine(console);
        assertTrue(last.startsWith("[sweep] parts: 1/3 exit 2 (refused), 2/3 exit 1 (did not run to its end), 3/3 exit 0; "
                + "not finished: 1/3, 2/3; continue them with java -jar benchmarks.jar sweep --gpus 0 --shards 3 --out "
                + ShellWord.of(out.toString()) + " --resume "), last);
    }

    /**
     * A symbolic link in a part's directory at a name the part's sweep renames a file over (its summary, a result) is
     * refused by the parent before any part starts, with the line a sweep gives it (SweepCommand prints it, exit 2): no
     * part measures, nothing is written, and the link and its target are kept. The link is in the second part, so that
     * a part refusing it itself would leave the first measured.
     */
    @Test
    void aSymbolicLinkInAPartsDirectoryIsRefusedBeforeAnyPartStarts(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("sweep");
        Files.writeString(Files.createDirectories(out.resolve("shard-1-of-2")).resolve(SweepLog.FILE), "");
        Path second = Files.createDirectories(out.resolve("shard-2-of-2"));
        Files.writeString(second.resolve(SweepLog.FILE), "");
        Path target = Files.writeString(tmp.resolve("target"), "kept\n");
        SweepOptions o = SweepOptions.parse("--benchmark", SweepRunTest.BENCH, "-p", "model=fits1,fits2", "-p",
                "engine=sleep", "-p", "device=gpu", "--min-seconds", "0.03", "--min-batches", "1", "--gpus", "0",
                "--shards", "2", "--out", out.toString(), "--resume");
        for (List<String> c : List.of(List.of(Summary.FILE, "where the sweep writes its summary"),
                List.of("fits2-sleep-b1.json", "where the sweep writes a configuration's result"))) {
            for (Path to : List.of(target, tmp.resolve("gone"))) {
                Path link = Files.createSymbolicLink(second.resolve(c.get(0)), to);
                ByteArrayOutputStream said = new ByteArrayOutputStream();
                BadInputException e = assertThrows(BadInputException.class, () -> MultiGpuSweep.run(o, GPUS.subList(0, 1),
                        Main.class.getName(), new PrintStream(said, true, StandardCharsets.UTF_8), System.nanoTime()),
                        () -> c + ": " + said.toString(StandardCharsets.UTF_8));
                assertEquals("--out " + out + ": " + out.resolve("shard-2-of-2").resolve(c.get(0)) + ", "
                        + c.get(1) + ", is a symbolic link (to " + to + "); that file is renamed over the name, which would"
                        + " replace the link, not write its target; remove the link, or choose another --out", e.getMessage());
                assertEquals("", said.toString(StandardCharsets.UTF_8), "no part started");
                try (Stream<Path> s = Files.walk(out)) {
                    assertEquals(Set.of(out, out.resolve("shard-1-of-2"), out.resolve("shard-1-of-2").resolve(SweepLog.FILE),
                            second, second.resolve(SweepLog.FILE), link), Set.copyOf(s.toList()), c + ": nothing written");
                }
                assertTrue(Files.isSymbolicLink(link));
                Files.delete(link);
            }
        }
        assertEquals("kept\n", Files.readString(target));
    }

    /**
     * A symbolic link at OUT's lock (OUT/.sweep.lock), which the parent holds, in a new OUT or one resumed, or at a
     * part's (OUT/shard-2-of-2/.sweep.lock), which the part's sweep holds, to a file or dangling, is refused before any
     * part starts, with the line a sweep gives it (exit 2): the lock empties its file and writes its holder there, which
     * would replace what the link's target holds. Nothing is written, and the link and its target are kept. The part's
     * link is in the second part, so that a part refusing it itself would leave the first measured.
     */
    @Test
    void aSymbolicLinkAtALockIsRefusedBeforeAnyPartStarts(@TempDir Path tmp) throws Exception {
        Path target = Files.writeString(tmp.resolve("target"), "kept\n");
        for (String at : List.of("", "--resume", "shard-2-of-2")) {
            Path out = Files.createDirectories(tmp.resolve("sweep" + at));
            List<String> args = new ArrayList<>(List.of("--benchmark", SweepRunTest.BENCH, "-p", "model=fits1,fits2", "-p",
                    "engine=sleep", "-p", "device=gpu", "--min-seconds", "0.03", "--min-batches", "1", "--gpus", "0",
                    "--shards", "2", "--out", out.toString()));
            if (!at.isEmpty()) {
                args.add("--resume");
                for (String part : List.of("shard-1-of-2", "shard-2-of-2")) {
                    Files.writeString(Files.createDirectories(out.resolve(part)).resolve(SweepLog.FILE), "");
                }
            }
            SweepOptions o = SweepOptions.parse(args.toArray(new String[0]));
            Path lockDir = at.startsWith("shard") ? out.resolve(at) : out;
            for (Path to : List.of(target, tmp.resolve("gone"))) {
                Path link = Files.createSymbolicLink(lockDir.resolve(SweepDirectory.LOCK_FILE), to);
                Set<Path> before;
                try (Stream<Path> s = Files.walk(out)) {
                    before = Set.copyOf(s.toList());
                }
                ByteArrayOutputStream said = new ByteArrayOutputStream();
                BadInputException e = assertThrows(BadInputException.class, () -> MultiGpuSweep.run(o, GPUS.subList(0, 1),
                        Main.class.getName(), new PrintStream(said, true, StandardCharsets.UTF_8), System.nanoTime()),
                        () -> at + " " + to + ": " + said.toString(StandardCharsets.UTF_8));
                assertEquals("--out " + out + ": " + lockDir.resolve(SweepDirectory.LOCK_FILE) + ", where"
                        + " sweep locks the directory and names its holder, is a symbolic link (to " + to + "); that"
                        + " file is emptied and written in place, which would replace what the link's target holds; remove"
                        + " the link, or choose another --out", e.getMessage());
                assertEquals("", said.toString(StandardCharsets.UTF_8), "no part started");
                try (Stream<Path> s = Files.walk(out)) {
                    assertEquals(before, Set.copyOf(s.toList()), at + " " + to + ": nothing written");
                }
                assertTrue(Files.isSymbolicLink(link));
                Files.delete(link);
            }
        }
        assertEquals("kept\n", Files.readString(target));
        assertFalse(Files.exists(tmp.resolve("gone")), "no file made at a dangling link's target");
    }

    private static String lastLine(String console) {
        List<String> lines = console.lines().toList();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }

    @Test
    void aFailingParentStopsThePartsItStarted(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("sweep");
        Path runs = Files.createDirectories(out.resolve(MultiGpuSweep.RUNS_FILE));
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        IOException e = assertThrows(IOException.class, () -> MultiGpuSweep.run(options(out, "--resume"), GPUS,
                Main.class.getName(), new PrintStream(said, true, StandardCharsets.UTF_8), System.nanoTime()));
        List<ProcessHandle> parts = ProcessHandle.current().descendants()
                .filter(p -> p.info().commandLine().map(c -> c.contains(out.toString())).orElse(false)).toList();
        assertEquals(List.of(), parts.stream().filter(ProcessHandle::isAlive).map(p -> p.info().commandLine().orElse(""))
                .toList(), "parts left running");
        assertEquals(runs + ": is a directory; the part running is stopped, and --resume continues the sweep", e.getMessage());
    }

    /**
     * The parent fails while both parts' JMH forks measure (part 1 ends, killed here, and its end cannot be logged): part
     * 2 is stopped with its fork, which, re-parented once its part is gone, would otherwise run to the end of its
     * 5-minute iteration on the GPU that a --resume takes next.
     */
    @Test
    void aFailingParentStopsThePartsForksToo(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("sweep");
        SweepOptions o = SweepOptions.parse("--benchmark", SweepRunTest.BENCH, "-p", "model=fits1,fits2", "-p", "engine=sleep",
                "-p", "device=gpu", "--min-seconds", "300", "--min-batches", "1", "--max-batch", "1", "--gpus", "0,1",
                "--out", out.toString());
        FutureTask<Integer> sweep = new FutureTask<>(() -> MultiGpuSweep.run(o, GPUS, Main.class.getName(),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), System.nanoTime()));
        new Thread(sweep, "sweep --gpus").start();
        List<ProcessHandle> started = new ArrayList<>();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            Map<Integer, ProcessHandle> parts = new HashMap<>();
            Map<Integer, ProcessHandle> forks = new HashMap<>();
            while (forks.size() < 2) {
                assertTrue(System.nanoTime() < deadline && !sweep.isDone(), "no fork of each part measuring within 120 s");
                Thread.sleep(100);
                for (int part = 1; part <= 2; part++) {
                    String dir = out.resolve("shard-" + part + "-of-2").toString();
                    ProcessHandle.current().children().filter(p -> commandLine(p).contains(dir)).findFirst()
                            .ifPresent(p -> parts.put(partOf(p), p));
                }
                parts.forEach((part, p) -> p.descendants().filter(f -> commandLine(f).contains("ForkedMain")).findFirst()
                        .ifPresent(f -> forks.put(part, f)));
            }
            started.addAll(parts.values());
            started.addAll(forks.values());
            Path runs = out.resolve(MultiGpuSweep.RUNS_FILE);
            Files.delete(runs);
            Files.createDirectory(runs);
            parts.get(1).destroyForcibly();
            forks.get(1).destroyForcibly();

            ExecutionException e = assertThrows(ExecutionException.class, () -> sweep.get(120, TimeUnit.SECONDS));
            assertEquals(runs + ": is a directory; the part running is stopped, and --resume continues the sweep",
                    e.getCause().getMessage());
            assertFalse(parts.get(2).isAlive(), "part 2 left running");
            assertFalse(forks.get(2).isAlive(), "part 2's JMH fork left running (pid " + forks.get(2).pid() + ")");
        } finally {
            sweep.cancel(true);
            started.forEach(ProcessHandle::destroyForcibly);
        }
    }

    /**
     * A part's own process killed (SIGKILL, as kill -9 or the out-of-memory killer would) while its JMH fork measures the
     * second rung of its first ladder, the parent alive: the part wrote no outcome for that rung, and its sweep ended
     * before it could say what it left, so the parent says so in one line, the part's end and the rungs left to run of
     * each of its ladders, from where --resume continues them, its second ladder, not started, from batch 1. The rung it
     * measured before stays whole; the other part runs through. A report of the sweep lists the ladder not started,
     * which neither a result nor a not-run list names, under "Not run".
     */
    @Test
    void aPartKilledWhileItsForkMeasuresSaysWhatItLeftToRun(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("sweep");
        // dealt out in turn: part 1 runs fits2, then fits1; part 2 fits4
        SweepOptions o = SweepOptions.parse("--benchmark", SweepRunTest.BENCH, "-p", "model=fits2,fits4,fits1", "-p",
                "engine=sleep", "-p", "device=gpu", "-wi", "0", "-i", "1", "--min-seconds", "2", "--min-batches", "1",
                "--gpus", "0,1", "--out", out.toString());
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        FutureTask<Integer> sweep = new FutureTask<>(() -> MultiGpuSweep.run(o, GPUS, Main.class.getName(),
                new PrintStream(said, true, StandardCharsets.UTF_8), System.nanoTime()));
        new Thread(sweep, "sweep --gpus").start();
        List<ProcessHandle> started = new ArrayList<>();
        Path partDir = out.resolve("shard-1-of-2");
        Path measured = partDir.resolve("fits2-sleep-b1.json");
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            ProcessHandle killed = null;
            while (killed == null) {
                assertTrue(System.nanoTime() < deadline && !sweep.isDone(), "part 1 not measuring its second rung within "
                        + "120 s:\n" + said.toString(StandardCharsets.UTF_8));
                Thread.sleep(50);
                for (ProcessHandle p : ProcessHandle.current().children().filter(p -> commandLine(p).contains(out.toString()))
                        .toList()) {
                    if (partOf(p) == 1 && Files.exists(measured)
                            && p.descendants().anyMatch(f -> commandLine(f).contains("ForkedMain"))) {
                        killed = p;
                    }
                }
            }
            started.addAll(killed.descendants().toList());
            byte[] before = Files.readAllBytes(measured);
            killed.destroyForcibly();

            int rc = sweep.get(180, TimeUnit.SECONDS);
            String console = said.toString(StandardCharsets.UTF_8);
            assertEquals(1, rc, console);
            assertEquals(List.of("[sweep] part 1/2 ended with exit code 137 (killed: SIGKILL, e.g. the out-of-memory "
                    + "killer) before its sweep did; left to run: fits2 / sleep from batch 2, fits1 / sleep from batch 1; "
                    + "what it measured stays in " + partDir + ", and --resume continues it"),
                    console.lines().filter(l -> l.contains("left to run")).toList(), console);
            assertArrayEquals(before, Files.readAllBytes(measured), "the rung measured before the kill");
            Measurement.read(measured);
            String last = lastLine(console);
            assertTrue(last.startsWith("[sweep] parts: ") && last.contains("1/2 exit 137") && last.contains("2/2 exit 0")
                    && last.contains("; not finished: 1/2; continue it with "), console);
            assertFalse(started.stream().anyMatch(ProcessHandle::isAlive), "the killed part's fork ends with it");

            Path report = tmp.resolve("report");
            assertEquals(0, ReportCommand.run(new String[] {out.toString(), "--out", report.toString()}));
            List<String> notRun = Files.readAllLines(report.resolve("summary.md")).stream()
                    .filter(l -> l.contains("nothing measured")).toList();
            assertEquals(List.of("- shard-1-of-2: fits1 / sleep: nothing measured: its sweep has not reached this "
                    + "ladder (stopped or killed before it, or still running); sweep --resume runs it"), notRun);
        } finally {
            sweep.cancel(true);
            started.forEach(ProcessHandle::destroyForcibly);
            ProcessHandle.current().descendants().filter(p -> commandLine(p).contains(out.toString()))
                    .forEach(ProcessHandle::destroyForcibly);
        }
    }

    /**
     * Parts that their --stop-after (the sweep's 12 s, less than the 15 s a sweep predicts for its first rung) stops
     * before their ladders' first rungs: each exits 0 and writes its summary, as a sweep that --stop-after stops does,
     * but has its ladder left. The parent says so for each as it ends, naming what is left, and its last line lists them
     * as not finished, with the command that continues them, not as a sweep to report. Part 3/3 has no ladder: nothing is
     * left of it.
     */
    @Test
    void partsTheirStopAfterStoppedWithLaddersLeftAreNotFinished(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("sweep");
        SweepOptions o = SweepOptions.parse("--benchmark", SweepRunTest.BENCH, "-p", "model=fits1,fits2", "-p",
                "engine=sleep", "-p", "device=gpu", "--min-seconds", "0.03", "--min-batches", "1", "--gpus", "0,1",
                "--shards", "3", "--stop-after", "12", "--out", out.toString());
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        int rc = MultiGpuSweep.run(o, GPUS, Main.class.getName(), new PrintStream(said, true, StandardCharsets.UTF_8),
                System.nanoTime());
        String console = said.toString(StandardCharsets.UTF_8);
        assertEquals(0, rc, console);
        assertEquals(List.of(1, 2).stream().map(part -> "[sweep] part " + part + "/3 was stopped by its --stop-after with "
                + "ladders left; left to run: fits" + part + " / sleep from batch 1; what it measured stays in "
                + out.resolve("shard-" + part + "-of-3") + ", and --resume continues it").toList(),
                console.lines().filter(l -> l.contains("left to run")).sorted().toList(), console);
        String last = lastLine(console);
        assertTrue(last.startsWith("[sweep] parts: ") && last.contains("1/3 exit 0 (stopped by its --stop-after)")
                && last.contains("2/3 exit 0 (stopped by its --stop-after)") && last.contains("; not finished: 1/3, 2/3; "
                + "continue them with java -jar benchmarks.jar sweep --gpus 0,1 --shards 3 --out "
                + ShellWord.of(out.toString()) + " --resume "), console);
    }

    /**
     * A part with --stop-after whose ladder ends in this run at a short run kept as the result, its re-run out of memory
     * (SweepUnfinishedRunTest.aShortRunWhoseReRunDidNotFitIsTheResult): nothing is logged above that batch, so --resume
     * would try the next one, but the part ran its ladder to its end. The parent does not say its --stop-after stopped
     * it, and its last line lists the part as finished.
     */
    @Test
    void aLadderEndedAtAShortRunKeptAsTheResultIsNotLeftByStopAfter(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("sweep");
        Path trials = tmp.resolve("trials.txt");
        // 0.03 s iterations of a 1 ms batch hold about 30 batches, short of 1000: the re-run (the second trial) fails
        SweepOptions o = SweepOptions.parse("--benchmark", SweepRunTest.BENCH, "-p", "model=fits8", "-p",
                "engine=late-oom", "-p", "device=gpu", "--min-seconds", "0.03", "--min-batches", "1000", "--max-batch",
                "2", "--gpus", "0", "--stop-after", "600", "-jvmArgsAppend", "-D" + SleepBenchmark.TRIALS + "=" + trials,
                "--out", out.toString());
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        int rc = MultiGpuSweep.run(o, GPUS.subList(0, 1), Main.class.getName(),
                new PrintStream(said, true, StandardCharsets.UTF_8), System.nanoTime());
        String console = said.toString(StandardCharsets.UTF_8);
        assertEquals(0, rc, console);
        Path partDir = out.resolve(ShardFile.directoryName(1, 1));
        List<SweepLog.Entry> log = SweepLog.read(partDir, System.out);
        assertEquals(List.of("1 rerun", "1 done"), log.stream().map(e -> e.batchSize() + " " + e.status()).toList());
        assertFalse(Rung.keptShortRun(log.get(0)), log.get(0).reason());
        assertTrue(Rung.keptShortRun(log.get(1)), log.get(1).reason());
        assertFalse(console.contains("was stopped by its --stop-after"), console);
        String last = lastLine(console);
        assertTrue(last.startsWith("[sweep] parts: 1/1 exit 0") && !last.contains("not finished"), console);
    }

    /**
     * A part killed (SIGKILL) after one of its ladders ended at a short run kept as the result, its re-run out of memory,
     * as in {@link #aLadderEndedAtAShortRunKeptAsTheResultIsNotLeftByStopAfter}: the line that says what it left names
     * its other ladder, which it was running, and not that one, which --resume tries the batch above of but the part ran
     * to its end, as a part stopped by its --stop-after does not.
     */
    @Test
    void aPartKilledAfterALadderEndedAtAShortRunKeptAsTheResultDoesNotNameIt(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("sweep");
        Path trials = tmp.resolve("trials.txt");
        // the late-oom ladder first: its short run is the first trial, its re-run the second, which fails; the sleep
        // ladder's short run and 1 s re-runs (1000 batches of 1 ms) follow, the part killed among them
        SweepOptions o = SweepOptions.parse("--benchmark", SweepRunTest.BENCH, "-p", "model=fits8", "-p",
                "engine=late-oom,sleep", "-p", "device=gpu", "--min-seconds", "0.03", "--min-batches", "1000",
                "--max-batch", "2", "--gpus", "0", "-jvmArgsAppend", "-D" + SleepBenchmark.TRIALS + "=" + trials,
                "--out", out.toString());
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        FutureTask<Integer> sweep = new FutureTask<>(() -> MultiGpuSweep.run(o, GPUS.subList(0, 1),
                Main.class.getName(), new PrintStream(said, true, StandardCharsets.UTF_8), System.nanoTime()));
        new Thread(sweep, "sweep --gpus").start();
        List<ProcessHandle> started = new ArrayList<>();
        Path partDir = out.resolve(ShardFile.directoryName(1, 1));
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            ProcessHandle killed = null;
            while (killed == null) {
                assertTrue(System.nanoTime() < deadline && !sweep.isDone(), "part 1 not past its late-oom ladder within "
                        + "120 s:\n" + said.toString(StandardCharsets.UTF_8));
                Thread.sleep(50);
                boolean kept;
                try {
                    kept = SweepLog.read(partDir, new PrintStream(OutputStream.nullOutputStream())).stream()
                            .anyMatch(Rung::keptShortRun);
                } catch (IOException | RuntimeException e) {
                    kept = false; // not written yet, or a line being written
                }
                for (ProcessHandle p : ProcessHandle.current().children().filter(p -> commandLine(p).contains(out.toString()))
                        .toList()) {
                    if (kept && p.descendants().anyMatch(f -> commandLine(f).contains("ForkedMain"))) {
                        killed = p;
                    }
                }
            }
            started.addAll(killed.descendants().toList());
            killed.destroyForcibly();

            int rc = sweep.get(180, TimeUnit.SECONDS);
            String console = said.toString(StandardCharsets.UTF_8);
            assertEquals(1, rc, console);
            List<String> left = console.lines().filter(l -> l.contains("left to run")).toList();
            assertEquals(1, left.size(), console);
            assertTrue(left.get(0).matches("\\[sweep\\] part 1/1 ended with exit code 137 \\(killed: SIGKILL, e\\.g\\. the "
                    + "out-of-memory killer\\) before its sweep did; left to run: fits8 / sleep from batch [12]; what it "
                    + "measured stays in .*, and --resume continues it"), console);
            String last = lastLine(console);
            assertTrue(last.startsWith("[sweep] parts: 1/1 exit 137") && last.contains("; not finished: 1/1; "), console);
        } finally {
            sweep.cancel(true);
            started.forEach(ProcessHandle::destroyForcibly);
            ProcessHandle.current().descendants().filter(p -> commandLine(p).contains(out.toString()))
                    .forEach(ProcessHandle::destroyForcibly);
        }
    }

    /** A MIG instance of the first stand-in GPU, as --gpus looks it up. */
    private static final GpuDevice MIG_INSTANCE = new GpuDevice("0", GPUS.get(0).uuid(), GPUS.get(0).name(),
            EnvironmentKeys.GPU_MIG_ENABLED);

    /**
     * A part on {@link #MIG_INSTANCE}: CUDA gives it an instance of profile 1g.10gb, which its launcher records, so its
     * log lines record the GPU model "... MIG 1g.10gb", which --gpus, knowing the board only, cannot.
     */
    public static final class OnMigInstance {
        public static void main(String[] args) {
            System.exit(SweepCommand.run(args, SweepGpuModelsTest.on(MIG_INSTANCE.name(), MIG_INSTANCE.uuid(),
                    MIG_INSTANCE.migMode(), "1g.10gb")));
        }
    }

    /**
     * A part on a MIG instance whose ladder ended at a did-not-fit in an earlier run, resumed with --stop-after: it has
     * nothing left, and the parent, reading its log under the GPU model its lines record (the name with the instance's
     * profile), does not say its --stop-after stopped it with that batch left to run. Its last line lists no part as not
     * finished.
     */
    @Test
    void aPartOnAMigInstanceWhoseLadderEndedIsNotLeftByStopAfter(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("sweep");
        List<String> args = List.of("--benchmark", SweepRunTest.BENCH, "-p", "model=fits1", "-p", "engine=sleep", "-p",
                "device=gpu", "--min-seconds", "0.03", "--min-batches", "1", "--gpus", "0", "--stop-after", "600",
                "--out", out.toString());
        for (boolean resume : List.of(false, true)) {
            List<String> given = new ArrayList<>(args);
            if (resume) {
                given.add("--resume");
            }
            ByteArrayOutputStream said = new ByteArrayOutputStream();
            int rc = MultiGpuSweep.run(SweepOptions.parse(given.toArray(new String[0])), List.of(MIG_INSTANCE),
                    OnMigInstance.class.getName(), new PrintStream(said, true, StandardCharsets.UTF_8), System.nanoTime());
            String console = said.toString(StandardCharsets.UTF_8);
            assertEquals(0, rc, console);
            List<SweepLog.Entry> log = SweepLog.read(out.resolve(ShardFile.directoryName(1, 1)), System.out);
            assertEquals(List.of("1 done " + GPUS.get(0).name() + " MIG 1g.10gb",
                    "2 did-not-fit " + GPUS.get(0).name() + " MIG 1g.10gb"), log.stream()
                    .map(e -> e.batchSize() + " " + e.status() + " " + e.onGpu().model()).toList(), console);
            assertFalse(console.contains("left to run"), console);
            String last = lastLine(console);
            assertTrue(last.startsWith("[sweep] parts: 1/1 exit 0") && !last.contains("not finished"), console);
        }
    }

    /** A part on a MIG instance of the second stand-in GPU whose profile NVML does not tell, as its launcher records it. */
    public static final class OnUntoldMigInstance {
        public static void main(String[] args) {
            System.exit(SweepCommand.run(args, SweepGpuModelsTest.on(GPUS.get(1).name(), GPUS.get(1).uuid(),
                    EnvironmentKeys.GPU_MIG_ENABLED, EnvironmentKeys.UNKNOWN)));
        }
    }

    /** A part whose VM ends at once, as one the out-of-memory killer ends before its sweep logs a line. */
    public static final class EndsAtOnce {
        public static void main(String[] args) {
            Runtime.getRuntime().halt(137);
        }
    }

    /**
     * A part on a MIG instance that ends before it logs a line on an instance of its board, in a directory whose ladder
     * ended at a did-not-fit on an instance of another board of the same name whose profile was not told ("NAME with
     * MIG enabled"): the parent cannot know the profile of the instance CUDA gives the part, so it does not take that
     * did-not-fit as ending the ladder, names batch 2 as left to run (--resume's part, on its own profile, runs it) and
     * says its GPU model is unknown.
     */
    @Test
    void aPartThatLoggedNoLineOnItsMigBoardHasAnUnknownModel(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("sweep");
        List<String> args = List.of("--benchmark", SweepRunTest.BENCH, "-p", "model=fits4", "-p", "engine=sleep", "-p",
                "device=gpu", "--min-seconds", "0.03", "--min-batches", "1", "--gpus", "0", "--out", out.toString());
        List<String> first = new ArrayList<>(args);
        first.addAll(List.of("-jvmArgsAppend", "-D" + SleepBenchmark.FITS + "=1"));
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        GpuDevice untold = new GpuDevice("0", GPUS.get(1).uuid(), GPUS.get(1).name(), EnvironmentKeys.GPU_MIG_ENABLED);
        assertEquals(0, MultiGpuSweep.run(SweepOptions.parse(first.toArray(new String[0])), List.of(untold),
                OnUntoldMigInstance.class.getName(), new PrintStream(said, true, StandardCharsets.UTF_8), System.nanoTime()),
                said.toString(StandardCharsets.UTF_8));
        Path part = out.resolve(ShardFile.directoryName(1, 1));
        assertEquals(List.of("1 done " + GPUS.get(1).name() + " with MIG enabled",
                "2 did-not-fit " + GPUS.get(1).name() + " with MIG enabled"), SweepLog.read(part, System.out).stream()
                .map(e -> e.batchSize() + " " + e.status() + " " + e.onGpu().model()).toList());

        List<String> resumed = new ArrayList<>(args);
        resumed.add("--resume");
        said.reset();
        int rc = MultiGpuSweep.run(SweepOptions.parse(resumed.toArray(new String[0])), List.of(MIG_INSTANCE),
                EndsAtOnce.class.getName(), new PrintStream(said, true, StandardCharsets.UTF_8), System.nanoTime());
        String console = said.toString(StandardCharsets.UTF_8);
        assertEquals(1, rc, console);
        assertEquals(List.of("[sweep] part 1/1 ended with exit code 137 (killed: SIGKILL, e.g. the out-of-memory killer) "
                + "before its sweep did; left to run: fits4 / sleep from batch 2 (its GPU model is " + MIG_INSTANCE.name()
                + " MIG instance unknown: it logged no line on an instance of its board, whose profile only its sweep learns, so "
                + "no did-not-fit ends a ladder here); what it measured stays in " + part + ", and --resume continues it"),
                console.lines().filter(l -> l.contains("left to run")).toList(), console);
    }

    /**
     * A part whose sweep runs through, after which its sweep.jsonl is no longer a file (a directory in its place, which
     * stops root too): the log moved aside.
     */
    public static final class LogGoneAfterItsSweep {
        public static void main(String[] args) throws IOException {
            int rc = SweepCommand.run(args);
            Path log = Path.of(args[List.of(args).indexOf("--out") + 1]).resolve(SweepLog.FILE);
            Files.move(log, log.resolveSibling(SweepLog.FILE + ".aside"));
            Files.createDirectory(log);
            System.exit(rc);
        }
    }

    /**
     * A part with --stop-after whose sweep.jsonl cannot be read once it has ended: the parent cannot tell whether its
     * --stop-after left ladders to run, and says so in one line naming the file and why; the part is not finished, the
     * sweep exits 1, and what the part measured stays.
     */
    @Test
    void aPartWhoseLogCannotBeReadAfterItEndedIsNotFinished(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("sweep");
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        int rc = MultiGpuSweep.run(SweepOptions.parse("--benchmark", SweepRunTest.BENCH, "-p", "model=fits2", "-p",
                "engine=sleep", "-p", "device=gpu", "--min-seconds", "0.03", "--min-batches", "1", "--gpus", "0",
                "--stop-after", "600", "--out", out.toString()), GPUS.subList(0, 1), LogGoneAfterItsSweep.class.getName(),
                new PrintStream(said, true, StandardCharsets.UTF_8), System.nanoTime());
        String console = said.toString(StandardCharsets.UTF_8);
        Path part = out.resolve(ShardFile.directoryName(1, 1));
        assertEquals(1, rc, console + Files.readString(out.resolve(ShardFile.directoryName(1, 1) + ".log")));
        assertEquals(List.of("[sweep] part 1/1: whether its --stop-after left ladders to run is not known ("
                + part.resolve(SweepLog.FILE) + ": is a directory); what it measured stays in " + part
                + ", and --resume continues it once " + part.resolve(SweepLog.FILE) + " can be read"),
                console.lines().filter(l -> l.contains("stop-after")).toList(), console);
        assertFalse(console.contains("\tat "), console);
        String last = lastLine(console);
        assertTrue(last.startsWith("[sweep] parts: 1/1 exit 0 (its log cannot be read); not finished: 1/1; "), console);
        for (int batch : List.of(1, 2)) {
            assertTrue(Files.isRegularFile(part.resolve("fits2-sleep-b" + batch + ".json")), console);
        }
        assertTrue(Files.isRegularFile(part.resolve(Summary.FILE)), console);
    }

    /** A part on the whole GPU of {@link #MIG_INSTANCE}'s board, its MIG mode disabled, as its launcher records it. */
    public static final class OnWholeGpu {
        public static void main(String[] args) {
            System.exit(SweepCommand.run(args, SweepGpuModelsTest.on(GPUS.get(0).name(), GPUS.get(0).uuid(),
                    EnvironmentKeys.GPU_MIG_DISABLED)));
        }
    }

    /**
     * A part on a board's whole GPU that its --stop-after stops before batch 4, which did not fit on a MIG instance of
     * the board in an earlier run: the parent, which knows the part's GPU model where the board is not split, names
     * batch 4 as left rather than reading the part's log under the instance's model of its latest line.
     */
    @Test
    void aPartOnAWholeGpuIsNotEndedByAMigInstancesDidNotFitOfItsBoard(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("sweep");
        List<String> args = List.of("--benchmark", SweepRunTest.BENCH, "-p", "model=fits4", "-p", "engine=sleep", "-p",
                "device=gpu", "--min-batches", "1", "--gpus", "0", "--out", out.toString());
        List<String> onInstance = new ArrayList<>(args);
        onInstance.addAll(List.of("--min-seconds", "0.03", "-jvmArgsAppend", "-D" + SleepBenchmark.FITS + "=2"));
        ByteArrayOutputStream first = new ByteArrayOutputStream();
        assertEquals(0, MultiGpuSweep.run(SweepOptions.parse(onInstance.toArray(new String[0])), List.of(MIG_INSTANCE),
                OnMigInstance.class.getName(), new PrintStream(first, true, StandardCharsets.UTF_8), System.nanoTime()),
                first.toString(StandardCharsets.UTF_8));
        Path part = out.resolve(ShardFile.directoryName(1, 1));
        assertEquals(List.of("1 done", "2 done", "4 did-not-fit"), SweepLog.read(part, System.out).stream()
                .map(e -> e.batchSize() + " " + e.status()).toList());

        // batch 2's run logged as taking 100 s: batch 4, predicted from it, does not fit in the 12 s of --stop-after,
        // and the part stops before it
        Path log = part.resolve(SweepLog.FILE);
        Files.writeString(log, Files.readAllLines(log).stream().map(l -> l.contains("\"batchSize\":2,")
                ? l.replaceFirst("\"seconds\":[0-9.]+", "\"seconds\":100.0") : l).collect(Collectors.joining("\n", "", "\n")));
        assertTrue(Files.readString(log).contains("\"seconds\":100.0"), Files.readString(log));
        List<String> onWhole = new ArrayList<>(args);
        onWhole.addAll(List.of("--min-seconds", "0.03", "--stop-after", "12", "--resume"));
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        int rc = MultiGpuSweep.run(SweepOptions.parse(onWhole.toArray(new String[0])), GPUS.subList(0, 1),
                OnWholeGpu.class.getName(), new PrintStream(said, true, StandardCharsets.UTF_8), System.nanoTime());
        String console = said.toString(StandardCharsets.UTF_8);
        assertEquals(0, rc, console + Files.readString(out.resolve(ShardFile.directoryName(1, 1) + ".log")));
        assertEquals(List.of("[sweep] part 1/1 was stopped by its --stop-after with ladders left; left to run: fits4 / "
                + "sleep from batch 4; what it measured stays in " + part + ", and --resume continues it"),
                console.lines().filter(l -> l.contains("left to run")).toList(), console);
    }

    /** sweep --gpus on the two stand-in GPUs as the launcher runs it, in a process of its own that a signal can stop. */
    public static final class StandInParent {
        public static void main(String[] args) throws Exception {
            System.exit(MultiGpuSweep.run(SweepOptions.parse(args), GPUS, Main.class.getName(), System.out,
                    System.nanoTime()));
        }
    }

    /**
     * SIGTERM to the parent (kill, as Ctrl-C) while both parts' JMH forks measure and a third part waits for a GPU: the
     * parent stops each part with its fork, logs their ends, and ends without a stack trace, though its own loop ends
     * while the VM shuts down. Its last line names the parts left unfinished, the two stopped and the one never started,
     * and the command that continues them: this sweep's, with --resume and the suite's setting the parent was given
     * (its parts recorded it, and refuse a --resume without it). That command, as a shell reads it, continues the sweep:
     * run with java standing in for the jar (and --stop-after, to end at once), it resumes the two parts, neither
     * refused.
     */
    @Test
    void aSignalToTheParentStopsThePartsAndSaysWhatIsLeft(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("the sweep's out"); // words a shell would split or end a quote at
        Path log = tmp.resolve("parent.log");
        List<String> args = List.of("--benchmark", SweepRunTest.BENCH, "-p", "model=fits1,fits2,fits4", "-p", "engine=sleep",
                "-p", "device=gpu", "--min-seconds", "300", "--min-batches", "1", "--max-batch", "1", "--gpus", "0,1",
                "--shards", "3", "--out", out.toString());
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Djmh.ignoreLock=true", "-Dgpuenergy.allowUnchecked=true", "-cp",
                System.getProperty("java.class.path"), StandInParent.class.getName()));
        cmd.addAll(args);
        Process parent = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        List<ProcessHandle> started = new ArrayList<>();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (parent.descendants().filter(p -> commandLine(p).contains("ForkedMain")).count() < 2) {
                assertTrue(System.nanoTime() < deadline && parent.isAlive(), "no fork of each part measuring within 120 s:\n"
                        + Files.readString(log));
                Thread.sleep(100);
            }
            started.addAll(parent.descendants().toList());
            parent.destroy();
            assertTrue(parent.waitFor(120, TimeUnit.SECONDS), "the parent still runs 120 s after SIGTERM");
            assertEquals(List.of(), started.stream().filter(ProcessHandle::isAlive).map(ProcessHandle::pid).toList(),
                    "parts or forks left running");
            String said = Files.readString(log);
            assertFalse(said.contains("Exception") || said.contains("\tat "), said);
            assertEquals(List.of("1/3 143", "2/3 143"), readRuns(out).stream().filter(r -> r.event().equals("end"))
                    .map(r -> r.shard() + " " + r.exit()).sorted().toList());

            List<String> lines = said.lines().toList();
            // each part stopped names what it left, from its directory: its one ladder, not started
            assertEquals(List.of("1/3", "2/3"), lines.stream().map(Pattern.compile("\\[sweep] part ([12]/3) was stopped "
                    + "\\(exit code 143\\); left to run: fits[124] / sleep from batch 1; what it measured stays in .*, and "
                    + "--resume continues it")::matcher).filter(Matcher::matches).map(m -> m.group(1)).sorted().toList(), said);
            String last = lines.get(lines.size() - 1);
            String resume = "; not finished: 1/3, 2/3, 3/3; continue them with ";
            assertTrue(last.matches("\\[sweep] parts: [12]/3 exit 143, [12]/3 exit 143, 3/3 not started"
                    + Pattern.quote(resume) + ".*"), said);
            String command = last.substring(last.indexOf(resume) + resume.length());
            List<String> words = shellWords(command);
            assertEquals(List.of("java", "-Dgpuenergy.allowUnchecked=true", "-jar", "benchmarks.jar", "sweep"),
                    words.subList(0, 5), command);
            SweepOptions given = SweepOptions.parse(args.toArray(new String[0]));
            SweepOptions continued = SweepOptions.parse(words.subList(4, words.size()).toArray(new String[0]));
            assertTrue(continued.resume(), last);
            assertEquals(out, continued.out(), last);
            assertEquals(List.of(given.gpus(), given.shards(), given.partArguments()),
                    List.of(continued.gpus(), continued.shards(), continued.partArguments()), last);

            // the command as the shell runs it: java's options and the sweep's, with the stand-in GPUs for the jar
            String standIn = "java() { local vm=(); while [ \"$1\" != -jar ]; do vm+=(\"$1\"); shift; done; shift 3; "
                    + "exec \"$JAVA\" \"${vm[@]}\" -Djmh.ignoreLock=true -cp \"$CP\" " + ShellWord.of(StandInParent.class.getName())
                    + " --stop-after 5 \"$@\"; }; ";
            ProcessBuilder pb = new ProcessBuilder("bash", "-c", standIn + command).redirectErrorStream(true)
                    .redirectOutput(tmp.resolve("resumed.log").toFile());
            pb.environment().put("JAVA", java);
            pb.environment().put("CP", System.getProperty("java.class.path"));
            Process resumed = pb.start();
            try {
                assertTrue(resumed.waitFor(120, TimeUnit.SECONDS), "the --resume still runs after 120 s");
            } finally {
                resumed.descendants().forEach(ProcessHandle::destroyForcibly);
                resumed.destroyForcibly();
            }
            String again = Files.readString(tmp.resolve("resumed.log"));
            assertEquals(0, resumed.exitValue(), again);
            assertTrue(again.contains(": resumed in " + out.resolve("shard-1-of-3"))
                    && again.contains(": resumed in " + out.resolve("shard-2-of-3")), again);
            assertEquals(List.of("1/3 0", "1/3 143", "2/3 0", "2/3 143"), readRuns(out).stream()
                    .filter(r -> r.event().equals("end") && !r.shard().equals("3/3")).map(r -> r.shard() + " " + r.exit())
                    .sorted().toList(), again);
        } finally {
            parent.destroyForcibly();
            started.forEach(ProcessHandle::destroyForcibly);
        }
    }

    /** {@code command}'s words as bash reads them. */
    private static List<String> shellWords(String command) throws Exception {
        Process p = new ProcessBuilder("bash", "-c", "printf '%s\\n' " + command).redirectErrorStream(true).start();
        String words = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), words);
        return words.lines().toList();
    }

    /**
     * The parent holds --out's lock while its parts run: a second --gpus run of the same --out is refused up front in one
     * line naming the holder, and starts nothing; the lock goes with the first parent.
     */
    @Test
    void aSecondParentOfTheSameOutIsRefusedWhileTheFirstRuns(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("sweep");
        List<String> args = List.of("--benchmark", SweepRunTest.BENCH, "-p", "model=fits1,fits2", "-p", "engine=sleep",
                "-p", "device=gpu", "--min-seconds", "60", "--min-batches", "1", "--max-batch", "1", "--gpus", "0,1",
                "--out", out.toString());
        SweepOptions o = SweepOptions.parse(args.toArray(new String[0]));
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        Thread first = new Thread(() -> {
            try {
                MultiGpuSweep.run(o, GPUS, Main.class.getName(), quiet, System.nanoTime());
            } catch (Exception e) {
                // interrupted below: it stops its parts and says so, which this test does not read
            }
        }, "sweep --gpus");
        first.start();
        Path runs = out.resolve(MultiGpuSweep.RUNS_FILE);
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!Files.exists(runs) || readRuns(out).size() < 2) {
                assertTrue(System.nanoTime() < deadline && first.isAlive(), "both parts started within 120 s");
                Thread.sleep(100);
            }
            List<String> started = Files.readAllLines(runs);
            List<String> again = new ArrayList<>(args);
            again.add("--resume");
            IOException e = assertThrows(IOException.class, () -> MultiGpuSweep.run(
                    SweepOptions.parse(again.toArray(new String[0])), GPUS, Main.class.getName(), quiet, System.nanoTime()));
            assertTrue(e.getMessage().startsWith("--out " + out + " is in use by another sweep (pid "
                    + ProcessHandle.current().pid() + " on host "), e.getMessage());
            assertTrue(e.getMessage().endsWith("; wait for it to end, or choose another --out"), e.getMessage());
            assertEquals(started, Files.readAllLines(runs), "the second parent started no part");
        } finally {
            first.interrupt(); // the parent stops its parts and waits for them
            first.join(TimeUnit.SECONDS.toMillis(120));
            ProcessHandle.current().descendants().filter(p -> commandLine(p).contains(out.toString()))
                    .forEach(ProcessHandle::destroyForcibly);
        }
        assertFalse(first.isAlive(), "the first parent ended");
        DirectoryLock.hold(out, out, "sweep", System.out).close(); // released as the parent ended: this throws otherwise
    }

    private static String commandLine(ProcessHandle p) {
        return p.info().commandLine().orElse("");
    }

    private static int partOf(ProcessHandle part) {
        Matcher m = Pattern.compile("shard-(\\d+)-of-2").matcher(commandLine(part));
        assertTrue(m.find(), commandLine(part));
        return Integer.parseInt(m.group(1));
    }

    private static List<Path> resultPaths(Path out) throws Exception {
        try (Stream<Path> s = Files.walk(out)) {
            return s.filter(p -> p.getFileName().toString().matches("fits\\d-sleep-b\\d+\\.json")).sorted().toList();
        }
    }

    private static Set<String> results(Path out) throws Exception {
        return resultPaths(out).stream().map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
    }

    /**
     * A part's command line is rebuilt from the parsed options: --gpus, --shards, --out and --resume, in every spelling
     * jopt-simple takes, stay the parent's, and a JMH option whose value reads as one of them stays JMH's. Each part
     * parses its command line as the launcher's sweep does.
     */
    @Test
    void eachPartGetsTheSweepsArgumentsLessWhatTheParentDecides() throws Exception {
        Path part = Path.of("d", "shard-1-of-2");
        for (List<String> spelt : List.of(List.of("-out", "d", "--gpus", "0,1"), List.of("--out=d", "-gpus", "0,1"),
                List.of("-out=d", "-gpus=0,1", "-shards", "2", "-resume"), List.of("--gpus=0,1", "--shards=2", "--out", "d"))) {
            List<String> args = new ArrayList<>(List.of("-p", "engine=x", "--min-batches=2"));
            args.addAll(spelt);
            args.addAll(List.of("-wi", "1", "--prof=gc"));
            SweepOptions parent = SweepOptions.parse(args.toArray(new String[0]));
            assertEquals(List.of("0", "1"), parent.gpus(), spelt.toString());
            List<String> partArgs = MultiGpuSweep.sweepArguments(parent, "1/2", part, false, 0);
            assertEquals(List.of("--shard", "1/2", "--out", part.toString(), "-p", "engine=x", "--min-batches", "2",
                    "-wi", "1", "-prof", "gc"), partArgs, spelt.toString());
            SweepOptions child = SweepOptions.parse(partArgs.toArray(new String[0]));
            assertEquals(part, child.out());
            assertEquals(new Shard(1, 2), child.shard());
            assertEquals(List.of(), child.gpus());
            assertFalse(child.resume());
            assertEquals(2, child.minBatches());
            assertEquals(1, child.jmh().getWarmupIterations().get());
            assertEquals("gc", child.jmh().getProfilers().get(0).getKlass());
        }

        SweepOptions parent = SweepOptions.parse("-p", "engine=x", "--out", "d", "--gpus", "0,1", "-jvmArgsAppend", "--resume");
        assertFalse(parent.resume(), "--resume is -jvmArgsAppend's value");
        List<String> partArgs = MultiGpuSweep.sweepArguments(parent, "1/2", part, true, 0);
        assertEquals(List.of("--shard", "1/2", "--out", part.toString(), "--resume", "-p", "engine=x", "-jvmArgsAppend",
                "--resume"), partArgs);
        SweepOptions child = SweepOptions.parse(partArgs.toArray(new String[0]));
        assertTrue(child.resume());
        assertEquals(List.of("--resume"), List.copyOf(child.jmh().getJvmArgsAppend().get()));
    }

    /**
     * --stop-after is the sweep's deadline, not each part's: a part is given the time the sweep has left when it starts
     * (one that starts when another has ended gets less than the whole).
     */
    @Test
    void eachPartGetsTheTimeTheSweepHasLeft() throws Exception {
        Path part = Path.of("d", "shard-2-of-3");
        SweepOptions parent = SweepOptions.parse("-p", "engine=x", "--out", "d", "--gpus", "0", "--shards", "3",
                "--stop-after", "20");
        List<String> partArgs = MultiGpuSweep.sweepArguments(parent, "2/3", part, false, 7_500);
        assertEquals(List.of("--shard", "2/3", "--out", part.toString(), "--stop-after", "7.5", "-p", "engine=x"), partArgs);
        assertEquals(7_500, SweepOptions.parse(partArgs.toArray(new String[0])).stopAfterMillis());
        List<String> late = MultiGpuSweep.sweepArguments(parent, "2/3", part, false, -40);
        assertEquals("0.001", late.get(5), "a part started as the time runs out stops before its first configuration");
        assertEquals(1, SweepOptions.parse(late.toArray(new String[0])).stopAfterMillis());
    }

    @Test
    void badGpuOptionsAreOneLine() {
        for (String[] bad : new String[][] {
                {"--gpus", "0,,1", "empty entry"},
                {"--gpus", "0", "--shard", "1/2", "--shard with --gpus"},
                {"--shards", "3", "--shards: it divides the sweep over the GPUs of --gpus"},
                {"--gpus", "0,1", "--shards", "1", "--shards 1 is fewer than the 2 GPUs of --gpus"}}) {
            List<String> args = new ArrayList<>(List.of(bad).subList(0, bad.length - 1));
            BadInputException e = assertThrows(BadInputException.class, () -> SweepOptions.parse(args.toArray(new String[0])));
            assertTrue(e.getMessage().contains(bad[bad.length - 1]), e.getMessage());
        }
        // a GPU named twice
        BadInputException twice = assertThrows(BadInputException.class, () -> GpuDevice.distinct(List.of(GPUS.get(0),
                new GpuDevice(GPUS.get(0).uuid(), GPUS.get(0).uuid(), null, null)), "0," + GPUS.get(0).uuid()));
        assertEquals("--gpus 0," + GPUS.get(0).uuid() + ": 0 and " + GPUS.get(0).uuid() + " are one GPU ("
                + GPUS.get(0).uuid() + ")", twice.getMessage());
    }

    /**
     * --gpus given twice is refused as any option of the sweep's given twice (docs/sweep.md), before a GPU is looked up:
     * taking the lists together would hide a mistake, as the last one winning would.
     */
    @Test
    void gpusGivenTwiceIsOneLine(@TempDir Path tmp) {
        ConsoleCapture c = ConsoleCapture.run(() -> SweepCommand.run(new String[] {"--benchmark", SweepRunTest.BENCH,
                "-p", "device=gpu", "--gpus", "0", "--gpus", "1", "--out", tmp.resolve("x").toString()}));
        assertEquals(2, c.rc(), c.err());
        assertEquals("sweep: --gpus is given 2 times (0, 1): give it once\n", c.err());
        assertFalse(Files.exists(tmp.resolve("x")));
    }

    /**
     * On this machine NVML finds no GPU: the machine stops the sweep (exit 1). A benchmark on the CPU, on a device other
     * than each part's one GPU, or on a device value the engines refuse, has nothing to divide over GPUs (exit 2). Each
     * is one line, and nothing is created.
     */
    @Test
    void noGpuToRunOnIsOneLine(@TempDir Path tmp) {
        assertEquals("sweep: --gpus 0,1: no NVIDIA GPU: ", refused(tmp, "device=gpu", 1).substring(0, 34));
        assertTrue(refused(tmp, "device=cpu", 2).startsWith("sweep: --gpus: the benchmarks run on the CPU (-p device=cpu)"));
        assertTrue(refused(tmp, "device=gpu:1", 2).startsWith("sweep: --gpus with -p device=gpu:1: each part sees only its own GPU"));
        // a value the engines refuse is refused with their line, before any GPU is looked up
        assertEquals("sweep: device 'tpu' is not accepted; accepted: auto, cpu, gpu, gpu:N", refused(tmp, "device=tpu", 2).strip());
        assertEquals("sweep: device 'gpu:0001' is not accepted; write it gpu:1, as results name it",
                refused(tmp, "device=gpu:0001", 2).strip());
        assertTrue(!Files.exists(tmp.resolve("x")));
    }

    private static String refused(Path tmp, String device, int exit) {
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int rc;
        try {
            rc = SweepCommand.run(new String[] {"--benchmark", SweepRunTest.BENCH, "-p", device, "--gpus", "0,1",
                    "--out", tmp.resolve("x").toString()});
        } finally {
            System.setErr(saved);
        }
        String line = err.toString(StandardCharsets.UTF_8);
        assertEquals(exit, rc, line);
        assertEquals(1, line.lines().count(), line);
        return line;
    }
}
