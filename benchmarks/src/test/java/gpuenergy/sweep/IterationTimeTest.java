package gpuenergy.sweep;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IterationTimeTest {
    @Test
    void firstRungRunsTheMinimumTime() {
        assertEquals(10_000, IterationTime.chooseMillis(10_000, 13, Double.NaN, 0, 1));
    }

    @Test
    void fastModelsKeepTheMinimumTime() {
        // 100 batches/s at batch 4 predicts 50/s at batch 8: 13 batches take 0.26 s < 10 s
        assertEquals(10_000, IterationTime.chooseMillis(10_000, 13, 100, 4, 8));
    }

    @Test
    void slowBatchesGetLongerIterationsFromThePreviousRate() {
        // 1 batch/s at batch 4 predicts 0.5/s at batch 8: 13 batches need 26 s, with 20 % head room 31.2 s
        assertEquals(31_200, IterationTime.chooseMillis(10_000, 13, 1.0, 4, 8));
    }

    @Test
    void countsBatchesPerIterationFromScoreAndTime() {
        assertEquals(13.0, IterationTime.batchesPerIteration(1.3, 10_000), 1e-9);
        assertTrue(IterationTime.enough(1.3, 10_000, 13));
        assertFalse(IterationTime.enough(1.2, 10_000, 13));
    }

    @Test
    void rerunIsLongEnoughAtTheMeasuredRateAndAlwaysLonger() {
        // 0.9 batches/s measured: 13 / 0.9 * 1.2 = 17.33 s
        assertEquals(17_334, IterationTime.rerunMillis(10_000, 13, 0.9, 10_000));
        // a rate that already looks sufficient still re-runs longer than before, so re-runs make progress
        assertEquals(10_001, IterationTime.rerunMillis(10_000, 13, 100, 10_000));
        assertEquals(20_000, IterationTime.rerunMillis(10_000, 13, 0, 10_000));
    }

    @Test
    void anIterationLongerThanADayIsTooLongToStart() {
        // 72000 batches of 5 s (0.2 batches/s at batch 8 predicts 0.1/s at batch 16): 864000 s, ten days an iteration
        long millis = IterationTime.chooseMillis(10_000, 72_000, 0.2, 8, 16);
        assertEquals(864_000_000, millis);
        assertEquals("its measured iterations would last 864000 s each to hold --min-batches 72000, above the 86400 s a "
                + "sweep's iteration may last", IterationTime.tooLong(millis, 72_000));
        // a day exactly, the cap of --min-seconds, is not too long
        assertNull(IterationTime.tooLong(86_400_000, 13));
        assertEquals("its measured iterations would last 86400.001 s each to hold --min-batches 13, above the 86400 s a "
                + "sweep's iteration may last", IterationTime.tooLong(86_400_001, 13));
    }
}
