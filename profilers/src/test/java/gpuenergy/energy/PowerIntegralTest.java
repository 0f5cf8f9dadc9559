package gpuenergy.energy;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The power readings' integral: the cross-check of the energy counter. */
class PowerIntegralTest {
    private static final long MS = 1_000_000L;

    @Test
    void trapezoidsAreCutAtTheWindowEnds() {
        long[] t = {0, 100 * MS, 200 * MS};
        long[] mw = {100_000, 300_000, 300_000};  // 100 W rising to 300 W, then flat
        assertEquals(0.1 * 200 + 0.1 * 300, PowerIntegral.joules(t, mw, 3, 0, 200 * MS), 1e-9);
        // [50, 150] ms: 200->300 W over 50 ms, then 300 W for 50 ms
        assertEquals(0.05 * 250 + 0.05 * 300, PowerIntegral.joules(t, mw, 3, 50 * MS, 150 * MS), 1e-9);
    }

    @Test
    void failedReadingsAreSkippedAndCoverageIsRequired() {
        long[] t = {0, 50 * MS, 100 * MS};
        long[] mw = {200_000, -1, 200_000};
        assertEquals(20, PowerIntegral.joules(t, mw, 3, 0, 100 * MS), 1e-9);
        assertThrows(IllegalArgumentException.class, () -> PowerIntegral.joules(t, mw, 3, 0, 101 * MS));
        assertThrows(IllegalArgumentException.class, () -> PowerIntegral.joules(t, mw, 2, 0, 100 * MS));
        assertEquals(-2.0, PowerIntegral.divergencePercent(98, 100), 1e-12);
    }

    /** Readings more than 200 ms apart around part of the window: no straight line across, wherever the window lies. */
    @Test
    void aGapOfFailedReadingsInsideTheWindowIsNotBridged() {
        long[] t = {0, 10 * MS, 210 * MS, 411 * MS, 421 * MS};
        long[] mw = {100_000, 100_000, 300_000, 300_000, 300_000};
        assertEquals(0.01 * 100 + 0.2 * 200, PowerIntegral.joules(t, mw, 5, 0, 210 * MS), 1e-9, "200 ms apart: bridged");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PowerIntegral.joules(t, mw, 5, 0, 421 * MS));
        assertTrue(e.getMessage().startsWith("power readings 201.0 ms apart"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PowerIntegral.joules(t, mw, 5, 400 * MS, 421 * MS));
        assertThrows(IllegalArgumentException.class, () -> PowerIntegral.joules(t, mw, 5, 0, 211 * MS));
        assertEquals(0.01 * 300, PowerIntegral.joules(t, mw, 5, 411 * MS, 421 * MS), 1e-9, "the gap lies before the window");
    }
}
