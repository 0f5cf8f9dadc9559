package gpuenergy.engine.tensorrt;

import com.google.gson.JsonObject;
import gpuenergy.engine.Artifact;
import gpuenergy.engine.NotRunException;
import gpuenergy.options.SuiteSetting;
import gpuenergy.results.NotRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The TensorRT numerics gate's arithmetic and its reference files. */
class NumericsGateTest {
    @TempDir
    Path dir;

    /** Two reference rows of four classes. */
    static final float[] REF = {1, 2, 3, 4, 4, 3, 2, 1};

    @Test
    void identicalOutputPassesWithFullAgreement() {
        NumericsGate.Outcome o = NumericsGate.compare(REF.clone(), 2, REF, 2, 4);
        assertEquals(0.0, o.relativeError());
        assertEquals(1.0, o.top1Agreement());
        assertEquals(2, o.rows());
    }

    @Test
    void relativeErrorIsTheNormOfTheDifferenceOverTheNormOfTheReference() {
        float[] out = REF.clone();
        out[3] = 5; // row 0: +1 on its largest logit
        NumericsGate.Outcome o = NumericsGate.compare(out, 2, REF, 2, 4);
        assertEquals(Math.sqrt(1.0 / 60), o.relativeError(), 1e-12); // ||ref||^2 = 2 * (1+4+9+16)
        assertEquals(1.0, o.top1Agreement());
        out[0] = 9; // row 0's top-1 now differs
        assertEquals(0.5, NumericsGate.compare(out, 2, REF, 2, 4).top1Agreement());
    }

    @Test
    void aBatchLargerThanTheReferenceIsComparedRowByRowAgainstTheTiledImages() {
        float[] out = new float[5 * 4];
        for (int r = 0; r < 5; r++) {
            System.arraycopy(REF, (r % 2) * 4, out, r * 4, 4);
        }
        assertEquals(0.0, NumericsGate.compare(out, 5, REF, 2, 4).relativeError());
        out[4 * 4] = 100; // row 4 is image 0 again, now wrong
        NumericsGate.Outcome o = NumericsGate.compare(out, 5, REF, 2, 4);
        assertTrue(o.relativeError() > 1, "" + o);
        assertEquals(0.8, o.top1Agreement(), 1e-12);
        // a batch smaller than the reference compares its own rows only
        assertEquals(0.0, NumericsGate.compare(new float[] {1, 2, 3, 4}, 1, REF, 2, 4).relativeError());
    }

    @Test
    void aNonFiniteOutputOrAnErrorBeyondTheBoundIsRefused() {
        float[] out = REF.clone();
        out[1] = Float.NaN;
        NumericsGate.Outcome nan = NumericsGate.compare(out, 2, REF, 2, 4);
        assertTrue(Double.isNaN(nan.relativeError()));
        NotRunException e = assertThrows(NotRunException.class, () -> NumericsGate.require(nan, 0.02, "engine 'x', batchSize 2: "));
        assertEquals(NotRun.Kind.ERROR, e.kind());
        assertTrue(e.getMessage().startsWith("engine 'x', batchSize 2: numerics gate: the TensorRT FP16 engine's output differs from the "
                + "model's reference output by a relative error of NaN (bound 0.02"), e.getMessage());

        float[] off = REF.clone();
        off[3] = 4.5f;
        NumericsGate.Outcome o = NumericsGate.compare(off, 2, REF, 2, 4);
        assertThrows(NotRunException.class, () -> NumericsGate.require(o, 0.02, ""));
        NumericsGate.require(o, 0.1, ""); // within a looser bound
    }

