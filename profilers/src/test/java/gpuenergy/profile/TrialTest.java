package gpuenergy.profile;

import gpuenergy.energy.PowerIntegral;
import gpuenergy.nvml.FakeNvml;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.results.AverageTimeResult;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ResultRole;
import org.openjdk.jmh.results.SampleTimeResult;
import org.openjdk.jmh.results.ThroughputResult;
import org.openjdk.jmh.runner.IterationType;
import org.openjdk.jmh.runner.WorkloadParams;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.util.SampleBuffer;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A trial on a fake GPU: what happens to its sampler when a benchmark fails before its last iteration (JMH then never
 * closes the trial), when the GPU's counter becomes unreadable mid-trial, and when it goes backwards. A busy host may
 * hold the sampler's thread for a while inside a window: what its reads give is checked against the reads the trial
 * kept ({@link Measured}), not against the rates it reads at on an idle host.
 */
class TrialTest {
    private static final IterationParams WARMUP = new IterationParams(IterationType.WARMUP, 1, TimeValue.seconds(1), 1);
    private static final IterationParams MEASUREMENT = new IterationParams(IterationType.MEASUREMENT, 3, TimeValue.seconds(1), 1);
    private static final IterationParams TWO_WARMUPS = new IterationParams(IterationType.WARMUP, 2, TimeValue.seconds(1), 1);
    /** A driver reload or GPU reset: the counter reads 50 kJ lower. */
    private static final long DECREASE_MJ = 50_000_000L;
    /** A pause between windows, shorter than the samples kept back from a window's end: the next window still holds them. */
    private static final long PAUSE_NS = TimeUnit.MILLISECONDS.toNanos(1500);

    @AfterEach
    void closeWhatIsLeft() {
        Trial.closeLeftOver();
    }

    @Test
    void aTrialLeftOpenByAFailedBenchmarkStopsPollingWhenTheNextBenchmarkStarts() {
        new Trial(options(), params("gpu:0"), WARMUP, () -> FakeNvml.session(new AtomicBoolean())); // never closed
        assertEquals(1, samplersPolling());
        Trial next = new Trial(options(), params("gpu:0"), WARMUP, () -> FakeNvml.session(new AtomicBoolean()));
        assertEquals(1, samplersPolling(), "the failed benchmark's sampler still polls beside the next one's");
        next.close();
        assertEquals(0, samplersPolling());
    }

    @Test
    void aBenchmarkOnTheCpuAfterAFailedOneIsNotMeasuredBesideItsSampler() {
        new Trial(options(), params("gpu:0"), WARMUP, () -> FakeNvml.session(new AtomicBoolean())); // never closed
        NvmlEnergyProfiler profiler = new NvmlEnergyProfiler();
        BenchmarkParams cpu = params("cpu");
        PrintStream out = System.out;
        System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        try {
            profiler.beforeIteration(cpu, WARMUP);
        } finally {
            System.setOut(out);
        }
        assertEquals(0, samplersPolling(), "a sampler polls while a CPU benchmark is measured");
    }

    @Test
    void aCounterThatBecomesUnreadableGivesNaNEnergyWithOneLineAndKeepsTheBenchmark() throws Exception {
        AtomicBoolean fails = new AtomicBoolean();
        String printed = printedBy(() -> new Trial(options(), params("gpu:0"), MEASUREMENT, () -> FakeNvml.session(fails)),
                trial -> {
            Measured first = measured(trial);
            assertKnown(first, EnergyLabels.J_PER_IMG); // a window on a readable counter
            fails.set(true);
            LockSupport.parkNanos(NvmlSampler.COUNTER_FAILING_STOP_NS + TimeUnit.MILLISECONDS.toNanos(500));
            for (int i = 0; i < 2; i++) {
                List<Result> later = window(trial);
                assertTrue(Double.isNaN(score(later, EnergyLabels.J_PER_IMG)), "J/img with a stopped sampler");
                assertEquals(0.0, score(later, EnergyLabels.WINDOW_READS_PER_S), "a stopped sampler reads nothing inside");
                assertEquals(first.results().stream().map(Result::getLabel).toList(), later.stream().map(Result::getLabel).toList(),
                        "every label, NaN where unknown");
            }
        });
        assertEquals(1, printed.lines().filter(l -> l.contains("sampling stopped")).count(), printed);
        assertTrue(printed.contains("GPU is lost"), printed);
    }

    /**
     * Lean, with an idle baseline: the slow reads inside a window lie within the span before the next window's start
     * when the pause between them is short (the trial holds the start only until the counter steps past the previous
     * end, here at most 100 ms), but edge a lies after that end: over a trial of such pauses, a warning that the reads
     * around the ends are far apart comes only of a gap between those after the previous end (on an idle host, none).
     * (Counting the slow reads, most of these windows would warn of up to 75 ms.)
     */
    @Test
    void theSlowReadsOfThePreviousWindowDoNotWarnAboutTheNextWindowsEnds() throws Exception {
        IterationParams measurement = new IterationParams(IterationType.MEASUREMENT, 8, TimeValue.seconds(1), 1);
        long[] widestAfterEachEnd = {0};
        String printed = printedBy(() -> new Trial(ProfilerOptions.parse("gpu=0;idle=1;settle=1;sampling=lean"), params("gpu:0"), measurement,
                () -> FakeNvml.session(new AtomicBoolean())), trial -> {
            long previousEnd = 0;
            for (int i = 0; i < 2; i++) {
                previousEnd = warmup(trial, 400); // the idle baseline goes before the second
            }
            for (int i = 0; i < measurement.getCount(); i++) {
                Measured m = measured(trial, measurement, 400, () -> {});
                assertKnown(m, EnergyLabels.J_PER_IMG);
                long[] reads = m.kept().counterReads().tNs();
                widestAfterEachEnd[0] = Math.max(widestAfterEachEnd[0],
                        Sampling.edgeReadGapNs(reads, reads.length, m.t0(), m.t1(), previousEnd));
                previousEnd = m.t1();
            }
        });
        assertTrue(printed.contains("idle"), "the idle baseline was measured, so the windows were read slowly: " + printed);
        // a busy host may delay a fast read past the 20 ms the warning allows: the gap it says is one of those the reads
        // after the previous window's end show around a window's ends (the trial measured each window from fewer of
        // them: those the reads kept after it add lie past its last, and only widen that), not the slow reads' 75 ms
        Matcher gap = Pattern.compile("counter reads ([0-9.]+) ms apart around").matcher(printed);
        while (gap.find()) {
            assertTrue(Double.parseDouble(gap.group(1)) <= widestAfterEachEnd[0] / 1e6 + 0.05, "the reads after each "
                    + "previous end lie up to " + widestAfterEachEnd[0] / 1e6 + " ms apart around a window's ends: " + printed);
        }
    }

