package gpuenergy.profile;

import gpuenergy.energy.Trace;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.Result;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One iteration's results from the H100 ResNet-50 trace, over a window that is not aligned with the counter.
 * JMH's rate is an input here (the trace has none); the relations checked hold for any rate.
 */
class IterationEnergyTest {
    private static final long MS = 1_000_000L;
    private static final WindowState NO_SLOW_SAMPLES = WindowState.of(new long[0], new long[0], new long[0], new long[0], 0, 1);
    /** Batch 128 on an H100 that idles at 126 W, limited to 700 W. */
    private static final TrialFacts FACTS = new TrialFacts(128, 126, 700);

    private static CounterSamples counter(Trace trace) {
        return new CounterSamples(trace.t, trace.energyMj, trace.powerMw);
    }

    /** A window inside the load: busy on both sides, so no known outside power (NaN). */
    private static IterationEnergy.Window inside(long t0, long t1, double opsPerSecond) {
        return new IterationEnergy.Window(t0, t1, Double.NaN, opsPerSecond, Sampling.CONTINUOUS);
    }

    private static IterationEnergy iteration(Trace trace, double opsPerSecond, double idleWatts) {
        long t0 = trace.firstTime("load") + 1234 * MS, t1 = t0 + 7_777 * MS;
        double limitW = Long.parseLong(trace.header("limit_mw")) / 1000.0;
        return IterationEnergy.of(counter(trace), inside(t0, t1, opsPerSecond), new TrialFacts(128, idleWatts, limitW),
                NO_SLOW_SAMPLES);
    }

    private static Map<String, Result> byLabel(List<Result> results) {
        Map<String, Result> m = new LinkedHashMap<>();
        results.forEach(r -> m.put(r.getLabel(), r));
        return m;
    }

    /**
     * Where the reads inside do not see every step (sampling=ends), the edge count and interior figure are NaN; where
     * they read no power either (quiet), the cross-check too; the rest stands.
     */
    @Test
    void aWindowPolledWithoutCounterReadsInsideHasNoEdgeCountOrInteriorFigure() throws IOException {
        Trace trace = Trace.load("h100-resnet50-fp16-b128.csv");
        long t0 = trace.firstTime("load") + 1234 * MS, t1 = t0 + 7_777 * MS;
        Map<String, Map<String, Result>> by = new LinkedHashMap<>();
        for (Sampling polled : new Sampling[]{Sampling.LEAN, Sampling.ENDS, Sampling.QUIET}) {
            by.put(polled.toString(), byLabel(IterationEnergy.of(counter(trace), new IterationEnergy.Window(t0, t1, 126, 23.9, polled),
                    FACTS, NO_SLOW_SAMPLES).results()));
        }
        Map<String, Result> seen = by.get("lean");
        assertTrue(seen.get(EnergyLabels.EDGES).getScore() > 70 && seen.get(EnergyLabels.INTERIOR_J_PER_IMG).getScore() > 0);
        assertTrue(Math.abs(seen.get(EnergyLabels.XCHECK_PCT).getScore()) < 2);
        for (String unseen : List.of("ends", "quiet")) {
            assertTrue(Double.isNaN(by.get(unseen).get(EnergyLabels.EDGES).getScore()), unseen);
            assertTrue(Double.isNaN(by.get(unseen).get(EnergyLabels.INTERIOR_J_PER_IMG).getScore()), unseen);
            for (String label : List.of(EnergyLabels.J_PER_IMG, EnergyLabels.AVG_W, EnergyLabels.NAIVE_J_PER_IMG)) {
                assertEquals(seen.get(label).getScore(), by.get(unseen).get(label).getScore(), 0, unseen + " " + label);
            }
        }
        assertEquals(seen.get(EnergyLabels.XCHECK_PCT).getScore(), by.get("ends").get(EnergyLabels.XCHECK_PCT).getScore(), 0);
        assertTrue(Double.isNaN(by.get("quiet").get(EnergyLabels.XCHECK_PCT).getScore()), "quiet reads no power inside");
    }

