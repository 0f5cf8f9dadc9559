package gpuenergy.sweep;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Selection logic only: the inputs are made-up numbers, not measurements. */
class BestBatchTest {
    private static Measurement m(int batch, double batchesPerSecond, double jPerImg) {
        return new Measurement("m", "e", batch, batchesPerSecond, batchesPerSecond, 10_000, jPerImg, Double.NaN);
    }

    @Test
    void lowestEnergyPerImageWinsEvenWhenNotTheFastest() {
        // batch 8: 800 img/s at 0.5 J/img; batch 16: 960 img/s at 0.6 J/img
        BestBatch b = BestBatch.choose(List.of(m(1, 300, 1.0), m(8, 100, 0.5), m(16, 60, 0.6)));
        assertTrue(b.byEnergy());
        assertEquals(8, b.best().batchSize());
    }

    @Test
    void equalEnergyPrefersMoreImagesPerSecond() {
        BestBatch b = BestBatch.choose(List.of(m(2, 100, 0.5), m(4, 60, 0.5)));
        assertEquals(4, b.best().batchSize());
    }

    @Test
    void withoutEnergyItRanksByImagesPerSecondAndSaysSo() {
        BestBatch b = BestBatch.choose(List.of(m(1, 300, Double.NaN), m(2, 200, Double.NaN), m(4, 90, Double.NaN)));
        assertFalse(b.byEnergy());
        assertEquals(2, b.best().batchSize());
        assertEquals("no energy measured (no energy.J/img; not run with the energy profiler): ranked by img/s", b.note());
    }

    /** The CPU has no energy to measure: the note says so rather than telling to run the energy profiler. */
    @Test
    void withoutEnergyOnTheCpuTheNoteSaysItRanOnTheCpu() {
        Measurement cpu = new Measurement("m", "e", 1, 300, 300, 10_000, Double.NaN, Double.NaN, Double.NaN, false, true, false);
        BestBatch b = BestBatch.choose(List.of(cpu));
        assertEquals("no energy measured (no energy.J/img; measured on the CPU): ranked by img/s", b.note());
    }

    /** As the report picks it: the lowest J/img among the batch sizes with energy, however fast the others are. */
    @Test
    void partlyMissingEnergyRanksTheOnesWithEnergyAndSaysHowMuchIsMissing() {
        BestBatch b = BestBatch.choose(List.of(m(1, 300, 0.1), m(2, 200, Double.NaN)));
        assertTrue(b.byEnergy());
        assertEquals(1, b.best().batchSize());
        assertTrue(b.note().contains("1 of 2"), b.note());
    }

    @Test
    void nothingMeasuredNothingChosen() {
        assertNull(BestBatch.choose(List.of()));
        assertNull(BestBatch.choose(List.of(m(1, Double.NaN, Double.NaN))));
    }
}
