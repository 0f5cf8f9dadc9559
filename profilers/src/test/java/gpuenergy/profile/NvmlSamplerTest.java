package gpuenergy.profile;

import gpuenergy.energy.EnergyCounterWindow;
import gpuenergy.nvml.FakeNvml;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sampler's thread on a fake GPU whose counter steps every 100 ms and whose counter read keeps the CPU busy as an
 * H200's does (3.9 ms): how it reads around and inside windows. A busy host runs the sampler late, and as late as it
 * likes: the tests compare counts, orderings and what each tick read, and tell fast reads from slow ones by the time the
 * sampler was at work (a 3.9 ms read outlasts a 2 ms tick, so polling fast it reads back to back, at work throughout
 * however late it runs), not by the gaps between reads.
 */
class NvmlSamplerTest {
    private static final long MS = 1_000_000L;
    private static final long READ_NS = 3_900_000L;

    @Test
    void leanWindowsReadTheCounterSlowlyFromTheFirstReadAfterTheirStartAndFastAgainWhenClosed() {
        NvmlSampler sampler = started(FakeNvml.device(READ_NS, new AtomicBoolean()));
        try {
            long[] gaps = new long[5];
            int w = 0;
            // windows of several lengths, so that they close at different phases of the 75 ms counter period
            for (long length : new long[]{613 * MS, 577 * MS, 541 * MS, 505 * MS, 469 * MS}) {
                sleep(150 * MS); // the pause between iterations, read fast
                long t0 = System.nanoTime();
                sampler.windowOpened(t0, true);
                sleep(length);
                // held open until the power reads inside outnumber the counter reads (at once on an idle host)
                holdOpenUntil(() -> {
                    long[] c = sampler.counter().counterReads().tNs();
                    int from = firstAtOrAfter(c, t0);
                    return from < c.length && powerReads(sampler.counter(), c[from], System.nanoTime()) > c.length - from;
                });
                long t1 = System.nanoTime();
                sampler.windowClosed();
                assertTrue(sampler.awaitEdgeAtOrAfter(t1, 500 * MS), "an edge after the window");
                sleep(300 * MS);
                CounterSamples all = sampler.counter();
                CounterSamples reads = all.counterReads();
                long[] t = reads.tNs();
                // edge a is placed by fast reads around t0; the read that started at or after t0 is the last fast one:
                // one of the two gaps after the first read at or after t0 is a slow one (reads come late, never early)
                int first = firstAtOrAfter(t, t0);
                assertTrue(Math.max(t[first + 1] - t[first], t[first + 2] - t[first + 1]) > 50 * MS,
                        "fast reads after t0: " + (t[first + 1] - t[first]) / MS + ", " + (t[first + 2] - t[first + 1]) / MS + " ms");
                // then one counter read per 75 ms: a few in the window, not one per tick
                int inside = firstAtOrAfter(t, t1) - first;
                assertTrue(inside <= (t1 - t0) / Sampling.LEAN_COUNTER_PERIOD_NS + 3, inside + " counter reads in a "
                        + (t1 - t0) / MS + " ms lean window");
                // and on the first tick it falls due, however late the host runs the sampler (steps would be missed
                // otherwise): a tick that reads the power alone comes within the counter's period of the last counter read
                long lastCounter = t[first];
                for (int i = 0; i < all.size(); i++) {
                    long ti = all.tNs()[i];
                    if (ti > t[first] && ti < t1) {
                        assertTrue(all.energyMj()[i] >= 0 || ti - lastCounter < Sampling.LEAN_COUNTER_PERIOD_NS, "a power read "
                                + (ti - lastCounter) / MS + " ms after the last counter read in a lean window: steps would be missed");
                        lastCounter = all.energyMj()[i] >= 0 ? ti : lastCounter;
                    }
                }
                // power on every 25 ms tick: more power reads than counter reads inside
                int power = powerReads(all, t[first], t1);
                assertTrue(power > inside, power + " power reads and " + inside + " counter reads inside");
                // fast again after the close: the reads that place edge b follow each other
                assertFast(sampler, Arrays.copyOfRange(t, firstAtOrAfter(t, t1), firstAtOrAfter(t, t1 + 300 * MS)),
                        "the 300 ms after the close");
                gaps[w++] = Sampling.edgeReadGapNs(t, t.length, t0, t1, Long.MIN_VALUE);
                sampler.forgetBefore(System.nanoTime());
            }
            // the slow reads inside do not count as gaps around the ends (on a loaded machine the fast ones may be wide)
            Arrays.sort(gaps);
            assertTrue(gaps[2] < Sampling.LEAN_COUNTER_PERIOD_NS - 10 * MS, "median gap around the ends " + gaps[2] / 1e6 + " ms");
            assertNull(sampler.stoppedBecause());
        } finally {
            sampler.shutdown();
        }
    }

