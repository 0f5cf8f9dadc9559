package gpuenergy.sweep;

import gpuenergy.ConsoleCapture;
import gpuenergy.cli.Main;
import gpuenergy.report.ReportCommand;
import gpuenergy.results.BadInputException;
import gpuenergy.results.ShardFile;
import gpuenergy.results.SweepResults;
import gpuenergy.run.DirectoryLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One --out holds one layout: a sweep's own files at its top (run whole, or one part with --shard), or the parts of a
 * divided sweep below it (--gpus, the Slurm array). A command of the other layout is refused in one line, exit 2,
 * before anything is written; report and compare refuse a directory that holds both. Runs
 * {@link gpuenergy.sweep.testbench.SleepBenchmark} with the stand-in GPUs of {@link MultiGpuSweepTest}.
 */
class SweepLayoutTest {
    static {
        System.setProperty("jmh.ignoreLock", "true"); // see SweepRunTest
    }

    private static final List<GpuDevice> GPUS = List.of(
            new GpuDevice("0", "GPU-00000000-aaaa-bbbb-cccc-000000000000", "STAND-IN GPU (test)", null),
            new GpuDevice("1", "GPU-11111111-aaaa-bbbb-cccc-111111111111", "STAND-IN GPU (test)", null));

    private static List<String> args(Path out, String... more) {
        List<String> args = new ArrayList<>(List.of("--benchmark", SweepRunTest.BENCH, "-p", "model=fits1,fits2",
                "-p", "engine=sleep", "-p", "device=gpu", "--min-seconds", "0.03", "--min-batches", "1",
                "--out", out.toString()));
        args.addAll(Arrays.asList(more));
        return args;
    }

