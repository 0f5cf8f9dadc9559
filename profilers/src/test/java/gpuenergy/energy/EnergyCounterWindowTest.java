package gpuenergy.energy;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The interpolation rules on a few hand-made samples (times in ms for readability, stored as ns). */
class EnergyCounterWindowTest {
    private static final long MS = 1_000_000L;

    private static EnergyCounterWindow window(long[] ms, long[] mj) {
        long[] ns = new long[ms.length];
        for (int i = 0; i < ms.length; i++) {
            ns[i] = ms[i] * MS;
        }
        return EnergyCounterWindow.of(ns, mj, ns.length);
    }

    // Counter steps between 10 and 20 ms (to 100 mJ) and between 30 and 40 ms (to 300 mJ).
    private final EnergyCounterWindow w = window(new long[]{0, 10, 20, 30, 40, 50}, new long[]{0, 0, 100, 100, 300, 300});

    @Test
    void edgesSitMidwayBetweenTheSamplesAroundAChange() {
        assertEquals(100, w.millijoulesAt(15 * MS), 0);
        assertThrows(IllegalArgumentException.class, () -> w.millijoulesAt(15 * MS - 1));
        assertEquals(300, w.millijoulesAt(35 * MS), 0);
        assertThrows(IllegalArgumentException.class, () -> w.millijoulesAt(35 * MS + 1));
    }

    @Test
    void energyIsLinearBetweenEdges() {
        assertEquals(100, w.millijoulesAt(15 * MS), 1e-9);
        assertEquals(200, w.millijoulesAt(25 * MS), 1e-9);
        assertEquals(0.2, w.joules(15 * MS, 35 * MS), 1e-12);
        assertEquals(0.05, w.joules(20 * MS, 25 * MS), 1e-12);
        assertEquals(0.05 / 0.005, w.averageWatts(20 * MS, 25 * MS), 1e-9);
    }

    @Test
    void interiorPowerIsTheEnergyBetweenTheFirstAndLastEdgeInside() {
        // edges at 15 ms (100 mJ) and 35 ms (300 mJ): 0.2 J over 20 ms, whatever lies outside them
        assertEquals(0.2 / 0.020, w.interiorWatts(12 * MS, 38 * MS), 1e-9);
        assertEquals(0.2 / 0.020, w.interiorWatts(15 * MS, 35 * MS), 1e-9);
        assertTrue(Double.isNaN(w.interiorWatts(16 * MS, 45 * MS)), "one edge inside");
        assertTrue(Double.isNaN(w.interiorWatts(0, 14 * MS)), "no edge inside");
    }

    @Test
    void naiveReadsTheNearestSamples() {
        assertEquals(0.2, w.naiveJoules(16 * MS, 38 * MS), 1e-12);  // samples at 20 (100) and 40 (300)
        assertEquals(0.0, w.naiveJoules(21 * MS, 29 * MS), 1e-12);  // both nearest samples read 100
    }

    @Test
    void edgesWithinCountsTheHalfOpenWindow() {
        assertEquals(1, w.edgesWithin(15 * MS, 35 * MS));
        assertEquals(2, w.edgesWithin(14 * MS, 35 * MS));
        assertEquals(0, w.edgesWithin(16 * MS, 34 * MS));
    }

    @Test
    void outsideTheEdgesThereIsNoAnswer() {
        assertEquals(0.2, w.joules(15 * MS, 35 * MS), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> w.joules(14 * MS, 30 * MS));
        assertThrows(IllegalArgumentException.class, () -> w.joules(20 * MS, 36 * MS));
        assertThrows(IllegalArgumentException.class, () -> w.joules(30 * MS, 20 * MS));
        EnergyCounterWindow flat = window(new long[]{0, 10, 20}, new long[]{5, 5, 5});
        assertEquals(0, flat.edgesWithin(0, 20 * MS));
        assertThrows(IllegalArgumentException.class, () -> flat.joules(0, 20 * MS));
    }

    @Test
    void rejectsACounterGoingBackwardsAndTimeStandingStill() {
        IllegalArgumentException back = assertThrows(IllegalArgumentException.class,
                () -> window(new long[]{0, 10, 20}, new long[]{5, 7, 6}));
        assertTrue(back.getMessage().contains("went backwards"), back.getMessage());
        assertThrows(IllegalArgumentException.class, () -> window(new long[]{0, 10, 10}, new long[]{5, 7, 8}));
    }

