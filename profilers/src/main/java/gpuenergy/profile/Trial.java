package gpuenergy.profile;

import gpuenergy.nvml.Nvml;
import gpuenergy.nvml.NvmlDevice;
import gpuenergy.nvml.NvmlException;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.runner.IterationType;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * One fork's (one trial's) measurement: the NVML session on the benchmark's GPU, the sampler polling it from the first
 * iteration to the last, the idle baseline, and each measured window's energy ({@link IterationEnergy}).
 */
final class Trial implements AutoCloseable {
    /**
     * The trial whose sampler polls in this JVM. JMH closes a trial at its last measured iteration only; a benchmark that
     * fails before it leaves its trial open, and with {@code -f 0} the next benchmarks run in this JVM: the trial left
     * over is closed when the next benchmark starts, so its sampler never polls beside another's measurement.
     */
    private static final AtomicReference<Trial> OPEN = new AtomicReference<>();

    /** How long the trial waits for the counter's step after a window's end (a measured window's energy needs it). */
    static final long AFTER_WINDOW_WAIT_NS = TimeUnit.MILLISECONDS.toNanos(500);
    private static final long FIRST_EDGE_WAIT_NS = TimeUnit.SECONDS.toNanos(2);
    /** How long a window to sit out waits for the sampler to park: a tick under way (its NVML calls) ends first. */
    private static final long PAUSE_WAIT_NS = TimeUnit.MILLISECONDS.toNanos(500);
    /** Samples kept before a window's start: a window's counter steps begin up to ~100 ms before it. */
    static final long KEEP_BEFORE_WINDOW_NS = TimeUnit.SECONDS.toNanos(2);

    private final ProfilerOptions o;
    private final Nvml nvml;
    private final String gpuLabel;
    private final NvmlSampler sampler;
    private final GpuBusyReader busy;
    private final OtherProcesses otherProcesses;
    /** The raw record (option trace=DIR); {@link SampleTrace#OFF} without it. */
    private final SampleTrace trace;
    private TrialFacts facts;
    private boolean idleMeasured;
    private int warmupIterations;
    private int measuredIterations;
    /** Measured windows opened so far: the next one's index in {@link Interleave}'s order. */
    private int measuredOpened;
    /** The open window is sat out (interleave=true): the sampler is parked in it. */
    private boolean satOut;
    /** The sampler did not park before the sat-out window opened: it is no window without the sampler. */
    private boolean notParked;
    private boolean warnedEdgeReadGap;
    private boolean saidFastInside;
    private boolean saidStopped;
    private boolean saidNotParked;
    private boolean saidNoStepAfter;
    private boolean closed;
    /** End of the previous measured or warmup window: the gap before a window is when the GPU idles. */
    private long previousWindowEndNs;

    Trial(ProfilerOptions o, BenchmarkParams bp, IterationParams first) {
        this(o, bp, first, Nvml::open);
    }

