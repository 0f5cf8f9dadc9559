package gpuenergy.overhead;

import gpuenergy.overhead.MedianRatio.Estimate;
import gpuenergy.overhead.MedianRatio.Verdict;
import gpuenergy.profile.EnergyLabels;
import gpuenergy.profile.Interleave;
import gpuenergy.results.BenchmarkResult;
import gpuenergy.results.ResultFile;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The overhead table's statistics on real H100 iterations (src/test/resources/h100/README.md says where each is from),
 * and the coverage of its interval on simulated runs.
 */
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
        double[] second = h100("fp16-b128-on-2.json").primary().samples();
        assertEquals((101.26168268053537 + 101.37646176429821) / 2,
                MedianRatio.medianWithInterval(List.of(first, second)).value(), 1e-12, "the mean of the middle two of 6");
        double[] joules = h100("fp16-b128-on-1.json").secondary().get(EnergyLabels.J_PER_IMG).samples();
        Estimate j = MedianRatio.medianWithInterval(List.of(joules));
        assertEquals(0.042302436225014756, j.value(), 1e-15);
        assertEquals(0.04219375222151518, j.lo(), 1e-15, "3 values: the interval spans their range");
        assertEquals(0.04232699569575489, j.hi(), 1e-15);
    }

    /**
     * The same configuration run twice, one run a side: every iteration of the second run is slower than every one of
     * the first, so the interval over iterations excludes 1 although nothing differs but the run: at 0.1 % it is below
     * the band (slower). An interval over one run a side misses the run-to-run spread, which is why the table marks it.
     */
    @Test
    void oneRunASideMissesTheRunToRunSpread() throws Exception {
        double[] first = imgPerSecond("fp16-b128-on-1.json");
        double[] second = imgPerSecond("fp16-b128-on-2.json");
        Estimate r = MedianRatio.ratio(List.of(first), List.of(second));
        assertFalse(MedianRatio.overRuns(List.of(first)));
        assertEquals(100.9615296591233 / 101.41694386362089, r.value(), 1e-12);
        assertEquals(0.9864666616087046, r.lo(), 1e-12);
        assertEquals(0.9988677935512318, r.hi(), 1e-12, "excludes 1");
        assertEquals(Verdict.SAME, Verdict.of(r, 0.02));
        assertEquals(Verdict.TOO_NOISY, Verdict.of(r, 0.01), "lo below 0.99");
        assertEquals(Verdict.SLOWER, Verdict.of(r, 0.001), "hi below 0.999");
    }

    /**
     * The same two runs as both variants, resampled over runs: the interval now spans the difference between the runs
     * (about 0.9 % each way) and the ratio is exactly 1; at 0.1 % the verdict is too-noisy, not slower.
     */
    @Test
    void twoRunsASideCarryTheRunToRunSpread() throws Exception {
        List<double[]> runs = List.of(imgPerSecond("fp16-b128-on-1.json"), imgPerSecond("fp16-b128-on-2.json"));
        assertTrue(MedianRatio.overRuns(runs));
        Estimate r = MedianRatio.ratio(runs, List.of(runs.get(1), runs.get(0)));
        assertEquals(1.0, r.value(), 0);
        assertEquals(0.9911609323010366, r.lo(), 1e-12);
        assertEquals(1.0090946861798118, r.hi(), 1e-12);
        assertEquals(Verdict.SAME, Verdict.of(r, 0.01));
        assertEquals(Verdict.TOO_NOISY, Verdict.of(r, 0.001));
    }

    /**
     * {@link MedianRatio#ratio}'s 95 % interval over few runs a side holds the true ratio far less often than 95 % where
     * runs differ more than their iterations, which is why a verdict takes {@link MedianRatio#MIN_RUNS_FOR_VERDICT} runs
     * a side. Two sides of the same lognormal runs (true ratio 1): each run's level 1 % apart (SD of its log), its 8
     * iterations 0.1 % around it. Over 100 pairs, about 3 s; over 1,000 the shares are 0.68, 0.88, 0.93 and 0.96 with
     * 2 to 5 runs a side.
     */
    @Test
    void fewRunsASideGiveAnIntervalThatMissesTheTrueRatioOften() {
        double two = coverage(2, 100);
        assertTrue(two < 0.85, "2 runs a side: " + two);
        double enough = coverage(MedianRatio.MIN_RUNS_FOR_VERDICT, 100);
        assertTrue(enough >= 0.9, MedianRatio.MIN_RUNS_FOR_VERDICT + " runs a side: " + enough);
    }

    /** Of {@code pairs} simulated pairs of sides of {@code runs} runs each (fixed seed), the share whose interval holds 1. */
    static double coverage(int runs, int pairs) {
        java.util.Random random = new java.util.Random(runs);
        int held = 0;
        for (int pair = 0; pair < pairs; pair++) {
            Estimate r = MedianRatio.ratio(lognormalRuns(runs, random), lognormalRuns(runs, random));
            held += r.lo() <= 1 && 1 <= r.hi() ? 1 : 0;
        }
        return (double) held / pairs;
    }

    /** One side: {@code runs} runs of 8 iterations, each run's log level N(0, 0.01²), each iteration N(level, 0.001²). */
    private static List<double[]> lognormalRuns(int runs, java.util.Random random) {
        List<double[]> side = new ArrayList<>();
        for (int run = 0; run < runs; run++) {
            double level = 0.01 * random.nextGaussian();
            double[] iterations = new double[8];
            for (int i = 0; i < iterations.length; i++) {
                iterations[i] = Math.exp(level + 0.001 * random.nextGaussian());
            }
            side.add(iterations);
        }
        return side;
    }

    /**
     * Two runs that settled 50 % apart, the sampled windows 1 % slower than the sat-out ones in each: paired by run,
     * each run's level cancels and the interval is narrow around 0.99; the same iterations as two sides of separate
     * forks ({@link MedianRatio#ratio}) draw the slow run on one side and the fast on the other, and the interval spans
     * the runs' levels.
     */
    @Test
    void pairingByRunCancelsTheRunsLevel() {
        double[][] slow = interleavedRun(100, 0.99);
        double[][] fast = interleavedRun(150, 0.99);
        Estimate paired = MedianRatio.pairedRatio(List.of(slow, fast));
        assertEquals(0.99, paired.value(), 0.001);
        assertTrue(paired.lo() > 0.985 && paired.hi() < 0.995, "narrow around 0.99: " + paired);
        assertEquals(Verdict.SLOWER, Verdict.of(paired, 0.005));
        Estimate unpaired = MedianRatio.ratio(List.of(slow[0], fast[0]), List.of(slow[1], fast[1]));
        assertTrue(unpaired.lo() < 0.7 && unpaired.hi() > 1.4, "spans the runs' levels: " + unpaired);
        assertEquals(paired, MedianRatio.pairedRatio(List.of(slow, fast)), "a fixed seed");
    }

    /** One run at {@code level}: 8 sat-out iterations 0.3 % either side of it, 8 sampled ones {@code factor} times those. */
    private static double[][] interleavedRun(double level, double factor) {
        double[] satOut = new double[8];
        double[] sampled = new double[8];
        for (int i = 0; i < 8; i++) {
            satOut[i] = level * (1 + 0.001 * (i % 7 - 3));
            sampled[i] = factor * level * (1 + 0.001 * ((i + 3) % 7 - 3));
        }
        return new double[][] {satOut, sampled};
    }

    /** One run resamples its two sides' iterations; constant sides give an exact ratio; a side without values, none. */
    @Test
    void pairedRatioOfOneRunAndOfNone() {
        assertEquals(new Estimate(0.5, 0.5, 0.5), MedianRatio.pairedRatio(List.<double[][]>of(new double[][] {{2, 2, 2}, {1, 1}})));
        Estimate one = MedianRatio.pairedRatio(List.<double[][]>of(interleavedRun(100, 0.99)));
        assertEquals(0.99, one.value(), 0.001);
        assertTrue(one.lo() < one.value() && one.value() < one.hi(), "its iterations' spread: " + one);
        assertFalse(MedianRatio.pairedRatio(List.of()).known());
        Estimate noSampled = MedianRatio.pairedRatio(List.<double[][]>of(new double[][] {{1, 2}, {}}));
        assertFalse(noSampled.known(), "a run of one kind of window compares nothing");
        assertTrue(Double.isNaN(noSampled.lo()) && Double.isNaN(noSampled.hi()));
        assertEquals(MedianRatio.pairedRatio(List.<double[][]>of(interleavedRun(100, 0.99))),
                MedianRatio.pairedRatio(List.of(interleavedRun(100, 0.99), new double[][] {{5}, {}})),
                "a run without a sampled window is left out");
        assertFalse(MedianRatio.enoughForPairedVerdict(List.of(interleavedRun(100, 1), new double[][] {{5}, {}})),
                "one run compared, under " + MedianRatio.MIN_PAIRED_RUNS_FOR_VERDICT);
        assertTrue(MedianRatio.enoughForPairedVerdict(List.of(interleavedRun(100, 1), interleavedRun(120, 1))));
    }

    /**
     * The planning figure inside runs: n = sd² (z(0.975) + z(0.9))² / t², rounded up, at least the runs a verdict takes;
     * a run's own ratio varying by 2.1 % asks for 47 runs at ±1 %, by 0.2 % for the least.
     */
    @Test
    void runsForSameInsideRunsGrowWithTheSquareOfTheirSpread() {
        assertEquals(47, MedianRatio.pairedRunsForSame(0.021, 0.01));
        assertEquals(MedianRatio.MIN_PAIRED_RUNS_FOR_VERDICT, MedianRatio.pairedRunsForSame(0.002, 0.01));
        assertTrue(Double.isNaN(MedianRatio.pairedRunSd(List.<double[][]>of(interleavedRun(100, 0.99)))), "one run");
        assertEquals(0.0, MedianRatio.pairedRunSd(List.of(interleavedRun(100, 0.99), interleavedRun(150, 0.99))), 1e-12);
    }

    /**
     * Where the profiler costs the same in every fork, one run's paired interval already holds the true ratio about 95 %
     * of the time: no true difference, each run's level 10 % apart (its iterations 0.5 % around it) or 30 % apart (2 %).
     * Over 1,000 sets the shares are 0.969 and 0.966; over the 200 sets here, a few seconds, 0.970 and 0.965.
     */
    @Test
    void oneRunCoversWhereTheCostIsTheSameInEveryFork() {
        double steady = pairedCoverage(1, 0.10, 0.005, 0, 200);
        assertTrue(steady >= 0.93, "levels 10 % apart, iterations 0.5 %: " + steady);
        double noisy = pairedCoverage(1, 0.30, 0.02, 0, 200);
        assertTrue(noisy >= 0.93, "levels 30 % apart, iterations 2 %: " + noisy);
    }

    /**
     * Where the profiler's cost itself varies from fork to fork (by 0.5 % or 1 %, around none), one run's interval, over
     * its windows, misses the mean cost often; Student's t over two runs or more holds it: levels 10 % apart, iterations
     * 0.5 % around them, over 1,000 sets 0.720 with one run and 0.948 with two (by 1 %: 0.432, and 0.952 with three).
     * Over the 200 sets here: 0.735 with one run, 0.970 with two, 0.960 with three (by 1 %).
     */
    @Test
    void aVerdictTakesTheRunsThatCarryTheCostsForkToForkSpread() {
        int fewest = MedianRatio.MIN_PAIRED_RUNS_FOR_VERDICT;
        double fewer = pairedCoverage(fewest - 1, 0.10, 0.005, 0.005, 200);
        assertTrue(fewer < 0.92, (fewest - 1) + " run(s): " + fewer);
        double enough = pairedCoverage(fewest, 0.10, 0.005, 0.005, 200);
        assertTrue(enough >= 0.93, fewest + " runs: " + enough);
        double more = pairedCoverage(fewest + 1, 0.10, 0.005, 0.01, 200);
        assertTrue(more >= 0.93, (fewest + 1) + " runs, the cost varying by 1 %: " + more);
    }

    /**
     * Of {@code sets} simulated sets of {@code runs} runs without a true difference (fixed seed), the share whose
     * {@link MedianRatio#pairedRatio} interval holds 1 ({@link #interleavedRuns}).
     */
    static double pairedCoverage(int runs, double levelSd, double iterationSd, double overheadSd, int sets) {
        java.util.Random random = new java.util.Random(runs * 1_000_003L + Double.hashCode(levelSd) * 31L + Double.hashCode(iterationSd));
        int held = 0;
        for (int set = 0; set < sets; set++) {
            Estimate r = MedianRatio.pairedRatio(interleavedRuns(runs, levelSd, iterationSd, overheadSd, random));
            held += r.lo() <= 1 && 1 <= r.hi() ? 1 : 0;
        }
        return (double) held / sets;
    }

    /**
     * {@code runs} simulated interleaved runs, each {sat-out, sampled}: its log level N(0, levelSd²), shared by both
     * sides; 16 iterations, each N(level, iterationSd²) in log, sat out or sampled in ABBA order ({@link
     * Interleave#sampled}); the sampled ones further off by the run's own overhead, N(0, overheadSd²) in log, whose
     * mean over runs is none.
     */
    static List<double[][]> interleavedRuns(int runs, double levelSd, double iterationSd, double overheadSd,
                                            java.util.Random random) {
        List<double[][]> sides = new ArrayList<>();
        for (int run = 0; run < runs; run++) {
            double level = levelSd * random.nextGaussian();
            double overhead = overheadSd * random.nextGaussian();
            double[] satOut = new double[16];
            double[] sampled = new double[16];
            int s = 0;
            int o = 0;
            for (int i = 0; i < 16; i++) {
                double x = level + iterationSd * random.nextGaussian();
                if (Interleave.sampled(i)) {
                    sampled[s++] = Math.exp(x + overhead);
                } else {
                    satOut[o++] = Math.exp(x);
                }
            }
            sides.add(new double[][] {Arrays.copyOf(satOut, o), Arrays.copyOf(sampled, s)});
        }
        return sides;
    }

    /** ResNet-50 FP32 batch 128 on two boards, 10 iterations each: 1.1 % apart, an interval that reaches 1. */
    @Test
    void twoBoardsTenIterationsEach() throws Exception {
        double[] a = imgPerSecond("validation/resnet50-pytorch-fp32-b128.json");
        double[] b = imgPerSecond("compare/resnet50-pytorch-fp32-b128.json");
        assertEquals(5919.483312195658, MedianRatio.median(a), 1e-9);
        assertEquals(5852.099067607156, MedianRatio.median(b), 1e-9);
        Estimate r = MedianRatio.ratio(List.of(a), List.of(b));
        assertEquals(5852.099067607156 / 5919.483312195658, r.value(), 1e-12);
        assertEquals(0.9858544851996012, r.lo(), 1e-12);
        assertEquals(1.0013833194036488, r.hi(), 1e-12);
        assertEquals(Verdict.TOO_NOISY, Verdict.of(r, 0.01), "straddles 0.99");
        assertEquals(Verdict.SAME, Verdict.of(r, 0.02));
        assertEquals(r, MedianRatio.ratio(List.of(a), List.of(b)), "a fixed seed: the same files give the same table");
    }

    @Test
    void constantSidesGiveAnExactRatio() {
        Estimate r = MedianRatio.ratio(List.of(new double[] {2, 2, 2}), List.of(new double[] {1, 1}));
        assertEquals(new Estimate(0.5, 0.5, 0.5), r);
        assertEquals(Verdict.SLOWER, Verdict.of(r, 0.01));
    }

    @Test
    void noValuesIsUnknownNotZero() {
        Estimate r = MedianRatio.ratio(List.of(), List.of(new double[] {1}));
        assertFalse(r.known());
        assertTrue(Double.isNaN(r.lo()) && Double.isNaN(r.hi()));
        assertTrue(Double.isNaN(MedianRatio.median(new double[0])));
        assertFalse(MedianRatio.medianWithInterval(List.of(new double[0])).known(), "a run without iterations is none");
        assertEquals(Verdict.NOT_COMPARED, Verdict.of(r, 0.01));
    }

    /** An unknown value makes the median unknown: commons-math's Percentile would drop it unsaid (1.5 here). */
    @Test
    void anUnknownValueIsNotDroppedUnsaid() {
        assertTrue(Double.isNaN(MedianRatio.median(new double[] {1, 2, Double.NaN})));
        assertEquals(1.5, MedianRatio.median(new double[] {1, 2}));
    }

    /** Each verdict at a 1 % tolerance, at and around the band's edges: only the interval decides, not the estimate. */
    @Test
    void verdicts() {
        assertEquals(Verdict.SAME, Verdict.of(new Estimate(0.995, 0.99, 1.01), 0.01), "the band's edges are in it");
        assertEquals(Verdict.SAME, Verdict.of(new Estimate(1.005, 1.001, 1.009), 0.01), "excludes 1, inside the band");
        assertEquals(Verdict.TOO_NOISY, Verdict.of(new Estimate(0.995, 0.98, 1.01), 0.01), "estimate inside, interval not");
        assertEquals(Verdict.TOO_NOISY, Verdict.of(new Estimate(1.02, 1.005, 1.03), 0.01), "straddles 1 + t");
        assertEquals(Verdict.TOO_NOISY, Verdict.of(new Estimate(0.95, 0.80, 1.10), 0.01));
        assertEquals(Verdict.SLOWER, Verdict.of(new Estimate(0.95, 0.94, 0.96), 0.01));
        assertEquals(Verdict.SLOWER, Verdict.of(new Estimate(0.985, 0.97, 0.9899), 0.01), "just below 1 - t");
        assertEquals(Verdict.FASTER, Verdict.of(new Estimate(1.05, 1.04, 1.06), 0.01));
    }

    /**
     * Two variants whose two runs each lie 0.1 either side of their mean in log: the pooled SD is sqrt(0.04 / 2), from
     * 2 degrees of freedom, and "same" at ±1 % with a chance of 80 % takes π/2 x 2 x 0.02 x (1.95996 + 1.28155)² / 0.01²
     * = 6602.01 runs a side, rounded up (4203.0 for means of run medians, times π/2 for the medians the table compares).
     */
    @Test
    void runsForSameFollowTheSpreadBetweenRuns() {
        double[] a = {100, 100 * Math.exp(0.2)};
        double[] b = {200, 200 * Math.exp(-0.2), Double.NaN};
        MedianRatio.RunsForSame n = MedianRatio.runsForSame(List.of(a, b, new double[] {150}), 0.01);
        assertEquals(Math.sqrt(0.02), n.sd(), 1e-12);
        assertEquals(2, n.degreesOfFreedom(), "a run without iterations (NaN) and a variant's single run add none");
        assertEquals(6603, n.runsASide());
        assertEquals(265, MedianRatio.runsForSame(List.of(a, b), 0.05).runsASide(), "a wider tolerance, fewer runs");
        assertNull(MedianRatio.runsForSame(List.of(a, new double[] {150, Double.NaN}), 0.01), "one degree of freedom");
    }

    /**
     * Recorded tensorrt-fp16 batch-1 runs on an H200 (src/test/resources/h200/tensorrt-fp16-b1-iterations): over 42
     * rounds a run's four iterations vary by a median CV of 2.06 % without a profiler and 8.57 % with lean (sample SD;
     * scipy's mannwhitneyu, two-sided, normal approximation without continuity correction as commons-math's: p =
     * 0.000323); the first 8 rounds alone show no clear change (p = 0.600); under 5 runs a side nothing is compared.
     */
    @Test
    void withinRunSpreadComparesHowSteadyRunsAre() throws IOException {
        Map<String, List<double[]>> runs = recordedTensorRtBatchOne(42);
        MedianRatio.WithinRunSpread all = MedianRatio.withinRunSpread(runs.get("off"), runs.get("lean"));
        assertEquals(0.02059315623939406, all.baselineCv(), 1e-12);
        assertEquals(0.0856781927897558, all.cv(), 1e-12);
        assertEquals(0.0003227548952487688, all.p(), 1e-9);
        Map<String, List<double[]>> eight = recordedTensorRtBatchOne(8);
        assertEquals(0.5995101785600032, MedianRatio.withinRunSpread(eight.get("off"), eight.get("lean")).p(), 1e-9);
        assertNull(MedianRatio.withinRunSpread(recordedTensorRtBatchOne(4).get("off"), runs.get("lean")), "4 runs a side");
        assertTrue(Double.isNaN(MedianRatio.withinRunCv(List.of(new double[] {1000}))), "one iteration has no spread");
    }

    /** Each variant's runs of rounds 1 to {@code rounds}, in round order, from the recorded iterations. */
    static Map<String, List<double[]>> recordedTensorRtBatchOne(int rounds) throws IOException {
        Map<String, TreeMap<Integer, List<Double>>> byVariant = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(Path.of("src/test/resources/h200/tensorrt-fp16-b1-iterations/iterations.csv"));
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            if (Integer.parseInt(f[0]) <= rounds) {
                byVariant.computeIfAbsent(f[1], v -> new TreeMap<>()).computeIfAbsent(Integer.parseInt(f[0]), r -> new ArrayList<>())
                        .add(Double.parseDouble(f[2]));
            }
        }
        Map<String, List<double[]>> runs = new LinkedHashMap<>();
        byVariant.forEach((v, byRound) -> runs.put(v, byRound.values().stream()
                .map(r -> r.stream().mapToDouble(Double::doubleValue).toArray()).toList()));
        return runs;
    }
}