    @Test
    void insideAWindowLeanReadsTheCounterAFewTimesASecondAndContinuousAlmostAllTheTime() {
        NvmlSampler sampler = started(FakeNvml.device(READ_NS, new AtomicBoolean()));
        try {
            double[] lean = inside(sampler, true), continuous = inside(sampler, false);
            // lean: ~13 a second plus the fast ones at the start; continuous: back to back, ~250 a second on an idle
            // host, at work almost all the window on any
            assertTrue(lean[0] < 25, "lean: " + lean[0] + " counter reads a second inside");
            assertTrue(continuous[1] > 50, "continuous: the sampler at work " + continuous[1] + " % of the window, "
                    + continuous[0] + " counter reads a second");
        } finally {
            sampler.shutdown();
        }
    }

    /**
     * What the sampler spends of a window, with a counter read that keeps a CPU busy 3.9 ms: continuous sampling most
     * of it, ends the one or two reads that place edge a and the cheap reads after them (~1 % of 800 ms). A tick counts
     * as work from its start to its end, and a busy host that stops the sampler inside a cheap tick makes that tick
     * long: what ends spends is told by the CPU time the sampler's thread used, which only its work takes.
     */
    @Test
    void theSamplerIsBusyForMostOfAContinuousWindowAndAFewMillisecondsOfAnEndsOne() {
        double[] busy = new double[2];
        double[] cpu = new double[2];
        Sampling[] modes = {Sampling.CONTINUOUS, Sampling.ENDS};
        for (int m = 0; m < modes.length; m++) {
            NvmlSampler sampler = started(FakeNvml.device(READ_NS, new AtomicBoolean()), modes[m]);
            try {
                sleep(150 * MS);
                long cpu0 = ManagementFactory.getThreadMXBean().getThreadCpuTime(sampler.getId());
                long t0 = System.nanoTime();
                sampler.windowOpened(t0, modes[m] != Sampling.CONTINUOUS);
                sleep(800 * MS);
                long cpu1 = ManagementFactory.getThreadMXBean().getThreadCpuTime(sampler.getId());
                long t1 = System.nanoTime();
                sampler.windowClosed();
                assertTrue(sampler.awaitEdgeAtOrAfter(t1, 500 * MS), "an edge after the window");
                busy[m] = sampler.busyPercent(t0, t1);
                cpu[m] = 100.0 * (cpu1 - cpu0) / (t1 - t0);
            } finally {
                sampler.shutdown();
            }
        }
        assertTrue(busy[0] > 50, "continuous: the sampler busy " + busy[0] + " % of the window");
        assertTrue(busy[1] > 0.4 && cpu[1] < 10, "ends: the sampler busy " + busy[1] + " % of the window, its CPU time "
                + cpu[1] + " % of it");
    }