    @Test
    void labelsUnitsAndTheInvariant() throws IOException {
        Trace trace = Trace.load("h100-resnet50-fp16-b128.csv");
        for (double batchesPerSecond : new double[]{2.5, 23.9, 40}) {
            IterationEnergy it = iteration(trace, batchesPerSecond, 126.0);
            Map<String, Result> r = byLabel(it.results());
            Map<String, String> units = new LinkedHashMap<>();
            r.forEach((label, result) -> units.put(label, result.getScoreUnit()));
            assertEquals(Map.ofEntries(Map.entry(EnergyLabels.J_PER_OP, "J/op"),
                    Map.entry(EnergyLabels.J_PER_IMG, "J/img"), Map.entry(EnergyLabels.NET_J_PER_IMG, "J/img"),
                    Map.entry(EnergyLabels.NAIVE_J_PER_IMG, "J/img"), Map.entry(EnergyLabels.INTERIOR_J_PER_IMG, "J/img"),
                    Map.entry(EnergyLabels.AVG_W, "W"), Map.entry(EnergyLabels.IDLE_W, "W"),
                    Map.entry(EnergyLabels.LIMIT_PCT, "%"), Map.entry(EnergyLabels.XCHECK_PCT, "%"),
                    Map.entry(EnergyLabels.EDGES, "edges"), Map.entry(EnergyLabels.WINDOW_READS_PER_S, "reads/s"),
                    Map.entry(EnergyLabels.SAMPLER_BUSY_PCT, "%"),
                    Map.entry(EnergyLabels.MAX_TEMP_C, "C"), Map.entry(EnergyLabels.SM_CLOCK_MHZ, "MHz"),
                    Map.entry(EnergyLabels.THROTTLE_POWER_PCT, "%"), Map.entry(EnergyLabels.THROTTLE_THERMAL_PCT, "%"),
                    Map.entry(EnergyLabels.OTHER_PROCESSES, "procs"), Map.entry(EnergyLabels.GPU_BUSY_PCT, "%")), units);
            // no busy figure and no slow samples: the labels stand, NaN (JMH would fill a missing one with 0)
            for (String label : List.of(EnergyLabels.GPU_BUSY_PCT, EnergyLabels.MAX_TEMP_C, EnergyLabels.SM_CLOCK_MHZ,
                    EnergyLabels.THROTTLE_POWER_PCT, EnergyLabels.THROTTLE_THERMAL_PCT, EnergyLabels.SAMPLER_BUSY_PCT)) {
                assertTrue(Double.isNaN(r.get(label).getScore()), label);
            }

            double avgW = r.get(EnergyLabels.AVG_W).getScore();
            double imagesPerSecond = batchesPerSecond * 128;
            assertEquals(avgW, imagesPerSecond * r.get(EnergyLabels.J_PER_IMG).getScore(), avgW * 1e-12);
            assertEquals(avgW - 126.0, imagesPerSecond * r.get(EnergyLabels.NET_J_PER_IMG).getScore(), avgW * 1e-12);
            assertEquals(r.get(EnergyLabels.J_PER_OP).getScore() / 128, r.get(EnergyLabels.J_PER_IMG).getScore(), 1e-15);
            assertEquals(100 * avgW / 700, r.get(EnergyLabels.LIMIT_PCT).getScore(), 1e-9);
            assertEquals(0, r.get(EnergyLabels.XCHECK_PCT).getScore(), 1.0);
            assertEquals(78, r.get(EnergyLabels.EDGES).getScore(), 2);  // ~10 steps per second over 7.777 s
            assertEquals(it.samples() / 7.777, r.get(EnergyLabels.WINDOW_READS_PER_S).getScore(), 1e-9);
            assertTrue(it.samples() / 7.777 > 200, "the trace is read ~300 times a second");
            // inside a steady load the steps wholly inside the window give the window's power, within 0.5 %
            assertEquals(1, r.get(EnergyLabels.INTERIOR_J_PER_IMG).getScore() / r.get(EnergyLabels.J_PER_IMG).getScore(), 0.005);
            assertTrue(avgW > 400 && avgW < 700, "ResNet-50 at batch 128 drew " + avgW + " W");
        }
    }

