package gpuenergy.engine;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import gpuenergy.options.SuiteSetting;
import gpuenergy.profile.EnvironmentKeys;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A model file (or URL) resolved for one engine, with what tools/export_models.py recorded about it.
 */
public final class Artifact {

    static final long[] DEFAULT_INPUT = {3, 224, 224};

    private final String location;
    private final String source;
    private final JsonObject numerics;
    private final long[] inputShape;
    private String sha256;

    /**
     * @param location   file path or URL
     * @param source     models-dir | embedded | path | url
     * @param numerics   the artifact's record ({@code "artifacts": {fmt: {...}}} in {@code <name>.json}), or null
     * @param inputShape input shape of one image (C, H, W)
     */
    public Artifact(String location, String source, JsonObject numerics, long[] inputShape) {
        this.location = location;
        this.source = source;
        this.numerics = numerics;
        this.inputShape = inputShape.clone();
    }

    public String location() {
        return location;
    }

    public String source() {
        return source;
    }

    /** The artifact's export record, or null. */
    public JsonObject numerics() {
        return numerics;
    }

    public long[] inputShape() {
        return inputShape.clone();
    }

    /** A numerics record exists and its relative error is within its precision's bound. */
    public boolean checked() {
        return numerics != null && numerics.has("passed") && numerics.get("passed").getAsBoolean();
    }

    /**
     * The numerics gate: an artifact is benchmarked only with a passing record from tools/export_models.py,
     * unless -Dgpuenergy.allowUnchecked=true (then the result records numerics=unchecked).
     */
    public void requireChecked(String model, InferenceEngine engine) {
        if (checked() || Boolean.getBoolean(SuiteSetting.ALLOW_UNCHECKED.property())) {
            return;
        }
        String override = "; pass -Dgpuenergy.allowUnchecked=true to benchmark it unchecked";
        if (numerics == null || !numerics.has("passed")) {
            throw NotRunException.error("model '" + model + "' (" + location + ") has no numerics " + (numerics == null
                    ? "record" : "verdict ('passed') in its record") + " for engine '" + engine.name()
                    + "'; export it with python3 tools/export_models.py (it writes the record into <name>.json)" + override);
        }
        throw NotRunException.error("model '" + model + "' (" + location + ") failed its numerics check: relative error "
                + numerics.get("relative_error") + " exceeds the bound " + numerics.get("bound") + override);
    }

    /**
     * Checks the file against the size and SHA-256 its export record carries, so that a file changed after its
     * numerics were checked (corrupted in place, or replaced) is never benchmarked under that record. Records
     * without a SHA-256 (older exports) are not checked; the result then says so (model.sha256_check).
     */
    public void verifyContent() {
        if (numerics == null || !numerics.has("sha256") || location.contains("://")) {
            return;
        }
        Path file = Path.of(location);
        // the embedded model is extracted again whenever its copy does not match: then the jar's own copy is damaged
        String again = source.equals("embedded") ? "; the copy inside benchmarks.jar is damaged: rebuild or download the jar"
                : "; re-export it with python3 tools/export_models.py";
        if (numerics.has("bytes")) {
            long expected = numerics.get("bytes").getAsLong();
            long size = size(file);
            if (size != expected) {
                throw NotRunException.error("model file " + file + " is " + size + " bytes but its export record says " + expected
                        + ": the file changed after export" + again);
            }
        }
        String expected = numerics.get("sha256").getAsString();
        if (!expected.equalsIgnoreCase(sha256())) {
            throw NotRunException.error("model file " + file + " does not match the SHA-256 in its export record (" + sha256()
                    + " instead of " + expected + "): the file changed after export" + again);
        }
    }

    /** SHA-256 of the file's content, hex; computed once. */
    public synchronized String sha256() {
        if (sha256 == null) {
            sha256 = sha256(Path.of(location));
        }
        return sha256;
    }

    static String sha256(Path file) {
        try {
            return Sha256.of(file);
        } catch (IOException e) {
            throw NotRunException.error("cannot read model file " + file + ": " + e.getMessage());
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw NotRunException.error("cannot read model file " + file + ": " + e.getMessage());
        }
    }

    /** Flat map for the result's environment: numerics.relative_error, numerics.top1_agreement, ... */
    public Map<String, String> describe() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(EnvironmentKeys.MODEL_LOCATION, location);
        m.put(EnvironmentKeys.MODEL_SOURCE, source);
        m.put(EnvironmentKeys.MODEL_INPUT_SHAPE, inputShape[0] + "x" + inputShape[1] + "x" + inputShape[2]);
        if (numerics == null) {
            m.put(EnvironmentKeys.NUMERICS, "unchecked");
        } else {
            m.put(EnvironmentKeys.MODEL_SHA256_CHECK, numerics.has("sha256") && !location.contains("://") ? "matched" : "not in the record");
            for (Map.Entry<String, JsonElement> e : numerics.entrySet()) {
                JsonElement v = e.getValue();
                String value = v.isJsonNull() ? "null" : v.isJsonPrimitive() ? v.getAsString() : v.toString();
                if (e.getKey().equals("tuning") && v.isJsonObject() && v.getAsJsonObject().has("variant")) {
                    // which frozen variant an opt-* artifact is, and the img/s of every candidate at export
                    m.put(EnvironmentKeys.MODEL_VARIANT, v.getAsJsonObject().get("variant").getAsString());
                    m.put(EnvironmentKeys.MODEL_TUNING, value);
                } else if (!e.getKey().equals("gate")) {
                    m.put(EnvironmentKeys.NUMERICS_PREFIX + e.getKey(), value);
                }
            }
        }
        return m;
    }
}
