package gpuenergy.energy;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The window's busy share from utilization samples, each covering the period since the sample before it. */
class GpuBusyWindowTest {
    private static final long MS = 1_000L; // microseconds

    @Test
    void onlyPeriodsWhollyInsideCountWeightedByLength() {
        // periods (0,100] 10 %, (100,300] 80 %, (300,400] 60 %, (400,550] 100 %; window [50, 500]
        long[] t = {0, 100 * MS, 300 * MS, 400 * MS, 550 * MS};
        double[] pct = {0, 10, 80, 60, 100};
        GpuBusyWindow w = GpuBusyWindow.of(t, pct, 50 * MS, 500 * MS);
        // inside: (100,300] and (300,400]; the first and last straddle the window's ends
        assertEquals((80 * 200 + 60 * 100) / 300.0, w.percent(), 1e-12);
        assertEquals(300.0 / 450, w.coverage(), 1e-12);
    }

    @Test
    void aPeriodEndingExactlyAtAWindowEndIsInside() {
        long[] t = {0, 500 * MS, 1000 * MS};
        GpuBusyWindow w = GpuBusyWindow.of(t, new double[]{0, 40, 90}, 0, 1000 * MS);
        assertEquals(65, w.percent(), 1e-12);
        assertEquals(1, w.coverage(), 1e-12);
    }

    @Test
    void noPeriodInsideGivesNoFigureOneGivesItsOwn() {
        // a board whose period is as long as the window: no period lies inside a 1 s window
        GpuBusyWindow none = GpuBusyWindow.of(new long[]{0, 1000 * MS, 2000 * MS}, new double[]{0, 50, 50}, 500 * MS, 1500 * MS);
        assertTrue(Double.isNaN(none.percent()));
        assertEquals(0, none.coverage());
        // one 400 ms period inside a 1 s window: a figure (a sample of the window), with its coverage
        GpuBusyWindow thin = GpuBusyWindow.of(new long[]{100 * MS, 500 * MS}, new double[]{0, 70}, 0, 1000 * MS);
        assertEquals(70, thin.percent(), 1e-12);
        assertEquals(0.4, thin.coverage(), 1e-12);
    }

    @Test
    void noSamplesOrAnEmptyWindow() {
        assertTrue(Double.isNaN(GpuBusyWindow.of(new long[0], new double[0], 0, MS).percent()));
        assertThrows(IllegalArgumentException.class, () -> GpuBusyWindow.of(new long[]{0, MS}, new double[]{0, 1}, MS, MS));
    }

    @Test
    void theSamplesClockIsTheOneInWhichTheNewestSampleIsRecent() {
        long epochNow = 1_763_870_000_000_000L, monotonicNow = 86_400_000_000L; // 2025-11 since the epoch; a day since boot
        assertEquals(GpuBusyWindow.Clock.EPOCH, GpuBusyWindow.clockOf(epochNow - 150 * MS, epochNow, monotonicNow));
        assertEquals(GpuBusyWindow.Clock.MONOTONIC, GpuBusyWindow.clockOf(monotonicNow - 150 * MS, epochNow, monotonicNow));
        // a little ahead (clocks read apart) still fits; a sample 10 s old, or far ahead, fits neither
        assertEquals(GpuBusyWindow.Clock.EPOCH, GpuBusyWindow.clockOf(epochNow + 500 * MS, epochNow, monotonicNow));
        assertNull(GpuBusyWindow.clockOf(epochNow - 10_000 * MS, epochNow, monotonicNow));
        assertNull(GpuBusyWindow.clockOf(monotonicNow + 5_000 * MS, epochNow, monotonicNow));
    }
}
