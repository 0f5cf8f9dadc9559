package gpuenergy.results;

import java.util.Map;

/**
 * One entry of a not-run list ({@code <result>.notrun.json} or {@code sweep.notrun.json}): a benchmark that was asked
 * for but produced no result.
 *
 * @param params the benchmark's parameters as written (model, engine, batchSize, ...)
 * @param kind   error, did-not-fit or unavailable; "?" when the entry has none
 */
public record NotRun(String benchmark, Map<String, String> params, String kind, String reason) {

    /** The kind of a configuration that ran out of GPU memory: the end of its batch-size ladder. */
    public static final String DID_NOT_FIT = "did-not-fit";

    public String param(String name) {
        return params.getOrDefault(name, "");
    }

    public boolean didNotFit() {
        return DID_NOT_FIT.equals(kind);
    }

    /** "benchmark {params}: kind: reason", as the report and the CLI list it. */
    public String line() {
        return benchmark + " " + params + ": " + kind + ": " + reason;
    }
}