    /**
     * The longest tick of a window says what it read and how long each read took: here a power read that waits 20 ms on
     * the driver (the fake's counter read is quick), so the longest tick of an ends window is one with a power read, and
     * the power read is most of it.
     */
    @Test
    void theLongestTickNamesTheReadThatTookItsTime() {
        NvmlSampler sampler = started(FakeNvml.device(0, 20 * MS, new AtomicBoolean()), Sampling.ENDS);
        try {
            sleep(150 * MS);
            long t0 = System.nanoTime();
            sampler.windowOpened(t0, true);
            sleep(400 * MS);
            long t1 = System.nanoTime();
            sampler.windowClosed();
            // the tick under way at the close ended (a busy host may hold it past the close): its reads are known
            assertTrue(sampler.awaitPowerAtOrAfter(t1, 2_000 * MS), "a power read after the window");
            NvmlSampler.Tick longest = sampler.longestTick(t0, t1);
            assertTrue(longest != null, "a tick inside the window");
            long power = longest.readNs()[NvmlSampler.Tick.READS.indexOf("power")];
            // a read lies within its tick, of which the window holds a part: a tick under way as the window opened
            // began before it, one under way as it closed ends after it (either may be the longest where the host
            // runs the sampler late)
            long before = Math.max(0, -longest.startNs());
            boolean endsAfter = Math.max(0, longest.startNs()) + longest.insideNs() >= t1 - t0;
            assertTrue(power >= 19 * MS && (endsAfter || power <= before + longest.insideNs() + MS), "power read "
                    + power / 1e6 + " ms of a " + longest.insideNs() / 1e6 + " ms tick: " + longest.describe());
            long counter = longest.readNs()[NvmlSampler.Tick.READS.indexOf("counter")];
            assertTrue(counter < power, longest.describe());
            assertTrue(longest.describe().matches("longest tick \\d+\\.\\d\\d ms at [+-]\\d\\.\\d{3} s: .*power \\d+\\.\\d\\d ms.*"),
                    longest.describe());
        } finally {
            sampler.shutdown();
        }
    }

    @Test
    void aTickSaysWhatItReadOrThatItIsStillUnderWay() {
        assertEquals("longest tick 14.70 ms at -0.008 s: counter 0.05 ms, temperature+clocks 14.51 ms",
                new NvmlSampler.Tick(-8 * MS, 14_700_000, new long[]{50_000, -1, 14_510_000, -1}).describe());
        assertEquals("longest tick 300.00 ms at +0.000 s: under way",
                new NvmlSampler.Tick(0, 300 * MS, new long[]{-1, -1, -1, -1}).describe());
    }