    private static int gpus(Path out, String... more) throws Exception {
        List<String> a = args(out, more);
        a.addAll(List.of("--gpus", "0,1"));
        return MultiGpuSweep.run(SweepOptions.parse(a.toArray(new String[0])), GPUS, Main.class.getName(),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), System.nanoTime());
    }

    private static ConsoleCapture sweep(Path out, String... more) {
        return ConsoleCapture.run(() -> SweepCommand.run(args(out, more).toArray(new String[0])));
    }

    /** Every file under {@code dir} with its content, and every directory: what a refused command must leave as it was. */
    private static Map<String, String> tree(Path dir) throws IOException {
        Map<String, String> all = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.toList()) {
                all.put(dir.relativize(p).toString(), Files.isDirectory(p) ? "(directory)"
                        : new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1));
            }
        }
        return all;
    }

    /**
     * A --gpus sweep, then a sweep without --gpus into its --out: refused (it would measure every ladder again at the
     * top, where report would read it alone), naming the --gpus command that continues it; so is a part's --shard given
     * the parent's --out. The part's own directory, where the Slurm array's --shard writes, is no mix: it resumes.
     */
    @Test
    void aSweepWithoutGpusIsRefusedWhereGpusRanItsParts(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("sweep");
        assertEquals(0, gpus(out));
        Map<String, String> before = tree(out);

        for (String[] more : new String[][] {{"--resume"}, {}}) {
            ConsoleCapture refused = sweep(out, more);
            assertEquals(2, refused.rc(), refused.out() + refused.err());
            assertEquals("sweep: --out " + out + " holds a sweep divided into parts (shard-I-of-2/, gpu-runs.jsonl), which "
                    + "a sweep without --gpus or --shard would measure again beside them: continue it with --gpus 0,1 "
                    + "--resume, or choose another --out\n", refused.err());
            assertEquals(before, tree(out), "nothing written");
        }
        ConsoleCapture part = sweep(out, "--shard", "1/2", "--resume");
        assertEquals(2, part.rc(), part.out() + part.err());
        assertEquals("sweep: --shard 1/2: --out " + out + " holds the parts of a divided sweep (shard-I-of-2/, "
                + "gpu-runs.jsonl), not one part's directory: give --out " + out.resolve("shard-1-of-2") + "\n", part.err());
        assertEquals(before, tree(out), "nothing written");

        ConsoleCapture own = sweep(out.resolve("shard-1-of-2"), "--shard", "1/2", "--resume");
        assertEquals(0, own.rc(), own.out() + own.err());
        assertTrue(own.out().contains("done earlier"), own.out());
        assertEquals(2, SweepResults.of(out).parts().size());
    }

    /** The Slurm array's layout (parts, no gpu-runs.jsonl): each part's --shard continues it. */
    @Test
    void aSweepWithoutShardIsRefusedWhereTheSlurmArrayRanItsParts(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("sweep");
        assertEquals(0, sweep(out.resolve("shard-2-of-2"), "--shard", "2/2").rc());
        Map<String, String> before = tree(out);
        ConsoleCapture refused = sweep(out, "--resume");
        assertEquals(2, refused.rc(), refused.out() + refused.err());
        assertEquals("sweep: --out " + out + " holds a sweep divided into parts (shard-I-of-2/), which a sweep without "
                + "--gpus or --shard would measure again beside them: continue it with each part with --shard I/2 --out "
                + out.resolve("shard-I-of-2") + " --resume, or choose another --out\n", refused.err());
        assertEquals(before, tree(out), "nothing written");
    }

    /**
     * A sweep run whole, then --gpus --resume into its --out: refused (every part would start afresh below it), naming
     * how it continues; a part's directory given to --gpus names its --shard. Nothing is written.
     */
    @Test
    void gpusIsRefusedWhereASweepRanWithoutIt(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("sweep");
        assertEquals(0, sweep(out).rc());
        Map<String, String> before = tree(out);
        BadInputException e = assertThrows(BadInputException.class, () -> gpus(out, "--resume"));
        assertEquals("--gpus: --out " + out + " holds a sweep run without --gpus (its sweep.jsonl), which --gpus would "
                + "measure again in parts beside it: continue it with --resume and no --gpus, or choose another --out",
                e.getMessage());
        assertEquals(before, tree(out), "nothing written");
        // a Slurm task's part below it would be left out as well
        ConsoleCapture slurm = sweep(out.resolve("shard-1-of-2"), "--shard", "1/2");
        assertEquals(2, slurm.rc(), slurm.out() + slurm.err());
        assertEquals("sweep: --shard 1/2: --out " + out.resolve("shard-1-of-2") + " would be a part of " + out + ", which "
                + "holds a sweep run whole (its sweep.jsonl) that report reads instead of the parts: give the parts a "
                + "directory of their own\n", slurm.err());
        assertEquals(before, tree(out), "nothing written");

        Path part = tmp.resolve("sharded").resolve("shard-1-of-2");
        assertEquals(0, sweep(part, "--shard", "1/2").rc());
        Map<String, String> partBefore = tree(part);
        BadInputException p = assertThrows(BadInputException.class, () -> gpus(part, "--resume"));
        assertEquals("--gpus: --out " + part + " holds part 1/2 of a sharded sweep (its shard.json), not the parts of one: "
                + "continue it with --shard 1/2 --resume and no --gpus, or choose another --out", p.getMessage());
        assertEquals(partBefore, tree(part), "nothing written");
    }

    /**
     * A sweep run whole (its shard.json part 1/1) whose record cannot be read, given to --gpus: refused in one line
     * naming the file and what is wrong with it, with no --shard to give (the record names none that can be read).
     */
    @Test
    void gpusWhereASweepsRecordCannotBeReadNamesTheRecord(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("sweep");
        assertEquals(0, sweep(out).rc());
        Path record = out.resolve("shard.json");
        assertTrue(Files.readString(record).contains("\"1/1\""));
        Files.writeString(record, "{\"shard\": ");
        Map<String, String> before = tree(out);
        String unreadable = assertThrows(BadInputException.class, () -> ShardFile.read(out)).getMessage();
        assertTrue(unreadable.startsWith(record + ": "), unreadable);
        BadInputException e = assertThrows(BadInputException.class, () -> gpus(out, "--resume"));
        assertEquals("--gpus: --out " + out + " holds a sweep's own files (its sweep.jsonl), not the parts of one, and its "
                + "record cannot be read: " + unreadable + "; restore it, then continue the sweep with --resume and no "
                + "--gpus, or choose another --out", e.getMessage());
        assertEquals(before, tree(out), "nothing written");
    }

    /**
     * A sweep run whole and a part in OUT/shard-1-of-1 started at once, each past its first look at OUT before the other
     * writes: the part runs to its end between the sweep's look at OUT and its making of OUT (the look that --out passes,
     * {@link SweepDirectory#holdOut}'s check, is where it waits). The sweep, looking again once it holds OUT, is refused
     * with the line it gives where the part came first, and OUT holds the part alone.
     */
    @Test
    void aSweepWholeLookingAtItsOutWhileAPartRunsBelowIsRefused(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("sweep");
        SweepOptions whole = SweepOptions.parse(args(out).toArray(new String[0]));
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        List<ConsoleCapture> part = new ArrayList<>();
        BadInputException e = assertThrows(BadInputException.class, () -> SweepDirectory.holdOut(whole,
                out.toAbsolutePath(), quiet, () -> {
                    SweepDirectory.requireNewOrResumed(whole, out.toAbsolutePath());
                    part.add(sweep(out.resolve("shard-1-of-1"), "--shard", "1/1"));
                }).close());
        assertEquals(0, part.get(0).rc(), part.get(0).out() + part.get(0).err());
        assertEquals("--out " + out + " holds a sweep divided into parts (shard-I-of-1/), which a sweep without --gpus or "
                + "--shard would measure again beside them: continue it with each part with --shard I/1 --out "
                + out.resolve("shard-I-of-1") + " --resume, or choose another --out", e.getMessage());
        assertEquals(List.of(out.resolve("shard-1-of-1")), SweepResults.of(out).parts());
    }

    /**
     * The same two the other way round: the sweep run whole runs to its end between the part's look at OUT and its
     * making of its directory. The part looks again under its claim on OUT and is refused as where the sweep came
     * first, writing nothing.
     */
    @Test
    void aPartLookingAtItsOutWhileASweepRunsWholeThereIsRefused(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("sweep");
        Path partDir = out.resolve("shard-1-of-1");
        SweepOptions part = SweepOptions.parse(args(partDir, "--shard", "1/1").toArray(new String[0]));
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        List<Map<String, String>> after = new ArrayList<>();
        BadInputException e = assertThrows(BadInputException.class, () -> SweepDirectory.holdOut(part,
                partDir.toAbsolutePath(), quiet, () -> {
                    SweepDirectory.requireNewOrResumed(part, partDir.toAbsolutePath());
                    ConsoleCapture whole = sweep(out);
                    assertEquals(0, whole.rc(), whole.out() + whole.err());
                    after.add(tree(out));
                }).close());
        assertEquals("--shard 1/1: --out " + partDir + " would be a part of " + out + ", which holds a "
                + "sweep run whole (its sweep.jsonl) that report reads instead of the parts: give the parts a directory "
                + "of their own", e.getMessage());
        assertEquals(after.get(0), tree(out), "nothing written");
        assertEquals(List.of(out), SweepResults.of(out).parts());
    }

    /**
     * Each of the two while the other holds OUT, before it has written anything there: a part while a sweep run whole
     * holds OUT's lock (taken before its last look at OUT) is refused in one line naming the holder (exit 2), and a
     * sweep run whole while a part holds its claim on OUT (taken before its last look, released once its directory is
     * made) is told OUT is in use (exit 1). Neither writes.
     */
    @Test
    void aPartAndASweepWholeExcludeEachOtherOnOneOut(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("sweep");
        SweepOptions whole = SweepOptions.parse(args(out).toArray(new String[0]));
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        try (DirectoryLock held = SweepDirectory.holdOut(whole, out.toAbsolutePath(), quiet,
                () -> SweepDirectory.requireNewOrResumed(whole, out.toAbsolutePath()))) {
            Map<String, String> before = tree(out);
            ConsoleCapture part = sweep(out.resolve("shard-1-of-1"), "--shard", "1/1");
            assertEquals(2, part.rc(), part.out() + part.err());
            assertTrue(part.err().startsWith("sweep: --shard 1/1: --out " + out.resolve("shard-1-of-1") + " would be a "
                    + "part of " + out + ", in which a sweep is running whole (pid "
                    + ProcessHandle.current().pid() + " on host "), part.err());
            assertTrue(part.err().endsWith("), which report would read instead of the parts: give the parts a directory "
                    + "of their own\n"), part.err());
            assertEquals(1, part.err().lines().count(), part.err());
            assertEquals(before, tree(out), "nothing written");
        }

        Path other = tmp.resolve("other");
        Files.createDirectories(other);
        try (DirectoryLock claim = DirectoryLock.claimAsPart(other, other, "sweep")) {
            Map<String, String> before = tree(other);
            ConsoleCapture refused = sweep(other);
            assertEquals(1, refused.rc(), refused.out() + refused.err());
            assertEquals("sweep: --out " + other + " is in use by a part of a divided sweep, which is making its "
                    + "directory in it; wait for it, or choose another --out\n", refused.err());
            assertEquals(before, tree(other), "nothing written");
        }
    }

    /**
     * A part's claim on OUT guards against a sweep run whole there, and is made where one could run: a new OUT gets its
     * lock file. A directory holding files no sweep makes (the current directory of {@code --shard 3/4 --out
     * shard-3-of-4}), or parts already, no sweep run whole can take: parts made there leave no .sweep.lock in it. Nor
     * does a part resumed in its directory, which OUT then holds, claim OUT: it resumes where OUT's lock cannot be
     * opened for writing (read-only storage; here, as this test runs as root too, a directory in the lock file's
     * place, whose opening fails as that does).
     */
    @Test
    void aPartClaimsItsOutOnlyWhereASweepCouldRunWholeThere(@TempDir Path tmp) throws Exception {
        Path project = Files.createDirectories(tmp.resolve("project"));
        Files.writeString(project.resolve("pom.xml"), "<project/>");
        for (int part = 3; part <= 4; part++) { // parts 3 and 4 of 4 have no ladder of the two: they run nothing
            ConsoleCapture run = sweep(project.resolve("shard-" + part + "-of-4"), "--shard", part + "/4");
            assertEquals(0, run.rc(), run.out() + run.err());
            assertTrue(Files.isDirectory(project.resolve("shard-" + part + "-of-4")));
            assertTrue(!Files.exists(project.resolve(SweepDirectory.LOCK_FILE)), "a lock file left in " + project);
        }

        Path out = tmp.resolve("sweep");
        ConsoleCapture first = sweep(out.resolve("shard-3-of-4"), "--shard", "3/4");
        assertEquals(0, first.rc(), first.out() + first.err());
        assertTrue(Files.isRegularFile(out.resolve(SweepDirectory.LOCK_FILE)), "a new OUT claimed");
        Files.delete(out.resolve(SweepDirectory.LOCK_FILE));
        Files.createDirectory(out.resolve(SweepDirectory.LOCK_FILE));
        ConsoleCapture resumed = sweep(out.resolve("shard-3-of-4"), "--shard", "3/4", "--resume");
        assertEquals(0, resumed.rc(), resumed.out() + resumed.err());
    }

    /**
     * A directory that holds both layouts (as sweeps before the refusals above could leave it, here made by hand) is refused by report and
     * compare in one line, rather than read as its top-level sweep alone with the parts left out.
     */
    @Test
    void aDirectoryHoldingBothLayoutsIsReportedNotHalfRead(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("sweep");
        assertEquals(0, sweep(out).rc());
        Path part = tmp.resolve("elsewhere").resolve("shard-1-of-2");
        assertEquals(0, sweep(part, "--shard", "1/2").rc());
        Files.move(part, out.resolve("shard-1-of-2"));
        BadInputException e = assertThrows(BadInputException.class, () -> SweepResults.of(out));
        String line = out + ": holds both a sweep of its own (its sweep.jsonl) and the parts of a divided sweep "
                + "(shard-1-of-2/); move one of them to a directory of its own, and give each";
        assertEquals(line, e.getMessage());

        ConsoleCapture report = ConsoleCapture.run(() -> ReportCommand.run(new String[] {out.toString(), "--out",
                tmp.resolve("report").toString()}));
        assertTrue(report.err().contains(line), report.out() + report.err());
        assertTrue(report.rc() != 0, report.out() + report.err());
    }
}