    @Test
    void slowSamplesAndProcesses() throws IOException, IllegalAccessException {
        Trace trace = Trace.load("h100-resnet50-fp16-b128.csv");
        long t0 = trace.firstTime("load") + 1234 * MS;
        WindowState state = WindowState.of(new long[]{t0 + MS}, new long[]{61}, new long[]{1980}, new long[]{0}, t0, t0 + 7_777 * MS)
                .withGpuBusy(87.5);
        IterationEnergy it = IterationEnergy.of(counter(trace), inside(t0, t0 + 7_777 * MS, 20),
                FACTS, state.withOtherProcesses(1));
        Map<String, Result> r = byLabel(it.results());
        // The one place the labels are spelled out: result files on disk carry these spellings, every other test
        // names them through EnergyLabels, and the profiler reports every one of them in a window it measures (the
        // trial adds energy.sampled with interleave=true: TrialTest).
        Set<String> spelled = Set.of("energy.J/op", "energy.J/img", "energy.net-J/img", "energy.naive-J/img",
                "energy.interior-J/img", "energy.avg-W", "energy.idle-W", "energy.limit-%", "energy.xcheck-%",
                "energy.edges", "energy.window-reads-per-s", "energy.sampler-busy-%", "energy.max-temp-C", "energy.sm-clock-MHz",
                "energy.throttle-power-%", "energy.throttle-thermal-%", "energy.other-processes", "energy.gpu-busy-%");
        assertEquals(spelled, r.keySet());
        Set<String> declared = new HashSet<>();
        for (Field f : EnergyLabels.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                declared.add((String) f.get(null));
            }
        }
        Set<String> spelledWithInterleave = new HashSet<>(spelled);
        spelledWithInterleave.add("energy.sampled");
        assertEquals(spelledWithInterleave, declared);
        assertEquals(1980, r.get(EnergyLabels.SM_CLOCK_MHZ).getScore());
        assertEquals(0, r.get(EnergyLabels.THROTTLE_POWER_PCT).getScore());
        assertEquals(0, r.get(EnergyLabels.THROTTLE_THERMAL_PCT).getScore());
        assertEquals(61, r.get(EnergyLabels.MAX_TEMP_C).getScore());
        assertEquals(1, r.get(EnergyLabels.OTHER_PROCESSES).getScore());
        assertEquals(87.5, r.get(EnergyLabels.GPU_BUSY_PCT).getScore());
    }

    @Test
    void withoutARateThePerImageFiguresAndWithoutIdleTheNetFigureAreNaN() throws IOException {
        Trace trace = Trace.load("h100-resnet50-fp16-b128.csv");
        Map<String, Result> noRate = byLabel(iteration(trace, Double.NaN, 126.0).results());
        assertTrue(Double.isNaN(noRate.get(EnergyLabels.J_PER_IMG).getScore()));
        assertTrue(Double.isNaN(noRate.get(EnergyLabels.J_PER_OP).getScore()));
        assertTrue(noRate.get(EnergyLabels.AVG_W).getScore() > 0);
        Map<String, Result> noIdle = byLabel(iteration(trace, 20, Double.NaN).results());
        assertTrue(Double.isNaN(noIdle.get(EnergyLabels.NET_J_PER_IMG).getScore()));
        assertTrue(Double.isNaN(noIdle.get(EnergyLabels.IDLE_W).getScore()));
        assertTrue(noIdle.get(EnergyLabels.J_PER_IMG).getScore() > 0);
        long t0 = trace.firstTime("load") + 1234 * MS;
        Map<String, Result> unknownProcesses = byLabel(IterationEnergy.of(counter(trace), inside(t0, t0 + 7_777 * MS, 20),
                FACTS, NO_SLOW_SAMPLES.withOtherProcesses(-1)).results());
        assertTrue(Double.isNaN(unknownProcesses.get(EnergyLabels.OTHER_PROCESSES).getScore()));
    }

    /** Power is read at ~100 Hz only; without a reading after the window there is no cross-check, but the energy stands. */
    @Test
    void energyStandsWhenThePowerReadingsDoNotCoverTheWindow() throws IOException {
        Trace trace = Trace.load("h100-resnet50-fp16-b128.csv");
        long t0 = trace.firstTime("load") + 1234 * MS, t1 = t0 + 7_777 * MS;
        long[] power = trace.powerMw.clone();
        for (int i = 0; i < power.length; i++) {
            if (trace.t[i] >= t1 - 50 * MS) {
                power[i] = -1; // no reading from 50 ms before the window's end on
            }
        }
        Map<String, Result> full = byLabel(IterationEnergy.of(counter(trace), inside(t0, t1, 20),
                FACTS, NO_SLOW_SAMPLES).results());
        Map<String, Result> cut = byLabel(IterationEnergy.of(new CounterSamples(trace.t, trace.energyMj, power), inside(t0, t1, 20),
                FACTS, NO_SLOW_SAMPLES).results());
        assertTrue(Double.isFinite(full.get(EnergyLabels.XCHECK_PCT).getScore()));
        assertTrue(Double.isNaN(cut.get(EnergyLabels.XCHECK_PCT).getScore()), "no cross-check, and not a 0 % one");
        assertEquals(full.get(EnergyLabels.J_PER_IMG).getScore(), cut.get(EnergyLabels.J_PER_IMG).getScore(), 0.0);
    }

    /**
     * An iteration without energy reports every label with its unit, the energy figures and the edge count NaN (JMH
     * would fill a missing label with 0), the trial's and the window's own figures as they are: the reads the sampler
     * took inside the window and its busy share are known whether or not the window's energy is.
     */
    @Test
    void unknownEnergyKeepsTheLabelsAndUnits() throws IOException {
        IterationEnergy measured = iteration(Trace.load("h100-resnet50-fp16-b128.csv"), 20, 126.0);
        Map<String, Result> normal = byLabel(measured.results());
        Map<String, Result> unknown = byLabel(IterationEnergy.unknown(measured.seconds(), measured.samples(),
                measured.opsPerSecond(), measured.trial(), measured.state(), 0.4).results());
        assertEquals(normal.keySet(), unknown.keySet());
        for (Result r : unknown.values()) {
            assertEquals(normal.get(r.getLabel()).getScoreUnit(), r.getScoreUnit(), r.getLabel());
        }
        for (String label : List.of(EnergyLabels.J_PER_OP, EnergyLabels.J_PER_IMG, EnergyLabels.NET_J_PER_IMG,
                EnergyLabels.NAIVE_J_PER_IMG, EnergyLabels.INTERIOR_J_PER_IMG, EnergyLabels.AVG_W, EnergyLabels.LIMIT_PCT,
                EnergyLabels.XCHECK_PCT, EnergyLabels.EDGES)) {
            assertTrue(Double.isNaN(unknown.get(label).getScore()), label);
        }
        assertEquals(FACTS.idleWatts(), unknown.get(EnergyLabels.IDLE_W).getScore(), 0.0);
        assertEquals(0.4, unknown.get(EnergyLabels.SAMPLER_BUSY_PCT).getScore(), 0.0);
        assertEquals(normal.get(EnergyLabels.WINDOW_READS_PER_S).getScore(), unknown.get(EnergyLabels.WINDOW_READS_PER_S).getScore(), 0.0);
        assertTrue(unknown.get(EnergyLabels.WINDOW_READS_PER_S).getScore() > 200, "the trace is read ~300 times a second");
    }

    /**
     * The ResNet trace's recorder read nothing for 1.09 s after the load: a window across that pause has a counter figure
     * (the steps telescope), but the power integral's straight line from the load's ~560 W down to idle read 26 % above
     * it. Power reads failing inside the load do the same: 150 ms of them (6 of a lean window's reads) still give a
     * cross-check, 300 ms none.
     */
    @Test
    void aGapInThePowerReadingsLeavesNoCrossCheck() throws IOException {
        Trace trace = Trace.load("h100-resnet50-fp16-b128.csv");
        double idleW = trace.counter().averageWatts(trace.firstEdgeNs(), trace.lastTime("idle-before") - 500 * MS);
        long t0 = trace.lastTime("load") - 1_000 * MS, t1 = trace.firstTime("idle-after") + 500 * MS;
        Map<String, Result> r = byLabel(IterationEnergy.of(counter(trace), new IterationEnergy.Window(t0, t1, idleW, 20,
                Sampling.CONTINUOUS), FACTS, NO_SLOW_SAMPLES).results());
        assertTrue(Double.isNaN(r.get(EnergyLabels.XCHECK_PCT).getScore()), "xcheck " + r.get(EnergyLabels.XCHECK_PCT).getScore());
        assertTrue(r.get(EnergyLabels.AVG_W).getScore() > idleW, "avg W " + r.get(EnergyLabels.AVG_W).getScore());

        long a = trace.firstTime("load") + 1234 * MS, b = a + 5_000 * MS;
        for (long failing : new long[]{150 * MS, 300 * MS}) {
            long[] power = trace.powerMw.clone();
            for (int i = 0; i < power.length; i++) {
                if (trace.t[i] > a + 2_000 * MS && trace.t[i] < a + 2_000 * MS + failing) {
                    power[i] = -1;
                }
            }
            double xcheck = byLabel(IterationEnergy.of(new CounterSamples(trace.t, trace.energyMj, power), inside(a, b, 20),
                    FACTS, NO_SLOW_SAMPLES).results()).get(EnergyLabels.XCHECK_PCT).getScore();
            assertEquals(failing < 200 * MS, Double.isFinite(xcheck), failing / MS + " ms of failed reads: xcheck " + xcheck);
        }
    }

    /** JMH fills a label an iteration lacks with 0, so a window too short for interior steps says NaN, not nothing. */
    @Test
    void aWindowWithoutTwoInteriorStepsReportsInteriorAsNaN() throws IOException {
        Trace trace = Trace.load("h100-resnet50-fp16-b128.csv");
        long t0 = trace.firstTime("load") + 1234 * MS;
        Map<String, Result> r = byLabel(IterationEnergy.of(counter(trace), inside(t0, t0 + 60 * MS, 20),
                FACTS, NO_SLOW_SAMPLES).results());
        assertTrue(Double.isNaN(r.get(EnergyLabels.INTERIOR_J_PER_IMG).getScore()), "60 ms hold at most one counter step");
        assertTrue(r.get(EnergyLabels.J_PER_IMG).getScore() > 0);
    }

    /**
     * A 10 ms window in the ResNet trace's idle phase, with an idle baseline read 20 % too high: the part of its counter
     * step outside it takes the whole step at that power. The window's energy is unknown, so IterationEnergy refuses
     * (the trial reports its energy figures NaN, with the reason in one line), not 0 J with a NaN cross-check.
     */
    @Test
    void aWindowTheIdleSplitLeavesNoEnergyHasUnknownEnergyNotZero() throws IOException {
        Trace trace = Trace.load("h100-resnet50-fp16-b128.csv");
        long t0 = trace.firstTime("load") - 1_000 * MS, t1 = t0 + 10 * MS;
        double idleW = trace.counter().averageWatts(trace.firstEdgeNs(), trace.lastTime("idle-before") - 500 * MS);
        IterationEnergy.Window measured = new IterationEnergy.Window(t0, t1, idleW, 20, Sampling.CONTINUOUS);
        assertEquals(idleW, byLabel(IterationEnergy.of(counter(trace), measured, FACTS, NO_SLOW_SAMPLES).results())
                .get(EnergyLabels.AVG_W).getScore(), 0.25 * idleW);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IterationEnergy.of(counter(trace),
                new IterationEnergy.Window(t0, t1, 1.2 * idleW, 20, Sampling.CONTINUOUS), FACTS, NO_SLOW_SAMPLES));
        assertTrue(e.getMessage().contains("not what the GPU drew around this window"), e.getMessage());
    }
}
