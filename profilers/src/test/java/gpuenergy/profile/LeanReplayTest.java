package gpuenergy.profile;

import gpuenergy.energy.PowerIntegral;
import gpuenergy.energy.Trace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Recorded traces replayed as {@code sampling=lean} would have read them, by the sampler's own policy
 * ({@link Sampling#readsFast}, {@link Sampling#due}): every read outside the window and inside it up to the first
 * read at or after t0; then a tick every {@link Sampling#LEAN_TICK_NS} (the trace's first read at or after it), keeping
 * the counter on the ticks where it is due ({@link Sampling#LEAN_COUNTER_PERIOD_NS}) and the power on each. Each
 * window's figures are computed from the full-rate trace (as continuous sampling) and from its lean replay: the H100
 * traces with synthetic windows at every phase of the counter's staircase, the H200 ones at their real JMH windows.
 */
class LeanReplayTest {
    private static final long MS = 1_000_000L;
    private static final TrialFacts FACTS = new TrialFacts(1, Double.NaN, 700);

    /** The reads the lean (or ends, or quiet) sampler takes with the window [t0, t1] open. */
    static CounterSamples leanReplay(long[] tNs, long[] energyMj, long[] powerMw, long t0, long t1, Sampling sampling) {
        int n = tNs.length;
        long[] t = new long[n], mj = new long[n], mw = new long[n];
        int k = 0;
        long lastCounter = Long.MIN_VALUE / 2, nextTick = Long.MIN_VALUE / 2;
        for (int i = 0; i < n; i++) {
            long ti = tNs[i];
            if (Sampling.readsFast(ti >= t0 && ti < t1, t0, lastCounter)) {
                t[k] = ti;
                mj[k] = energyMj[i];
                mw[k++] = powerMw[i];
                lastCounter = ti;
                nextTick = ti + 1; // the slow ticks start right after the last fast one
            } else if (sampling.readsInside() && ti >= nextTick) {
                boolean counter = Sampling.due(ti, lastCounter, sampling.counterPeriodInsideNs(), Sampling.LEAN_TICK_NS);
                t[k] = ti;
                mj[k] = counter ? energyMj[i] : -1;
                mw[k++] = powerMw[i];
                lastCounter = counter ? ti : lastCounter;
                nextTick = ti - nextTick > Sampling.LEAN_TICK_NS ? ti + Sampling.LEAN_TICK_NS : nextTick + Sampling.LEAN_TICK_NS;
            }
        }
        return new CounterSamples(Arrays.copyOf(t, k), Arrays.copyOf(mj, k), Arrays.copyOf(mw, k));
    }

    static CounterSamples leanReplay(Trace trace, long t0, long t1, Sampling sampling) {
        return leanReplay(trace.t, trace.energyMj, trace.powerMw, t0, t1, sampling);
    }

    private static CounterSamples full(Trace trace) {
        return new CounterSamples(trace.t, trace.energyMj, trace.powerMw);
    }

    private static IterationEnergy energy(CounterSamples s, long t0, long t1, double outsideWatts) {
        return energy(s, t0, t1, outsideWatts, Sampling.LEAN);
    }

    private static IterationEnergy energy(CounterSamples s, long t0, long t1, double outsideWatts, Sampling polled) {
        return IterationEnergy.of(s, new IterationEnergy.Window(t0, t1, outsideWatts, 1, polled), FACTS,
                WindowState.of(new long[0], new long[0], new long[0], new long[0], t0, t1));
    }

    /** The first sample at or after t: how soon after a window's end the replay reads again. */
    private static long firstReadAtOrAfter(Trace trace, long t) {
        int i = Arrays.binarySearch(trace.t, t);
        return trace.t[i >= 0 ? i : -i - 1];
    }

    /** The largest counter change between two consecutive samples in [t - span, t + span], joules. */
    private static double largestChangeNear(Trace trace, long t, long span) {
        double max = 0;
        for (int i = 1; i < trace.size(); i++) {
            if (trace.t[i] >= t - span && trace.t[i - 1] <= t + span) {
                max = Math.max(max, (trace.energyMj[i] - trace.energyMj[i - 1]) / 1000.0);
            }
        }
        return max;
    }

    /**
     * Windows as JMH's iterations hold them, with the GPU idle outside: opening 0-95 ms before the load starts and
     * closing 0-95 ms into the idle after it, so that their ends fall at every phase of the 100 ms staircase. The
     * end-step split (J/img with the idle baseline) uses the times of edges a (read fast up to t0) and b (after the
     * close) and only the values of the edges inside, so the lean figure is the continuous one; what can move is edge
     * b, by the replay's first read after t1 (here the trace's next sample; the profiler wakes the sampler on the
     * close): by at most the idle power over that delay. It does in 20 of the 800 windows: the MobileNet trace's reads
     * stall for 22 ms just after those ends (0.13 %). {@code sampling=ends} reads no counter inside after edge a, so the
     * steps inside merge into one; its figure is the continuous one in all 800. Without the idle baseline the ends are
     * linear and use edge b-1's time: there lean would move the energy in most windows, which is why measured windows are
     * then read fast.
     */
    @ParameterizedTest
    @ValueSource(strings = {"h100-resnet50-fp16-b128.csv", "h100-mobilenetv3-fp16-b1.csv"})
    void theSplitEnergyOfAWindowIsTheContinuousFigure(String file) throws IOException {
        Trace trace = Trace.load(file);
        double idleW = trace.counter().averageWatts(trace.firstEdgeNs(), trace.lastTime("idle-before") - 500 * MS);
        int windows = 0, same = 0, sameEnds = 0, linearMoved = 0;
        double maxSplit = 0;
        for (long x = 0; x < 100 * MS; x += 5 * MS) {
            for (long y = 0; y < 100 * MS; y += 5 * MS, windows++) {
                long t0 = trace.firstTime("load") - x, t1 = trace.firstTime("idle-after") + y;
                CounterSamples lean = leanReplay(trace, t0, t1, Sampling.LEAN);
                IterationEnergy f = energy(full(trace), t0, t1, idleW), l = energy(lean, t0, t1, idleW);
                double diff = Math.abs(l.counterJoules() - f.counterJoules());
                double bound = idleW * (firstReadAtOrAfter(trace, t1) - t1) / 1e9;
                assertTrue(diff <= bound + 1e-9 * f.counterJoules(), String.format(Locale.ROOT,
                        "x=%d ms y=%d ms: lean %.4f J, continuous %.4f J, bound %.4f J", x / MS, y / MS,
                        l.counterJoules(), f.counterJoules(), bound));
                // ends: no counter read inside, the steps there merge into one, and the window's energy is lean's
                IterationEnergy e = energy(leanReplay(trace, t0, t1, Sampling.ENDS), t0, t1, idleW, Sampling.ENDS);
                double endsDiff = Math.abs(e.counterJoules() - f.counterJoules());
                assertTrue(endsDiff <= bound + 1e-9 * f.counterJoules(), String.format(Locale.ROOT,
                        "x=%d ms y=%d ms: ends %.4f J, continuous %.4f J", x / MS, y / MS, e.counterJoules(), f.counterJoules()));
                sameEnds += endsDiff <= 1e-9 * f.counterJoules() ? 1 : 0;
                assertTrue(e.samplesPerSecond() < 3 && Double.isNaN(e.interiorWatts()) && e.edges() == -1,
                        "ends: " + e.samplesPerSecond() + " counter reads/s inside, interior " + e.interiorWatts());
                same += diff <= 1e-9 * f.counterJoules() ? 1 : 0;
                maxSplit = Math.max(maxSplit, diff / f.counterJoules());
                // naive: the samples nearest t0 and t1 are fast reads in both; they may lie on either side of one step
                double oneStepEachEnd = largestChangeNear(trace, t0, 30 * MS) + largestChangeNear(trace, t1, 30 * MS);
                assertTrue(Math.abs(l.naiveJoules() - f.naiveJoules()) <= oneStepEachEnd,
                        "naive " + l.naiveJoules() + " J vs " + f.naiveJoules() + " J");
                assertTrue(l.samplesPerSecond() < 15 && f.samplesPerSecond() > 150,
                        "window reads/s: lean " + l.samplesPerSecond() + ", continuous " + f.samplesPerSecond());
                // without the idle baseline the end is linear between b-1 and b, and b-1 is a slow read's edge
                IterationEnergy fl = energy(full(trace), t0, t1, Double.NaN), ll = energy(lean, t0, t1, Double.NaN);
                double linear = Math.abs(ll.counterJoules() / fl.counterJoules() - 1);
                linearMoved += linear > 1e-4 ? 1 : 0;
            }
        }
        assertTrue(same >= 0.9 * windows, same + " of " + windows + " windows equal");
        assertEquals(windows, sameEnds, "ends equal to continuous in " + sameEnds + " of " + windows + " windows");
        assertTrue(maxSplit < 2e-3, "split " + maxSplit);
        assertTrue(linearMoved >= windows / 4, "linear ends moved > 1e-4 in only " + linearMoved + " of " + windows
                + " windows: then the sampler would not need to read fast without an idle baseline");
    }

    /**
     * The windows of {@link #theSplitEnergyOfAWindowIsTheContinuousFigure} with a baseline read 50 % too high on one side.
     * Before t0, ends' first step holds every step up to the window's end and absorbs what lean's start step, clamped at
     * zero, cannot: ends comes out lower than lean, by less than one step's energy at that power. After t1 both split
     * the same one step (its start's value is the counter before it in both) and clamp it alike: equal wherever they are
     * with the measured baseline (not in the MobileNet trace's 20 windows that end at its 22 ms stall of reads).
     */
    @ParameterizedTest
    @ValueSource(strings = {"h100-resnet50-fp16-b128.csv", "h100-mobilenetv3-fp16-b1.csv"})
    void aBaselineTooHighMovesEndsFromLeanOnlyAtTheWindowsStart(String file) throws IOException {
        Trace trace = Trace.load(file);
        double idleW = trace.counter().averageWatts(trace.firstEdgeNs(), trace.lastTime("idle-before") - 500 * MS);
        double high = 1.5 * idleW;
        int compared = 0, lowerAtStart = 0;
        for (long x = 0; x < 100 * MS; x += 5 * MS) {
            for (long y = 0; y < 100 * MS; y += 5 * MS) {
                long t0 = trace.firstTime("load") - x, t1 = trace.firstTime("idle-after") + y;
                var lean = leanReplay(trace, t0, t1, Sampling.LEAN).counter(t0, t1);
                var ends = leanReplay(trace, t0, t1, Sampling.ENDS).counter(t0, t1);
                double leanJ = lean.joules(t0, t1, idleW, idleW);
                if (Math.abs(ends.joules(t0, t1, idleW, idleW) - leanJ) > 1e-9 * leanJ) {
                    continue;
                }
                compared++;
                assertEquals(lean.joules(t0, t1, idleW, high), ends.joules(t0, t1, idleW, high), 1e-9 * leanJ,
                        "x=" + x / MS + " ms y=" + y / MS + " ms, too high after t1");
                double startLean = lean.joules(t0, t1, high, idleW), startEnds = ends.joules(t0, t1, high, idleW);
                assertTrue(startEnds <= startLean + 1e-9 * leanJ && startLean - startEnds < high * 0.110,
                        "x=" + x / MS + " ms y=" + y / MS + " ms, too high before t0: ends " + startEnds + " J, lean " + startLean + " J");
                lowerAtStart += startLean - startEnds > 1e-9 * leanJ ? 1 : 0;
            }
        }
        assertTrue(compared >= 380, "compared " + compared);
        assertTrue(lowerAtStart > compared / 4, "ends lower than lean in " + lowerAtStart + " of " + compared);
    }

    /**
     * Windows inside the load (1.05 s and 5.05 s, at offsets through the staircase; no gap in the trace's reads):
     * every counter step is still seen (the counter's period is below the shortest step interval), the interior figure
     * moves by no more than its end edges' ±37.5 ms each allow (up to 0.076 s of its span here), and the power
     * integral by what reading the power 40 times a second instead of ~300 changes: at most 0.20 % (1.05 s) and 0.06 %
     * (5.05 s) on ResNet-50 b128, 0.02 % and 0.01 % on MobileNetV3 b1.
     */
    @ParameterizedTest
    @ValueSource(strings = {"h100-resnet50-fp16-b128.csv", "h100-mobilenetv3-fp16-b1.csv"})
    void insideTheLoadEveryStepIsSeenAndInteriorMovesWithinItsBound(String file) throws IOException {
        Trace trace = Trace.load(file);
        long loadStart = trace.firstTime("load"), loadEnd = trace.lastTime("load");
        double maxPower1 = 0, maxPower5 = 0, maxInteriorSeconds = 0;
        int windows = 0, sameEdges = 0;
        for (long length : new long[]{1_050 * MS, 5_050 * MS}) {
            for (long t0 = loadStart + 200 * MS; t0 + length <= loadEnd - 100 * MS; t0 += 37 * MS, windows++) {
                long t1 = t0 + length;
                CounterSamples lean = leanReplay(trace, t0, t1, Sampling.LEAN);
                IterationEnergy f = energy(full(trace), t0, t1, Double.NaN), l = energy(lean, t0, t1, Double.NaN);
                // a step within the first read's delay of t1 can land on either side, as in continuous
                assertEquals(f.edges(), l.edges(), 1, "edges in [" + t0 + ", " + t1 + "]");
                sameEdges += f.edges() == l.edges() ? 1 : 0;
                double interior = Math.abs(l.interiorWatts() / f.interiorWatts() - 1);
                double span = (length - 200 * MS) / 1e9; // a+1 within 100 ms after t0, b-1 within 100 ms before t1
                // each of a+1 and b-1 placed by counter reads 75 ms apart: ±37.5 ms, and a few ms of the trace's own
                assertTrue(interior <= 0.085 / span, "interior moved " + interior + " over a " + length / MS + " ms window");
                maxInteriorSeconds = Math.max(maxInteriorSeconds, interior * span);
                double power = Math.abs(PowerIntegral.joules(lean.tNs(), lean.powerMw(), lean.size(), t0, t1)
                        / PowerIntegral.joules(trace.t, trace.powerMw, trace.size(), t0, t1) - 1);
                if (length < 2_000 * MS) {
                    maxPower1 = Math.max(maxPower1, power);
                } else {
                    maxPower5 = Math.max(maxPower5, power);
                }
            }
        }
        assertTrue(sameEdges >= 0.9 * windows, "edges equal in " + sameEdges + " of " + windows);
        // the imprecision is real: the interior span's ends move by tens of ms
        assertTrue(maxInteriorSeconds > 0.02, "interior moved at most " + maxInteriorSeconds + " s of its span");
        assertTrue(maxPower1 < 0.003 && maxPower5 < 0.001, "power integral moved " + maxPower1 + ", " + maxPower5);
    }

    /**
     * The H200 traces' own JMH windows (ResNet-50 tensorrt-fp16, batch 1 to 256, five measured 5 s windows each,
     * continuous sampling at ~130 reads a second): lean's J/img is the continuous one in every window, lean reads the
     * counter ~13 times a second inside instead of ~130, and the reads that place edges a and b are the same, so lean
     * adds no low-rate warning. Ends' J/img is the continuous one too, with no counter read inside after edge a.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 16, 128, 256})
    void atTheH200sMeasuredWindowsLeanJPerImgIsTheContinuousOne(int batch) throws IOException {
        ProfilerTrace trace = ProfilerTrace.load("h200-resnet50-tensorrt-fp16-b" + batch + ".csv");
        CounterSamples full = new CounterSamples(trace.t(), trace.energyMj(), trace.powerMw());
        long[] idle = trace.windows("idle").get(0);
        double idleW = full.counter(idle[0], idle[1]).averageWatts(idle[0], idle[1]);
        List<long[]> measured = trace.windows("measurement");
        assertEquals(5, measured.size());
        for (long[] w : measured) {
            CounterSamples lean = leanReplay(trace.t(), trace.energyMj(), trace.powerMw(), w[0], w[1], Sampling.LEAN);
            IterationEnergy f = energy(full, w[0], w[1], idleW), l = energy(lean, w[0], w[1], idleW);
            assertEquals(f.counterJoules(), l.counterJoules(), 1e-9 * f.counterJoules(), "b" + batch + " window at " + w[0]);
            CounterSamples ends = leanReplay(trace.t(), trace.energyMj(), trace.powerMw(), w[0], w[1], Sampling.ENDS);
            IterationEnergy e = energy(ends, w[0], w[1], idleW, Sampling.ENDS);
            assertEquals(f.counterJoules(), e.counterJoules(), 1e-9 * f.counterJoules(), "ends, b" + batch + " window at " + w[0]);
            assertTrue(e.samplesPerSecond() < 1, "ends: " + e.samplesPerSecond() + " counter reads/s inside");
            CounterSamples quiet = leanReplay(trace.t(), trace.energyMj(), trace.powerMw(), w[0], w[1], Sampling.QUIET);
            IterationEnergy q = energy(quiet, w[0], w[1], idleW, Sampling.QUIET);
            assertEquals(f.counterJoules(), q.counterJoules(), 1e-9 * f.counterJoules(), "quiet, b" + batch + " window at " + w[0]);
            assertTrue(quiet.size() < ends.size() && Double.isNaN(q.powerJoules()), "quiet reads no power inside");
            assertTrue(l.samplesPerSecond() < 15 && f.samplesPerSecond() > 100,
                    "window reads/s: lean " + l.samplesPerSecond() + ", continuous " + f.samplesPerSecond());
            CounterSamples fr = full.counterReads(), lr = lean.counterReads();
            assertEquals(Sampling.edgeReadGapNs(fr.tNs(), fr.size(), w[0], w[1], Long.MIN_VALUE),
                    Sampling.edgeReadGapNs(lr.tNs(), lr.size(), w[0], w[1], Long.MIN_VALUE));
        }
    }

    @Test
    void readsFastOutsideWindowsAndUntilAReadStartedAtOrAfterTheStartHasCompleted() {
        long t0 = 1_000 * MS;
        assertTrue(Sampling.readsFast(false, t0, Long.MIN_VALUE));
        assertTrue(Sampling.readsFast(false, t0, t0 + 50 * MS), "closed: fast whatever the reads");
        assertTrue(Sampling.readsFast(true, t0, Long.MIN_VALUE / 2), "no read yet");
        assertTrue(Sampling.readsFast(true, t0, t0 - 1), "the newest read started before t0");
        assertTrue(!Sampling.readsFast(true, t0, t0), "a read started at t0 has completed: slow");
        assertEquals(2 * MS, Sampling.fastTickNs(500));
        assertEquals(25 * MS, Sampling.LEAN.insideTickNs());
        assertEquals(25 * MS, Sampling.ENDS.insideTickNs());
        assertEquals(1_000 * MS, Sampling.QUIET.insideTickNs());
    }

    @Test
    void ratesAreInTimeWhateverATickTakes() {
        // fast ticks asked every 2 ms but taking 3.9 ms (an H200's counter read): power still ~100 times a second
        assertEquals(100, readsPerSecond(Sampling.POWER_PERIOD_NS, 3_900_000, Sampling.fastTickNs(500)), 15);
        assertEquals(100, readsPerSecond(Sampling.POWER_PERIOD_NS, 2_000_000, Sampling.fastTickNs(500)), 15);
        assertEquals(10, readsPerSecond(Sampling.SLOW_PERIOD_NS, 3_900_000, Sampling.fastTickNs(500)), 1);
        // inside a lean window: power on every 25 ms tick, the counter on every third, temperature and clocks every fourth
        long tick = Sampling.LEAN.insideTickNs();
        assertEquals(40, readsPerSecond(Sampling.POWER_PERIOD_NS, tick, tick), 0.5);
        assertEquals(40 / 3.0, readsPerSecond(Sampling.LEAN_COUNTER_PERIOD_NS, tick, tick), 0.5);
        assertEquals(10, readsPerSecond(Sampling.SLOW_PERIOD_NS, tick, tick), 0.5);
        // a tick that wakes a little early or late still reads on every third
        assertTrue(Sampling.due(74 * MS, 0, Sampling.LEAN_COUNTER_PERIOD_NS, tick));
        assertTrue(!Sampling.due(51 * MS, 0, Sampling.LEAN_COUNTER_PERIOD_NS, tick));
    }

    /** How often a read of this period is due, with ticks {@code takesNs} apart, asked {@code tickNs} apart. */
    private static double readsPerSecond(long periodNs, long takesNs, long tickNs) {
        int reads = 0;
        long last = Long.MIN_VALUE / 2;
        for (long t = 0; t < 10_000 * MS; t += takesNs) {
            if (Sampling.due(t, last, periodNs, tickNs)) {
                reads++;
                last = t;
            }
        }
        return reads / 10.0;
    }

    @Test
    void theGapThatWarnsIsTheWidestAmongTheReadsThatPlaceTheEndEdges() {
        long t0 = 1_000 * MS, t1 = 2_000 * MS, ms4 = 4 * MS;
        // lean: a read every 4 ms outside and through t0, every 75 ms inside, the first 3 ms after the close
        long[] lean = reads(every(0, t0 + ms4, ms4), every(t0 + 75 * MS, t1, 75 * MS), every(t1 + 3 * MS, 3 * t0, ms4));
        assertEquals(ms4, Sampling.edgeReadGapNs(lean, lean.length, t0, t1, Long.MIN_VALUE), "the slow reads inside do not count");
        // a 22 ms stall 50 ms before t0 counts; one 300 ms before it does not
        long[] stall = reads(every(0, t0 - 50 * MS, ms4), every(t0 - 30 * MS, t0 + ms4, ms4), every(t1 + 3 * MS, 3 * t0, ms4));
        assertEquals(22 * MS, Sampling.edgeReadGapNs(stall, stall.length, t0, t1, Long.MIN_VALUE));
        long[] early = reads(every(0, t0 - 300 * MS, ms4), every(t0 - 280 * MS, t0 + ms4, ms4), every(t1 + 3 * MS, 3 * t0, ms4));
        assertEquals(ms4, Sampling.edgeReadGapNs(early, early.length, t0, t1, Long.MIN_VALUE));
        // the first read 14 ms after the close: its delay counts
        long[] late = reads(every(0, t0 + ms4, ms4), every(t0 + 75 * MS, t1, 75 * MS), every(t1 + 14 * MS, 3 * t0, ms4));
        assertEquals(14 * MS, Sampling.edgeReadGapNs(late, late.length, t0, t1, Long.MIN_VALUE));
        // the previous window (slow inside) ended 60 ms before t0, its close woke the sampler 3 ms later: its slow reads
        // lie within the span before t0 but do not place edge a, which the trial holds after that end
        long end = t0 - 60 * MS;
        long[] shortPause = reads(every(0, end - 100 * MS, ms4), every(end - 100 * MS, end, 75 * MS),
                every(end + 3 * MS, t0 + ms4, ms4), every(t0 + 75 * MS, t1, 75 * MS), every(t1 + 3 * MS, 3 * t0, ms4));
        assertEquals(75 * MS, Sampling.edgeReadGapNs(shortPause, shortPause.length, t0, t1, Long.MIN_VALUE),
                "without the previous end, its slow reads count");
        assertEquals(ms4, Sampling.edgeReadGapNs(shortPause, shortPause.length, t0, t1, end));
        // a late first read after the previous close still counts, as after t1
        long[] lateWake = reads(every(0, end - 100 * MS, ms4), every(end - 100 * MS, end, 75 * MS),
                every(end + 16 * MS, t0 + ms4, ms4), every(t0 + 75 * MS, t1, 75 * MS), every(t1 + 3 * MS, 3 * t0, ms4));
        assertEquals(16 * MS, Sampling.edgeReadGapNs(lateWake, lateWake.length, t0, t1, end));
    }

    /** from, from + step, ... below to. */
    private static LongStream every(long from, long to, long step) {
        return LongStream.iterate(from, x -> x < to, x -> x + step);
    }

    private static long[] reads(LongStream... parts) {
        return Arrays.stream(parts).flatMapToLong(p -> p).toArray();
    }

    @Test
    void measuredWindowsArePolledSlowlyOnlyWithAnIdleBaseline() {
        assertTrue(Sampling.LEAN.slowInside(true, 126.0));
        assertTrue(!Sampling.LEAN.slowInside(true, Double.NaN), "linear ends need edge b-1 placed precisely");
        assertTrue(Sampling.LEAN.slowInside(false, Double.NaN), "warmup windows report nothing");
        assertTrue(Sampling.ENDS.slowInside(true, 126.0) && !Sampling.ENDS.slowInside(true, Double.NaN));
        assertTrue(!Sampling.CONTINUOUS.slowInside(false, 126.0) && !Sampling.CONTINUOUS.slowInside(true, 126.0));
        // ends and quiet read no counter inside a slow window, so the steps there are seen only where they read fast
        assertEquals(Sampling.ENDS, Sampling.ENDS.measuredWindows(126.0));
        assertEquals(Sampling.CONTINUOUS, Sampling.QUIET.measuredWindows(Double.NaN));
        assertTrue(!Sampling.ENDS.seesEveryStep() && !Sampling.QUIET.seesEveryStep());
        assertTrue(Sampling.LEAN.seesEveryStep() && Sampling.CONTINUOUS.seesEveryStep());
        assertTrue(Sampling.ENDS.readsInside() && !Sampling.QUIET.readsInside());
        assertTrue(!Sampling.due(3_600_000 * MS, 0, Sampling.ENDS.counterPeriodInsideNs(), 25 * MS), "ends: an hour on");
        assertTrue(!Sampling.CONTINUOUS.slowInside(true, 126.0));
        assertTrue(!Sampling.CONTINUOUS.slowInside(false, 126.0));
    }
}
