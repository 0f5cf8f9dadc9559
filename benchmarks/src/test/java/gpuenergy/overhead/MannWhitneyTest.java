package gpuenergy.overhead;

import org.junit.jupiter.api.Test;

import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The two-sided Mann-Whitney p. Exact values count the splits of the pooled ranks (3 against 3 fully apart: 2 of the
 * C(6,3) = 20 splits lie as far out, p = 0.1, where the normal approximation gives 0.0495); the rest were computed in
 * Python, by enumerating every split for the small samples and counting splits by rank sum for the larger ones, and by
 * the normal approximation with the tie and continuity corrections above 50 values a side.
 */
class MannWhitneyTest {

    @Test
    void smallSamplesTakeTheExactDistribution() {
        assertEquals(0.1, MannWhitney.twoSidedP(new double[] {1, 2, 3}, new double[] {4, 5, 6}), 1e-12);
        assertEquals(0.1, MannWhitney.twoSidedP(new double[] {6, 5, 4}, new double[] {3, 2, 1}), 1e-12, "either way");
        assertEquals(2.0 / 252, MannWhitney.twoSidedP(new double[] {1, 2, 3, 4, 5}, new double[] {6, 7, 8, 9, 10}), 1e-12);
        // one swap: 4 of the 252 splits lie as far out
        assertEquals(4.0 / 252, MannWhitney.twoSidedP(new double[] {1, 2, 3, 4, 6}, new double[] {5, 7, 8, 9, 10}), 1e-12);
        assertEquals(1, MannWhitney.twoSidedP(new double[] {1, 4}, new double[] {2, 3}), 1e-12, "the middle: p = 1");
    }

    @Test
    void tiesTakeTheirMidranksInTheExactDistribution() {
        // 14 of the 70 splits of the midranks 1, 3, 3, 3, 5.5, 5.5, 7, 8 lie as far out
        assertEquals(0.2, MannWhitney.twoSidedP(new double[] {1, 2, 2, 3}, new double[] {2, 3, 4, 5}), 1e-12);
        double[] a = IntStream.range(0, 12).mapToDouble(i -> i % 7).toArray();
        double[] b = IntStream.range(0, 9).mapToDouble(i -> i % 5 + 2).toArray();
        assertEquals(0.14867145238662266, MannWhitney.twoSidedP(a, b), 1e-12);
        assertEquals(0.14867145238662266, MannWhitney.twoSidedP(b, a), 1e-12, "the smaller side counted either way");
        assertEquals(1, MannWhitney.twoSidedP(new double[] {2, 2, 2}, new double[] {2, 2, 2, 2}), 1e-12, "all the same");
    }

    @Test
    void fiftyASideIsStillExact() {
        double[] a = IntStream.range(0, MannWhitney.EXACT_MAX_PER_SIDE).mapToDouble(i -> i).toArray();
        double[] b = IntStream.range(0, MannWhitney.EXACT_MAX_PER_SIDE).mapToDouble(i -> i + 10.5).toArray();
        assertEquals(0.0010550164711136758, MannWhitney.twoSidedP(a, b), 1e-13, "the normal approximation: 0.00121");
    }

    @Test
    void largeSamplesTakeTheNormalApproximation() {
        double[] a = IntStream.range(0, 60).mapToDouble(i -> i).toArray();
        double[] b = IntStream.range(0, 60).mapToDouble(i -> i + 10.5).toArray();
        assertEquals(0.0025668879435241797, MannWhitney.twoSidedP(a, b), 1e-12);
        double[] tiedA = IntStream.range(0, 55).mapToDouble(i -> i % 7).toArray();
        double[] tiedB = IntStream.range(0, 55).mapToDouble(i -> i % 9 + 1).toArray();
        assertEquals(0.00012327233427797467, MannWhitney.twoSidedP(tiedA, tiedB), 1e-12, "with the tie correction");
        assertEquals(1, MannWhitney.twoSidedP(new double[60], new double[60]), 1e-12, "all the same");
    }
}
