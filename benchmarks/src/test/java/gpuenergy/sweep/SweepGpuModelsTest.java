package gpuenergy.sweep;

import gpuenergy.ConsoleCapture;
import gpuenergy.profile.EnvironmentKeys;
import gpuenergy.results.NotRun;
import gpuenergy.results.NotRunList;
import gpuenergy.results.ParamNames;
import gpuenergy.run.RunHooks;
import gpuenergy.sweep.testbench.SleepBenchmark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A sweep resumed on another GPU than its earlier rungs: boards of one model (the normal case: a --gpus part or a Slurm
 * task on another board) continue silently; on another GPU model a did-not-fit of the earlier card settles nothing (a
 * card with more memory may fit the batch), and the ladder's results, which stay done, are said to mix models: one line
 * per ladder, and the summary's note. A MIG instance is a GPU model apart from its whole GPU, whose name and UUID it
 * has; a line that records no MIG mode is the whole GPU's. The GPUs are stand-ins the launcher's hooks name;
 * {@link SleepBenchmark}'s {@link SleepBenchmark#FITS} makes the smaller card's memory.
 */
class SweepGpuModelsTest {
    static {
        System.setProperty("jmh.ignoreLock", "true"); // see SweepRunTest
    }

    private static final String SMALL = "STAND-IN SMALL GPU (test)";
    private static final String BIG = "STAND-IN BIG GPU (test)";

    private static RunHooks on(String name, String uuid) {
        return on(name, uuid, null);
    }

    /** A GPU with this MIG mode; null: one named as a build that records no MIG mode names it. */
    static RunHooks on(String name, String uuid, String migMode) {
        return on(name, uuid, migMode, null);
    }

    /** A MIG instance of this profile; null: one named as a build that records no profile names it. */
    static RunHooks on(String name, String uuid, String migMode, String migProfile) {
        return new RunHooks() {
            @Override
            public String gpuName(String device) {
                return name;
            }

            @Override
            public String gpuUuid(String device) {
                return uuid;
            }

            @Override
            public String gpuMigMode(String device) {
                return migMode;
            }

            @Override
            public String gpuMigProfile(String device) {
                return migProfile;
            }
        };
    }

    private static ConsoleCapture sweep(Path dir, RunHooks gpu, String... more) {
        List<String> args = new ArrayList<>(List.of("--benchmark", SweepRunTest.BENCH, "-p", "model=fits4", "-p", "engine=sleep",
                "-p", "device=gpu:0", "-f", "1", "-wi", "0", "-i", "1", "--min-seconds", "0.03", "--min-batches", "1",
                "--out", dir.toString()));
        args.addAll(Arrays.asList(more));
        return ConsoleCapture.run(() -> SweepCommand.run(args.toArray(new String[0]), gpu));
    }

    private static SweepLog.Entry outcome(Path dir, int batch) throws Exception {
        SweepLog.Entry found = null;
        for (SweepLog.Entry e : SweepLog.read(dir, System.out)) {
            if (e.batchSize() == batch && !e.status().equals(SweepLog.RERUN)) {
                found = e;
            }
        }
        return found;
    }

    private static String summaryRow(Path dir) throws Exception {
        return Files.readAllLines(dir.resolve(Summary.FILE)).stream().filter(l -> l.startsWith("fits4,sleep,")).findFirst()
                .orElseThrow();
    }