    /** @param nvmlSession opens the NVML session the trial owns and closes */
    Trial(ProfilerOptions o, BenchmarkParams bp, IterationParams first, Supplier<Nvml> nvmlSession) {
        closeLeftOver();
        this.o = o;
        int imagesPerOp = NvmlEnergyProfiler.imagesPerOp(bp.getParam(o.batchParam()), o.batchParam());
        // a device value outside DeviceSpec's grammar is refused before NVML is asked: no GPU is measured for it
        GpuSelector selector = GpuLocator.selector(o.gpu(), bp.getParam(o.deviceParam()));
        nvml = nvmlSession.get();
        SampleTrace opened = SampleTrace.OFF;
        try {
            NvmlDevice gpu = GpuLocator.locate(nvml, selector);
            // the host checks only that some GPU the benchmarks can run on has the counter: this benchmark's is known here
            String noCounter = NvmlEnergyProfiler.noCounter(gpu);
            if (noCounter != null) {
                throw new IllegalStateException(noCounter);
            }
            gpuLabel = gpu.name() + " " + gpu.uuid();
            facts = new TrialFacts(imagesPerOp, Double.NaN, powerLimitWatts(gpu, gpuLabel));
            sampler = new NvmlSampler(gpu, o.hz(), o.sampling());
            busy = new GpuBusyReader(gpu, o.verbose());
            if (o.traceDir() != null) {
                opened = SampleTrace.open(Path.of(o.traceDir()), SampleTrace.fileName(bp.getParamsKeys().stream()
                                .map(bp::getParam).toList(), ProcessHandle.current().pid()),
                        "gpu=" + gpuLabel + " limit_w=" + facts.limitWatts() + " hz=" + o.hz() + " sampling=" + o.sampling()
                                + " benchmark=" + bp.getBenchmark());
            }
            otherProcesses = new OtherProcesses(sampler, gpuLabel);
        } catch (RuntimeException | Error e) {
            // not yet the open trial: nothing else would close its NVML session or its trace file
            opened.close();
            nvml.close();
            throw e;
        }
        trace = opened;
        OPEN.set(this);
        sampler.start();
        if (!sampler.awaitEdgeAtOrAfter(Long.MIN_VALUE + 1, FIRST_EDGE_WAIT_NS)) {
            String stopped = sampler.stoppedBecause();
            close();
            throw new IllegalStateException("gpu energy: " + (stopped != null ? gpuLabel + ": " + stopped
                    : "the energy counter of " + gpuLabel + " did not change in 2 s"));
        }
        if (o.interleave()) {
            System.out.println("gpu energy: interleave=true: measured windows go sat out, sampled, sampled, sat out, ...;"
                    + " in a sat-out window the sampler is parked and only " + EnergyLabels.SAMPLED + " = 0 is reported"
                    + interleaveWarning(bp.getMeasurement().getCount(), bp.getWarmup().getCount(), o.idleSeconds()));
        }
        if (first.getType() == IterationType.MEASUREMENT) {
            System.out.println("gpu energy: WARNING: no warmup iteration; the first measured window includes the benchmark's setup");
        }
        if (bp.getMode() != Mode.Throughput) {
            // J/op is the iterations' energy over their ops in every mode; a time mode's score is a mean of times per op,
            // whose inverse (in avgt the harmonic mean of the iterations' rates) lies below the mean rate wherever the
            // rates differ, so it and J/op do not multiply out to avg-W
            System.out.println("gpu energy: in mode " + bp.getMode().shortLabel() + " JMH's score is a mean of times per"
                    + " op, whose inverse is not the rate the energy was spent at; J/op is energy over ops and pairs with"
                    + " throughput: -bm thrpt gives the score with which ops/s x J/op = avg-W");
        }
    }

    /**
     * The GPU's enforced power limit, watts; NaN, with one line, where its NVML does not report it (Not Supported on
     * some boards): only {@link EnergyLabels#LIMIT_PCT} needs it, so the trial measures without it.
     */
    private static double powerLimitWatts(NvmlDevice gpu, String gpuLabel) {
        try {
            return gpu.enforcedPowerLimitMilliwatts() / 1000.0;
        } catch (NvmlException e) {
            System.out.println("gpu energy: the power limit of " + gpuLabel + " is unknown (" + e.getMessage() + "); "
                    + EnergyLabels.LIMIT_PCT + " is NaN");
            return Double.NaN;
        }
    }

    /**
     * What an interleaved trial of these iteration counts says besides how it runs: a part block, a run of one kind of
     * window, or a first measured window (always sat out) that takes the idle baseline's pause or the benchmark's setup.
     */
    static String interleaveWarning(int measured, int warmups, int idleSeconds) {
        String warning = measured < Interleave.BLOCK ? "; WARNING: " + measured + " measured iterations hold no whole ABBA"
                + " block (its pairs of neighbouring windows are compared; -i " + Interleave.BLOCK + " or more balances"
                + " a drift over whole blocks)"
                : measured % Interleave.BLOCK != 0 ? "; WARNING: " + measured + " measured iterations end in a part block"
                + " (-i a multiple of " + Interleave.BLOCK + " balances a drift over whole blocks)" : "";
        if (warmups == 0) {
            warning += "; WARNING: without a warm-up the first window, sat out, holds the benchmark's setup";
        } else if (warmups < 2 && idleSeconds > 0) {
            warning += "; WARNING: with one warm-up the idle baseline goes right before the first window, sat out (2 or"
                    + " more re-warm the GPU after it)";
        }
        return warning;
    }

