package gpuenergy.sweep;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RunTimeTest {
    /** InferenceBenchmark's annotations: @Fork(1), @Warmup(iterations = 3, time = 4), @Measurement(iterations = 5). */
    private static final RunTime.Plan INFERENCE = new RunTime.Plan(1, 3, 4_000, 5);

    private static Measurement rung(int batch, double slowestBatchesPerSecond) {
        return new Measurement("m", "e", batch, slowestBatchesPerSecond * 1.1, slowestBatchesPerSecond, 10_000, Double.NaN, Double.NaN);
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

    @Test
    void planTakesTheCommandLineThenTheAnnotationsThenJmhDefaults() throws Exception {
        var entry = SweepCommand.findBenchmark(SweepRunTest.BENCH); // SleepBenchmark: @Fork(1) @Warmup(iterations = 0) @Measurement(iterations = 1)
        assertEquals(new RunTime.Plan(1, 0, 10_000, 1), RunTime.Plan.of(new CommandLineOptions(), entry),
                "annotations; warm-up time is not annotated: JMH's default 10 s");
        assertEquals(new RunTime.Plan(2 + 1, 2, 500, 4),
                RunTime.Plan.of(new CommandLineOptions("-f", "2", "-wf", "1", "-wi", "2", "-w", "500ms", "-i", "4"), entry));
        assertEquals(5, RunTime.first(Optional.none(), Optional.none(), 5));
        assertEquals(3, RunTime.first(Optional.none(), Optional.of(3), 5));
        assertEquals(1, RunTime.first(Optional.of(1), Optional.of(3), 5));
    }
}
