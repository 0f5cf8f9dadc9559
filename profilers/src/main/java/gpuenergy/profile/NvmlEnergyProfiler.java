package gpuenergy.profile;

import gpuenergy.energy.EnergyCounterWindow;
import gpuenergy.energy.QuietPower;
import gpuenergy.nvml.Nvml;
import gpuenergy.nvml.NvmlDevice;
import gpuenergy.nvml.NvmlException;
import joptsimple.OptionException;
import joptsimple.OptionParser;
import joptsimple.OptionSet;
import joptsimple.OptionSpec;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.profile.ProfilerException;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.runner.IterationType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * GPU energy per operation and per image, measured over each JMH iteration from NVML's total-energy
 * counter: {@code -prof gpuenergy.profile.NvmlEnergyProfiler[:gpu=...;batchParam=...;hz=...;idle=...;settle=...;verbose=true;trace=DIR]}.
 *
 * <p>A sampler thread polls the counter (and power, temperature, clocks) from the trial's first
 * beforeIteration. Before the last warmup iteration (so with the benchmark's model loaded and its CUDA
 * context open, but no work running) it waits for the power to settle and measures the idle power: the GPU
 * as an inference process holds it between batches; that warmup iteration then re-warms the GPU before the
 * first measured window. Each measurement iteration's
 * window runs from the end of beforeIteration to the start of afterIteration; afterIteration waits for the
 * next counter step after it, then interpolates the energy of the exact window (see docs/energy-method.md).
 * Warmup iterations are sampled but not reported. After each measured window the driver's utilization samples give
 * the share of it in which a kernel ran ({@code energy.gpu-busy-%}).
 */
public final class NvmlEnergyProfiler implements InternalProfiler {
    /** The JNA the profiler is built and tested with (the parent pom's jna.version). */
    static final String JNA_VERSION = "5.17.0";
    private static final long AFTER_WINDOW_WAIT_NS = TimeUnit.MILLISECONDS.toNanos(500);
    private static final long FIRST_EDGE_WAIT_NS = TimeUnit.SECONDS.toNanos(2);
    private static final long KEEP_BEFORE_WINDOW_NS = TimeUnit.SECONDS.toNanos(2);

    private final String gpuOption;
    private final String batchParam;
    private final int hz;
    private final int idleSeconds;
    private final int settleSeconds;
    private final boolean verbose;
    private final String traceDir;

    private Trial trial;
    private long windowStartNs;
    /** The same instant in CPU time since the epoch, microseconds: one of the clocks NVML stamps samples in. */
    private long windowStartMicros;

    /** For ServiceLoader discovery (so -lprof lists this profiler) only; JMH itself uses the String constructor. */
    public NvmlEnergyProfiler() {
        gpuOption = null;
        batchParam = "batchSize";
        hz = 500;
        idleSeconds = 5;
        settleSeconds = 15;
        verbose = false;
        traceDir = null;
    }