    /** Closes the trial a failed benchmark left open in this JVM, if any. */
    static void closeLeftOver() {
        Trial left = OPEN.get();
        if (left != null) {
            left.close();
        }
    }

    /**
     * Counts the iteration about to start; measures the idle baseline first when this is its place; parks the sampler
     * before a window to sit out.
     */
    void beforeIteration(IterationParams it) {
        if (it.getType() == IterationType.WARMUP) {
            warmupIterations++;
        }
        if (!idleMeasured && o.idleSeconds() > 0 && idleGoesBefore(it, warmupIterations)) {
            idleMeasured = true;
            facts = facts.withIdleWatts(IdleBaseline.measure(sampler, o, trace, gpuLabel, facts.limitWatts()));
        }
        if (it.getType() == IterationType.MEASUREMENT && o.sampling() != Sampling.CONTINUOUS
                && !o.sampling().slowInside(true, facts.idleWatts()) && !saidFastInside) {
            saidFastInside = true;
            System.out.println("gpu energy: no idle baseline: sampling=" + o.sampling() + " reads fast inside the measured windows too"
                    + " (their ends are interpolated linearly, which needs the last counter step inside placed precisely)");
        }
        satOut = o.interleave() && it.getType() == IterationType.MEASUREMENT && !Interleave.sampled(measuredOpened++);
        if (satOut) {
            // parked before the window opens, so that no tick of it lies inside
            notParked = !sampler.pauseTicks(PAUSE_WAIT_NS);
        }
    }

    /**
     * The window [t0, ...) has started (the end of the profiler's beforeIteration): the sampler may poll it slowly
     * ({@link Sampling#slowInside}).
     */
    void windowOpened(long t0, IterationParams it) {
        if (satOut) {
            return; // the sampler is parked
        }
        sampler.windowOpened(t0, o.sampling().slowInside(it.getType() == IterationType.MEASUREMENT, facts.idleWatts()));
    }

    /**
     * The window has ended (the start of the profiler's afterIteration): the sampler reads fast again at once, or, after
     * a window it sat out, polls again.
     */
    void windowClosed() {
        if (satOut) {
            sampler.resumeTicks();
        }
        sampler.windowClosed();
    }

    /**
     * The idle baseline needs the model loaded (the trial's setup runs inside the first iteration), and the
     * GPU back at working temperature and clocks before the first measured window: so it goes before the
     * last warmup iteration, which then re-warms the GPU. With fewer than 2 warmup iterations it goes before
     * the first measurement iteration (which then starts on a GPU that idled).
     */
    static boolean idleGoesBefore(IterationParams it, int warmupIterationsSoFar) {
        if (it.getType() == IterationType.WARMUP) {
            return it.getCount() >= 2 && warmupIterationsSoFar == it.getCount();
        }
        return it.getType() == IterationType.MEASUREMENT;
    }

    /** Counts a measured iteration; true when it is the trial's last. */
    boolean lastMeasured(IterationParams it) {
        return it.getType() == IterationType.MEASUREMENT && ++measuredIterations == it.getCount();
    }

    /**
     * After a warmup window: holds the next window's start until the counter has stepped past this one's end, as after
     * a measured one, so that the step straddling the next start lies in the pause, where the GPU idles, as the
     * end-step split assumes; otherwise the first measured window's first step would be warmup load.
     */
    void warmupEnded(long t0, long t1) {
        awaitStepAfter(t1, "warmup");
        previousWindowEndNs = t1;
        trace.window("warmup", warmupIterations, t0, t1);
        forgetBefore(t1 - KEEP_BEFORE_WINDOW_NS);
    }

    /**
     * Holds the next window's start until the counter has stepped past the end t1 of a window that reports no energy of
     * its own (warmup, sat out). Where no step comes in time, the next window starts inside the step that holds this
     * one's end, and its end-step split counts the load before its start as its own: one line says so, once in the
     * trial (a measured window in the same case reports NaN, with its own line); a stopped sampler has its line.
     */
    private void awaitStepAfter(long t1, String kind) {
        if (!sampler.awaitEdgeAtOrAfter(t1, AFTER_WINDOW_WAIT_NS) && sampler.stoppedBecause() == null && !saidNoStepAfter) {
            saidNoStepAfter = true;
            System.out.println("gpu energy: WARNING: no counter step within " + AFTER_WINDOW_WAIT_NS / 1e9
                    + " s after a " + kind + " window; the next window's first counter step may hold that window's load,"
                    + " which its energy figures then count (said once per trial)");
        }
    }

