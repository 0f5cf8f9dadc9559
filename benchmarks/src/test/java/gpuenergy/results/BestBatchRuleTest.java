package gpuenergy.results;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BestBatchRuleTest {
    private record M(int batch, double jPerImg, double imgPerSec) {}

    private static int best(M... measured) {
        return BestBatchRule.best(List.of(measured), M::jPerImg, M::imgPerSec);
    }

    @Test
    void theLowestJoulesPerImageAmongThoseWithEnergyTheHigherRateBreakingATie() {
        assertEquals(1, best(new M(1, 0.05, 100), new M(2, 0.03, 150), new M(4, 0.04, 300)));
        assertEquals(2, best(new M(1, 0.05, 100), new M(2, 0.03, 150), new M(4, 0.03, 300)), "tie: the faster");
        // a batch whose energy is unknown is not the best, however fast
        assertEquals(0, best(new M(1, 0.05, 100), new M(2, Double.NaN, 900)));
        assertEquals(-1, best());
    }

    /** Without any J/img the sweep's summary and the report both take the highest img/s. */
    @Test
    void withoutAnyJoulesPerImageTheHighestRate() {
        assertEquals(1, best(new M(1, Double.NaN, 100), new M(2, Double.NaN, 900), new M(4, Double.NaN, 500)));
        // a result of a time mode has no img/s: it is never the fastest
        assertEquals(1, best(new M(1, Double.NaN, Double.NaN), new M(2, Double.NaN, 10)));
        assertEquals(-1, best(new M(1, Double.NaN, Double.NaN)), "neither figure: no best");
    }
}
