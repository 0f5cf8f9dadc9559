package gpuenergy.engine.tensorrt;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import gpuenergy.engine.Artifact;
import gpuenergy.engine.NotRunException;
import gpuenergy.engine.Sha256;
import gpuenergy.options.SuiteSetting;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The TensorRT engine's numerics gate: on the first batch, the engine's output for the export's reference images is
 * compared with the model's own output for them (tools/export_models.py writes both beside the ONNX, as raw
 * little-endian float32, and names them in the ONNX's record under "gate"). The engine is measured only when the
 * relative error ||out - ref|| / ||ref|| is within the FP16 bound the exporter applies to FP16 artifacts.
 */
final class NumericsGate {
    private NumericsGate() {}

    /** The export's reference: {@code imageCount} images (C x H x W floats each) and their logits. */
    record Reference(float[] images, int imageCount, float[] logits, int classes, double bound) {}

    /** Relative error and top-1 agreement over {@code rows} output rows. */
    record Outcome(double relativeError, double top1Agreement, int rows) {}

    /**
     * The reference named in the artifact's record; null when the record has none and -Dgpuenergy.allowUnchecked=true
     * (the engine is then measured unchecked). Read before the engine is built: a trial refused for want of a reference
     * costs no build.
     *
     * @throws NotRunException one line, after {@code prefix} where the record has no reference
     */
    static Reference read(Artifact artifact, long[] chw, String prefix) {
        JsonObject record = artifact.numerics();
        if (record == null || !record.has("gate") || !record.get("gate").isJsonObject()) {
            if (Boolean.getBoolean(SuiteSetting.ALLOW_UNCHECKED.property())) {
                return null;
            }
            throw NotRunException.error(prefix + "the export record of " + artifact.location() + " has no numerics gate reference, so "
                    + "TensorRT's FP16 output cannot be checked; export it with python3 tools/export_models.py --formats onnx, or pass "
                    + "-Dgpuenergy.allowUnchecked=true to measure it unchecked");
        }
        JsonObject gate = record.getAsJsonObject("gate");
        for (String key : new String[] {"images", "classes", "bound", "input", "logits"}) {
            if (!gate.has(key) || !gate.get(key).isJsonPrimitive()) {
                throw badGate(artifact, "no '" + key + "'");
            }
        }
        int images = positiveInteger(artifact, gate, "images");
        int classes = positiveInteger(artifact, gate, "classes");
        JsonPrimitive bound = gate.getAsJsonPrimitive("bound");
        if (!bound.isNumber() || !(bound.getAsDouble() > 0)) {
            throw badGate(artifact, "'bound' " + bound + ", not a positive number");
        }
        String inputSha256 = optionalString(artifact, gate, "input_sha256");
        String logitsSha256 = optionalString(artifact, gate, "logits_sha256");
        Path dir = Path.of(artifact.location()).toAbsolutePath().getParent();
        float[] input = floats(dir.resolve(gate.get("input").getAsString()), inputSha256, (long) images * chw[0] * chw[1] * chw[2]);
        float[] logits = floats(dir.resolve(gate.get("logits").getAsString()), logitsSha256, (long) images * classes);
        return new Reference(input, images, logits, classes, bound.getAsDouble());
    }

    /** The gate's field {@code key} as what the exporter writes there: a positive integer (a count). */
    private static int positiveInteger(Artifact artifact, JsonObject gate, String key) {
        JsonPrimitive v = gate.getAsJsonPrimitive(key);
        try {
            int n = v.isNumber() ? v.getAsBigDecimal().intValueExact() : 0;
            if (n > 0) {
                return n;
            }
        } catch (ArithmeticException notAnInt) {
            // refused below
        }
        throw badGate(artifact, "'" + key + "' " + v + ", not a positive integer");
    }

    /** The gate's field {@code key} where it has one: a string, as the exporter writes a SHA-256; null where it has none. */
    private static String optionalString(Artifact artifact, JsonObject gate, String key) {
        if (!gate.has(key)) {
            return null;
        }
        JsonElement v = gate.get(key);
        if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isString()) {
            throw badGate(artifact, "'" + key + "' " + v + ", not a string");
        }
        return v.getAsString();
    }

    /** A gate record that is not the exporter's, in one line: {@code what} it has. */
    private static NotRunException badGate(Artifact artifact, String what) {
        return NotRunException.error("the numerics gate of " + artifact.location() + "'s export record has " + what
                + "; re-export the model with python3 tools/export_models.py --formats onnx");
    }

    /** {@code count} floats from {@code file}, whose SHA-256 is {@code sha256} where that is not null. */
    private static float[] floats(Path file, String sha256, long count) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw NotRunException.error("the numerics gate's reference " + file + " cannot be read (" + e.getMessage()
                    + "); re-export the model with python3 tools/export_models.py --formats onnx");
        }
        if (bytes.length != count * 4 || (sha256 != null && !sha256.equals(Sha256.of(bytes)))) {
            throw NotRunException.error("the numerics gate's reference " + file + " does not match its export record (" + bytes.length
                    + " bytes, " + count * 4 + " expected, or another SHA-256); re-export the model with python3 tools/export_models.py --formats onnx");
        }
        float[] out = new float[(int) count];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }

    /**
     * Compares {@code batch} output rows with the reference: row r was computed from reference image r mod
     * {@code refRows} (the benchmark tiles the reference images over its batch). NaN when the output has a
     * non-finite value or the reference is all zeros.
     */
    static Outcome compare(float[] out, int batch, float[] ref, int refRows, int classes) {
        double diff = 0;
        double norm = 0;
        int agree = 0;
        boolean finite = true;
        for (int r = 0; r < batch; r++) {
            int o = r * classes;
            int k = (r % refRows) * classes;
            int outMax = 0;
            int refMax = 0;
            for (int c = 0; c < classes; c++) {
                float x = out[o + c];
                float y = ref[k + c];
                finite &= Float.isFinite(x);
                diff += ((double) x - y) * ((double) x - y);
                norm += (double) y * y;
                if (x > out[o + outMax]) {
                    outMax = c;
                }
                if (y > ref[k + refMax]) {
                    refMax = c;
                }
            }
            agree += outMax == refMax ? 1 : 0;
        }
        double relative = finite && norm > 0 ? Math.sqrt(diff / norm) : Double.NaN;
        return new Outcome(relative, batch == 0 ? Double.NaN : (double) agree / batch, batch);
    }

    /** Refuses (one line, recorded as not run) an engine whose output is beyond the bound, or not a number. */
    static void require(Outcome outcome, double bound, String prefix) {
        if (!(outcome.relativeError() <= bound)) {
            throw NotRunException.error(prefix + "numerics gate: the TensorRT FP16 engine's output differs from the model's reference "
                    + "output by a relative error of " + String.format(java.util.Locale.ROOT, "%.3g", outcome.relativeError())
                    + " (bound " + bound + ", top-1 agreement " + String.format(java.util.Locale.ROOT, "%.3f", outcome.top1Agreement())
                    + " over " + outcome.rows() + " images); not measured");
        }
    }
}
