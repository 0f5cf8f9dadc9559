package gpuenergy.results;

import gpuenergy.energy.RatioOfSums;
import gpuenergy.profile.DeviceSpec;
import gpuenergy.profile.EnergyLabels;
import gpuenergy.profile.EnvironmentKeys;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * One entry of a JMH result file: a benchmark with one set of parameters.
 *
 * @param benchmark         fully qualified benchmark method, e.g. gpuenergy.bench.InferenceBenchmark.infer
 * @param mode              JMH mode: thrpt, avgt, sample, ss
 * @param params            the @Param values, sorted by name
 * @param primary           the primary metric as JMH wrote it (for thrpt: batches/s, i.e. ops/s)
 * @param secondary         secondary metrics by label ({@link EnergyLabels})
 * @param environment       the "environment" object the launcher adds (empty when absent)
 * @param measurementMillis the configured time of a measured iteration; -1 when the file does not say
 * @param threads           JMH's threads that ran it together (-t), whose operations its score sums; 1 when the file
 *                          does not say
 * @throws IllegalArgumentException when the batchSize parameter is not a whole number >= 1: every figure per image
 *                                  would be off, so the reader refuses the entry ({@link ResultFile#read})
 */
public record BenchmarkResult(String benchmark, String mode, SortedMap<String, String> params, Metric primary,
                              Map<String, Metric> secondary, Map<String, String> environment, long measurementMillis,
                              int threads) {

    public BenchmarkResult {
        String b = params.get(ParamNames.BATCH_SIZE);
        if (b != null && !isBatchSize(b)) {
            throw new IllegalArgumentException(ParamNames.BATCH_SIZE + " \"" + b + "\": expected a whole number >= 1");
        }
    }

    private static boolean isBatchSize(String b) {
        try {
            return Integer.parseInt(b.strip()) >= 1;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** What matches a benchmark across files, runs and trial records: its name and every parameter. */
    public String key() {
        return key(benchmark, params);
    }

    /** "benchmark {name=value, ...}", the parameters sorted by name. */
    public static String key(String benchmark, Map<String, String> params) {
        return benchmark + new TreeMap<>(params).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(", ", " {", "}"));
    }

    /** Class.method of a benchmark's full name (gpuenergy.bench.InferenceBenchmark.infer -> InferenceBenchmark.infer). */
    public static String shortName(String benchmark) {
        return benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1);
    }

    /** "Class.method (k=v, k=v)": a benchmark as the console names it at a run's end. */
    public static String consoleName(String benchmark, Map<String, String> params) {
        return shortName(benchmark) + " (" + params.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(", ")) + ")";
    }

    public static String key(BenchmarkParams p) {
        return key(p.getBenchmark(), params(p));
    }

    /** A JMH benchmark's parameters in JMH's order. */
    public static Map<String, String> params(BenchmarkParams p) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String k : p.getParamsKeys()) {
            params.put(k, p.getParam(k));
        }
        return params;
    }

    public String param(String name) {
        return params.getOrDefault(name, "");
    }

    /**
     * Whether this result ran on the CPU: its environment's {@code device}, where the engine ran it, reads as the CPU
     * in -p device='s grammar; where the environment records no device, its {@code device} parameter does (-p
     * device=cpu runs there or not at all). False where neither says so.
     */
    public boolean ranOnCpu() {
        String ran = environment.get(EnvironmentKeys.DEVICE);
        return DeviceSpec.runsOnCpu(ran != null ? ran : params.get(ParamNames.DEVICE));
    }

    /**
     * Null when this result has every parameter of {@code expected} with its value; else one phrase saying whose result
     * it is: a file found under a configuration's name must be that configuration's, not another's whose name maps to
     * the same file name, nor one put there by hand.
     */
    public String notOf(Map<String, String> expected) {
        return expected.entrySet().stream().allMatch(p -> p.getValue().equals(param(p.getKey()))) ? null
                : "its parameters " + params + " are not " + expected;
    }

    /** Images per operation: the batchSize parameter (checked when the entry is made), or 1 for benchmarks that have none. */
    public int batchSize() {
        String b = params.get(ParamNames.BATCH_SIZE);
        return b == null ? 1 : Integer.parseInt(b.strip());
    }

    /** True when a larger primary score is better (throughput); false for time-per-op modes. */
    public boolean higherIsBetter() {
        return "thrpt".equals(mode);
    }

    /**
     * The primary metric in images: img/s for a throughput benchmark with a batchSize, ops/s for one without (an image an
     * operation where a figure needs one, {@link #batchSize}), whatever time unit its score is in (-tu ms writes
     * ops/ms; {@link ResultFile#read} refuses a rate in no time unit JMH writes); a time per operation as JMH wrote it.
     */
    public Metric imagesPerSecond() {
        Double seconds = secondsPerUnit(primary.unit());
        if (!higherIsBetter() || seconds == null) {
            return primary;
        }
        Metric m = primary.scaled(batchSize() / seconds);
        return new Metric(m.score(), m.lo(), m.hi(), params.containsKey(ParamNames.BATCH_SIZE) ? "img/s" : "ops/s",
                m.rawData());
    }

    /** Seconds in the time unit of a throughput label as JMH writes it ("ops/ms": its TimeValue's spelling); else null. */
    static Double secondsPerUnit(String scoreUnit) {
        for (TimeUnit unit : TimeUnit.values()) {
            if (scoreUnit.equals("ops/" + TimeValue.tuToString(unit))) {
                return unit.toNanos(1) / 1e9;
            }
        }
        return null;
    }

    /** The primary metric's unit as shown to users: img/s when it is images per second. */
    public String primaryLabel() {
        return imagesPerSecond().unit();
    }

    public boolean hasEnergy() {
        return secondary.containsKey(EnergyLabels.J_PER_IMG);
    }

    /**
     * Whether the energy profiler ran with {@code interleave=true}: each measured window records whether it sampled it
     * ({@link EnergyLabels#SAMPLED}).
     */
    public boolean interleaved() {
        return secondary.containsKey(EnergyLabels.SAMPLED);
    }

    /**
     * This result as the energy profiler runs without interleave: where it {@link #interleaved}, the primary metric over
     * the windows it sampled only, fork by fork ({@link InterleavedRun#ofKind}), which its energy figures are of already,
     * so that J/img's iterations pair with the throughput's; the windows it sat out ran without its sampler. Without
     * interleave, this result. Null where {@link EnergyLabels#SAMPLED} does not hold one 0, 1 or NaN for each window of
     * each fork: which windows it sampled is not known. A fork without a sampled window keeps no iteration.
     */
    public BenchmarkResult sampledWindows() {
        Metric sampled = secondary.get(EnergyLabels.SAMPLED);
        if (sampled == null) {
            return this;
        }
        List<double[]> windows = primary.forks();
        List<double[]> kinds = sampled.forks();
        if (windows.size() != kinds.size()) {
            return null;
        }
        List<List<Double>> kept = new ArrayList<>();
        for (int f = 0; f < windows.size(); f++) {
            InterleavedRun run = InterleavedRun.of(windows.get(f), kinds.get(f));
            if (run == null) {
                return null;
            }
            kept.add(Arrays.stream(run.ofKind(InterleavedRun.SAMPLED)).boxed().toList());
        }
        return new BenchmarkResult(benchmark, mode, params, Metric.ofSamples(primary.unit(), kept), secondary,
                environment, measurementMillis, threads);
    }

    /** The iterations whose J/img is unknown (NaN: the profiler could not measure them); 0 without J/img. */
    public long joulesPerImageUnknown() {
        Metric j = secondary.get(EnergyLabels.J_PER_IMG);
        return j == null ? 0 : Arrays.stream(j.samples()).filter(Double::isNaN).count();
    }

    /**
     * J/img's iterations linearised around the aggregate the profiler reports, sum of powers over sum of rates
     * ({@link RatioOfSums}): their mean is that J/img and their spread gives its interval, so a t interval on them is
     * the ratio's. Each iteration's power is its J/img x its rate (the primary metric's rawData: ops per time unit, or
     * time per op in the time modes); the units cancel. A file whose J/img score is the mean of its iterations gets
     * the ratio here all the same. Where the profiler {@link #interleaved}, the rates are those of the windows it
     * sampled ({@link #sampledWindows}), the only ones with energy figures. Empty without J/img, or when its iterations
     * do not pair up with the (sampled) rates fork by fork (an iteration that reported no J/img, an
     * {@link EnergyLabels#SAMPLED} that does not say which windows were sampled).
     */
    public double[] joulesPerImageSamples() {
        return joulesPerImageForks().stream().flatMapToDouble(Arrays::stream).toArray();
    }

    /** {@link #joulesPerImageSamples} fork by fork, as the primary metric's (sampled) forks hold them; empty where that is. */
    public List<double[]> joulesPerImageForks() {
        return perImageForks(EnergyLabels.J_PER_IMG);
    }

    /**
     * {@link #joulesPerImageForks} of any of the profiler's power-over-rate figures (J/img, net J/img): the one place
     * that decides which rates a per-image figure pairs with, for report, sweep and compare alike.
     */
    private List<double[]> perImageForks(String label) {
        Metric j = secondary.get(label);
        BenchmarkResult s = sampledWindows();
        if (j == null || s == null || !forkSizes(j).equals(forkSizes(s.primary)) || j.samples().length == 0) {
            return List.of();
        }
        double[] rates = s.primary.samples();
        if (!higherIsBetter()) {
            for (int i = 0; i < rates.length; i++) {
                rates[i] = 1 / rates[i];
            }
        }
        double[] all = RatioOfSums.linearized(RatioOfSums.numerators(j.samples(), rates), rates);
        List<double[]> forks = new ArrayList<>();
        int from = 0;
        for (int size : forkSizes(s.primary)) {
            forks.add(Arrays.copyOfRange(all, from, from + size));
            from += size;
        }
        return forks;
    }

    /**
     * One of the profiler's power-over-rate figures ({@link EnergyLabels#J_PER_IMG}, {@link EnergyLabels#NET_J_PER_IMG})
     * over the iterations as the profiler reports it: total energy over total images, with the ratio's interval (the
     * mean and Student t interval of its linearised iterations, {@link #joulesPerImageSamples}), so that with the
     * throughput score img/s x J/img = avg W; where the profiler {@link #interleaved}, over the windows it sampled
     * (their img/s, {@link #sampledWindows}). A file whose score is the mean of its iterations' own values gets the
     * ratio all the same, as compare reads it. The metric as the file holds it where its iterations do not pair with
     * the throughput's, or where its score is NaN (an iteration the profiler could not measure); null without it.
     */
    public Metric perImage(String label) {
        Metric m = secondary.get(label);
        List<double[]> forks = perImageForks(label);
        if (m == null || forks.isEmpty() || Double.isNaN(m.score())) {
            return m;
        }
        return Metric.ofSamples(m.unit(), forks.stream().map(f -> Arrays.stream(f).boxed().toList()).toList());
    }

    /** {@link #perImage}'s score: the figure report, compare and sweep show; NaN where the result has no such metric. */
    public double perImageScore(String label) {
        Metric m = perImage(label);
        return m == null ? Double.NaN : m.score();
    }

    private static List<Integer> forkSizes(Metric m) {
        return m.rawData().stream().map(List::size).toList();
    }

    /**
     * Under this GPU busy % ({@link #gpuBusyPct}) the host can set a benchmark's pace: the GPU waits for it between
     * kernels (launch-bound batches), and one fork can settle far from the next. The figure is coarse (NVML counts a
     * sample busy while any kernel runs), and a GPU-bound batch can read a few points under the bound: where it matters,
     * the bound errs on the side of asking for more forks.
     */
    public static final double HOST_PACED_BUSY_PCT = 95;

    /**
     * The mean of the iterations' known GPU busy % ({@link EnergyLabels#GPU_BUSY_PCT}); NaN without one. JMH's own
     * score is NaN where a single window had no figure, which would hide a benchmark's pace.
     */
    public double gpuBusyPct() {
        Metric busy = secondary.get(EnergyLabels.GPU_BUSY_PCT);
        if (busy == null) {
            return Double.NaN;
        }
        return Arrays.stream(busy.samples()).filter(Double::isFinite).average().orElse(Double.NaN);
    }

    /** Whether the GPU was busy less than {@link #HOST_PACED_BUSY_PCT} of the time; false without a busy figure. */
    public boolean hostPaced() {
        return gpuBusyPct() < HOST_PACED_BUSY_PCT;
    }

    /** The GPU busy % as the console shows it: whole percent rounded down, so that one under the bound reads under it. */
    public String gpuBusyShown() {
        double b = gpuBusyPct();
        return Double.isNaN(b) ? "-" : String.format(Locale.ROOT, "%.0f %%", Math.floor(b));
    }

    /** A secondary metric's score, or NaN when the file has no such metric. */
    public double secondaryScore(String label) {
        Metric m = secondary.get(label);
        return m == null ? Double.NaN : m.score();
    }

    /** An environment value parsed as a number, or NaN when absent or not a number. */
    public double environmentNumber(String key) {
        try {
            return Double.parseDouble(environment.getOrDefault(key, "").trim());
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