    /**
     * The counter goes backwards (a driver reload, a GPU reset) inside one measured window: that window's energy figures
     * are NaN, with one line; every later window, its samples all after the decrease, gets its figures again, though the
     * decrease is still among the samples the trial keeps for the first of them. The NaN window forgets the samples
     * before it as any other does. (The trial tells of the decrease where it saw a step after that window in time.)
     */
    @Test
    void aCounterThatGoesBackwardsCostsOnlyTheWindowItFallsIn() throws Exception {
        AtomicLong lowered = new AtomicLong();
        boolean[] stepAfterInTime = new boolean[1];
        String printed = printedBy(() -> new Trial(ProfilerOptions.parse("gpu=0;idle=0;sampling=continuous"), params("gpu:0"),
                MEASUREMENT, () -> FakeNvml.session(new AtomicBoolean(), lowered)), trial -> {
            assertKnown(measured(trial), EnergyLabels.J_PER_IMG); // before the decrease
            LockSupport.parkNanos(PAUSE_NS);
            long beforeDecrease = System.nanoTime();
            Measured m = measured(trial, MEASUREMENT, 300, () -> lowered.set(DECREASE_MJ));
            List<Result> across = m.results();
            assertTrue(Double.isNaN(score(across, EnergyLabels.J_PER_IMG)), "J/img of the window the counter went backwards in");
            assertTrue(Double.isNaN(score(across, EnergyLabels.EDGES)), "its steps, the counter's account of the window");
            assertReadFast(m); // the reads taken inside it, continuous
            stepAfterInTime[0] = m.stepAfterSeenInTime();
            assertTrue(trial.samplesKept().tNs()[0] >= beforeDecrease - Trial.KEEP_BEFORE_WINDOW_NS,
                    "the samples from before the NaN window are forgotten");
            for (int i = 1; i <= 5; i++) {
                LockSupport.parkNanos(PAUSE_NS);
                assertKnown(measured(trial), EnergyLabels.J_PER_IMG); // after the decrease
            }
        });
        long said = printed.lines().filter(l -> l.contains("went backwards")).count();
        assertTrue(said == 1 || said == 0 && !stepAfterInTime[0], printed);
    }