    public NvmlEnergyProfiler(String initLine) throws ProfilerException {
        OptionParser parser = new OptionParser();
        OptionSpec<String> optGpu = parser.accepts("gpu", "GPU to measure: NVML index (as nvidia-smi), GPU UUID or PCI bus id."
                        + " Default: the benchmark's CUDA device 0, honouring CUDA_VISIBLE_DEVICES.")
                .withRequiredArg().ofType(String.class).describedAs("index|uuid|pci");
        OptionSpec<String> optBatch = parser.accepts("batchParam", "@Param holding the images per op; missing param: 1.")
                .withRequiredArg().ofType(String.class).describedAs("name").defaultsTo("batchSize");
        OptionSpec<Integer> optHz = parser.accepts("hz", "Sampling rate, >= 200 (the counter steps every ~100 ms).")
                .withRequiredArg().ofType(Integer.class).describedAs("int").defaultsTo(500);
        OptionSpec<Integer> optIdle = parser.accepts("idle", "Idle-baseline seconds, measured before the last warmup iteration (model loaded, no work); 0 = off.")
                .withRequiredArg().ofType(Integer.class).describedAs("int").defaultsTo(5);
        OptionSpec<Integer> optSettle = parser.accepts("settle", "Max seconds to wait for steady power before the idle baseline.")
                .withRequiredArg().ofType(Integer.class).describedAs("int").defaultsTo(15);
        OptionSpec<Boolean> optVerbose = parser.accepts("verbose", "Print the window, edges and cross-check of every iteration.")
                .withRequiredArg().ofType(Boolean.class).describedAs("bool").defaultsTo(false);
        OptionSpec<String> optTrace = parser.accepts("trace", "Also write every sample and window of each trial as CSV"
                        + " into this directory, for offline re-analysis.")
                .withRequiredArg().ofType(String.class).describedAs("dir");
        OptionSet set = OptionLine.parse(initLine, parser, NvmlEnergyProfiler.class.getCanonicalName());

        try {
            gpuOption = set.valueOf(optGpu);
            batchParam = set.valueOf(optBatch);
            hz = set.valueOf(optHz);
            idleSeconds = set.valueOf(optIdle);
            settleSeconds = set.valueOf(optSettle);
            verbose = set.valueOf(optVerbose);
            traceDir = set.valueOf(optTrace);
        } catch (OptionException e) {
            throw new ProfilerException("gpu energy: " + e.getMessage() + " in '" + initLine + "'");
        }
        if (hz < 200 || hz > 10_000) {
            throw new ProfilerException("gpu energy: hz=" + hz + " is outside 200..10000; edges of a 100 ms counter need >= 200 Hz");
        }
        if (idleSeconds < 0 || settleSeconds < 0) {
            throw new ProfilerException("gpu energy: idle=" + idleSeconds + ", settle=" + settleSeconds + ": seconds must be >= 0");
        }
        try {
            checkMeasurable(gpuOption);
        } catch (NoClassDefFoundError e) {
            throw new ProfilerException(missingDependency(e));
        }
    }

    /**
     * The one line for a class this profiler needs that is not on the classpath: JNA, when the profilers jar is added to
     * another JMH project by hand (a Maven dependency on it brings JNA along).
     */
    static String missingDependency(NoClassDefFoundError e) {
        String missing = String.valueOf(e.getMessage());
        if (missing.startsWith("com/sun/jna")) {
            return "gpu energy: JNA is not on the classpath (" + missing + " not found); add net.java.dev.jna:jna "
                    + "(version " + JNA_VERSION + ", as io.github.gpuenergy:profilers declares) beside the profilers jar";
        }
        return "gpu energy: " + missing + " not found on the classpath; the profiler needs jmh-core and JNA";
    }

    @Override
    public String getDescription() {
        // the build too, for -lprof (JMH shows the description nowhere else): with this jar alone on a classpath, it is
        // the one place that tells which build the profiler is; results get tool.* only from gpuenergy.cli.Main
        Map<String, String> build = BuildInfo.describe();
        return "GPU energy per op and per image from NVML's energy counter (NVIDIA GPUs, Volta or newer); gpuenergy "
                + build.get(EnvironmentKeys.TOOL_VERSION) + ", commit " + build.get(EnvironmentKeys.TOOL_COMMIT);
    }

    /** Fails fast, in the host VM, with one line: no NVML, no GPU, an unknown GPU, or no energy counter. */
    static void checkMeasurable(String gpuOption) throws ProfilerException {
        try (Nvml nvml = Nvml.open()) {
            if (nvml.deviceCount() == 0) {
                throw new ProfilerException("gpu energy: NVML sees no GPU; no NVIDIA GPU to measure");
            }
            NvmlDevice gpu = GpuLocator.locate(nvml, GpuLocator.selector(gpuOption));
            try {
                gpu.totalEnergyMillijoules();
            } catch (NvmlException e) {
                throw new ProfilerException("gpu energy: " + gpu.name() + " has no total-energy counter ("
                        + e.getMessage() + "); Volta or newer is needed");
            }
        } catch (NvmlException e) {
            throw new ProfilerException(e.code() == Nvml.ERROR_LIBRARY_NOT_FOUND
                    ? "gpu energy: NVML not available (libnvidia-ml.so.1 not found); no NVIDIA GPU to measure"
                    : "gpu energy: " + e.getMessage());
        } catch (IllegalArgumentException | IllegalStateException e) {
            String m = e.getMessage();
            throw new ProfilerException(m.startsWith("gpu energy:") ? m : "gpu energy: " + m);
        }
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        if (trial == null) {
            trial = new Trial(benchmarkParams, iterationParams);
        }
        if (iterationParams.getType() == IterationType.WARMUP) {
            trial.warmupIterations++;
        }
        if (!trial.idleMeasured && idleSeconds > 0 && idleGoesBefore(iterationParams, trial.warmupIterations)) {
            trial.measureIdle();
        }
        windowStartMicros = GpuBusyReader.epochMicros();
        windowStartNs = System.nanoTime();
    }