    /** The measured window [t0, t1]'s results; NaN energy figures ({@link IterationEnergy#unknown}) when it cannot be told. */
    List<Result> measure(long t0, long t1, long t0Micros, long t1Micros, IterationResult result) {
        try {
            if (satOut) {
                return satOut(t0, t1);
            }
            List<Result> results = results(t0, t1, t0Micros, t1Micros, result);
            if (o.interleave()) {
                // a window after the sampling stopped had no sampler: it is neither kind, like a sat-out one without
                // the sampler parked
                double sampled = sampler.stoppedBecause() == null ? 1 : Double.NaN;
                results.add(new WindowResult(EnergyLabels.SAMPLED, sampled, EnergyLabels.unit(EnergyLabels.SAMPLED), AggregationPolicy.AVG));
            }
            return results;
        } finally {
            // whatever the window's figures: the samples kept stay bounded however many windows are NaN
            forgetBefore(t1 - KEEP_BEFORE_WINDOW_NS);
        }
    }

    /**
     * A window sat out: only {@link EnergyLabels#SAMPLED}, 0 (NaN where the sampler did not park in time, or had
     * stopped, said in one line each). Like after a warmup window, the next window's start is held until the counter
     * has stepped past this one's end, so that the pauses before sampled and sat-out windows are alike and the next
     * window's edge a is placed by fast reads.
     */
    private List<Result> satOut(long t0, long t1) {
        trace.window("sat-out", measuredIterations, t0, t1);
        awaitStepAfter(t1, "sat-out");
        previousWindowEndNs = t1;
        String stopped = sampler.stoppedBecause();
        if (stopped != null) {
            sayStopped(stopped);
        } else if (notParked && !saidNotParked) {
            saidNotParked = true;
            System.out.println("gpu energy: WARNING: the sampler did not park within " + PAUSE_WAIT_NS / 1_000_000
                    + " ms before a window to sit out (an NVML call held); " + EnergyLabels.SAMPLED + " is NaN for such"
                    + " a window");
        }
        if (o.verbose()) {
            System.out.println(String.format(Locale.ROOT, "gpu energy: window %.3f s sat out (sampler parked)", (t1 - t0) / 1e9));
        }
        List<Result> out = new ArrayList<>();
        out.add(new WindowResult(EnergyLabels.SAMPLED, notParked ? Double.NaN : 0, EnergyLabels.unit(EnergyLabels.SAMPLED), AggregationPolicy.AVG));
        return out;
    }

