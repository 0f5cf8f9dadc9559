package gpuenergy.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gpuenergy.profile.EnvironmentKeys;
import gpuenergy.report.Efficiency.Point;
import gpuenergy.report.Efficiency.Scored;
import gpuenergy.results.GpuModel;
import java.util.List;
import org.junit.jupiter.api.Test;

class EfficiencyTest {

    @Test
    void geometricMeanAndStdMatchScipy() {
        double[] v = {2, 4, 8};
        assertEquals(4.0, Efficiency.geometricMean(v), 1e-12);
        assertEquals(2.0, Efficiency.geometricStd(v), 1e-12); // scipy.stats.gstd([2, 4, 8]) = 2.0 (ddof=1)
        assertEquals(1.0, Efficiency.geometricStd(new double[] {3, 3, 3}), 1e-12);
        assertTrue(Double.isNaN(Efficiency.geometricStd(new double[] {3})));
    }

    static final List<Point> POINTS = List.of(
            new Point("cheap", 0.01, 70), new Point("mid", 0.1, 80), new Point("best", 1.0, 90),
            new Point("dominated", 0.5, 75), new Point("tie-energy", 0.1, 78));

    @Test
    void paretoFrontKeepsOnlyUndominatedPoints() {
        List<String> front = Efficiency.paretoFront(POINTS).stream().map(Point::name).toList();
        assertEquals(List.of("cheap", "mid", "best"), front);
    }

    @Test
    void efficiencyScoreIsWeightedManhattanDistanceOnMinMaxNormalisedAxes() {
        // accuracy 70..90, log10 energy -2..0: "mid" is a = 0.5, e = 0.5
        List<Scored> half = Efficiency.rankByEfficiency(POINTS, 0.5);
        Scored mid = half.stream().filter(s -> s.point().name().equals("mid")).findFirst().orElseThrow();
        assertEquals(0.5 * 0.5 + 0.5 * 0.5, mid.score(), 1e-12);
        // W = 1: only accuracy counts -> "best" first with score 0; W = 0: only energy -> "cheap" first
        assertEquals("best", Efficiency.rankByEfficiency(POINTS, 1).get(0).point().name());
        assertEquals(0, Efficiency.rankByEfficiency(POINTS, 1).get(0).score(), 1e-12);
        assertEquals("cheap", Efficiency.rankByEfficiency(POINTS, 0).get(0).point().name());
        // W = 0.3: cheap = 0.3 * 1 + 0 = 0.3 beats mid = 0.3 * 0.5 + 0.7 * 0.5 = 0.5
        assertEquals("cheap", Efficiency.rankByEfficiency(POINTS, 0.3).get(0).point().name());
        assertEquals(0.3, Efficiency.rankByEfficiency(POINTS, 0.3).get(0).score(), 1e-12);
    }

    @Test
    void accuracyPerJouleAboveAMinimum() {
        List<Scored> all = Efficiency.rankByAccuracyPerJoule(POINTS, 0);
        assertEquals("cheap", all.get(0).point().name());
        assertEquals(7000, all.get(0).score(), 1e-9);
        List<Scored> above = Efficiency.rankByAccuracyPerJoule(POINTS, 79);
        assertEquals(List.of("mid", "best"), above.stream().map(s -> s.point().name()).toList());
    }

    @Test
    void naiveEstimateIsFlopsOverPeakTimesPowerLimit() {
        // 4.1 GMACs = 8.2 GFLOP per image at 989.4 TFLOP/s (H100 SXM FP16 dense) and 700 W
        double peak = PeakFlops.teraflops("NVIDIA H100 80GB HBM3", PeakFlops.precision("fp16", true));
        assertEquals(989.4, peak);
        assertEquals(0.005801495856074389, Efficiency.naiveJoulesPerImage(4.1, peak, 700), 1e-15);
        assertEquals(494.7, PeakFlops.teraflops("NVIDIA H100 80GB HBM3", PeakFlops.precision("fp32", true)));
        assertEquals(67, PeakFlops.teraflops("NVIDIA H100 80GB HBM3", PeakFlops.precision("fp32", false)));
        assertTrue(Double.isNaN(PeakFlops.teraflops("NVIDIA GeForce RTX 4090", PeakFlops.Precision.FP16)));
    }

    /** A MIG instance holds a slice of its board's SMs: the board's peak is not its own, so there is no naive estimate. */
    @Test
    void aMigInstanceHasNoPeakOfItsBoard() {
        String board = "NVIDIA H100 80GB HBM3";
        for (String mode : new String[]{EnvironmentKeys.GPU_MIG_ENABLED, EnvironmentKeys.UNKNOWN}) {
            for (String profile : new String[]{"1g.10gb", EnvironmentKeys.UNKNOWN, null}) {
                String model = GpuModel.of(board, mode, profile);
                assertTrue(Double.isNaN(PeakFlops.teraflops(model, PeakFlops.Precision.FP16)), model);
            }
        }
        assertEquals(989.4, PeakFlops.teraflops(GpuModel.of(board, EnvironmentKeys.GPU_MIG_DISABLED, null), PeakFlops.Precision.FP16));
        assertEquals(989.4, PeakFlops.teraflops(GpuModel.of(board, null, null), PeakFlops.Precision.FP16));
    }
}