    @Override
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
                                                       IterationResult result) {
        long windowEndNs = System.nanoTime();
        long windowEndMicros = GpuBusyReader.epochMicros();
        Trial t = trial;
        boolean lastIteration = iterationParams.getType() == IterationType.MEASUREMENT
                && ++t.measuredIterations == iterationParams.getCount();
        try {
            if (iterationParams.getType() != IterationType.MEASUREMENT) {
                t.sampler.checkHealthy();
                // Hold the next window's start until the counter has stepped past this one's end, as after a measured
                // iteration: the step that straddles the next t0 then lies in the pause, where the GPU idles, which is
                // what the end-step split assumes. Without it the first measured iteration read ~2 % more power than
                // the others on the H100 (results/h100-580.159.04/study/README.md), its first step being warmup load.
                t.sampler.awaitEdgeAtOrAfter(windowEndNs, AFTER_WINDOW_WAIT_NS);
                t.previousWindowEndNs = windowEndNs;
                t.traceWindow("warmup", t.warmupIterations, windowStartNs, windowEndNs);
                t.forgetBefore(windowEndNs - KEEP_BEFORE_WINDOW_NS);
                return List.of();
            }
            return t.measure(windowStartNs, windowEndNs, windowStartMicros, windowEndMicros, result);
        } finally {
            if (lastIteration) {
                t.close();
                trial = null;
            }
        }
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

    /** One fork's (one trial's) measurement state: the NVML session, the sampler and the idle baseline. */
    private final class Trial {
        final Nvml nvml;
        final NvmlDevice gpu;
        final String gpuLabel;
        final double limitWatts;
        final int imagesPerOp;
        final NvmlSampler sampler;
        final Set<Long> pidsBeforeSetup = new HashSet<>();
        final long ownPid = ProcessHandle.current().pid();
        double idleWatts = Double.NaN;
        boolean idleMeasured;
        int warmupIterations;
        int measuredIterations;
        boolean warnedSlowSampling;
        boolean warnedProcessesUnreadable;
        final GpuBusyReader busy;
        /** The raw record (option trace=DIR), null when off or after a write failed. */
        SampleTrace trace;
        /** End of the previous measured or warmup window: the gap before a window is when the GPU idles. */
        long previousWindowEndNs;

        Trial(BenchmarkParams bp, IterationParams first) {
            imagesPerOp = imagesPerOp(bp.getParam(batchParam), batchParam);
            nvml = Nvml.open();
            try {
                gpu = GpuLocator.locate(nvml, GpuLocator.selector(gpuOption));
                gpuLabel = gpu.name() + " " + gpu.uuid();
                limitWatts = gpu.enforcedPowerLimitMilliwatts() / 1000.0;
            } catch (RuntimeException e) {
                nvml.close();
                throw e;
            }
            sampler = new NvmlSampler(gpu, hz);
            busy = new GpuBusyReader(gpu, verbose);
            if (traceDir != null) {
                String name = SampleTrace.fileName(bp.getParamsKeys().stream().map(bp::getParam).toList(), ownPid);
                try {
                    trace = SampleTrace.open(Path.of(traceDir), name, "gpu=" + gpuLabel + " limit_w=" + limitWatts
                            + " hz=" + hz + " benchmark=" + bp.getBenchmark());
                } catch (IOException | RuntimeException e) {
                    System.out.println("gpu energy: WARNING: cannot write the trace into " + traceDir + " (" + e + "); no trace");
                }
            }
            sampler.pollProcesses(); // before the benchmark's setup: whoever is on the GPU now is not the benchmark
            long[][] before = sampler.processes.copy();
            for (long pid : before[NvmlSampler.PID]) {
                pidsBeforeSetup.add(pid);
            }
            sampler.start();
            if (!sampler.awaitEdgeAtOrAfter(Long.MIN_VALUE + 1, FIRST_EDGE_WAIT_NS)) {
                close();
                throw new IllegalStateException("gpu energy: the energy counter of " + gpuLabel + " did not change in 2 s");
            }
            if (first.getType() == IterationType.MEASUREMENT) {
                System.out.println("gpu energy: WARNING: no warmup iteration; the first measured window includes the benchmark's setup");
            }
        }

        /**
         * Waits for steady power, then takes the mean power over idle s; repeats while the two halves of that
         * window disagree (the power was still falling) and the settle time lasts. Takes at most about settle + idle + 2 s.
         */
        private void measureIdle() {
            idleMeasured = true;
            long start = System.nanoTime();
            long deadline = start + TimeUnit.SECONDS.toNanos(settleSeconds);
            double firstHalf, secondHalf;
            boolean steady;
            do {
                sleepNs(2 * QuietPower.SLICE_NS);
                while (!isQuiet() && System.nanoTime() < deadline) {
                    sleepNs(TimeUnit.MILLISECONDS.toNanos(100));
                }
                long t0 = System.nanoTime();
                sleepNs(TimeUnit.SECONDS.toNanos(idleSeconds));
                long t1 = System.nanoTime();
                if (!sampler.awaitEdgeAtOrAfter(t1, AFTER_WINDOW_WAIT_NS)) {
                    System.out.println("gpu energy: WARNING: no counter step after the idle window; no idle baseline");
                    return;
                }
                long[][] f = sampler.fast.copy();
                EnergyCounterWindow counter = EnergyCounterWindow.of(f[NvmlSampler.T], f[NvmlSampler.ENERGY_MJ], f[0].length);
                long mid = t0 + (t1 - t0) / 2;
                firstHalf = counter.averageWatts(t0, mid);
                secondHalf = counter.averageWatts(mid, t1);
                idleWatts = counter.averageWatts(t0, t1);
                traceWindow("idle", 0, t0, t1);
                steady = QuietPower.agree(firstHalf, secondHalf);
            } while (!steady && System.nanoTime() < deadline);
            System.out.println(String.format(Locale.ROOT, "gpu energy: %s, limit %.0f W, idle %.1f W over %d s after %.1f s%s",
                    gpuLabel, limitWatts, idleWatts, idleSeconds, (System.nanoTime() - start) / 1e9, steady ? ""
                            : String.format(Locale.ROOT, "; WARNING: still changing after settle=%d s (%.1f W then %.1f W),"
                            + " baseline uncertain", settleSeconds, firstHalf, secondHalf)));
        }

        private boolean isQuiet() {
            long[][] f = sampler.fast.copy();
            return QuietPower.isQuiet(f[NvmlSampler.T], f[NvmlSampler.POWER_MW], f[0].length, System.nanoTime());
        }

        List<Result> measure(long t0, long t1, long t0Micros, long t1Micros, IterationResult result) {
            traceWindow("measurement", measuredIterations, t0, t1);
            long gapNs = previousWindowEndNs == 0 ? -1 : t0 - previousWindowEndNs;
            previousWindowEndNs = t1;
            sampler.checkHealthy();
            if (!sampler.awaitEdgeAtOrAfter(t1, AFTER_WINDOW_WAIT_NS)) {
                System.out.println("gpu energy: WARNING: no counter step within 0.5 s after the iteration; its energy is not reported");
                return IterationEnergy.unknown();
            }
            // power is read at ~100 Hz only: make sure one reading lies after the window for the cross-check
            sampler.awaitPowerAtOrAfter(t1, AFTER_WINDOW_WAIT_NS);
            long[][] f = sampler.fast.copy();
            long[][] s = sampler.slow.copy();
            WindowState state = WindowState.of(s[NvmlSampler.T], s[NvmlSampler.TEMPERATURE_C],
                    s[NvmlSampler.SM_CLOCK_MHZ], s[NvmlSampler.REASONS], t0, t1).withGpuBusy(busy.percent(t0, t1, t0Micros, t1Micros));
            long measuredOps = result.getMetadata() == null ? -1 : result.getMetadata().getMeasuredOps();
            double opsPerSecond = measuredOps == 0 ? Double.NaN : OpsRate.opsPerSecond(result);
            IterationEnergy energy;
            try {
                energy = IterationEnergy.of(f[NvmlSampler.T], f[NvmlSampler.ENERGY_MJ], f[NvmlSampler.POWER_MW],
                        // outside the window the benchmark is stopped and the GPU idles: split the end steps by that
                        t0, t1, idleWatts, opsPerSecond, imagesPerOp, idleWatts, limitWatts, state, otherProcesses(t0, t1));
            } catch (IllegalArgumentException e) {
                System.out.println("gpu energy: WARNING: " + e.getMessage() + "; this iteration's energy is not reported");
                return IterationEnergy.unknown();
            }
            if (!energy.hasRate()) {
                System.out.println("gpu energy: WARNING: JMH measured no operations in this iteration; no per-op energy");
            }
            if (energy.samplesPerSecond() < 200 && !warnedSlowSampling) {
                warnedSlowSampling = true;
                System.out.println(String.format(Locale.ROOT, "gpu energy: WARNING: sampled at %.0f Hz (asked hz=%d);"
                        + " counter steps are placed less precisely", energy.samplesPerSecond(), hz));
            }
            if (verbose) {
                System.out.println(energy.describe(sampler.powerSource()) + " (" + measuredOps + " measured ops"
                        + (gapNs < 0 ? "" : String.format(Locale.ROOT, "; %.1f ms since the previous window", gapNs / 1e6)) + ")"
                        + (sampler.slowFailure() == null ? "" : "; no temperature/clock: " + sampler.slowFailure()));
            }
            List<Result> out = energy.results();
            forgetBefore(t1 - KEEP_BEFORE_WINDOW_NS);
            return out;
        }

        /** Processes NVML listed during [t0, t1] and right now, other than the benchmark (warns when any); -1: unknown. */
        private int otherProcesses(long t0, long t1) {
            sampler.pollProcesses();
            if (sampler.processesUnreadable() != null) {
                if (!warnedProcessesUnreadable) {
                    warnedProcessesUnreadable = true;
                    System.out.println("gpu energy: WARNING: cannot tell whether other processes share the GPU: "
                            + sampler.processesUnreadable());
                }
                return -1;
            }
            long[][] p = sampler.processes.copy();
            Set<Long> seen = new TreeSet<>();
            for (int i = 0; i < p[0].length; i++) {
                if (p[NvmlSampler.T][i] >= t0) {
                    seen.add(p[NvmlSampler.PID][i]);
                }
            }
            int others = OtherProcesses.count(seen, pidsBeforeSetup, ownPid);
            if (others > 0) {
                System.out.println("gpu energy: WARNING: " + others + " other process(es) used " + gpuLabel
                        + " during this iteration (PIDs seen: " + seen + ", this JVM: " + ownPid + "); their energy is included");
            }
            return others;
        }

        void traceWindow(String kind, int index, long t0, long t1) {
            if (trace != null) {
                trace.window(kind, index, t0, t1);
            }
        }

        /** Writes samples to the trace (if any) as they are forgotten; a failing trace is dropped, the measurement goes on. */
        private void traceSamples(long beforeNs) {
            if (trace == null) {
                return;
            }
            try {
                trace.samples(sampler.fast.copy(), beforeNs);
                if (beforeNs == Long.MAX_VALUE) {
                    trace.close();
                    trace = null;
                }
            } catch (UncheckedIOException e) {
                System.out.println("gpu energy: WARNING: trace write failed (" + e.getCause() + "); no more trace");
                trace = null;
            }
        }

        void forgetBefore(long tNs) {
            traceSamples(tNs);
            sampler.fast.dropBefore(tNs);
            sampler.slow.dropBefore(tNs);
            sampler.processes.dropBefore(tNs);
        }

        void close() {
            sampler.shutdown();
            traceSamples(Long.MAX_VALUE);
            nvml.close();
        }
    }

    /** The benchmark's images per op: the batchParam @Param, or 1 when the benchmark has no such param. */
    static int imagesPerOp(String paramValue, String paramName) {
        if (paramValue == null) {
            return 1;
        }
        try {
            int n = Integer.parseInt(paramValue.trim());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // fall through to the one-line error
        }
        throw new IllegalArgumentException("gpu energy: @Param " + paramName + "='" + paramValue
                + "' is not a positive integer (batchParam names the @Param holding images per op)");
    }

    private static void sleepNs(long ns) {
        long end = System.nanoTime() + ns;
        for (long left = ns; left > 0; left = end - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }
}