    @Test
    void anotherBoardOfTheModelGoesOnSilentlyAnotherModelGoesPastTheSmallerCardsOutOfMemoryAndSaysSo(@TempDir Path tmp)
            throws Exception {
        Path dir = tmp.resolve("sweep");
        String smallCard = "-D" + SleepBenchmark.FITS + "=2";
        assertEquals(0, sweep(dir, on(SMALL, "GPU-00000000-aaaa-bbbb-cccc-000000000000"), "--max-batch", "1").rc());

        // another board of the same model: silent; its did-not-fit at 4 is the model's
        ConsoleCapture board = sweep(dir, on(SMALL, "GPU-11111111-aaaa-bbbb-cccc-111111111111"), "--resume",
                "-jvmArgsAppend", smallCard);
        assertEquals(0, board.rc(), board.out() + board.err());
        assertEquals(List.of(line(SweepLog.DONE, SMALL), line("did-not-fit", SMALL)),
                List.of(line(outcome(dir, 2)), line(outcome(dir, 4))));
        assertFalse(board.out().contains("continues a ladder measured on"), board.out());
        assertFalse(summaryRow(dir).contains("across GPU models"), summaryRow(dir));
        // and on that model the ladder stays ended there
        ConsoleCapture again = sweep(dir, on(SMALL, "GPU-00000000-aaaa-bbbb-cccc-000000000000"), "--resume",
                "-jvmArgsAppend", smallCard);
        assertTrue(again.out().contains("[sweep] fits4 / sleep: batch 4 did not fit in an earlier run of this sweep; "
                + "ladder ends"), again.out());

        // a bigger card: batch 4 fits there; batches 1 and 2 stay done, and the ladder says its results mix models
        long b2 = Files.getLastModifiedTime(dir.resolve("fits4-sleep-b2.json")).toMillis();
        ConsoleCapture big = sweep(dir, on(BIG, "GPU-22222222-aaaa-bbbb-cccc-222222222222"), "--resume");
        assertEquals(0, big.rc(), big.out() + big.err());
        assertEquals(List.of(line(SweepLog.DONE, BIG), line("did-not-fit", BIG)),
                List.of(line(outcome(dir, 4)), line(outcome(dir, 8))));
        assertEquals(b2, Files.getLastModifiedTime(dir.resolve("fits4-sleep-b2.json")).toMillis(), "batch 2 stays done");
        assertEquals(List.of("[sweep] fits4 / sleep: --resume on " + BIG + " continues a ladder measured on " + SMALL
                + "; its best batch compares both"), big.out().lines().filter(l -> l.contains("continues a ladder")).toList());
        String row = summaryRow(dir);
        assertTrue(row.contains(",1 2 4,"), row);
        assertTrue(row.endsWith("; across GPU models: " + SMALL + " (batch 1 2), " + BIG + " (batch 4)\""), row);
        assertEquals(NotRun.Kind.DID_NOT_FIT, outcome(dir, 8).kind());
    }

    @Test
    void aMigInstanceIsAGpuModelApartFromItsWholeGpu(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("sweep");
        String board = "GPU-33333333-aaaa-bbbb-cccc-333333333333";
        // a MIG instance of the board: batch 4 does not fit in its slice of the memory
        ConsoleCapture slice = sweep(dir, on(SMALL, board, EnvironmentKeys.GPU_MIG_ENABLED),
                "-jvmArgsAppend", "-D" + SleepBenchmark.FITS + "=2");
        assertEquals(0, slice.rc(), slice.out() + slice.err());
        assertEquals(List.of(line(SweepLog.DONE, SMALL), line("did-not-fit", SMALL)),
                List.of(line(outcome(dir, 2)), line(outcome(dir, 4))));
        assertEquals(EnvironmentKeys.GPU_MIG_ENABLED, outcome(dir, 4).gpuMigMode());

        // the whole GPU of that board, its name and UUID the instance's: the instance's did-not-fit settles nothing
        // there, and its results, which stay done, are said to mix GPU models
        ConsoleCapture whole = sweep(dir, on(SMALL, board, EnvironmentKeys.GPU_MIG_DISABLED), "--resume");
        assertEquals(0, whole.rc(), whole.out() + whole.err());
        assertFalse(whole.out().contains("did not fit in an earlier run"), whole.out());
        assertEquals(List.of(line(SweepLog.DONE, SMALL), line("did-not-fit", SMALL)),
                List.of(line(outcome(dir, 4)), line(outcome(dir, 8))));
        assertEquals(EnvironmentKeys.GPU_MIG_DISABLED, outcome(dir, 4).gpuMigMode());
        assertEquals(List.of("[sweep] fits4 / sleep: --resume on " + SMALL + " continues a ladder measured on " + SMALL
                + " with MIG enabled; its best batch compares both"),
                whole.out().lines().filter(l -> l.contains("continues a ladder")).toList());
        assertTrue(summaryRow(dir).endsWith("; across GPU models: " + SMALL + " with MIG enabled (batch 1 2), " + SMALL
                + " (batch 4)\""), summaryRow(dir));
    }

