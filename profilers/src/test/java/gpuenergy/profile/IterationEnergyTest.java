package gpuenergy.profile;

import gpuenergy.energy.Trace;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.Result;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
        return new IterationEnergy.Window(t0, t1, Double.NaN, opsPerSecond);
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

    @Test
    void labelsUnitsAndTheInvariant() throws IOException {
        Trace trace = Trace.load("h100-resnet50-fp16-b128.csv");
        for (double batchesPerSecond : new double[]{2.5, 23.9, 40}) {
            IterationEnergy it = iteration(trace, batchesPerSecond, 126.0);
            Map<String, Result> r = byLabel(it.results());
            Map<String, String> units = new LinkedHashMap<>();
            r.forEach((label, result) -> units.put(label, result.getScoreUnit()));
            assertEquals(Map.ofEntries(Map.entry("energy.J/op", "J/op"), Map.entry("energy.J/img", "J/img"),
                    Map.entry("energy.net-J/img", "J/img"), Map.entry("energy.naive-J/img", "J/img"),
                    Map.entry("energy.interior-J/img", "J/img"), Map.entry("energy.avg-W", "W"), Map.entry("energy.idle-W", "W"), Map.entry("energy.limit-%", "%"),
                    Map.entry("energy.xcheck-%", "%"), Map.entry("energy.edges", "edges"),
                    Map.entry("energy.window-reads-per-s", "reads/s"), Map.entry("energy.max-temp-C", "C"),
                    Map.entry("energy.sm-clock-MHz", "MHz"), Map.entry("energy.throttle-power-%", "%"),
                    Map.entry("energy.throttle-thermal-%", "%"),
                    Map.entry("energy.other-processes", "procs"), Map.entry("energy.gpu-busy-%", "%")), units);
            // no busy figure and no slow samples: the labels stand, NaN (JMH would fill a missing one with 0)
            for (String label : List.of("energy.gpu-busy-%", "energy.max-temp-C", "energy.sm-clock-MHz",
                    "energy.throttle-power-%", "energy.throttle-thermal-%")) {
                assertTrue(Double.isNaN(r.get(label).getScore()), label);
            }

            double avgW = r.get("energy.avg-W").getScore();
            double imagesPerSecond = batchesPerSecond * 128;
            assertEquals(avgW, imagesPerSecond * r.get("energy.J/img").getScore(), avgW * 1e-12);
            assertEquals(avgW - 126.0, imagesPerSecond * r.get("energy.net-J/img").getScore(), avgW * 1e-12);
            assertEquals(r.get("energy.J/op").getScore() / 128, r.get("energy.J/img").getScore(), 1e-15);
            assertEquals(100 * avgW / 700, r.get("energy.limit-%").getScore(), 1e-9);
            assertEquals(0, r.get("energy.xcheck-%").getScore(), 1.0);
            assertEquals(78, r.get("energy.edges").getScore(), 2);  // ~10 steps per second over 7.777 s
            assertEquals(it.samples() / 7.777, r.get("energy.window-reads-per-s").getScore(), 1e-9);
            assertTrue(it.samples() / 7.777 > 200, "the trace is read ~300 times a second");
            // inside a steady load the steps wholly inside the window give the window's power, within 0.5 %
            assertEquals(1, r.get("energy.interior-J/img").getScore() / r.get("energy.J/img").getScore(), 0.005);
            assertTrue(avgW > 400 && avgW < 700, "ResNet-50 at batch 128 drew " + avgW + " W");
        }
    }

    @Test
    void slowSamplesAndProcesses() throws IOException {
        Trace trace = Trace.load("h100-resnet50-fp16-b128.csv");
        long t0 = trace.firstTime("load") + 1234 * MS;
        WindowState state = WindowState.of(new long[]{t0 + MS}, new long[]{61}, new long[]{1980}, new long[]{0}, t0, t0 + 7_777 * MS)
                .withGpuBusy(87.5);
        IterationEnergy it = IterationEnergy.of(counter(trace), inside(t0, t0 + 7_777 * MS, 20),
                FACTS, state.withOtherProcesses(1));
        Map<String, Result> r = byLabel(it.results());
        assertEquals(17, r.size());  // every label of the result-format contract
        assertEquals(1980, r.get("energy.sm-clock-MHz").getScore());
        assertEquals(0, r.get("energy.throttle-power-%").getScore());
        assertEquals(0, r.get("energy.throttle-thermal-%").getScore());
        assertEquals(61, r.get("energy.max-temp-C").getScore());
        assertEquals(1, r.get("energy.other-processes").getScore());
        assertEquals(87.5, r.get("energy.gpu-busy-%").getScore());
    }

    @Test
    void withoutARateThePerImageFiguresAndWithoutIdleTheNetFigureAreNaN() throws IOException {
        Trace trace = Trace.load("h100-resnet50-fp16-b128.csv");
        Map<String, Result> noRate = byLabel(iteration(trace, Double.NaN, 126.0).results());
        assertTrue(Double.isNaN(noRate.get("energy.J/img").getScore()));
        assertTrue(Double.isNaN(noRate.get("energy.J/op").getScore()));
        assertTrue(noRate.get("energy.avg-W").getScore() > 0);
        Map<String, Result> noIdle = byLabel(iteration(trace, 20, Double.NaN).results());
        assertTrue(Double.isNaN(noIdle.get("energy.net-J/img").getScore()));
        assertTrue(Double.isNaN(noIdle.get("energy.idle-W").getScore()));
        assertTrue(noIdle.get("energy.J/img").getScore() > 0);
        long t0 = trace.firstTime("load") + 1234 * MS;
        Map<String, Result> unknownProcesses = byLabel(IterationEnergy.of(counter(trace), inside(t0, t0 + 7_777 * MS, 20),
                FACTS, NO_SLOW_SAMPLES.withOtherProcesses(-1)).results());
        assertTrue(Double.isNaN(unknownProcesses.get("energy.other-processes").getScore()));
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
        assertTrue(Double.isFinite(full.get("energy.xcheck-%").getScore()));
        assertTrue(Double.isNaN(cut.get("energy.xcheck-%").getScore()), "no cross-check, and not a 0 % one");
        assertEquals(full.get("energy.J/img").getScore(), cut.get("energy.J/img").getScore(), 0.0);
    }

    /**
     * An iteration without energy reports every label with its unit, the energy figures NaN (JMH would fill a missing
     * label with 0), the trial's and the window's own figures as they are.
     */
    @Test
    void unknownEnergyKeepsTheLabelsAndUnits() throws IOException {
        IterationEnergy measured = iteration(Trace.load("h100-resnet50-fp16-b128.csv"), 20, 126.0);
        Map<String, Result> normal = byLabel(measured.results());
        Map<String, Result> unknown = byLabel(IterationEnergy.unknown(measured.seconds(), measured.opsPerSecond(),
                measured.trial(), measured.state()).results());
        assertEquals(normal.keySet(), unknown.keySet());
        for (Result r : unknown.values()) {
            assertEquals(normal.get(r.getLabel()).getScoreUnit(), r.getScoreUnit(), r.getLabel());
        }
        for (String label : List.of(EnergyLabels.J_PER_OP, EnergyLabels.J_PER_IMG, EnergyLabels.NET_J_PER_IMG,
                EnergyLabels.NAIVE_J_PER_IMG, EnergyLabels.INTERIOR_J_PER_IMG, EnergyLabels.AVG_W, EnergyLabels.LIMIT_PCT,
                EnergyLabels.XCHECK_PCT, EnergyLabels.EDGES, EnergyLabels.WINDOW_READS_PER_S)) {
            assertTrue(Double.isNaN(unknown.get(label).getScore()), label);
        }
        assertEquals(FACTS.idleWatts(), unknown.get(EnergyLabels.IDLE_W).getScore(), 0.0);
    }

    /** Every label the contract names is in every iteration's results, so JMH never fills one with 0. */
    @Test
    void everyIterationReportsEveryLabel() throws IOException {
        Map<String, Result> r = byLabel(iteration(Trace.load("h100-resnet50-fp16-b128.csv"), 20, 126.0).results());
        for (Field f : EnergyLabels.class.getFields()) {
            if (f.getType() == String.class && Modifier.isStatic(f.getModifiers())) {
                try {
                    assertTrue(r.containsKey((String) f.get(null)), f.getName());
                } catch (IllegalAccessException e) {
                    throw new AssertionError(e);
                }
            }
        }
    }

    /** JMH fills a label an iteration lacks with 0, so a window too short for interior steps says NaN, not nothing. */
    @Test
    void aWindowWithoutTwoInteriorStepsReportsInteriorAsNaN() throws IOException {
        Trace trace = Trace.load("h100-resnet50-fp16-b128.csv");
        long t0 = trace.firstTime("load") + 1234 * MS;
        Map<String, Result> r = byLabel(IterationEnergy.of(counter(trace), inside(t0, t0 + 60 * MS, 20),
                FACTS, NO_SLOW_SAMPLES).results());
        assertTrue(Double.isNaN(r.get("energy.interior-J/img").getScore()), "60 ms hold at most one counter step");
        assertTrue(r.get("energy.J/img").getScore() > 0);
    }
}
