package gpuenergy.engine;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import gpuenergy.engine.tensorrt.TensorRtEngine;
import gpuenergy.profile.EnvironmentKeys;
import gpuenergy.results.NotRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An artifact is checked against the size and SHA-256 of its export record before it is loaded; ONNX files resolve. */
class ArtifactContentTest {
    @TempDir
    Path dir;

    /** A models directory with the embedded model's FP32 artifact and its record (which carries size and SHA-256). */
    private Path exportedModel() throws IOException {
        Path m = Files.createDirectories(dir.resolve("models/mobilenetv3_small_100"));
        for (String f : new String[] {"mobilenetv3_small_100-fp32.pt", "mobilenetv3_small_100.json"}) {
            try (var in = ArtifactContentTest.class.getResourceAsStream("/models/mobilenetv3_small_100/" + f)) {
                Files.copy(in, m.resolve(f));
            }
        }
        return m;
    }

    private Artifact resolve(Path modelsDir, String model, InferenceEngine engine) {
        System.setProperty("gpuenergy.models", modelsDir.toString());
        try {
            return ModelResolver.resolve(model, engine);
        } finally {
            System.clearProperty("gpuenergy.models");
        }
    }

    @Test
    void aFileCorruptedInPlaceIsRefusedBeforeLoading() throws IOException {
        Path m = exportedModel();
        Artifact intact = resolve(m.getParent(), "mobilenetv3_small_100", PyTorchEngine.fp32());
        intact.verifyContent();
        assertEquals("matched", intact.describe().get(EnvironmentKeys.MODEL_SHA256_CHECK));

        Path file = m.resolve("mobilenetv3_small_100-fp32.pt");
        long size = Files.size(file);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(size / 2);
            f.write(new byte[200 * 1024]); // 200 KB zeroed in the middle, same size
        }
        assertEquals(size, Files.size(file));
        Artifact corrupt = resolve(m.getParent(), "mobilenetv3_small_100", PyTorchEngine.fp32());
        NotRunException e = assertThrows(NotRunException.class, corrupt::verifyContent);
        assertEquals(NotRun.Kind.ERROR, e.kind());
        assertTrue(e.getMessage().startsWith("model file " + file + " does not match the SHA-256 in its export record ("), e.getMessage());
        assertTrue(e.getMessage().endsWith("): the file changed after export; re-export it with python3 tools/export_models.py"),
                e.getMessage());

