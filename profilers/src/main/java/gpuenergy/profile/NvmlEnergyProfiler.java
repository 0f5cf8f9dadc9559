package gpuenergy.profile;

import gpuenergy.nvml.Nvml;
import gpuenergy.nvml.NvmlDevice;
import gpuenergy.nvml.NvmlException;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.profile.ProfilerException;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.runner.IterationType;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * GPU energy per operation and per image, measured over each JMH iteration from NVML's total-energy
 * counter: {@code -prof gpuenergy.profile.NvmlEnergyProfiler[:gpu=...;batchParam=...;deviceParam=...;hz=...;idle=...;settle=...;sampling=...;interleave=true;verbose=true;trace=DIR]}.
 *
 * <p>A sampler thread polls the counter (and power, temperature, clocks) from the trial's first
 * beforeIteration. Before the last warmup iteration (so with the benchmark's model loaded and its CUDA
 * context open, but no work running) it waits for the power to settle and measures the idle power: the GPU
 * as an inference process holds it between batches; that warmup iteration then re-warms the GPU before the
 * first measured window. Each measurement iteration's
 * window runs from the end of beforeIteration to the start of afterIteration, or to a teardown the benchmark announces
 * ({@link MeasuredWork}); the sampler is told where it opens and ends, so that it reads less inside ({@link Sampling}).
 * afterIteration waits for the next counter step after its end, then interpolates the energy of the exact window (see docs/energy-method.md). JMH calls
 * afterIteration in the reverse order of beforeIteration, so a profiler listed after this one runs its hooks inside
 * the window: list this one last (the suite's launcher does).
 * Warmup iterations are sampled but not reported. After each measured window the driver's utilization samples give
 * the share of it in which a kernel ran ({@code energy.gpu-busy-%}). With {@code interleave=true} the measured windows
 * alternate in ABBA blocks between sampled ones and ones the profiler sits out with its sampler parked ({@link
 * Interleave}, {@link EnergyLabels#SAMPLED}): one run then holds the benchmark's pace with the sampler and without it.
 */
public final class NvmlEnergyProfiler implements InternalProfiler {
    /** The JNA the profiler is built and tested with (the parent pom's jna.version). */
    static final String JNA_VERSION = "5.17.0";
    private static final String VOLTA_NEEDED = "Volta or newer is needed";

    private final ProfilerOptions options;
    private Trial trial;
    private long windowStartNs;
    /** The same instant in CPU time since the epoch, microseconds: one of the clocks NVML stamps samples in. */
    private long windowStartMicros;
    /** The benchmark (BenchmarkParams#id) last told that it runs on the CPU and is not measured. */
    private String saidOnCpu;

    /** For ServiceLoader discovery (so -lprof lists this profiler) only; JMH itself uses the String constructor. */
    public NvmlEnergyProfiler() {
        options = ProfilerOptions.DEFAULTS;
    }

    public NvmlEnergyProfiler(String initLine) throws ProfilerException {
        options = ProfilerOptions.parse(initLine);
        try {
            checkMeasurable(options.gpu());
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
            String refused = unmeasurable(nvml, gpuOption, System.getenv("CUDA_VISIBLE_DEVICES"));
            if (refused != null) {
                throw new ProfilerException(refused);
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

    /**
     * Why this host cannot measure, in one line; null where it can. With gpu= the GPU it names needs the energy counter.
     * Without it, each benchmark's GPU is its device parameter's, known only in its fork: one GPU the benchmarks can run
     * on with the counter suffices here (on a mixed host, -p device=gpu:1 may name the one that has it), and the fork
     * of a benchmark whose GPU lacks it refuses that benchmark with {@link #noCounter}'s line.
     *
     * @param cudaVisibleDevices the variable the forks inherit (null: unset, every GPU visible)
     * @throws IllegalArgumentException or IllegalStateException (one line) where gpu= or CUDA_VISIBLE_DEVICES names no GPU
     */
    static String unmeasurable(Nvml nvml, String gpuOption, String cudaVisibleDevices) {
        if (nvml.deviceCount() == 0) {
            return "gpu energy: NVML sees no GPU; no NVIDIA GPU to measure";
        }
        if (gpuOption != null) {
            return noCounter(GpuLocator.locate(nvml, GpuSelector.explicit(gpuOption)));
        }
        List<String> missing = new ArrayList<>();
        List<NvmlDevice> visible = new ArrayList<>();
        if (cudaVisibleDevices == null) {
            // every GPU NVML sees; one it cannot open (lost, no permission) has no counter to read here, and the
            // benchmarks may run on another
            for (int i = 0; i < nvml.deviceCount(); i++) {
                try {
                    visible.add(nvml.deviceByIndex(i));
                } catch (NvmlException e) {
                    missing.add(e.getMessage());
                }
            }
        } else {
            visible = cudaVisibleGpus(nvml, cudaVisibleDevices);
        }
        if (visible.size() == 1 && missing.isEmpty()) {
            return noCounter(visible.get(0));
        }
        for (NvmlDevice gpu : visible) {
            String failure = counterFailure(gpu);
            if (failure == null) {
                return null;
            }
            missing.add(gpu.name() + ": " + failure);
        }
        return "gpu energy: no GPU visible to the benchmarks has a total-energy counter (" + String.join("; ", missing)
                + "); " + VOLTA_NEEDED;
    }

    /**
     * The GPUs a fork with this CUDA_VISIBLE_DEVICES (set) can run on: CUDA's devices 0, 1, ... as the list names them,
     * up to the first that names none (CUDA hides it and every one after it); device 0 must exist, as the benchmarks'
     * default.
     */
    private static List<NvmlDevice> cudaVisibleGpus(Nvml nvml, String cudaVisibleDevices) {
        List<NvmlDevice> gpus = new ArrayList<>();
        gpus.add(GpuLocator.locate(nvml, GpuSelector.forCudaDevice(0, cudaVisibleDevices)));
        for (int ordinal = 1; ordinal < cudaVisibleDevices.split(",", -1).length; ordinal++) {
            try {
                gpus.add(GpuLocator.locate(nvml, GpuSelector.forCudaDevice(ordinal, cudaVisibleDevices)));
            } catch (RuntimeException e) {
                break; // no such device for CUDA either
            }
        }
        return gpus;
    }

    /** The one line for a GPU without the total-energy counter (older than Volta); null where it has one. */
    static String noCounter(NvmlDevice gpu) {
        String failure = counterFailure(gpu);
        return failure == null ? null : "gpu energy: " + gpu.name() + " has no total-energy counter (" + failure + "); "
                + VOLTA_NEEDED;
    }

    /** NVML's reason the GPU's total-energy counter cannot be read; null where it can. */
    private static String counterFailure(NvmlDevice gpu) {
        try {
            gpu.totalEnergyMillijoules();
            return null;
        } catch (NvmlException e) {
            return e.getMessage();
        }
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        if (trial == null) {
            options.checkNamedParams(benchmarkParams.getParamsKeys());
            if (options.gpu() == null && DeviceSpec.runsOnCpu(benchmarkParams.getParam(options.deviceParam()))) {
                Trial.closeLeftOver(); // a new trial closes it otherwise
                // a GPU's energy over a CPU's images would read as a J/img: the benchmark gets no energy figures
                if (!benchmarkParams.id().equals(saidOnCpu)) {
                    saidOnCpu = benchmarkParams.id();
                    System.out.println("gpu energy: the benchmark runs on the CPU (" + options.deviceParam()
                            + "=cpu); no GPU energy is measured for it");
                }
                return;
            }
            trial = new Trial(options, benchmarkParams, iterationParams);
        }
        trial.beforeIteration(iterationParams);
        windowStartMicros = GpuBusyReader.epochMicros();
        windowStartNs = System.nanoTime();
        trial.windowOpened(windowStartNs, iterationParams);
        MeasuredWork.onEnded(trial::windowClosed); // a teardown the benchmark announces closes the window there
    }

    @Override
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
                                                       IterationResult result) {
        long closedNs = System.nanoTime();
        MeasuredWork.onEnded(null);
        long windowEndNs = MeasuredWork.windowEnd(windowStartNs, closedNs); // before a teardown the benchmark announced
        Trial t = trial;
        if (t == null) {
            return List.of(); // a benchmark on the CPU
        }
        t.windowClosed();
        long windowEndMicros = GpuBusyReader.epochMicros() - (closedNs - windowEndNs) / 1000;
        boolean lastIteration = t.lastMeasured(iterationParams);
        try {
            if (iterationParams.getType() != IterationType.MEASUREMENT) {
                t.warmupEnded(windowStartNs, windowEndNs);
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
     * How this option line measures, for a result's environment ({@link EnvironmentKeys#ENERGY_SAMPLING},
     * {@link EnvironmentKeys#ENERGY_HZ}, {@link EnvironmentKeys#ENERGY_INTERLEAVE}): the launcher adds it to the entries
     * the profiler measured.
     *
     * @param initLine the profiler's options as {@code -prof} gives them; null or empty: the defaults
     * @throws ProfilerException for a line the profiler itself refuses
     */
    public static Map<String, String> environment(String initLine) throws ProfilerException {
        ProfilerOptions o = ProfilerOptions.parse(initLine == null ? "" : initLine);
        Map<String, String> env = new LinkedHashMap<>();
        env.put(EnvironmentKeys.ENERGY_SAMPLING, o.sampling().toString());
        env.put(EnvironmentKeys.ENERGY_HZ, String.valueOf(o.hz()));
        if (o.interleave()) {
            env.put(EnvironmentKeys.ENERGY_INTERLEAVE, "true");
        }
        return env;
    }

    /**
     * The GPU this option line names with gpu= (an NVML index, UUID or PCI bus id); null when it measures the
     * benchmark's own GPU.
     *
     * @throws ProfilerException for a line the profiler itself refuses
     */
    public static String gpuOption(String initLine) throws ProfilerException {
        return ProfilerOptions.parse(initLine == null ? "" : initLine).gpu();
    }

    /**
     * Whether this option line sits out windows ({@code interleave=true}): its runs compare the benchmark with the
     * sampler and without it inside themselves.
     *
     * @throws ProfilerException for a line the profiler itself refuses
     */
    public static boolean interleaves(String initLine) throws ProfilerException {
        return ProfilerOptions.parse(initLine == null ? "" : initLine).interleave();
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
}
