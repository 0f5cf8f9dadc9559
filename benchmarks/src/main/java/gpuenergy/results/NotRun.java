package gpuenergy.results;

import java.util.Map;

/**
 * One entry of a not-run list ({@code <result>.notrun.json} or {@code sweep.notrun.json}): a benchmark that was asked
 * for but produced no result.
 *
 * @param params the benchmark's parameters as written (model, engine, batchSize, ...)
 * @param kind   error, did-not-fit, unavailable, or above-max-batch (a sweep's ladder stopped below this batch at its
 *               --max-batch cap: not measured, but not out of memory either); "?" when the entry has none
 * @param gpu    the GPU it did not run on, as the results' environment names it (gpu.name); null when the entry has
 *               none: a CPU run, a machine without a GPU, or a list written before entries named their GPU
 */
public record NotRun(String benchmark, Map<String, String> params, String kind, String reason, String gpu) {

    /** The kind of a configuration that ran out of GPU memory: the end of its batch-size ladder. */
    public static final String DID_NOT_FIT = "did-not-fit";

    /**
     * The kind of the batch after a sweep ladder's last rung when that batch is above the sweep's --max-batch: the
     * ladder stopped at the cap. Neither an error nor a did-not-fit: a sweep with a larger --max-batch runs it.
     */
    public static final String ABOVE_MAX_BATCH = "above-max-batch";

    /**
     * The kind of a benchmark this machine or build cannot run (FP16 on a CPU, an engine not in this build): not a
     * failure of the benchmark; on a machine that has what it needs, it runs.
     */
    public static final String UNAVAILABLE = "unavailable";

    /** The kind of a benchmark that failed: a bad value, a broken model, a crash. */
    public static final String ERROR = "error";

    /** The field of a not-run entry that names its GPU. */
    public static final String GPU = "gpu";

    /**
     * What a writer puts in an entry's {@link #GPU} field: the GPU of the run, unless the benchmark ran on the CPU
     * (a did-not-fit there says nothing about that GPU's memory). Null means "leave the field out".
     *
     * @param device  the entry's device parameter (cpu, auto, gpu, gpu:N), null when the benchmark has none
     * @param gpuName gpu.name of the run's environment record, null without a GPU
     */
    public static String gpuFor(String device, String gpuName) {
        return gpuName == null || gpuName.isBlank() || "cpu".equals(device) ? null : gpuName;
    }

    /**
     * The exit rule of every command that runs benchmarks, plain run and sweep alike: 1 when a benchmark failed (kind
     * {@link #ERROR}) or nothing at all was measured though something was asked for; 0 otherwise. A did-not-fit, an
     * unavailable and an above-max-batch are outcomes, not failures: the default suite on a CPU (FP16 unavailable)
     * exits 0 either way.
     *
     * @param measured how many benchmarks have a result
     * @param kinds    the kind of each benchmark that did not run
     */
    public static int exitCode(int measured, java.util.Collection<String> kinds) {
        boolean failed = kinds.stream().anyMatch(k -> !DID_NOT_FIT.equals(k) && !UNAVAILABLE.equals(k) && !ABOVE_MAX_BATCH.equals(k));
        return failed || measured == 0 && !kinds.isEmpty() ? 1 : 0;
    }

    public String param(String name) {
        return params.getOrDefault(name, "");
    }

    public boolean didNotFit() {
        return DID_NOT_FIT.equals(kind);
    }

    public boolean aboveMaxBatch() {
        return ABOVE_MAX_BATCH.equals(kind);
    }

    /** "benchmark {params}[ on gpu]: kind: reason", as the report and the CLI list it. */
    public String line() {
        return benchmark + " " + params + (gpu == null ? "" : " on " + gpu) + ": " + kind + ": " + reason;
    }
}
