package gpuenergy.results;

import gpuenergy.profile.DeviceSpec;

import java.util.Collection;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One entry of a not-run list ({@link NotRunList}): a benchmark that was asked for but produced no result.
 *
 * @param params the benchmark's parameters as written (model, engine, batchSize, ...)
 * @param gpu    the GPU model it did not run on, as the report groups results ({@link GpuModel}: gpu.name, and a MIG
 *               instance's profile); null when the entry has none: a CPU run, a machine without a GPU, or a list whose
 *               entries name none
 */
public record NotRun(String benchmark, Map<String, String> params, Kind kind, String reason, String gpu) {

    /** Why a benchmark did not run, as the not-run lists, the trial records and the sweep's log spell it. */
    public enum Kind {
        /** It failed: a bad value, a broken model, a crash. */
        ERROR("error"),
        /** The batch did not fit in the device's memory: the end of its batch-size ladder. */
        DID_NOT_FIT("did-not-fit"),
        /**
         * This machine or build cannot run it (FP16 on a CPU, an engine not in this build): not a failure of the
         * benchmark; on a machine that has what it needs, it runs.
         */
        UNAVAILABLE("unavailable"),
        /**
         * The batch after a sweep ladder's last rung, above the sweep's --max-batch: the ladder stopped at the cap.
         * Neither an error nor a did-not-fit: a sweep with a larger --max-batch runs it.
         */
        ABOVE_MAX_BATCH("above-max-batch"),
        /**
         * A sweep did not start it: the measured iterations it needs to hold --min-batches, at the rate the rung below
         * (or its own short run) predicts, would each last more than a day, the cap of --min-seconds. Neither an error nor
         * a did-not-fit: the ladder stops there (a larger batch is slower still); a faster GPU or a smaller --min-batches
         * runs it.
         */
        ITERATION_TOO_LONG("iteration-too-long");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        /** The kind as files spell it. */
        public String label() {
            return label;
        }

        /** @throws IllegalArgumentException for a label no kind has */
        public static Kind of(String label) {
            for (Kind k : values()) {
                if (k.label.equals(label)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("kind '" + label + "' is none of " + java.util.Arrays.stream(values())
                    .map(Kind::label).collect(Collectors.joining(", ")));
        }
    }

    /** The field of a not-run entry that names its GPU. */
    static final String GPU = "gpu";

    /**
     * What a writer puts in an entry's GPU field: the GPU of the run, unless the benchmark ran on the CPU (a
     * did-not-fit there says nothing about that GPU's memory). Null means "leave the field out".
     *
     * @param device the entry's device parameter (cpu, auto, gpu, gpu:N), null when the benchmark has none
     * @param gpu    the GPU of the run's environment record ({@link GpuModel}), null without a GPU
     */
    public static String gpuFor(String device, String gpu) {
        return gpu == null || gpu.isBlank() || DeviceSpec.runsOnCpu(device) ? null : gpu;
    }

    /**
     * The exit rule of every command that runs benchmarks, plain run and sweep alike: 1 when a benchmark failed (kind
     * {@link Kind#ERROR}) or nothing at all was measured though something was asked for; 0 otherwise. A did-not-fit,
     * an unavailable, an above-max-batch and an iteration-too-long are outcomes, not failures: the default suite on a
     * CPU (FP16 unavailable) exits 0 either way.
     *
     * @param measured how many benchmarks have a result
     * @param kinds    the kind of each benchmark that did not run
     */
    public static int exitCode(int measured, Collection<Kind> kinds) {
        return kinds.contains(Kind.ERROR) || measured == 0 && !kinds.isEmpty() ? 1 : 0;
    }

    /**
     * Whether this entry is about that benchmark: the same method, and every parameter the entry names with the
     * benchmark's value. A sweep's entries name model, engine and batchSize only, while its results also carry device.
     */
    public boolean isFor(String benchmark, Map<String, String> params) {
        return this.benchmark.equals(benchmark)
                && this.params.entrySet().stream().allMatch(e -> e.getValue().equals(params.get(e.getKey())));
    }

    public String param(String name) {
        return params.getOrDefault(name, "");
    }

    public boolean didNotFit() {
        return kind == Kind.DID_NOT_FIT;
    }

    public boolean aboveMaxBatch() {
        return kind == Kind.ABOVE_MAX_BATCH;
    }

    /** "benchmark {params}[ on gpu]: kind: reason", as the report lists it. */
    public String line() {
        return benchmark + " " + params + (gpu == null ? "" : " on " + gpu) + ": " + kind.label() + ": " + reason;
    }

    /** "Class.method (k=v, k=v) [kind]: reason", as a run lists it at its end. */
    public String consoleLine() {
        return BenchmarkResult.consoleName(benchmark, params) + " [" + kind.label() + "]: " + reason;
    }
}