    /**
     * Two instances of other profiles on one board, whose name, UUID and MIG mode they share, are two GPU models: a
     * batch that did not fit in the smaller one's memory runs on the larger one, and the ladder says it mixes them.
     */
    @Test
    void twoMigProfilesOfOneBoardAreTwoGpuModels(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("sweep");
        String board = "GPU-66666666-aaaa-bbbb-cccc-666666666666";
        ConsoleCapture small = sweep(dir, on(SMALL, board, EnvironmentKeys.GPU_MIG_ENABLED, "1g.10gb"),
                "-jvmArgsAppend", "-D" + SleepBenchmark.FITS + "=2");
        assertEquals(0, small.rc(), small.out() + small.err());
        assertEquals(NotRun.Kind.DID_NOT_FIT, outcome(dir, 4).kind());
        assertEquals("1g.10gb", outcome(dir, 4).gpuMigProfile());
        // the not-run list names the GPU model the report groups results by, the instance's profile with it
        assertEquals(List.of("4 on " + SMALL + " MIG 1g.10gb"), notRunGpus(dir));

        ConsoleCapture large = sweep(dir, on(SMALL, board, EnvironmentKeys.GPU_MIG_ENABLED, "3g.40gb"), "--resume");
        assertEquals(0, large.rc(), large.out() + large.err());
        assertFalse(large.out().contains("did not fit in an earlier run"), large.out());
        assertEquals(List.of(line(SweepLog.DONE, SMALL), line("did-not-fit", SMALL)),
                List.of(line(outcome(dir, 4)), line(outcome(dir, 8))));
        assertEquals("3g.40gb", outcome(dir, 4).gpuMigProfile());
        assertEquals(List.of("[sweep] fits4 / sleep: --resume on " + SMALL + " MIG 3g.40gb continues a ladder measured on "
                + SMALL + " MIG 1g.10gb; its best batch compares both"),
                large.out().lines().filter(l -> l.contains("continues a ladder")).toList());
        assertTrue(summaryRow(dir).endsWith("; across GPU models: " + SMALL + " MIG 1g.10gb (batch 1 2), " + SMALL
                + " MIG 3g.40gb (batch 4)\""), summaryRow(dir));
        assertEquals(List.of("8 on " + SMALL + " MIG 3g.40gb"), notRunGpus(dir));
    }

    /** "batch on gpu" of each entry of the sweep's not-run list. */
    private static List<String> notRunGpus(Path dir) throws Exception {
        return NotRunList.read(dir.resolve(NotRunList.SWEEP_FILE)).stream()
                .map(n -> n.param(ParamNames.BATCH_SIZE) + " on " + n.gpu()).toList();
    }

    /**
     * A sweep on a 3g.40gb instance that its --stop-after stops before batch 4, which did not fit on a 1g.10gb instance
     * of the same board in an earlier run, names batch 4 as left: its own GPU model decides what is left, not the
     * model of the directory's latest line on the board.
     */
    @Test
    void aStopAfterOnALargerProfileNamesTheBatchTheSmallerOneDidNotFit(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("sweep");
        String board = "GPU-77777777-aaaa-bbbb-cccc-777777777777";
        ConsoleCapture small = sweep(dir, on(SMALL, board, EnvironmentKeys.GPU_MIG_ENABLED, "1g.10gb"),
                "-jvmArgsAppend", "-D" + SleepBenchmark.FITS + "=2");
        assertEquals(0, small.rc(), small.out() + small.err());
        assertEquals(NotRun.Kind.DID_NOT_FIT, outcome(dir, 4).kind());

        ConsoleCapture large = sweep(dir, on(SMALL, board, EnvironmentKeys.GPU_MIG_ENABLED, "3g.40gb"), "--resume",
                "--stop-after", "0.001");
        assertEquals(0, large.rc(), large.out() + large.err());
        assertTrue(large.out().contains("[sweep] stopping: "), large.out());
        assertEquals(List.of("[sweep] the sweep was stopped by its --stop-after with ladders left; left to run: fits4 / "
                        + "sleep from batch 4; what it measured stays in " + dir + ", and --resume continues it"),
                large.out().lines().filter(l -> l.contains("left to run")).toList(), large.out());
    }

