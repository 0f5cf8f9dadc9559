package gpuenergy.report;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import gpuenergy.results.BadInputException;
import gpuenergy.results.JsonFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A Python-eager reference file (python_eager_reference.py's JSON), read whole: every row must be usable, since
 * a row silently skipped would look like a configuration nobody measured.
 *
 * @param environment the file's environment as one line: GPU first, then the other keys as recorded
 */
record EagerReferenceFile(String environment, List<Validation.Reference> rows) {

    static final String REFERENCE_EXPECTED = "expected the JSON python_eager_reference.py writes: "
            + "{\"environment\": {\"gpu\", ...}, \"results\": [{\"model\", \"precision\": \"fp32\"|\"fp16\", \"batch\", "
            + "\"img_per_s\", \"j_per_img\", \"avg_w\", optional \"gpu_kernel_ms_per_batch\", \"gpu_busy_pct\"} or {\"model\", \"precision\", \"batch\", \"error\"}, ...]}";

    static EagerReferenceFile read(Path file) throws BadInputException {
        JsonElement root = JsonFile.read(file, "reference", REFERENCE_EXPECTED);
        try {
            JsonObject top = object(root, "the top level");
            JsonObject env = object(field(top, "environment", "the file"), "\"environment\"");
            // the NVML name the suite's results carry, which pairs a row with them and heads its validation row
            String gpu = field(env, "gpu", "environment").getAsString().strip();
            if (gpu.isEmpty()) {
                throw new IllegalArgumentException("\"environment\" has an empty \"gpu\"");
            }
            // a file without gpu_uuid is paired with its board unknown
            String uuid = env.has("gpu_uuid") && env.get("gpu_uuid").isJsonPrimitive() ? env.get("gpu_uuid").getAsString().strip() : "";
            // "torchscript /tmp/models": the suite's own artifacts run from Python; the first word names the row kind
            String recorded = env.has("runner") && env.get("runner").isJsonPrimitive() ? env.get("runner").getAsString().strip() : "";
            String runner = recorded.isEmpty() ? Validation.Reference.EAGER : recorded.split("\\s+")[0];
            StringBuilder description = new StringBuilder(gpu);
            env.entrySet().stream().filter(e -> !e.getKey().equals("gpu"))
                    .forEach(e -> description.append(", ").append(e.getKey()).append(' ')
                            .append(e.getValue().isJsonPrimitive() ? e.getValue().getAsString() : e.getValue().toString()));
            JsonElement resultsField = field(top, "results", "the file");
            if (!resultsField.isJsonArray()) {
                throw new IllegalArgumentException("\"results\" is not an array");
            }
            JsonArray results = resultsField.getAsJsonArray();
            if (results.isEmpty()) {
                throw new IllegalArgumentException("\"results\" is empty");
            }
            List<Validation.Reference> rows = new ArrayList<>();
            for (int i = 0; i < results.size(); i++) {
                String where = "results[" + i + "]";
                rows.add(row(gpu, uuid, runner, object(results.get(i), where), where));
            }
            return new EagerReferenceFile(description.toString(), rows);
        } catch (RuntimeException e) {
            throw new BadInputException(file + ": not a Python-eager reference file (" + e.getMessage() + "); "
                    + REFERENCE_EXPECTED);
        }
    }

    private static Validation.Reference row(String gpu, String uuid, String runner, JsonObject o, String where) {
        String model = field(o, "model", where).getAsString();
        String precision = field(o, "precision", where).getAsString();
        if (!precision.equals("fp32") && !precision.equals("fp16")) {
            throw new IllegalArgumentException(where + " has precision '" + precision + "', accepted: fp32, fp16");
        }
        int batch = batch(o, where);
        if (o.has("error")) {
            return new Validation.Reference(gpu, uuid, runner, model, precision, batch, Double.NaN, Double.NaN,
                    Double.NaN, Double.NaN, Double.NaN, field(o, "error", where).getAsString());
        }
        // optional: written only by script versions that profile the kernels after the energy window, and null
        // where the profiler recorded nothing (no CUPTI): then the busy cells stay empty, the row stands
        JsonElement kernel = o.get("gpu_kernel_ms_per_batch");
        double kernelMs = kernel == null || kernel.isJsonNull() ? Double.NaN : positive(o, "gpu_kernel_ms_per_batch", where);
        double imgPerSec = positive(o, "img_per_s", where);
        double joulesPerImage = positive(o, "j_per_img", where);
        double watts = positive(o, "avg_w", where);
        // the script derives all three from one window's images, joules and seconds: img/s x J/img is avg_w to
        // rounding, and a row where it is not was edited or written by something else
        double product = imgPerSec * joulesPerImage;
        if (Math.abs(product / watts - 1) > POWER_TOLERANCE) {
            throw new IllegalArgumentException(where + " has avg_w " + watts + " but img_per_s x j_per_img = "
                    + Summary.num(product) + " W; expected them equal within " + Math.round(POWER_TOLERANCE * 100) + " %");
        }
        return new Validation.Reference(gpu, uuid, runner, model, precision, batch, imgPerSec, joulesPerImage, watts,
                kernelMs, busyPercent(o, where), null);
    }

    /** How far avg_w may differ from img_per_s x j_per_img (relative): well above the rounding of written values. */
    static final double POWER_TOLERANCE = 0.01;

    /** A batch size: a whole number >= 1 (a string, a fraction or 0 is refused, naming the row). */
    private static int batch(JsonObject o, String where) {
        JsonElement e = field(o, "batch", where);
        double v = e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber() ? e.getAsDouble() : Double.NaN;
        if (!(v >= 1) || v != Math.rint(v) || v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(where + " has batch " + e + ", expected a whole number >= 1");
        }
        return (int) v;
    }

    /** Checked here: Gson's own message would quote the whole element, which can be the whole file. */
    private static JsonObject object(JsonElement e, String what) {
        if (!e.isJsonObject()) {
            throw new IllegalArgumentException(what + " is not a JSON object");
        }
        return e.getAsJsonObject();
    }

    private static JsonElement field(JsonObject o, String name, String where) {
        JsonElement e = o.get(name);
        if (e == null || e.isJsonNull()) {
            throw new IllegalArgumentException(where + " has no \"" + name + "\"");
        }
        return e;
    }

    /**
     * Optional {@code gpu_busy_pct}: absent in files written before the script measured it, NaN (Python's json writes
     * the bare token) or null where no sample period fit the window; otherwise a percent.
     */
    private static double busyPercent(JsonObject o, String where) {
        JsonElement e = o.get("gpu_busy_pct");
        if (e == null || e.isJsonNull()) {
            return Double.NaN;
        }
        double v = number(e);
        boolean nanToken = e.isJsonPrimitive() && "NaN".equals(e.getAsString());
        if (Double.isNaN(v) && !nanToken || v < 0 || v > 100) {
            throw new IllegalArgumentException(where + " has gpu_busy_pct " + e + ", expected a percent (0..100) or NaN");
        }
        return v;
    }

    /** A ratio against zero, a negative or a non-finite value would be meaningless: refused, not reported. */
    private static double positive(JsonObject o, String name, String where) {
        JsonElement e = field(o, name, where);
        double v = number(e);
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(where + " has " + name + " " + e + ", expected a positive number");
        }
        return v;
    }

    /** A JSON number, or the NaN/Infinity tokens Python's json writes (Gson reads them as strings); else NaN. */
    private static double number(JsonElement e) {
        if (!e.isJsonPrimitive()) {
            return Double.NaN;
        }
        try {
            return e.getAsDouble();
        } catch (NumberFormatException notANumber) {
            return Double.NaN;
        }
    }
}
