package gpuenergy.energy;

import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PowerAndNormalisationTest {
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

    /**
     * img/s x J/img = average W, exactly, per iteration: the average power measured on the H100 under
     * ResNet-50 at batch 128, with whatever rate JMH reports.
     */
    @Test
    void imagesPerSecondTimesJoulesPerImageIsTheAveragePower() throws IOException {
        Trace trace = Trace.load("h100-resnet50-fp16-b128.csv");
        EnergyCounterWindow counter = trace.counter();
        double loadW = counter.averageWatts(trace.firstTime("load"), trace.lastTime("load"));
        double idleW = counter.averageWatts(counter.edgeTimesNs()[0], trace.lastTime("idle-before") - 500 * MS);
        for (double opsPerSecond : new double[]{0.37, 1, 23.9, 61.25, 4096.5}) {
            EnergyPerOp gross = new EnergyPerOp(loadW, opsPerSecond, 128);
            assertEquals(loadW, gross.itemsPerSecond() * gross.joulesPerItem(), loadW * 1e-12);
            assertEquals(loadW, opsPerSecond * gross.joulesPerOp(), loadW * 1e-12);
            assertEquals(gross.joulesPerOp() / 128, gross.joulesPerItem(), 1e-15);
            EnergyPerOp net = new EnergyPerOp(loadW - idleW, opsPerSecond, 128);
            assertEquals(gross.joulesPerItem() - idleW / gross.itemsPerSecond(), net.joulesPerItem(), 1e-9);
        }
        assertEquals(50.0, EnergyPerOp.percentOf(350, 700), 1e-12);
    }

    @Test
    void normalisationNeedsARateAndABatch() {
        assertThrows(IllegalArgumentException.class, () -> new EnergyPerOp(500, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new EnergyPerOp(500, Double.NaN, 1));
        assertThrows(IllegalArgumentException.class, () -> new EnergyPerOp(500, Double.POSITIVE_INFINITY, 1));
        assertThrows(IllegalArgumentException.class, () -> new EnergyPerOp(500, 10, 0));
    }
}