    /**
     * The counter goes backwards inside the idle baseline's window: one line, no baseline (idle W NaN), and the benchmark
     * goes on, its windows measured with linear ends.
     */
    @Test
    void aCounterThatGoesBackwardsInTheIdleWindowLeavesNoBaselineAndKeepsTheBenchmark() throws Exception {
        AtomicLong lowered = new AtomicLong();
        String printed = printedBy(() -> new Trial(ProfilerOptions.parse("gpu=0;idle=2;settle=1"), params("gpu:0"), TWO_WARMUPS,
                () -> FakeNvml.session(new AtomicBoolean(), lowered)), trial -> {
            warmup(trial, 300);
            // the baseline waits 1 s (two slices of quiet power; settle=1 lets it wait no longer), then measures 2 s:
            // the counter goes backwards in the middle of that window
            Thread decrease = new Thread(() -> {
                LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(2));
                lowered.set(DECREASE_MJ);
            });
            decrease.start();
            warmup(trial, 300); // the idle baseline goes before it
            decrease.join();
            for (int i = 0; i < 2; i++) {
                Measured measured = measured(trial);
                assertTrue(Double.isNaN(measured.score(EnergyLabels.IDLE_W)), "idle W after the counter went backwards in it");
                assertKnown(measured, EnergyLabels.J_PER_IMG); // without an idle baseline
            }
        });
        assertEquals(1, printed.lines().filter(l -> l.contains("went backwards") && l.contains("no idle baseline")).count(), printed);
    }

    /** The counter goes backwards in the pause before the idle baseline, outside its window: the baseline stands. */
    @Test
    void aCounterThatWentBackwardsBeforeTheIdleWindowLeavesTheBaseline() throws Exception {
        AtomicLong lowered = new AtomicLong();
        String printed = printedBy(() -> new Trial(ProfilerOptions.parse("gpu=0;idle=1;settle=1"), params("gpu:0"), TWO_WARMUPS,
                () -> FakeNvml.session(new AtomicBoolean(), lowered)), trial -> {
            warmup(trial, 300);
            lowered.set(DECREASE_MJ);
            warmup(trial, 300); // the idle baseline goes before it, the decrease among the samples kept
            assertEquals(100, score(window(trial), EnergyLabels.IDLE_W), 2, "idle W of the fake's steady 100 W");
        });
        assertTrue(printed.lines().noneMatch(l -> l.contains("went backwards")), printed);
    }

    /**
     * sampling=quiet: with the idle baseline, a measured window is read at its ends only. Its energy is the fake GPU's
     * 100 W (1 J/op at 100 ops/s); the edge count, the power cross-check and the temperature are NaN. Without a
     * baseline the windows are read fast, with the line that says so, and count their steps and give the cross-check
     * and the temperature ({@link #assertCrossCheckAndTemperature}: where a busy host held the sampler, what its reads
     * allow).
     */
    @Test
    void quietWindowsGiveTheEnergyWithoutWhatIsReadInsideAndAreReadFastWithoutABaseline() throws Exception {
        String printed = measuredAfterABaseline("gpu=0;idle=1;settle=1;sampling=quiet", m -> {
            List<Result> r = m.results();
            assertOneJoulePerOp(m);
            assertTrue(Double.isNaN(score(r, EnergyLabels.EDGES)) && Double.isNaN(score(r, EnergyLabels.XCHECK_PCT)),
                    "edges " + score(r, EnergyLabels.EDGES) + ", xcheck " + score(r, EnergyLabels.XCHECK_PCT));
            assertTrue(Double.isNaN(score(r, EnergyLabels.MAX_TEMP_C)), score(r, EnergyLabels.MAX_TEMP_C) + " C");
            assertReadsUntilTold(m);
        });
        assertTrue(printed.contains("idle") && !printed.contains("reads fast inside"), printed);
        AtomicInteger powerReadInside = new AtomicInteger();
        String fast = printedBy(() -> new Trial(ProfilerOptions.parse("gpu=0;idle=0;sampling=quiet"), params("gpu:0"),
                MEASUREMENT, () -> FakeNvml.session(new AtomicBoolean())), trial -> {
            warmup(trial, WARMUP, 200);
            for (int i = 0; i < MEASUREMENT.getCount(); i++) {
                Measured m = measured(trial);
                // counter reads at most 100 ms apart see the fake's steps, 100 ms apart, each placed within 50 ms of
                // it: the window's middle 200 ms holds one at least
                long counterGapNs = widestGapNs(m.kept().counterReads().tNs(), m.t0(), m.t1());
                assertTrue(m.score(EnergyLabels.EDGES) >= 1 || counterGapNs > TimeUnit.MILLISECONDS.toNanos(100)
                        || !m.stepAfterSeenInTime(), "edges " + m.score(EnergyLabels.EDGES) + ", the counter reads kept up to "
                        + counterGapNs / 1e6 + " ms apart around the window");
                assertCrossCheckAndTemperature(m);
                assertReadFast(m);
                powerReadInside.addAndGet(m.powerReadInside() ? 1 : 0);
            }
        });
        assertEquals(1, fast.lines().filter(l -> l.contains("no idle baseline: sampling=quiet reads fast inside")).count(), fast);
        assertTrue(powerReadInside.get() > 0, "no power read inside any of the windows read fast");
    }

    /**
     * sampling=quiet with the idle baseline, and the profiler's thread held between taking a measured window's start and
     * telling the sampler (a loaded host; here until the sampler has read inside the window across 150 ms, past the 100
     * ms between temperature reads): the sampler reads inside the window's first instant as it does outside one, yet the
     * window reports no temperature, clock or throttle figure, as one the sampler knew of at once. Its energy is the fake
     * GPU's 100 W.
     */
    @Test
    void aQuietWindowReportsNoTemperatureReadBeforeTheSamplerKnewOfIt() throws Exception {
        printedBy(() -> new Trial(ProfilerOptions.parse("gpu=0;idle=1;settle=1;sampling=quiet"), params("gpu:0"), MEASUREMENT,
                () -> FakeNvml.session(new AtomicBoolean())), trial -> {
            for (int i = 0; i < 2; i++) {
                warmup(trial, 400);
            }
            Measured m = measured(trial, params("gpu:0"), MEASUREMENT, 150, 400, () -> {});
            List<Result> r = m.results();
            assertTrue(Double.isFinite(score(r, EnergyLabels.IDLE_W)), "idle W " + score(r, EnergyLabels.IDLE_W));
            assertOneJoulePerOp(m);
            assertReadsUntilTold(m); // those before the sampler knew of the window among them
            for (String label : List.of(EnergyLabels.MAX_TEMP_C, EnergyLabels.SM_CLOCK_MHZ, EnergyLabels.THROTTLE_POWER_PCT,
                    EnergyLabels.THROTTLE_THERMAL_PCT)) {
                assertTrue(Double.isNaN(score(r, label)), label + " " + score(r, label));
            }
        });
    }

    /**
     * The default polls a window with the idle baseline known as {@code sampling=ends}: no counter read inside after
     * edge a, so no edge count, while the power, temperature and clocks are still read (the cross-check is there:
     * {@link #assertCrossCheckAndTemperature}).
     */
    @Test
    void theDefaultReadsNoCounterInsideAWindowButStillItsPowerAndTemperature() throws Exception {
        assertEquals(Sampling.ENDS, ProfilerOptions.DEFAULTS.sampling());
        AtomicInteger powerReadInside = new AtomicInteger();
        String printed = measuredAfterABaseline("gpu=0;idle=1;settle=1", m -> {
            List<Result> r = m.results();
            assertOneJoulePerOp(m);
            assertTrue(Double.isNaN(score(r, EnergyLabels.EDGES)) && Double.isNaN(score(r, EnergyLabels.INTERIOR_J_PER_IMG)),
                    "edges " + score(r, EnergyLabels.EDGES) + ", interior " + score(r, EnergyLabels.INTERIOR_J_PER_IMG));
            assertCrossCheckAndTemperature(m);
            powerReadInside.addAndGet(m.powerReadInside() ? 1 : 0);
            assertReadsUntilTold(m);
            // the sampler's share of the window is measured; what it spends of it is small, as the fake's reads take
            // microseconds: told by the CPU time its thread used (its share counts a tick whole, one the host held in
            // the middle too)
            double busy = score(r, EnergyLabels.SAMPLER_BUSY_PCT), cpu = 100.0 * m.samplerCpuNs() / (m.t1() - m.told());
            assertTrue(busy > 0 && cpu < 20, "sampler busy " + busy + " %, its CPU time " + cpu + " % of the window");
        });
        assertTrue(printed.contains("idle") && !printed.contains("reads fast inside"), printed);
        assertTrue(powerReadInside.get() > 0, "no power read inside any of the windows");
    }

    /**
     * verbose=true prints each measured window's line with the sampler's busy share, where its longest tick lies and what
     * that tick read: each window whose energy is known ({@link #assertKnown}).
     */
    @Test
    void aVerboseWindowSaysHowBusyTheSamplerWasAndWhere() throws Exception {
        int[] known = {0};
        String printed = measuredAfterABaseline("gpu=0;idle=1;settle=1;verbose=true", m -> {
            assertKnown(m, EnergyLabels.J_PER_IMG);
            known[0] += Double.isFinite(m.score(EnergyLabels.J_PER_IMG)) ? 1 : 0;
        });
        Pattern line = Pattern.compile("sampler busy (\\d+\\.\\d\\d) % \\(longest tick (\\d+\\.\\d\\d) ms at ([+-]\\d+\\.\\d{3}) s: "
                + "((counter|power|temperature\\+clocks|processes) \\d+\\.\\d\\d ms(, )?)+\\)");
        int windows = 0;
        for (String l : printed.lines().filter(l -> l.startsWith("gpu energy: window")).toList()) {
            Matcher m = line.matcher(l);
            assertTrue(m.find(), l);
            double at = Double.parseDouble(m.group(3));
            assertTrue(at > -0.2 && at < 0.4, "a tick of a 400 ms window starts at " + at + " s: " + l);
            windows++;
        }
        assertEquals(known[0], windows, printed);
    }

    /**
     * A driver whose NVML lacks the process list's call (one older than its _v3 API) is measured as one that refuses the
     * list: the energy figures are there, energy.other-processes is NaN.
     */
    @Test
    void aDriverWithoutTheProcessListCallIsMeasuredWithoutThatFigure() throws Exception {
        printedBy(() -> new Trial(options(), params("gpu:0"), WARMUP,
                () -> FakeNvml.sessionWithout("nvmlDeviceGetComputeRunningProcesses_v3")), trial -> {
            warmup(trial, WARMUP, 200);
            Measured measured = measured(trial);
            assertTrue(Double.isNaN(measured.score(EnergyLabels.OTHER_PROCESSES)), "other processes "
                    + measured.score(EnergyLabels.OTHER_PROCESSES));
            assertKnown(measured, EnergyLabels.J_PER_IMG);
        });
    }

    /**
     * The counter does not step within the 0.5 s the trial waits after a warmup window and after a sat-out one: the next
     * window then starts before the step that holds the previous window's end, and its first step may hold that
     * window's load. One line says so, once in the trial.
     */
    @Test
    void noCounterStepAfterAWarmupOrSatOutWindowIsSaidOnce() throws Exception {
        IterationParams measurement = new IterationParams(IterationType.MEASUREMENT, 4, TimeValue.milliseconds(300), 1);
        for (String spec : new String[]{"gpu=0;idle=0", "gpu=0;idle=0;interleave=true"}) {
            boolean interleaved = spec.contains("interleave");
            AtomicBoolean stalls = new AtomicBoolean();
            String printed = printedBy(() -> new Trial(ProfilerOptions.parse(spec), params("gpu:0", Mode.Throughput,
                    measurement), TWO_WARMUPS, () -> FakeNvml.sessionStalling(stalls)), trial -> {
                // the counter stalls inside each warmup window (and the sat-out first measured one) until 200 ms after
                // it, less than the 2 s that stop the sampling, more than the 0.5 s the trial waits for a step
                Runnable stallAtTheEnd = () -> stalls.set(true);
                for (int i = 0; i < 2; i++) {
                    warmup(trial, TWO_WARMUPS, 200, stallAtTheEnd);
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
                    stalls.set(false);
                }
                window(trial, measurement, 200, interleaved ? stallAtTheEnd : () -> {});
                stalls.set(false);
            });
            List<String> said = printed.lines().filter(l -> l.contains("no counter step within 0.5 s after a")).toList();
            assertEquals(1, said.size(), spec + ": [" + printed + "]");
            assertTrue(said.get(0).contains("after a warmup window"), said.get(0));
        }
        // a sat-out window alone
        AtomicBoolean stalls = new AtomicBoolean();
        String printed = printedBy(() -> new Trial(ProfilerOptions.parse("gpu=0;idle=0;interleave=true"), params("gpu:0",
                Mode.Throughput, measurement), WARMUP, () -> FakeNvml.sessionStalling(stalls)), trial -> {
            warmup(trial, WARMUP, 200);
            window(trial, measurement, 300, () -> stalls.set(true));
            stalls.set(false);
        });
        assertEquals(1, printed.lines().filter(l -> l.contains("no counter step within 0.5 s after a sat-out window")).count(),
                printed);
    }

    /**
     * A board whose NVML does not tell its enforced power limit: the trial measures, with one line saying so; only
     * energy.limit-%, the one figure that needs the limit, is NaN.
     */
    @Test
    void aBoardThatDoesNotTellItsPowerLimitIsMeasuredWithoutTheLimitsShare() throws Exception {
        String printed = printedBy(() -> new Trial(ProfilerOptions.parse("gpu=0;idle=1;settle=1"), params("gpu:0"), MEASUREMENT,
                () -> FakeNvml.sessionNotSupporting("nvmlDeviceGetEnforcedPowerLimit")), trial -> {
            for (int i = 0; i < 2; i++) {
                warmup(trial, 400);
            }
            Measured measured = measured(trial, MEASUREMENT, 400, () -> {});
            assertTrue(Double.isNaN(measured.score(EnergyLabels.LIMIT_PCT)), "limit-% " + measured.score(EnergyLabels.LIMIT_PCT));
            assertKnown(measured, EnergyLabels.J_PER_IMG, EnergyLabels.NET_J_PER_IMG, EnergyLabels.AVG_W);
            assertTrue(Double.isFinite(measured.score(EnergyLabels.IDLE_W)), "idle W " + measured.score(EnergyLabels.IDLE_W));
        });
        assertEquals(1, printed.lines().filter(l -> l.contains("gpu energy: the power limit of Fake GPU GPU-fake is unknown")).count(), printed);
        assertTrue(printed.contains("Not Supported"), printed);
        assertTrue(printed.contains("limit unknown, idle"), "the idle baseline's line: " + printed);
    }

    /**
     * A trial of {@code spec} on the fake GPU: two 400 ms warmups (the idle baseline goes before the second), then each
     * 400 ms measured window's results checked; what the trial printed.
     */
    private static String measuredAfterABaseline(String spec, Consumer<Measured> check) throws Exception {
        return printedBy(() -> new Trial(ProfilerOptions.parse(spec), params("gpu:0"), MEASUREMENT,
                () -> FakeNvml.session(new AtomicBoolean())), trial -> {
            for (int i = 0; i < 2; i++) {
                warmup(trial, 400);
            }
            for (int i = 0; i < MEASUREMENT.getCount(); i++) {
                check.accept(measured(trial, MEASUREMENT, 400, () -> {}));
            }
        });
    }

    /**
     * The cross-check and the temperature of a measured window whose power and temperature the sampler reads inside:
     * it reads the power every 10 ms or on each 25 ms tick, the temperature every 100 ms, where a busy host lets it.
     * The cross-check is there exactly where the power reads the trial kept lie at most
     * {@link PowerIntegral#MAX_GAP_NS} apart around the window (a wider gap makes it NaN, by design). The temperature
     * is the fake GPU's 40 C wherever they lie at most 75 ms apart: a temperature read then falls due within 175 ms of
     * the window's start, and a tick held after it holds the next power read as long, so it lands before the end;
     * where they lie wider apart, the temperature is the fake's or unknown. A window whose energy is unknown for want of
     * a step after it in time ({@link Measured#stepAfterSeenInTime}) has no cross-check either.
     */
    private static void assertCrossCheckAndTemperature(Measured m) {
        long gapNs = widestGapNs(m.powerReads(), m.t0(), m.t1());
        double xcheck = m.score(EnergyLabels.XCHECK_PCT), temperature = m.score(EnergyLabels.MAX_TEMP_C);
        String said = "xcheck " + xcheck + " %, " + temperature + " C, the power reads kept up to " + gapNs / 1e6
                + " ms apart around the window";
        assertTrue(Double.isFinite(xcheck) ? gapNs <= PowerIntegral.MAX_GAP_NS
                : gapNs > PowerIntegral.MAX_GAP_NS || !m.stepAfterSeenInTime(), said);
        assertTrue(temperature == 40 || Double.isNaN(temperature) && gapNs > TimeUnit.MILLISECONDS.toNanos(75), said);
    }

    /**
     * A window polled without counter reads inside (ends, quiet; with the idle baseline): its counter reads are those
     * the sampler took before it knew of the window, reading fast as outside one (a busy host may hold the profiler's
     * thread between taking t0 and telling it), and at most two more, the one under way then and one started at or
     * after t0, which places edge a.
     */
    private static void assertReadsUntilTold(Measured m) {
        long before = Arrays.stream(m.kept().counterReads().tNs()).filter(t -> t >= m.t0() && t < m.told()).count();
        double reads = m.score(EnergyLabels.WINDOW_READS_PER_S) * (m.t1() - m.t0()) / 1e9;
        assertTrue(reads > before - 0.001 && reads < before + 2.001, Math.round(reads) + " counter reads inside, " + before
                + " of them before the sampler knew of the window");
    }

    /**
     * Each of {@code labels} (energy figures) is known, as it is wherever the trial saw a counter step after the window's
     * end in time ({@link Measured#stepAfterSeenInTime}).
     */
    private static void assertKnown(Measured m, String... labels) {
        for (String label : labels) {
            assertTrue(Double.isFinite(m.score(label)) || !m.stepAfterSeenInTime(), label + " " + m.score(label));
        }
    }

    /**
     * J/op of a window at 100 ops/s on the fake GPU's steady 100 W: 1 J, as its mean power over that rate is the fake's
     * 100 W to within what the reads placing its ends and the idle baseline charged outside it allow ({@link FakeWatts});
     * NaN only where the trial saw no counter step after the window in time.
     */
    private static void assertOneJoulePerOp(Measured m) {
        assertKnown(m, EnergyLabels.J_PER_OP);
        if (Double.isFinite(m.score(EnergyLabels.J_PER_OP))) {
            FakeWatts.assertHundredWatts(100 * m.score(EnergyLabels.J_PER_OP), m.kept(), m.t0(), m.t1(),
                    m.score(EnergyLabels.IDLE_W), "J/op x 100 ops/s");
        }
    }

    /**
     * A measured window read fast: each tick reads the counter, so no power read the trial kept inside lies on a tick
     * without one, as on a slowly polled window's; and wherever the counter reads lie at most 15 ms apart around the
     * window (a busy host held the sampler no longer), its reads a second say more than 50 (else they say what was
     * read, as many as the host let the sampler take).
     */
    private static void assertReadFast(Measured m) {
        CounterSamples s = m.kept();
        long powerAlone = IntStream.range(0, s.size()).filter(i -> s.tNs()[i] >= m.t0() && s.tNs()[i] <= m.t1()
                && s.energyMj()[i] < 0).count();
        long gapNs = widestGapNs(s.counterReads().tNs(), m.t0(), m.t1());
        double perSecond = m.score(EnergyLabels.WINDOW_READS_PER_S);
        String said = powerAlone + " power reads alone inside, " + perSecond + " counter reads/s, up to " + gapNs / 1e6
                + " ms apart around the window";
        assertEquals(0, powerAlone, said);
        assertTrue(gapNs > TimeUnit.MILLISECONDS.toNanos(15) ? perSecond >= 0 : perSecond > 50, said);
    }

    /**
     * The widest gap between consecutive reads at {@code tNs} (increasing) around any part of [t0, t1], from the last
     * at or before t0 to the first at or after t1, as {@link PowerIntegral} bridges them; Long.MAX_VALUE where no read
     * lies at or before t0 or at or after t1.
     */
    private static long widestGapNs(long[] tNs, long t0, long t1) {
        int first = -1, last = -1;
        for (int i = 0; i < tNs.length; i++) {
            first = tNs[i] <= t0 ? i : first;
            last = tNs[i] >= t1 && last < 0 ? i : last;
        }
        if (first < 0 || last < 0) {
            return Long.MAX_VALUE;
        }
        long widest = 0;
        for (int i = first + 1; i <= last; i++) {
            widest = Math.max(widest, tNs[i] - tNs[i - 1]);
        }
        return widest;
    }

    /** One warmup window of {@code ms}, of two; its end. */
    private static long warmup(Trial trial, long ms) {
        return warmup(trial, TWO_WARMUPS, ms);
    }

    /** One warmup window of {@code ms}; its end. */
    private static long warmup(Trial trial, IterationParams it, long ms) {
        return warmup(trial, it, ms, () -> {});
    }

    /** One warmup window of {@code ms}; {@code atStart} runs right after it opens; its end. */
    private static long warmup(Trial trial, IterationParams it, long ms, Runnable atStart) {
        trial.beforeIteration(it);
        long t0 = System.nanoTime();
        trial.windowOpened(t0, it);
        atStart.run();
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(ms));
        long t1 = System.nanoTime();
        trial.windowClosed();
        trial.warmupEnded(t0, t1);
        return t1;
    }

    /**
     * A trial in a time mode says once, as it starts, that its J/op pairs with throughput (JMH's score there is a mean of
     * times per op); a trial in throughput mode says nothing of it.
     */
    @Test
    void aTrialInATimeModeSaysOnceThatItsJPerOpPairsWithThroughput() throws Exception {
        for (Mode mode : new Mode[]{Mode.AverageTime, Mode.SampleTime, Mode.Throughput}) {
            BenchmarkParams bp = params("gpu:0", mode);
            String printed = printedBy(() -> new Trial(options(), bp, WARMUP, () -> FakeNvml.session(new AtomicBoolean())),
                    trial -> {
                warmup(trial, WARMUP, 200);
                for (int i = 0; i < MEASUREMENT.getCount(); i++) {
                    // the fake GPU draws 100 W and the window runs 100 ops/s in every mode: 1 J/op, the energy over the
                    // ops, whether JMH scores the window as a rate or as a time per op
                    List<Result> measured = window(trial, bp, MEASUREMENT, 200, () -> {});
                    assertEquals(score(measured, EnergyLabels.AVG_W) / 100, score(measured, EnergyLabels.J_PER_OP),
                            0.02 * score(measured, EnergyLabels.J_PER_OP), mode + ": J/op is avg-W over the ops' rate");
                }
            });
            long said = printed.lines().filter(l -> l.contains("-bm thrpt")).count();
            assertEquals(mode == Mode.Throughput ? 0 : 1, said, mode + ": " + printed);
            if (said == 1) {
                assertTrue(printed.contains("in mode " + mode.shortLabel() + " "), mode.shortLabel());
            }
        }
    }

    /**
     * interleave=true over two ABBA blocks: a sat-out window reports {@code energy.sampled} = 0 and nothing else, and
     * holds no NVML read; a sampled one every figure and {@code energy.sampled} = 1. JMH aggregates each energy figure
     * over the sampled windows: no 0 is padded in for the windows without it.
     */
    @Test
    void interleavedWindowsAlternateSatOutAndSampledInAbbaOrder() throws Exception {
        IterationParams measurement = new IterationParams(IterationType.MEASUREMENT, 8, TimeValue.milliseconds(300), 1);
        BenchmarkParams bp = params("gpu:0", Mode.Throughput, measurement);
        List<IterationResult> iterations = new ArrayList<>();
        double[] flags = new double[measurement.getCount()];
        double[] abba = {0, 1, 1, 0, 0, 1, 1, 0};
        double[] sampledWatts = new double[2];
        boolean[] energyKnown = {true};
        String printed = printedBy(() -> new Trial(ProfilerOptions.parse("gpu=0;idle=0;interleave=true"), bp, WARMUP,
                () -> FakeNvml.session(new AtomicBoolean())), trial -> {
            warmup(trial, WARMUP, 200);
            for (int i = 0; i < measurement.getCount(); i++) {
                // a window to sample stays open until the sampler has read inside it (at once on an idle host; a busy
                // one may hold the sampler for the window's 300 ms)
                Measured m = measured(trial, bp, measurement, 0, 300,
                        abba[i] == 1 ? () -> awaitReadsAcross(trial, System.nanoTime(), 0) : () -> {});
                List<Result> figures = m.results();
                flags[i] = score(figures, EnergyLabels.SAMPLED);
                long readsInside = Arrays.stream(m.kept().tNs()).filter(t -> t >= m.t0() && t <= m.t1()).count();
                if (flags[i] == 0) {
                    assertEquals(List.of(EnergyLabels.SAMPLED), figures.stream().map(Result::getLabel).toList(), "window " + i);
                    assertEquals(0, readsInside, "NVML reads inside sat-out window " + i);
                } else {
                    assertKnown(m, EnergyLabels.J_PER_IMG);
                    energyKnown[0] &= Double.isFinite(score(figures, EnergyLabels.J_PER_IMG));
                    assertTrue(readsInside > 0, "no read inside sampled window " + i);
                    sampledWatts[0] += score(figures, EnergyLabels.AVG_W);
                    sampledWatts[1]++;
                }
                IterationResult result = new IterationResult(bp, measurement, null);
                result.addResult(new ThroughputResult(ResultRole.PRIMARY, "infer", 30, TimeUnit.MILLISECONDS.toNanos(300),
                        TimeUnit.SECONDS));
                result.addResults(figures);
                iterations.add(result);
            }
        });
        assertArrayEquals(abba, flags);
        assertTrue(printed.contains("interleave=true: measured windows go sat out, sampled, sampled, sat out"), printed);
        assertFalse(printed.contains("part block"), printed);
        Map<String, Result> aggregated = new BenchmarkResult(bp, iterations).getSecondaryResults();
        assertEquals(0.5, aggregated.get(EnergyLabels.SAMPLED).getScore(), 1e-12);
        assertEquals(sampledWatts[0] / sampledWatts[1], aggregated.get(EnergyLabels.AVG_W).getScore(), 1e-9,
                "avg-W over the sampled windows");
        assertEquals(energyKnown[0], Double.isFinite(aggregated.get(EnergyLabels.J_PER_IMG).getScore()),
                "J/img over the sampled windows, known where each one's is");
    }

    /**
     * interleave=true, and the counter becomes unreadable for good after the first sampled pair: once the sampling has
     * stopped no window has a sampler, so none counts as sampled or as sat out ({@code energy.sampled} NaN, the value
     * overhead's comparison inside runs leaves out), with the one line that says the sampling stopped.
     */
    @Test
    void afterTheSamplingStopsNoInterleavedWindowCountsAsEitherKind() throws Exception {
        IterationParams measurement = new IterationParams(IterationType.MEASUREMENT, 8, TimeValue.milliseconds(200), 1);
        BenchmarkParams bp = params("gpu:0", Mode.Throughput, measurement);
        AtomicBoolean fails = new AtomicBoolean();
        double[] flags = new double[measurement.getCount()];
        String printed = printedBy(() -> new Trial(ProfilerOptions.parse("gpu=0;idle=0;interleave=true"), bp, WARMUP,
                () -> FakeNvml.session(fails)), trial -> {
            warmup(trial, WARMUP, 200);
            for (int i = 0; i < measurement.getCount(); i++) {
                if (i == 3) {
                    fails.set(true);
                    LockSupport.parkNanos(NvmlSampler.COUNTER_FAILING_STOP_NS + TimeUnit.MILLISECONDS.toNanos(500));
                }
                flags[i] = score(window(trial, bp, measurement, 200, () -> {}), EnergyLabels.SAMPLED);
            }
        });
        assertArrayEquals(new double[]{0, 1, 1, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN}, flags);
        assertEquals(1, printed.lines().filter(l -> l.contains("sampling stopped")).count(), printed);
    }

    @Test
    void anInterleavedRunTooShortForABlockSaysSo() throws Exception {
        String printed = printedBy(() -> new Trial(ProfilerOptions.parse("gpu=0;idle=0;interleave=true"), params("gpu:0"),
                WARMUP, () -> FakeNvml.session(new AtomicBoolean())), trial -> {});
        assertTrue(printed.contains("3 measured iterations hold no whole ABBA block"), printed);
    }

    /** What an interleaved trial says of its iteration counts besides how it runs. */
    @Test
    void anInterleavedTrialSaysWhatItsIterationCountsCost() {
        assertEquals("", Trial.interleaveWarning(16, 2, 5));
        assertTrue(Trial.interleaveWarning(2, 2, 5).contains("2 measured iterations hold no whole ABBA block"));
        assertTrue(Trial.interleaveWarning(6, 2, 5).contains("6 measured iterations end in a part block"));
        assertTrue(Trial.interleaveWarning(16, 0, 5).contains("without a warm-up the first window, sat out, holds the"
                + " benchmark's setup"));
        assertTrue(Trial.interleaveWarning(16, 1, 5).contains("the idle baseline goes right before the first window"));
        assertEquals("", Trial.interleaveWarning(16, 1, 0), "no idle baseline, one warm-up");
    }

    /** What a trial printed from its start while {@code body} ran on it; the trial is closed after it. */
    private static String printedBy(Start start, Body body) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = System.out;
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        Trial trial = null;
        try {
            trial = start.get();
            body.run(trial);
        } catch (AssertionError e) {
            // what the trial printed (the idle baseline's line, its warnings) tells why a window's figures were off
            throw new AssertionError(e.getMessage() + "; the trial printed:\n" + bytes.toString(StandardCharsets.UTF_8), e);
        } finally {
            System.setOut(out);
            if (trial != null) {
                trial.close();
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private interface Start {
        Trial get() throws Exception;
    }

    private interface Body {
        void run(Trial trial) throws Exception;
    }

    /** One measured window of 300 ms at 100 ops/s. */
    private static List<Result> window(Trial trial) {
        return window(trial, MEASUREMENT, 300);
    }

    /** One measured window of {@code ms} at 100 ops/s. */
    private static List<Result> window(Trial trial, IterationParams it, long ms) {
        return window(trial, it, ms, () -> {});
    }

    /** One measured window of {@code ms} at 100 ops/s; {@code atStart} runs right after it opens. */
    private static List<Result> window(Trial trial, IterationParams it, long ms, Runnable atStart) {
        return window(trial, params("gpu:0"), it, ms, atStart);
    }

    /**
     * One measured window of {@code ms} at 100 ops/s, scored as JMH scores it in {@code bp}'s mode; {@code atStart} runs
     * right after it opens.
     */
    private static List<Result> window(Trial trial, BenchmarkParams bp, IterationParams it, long ms, Runnable atStart) {
        return window(trial, bp, it, 0, ms, atStart);
    }

    /**
     * The same, the sampler told of the window's start once it has read inside it across {@code toldAfterMs} (the
     * profiler's thread held in between: that long on an idle host, longer where a busy one holds the sampler), the
     * window {@code ms} longer from then.
     */
    private static List<Result> window(Trial trial, BenchmarkParams bp, IterationParams it, long toldAfterMs, long ms,
                                       Runnable atStart) {
        return measured(trial, bp, it, toldAfterMs, ms, atStart).results();
    }

    /** One measured window of 300 ms at 100 ops/s, with what the trial kept. */
    private static Measured measured(Trial trial) {
        return measured(trial, MEASUREMENT, 300, () -> {});
    }

    /** One measured window of {@code ms} at 100 ops/s, with what the trial kept; {@code atStart} runs right after it opens. */
    private static Measured measured(Trial trial, IterationParams it, long ms, Runnable atStart) {
        return measured(trial, params("gpu:0"), it, 0, ms, atStart);
    }

    /**
     * A measured window: its figures, its ends, when the sampler was told of its start, the samples the trial kept once
     * it had measured it (those it measured the window from, and any taken since), and the CPU time the sampler's thread
     * used from then to t1.
     */
    private record Measured(List<Result> results, long t0, long told, long t1, CounterSamples kept, Trial trial,
                            long samplerCpuNs) {
        double score(String label) {
            return TrialTest.score(results, label);
        }

        /**
         * Whether the trial saw a counter step after the window's end within the {@link Trial#AFTER_WINDOW_WAIT_NS} it
         * waits for one (a busy host that holds the sampler longer leaves the window's energy NaN, by design): the counter
         * reads the trial keeps place a step at or after t1, and the sampler read again by then, having told that step
         * before. Waits for the sampler's reads to reach that far (2 s more at most).
         */
        boolean stepAfterSeenInTime() {
            long by = t1 + Trial.AFTER_WINDOW_WAIT_NS;
            CounterSamples s = trial.samplesKept();
            while ((s.size() == 0 || s.tNs()[s.size() - 1] <= by) && samplersPolling() > 0
                    && System.nanoTime() < by + TimeUnit.SECONDS.toNanos(2)) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                s = trial.samplesKept();
            }
            CounterSamples c = s.counterReads();
            for (int i = 1; i < c.size(); i++) {
                if (c.energyMj()[i] > c.energyMj()[i - 1] && c.tNs()[i - 1] + (c.tNs()[i] - c.tNs()[i - 1]) / 2 >= t1) {
                    long told = c.tNs()[i];
                    return Arrays.stream(s.tNs()).anyMatch(t -> t > told && t <= by);
                }
            }
            return false;
        }

        /** When the trial kept a power read, in time order. */
        long[] powerReads() {
            return IntStream.range(0, kept.size()).filter(i -> kept.powerMw()[i] >= 0).mapToLong(i -> kept.tNs()[i]).toArray();
        }

        /** Whether the trial kept a power read inside the window. */
        boolean powerReadInside() {
            return Arrays.stream(powerReads()).anyMatch(t -> t > t0 && t < t1);
        }
    }

    /** {@link #window(Trial, BenchmarkParams, IterationParams, long, long, Runnable)}, with what the trial kept. */
    private static Measured measured(Trial trial, BenchmarkParams bp, IterationParams it, long toldAfterMs, long ms,
                                     Runnable atStart) {
        trial.beforeIteration(it);
        long t0 = System.nanoTime();
        if (toldAfterMs > 0) {
            awaitReadsAcross(trial, t0, TimeUnit.MILLISECONDS.toNanos(toldAfterMs));
        }
        trial.windowOpened(t0, it);
        long told = System.nanoTime();
        long cpu0 = samplerCpuNs();
        atStart.run();
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(ms));
        long t1 = System.nanoTime();
        long cpu1 = samplerCpuNs();
        trial.windowClosed();
        IterationResult result = new IterationResult(bp, it, null);
        long ns = TimeUnit.MILLISECONDS.toNanos(ms);
        result.addResult(switch (bp.getMode()) {
            case Throughput -> new ThroughputResult(ResultRole.PRIMARY, "infer", ms / 10, ns, TimeUnit.SECONDS);
            case SampleTime -> {
                SampleBuffer times = new SampleBuffer(); // each op's time, as JMH samples them
                for (long op = 0; op < ms / 10; op++) {
                    times.add(TimeUnit.MILLISECONDS.toNanos(10));
                }
                yield new SampleTimeResult(ResultRole.PRIMARY, "infer", times, TimeUnit.SECONDS);
            }
            default -> new AverageTimeResult(ResultRole.PRIMARY, "infer", ms / 10, ns, TimeUnit.SECONDS);
        });
        List<Result> figures = trial.measure(t0, t1, 0, ms * 1000, result);
        return new Measured(figures, t0, told, t1, trial.samplesKept(), trial, cpu1 - cpu0);
    }

    /** Waits (5 s at most) until the trial keeps reads taken at or after {@code fromNs} across {@code spanNs} (one for 0). */
    private static void awaitReadsAcross(Trial trial, long fromNs, long spanNs) {
        for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5); System.nanoTime() < deadline; ) {
            long[] t = Arrays.stream(trial.samplesKept().tNs()).filter(x -> x >= fromNs).toArray();
            if (t.length > 0 && t[t.length - 1] - t[0] >= spanNs) {
                return;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    /** The CPU time the sampler's thread has used, ns. */
    private static long samplerCpuNs() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        return Arrays.stream(threads.getThreadInfo(threads.getAllThreadIds()))
                .filter(t -> t != null && t.getThreadName().equals("gpu-energy-sampler"))
                .mapToLong(t -> Math.max(0, threads.getThreadCpuTime(t.getThreadId()))).sum();
    }

    private static double score(List<Result> results, String label) {
        return results.stream().filter(r -> r.getLabel().equals(label)).findFirst().orElseThrow().getScore();
    }

    private static ProfilerOptions options() {
        try {
            return ProfilerOptions.parse("gpu=0;idle=0");
        } catch (org.openjdk.jmh.profile.ProfilerException e) {
            throw new IllegalStateException(e);
        }
    }

    private static BenchmarkParams params(String device) {
        return params(device, Mode.Throughput);
    }

    private static BenchmarkParams params(String device, Mode mode) {
        return params(device, mode, MEASUREMENT);
    }

    private static BenchmarkParams params(String device, Mode mode, IterationParams measurement) {
        WorkloadParams wp = new WorkloadParams();
        wp.put("batchSize", "8", 0);
        wp.put("device", device, 1);
        return new BenchmarkParams("gpuenergy.bench.InferenceBenchmark.infer", "generated", false, 1,
                new int[]{1}, List.of(), 1, 0, WARMUP, measurement, mode, wp, TimeUnit.SECONDS, 1, "java",
                List.of(), "17", "vm", "17", "1.37", TimeValue.minutes(1));
    }

    private static long samplersPolling() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("gpu-energy-sampler") && t.isAlive()).count();
    }
}