    /**
     * A counter read that has not returned when the window is measured (a driver that holds the call) counts from its
     * start: the sampler was at work for the whole window, not for none of it.
     */
    @Test
    void aReadStillUnderWayCountsAsWork() {
        AtomicBoolean reading = new AtomicBoolean();
        NvmlSampler sampler = new NvmlSampler(FakeNvml.device(TimeUnit.SECONDS.toNanos(3), reading), 500, Sampling.ENDS);
        sampler.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (!reading.get() && System.nanoTime() < deadline) {
                sleep(MS);
            }
            assertTrue(reading.get(), "the first counter read began");
            long t0 = System.nanoTime();
            sampler.windowOpened(t0, true);
            sleep(300 * MS);
            long t1 = System.nanoTime();
            sampler.windowClosed();
            double busy = sampler.busyPercent(t0, t1);
            assertTrue(reading.get(), "the read is still under way");
            assertTrue(busy > 99.9, "busy " + busy + " % of a window spent inside one read");
            assertTrue(sampler.longestTick(t0, t1).describe().endsWith(": under way"), sampler.longestTick(t0, t1).describe());
        } finally {
            sampler.shutdown();
        }
    }

    /**
     * sampling=ends and quiet: inside a window no counter read after the one that places edge a; ends reads the power,
     * temperature and clocks at lean's rates, quiet nothing. Fast again after the close, and the window's energy is the
     * one the counter's values at the end edges give.
     */
    @ParameterizedTest
    @EnumSource(value = Sampling.class, names = {"ENDS", "QUIET"})
    void endsAndQuietWindowsReadNoCounterInsideAfterEdgeA(Sampling sampling) {
        NvmlSampler sampler = started(FakeNvml.device(READ_NS, new AtomicBoolean()), sampling);
        try {
            sleep(150 * MS);
            long t0 = System.nanoTime();
            sampler.windowOpened(t0, true);
            // long enough for quiet's 1 s ticks to come inside, were they to read; ends reads the power on each 25 ms
            // tick and the temperature on every fourth, and its window stays open until ten power reads lie inside, more
            // than the temperature reads (800 ms on an idle host; a busy one may hold the sampler longer)
            sleep((sampling == Sampling.QUIET ? 2_500 : 800) * MS);
            holdOpenUntil(() -> {
                int[] read = powerAndTemperatureReads(sampler, t0 + 50 * MS, System.nanoTime());
                return sampling == Sampling.QUIET || read[0] >= 10 && read[0] > read[1];
            });
            long t1 = System.nanoTime();
            sampler.windowClosed();
            assertTrue(sampler.awaitEdgeAtOrAfter(t1, 500 * MS), "an edge after the window");
            sleep(300 * MS);
            CounterSamples all = sampler.counter();
            long[] t = all.counterReads().tNs();
            int first = firstAtOrAfter(t, t0), afterClose = firstAtOrAfter(t, t1);
            // the read that started at or after t0 may complete after it; a late fast one can follow on a loaded host
            assertTrue(afterClose - first <= 2, (afterClose - first) + " counter reads inside a window with " + sampling);
            int[] read = powerAndTemperatureReads(sampler, t0 + 50 * MS, t1);
            assertTrue(sampling == Sampling.ENDS ? read[0] >= 10 && read[0] > read[1] : read[0] == 0, read[0] + " power and "
                    + read[1] + " temperature reads inside with " + sampling);
            assertFast(sampler, Arrays.copyOfRange(t, afterClose, firstAtOrAfter(t, t1 + 300 * MS)), "the 300 ms after the close");
            // no edge inside is seen: the one read after the close differs from the last before it (the one that
            // places edge a) and places one merged step of the 8 steps between them
            EnergyCounterWindow counter = all.counter(t0, t1);
            assertEquals(1, counter.edgesWithin(t[afterClose - 1], t[afterClose]), "edges between the reads around the inside");
            // the fake draws 100 W throughout: split by 100 W outside, the window holds 100 W, less what misplacing its
            // end edges gives (a few ms on an idle host, more where the host runs the sampler late)
            FakeWatts.assertHundredWatts(counter.joules(t0, t1, 100, 100) / ((t1 - t0) / 1e9), all, t0, t1, 100,
                    sampling + ": the window's power");
            assertNull(sampler.stoppedBecause());
        } finally {
            sampler.shutdown();
        }
    }

    /**
     * A quiet window reads nothing but the counter, its first fast reads included: with a counter read of 150 ms, the
     * temperature (due every 100 ms) would otherwise be read inside right after the read that places edge a, and stand
     * for the whole window. Ends reads it there, and on: in either half of the window (on an idle host every 100 ms and
     * every 25 ms; a busy one runs the sampler later).
     */
    @ParameterizedTest
    @EnumSource(value = Sampling.class, names = {"ENDS", "QUIET"})
    void aQuietWindowHasNoTemperatureOrPowerReadInside(Sampling sampling) {
        NvmlSampler sampler = started(FakeNvml.device(150 * MS, new AtomicBoolean()), sampling);
        try {
            sleep(400 * MS);
            long t0 = System.nanoTime();
            sampler.windowOpened(t0, true);
            sleep(600 * MS);
            long t1 = System.nanoTime();
            sampler.windowClosed();
            assertTrue(sampler.awaitEdgeAtOrAfter(t1, 1_000 * MS), "an edge after the window");
            long mid = t0 + (t1 - t0) / 2;
            int[] slow = {sampler.state(t0, mid).samples(), sampler.state(mid, t1).samples()}, power = new int[2];
            CounterSamples all = sampler.counter();
            for (int i = 0; i < all.size(); i++) {
                long t = all.tNs()[i];
                if (t >= t0 && t <= t1 && all.powerMw()[i] >= 0) {
                    power[t < mid ? 0 : 1]++;
                }
            }
            String said = Arrays.toString(slow) + " temperature and " + Arrays.toString(power) + " power reads in the "
                    + "halves of " + (sampling == Sampling.QUIET ? "a quiet window" : "an ends window");
            if (sampling == Sampling.QUIET) {
                assertTrue(slow[0] + slow[1] == 0 && power[0] + power[1] == 0, said);
            } else {
                assertTrue(slow[0] > 0 && slow[1] > 0 && power[0] > 0 && power[1] > 0, said);
            }
        } finally {
            sampler.shutdown();
        }
    }

    /**
     * Counter reads that fail briefly as a window opens and again as it closes: polling fast, the sampler retries at hz
     * until a read inside succeeds, so the failures are two short ones, not one that lasts the window and stops the
     * sampler, even where nothing reads the counter between the window's ends.
     */
    @ParameterizedTest
    @EnumSource(value = Sampling.class, names = {"LEAN", "ENDS", "QUIET"})
    void briefFailuresAtAWindowsTwoEndsDoNotStopTheSampler(Sampling sampling) {
        AtomicBoolean fails = new AtomicBoolean();
        NvmlSampler sampler = started(FakeNvml.failingCounter(fails), sampling);
        try {
            sleep(150 * MS);
            fails.set(true);
            long t0 = System.nanoTime();
            sampler.windowOpened(t0, true);
            sleep(10 * MS);
            fails.set(false);
            long readable = System.nanoTime();
            sleep(NvmlSampler.COUNTER_FAILING_STOP_NS + 500 * MS);
            fails.set(true);
            long t1 = System.nanoTime();
            sampler.windowClosed();
            sleep(30 * MS);
            fails.set(false);
            assertTrue(sampler.awaitEdgeAtOrAfter(t1, 500 * MS), sampling + ": an edge after the window");
            assertNull(sampler.stoppedBecause(), sampling + ": " + sampler.stoppedBecause());
            long[] t = sampler.counter().counterReads().tNs();
            // polling fast, a read comes within a tick of the counter reading again (a busy host may run this thread
            // late to say so): not a slow period later
            assertTrue(firstAtOrAfter(t, t0) < t.length && t[firstAtOrAfter(t, t0)] < readable + 90 * MS,
                    sampling + ": no good read soon after the failures at t0");
        } finally {
            sampler.shutdown();
        }
    }

    @Test
    void aCloseThatLandsInACounterReadIsFollowedByFastReadsAsSoonAsItReturns() {
        long readNs = 5 * MS;
        AtomicBoolean reading = new AtomicBoolean();
        NvmlSampler sampler = started(FakeNvml.device(readNs, reading));
        try {
            int midRead = 0;
            for (int round = 0; round < 5; round++) {
                long t0 = System.nanoTime();
                sampler.windowOpened(t0, true);
                sleep(300 * MS); // into the slow part: the next counter read is a slow tick's
                while (!reading.get()) {
                    Thread.onSpinWait();
                }
                long t1 = System.nanoTime();
                sampler.windowClosed();
                assertTrue(sampler.awaitEdgeAtOrAfter(t1, 500 * MS));
                sleep(100 * MS);
                long[] t = sampler.counter().counterReads().tNs();
                // a busy host may run this thread so late that the read it saw under way has ended at t1: then the
                // round says nothing
                boolean landed = sampler.busyPercent(t1, t1 + 1) > 0;
                int next = firstAtOrAfter(t, t1);
                // from t1 to the middle of the second read after it, of which one at least starts after the read under
                // way at t1 has returned: the sampler at work throughout, as it reads at once, not a slow tick (25 ms)
                // or period (75 ms) later
                double busy = next + 1 < t.length ? sampler.busyPercent(t1, t[next + 1]) : Double.NaN;
                sampler.forgetBefore(System.nanoTime());
                if (!landed) {
                    continue;
                }
                midRead++;
                assertTrue(busy > 50, "after the close, the sampler at work " + busy + " % until the second read after it");
            }
            assertTrue(midRead > 0, "no close landed in a counter read");
        } finally {
            sampler.shutdown();
        }
    }

    @Test
    void anEdgeIsAnnouncedOnlyOnceTheReadsThatPlaceItCanBeCopied() {
        // a slow power read sits between a counter read that reveals a step and the tick's stored row
        NvmlSampler sampler = started(FakeNvml.device(0, 20 * MS, new AtomicBoolean()));
        try {
            for (int round = 0; round < 8; round++) {
                long t0 = System.nanoTime();
                sleep(150 * MS);
                long t1 = System.nanoTime();
                assertTrue(sampler.awaitEdgeAtOrAfter(t1, 500 * MS), "an edge after the window");
                CounterSamples reads = sampler.counter().counterReads();
                // throws when no step after t1 is among the copied reads
                double joules = EnergyCounterWindow.of(reads.tNs(), reads.energyMj(), reads.size()).joules(t0, t1);
                assertTrue(joules > 0, joules + " J");
            }
        } finally {
            sampler.shutdown();
        }
    }

    /**
     * A counter that goes backwards (a driver reload, a GPU reset) is not announced as an edge: a wait for the next step
     * returns on the GPU's next real step, about 100 ms on, not on the drop. Tried a few times, each drop lowering the
     * counter further, so that one try delayed past a real step on a loaded machine does not decide.
     */
    @Test
    void aCounterThatGoesBackwardsIsNoEdge() {
        java.util.concurrent.atomic.AtomicLong lowered = new java.util.concurrent.atomic.AtomicLong();
        NvmlSampler sampler = started(FakeNvml.session(new AtomicBoolean(), lowered).deviceByIndex(0));
        try {
            boolean waitedForARealStep = false;
            for (int attempt = 1; attempt <= 5 && !waitedForARealStep; attempt++) {
                assertTrue(sampler.awaitEdgeAtOrAfter(System.nanoTime(), 500 * MS), "the fake counter steps");
                long afterTheStep = System.nanoTime(); // the step seen lies before; the next is about 100 ms away
                sleep(5 * MS); // a drop announced as an edge would lie between the reads around it, after afterTheStep
                lowered.addAndGet(100_000);
                waitedForARealStep = !sampler.awaitEdgeAtOrAfter(afterTheStep, 40 * MS);
            }
            assertTrue(waitedForARealStep, "every drop was announced as an edge");
        } finally {
            sampler.shutdown();
        }
    }

    @Test
    void shutdownWakesAParkedSampler() {
        NvmlSampler sampler = started(FakeNvml.device());
        sampler.windowOpened(System.nanoTime(), true);
        sleep(100 * MS);
        sampler.shutdown();
        assertTrue(!sampler.isAlive(), "the sampler outlived shutdown");
    }

    @Test
    void aWindowNotToBeReadSlowlyIsReadFast() {
        NvmlSampler sampler = started(FakeNvml.device());
        try {
            long t0 = System.nanoTime();
            sampler.windowOpened(t0, false);
            sleep(400 * MS);
            long t1 = System.nanoTime();
            sampler.windowClosed();
            // every tick reads the counter, as no slow one does: power is read every 10 ms, on a fast tick beside the
            // counter, on each slow one (every 25 ms) alone but every third
            CounterSamples all = sampler.counter();
            int inside = 0, powerOnly = 0;
            for (int i = 0; i < all.size(); i++) {
                boolean in = all.tNs()[i] >= t0 && all.tNs()[i] <= t1;
                inside += in && all.energyMj()[i] >= 0 ? 1 : 0;
                powerOnly += in && all.energyMj()[i] < 0 ? 1 : 0;
            }
            assertTrue(inside >= 3 && powerOnly == 0, inside + " counter reads and " + powerOnly
                    + " power reads alone in 400 ms");
        } finally {
            sampler.shutdown();
        }
    }

    @Test
    void counterReadsThatFailForAWhileCostOnlyTheirTicksAndTheSamplerGoesOn() {
        AtomicBoolean fails = new AtomicBoolean();
        NvmlSampler sampler = started(FakeNvml.failingCounter(fails));
        try {
            fails.set(true);
            sleep(300 * MS);
            long t = System.nanoTime();
            assertFalse(sampler.awaitEdgeAtOrAfter(t, 150 * MS), "an edge while the counter cannot be read");
            fails.set(false);
            assertTrue(sampler.awaitEdgeAtOrAfter(t, 500 * MS), "no edge once the counter reads again");
            assertNull(sampler.stoppedBecause());
        } finally {
            sampler.shutdown();
        }
    }

    @Test
    void aCounterThatStaysUnreadableStopsTheSamplerWithItsReasonAndWaitersReturnAtOnce() {
        AtomicBoolean fails = new AtomicBoolean();
        NvmlSampler sampler = started(FakeNvml.failingCounter(fails));
        try {
            fails.set(true);
            long deadline = System.nanoTime() + NvmlSampler.COUNTER_FAILING_STOP_NS + 3_000 * MS;
            while (sampler.isAlive() && System.nanoTime() < deadline) {
                sleep(50 * MS);
            }
            assertFalse(sampler.isAlive(), "the sampler still polls a counter that fails");
            String why = sampler.stoppedBecause();
            assertTrue(why != null && why.contains("GPU is lost") && why.contains("could not be read for 2 s"), why);
            long t0 = System.nanoTime();
            assertFalse(sampler.awaitEdgeAtOrAfter(t0, 5_000 * MS));
            assertFalse(sampler.awaitPowerAtOrAfter(t0, 5_000 * MS));
            assertTrue(System.nanoTime() - t0 < 1_000 * MS, "a waiter waited for a stopped sampler");
        } finally {
            sampler.shutdown();
        }
    }

    /**
     * interleave=true sits out windows with the sampler paused: it parks before the window opens (a read under way
     * ends first), makes no NVML call and does no work inside it, and polls fast again once resumed: reads back to back,
     * as the fake's counter read (3.9 ms) outlasts a tick at 500 Hz (2 ms), so that the sampler is at work all the time
     * however late a busy host runs it, where a slow one (a tick every 25 ms) would be at work a sixth of it.
     */
    @Test
    void aPausedSamplerReadsNothingAndIsAtWorkInNoneOfTheWindow() {
        NvmlSampler sampler = started(FakeNvml.device(READ_NS, new AtomicBoolean()), Sampling.ENDS);
        try {
            sleep(150 * MS);
            assertTrue(sampler.pauseTicks(500 * MS), "the sampler parks within a read");
            long t0 = System.nanoTime();
            sleep(400 * MS);
            long t1 = System.nanoTime();
            int rows = 0;
            for (long t : sampler.counter().tNs()) {
                rows += t >= t0 && t <= t1 ? 1 : 0;
            }
            assertEquals(0, rows, "NVML reads inside a window the sampler sat out");
            assertEquals(0.0, sampler.busyPercent(t0, t1), "a parked sampler is at work in none of the window");
            sampler.resumeTicks();
            long resumed = System.nanoTime();
            assertTrue(sampler.awaitEdgeAtOrAfter(t1, 500 * MS), "an edge after the resume");
            sleep(200 * MS);
            long[] t = sampler.counter().counterReads().tNs();
            int first = firstAtOrAfter(t, resumed);
            assertTrue(first < t.length - 1, "fast reads after the resume");
            // from the first read after the resume on: the host's wait to run the sampler once resumed is no tick of it
            double busy = sampler.busyPercent(t[first], t[t.length - 1]);
            assertTrue(busy > 50, "fast again after the resume: the sampler at work " + busy + " % of the "
                    + (t.length - first) + " reads' " + (t[t.length - 1] - t[first]) / MS + " ms");
        } finally {
            sampler.shutdown();
        }
    }

    /**
     * A failed counter read just before a pause and one just after it are two failures 2.5 s apart, not a counter that
     * kept failing for 2.5 s: the sampler goes on (it stops once reads have failed for {@link
     * NvmlSampler#COUNTER_FAILING_STOP_NS} while it polls).
     */
    @Test
    void aPauseBetweenTwoFailedReadsDoesNotStopTheSampler() {
        AtomicBoolean fails = new AtomicBoolean();
        NvmlSampler sampler = started(FakeNvml.failingCounter(fails), Sampling.ENDS);
        try {
            fails.set(true);
            sleep(20 * MS);
            assertTrue(sampler.pauseTicks(500 * MS));
            sleep(NvmlSampler.COUNTER_FAILING_STOP_NS + 500 * MS);
            sampler.resumeTicks();
            sleep(20 * MS);
            fails.set(false);
            long resumed = System.nanoTime();
            assertTrue(sampler.awaitEdgeAtOrAfter(resumed, 500 * MS), "an edge after the resume: " + sampler.stoppedBecause());
            assertNull(sampler.stoppedBecause());
        } finally {
            sampler.shutdown();
        }
    }

    /**
     * A board that has field 186 keeps it when a read of it fails now and then (a driver timeout): that tick reads no
     * power, and the next reads the field again. Falling back for good to nvmlDeviceGetPowerUsage, a 1 s average on
     * Ampere and newer, would leave the rest of the trial's power cross-check and quiet-power check on another signal
     * after one failed call. Only a field that never reads is taken to be missing.
     */
    @Test
    void aFailedReadOfTheInstantPowerDoesNotGiveUpTheField() {
        AtomicBoolean fails = new AtomicBoolean();
        NvmlSampler sampler = started(FakeNvml.withInstantPower(fails));
        try {
            sleep(50 * MS);
            fails.set(true);
            sleep(50 * MS);
            fails.set(false);
            long after = System.nanoTime();
            assertTrue(sampler.awaitPowerAtOrAfter(after + 50 * MS, 500 * MS), "power read again");
            CounterSamples s = sampler.counter();
            for (int i = 0; i < s.size(); i++) {
                if (s.tNs()[i] > after + 10 * MS && s.powerMw()[i] >= 0) {
                    assertEquals(FakeNvml.INSTANT_POWER_MW, s.powerMw()[i], "power after a failed field read: " + sampler.powerSource());
                }
            }
            assertEquals("field 186 (instant power)", sampler.powerSource());
        } finally {
            sampler.shutdown();
        }
        NvmlSampler missing = started(FakeNvml.device());
        try {
            assertTrue(missing.awaitPowerAtOrAfter(System.nanoTime(), 500 * MS));
            assertEquals("nvmlDeviceGetPowerUsage (field 186 unavailable)", missing.powerSource(), "a board without the field");
        } finally {
            missing.shutdown();
        }
    }

    /** The sampler's power reads in (from, to), and its temperature reads in [from, to]. */
    private static int[] powerAndTemperatureReads(NvmlSampler sampler, long from, long to) {
        return new int[]{powerReads(sampler.counter(), from, to), sampler.state(from, to).samples()};
    }

    /** The power reads in (from, to). */
    private static int powerReads(CounterSamples all, long from, long to) {
        int n = 0;
        for (int i = 0; i < all.size(); i++) {
            n += all.tNs()[i] > from && all.tNs()[i] < to && all.powerMw()[i] >= 0 ? 1 : 0;
        }
        return n;
    }

    /**
     * Waits until {@code done} (5 s at most): a window held open until the sampler has read in it what it reads at once
     * on an idle host, which a busy one may hold it from.
     */
    private static void holdOpenUntil(BooleanSupplier done) {
        for (long deadline = System.nanoTime() + 5_000 * MS; !done.getAsBoolean() && System.nanoTime() < deadline; ) {
            sleep(MS);
        }
    }

    /** The sampler's counter reads in [t0, t1]. */
    private static int readsWithin(NvmlSampler sampler, long t0, long t1) {
        int n = 0;
        for (long t : sampler.counter().counterReads().tNs()) {
            n += t >= t0 && t <= t1 ? 1 : 0;
        }
        return n;
    }

    private static NvmlSampler started(gpuenergy.nvml.NvmlDevice gpu) {
        return started(gpu, Sampling.LEAN);
    }

    private static NvmlSampler started(gpuenergy.nvml.NvmlDevice gpu, Sampling sampling) {
        NvmlSampler sampler = new NvmlSampler(gpu, 500, sampling);
        sampler.start();
        assertTrue(sampler.awaitEdgeAtOrAfter(Long.MIN_VALUE + 1, TimeUnit.SECONDS.toNanos(2)), "the fake counter steps");
        return sampler;
    }

    /** Counter reads a second inside a 1 s window, and the % of it the sampler was at work. */
    private static double[] inside(NvmlSampler sampler, boolean slowInside) {
        long t0 = System.nanoTime();
        sampler.windowOpened(t0, slowInside);
        sleep(1_000 * MS);
        long t1 = System.nanoTime();
        sampler.windowClosed();
        int n = readsWithin(sampler, t0, t1);
        double busy = sampler.busyPercent(t0, t1);
        sampler.forgetBefore(System.nanoTime());
        return new double[]{n / ((t1 - t0) / 1e9), busy};
    }

    /**
     * {@code reads} (counter reads' times) are fast ones: at least three, between which the sampler was at work more
     * than half the time, as one reading back to back is throughout (a read of 3.9 ms outlasts a tick at 500 Hz) and one
     * polling slowly (a read every 75 ms) is a twentieth of it.
     */
    private static void assertFast(NvmlSampler sampler, long[] reads, String where) {
        assertTrue(reads.length >= 3, reads.length + " counter reads in " + where + ": not fast");
        double busy = sampler.busyPercent(reads[0], reads[reads.length - 1]);
        assertTrue(busy > 50, reads.length + " counter reads in " + where + ", the sampler at work " + busy
                + " % of their " + (reads[reads.length - 1] - reads[0]) / MS + " ms: not fast");
    }

    private static int firstAtOrAfter(long[] t, long tNs) {
        int i = Arrays.binarySearch(t, tNs);
        return i >= 0 ? i : -i - 1;
    }

    private static void sleep(long ns) {
        long end = System.nanoTime() + ns;
        for (long left = ns; left > 0; left = end - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }
}
