package gpuenergy.energy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The counter-edge method on NVML traces recorded on an H100 (tools/record_nvml_trace.py, polled as fast
 * as pynvml allows, ~300 Hz): ResNet-50 FP16 at batch 128 (~560 W) and MobileNetV3 FP16 at batch 1
 * (barely above idle). The field-186 power integral is the independent reference.
 */
class EnergyCounterWindowTraceTest {
    private static final long SECOND = 1_000_000_000L;

    @ParameterizedTest
    @ValueSource(strings = {"h100-resnet50-fp16-b128.csv", "h100-mobilenetv3-fp16-b1.csv"})
    void counterStepsAboutEvery100Ms(String file) throws IOException {
        Trace trace = Trace.load(file);
        EnergyCounterWindow counter = trace.counter();
        assertEquals(100, trace.medianEdgeIntervalMs(), 10, "median edge interval");
        long start = trace.firstTime("load");
        for (long w0 = start; w0 + SECOND <= trace.lastTime("load"); w0 += SECOND) {
            int edges = counter.edgesWithin(w0, w0 + SECOND);
            assertTrue(edges >= 9 && edges <= 11, "edges in a 1 s window: " + edges);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h100-resnet50-fp16-b128.csv", "h100-mobilenetv3-fp16-b1.csv"})
    void oneSecondWindowsSumToTheWholeLoadWindow(String file) throws IOException {
        Trace trace = Trace.load(file);
        EnergyCounterWindow counter = trace.counter();
        long a = trace.firstTime("load"), b = trace.lastTime("load");
        double sum = 0;
        int windows = 0;
        for (long w0 = a; w0 < b; w0 += SECOND, windows++) {
            sum += counter.joules(w0, Math.min(b, w0 + SECOND));
        }
        double whole = counter.joules(a, b);
        assertTrue(windows >= 8, "load phase shorter than 8 s");
        assertEquals(whole, sum, whole * 1e-12);
        assertEquals((counter.millijoulesAt(b) - counter.millijoulesAt(a)) / 1000, whole, whole * 1e-12);
    }

    /**
     * Windows that are not a multiple of the counter's 100 ms period end at different phases of its
     * staircase, so reading the counter twice is off by up to a step's energy (~10 % of a second's energy).
     * The edge method is not. (Windows of exactly 1 s would hide this: both ends at the same phase.)
     */
    @ParameterizedTest
    @ValueSource(strings = {"h100-resnet50-fp16-b128.csv", "h100-mobilenetv3-fp16-b1.csv"})
    void naiveDifferencesAreOffByFarMoreThanTheEdgeMethod(String file) throws IOException {
        Trace trace = Trace.load(file);
        EnergyCounterWindow counter = trace.counter();
        long a = trace.firstTime("load"), b = trace.lastTime("load");
        for (long length : new long[]{1_050_000_000L, 970_000_000L}) {
            double edgeError = 0, naiveError = 0;
            int n = 0;
            for (long w0 = a; w0 + length <= b; w0 += length, n++) {
                double power = PowerIntegral.joules(trace.t, trace.powerMw, trace.size(), w0, w0 + length);
                edgeError += Math.abs(counter.joules(w0, w0 + length) - power) / power;
                naiveError += Math.abs(counter.naiveJoules(w0, w0 + length) - power) / power;
            }
            edgeError /= n;
            naiveError /= n;
            assertTrue(edgeError < 0.01, "edge method mean error " + edgeError);
            assertTrue(naiveError > 3 * edgeError, "naive " + naiveError + " vs edge " + edgeError);
        }
    }

    /**
     * The end-step split is right only when the GPU idles outside the window. Inside a continuous load (busy on both
     * sides, as when a window starts right after a warmup iteration without a pause) it credits the window with the
     * load energy of the straddling steps and overcounts; linear interpolation does not. Hence the profiler pauses
     * after every iteration, warmup included, until the counter has stepped past its end.
     */
    @ParameterizedTest
    @ValueSource(strings = {"h100-resnet50-fp16-b128.csv"})
    void splittingWithIdlePowerOvercountsAWindowWithLoadOnBothSides(String file) throws IOException {
        Trace trace = Trace.load(file);
        EnergyCounterWindow counter = trace.counter();
        double idleW = counter.averageWatts(trace.firstEdgeNs(), trace.lastTime("idle-before") - SECOND / 2);
        long a = trace.firstTime("load") + SECOND / 2, b = trace.lastTime("load"), length = 1_050_000_000L;
        double split = 0, linear = 0, readings = 0;
        for (long w0 = a; w0 + length <= b; w0 += length) {
            split += counter.joules(w0, w0 + length, idleW, idleW);
            linear += counter.joules(w0, w0 + length);
            readings += PowerIntegral.joules(trace.t, trace.powerMw, trace.size(), w0, w0 + length);
        }
        assertEquals(1, linear / readings, 0.01);
        assertTrue(split / readings > 1.02, "split with idle outside over a busy outside: " + split / readings);
    }

    /** Inside a steady load, the steps wholly inside a 1.05 s window give its power as well as the edge method. */
    @ParameterizedTest
    @ValueSource(strings = {"h100-resnet50-fp16-b128.csv", "h100-mobilenetv3-fp16-b1.csv"})
    void interiorPowerOfOneSecondWindowsMatchesThePowerReadings(String file) throws IOException {
        Trace trace = Trace.load(file);
        EnergyCounterWindow counter = trace.counter();
        long a = trace.firstTime("load") + SECOND / 2, b = trace.lastTime("load"), length = 1_050_000_000L;
        double error = 0;
        int n = 0;
        for (long w0 = a; w0 + length <= b; w0 += length, n++) {
            double readings = PowerIntegral.joules(trace.t, trace.powerMw, trace.size(), w0, w0 + length) / (length / 1e9);
            error += Math.abs(counter.interiorWatts(w0, w0 + length) - readings) / readings;
        }
        assertTrue(n >= 6, "windows: " + n);
        assertTrue(error / n < 0.01, "interior power mean error " + error / n);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h100-resnet50-fp16-b128.csv", "h100-mobilenetv3-fp16-b1.csv"})
    void powerIntegralAgreesWithTheCounterOverTheLoadWindow(String file) throws IOException {
        Trace trace = Trace.load(file);
        long a = trace.firstTime("load"), b = trace.lastTime("load");
        double counterJ = trace.counter().joules(a, b);
        double powerJ = PowerIntegral.joules(trace.t, trace.powerMw, trace.size(), a, b);
        assertEquals(0, PowerIntegral.divergencePercent(powerJ, counterJ), 1.0);
    }

    /** Idle power over the idle phase, ending 0.5 s before the load so its counter step holds no load. */
    @ParameterizedTest
    @ValueSource(strings = {"h100-resnet50-fp16-b128.csv", "h100-mobilenetv3-fp16-b1.csv"})
    void idlePowerFromTheIdlePhase(String file) throws IOException {
        Trace trace = Trace.load(file);
        EnergyCounterWindow counter = trace.counter();
        long t0 = trace.firstEdgeNs(), t1 = trace.lastTime("idle-before") - SECOND / 2;
        double idleW = counter.averageWatts(t0, t1);
        double meanReading = QuietPower.meanWatts(trace.t, trace.powerMw, trace.size(), t0, t1);
        assertEquals(meanReading, idleW, meanReading * 0.01);
        double loadW = counter.averageWatts(trace.firstTime("load"), trace.lastTime("load"));
        assertTrue(loadW > idleW, "load " + loadW + " W not above idle " + idleW + " W");
    }

    @ParameterizedTest
    @ValueSource(strings = {"h100-resnet50-fp16-b128.csv", "h100-mobilenetv3-fp16-b1.csv"})
    void pollingAt200HzChangesTheEnergyByLessThanHalfAPercent(String file) throws IOException {
        Trace trace = Trace.load(file);
        Trace slow = trace.decimated(200);
        long a = trace.firstTime("load"), b = trace.lastTime("load");
        assertTrue(slow.size() <= (trace.t[trace.size() - 1] - trace.t[0]) / 5_000_000L + 1, "not decimated");
        assertTrue(slow.size() < trace.size() * 0.8, "decimation dropped too few samples to mean anything");
        double full = trace.counter().joules(a, b);
        assertEquals(full, slow.counter().joules(a, b), full * 0.005);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h100-resnet50-fp16-b128.csv"})
    void refusesAWindowTheEdgesDoNotBracket(String file) throws IOException {
        Trace trace = Trace.load(file);
        EnergyCounterWindow counter = trace.counter();
        long beforeFirstEdge = trace.t[0];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> counter.joules(beforeFirstEdge, trace.lastTime("load")));
        assertTrue(e.getMessage().startsWith("no counter edge"), e.getMessage());
        long last = trace.t[trace.size() - 1];
        assertThrows(IllegalArgumentException.class, () -> counter.joules(trace.firstTime("load"), last + 1));
    }

    /**
     * 10 ms windows in the idle phase, every 3 ms through the staircase: split with the idle power, each keeps its own
     * small energy, 10 ms at about that power; with a baseline read 20 % too high, the part of each window's step outside
     * it takes the whole step, and the window's energy is unknown, not 0. Over 1 s windows the same baseline only clamps
     * the end steps' shares: the whole steps inside stand.
     */
    @ParameterizedTest
    @ValueSource(strings = {"h100-resnet50-fp16-b128.csv", "h100-mobilenetv3-fp16-b1.csv"})
    void aBaselineTooHighForAShortWindowLeavesItsEnergyUnknown(String file) throws IOException {
        Trace trace = Trace.load(file);
        EnergyCounterWindow counter = trace.counter();
        long from = trace.firstEdgeNs(), to = trace.lastTime("idle-before") - SECOND / 2, length = 10_000_000L;
        double idleW = counter.averageWatts(from, to);
        int windows = 0;
        for (long start = from + 5_000_000L; start + length <= to; start += 3_000_000L, windows++) {
            long t0 = start, t1 = start + length;
            assertEquals(idleW * 0.010, counter.joules(t0, t1, idleW, idleW), idleW * 0.010 * 0.25, "window at " + t0);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> counter.joules(t0, t1, 1.2 * idleW, 1.2 * idleW));
            assertTrue(e.getMessage().contains("not what the GPU drew around this window"), e.getMessage());
        }
        assertTrue(windows > 500, "windows: " + windows);
        for (long t0 = from; t0 + SECOND <= to; t0 += 37_000_000L) {
            double joules = counter.joules(t0, t0 + SECOND, 1.2 * idleW, 1.2 * idleW);
            assertTrue(joules > 0.75 * idleW && joules <= counter.joules(t0, t0 + SECOND, idleW, idleW),
                    joules + " J in 1 s at " + idleW + " W");
        }
    }

    /** After the load the H100 holds ~130 W for a second or two, then drops to ~80 W: the drop is not quiet. */
    @ParameterizedTest
    @ValueSource(strings = {"h100-resnet50-fp16-b128.csv", "h100-mobilenetv3-fp16-b1.csv"})
    void quietDetectionSeesThePowerDropAfterTheLoad(String file) throws IOException {
        Trace trace = Trace.load(file);
        assertTrue(QuietPower.isQuiet(trace.t, trace.powerMw, trace.size(), trace.lastTime("idle-before")));
        long start = trace.firstTime("idle-after"), end = trace.lastTime("idle-after");
        boolean sawChange = false;
        for (long now = start + SECOND; now <= end; now += SECOND / 10) {
            sawChange |= !QuietPower.isQuiet(trace.t, trace.powerMw, trace.size(), now);
        }
        assertTrue(sawChange, "the drop after the load went unnoticed");
        double before = QuietPower.meanWatts(trace.t, trace.powerMw, trace.size(), start, start + SECOND);
        double after = QuietPower.meanWatts(trace.t, trace.powerMw, trace.size(), end - SECOND, end);
        assertFalse(QuietPower.agree(before, after), before + " W vs " + after + " W");
    }

    /** The ResNet trace's idle-after phase ends with two flat seconds at the low level: quiet again. */
    @ParameterizedTest
    @ValueSource(strings = {"h100-resnet50-fp16-b128.csv"})
    void quietAgainOnceThePowerHasSettled(String file) throws IOException {
        Trace trace = Trace.load(file);
        long end = trace.lastTime("idle-after");
        assertTrue(QuietPower.isQuiet(trace.t, trace.powerMw, trace.size(), end));
        double settled = QuietPower.meanWatts(trace.t, trace.powerMw, trace.size(), end - SECOND, end);
        double earlier = QuietPower.meanWatts(trace.t, trace.powerMw, trace.size(), end - 2 * SECOND, end - SECOND);
        assertTrue(QuietPower.agree(settled, earlier), settled + " W vs " + earlier + " W");
    }

    /**
     * A window that starts when the load starts, as a JMH iteration does after the GPU idled between
     * iterations: the counter step straddling the start mixes idle and load. Linear interpolation spreads it
     * evenly and underestimates the window; splitting it with the known idle power before the window does not.
     * Reference: the load's steady power, from whole steps 1 s after the start to 1 s before the end.
     */
    @org.junit.jupiter.api.Test
    void splittingTheStraddlingStepWithTheIdlePowerRemovesMostOfTheStartBias() throws IOException {
        Trace trace = Trace.load("h100-resnet50-fp16-b128.csv");
        EnergyCounterWindow counter = trace.counter();
        long start = trace.firstTime("load"), end = trace.lastTime("load");
        double idleW = counter.averageWatts(trace.firstEdgeNs(), trace.lastTime("idle-before") - SECOND / 2);
        double steadyW = counter.averageWatts(start + SECOND, end - SECOND);
        long t1 = start + SECOND;
        double linearW = counter.joules(start, t1);
        double splitW = counter.joules(start, t1, idleW, Double.NaN); // after t1 the load goes on: linear there
        double linearError = Math.abs(linearW - steadyW) / steadyW, splitError = Math.abs(splitW - steadyW) / steadyW;
        assertTrue(linearError > 0.025, "linear " + linearW + " W vs steady " + steadyW + " W");
        assertTrue(splitError < 0.02 && splitError < linearError / 1.5,
                "split " + splitW + " W, linear " + linearW + " W, steady " + steadyW + " W");
    }
}