    private static void writeFloats(Path file, float[] values) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        Files.write(file, b.array());
    }

    private Artifact onnxWithGate(float[] images, float[] logits, int imageCount) throws IOException {
        Path onnx = Files.writeString(dir.resolve("m.onnx"), "onnx");
        writeFloats(dir.resolve("m-gate-input.f32"), images);
        writeFloats(dir.resolve("m-gate-logits.f32"), logits);
        JsonObject gate = new JsonObject();
        gate.addProperty("images", imageCount);
        gate.addProperty("classes", 4);
        gate.addProperty("bound", 0.02);
        gate.addProperty("input", "m-gate-input.f32");
        gate.addProperty("logits", "m-gate-logits.f32");
        gate.addProperty("logits_sha256", gpuenergy.engine.Sha256.of(Files.readAllBytes(dir.resolve("m-gate-logits.f32"))));
        JsonObject record = new JsonObject();
        record.add("gate", gate);
        return new Artifact(onnx.toString(), "path", record, new long[] {1, 2, 3});
    }

    @Test
    void theReferenceIsReadFromTheFilesTheRecordNames() throws IOException {
        float[] images = new float[2 * 6];
        for (int i = 0; i < images.length; i++) {
            images[i] = i / 12f;
        }
        NumericsGate.Reference r = NumericsGate.read(onnxWithGate(images, REF, 2), new long[] {1, 2, 3}, "");
        assertArrayEquals(images, r.images());
        assertArrayEquals(REF, r.logits());
        assertEquals(2, r.imageCount());
        assertEquals(4, r.classes());
        assertEquals(0.02, r.bound());
    }

    /**
     * A record without a gate reference is refused as the session reads it, before the engine is built: the build takes
     * minutes of the GPU for a trial that is then not measured. With -Dgpuenergy.allowUnchecked=true it reads as no
     * reference, and the engine is measured unchecked.
     */
    @Test
    void aModelWithoutAGateReferenceIsRefusedBeforeItsEngineIsBuilt() throws IOException {
        Path onnx = Files.writeString(dir.resolve("m.onnx"), "onnx");
        String prefix = "engine 'tensorrt-fp16', batchSize 8: ";
        for (JsonObject record : new JsonObject[] {new JsonObject(), null}) {
            Artifact noGate = new Artifact(onnx.toString(), "path", record, new long[] {1, 2, 3});
            NotRunException e = assertThrows(NotRunException.class, () -> NumericsGate.read(noGate, new long[] {1, 2, 3}, prefix));
            assertEquals(prefix + "the export record of " + onnx + " has no numerics gate reference, so TensorRT's FP16 output "
                    + "cannot be checked; export it with python3 tools/export_models.py --formats onnx, or pass "
                    + "-Dgpuenergy.allowUnchecked=true to measure it unchecked", e.getMessage());
            assertEquals(NotRun.Kind.ERROR, e.kind());
            System.setProperty(SuiteSetting.ALLOW_UNCHECKED.property(), "true");
            try {
                assertNull(NumericsGate.read(noGate, new long[] {1, 2, 3}, prefix), "allowed unchecked: no reference, no refusal");
            } finally {
                System.clearProperty(SuiteSetting.ALLOW_UNCHECKED.property());
            }
        }
    }

    @Test
    void aGateRecordMissingAFieldIsOneLine() throws IOException {
        Path onnx = Files.writeString(dir.resolve("m.onnx"), "onnx");
        JsonObject record = com.google.gson.JsonParser.parseString("{\"gate\": {\"images\": 8}}").getAsJsonObject();
        NotRunException e = assertThrows(NotRunException.class,
                () -> NumericsGate.read(new Artifact(onnx.toString(), "path", record, new long[] {1, 2, 3}), new long[] {1, 2, 3}, ""));
        assertEquals("the numerics gate of " + onnx + "'s export record has no 'classes'; re-export the model with python3 "
                + "tools/export_models.py --formats onnx", e.getMessage());
    }

    /**
     * A gate whose counts or bound are not what the exporter writes (a record edited by hand) is one line naming the
     * field, not a Java parse error, nor a division by zero as the images are tiled over the batch.
     */
    @Test
    void aGateFieldOfAnotherTypeIsOneLineNamingIt() throws IOException {
        Path onnx = Files.writeString(dir.resolve("m.onnx"), "onnx");
        Files.write(dir.resolve("empty.f32"), new byte[0]);
        String[][] cases = {
                {"\"images\": 0", "'images' 0, not a positive integer"},
                {"\"images\": \"eight\"", "'images' \"eight\", not a positive integer"},
                {"\"images\": 2.5", "'images' 2.5, not a positive integer"},
                {"\"classes\": -4", "'classes' -4, not a positive integer"},
                {"\"bound\": \"tight\"", "'bound' \"tight\", not a positive number"},
                {"\"bound\": 0", "'bound' 0, not a positive number"},
        };
        for (String[] c : cases) {
            JsonObject gate = com.google.gson.JsonParser.parseString("{\"images\": 2, \"classes\": 4, \"bound\": 0.02, "
                    + "\"input\": \"empty.f32\", \"logits\": \"empty.f32\"}").getAsJsonObject();
            com.google.gson.JsonParser.parseString("{" + c[0] + "}").getAsJsonObject().entrySet().forEach(e -> gate.add(e.getKey(), e.getValue()));
            JsonObject record = new JsonObject();
            record.add("gate", gate);
            Artifact a = new Artifact(onnx.toString(), "path", record, new long[] {1, 2, 3});
            NotRunException e = assertThrows(NotRunException.class, () -> NumericsGate.read(a, new long[] {1, 2, 3}, ""), c[0]);
            assertEquals("the numerics gate of " + onnx + "'s export record has " + c[1] + "; re-export the model with python3 "
                    + "tools/export_models.py --formats onnx", e.getMessage());
        }
    }

    /**
     * A gate whose reference's SHA-256 is not the string the exporter writes (a record edited by hand) is one line naming
     * the field, not a JSON type's exception ("JsonObject") nor a mismatch of files that are the export's.
     */
    @Test
    void aGateSha256OfAnotherTypeIsOneLineNamingIt() throws IOException {
        String[][] cases = {
                {"input_sha256", "{}"},
                {"input_sha256", "5"},
                {"logits_sha256", "[\"ab\"]"},
                {"logits_sha256", "null"},
        };
        for (String[] c : cases) {
            Artifact a = onnxWithGate(new float[12], REF, 2);
            a.numerics().getAsJsonObject("gate").add(c[0], com.google.gson.JsonParser.parseString(c[1]));
            NotRunException e = assertThrows(NotRunException.class, () -> NumericsGate.read(a, new long[] {1, 2, 3}, ""), c[0] + " " + c[1]);
            assertEquals("the numerics gate of " + a.location() + "'s export record has '" + c[0] + "' " + c[1] + ", not a string; "
                    + "re-export the model with python3 tools/export_models.py --formats onnx", e.getMessage());
        }
    }

    @Test
    void aReferenceThatDoesNotMatchItsRecordIsRefused() throws IOException {
        Artifact a = onnxWithGate(new float[12], REF, 2);
        writeFloats(dir.resolve("m-gate-input.f32"), new float[11]); // one value short
        NotRunException short_ = assertThrows(NotRunException.class, () -> NumericsGate.read(a, new long[] {1, 2, 3}, ""));
        assertTrue(short_.getMessage().contains("m-gate-input.f32 does not match its export record (44 bytes, 48 expected"), short_.getMessage());

        Artifact b = onnxWithGate(new float[12], REF, 2);
        float[] changed = REF.clone();
        changed[0] = 7;
        writeFloats(dir.resolve("m-gate-logits.f32"), changed); // same size, other content
        assertThrows(NotRunException.class, () -> NumericsGate.read(b, new long[] {1, 2, 3}, ""));

        Files.delete(dir.resolve("m-gate-logits.f32"));
        assertTrue(assertThrows(NotRunException.class, () -> NumericsGate.read(b, new long[] {1, 2, 3}, "")).getMessage()
                .contains("cannot be read"));
    }
}
