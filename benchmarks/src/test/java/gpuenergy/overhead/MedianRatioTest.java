package gpuenergy.overhead;

import gpuenergy.overhead.MedianRatio.Estimate;
import gpuenergy.overhead.MedianRatio.Verdict;
import gpuenergy.profile.EnergyLabels;
import gpuenergy.results.BenchmarkResult;
import gpuenergy.results.ResultFile;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.stream.DoubleStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The overhead table's statistics on real H100 iterations (src/test/resources/h100/README.md says where each is from). */
class MedianRatioTest {

    private static BenchmarkResult h100(String name) throws Exception {
        return ResultFile.read(Path.of(MedianRatioTest.class.getResource("/h100/" + name).toURI())).get(0);
    }

    private static double[] imgPerSecond(String name) throws Exception {
        return h100(name).imagesPerSecond().samples();
    }

    /** Two runs of ResNet-50 FP16 batch 128 with energy, 3 iterations each: the median of one, and of both pooled. */
    @Test
    void mediansOfRecordedIterations() throws Exception {
        double[] first = h100("fp16-b128-on-1.json").primary().samples();
        assertEquals(101.41694386362089, MedianRatio.median(first), 1e-12, "the middle of 3");
        double[] pooled = DoubleStream.concat(DoubleStream.of(first),
                DoubleStream.of(h100("fp16-b128-on-2.json").primary().samples())).toArray();
        assertEquals((101.26168268053537 + 101.37646176429821) / 2, MedianRatio.median(pooled), 1e-12,
                "the mean of the middle two of 6");
        double[] joules = h100("fp16-b128-on-1.json").secondary().get(EnergyLabels.J_PER_IMG).samples();
        Estimate j = MedianRatio.medianWithInterval(joules);
        assertEquals(0.042302436225014756, j.value(), 1e-15);
        assertEquals(0.04219375222151518, j.lo(), 1e-15, "3 values: the interval spans their range");
        assertEquals(0.04232699569575489, j.hi(), 1e-15);
    }

    /**
     * The same configuration run twice: every iteration of the second run is slower than every one of the first, so the
     * ratio's interval excludes 1, yet the ratio is within 1 %: what the verdict calls within-tolerance. A run-to-run
     * difference of this size is why a tolerance, not the interval alone, decides.
     */
    @Test
    void twoRunsOfOneConfigurationDifferWithinTolerance() throws Exception {
        Estimate r = MedianRatio.ratio(imgPerSecond("fp16-b128-on-1.json"), imgPerSecond("fp16-b128-on-2.json"));
        assertEquals(100.9615296591233 / 101.41694386362089, r.value(), 1e-12);
        assertTrue(r.lo() <= r.value() && r.value() <= r.hi(), r.toString());
        assertTrue(r.hi() < 1, "no resample of the second run reaches the first: " + r);
        assertEquals(Verdict.WITHIN_TOLERANCE, Verdict.of(r, 0.01));
        assertEquals(Verdict.SLOWER, Verdict.of(r, 0.001), "beyond a 0.1 % tolerance and the noise");
    }

    /** ResNet-50 FP32 batch 128 on two boards, 10 iterations each: 1.1 % apart, an interval that decides the verdict. */
    @Test
    void twoBoardsTenIterationsEach() throws Exception {
        double[] a = imgPerSecond("validation/resnet50-pytorch-fp32-b128.json");
        double[] b = imgPerSecond("compare/resnet50-pytorch-fp32-b128.json");
        assertEquals(5919.483312195658, MedianRatio.median(a), 1e-9);
        assertEquals(5852.099067607156, MedianRatio.median(b), 1e-9);
        Estimate r = MedianRatio.ratio(a, b);
        assertEquals(5852.099067607156 / 5919.483312195658, r.value(), 1e-12);
        assertTrue(r.lo() < r.value() && r.value() < r.hi(), r.toString());
        assertEquals(r, MedianRatio.ratio(a, b), "a fixed seed: the same files give the same table");
        assertEquals(r.includes(1) ? Verdict.TOO_NOISY : Verdict.SLOWER, Verdict.of(r, 0.01));
        assertEquals(r.includes(1) ? Verdict.SAME : Verdict.WITHIN_TOLERANCE, Verdict.of(r, 0.02));
    }

    @Test
    void constantSidesGiveAnExactRatio() {
        Estimate r = MedianRatio.ratio(new double[] {2, 2, 2}, new double[] {1, 1});
        assertEquals(new Estimate(0.5, 0.5, 0.5), r);
        assertEquals(Verdict.SLOWER, Verdict.of(r, 0.01));
    }

    @Test
    void noValuesIsUnknownNotZero() {
        Estimate r = MedianRatio.ratio(new double[0], new double[] {1});
        assertFalse(r.known());
        assertTrue(Double.isNaN(r.lo()) && Double.isNaN(r.hi()));
        assertTrue(Double.isNaN(MedianRatio.median(new double[0])));
        assertFalse(MedianRatio.medianWithInterval(new double[0]).known());
        assertEquals(Verdict.NOT_COMPARED, Verdict.of(r, 0.01));
    }

    /** Each verdict at a 1 % tolerance, at and around its edges. */
    @Test
    void verdicts() {
        assertEquals(Verdict.SAME, Verdict.of(new Estimate(0.995, 0.98, 1.01), 0.01));
        assertEquals(Verdict.SAME, Verdict.of(new Estimate(0.992, 0.98, 1.0), 0.01), "1 on the interval's edge is in it");
        assertEquals(Verdict.WITHIN_TOLERANCE, Verdict.of(new Estimate(1.005, 1.001, 1.009), 0.01));
        assertEquals(Verdict.SLOWER, Verdict.of(new Estimate(0.95, 0.94, 0.96), 0.01));
        assertEquals(Verdict.FASTER, Verdict.of(new Estimate(1.05, 1.04, 1.06), 0.01));
        assertEquals(Verdict.TOO_NOISY, Verdict.of(new Estimate(0.95, 0.80, 1.10), 0.01));
    }
}