        Files.write(file, new byte[10], java.nio.file.StandardOpenOption.APPEND);
        assertEquals("model file " + file + " is " + (size + 10) + " bytes but its export record says " + size
                        + ": the file changed after export; re-export it with python3 tools/export_models.py",
                assertThrows(NotRunException.class, resolve(m.getParent(), "mobilenetv3_small_100", PyTorchEngine.fp32())::verifyContent)
                        .getMessage());
    }

    /** The embedded model's cached copy is the jar's to repair: corrupted in place, it is extracted again. */
    @Test
    void aCorruptedCopyOfTheEmbeddedModelIsExtractedAgain() throws IOException {
        String tmpdir = System.getProperty("java.io.tmpdir");
        System.setProperty("java.io.tmpdir", dir.toString());
        try {
            Path noModels = Files.createDirectories(dir.resolve("no-models"));
            Artifact first = resolve(noModels, "mobilenetv3_small_100", PyTorchEngine.fp32());
            assertEquals("embedded", first.source());
            Path file = Path.of(first.location());
            assertTrue(file.startsWith(dir), file.toString());
            try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
                f.seek(Files.size(file) / 2);
                int b = f.read();
                f.seek(Files.size(file) / 2);
                f.write(b ^ 1); // one bit flipped
            }
            Artifact again = resolve(noModels, "mobilenetv3_small_100", PyTorchEngine.fp32());
            assertEquals(file.toString(), again.location());
            again.verifyContent();
            assertEquals("matched", again.describe().get(EnvironmentKeys.MODEL_SHA256_CHECK));
        } finally {
            System.setProperty("java.io.tmpdir", tmpdir);
        }
    }

    /**
     * A record written by hand with only what a run needs (no name, an artifact's file without a numerics verdict) is
     * read: the gate then says the verdict is missing, and such an artifact runs where unchecked ones are allowed.
     */
    @Test
    void aRecordWithoutNameOrVerdictIsReadAndGatedAsUnchecked() throws IOException {
        Path m = Files.createDirectories(dir.resolve("models/x"));
        Files.write(m.resolve("x-fp32.pt"), new byte[] {1});
        Files.writeString(m.resolve("x.json"), "{\"input_size\": [3, 32, 32], \"artifacts\": {\"fp32\": {\"file\": \"x-fp32.pt\"}}}");
        Artifact a = resolve(m.getParent(), "x", PyTorchEngine.fp32());
        assertEquals(m.resolve("x-fp32.pt").toString(), a.location());
        NotRunException e = assertThrows(NotRunException.class, () -> a.requireChecked("x", PyTorchEngine.fp32()));
        assertTrue(e.getMessage().startsWith("model 'x' (" + a.location() + ") has no numerics verdict ('passed') in its "
                + "record for engine 'pytorch-fp32'"), e.getMessage());
        System.setProperty("gpuenergy.allowUnchecked", "true");
        try {
            a.requireChecked("x", PyTorchEngine.fp32());
        } finally {
            System.clearProperty("gpuenergy.allowUnchecked");
        }
    }

    /**
     * A record without a name or an artifact's file is read; a file given by path that is another precision's artifact
     * is refused naming the artifact the engine needs, named for the record's file where the record names no model.
     */
    @Test
    void aRecordWithoutNameOrFileIsReadAndNamesTheArtifactNeeded() throws IOException {
        Path m = Files.createDirectories(dir.resolve("models/x"));
        Files.write(m.resolve("x-fp32.pt"), new byte[] {1});
        Files.write(m.resolve("x-fp16.pt"), new byte[] {1});
        Files.writeString(m.resolve("x.json"), "{\"artifacts\": {\"fp32\": {\"passed\": true}, "
                + "\"fp16\": {\"file\": \"x-fp16.pt\", \"passed\": true}}}");
        assertEquals(m.resolve("x-fp32.pt").toString(), resolve(m.getParent(), "x", PyTorchEngine.fp32()).location());
        NotRunException e = assertThrows(NotRunException.class,
                () -> resolve(m.getParent(), m.resolve("x-fp16.pt").toString(), PyTorchEngine.fp32()));
        assertEquals("model file " + m.resolve("x-fp16.pt") + " is the 'fp16' artifact but engine 'pytorch-fp32' needs "
                + "the 'fp32' artifact (x-fp32.pt)", e.getMessage());
    }

    /** A record edited by hand: refused naming its field, not with a Java cast error or a check of "null". */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "\"input_size\": [3, 224]|has 'input_size' [3,224], not three positive integers (C, H, W)",
        "\"input_size\": [3, 0, 224]|has 'input_size' [3,0,224], not three positive integers (C, H, W)",
        "\"artifacts\": []|has 'artifacts' [], not an object of artifact records",
        "\"artifacts\": {\"fp32\": 1}|has 'artifacts.fp32' 1, not an artifact record",
        "\"artifacts\": {\"fp32\": {\"file\": 7, \"passed\": true}}|has 'artifacts.fp32.file' 7, not a string",
        "\"artifacts\": {\"fp32\": {\"file\": \"x-fp32.pt\", \"passed\": \"yes\"}}|has 'artifacts.fp32.passed' \"yes\", not true or false",
        "\"artifacts\": {\"fp32\": {\"file\": \"x-fp32.pt\", \"passed\": true, \"sha256\": 5}}|has 'artifacts.fp32.sha256' 5, not a string",
        "\"artifacts\": {\"fp32\": {\"file\": \"x-fp32.pt\", \"passed\": true, \"bytes\": 1.5}}|has 'artifacts.fp32.bytes' 1.5, not a size in bytes",
    })
    void aRecordWithAFieldOfAnotherTypeIsRefusedNamingIt(String field, String says) throws IOException {
        Path m = Files.createDirectories(dir.resolve("models/x"));
        Files.write(m.resolve("x-fp32.pt"), new byte[] {1});
        Files.writeString(m.resolve("x.json"), "{\"name\": \"x\", " + field + "}");
        NotRunException e = assertThrows(NotRunException.class, () -> resolve(m.getParent(), "x", PyTorchEngine.fp32()));
        assertEquals("model record " + m.resolve("x.json") + " " + says + "; re-export the model", e.getMessage());
    }

    /**
     * A record that cannot be read as text (saved as UTF-16 by an editor) is one line naming it, whether the model is
     * named or given by path, not the decoder's "Input length = 1" after the benchmark's name.
     */
    @Test
    void aRecordThatIsNotUtf8TextIsOneLineNamingIt() throws IOException {
        Path m = Files.createDirectories(dir.resolve("models/x"));
        Files.write(m.resolve("x-fp32.pt"), new byte[] {1});
        Files.write(m.resolve("x.onnx"), new byte[] {1});
        Files.writeString(m.resolve("x.json"), "{\"name\": \"x\", \"input_size\": [3, 32, 32]}", StandardCharsets.UTF_16);
        String line = m.resolve("x.json") + ": not UTF-8 text; re-export the model";
        NotRunException byName = assertThrows(NotRunException.class, () -> resolve(m.getParent(), "x", PyTorchEngine.fp32()));
        assertEquals(NotRun.Kind.ERROR, byName.kind());
        assertEquals(line, byName.getMessage());
        assertEquals(line, assertThrows(NotRunException.class, () -> ModelResolver.resolve(m.resolve("x.onnx").toString(),
                new TensorRtEngine())).getMessage());
    }

    /**
     * A directory given as the model (the model's own, for its file) is said to be one, naming the file the engine takes
     * in it where there is one, not said not to exist.
     */
    @Test
    void aDirectoryGivenAsTheModelIsOneLineSayingSo() throws IOException {
        Path m = Files.createDirectories(dir.resolve("models/tiny"));
        Files.writeString(m.resolve("tiny.onnx"), "onnx bytes");
        NotRunException e = assertThrows(NotRunException.class, () -> ModelResolver.resolve(m.toString(), new TensorRtEngine()));
        assertEquals(NotRun.Kind.ERROR, e.kind());
        assertTrue(e.getMessage().startsWith("model file " + m + " is a directory, not a model file (engine 'tensorrt-fp16' takes "
                + m.resolve("tiny.onnx") + "); accepted: "), e.getMessage());
        Path named = Files.createDirectories(dir.resolve("named.onnx"));
        e = assertThrows(NotRunException.class, () -> ModelResolver.resolve(named.toString(), new TensorRtEngine()));
        assertTrue(e.getMessage().startsWith("model file " + named + " is a directory, not a model file; accepted: "), e.getMessage());
        assertTrue(assertThrows(NotRunException.class, () -> ModelResolver.resolve(dir.resolve("absent.onnx").toString(),
                new TensorRtEngine())).getMessage().startsWith("model file " + dir.resolve("absent.onnx") + " does not exist; accepted: "));
    }

    /** A model name whose file is a directory (models/x/x.onnx made as one) says so, not that the file is missing. */
    @Test
    void aModelNameWhoseFileIsADirectoryIsOneLineSayingSo() throws IOException {
        Path onnx = Files.createDirectories(dir.resolve("models/tiny/tiny.onnx"));
        NotRunException e = assertThrows(NotRunException.class, () -> resolve(dir.resolve("models"), "tiny", new TensorRtEngine()));
        assertEquals(NotRun.Kind.ERROR, e.kind());
        assertTrue(e.getMessage().startsWith("model 'tiny' has no onnx artifact: " + onnx + " is a directory, not a model file; "
                + "export it with: "), e.getMessage());
    }

    @Test
    void aRecordWithoutSha256IsNotCheckedAndSaysSo() {
        JsonObject rec = JsonParser.parseString("{\"relative_error\": 0.0003, \"bound\": 0.005, \"passed\": true}").getAsJsonObject();
        Artifact a = new Artifact(dir.resolve("absent.pt").toString(), "path", rec, new long[] {3, 224, 224});
        a.verifyContent(); // nothing to check against: the file is not even read
        assertEquals("not in the record", a.describe().get(EnvironmentKeys.MODEL_SHA256_CHECK));
    }

    @Test
    void tensorRtResolvesTheOnnxByNameAndByPath() throws IOException {
        Path m = Files.createDirectories(dir.resolve("models/tiny"));
        Files.writeString(m.resolve("tiny.onnx"), "onnx bytes");
        Files.writeString(m.resolve("tiny.json"), "{\"name\": \"tiny\", \"input_size\": [3, 32, 32], \"artifacts\": {\"onnx\": "
                + "{\"file\": \"tiny.onnx\", \"relative_error\": 1e-7, \"bound\": 0.005, \"passed\": true, \"bytes\": 10, "
                + "\"gate\": {\"images\": 8}}}}");
        TensorRtEngine trt = new TensorRtEngine();
        Artifact byName = resolve(m.getParent(), "tiny", trt);
        assertEquals(m.resolve("tiny.onnx").toString(), byName.location());
        assertTrue(byName.checked());
        assertEquals("32", String.valueOf(byName.inputShape()[2]));
        Artifact byPath = ModelResolver.resolve(m.resolve("tiny.onnx").toString(), trt);
        assertEquals("path", byPath.source());
        assertTrue(byPath.checked(), "the record beside the file vouches for it");
        assertTrue(!byPath.describe().containsKey("numerics.gate"), "the gate's reference is the engine's, not a numerics figure");
        NotRunException missing = assertThrows(NotRunException.class, () -> resolve(m.getParent(), "mobilenetv3_small_100", trt));
        assertTrue(missing.getMessage().startsWith("model 'mobilenetv3_small_100' has no onnx artifact: "), missing.getMessage());
    }
}
