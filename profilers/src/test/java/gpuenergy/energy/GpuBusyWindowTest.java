package gpuenergy.energy;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
        assertEquals(w.percent(), w.percentIfCovered());
    }

    @Test
    void aPeriodEndingExactlyAtAWindowEndIsInside() {
        long[] t = {0, 500 * MS, 1000 * MS};
        GpuBusyWindow w = GpuBusyWindow.of(t, new double[]{0, 40, 90}, 0, 1000 * MS);
        assertEquals(65, w.percent(), 1e-12);
        assertEquals(1, w.coverage(), 1e-12);
    }

    @Test
    void tooLittleCoverageGivesNoFigure() {
        // a board whose period is as long as the window: no period lies inside a 1 s window
        long[] t = {0, 1000 * MS, 2000 * MS};
        GpuBusyWindow w = GpuBusyWindow.of(t, new double[]{0, 50, 50}, 500 * MS, 1500 * MS);
        assertTrue(Double.isNaN(w.percent()));
        assertEquals(0, w.coverage());
        assertTrue(Double.isNaN(w.percentIfCovered()));
        // one 400 ms period inside a 1 s window: a figure, but under the coverage the profiler reports
        GpuBusyWindow thin = GpuBusyWindow.of(new long[]{100 * MS, 500 * MS}, new double[]{0, 70}, 0, 1000 * MS);
        assertEquals(70, thin.percent(), 1e-12);
        assertTrue(Double.isNaN(thin.percentIfCovered()));
    }

    @Test
    void noSamplesOrAnEmptyWindow() {
        assertTrue(Double.isNaN(GpuBusyWindow.of(new long[0], new double[0], 0, MS).percentIfCovered()));
        assertThrows(IllegalArgumentException.class, () -> GpuBusyWindow.of(new long[]{0, MS}, new double[]{0, 1}, MS, MS));
    }
}