    @Test
    void aLineWithoutMigModeIsTheWholeGpu(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("sweep");
        String board = "GPU-44444444-aaaa-bbbb-cccc-444444444444";
        String smallCard = "-D" + SleepBenchmark.FITS + "=2";
        // a build that records no MIG mode: its lines name none
        assertEquals(0, sweep(dir, on(SMALL, board), "-jvmArgsAppend", smallCard).rc());
        assertEquals(null, outcome(dir, 4).gpuMigMode());
        assertEquals(NotRun.Kind.DID_NOT_FIT, outcome(dir, 4).kind());
        // MIG disabled, or a GPU without MIG, is the GPU those lines were measured on: the ladder stays ended, silently
        for (String mode : List.of(EnvironmentKeys.GPU_MIG_DISABLED, EnvironmentKeys.NOT_APPLICABLE)) {
            ConsoleCapture again = sweep(dir, on(SMALL, board, mode), "--resume", "-jvmArgsAppend", smallCard);
            assertTrue(again.out().contains("[sweep] fits4 / sleep: batch 4 did not fit in an earlier run of this sweep; "
                    + "ladder ends"), mode + ": " + again.out());
            assertFalse(again.out().contains("continues a ladder measured on"), mode + ": " + again.out());
        }
        // a MIG instance of the board is not: its ladder goes on (here, to the same did-not-fit, which it logs as its own)
        ConsoleCapture slice = sweep(dir, on(SMALL, board, EnvironmentKeys.GPU_MIG_ENABLED), "--resume",
                "-jvmArgsAppend", smallCard);
        assertFalse(slice.out().contains("did not fit in an earlier run"), slice.out());
        assertEquals(EnvironmentKeys.GPU_MIG_ENABLED, outcome(dir, 4).gpuMigMode());
        assertEquals(NotRun.Kind.DID_NOT_FIT, outcome(dir, 4).kind());
    }

    /**
     * Short runs kept aside on the whole GPU say nothing of how long a run on a MIG instance of it must be, nor those on
     * an instance of one profile of a run on another. An instance whose profile is unknown is one whose line records
     * none.
     */
    @Test
    void shortRunsCountOnTheirBoardAndMigModeAndProfileOnly() {
        String board = "GPU-55555555-aaaa-bbbb-cccc-555555555555";
        SweepLog.Entry onWhole = new SweepLog.Entry("2026-12-06T10:01:00Z", "m", "e", 2, SweepLog.RERUN, "short",
                "short/m-e-b2.try1.json", 1.5, SMALL, board, null, null);
        Resume resume = Resume.of(List.of(onWhole, onWhole));
        assertEquals(2, resume.pendingShortRuns("m", "e", 2, new OnGpu(SMALL, board, EnvironmentKeys.GPU_MIG_DISABLED, null)));
        assertEquals(0, resume.pendingShortRuns("m", "e", 2, new OnGpu(SMALL, board, EnvironmentKeys.GPU_MIG_ENABLED, null)));

        SweepLog.Entry onSlice = new SweepLog.Entry("2026-12-06T10:01:00Z", "m", "e", 2, SweepLog.RERUN, "short",
                "short/m-e-b2.try1.json", 1.5, SMALL, board, EnvironmentKeys.GPU_MIG_ENABLED, "1g.10gb");
        Resume sliced = Resume.of(List.of(onSlice, onSlice));
        assertEquals(2, sliced.pendingShortRuns("m", "e", 2, new OnGpu(SMALL, board, EnvironmentKeys.GPU_MIG_ENABLED, "1g.10gb")));
        assertEquals(0, sliced.pendingShortRuns("m", "e", 2, new OnGpu(SMALL, board, EnvironmentKeys.GPU_MIG_ENABLED, "3g.40gb")));
        assertEquals(new OnGpu(SMALL, board, EnvironmentKeys.GPU_MIG_ENABLED, null).model(),
                new OnGpu(SMALL, board, EnvironmentKeys.GPU_MIG_ENABLED, EnvironmentKeys.UNKNOWN).model());
    }

    /** "status on GPU" of a log line. */
    private static String line(SweepLog.Entry e) {
        return e == null ? "none" : line(e.status(), e.gpu());
    }

    private static String line(String status, String gpu) {
        return status + " on " + gpu;
    }
}