    /**
     * A counter that goes backwards (a driver reload) costs only the windows whose edges it lies between: the counter
     * steps at 15 ms (100 mJ) and 35 ms (300 mJ), drops to 50 mJ at the read at 60 ms, then steps at 75 ms (150 mJ) and
     * 95 ms (250 mJ).
     */
    @Test
    void aCounterGoingBackwardsCostsOnlyTheWindowsAroundIt() {
        long[] ns = {0, 10 * MS, 20 * MS, 30 * MS, 40 * MS, 50 * MS, 60 * MS, 70 * MS, 80 * MS, 90 * MS, 100 * MS, 110 * MS};
        long[] mj = {0, 0, 100, 100, 300, 300, 50, 50, 150, 150, 250, 250};
        assertEquals(0.2, EnergyCounterWindow.around(ns, mj, ns.length, 15 * MS, 35 * MS).joules(15 * MS, 35 * MS), 1e-12);
        assertEquals(0.1, EnergyCounterWindow.around(ns, mj, ns.length, 75 * MS, 95 * MS).joules(75 * MS, 95 * MS), 1e-12);
        // the decrease between the window's edges, before its last edge, after its first
        for (long[] window : new long[][]{{20, 80}, {36, 50}, {62, 90}, {55, 58}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> EnergyCounterWindow.around(ns, mj, ns.length, window[0] * MS, window[1] * MS));
            assertTrue(e.getMessage().contains("went backwards"), e.getMessage());
        }
        // no decrease around: the edges' own refusal
        EnergyCounterWindow early = EnergyCounterWindow.around(ns, mj, ns.length, 5 * MS, 30 * MS);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> early.joules(5 * MS, 30 * MS));
        assertTrue(e.getMessage().contains("no counter edge"), e.getMessage());
    }

    /** Steps straddling the window's ends split by the power known outside, not linearly. */
    @Test
    void knownOutsidePowerSplitsTheStraddlingSteps() {
        // edges at 15 ms (100 mJ) and 35 ms (300 mJ); window [20, 30] ms lies inside one 20 ms step of 200 mJ
        // with 5 ms outside on each side at 2 W (= 10 mJ each): 180 mJ inside
        assertEquals(0.18, w.joules(20 * MS, 30 * MS, 2.0, 2.0), 1e-12);
        // one side unknown: the whole window inside the step is linear, as joules(), whichever side it is
        assertEquals(0.1, w.joules(20 * MS, 30 * MS, Double.NaN, 2.0), 1e-12);
        assertEquals(0.1, w.joules(20 * MS, 30 * MS, 2.0, Double.NaN), 1e-12);
        // more outside power than the step holds: the GPU never draws nothing, so that power is wrong for this window
        // and its energy unknown, not 0
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> w.joules(20 * MS, 30 * MS, 100.0, 100.0));
        assertTrue(e.getMessage().contains("hold 0.200 J, no more than the idle power outside it (100.0 W)"), e.getMessage());

        // three steps of 100 mJ every 10 ms: edges 5, 15, 25, 35 ms; window [10, 30] ms, 1 W outside (5 mJ per half-step)
        EnergyCounterWindow steps = window(new long[]{0, 10, 20, 30, 40}, new long[]{0, 100, 200, 300, 400});
        assertEquals(0.095 + 0.1 + 0.095, steps.joules(10 * MS, 30 * MS, 1.0, 1.0), 1e-12);
        assertEquals(steps.joules(10 * MS, 30 * MS), steps.joules(10 * MS, 30 * MS, Double.NaN, Double.NaN), 1e-12);
        // a window on edges has no straddling step: the outside power does not matter
        assertEquals(0.2, steps.joules(5 * MS, 25 * MS, 50.0, 50.0), 1e-12);
        // 20 W outside takes each end step's 100 mJ over its 5 ms outside: each end's share is clamped at 0, and the
        // window keeps the whole step inside; across two steps nothing is left, and the window's energy is unknown
        assertEquals(0.1, steps.joules(10 * MS, 30 * MS, 20.0, 20.0), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> steps.joules(10 * MS, 20 * MS, 20.0, 20.0));
        assertEquals(0.1, steps.joules(10 * MS, 20 * MS, 10.0, 10.0), 1e-12);
        // a little energy left is the window's, however small
        assertEquals(2e-6, steps.joules(10 * MS, 20 * MS, 19.9998, 19.9998), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> steps.joules(1 * MS, 30 * MS, 1.0, 1.0));
    }
}
