package gpuenergy.sweep;

import gpuenergy.run.RunSettings;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.util.Optional;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunTimeTest {
    /** InferenceBenchmark's annotations: @Fork(1), @Warmup(iterations = 3, time = 4), @Measurement(iterations = 5). */
    private static final RunTime.Plan INFERENCE = new RunTime.Plan(1, 3, 4_000, 5);

    private static Measurement rung(int batch, double slowestBatchesPerSecond) {
        return new Measurement("m", "e", batch, slowestBatchesPerSecond * 1.1, slowestBatchesPerSecond, 10_000, Double.NaN, Double.NaN);
    }

    private static Measurement built(int batch, double buildSeconds, boolean builtInRun) {
        return new Measurement("m", "tensorrt-fp16", batch, 200, 190, 5_000, 0.02, 500, buildSeconds, builtInRun, false, false);
    }

    @Test
    void anEngineBuiltPerBatchSizeAddsItsBuildWhereThePreviousOverheadLacksOne() {
        assertEquals(0, RunTime.buildSeconds(0, built(64, 80, false)), "an engine that builds nothing");
        assertEquals(300, RunTime.buildSeconds(300, null), "the first rung: the engine's longest build");
        assertEquals(0, RunTime.buildSeconds(300, built(64, 80, true)), "the previous rung's overhead holds its build");
        assertEquals(85.4, RunTime.buildSeconds(300, built(64, 85.4, false)), "a cached previous rung: its recorded build time");
        assertEquals(300, RunTime.buildSeconds(300, rung(64, 100)), "a previous rung without a recorded build");
    }

    @Test
    void aResultRecordsItsEngineBuild(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        String entry = "[{\"benchmark\":\"b\",\"mode\":\"thrpt\",\"measurementTime\":\"5 s\",\"params\":{\"model\":\"resnet50\","
                + "\"engine\":\"tensorrt-fp16\",\"batchSize\":\"128\"},\"primaryMetric\":{\"score\":204.0,\"scoreUnit\":\"ops/s\","
                + "\"rawData\":[[203.0,205.0]]},\"environment\":{\"engine.cache\":\"%s\",\"engine.build_seconds\":\"85.4\"}}]";
        Path hit = java.nio.file.Files.writeString(dir.resolve("hit.json"), String.format(entry, "hit"));
        Path miss = java.nio.file.Files.writeString(dir.resolve("miss.json"), String.format(entry, "miss"));
        assertEquals(85.4, Measurement.read(hit).buildSeconds());
        assertEquals(false, Measurement.read(hit).builtInRun());
        assertEquals(true, Measurement.read(miss).builtInRun());
        assertTrue(Double.isNaN(rung(1, 1).buildSeconds()));
    }

    @Test
    void fastBatchesTakeTheConfiguredIterationTimes() {
        // 3 x 4 s warm-up + 5 x 10 s measured; a 0.1 s batch is shorter than every iteration
        assertEquals(62.0, RunTime.iterationSeconds(INFERENCE, 10_000, 0.1), 1e-9);
        // and 15 s of overhead before the sweep has finished a run, 7.5 s once one measured that
        assertEquals(77.0, RunTime.predictSeconds(INFERENCE, 10_000, 0.1, Double.NaN), 1e-9);
        assertEquals(69.5, RunTime.predictSeconds(INFERENCE, 10_000, 0.1, 7.5), 1e-9);
    }

    @Test
    void aBatchLongerThanAnIterationStretchesEveryIteration() {
        // 6 s batches: warm-up iterations of 4 s take one batch, 6 s; measured 10 s iterations stay 10 s
        assertEquals(3 * 6 + 5 * 10, RunTime.iterationSeconds(INFERENCE, 10_000, 6), 1e-9);
        // 25 s batches: every iteration is one batch
        assertEquals(8 * 25, RunTime.iterationSeconds(INFERENCE, 10_000, 25), 1e-9);
    }

    @Test
    void everyForkRunsTheIterationsWarmupForksIncluded() {
        assertEquals(3 * 62.0, RunTime.iterationSeconds(new RunTime.Plan(3, 3, 4_000, 5), 10_000, 0), 1e-9);
    }

    @Test
    void batchTimeFromThePreviousRungsSlowestIteration() {
        // slowest iteration 2 batches/s at batch 4 = 8 img/s: batch 8 takes 1 s
        assertEquals(1.0, RunTime.batchSeconds(rung(4, 2), 8), 1e-9);
        // 720 img/s at batch 4096 (slowest iteration): 8192 images take 8192 / 720 = 11.4 s
        assertEquals(8192 / 720.0, RunTime.batchSeconds(rung(4096, 720 / 4096.0), 8192), 1e-9);
        // no previous rung: nothing to predict, the configured times alone count
        assertEquals(0.0, RunTime.batchSeconds(null, 8), 0);
    }

    @Test
    void overheadIsTheWallTimeBeyondTheIterationsNeverNegative() {
        assertEquals(8.0, RunTime.overheadSeconds(70, 62), 1e-9);
        assertEquals(0.0, RunTime.overheadSeconds(60, 62), 0);
    }

    /** The protocol the real ViT-L run below was measured with: -f 1 -wi 2 -w 1s -i 10. */
    private static final RunTime.Plan STUDY = new RunTime.Plan(1, 2, 1_000, 10);

    /**
     * Real: on the H100, ViT-L FP32 batch 4096 was resumed after batches 64..2048 were done earlier, predicted with the
     * 15 s overhead assumed before a process has finished a run, started with 330 s left and was killed (the run took
     * ~375 s; the one that finished logged 382.4 s). Batch 2048's own log line (195.565 s for 145 s of iterations)
     * holds the overhead such a run has at that size (model load, cuDNN's algorithm search, the profiler's pauses):
     * with it the prediction is what a process that measured batch 2048 itself predicted (341 s), and the run is refused.
     */
    @Test
    void aRungDoneEarlierGivesTheNextRungTheOverheadItsLogLineRecorded() throws Exception {
        Path dir = Path.of("src/test/resources/h100/vit-large-fp32-b2048");
        Measurement b2048 = Measurement.read(dir.resolve("vit_large_patch16_224-pytorch-fp32-b2048.json"));
        double seconds = Resume.of(SweepLog.read(dir, System.out)).lastDoneRunSeconds("vit_large_patch16_224", "pytorch-fp32", 2048);
        assertEquals(195.565, seconds, 1e-9, "no short run before it: the line's seconds are the run's own");
        // 2 warm-up iterations of one 5.6 s batch and 10 of 13.392 s: 145.1 s; the rest is overhead
        double overhead = RunTime.recordedOverheadSeconds(STUDY, b2048, seconds);
        assertEquals(195.565 - (2 * 2048 / (b2048.batchesPerSecond() * 2048) + 10 * 13.392), overhead, 1e-6);
        assertTrue(overhead > 45 && overhead < 55, "about 50 s: " + overhead);

        long millis = IterationTime.chooseMillis(1_000, 2, b2048.slowestBatchesPerSecond(), 2048, 4096);
        assertEquals(26_853, millis, "the iteration time the real batch 4096 run had (its measurementTime)");
        double batchSeconds = RunTime.batchSeconds(b2048, 4096);
        double predicted = RunTime.predictSeconds(STUDY, millis, batchSeconds, overhead);
        assertTrue(predicted >= 330 && predicted <= 400, "refused with 330 s left, near the ~375 s it took: " + predicted);
        double assumed = RunTime.predictSeconds(STUDY, millis, batchSeconds, Double.NaN);
        assertTrue(assumed < 330, "with the 15 s assumed it would have started, and been killed: " + assumed);
    }

    @Test
    void aDoneLinesOwnRunLeavesOutTheShortRunsItsProcessMadeBeforeIt() {
        // a configuration run twice in one process: the first run, kept aside (its rerun line: 20 s), then the result;
        // the done line's 50 s cover both. A rerun line of an earlier process (a sweep stopped before the re-run) is
        // not part of it.
        SweepLog.Entry earlier = new SweepLog.Entry("2026-01-01T09:00:00Z", "m", "e", 8, SweepLog.RERUN, "", "short/a", 30, null, null, null, null);
        SweepLog.Entry shortRun = new SweepLog.Entry("2026-01-01T10:00:20Z", "m", "e", 8, SweepLog.RERUN, "", "short/b", 20, null, null, null, null);
        SweepLog.Entry done = new SweepLog.Entry("2026-01-01T10:00:50Z", "m", "e", 8, SweepLog.DONE, "", "m-e-b8.json", 50, null, null, null, null);
        assertEquals(30.0, Resume.ownRunSeconds(done, List.of(earlier, shortRun)), 1e-9);
        assertEquals(30.0, Resume.of(List.of(earlier, shortRun, done)).lastDoneRunSeconds("m", "e", 8), 1e-9);
        assertEquals(50.0, Resume.of(List.of(earlier, done)).lastDoneRunSeconds("m", "e", 8), 1e-9);
        assertTrue(Double.isNaN(Resume.of(List.of(earlier)).lastDoneRunSeconds("m", "e", 8)), "no done line");
    }

    @Test
    void planTakesTheCommandLineThenTheAnnotationsThenJmhDefaults() throws Exception {
        var entry = SweptBenchmark.find(SweepRunTest.BENCH); // SleepBenchmark: @Fork(1) @Warmup(iterations = 0) @Measurement(iterations = 1)
        assertEquals(new RunTime.Plan(1, 0, 10_000, 1), RunTime.Plan.of(new CommandLineOptions(), entry),
                "annotations; warm-up time is not annotated: JMH's default 10 s");
        assertEquals(new RunTime.Plan(2 + 1, 2, 500, 4),
                RunTime.Plan.of(new CommandLineOptions("-f", "2", "-wf", "1", "-wi", "2", "-w", "500ms", "-i", "4"), entry));
        assertEquals(5, RunSettings.first(Optional.none(), Optional.none(), 5));
        assertEquals(3, RunSettings.first(Optional.none(), Optional.of(3), 5));
        assertEquals(1, RunSettings.first(Optional.of(1), Optional.of(3), 5));
    }
}
