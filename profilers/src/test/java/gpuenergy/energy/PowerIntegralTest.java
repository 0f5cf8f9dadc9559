package gpuenergy.energy;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
}
