package gpuenergy.engine;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A model file (or URL) resolved for one engine, with what tools/export_models.py recorded about it.
 *
 * @param location   file path or URL handed to DJL's Criteria
 * @param source     models-dir | embedded | path | url
 * @param numerics   the artifact's numerics record ({@code "artifacts": {fmt: {...}}} in {@code <name>.json}), or null
 * @param inputShape input shape of one image (C, H, W)
 */
public record Artifact(String location, String source, JsonObject numerics, long[] inputShape) {

    static final long[] DEFAULT_INPUT = {3, 224, 224};

    /** A numerics record exists and its relative error is within its precision's bound. */
    public boolean checked() {
        return numerics != null && numerics.has("passed") && numerics.get("passed").getAsBoolean();
    }

    /**
     * The numerics gate: an artifact is benchmarked only with a passing record from tools/export_models.py,
     * unless -Dgpuenergy.allowUnchecked=true (then the result records numerics=unchecked).
     */
    public void requireChecked(String model, InferenceEngine engine) {
        if (checked() || Boolean.getBoolean("gpuenergy.allowUnchecked")) {
            return;
        }
        String override = "; pass -Dgpuenergy.allowUnchecked=true to benchmark it unchecked";
        if (numerics == null) {
            throw NotRunException.error("model '" + model + "' (" + location + ") has no numerics record for engine '" + engine.name()
                    + "'; export it with python3 tools/export_models.py (it writes the record into <name>.json)" + override);
        }
        throw NotRunException.error("model '" + model + "' (" + location + ") failed its numerics check: relative error "
                + numerics.get("relative_error") + " exceeds the bound " + numerics.get("bound") + override);
    }

    /** Flat map for the result's environment: numerics.relative_error, numerics.top1_agreement, ... */
    public Map<String, String> describe() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("model.location", location);
        m.put("model.source", source);
        m.put("model.input_shape", inputShape[0] + "x" + inputShape[1] + "x" + inputShape[2]);
        if (numerics == null) {
            m.put("numerics", "unchecked");
        } else {
            for (Map.Entry<String, JsonElement> e : numerics.entrySet()) {
                JsonElement v = e.getValue();
                String value = v.isJsonNull() ? "null" : v.isJsonPrimitive() ? v.getAsString() : v.toString();
                if (e.getKey().equals("tuning") && v.isJsonObject() && v.getAsJsonObject().has("variant")) {
                    // which frozen variant an opt-* artifact is, and the img/s of every candidate at export
                    m.put("model.variant", v.getAsJsonObject().get("variant").getAsString());
                    m.put("model.tuning", value);
                } else {
                    m.put("numerics." + e.getKey(), value);
                }
            }
        }
        return m;
    }
}