    private List<Result> results(long t0, long t1, long t0Micros, long t1Micros, IterationResult result) {
        trace.window("measurement", measuredIterations, t0, t1);
        long previousEnd = previousWindowEndNs == 0 ? Long.MIN_VALUE : previousWindowEndNs;
        long pauseNs = previousWindowEndNs == 0 ? -1 : t0 - previousWindowEndNs;
        previousWindowEndNs = t1;
        boolean edgeAfter = sampler.awaitEdgeAtOrAfter(t1, AFTER_WINDOW_WAIT_NS);
        // power is not read on every tick: make sure one reading lies after the window for the cross-check
        sampler.awaitPowerAtOrAfter(t1, AFTER_WINDOW_WAIT_NS);
        Sampling polled = o.sampling().measuredWindows(facts.idleWatts());
        // a window polled without reads inside (quiet) has no temperature or clocks: the profiler takes t0 before it tells
        // the sampler, so a tick that began before it knew (held by a slow NVML call, or the profiler's thread held in
        // between) reads them just after t0, and that one read would stand for the whole window
        WindowState state = (polled.readsInside() ? sampler.state(t0, t1) : WindowState.NONE)
                .withGpuBusy(busy.percent(t0, t1, t0Micros, t1Micros)).withOtherProcesses(otherProcesses.since(t0));
        long measuredOps = result.getMetadata() == null ? -1 : result.getMetadata().getMeasuredOps();
        double opsPerSecond = measuredOps == 0 ? Double.NaN : OpsRate.opsPerSecond(result);
        double samplerBusy = sampler.busyPercent(t0, t1);
        String stopped = sampler.stoppedBecause();
        if (stopped != null) {
            // the benchmark's throughput is still measured: only the energy figures are lost
            sayStopped(stopped);
            return unknown(t0, t1, opsPerSecond, state, samplerBusy);
        }
        if (!edgeAfter) {
            System.out.println("gpu energy: WARNING: no counter step within 0.5 s after the iteration; its energy figures are NaN");
            return unknown(t0, t1, opsPerSecond, state, samplerBusy);
        }
        CounterSamples samples = sampler.counter();
        IterationEnergy energy;
        try {
            // outside the window the benchmark is stopped and the GPU idles: split the end steps by that
            energy = IterationEnergy.of(samples, new IterationEnergy.Window(t0, t1, facts.idleWatts(), opsPerSecond, polled),
                    facts, state).withSamplerBusy(samplerBusy);
        } catch (IllegalArgumentException e) {
            System.out.println("gpu energy: WARNING: " + e.getMessage() + "; this iteration's energy figures are NaN");
            return unknown(t0, t1, opsPerSecond, state, samplerBusy);
        }
        if (!energy.hasRate()) {
            System.out.println("gpu energy: WARNING: JMH measured no operations in this iteration; no per-op energy");
        }
        CounterSamples reads = samples.counterReads();
        long gapNs = Sampling.edgeReadGapNs(reads.tNs(), reads.size(), t0, t1, previousEnd);
        if (gapNs > Sampling.EDGE_GAP_WARN_NS && !warnedEdgeReadGap) {
            warnedEdgeReadGap = true;
            System.out.println(String.format(Locale.ROOT, "gpu energy: WARNING: counter reads %.1f ms apart around a"
                    + " window's ends (asked hz=%d); its end steps are placed to half that", gapNs / 1e6, o.hz()));
        }
        if (o.verbose()) {
            // where in the window the sampler worked longest: what its busy share is made of
            NvmlSampler.Tick longest = sampler.longestTick(t0, t1);
            String tick = longest == null ? "" : " (" + longest.describe() + ")";
            System.out.println(energy.describe(sampler.powerSource()) + tick + " (" + measuredOps + " measured ops"
                    + (pauseNs < 0 ? "" : String.format(Locale.ROOT, "; %.1f ms since the previous window", pauseNs / 1e6)) + ")"
                    + (sampler.slowFailure() == null ? "" : "; no temperature/clock: " + sampler.slowFailure()));
        }
        return energy.results();
    }

    /** Says once in the trial that the sampling stopped, and why. */
    private void sayStopped(String stopped) {
        if (!saidStopped) {
            saidStopped = true;
            System.out.println("gpu energy: WARNING: sampling stopped (" + stopped + "); the energy figures of this and"
                    + " later iterations are NaN" + (o.interleave() ? ", and so is " + EnergyLabels.SAMPLED
                    + ": no window after it counts as sampled or sat out" : ""));
        }
    }

    /** The figures of the measured window [t0, t1] whose energy cannot be told ({@link IterationEnergy#unknown}). */
    private List<Result> unknown(long t0, long t1, double opsPerSecond, WindowState state, double samplerBusy) {
        return IterationEnergy.unknown((t1 - t0) / 1e9, sampler.counter().readsWithin(t0, t1), opsPerSecond, facts, state,
                samplerBusy).results();
    }

    /** The samples the trial holds: none older than {@link #KEEP_BEFORE_WINDOW_NS} before the last window's end. */
    CounterSamples samplesKept() {
        return sampler.counter();
    }

    /** Forgets samples older than t, writing them to the trace first. */
    private void forgetBefore(long tNs) {
        trace.samples(sampler.counter(), tNs);
        sampler.forgetBefore(tNs);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        OPEN.compareAndSet(this, null);
        sampler.shutdown();
        trace.samples(sampler.counter(), Long.MAX_VALUE);
        trace.close();
        nvml.close();
    }
}
