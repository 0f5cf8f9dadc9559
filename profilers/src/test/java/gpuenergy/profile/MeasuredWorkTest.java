package gpuenergy.profile;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Where a window ends given a benchmark's word that its measured work ended ({@link MeasuredWork}). */
class MeasuredWorkTest {
    /**
     * A word inside the window (a trial teardown JMH ran in the last iteration, 26 ms before afterIteration) ends it
     * there; one from before the window opened (an earlier trial's, with -f 0), none at all, or one at either end
     * leaves the window as JMH's hooks make it.
     */
    @Test
    void aTeardownInsideTheWindowEndsIt() {
        long start = 1_000_000_000L;
        long closed = start + 5_026_000_000L;
        assertEquals(closed - 26_000_000L, MeasuredWork.windowEnd(start, closed, closed - 26_000_000L));
        assertEquals(closed, MeasuredWork.windowEnd(start, closed, start - 1), "an earlier trial's word");
        assertEquals(closed, MeasuredWork.windowEnd(start, closed, Long.MIN_VALUE), "no word");
        assertEquals(closed, MeasuredWork.windowEnd(start, closed, start), "at the start: no work measured before it");
        assertEquals(closed, MeasuredWork.windowEnd(start, closed, closed));
        // System.nanoTime() may be negative and wrap: only differences count
        long wrapStart = Long.MAX_VALUE - 1_000L;
        assertEquals(wrapStart + 500L, MeasuredWork.windowEnd(wrapStart, wrapStart + 2_000L, wrapStart + 500L));
    }

    /**
     * The word tells the open window's profiler at once (its sampler reads fast from there); once the window has closed,
     * a word tells nothing.
     */
    @Test
    void theWordTellsTheOpenWindowOnly() {
        java.util.concurrent.atomic.AtomicInteger told = new java.util.concurrent.atomic.AtomicInteger();
        MeasuredWork.onEnded(told::incrementAndGet);
        try {
            MeasuredWork.ended();
            assertEquals(1, told.get());
        } finally {
            MeasuredWork.onEnded(null);
        }
        MeasuredWork.ended();
        assertEquals(1, told.get(), "no window open");
    }

    /** The word given now lies inside a window opened before it and closed after it. */
    @Test
    void theWordGivenNowEndsTheOpenWindow() {
        long start = System.nanoTime();
        MeasuredWork.ended();
        long closed = System.nanoTime() + 1;
        long end = MeasuredWork.windowEnd(start, closed);
        assertEquals(true, end > start && end < closed, "ended at " + end + " in [" + start + ", " + closed + "]");
    }
}
