package gpuenergy.engine.tensorrt;

import gpuenergy.engine.NotRunException;
import gpuenergy.engine.Sha256;
import gpuenergy.results.NotRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine cache's key covers an ONNX model's external data files, not only the .onnx file: the files are found in
 * models the onnx package wrote (write_fixtures.py beside them) and in hand-made protobuf for the places no exporter
 * here puts a tensor.
 */
class EngineCacheExternalDataTest {
    static final Path FIXTURES = Path.of("src/test/resources/tensorrt/external-data");
    static final String PREFIX = "engine 'tensorrt-fp16', batchSize 8: ";

    @TempDir
    Path dir;

    /** A copy of the fixtures, to change. */
    private Path model() throws IOException {
        for (String f : List.of("tiny.onnx", "fc.weight", "proj.weight", "branch.bias")) {
            Files.copy(FIXTURES.resolve(f), dir.resolve(f));
        }
        return dir.resolve("tiny.onnx");
    }

    @Test
    void theFilesAModelNamesAreFoundWhereverItsTensorsAre() throws IOException {
        // an initializer of the graph, a Constant node's value, an initializer of an If node's branch
        assertEquals(Set.of("branch.bias", "fc.weight", "proj.weight"), OnnxExternalData.locations(FIXTURES.resolve("tiny.onnx")));
        assertEquals(Set.of(), OnnxExternalData.locations(FIXTURES.resolve("inline.onnx")), "every tensor inline: no file");
        SortedMap<String, String> sha256s = OnnxExternalData.sha256s(FIXTURES.resolve("tiny.onnx"), PREFIX);
        assertEquals(List.of("branch.bias", "fc.weight", "proj.weight"), List.copyOf(sha256s.keySet()));
        assertEquals(Sha256.of(FIXTURES.resolve("fc.weight")), sha256s.get("fc.weight"));
    }

    /**
     * An engine built from a model whose weights are in an external file is not reused once that file changes: the
     * .onnx file alone is the same, and an engine keyed by it would measure the old weights.
     */
    @Test
    void changedExternalWeightsAreAnotherEngine() throws Exception {
        Path onnx = model();
        EngineCache cache = new EngineCache(dir.resolve("engines"));
        EngineCache.Key before = key(onnx);
        cache.write(before, "tiny", EngineCacheTest.engine(1000), 5);
        assertEquals(cache.file(before, "tiny"), cache.read(key(onnx), "tiny").file(), "unchanged: the engine is reused");

        byte[] weights = Files.readAllBytes(dir.resolve("fc.weight"));
        weights[100] ^= 1;
        Files.write(dir.resolve("fc.weight"), weights);
        EngineCache.Key after = key(onnx);
        assertEquals(before.onnxSha256(), after.onnxSha256(), "the .onnx file itself did not change");
        assertNotEquals(before.fileName("tiny"), after.fileName("tiny"));
        assertNull(cache.read(after, "tiny"), "no engine for the changed weights yet: it is built, not taken from the cache");
    }

    @Test
    void aMissingExternalFileIsOneLine() throws IOException {
        Path onnx = model();
        Files.delete(dir.resolve("proj.weight"));
        NotRunException e = assertThrows(NotRunException.class, () -> OnnxExternalData.sha256s(onnx, PREFIX));
        assertEquals(NotRun.Kind.ERROR, e.kind());
        assertEquals(PREFIX + onnx + " keeps tensor data in the external file 'proj.weight': " + dir.resolve("proj.weight")
                + " does not exist", e.getMessage());
    }

    /** A file that is not an ONNX model is one line, before TensorRT or any hashing of other files. */
    @Test
    void aDamagedModelIsOneLine() throws IOException {
        byte[] tiny = Files.readAllBytes(FIXTURES.resolve("tiny.onnx"));
        Path cut = Files.write(dir.resolve("cut.onnx"), Arrays.copyOf(tiny, tiny.length / 2));
        NotRunException e = assertThrows(NotRunException.class, () -> OnnxExternalData.sha256s(cut, PREFIX));
        assertTrue(e.getMessage().startsWith(PREFIX + cut + " cannot be read as an ONNX model: truncated"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());

        Path zip = Files.write(dir.resolve("zip.onnx"), new byte[] {'P', 'K', 3, 4, 20, 0, 0, 0});
        assertTrue(assertThrows(NotRunException.class, () -> OnnxExternalData.sha256s(zip, PREFIX)).getMessage()
                .startsWith(PREFIX + zip + " cannot be read as an ONNX model: "));
    }

    /**
     * A model cut short in place while it is parsed (re-exported over it) is one line or is read whole, never the
     * InternalError of a mapped file's fault, which passes a trial's catches: the file is truncated, at a delay that grows
     * from one try to the next, while a model of 24 MiB of fields read one by one is parsed, and written back whole.
     */
    @Test
    void aModelCutShortWhileItIsReadIsOneLine() throws Exception {
        byte[] model = new byte[24 << 20];
        for (int i = 0; i < model.length; i += 2) {
            model[i] = 0x08; // field 1, a varint: the model's ir_version, every byte of which the parser reads
            model[i + 1] = 0x07;
        }
        Path onnx = dir.resolve("model.onnx");
        Files.write(onnx, model);
        for (int attempt = 0; attempt < 40; attempt++) {
            long delayNanos = attempt * 500_000L;
            Thread cutter = new Thread(() -> {
                long until = System.nanoTime() + delayNanos;
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
                try (FileChannel ch = FileChannel.open(onnx, StandardOpenOption.WRITE)) {
                    ch.truncate(100);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            cutter.start();
            try {
                assertEquals(Set.of(), OnnxExternalData.sha256s(onnx, PREFIX).keySet());
            } catch (NotRunException e) {
                assertTrue(e.getMessage().startsWith(PREFIX), e.getMessage());
                assertFalse(e.getMessage().contains("\n"), e.getMessage());
            } finally {
                cutter.join();
                Files.write(onnx, model);
            }
        }
    }

    /**
     * A model of 2^31 - 1 bytes, the most protobuf reads, is parsed by a VM whose heap is 32 MiB, as the engine build's
     * child VM parses a model of the catalog (ViT-L/16, 1.2 GB with its weights inside) in its 1 GiB: its initializer's
     * raw_data is skipped, not read; read whole, the model takes an array of the file's size, over the VM's limit on one
     * (an OutOfMemoryError and its stack trace). The file is sparse: 2 GiB on its size, a few blocks on disk.
     */
    @Test
    void aModelLargerThanTheHeapIsParsedWithoutHoldingIt() throws Exception {
        Path onnx = sparseModel(dir.resolve("huge.onnx"), Integer.MAX_VALUE, "w.bin");
        Files.write(dir.resolve("w.bin"), new byte[] {1});
        Process vm = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx32m", "-cp",
                System.getProperty("java.class.path"), ExternalDataOf.class.getName(), onnx.toString()).redirectErrorStream(true).start();
        String out = new String(vm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, vm.waitFor(), out);
        assertEquals("[w.bin]", out.strip());
    }

    /** A model over 2 GiB, which protobuf and TensorRT's parser refuse, is one line, read without TensorRT or a GPU. */
    @Test
    void aModelOver2GiBIsOneLine() throws IOException {
        Path onnx = sparseModel(dir.resolve("over.onnx"), (long) Integer.MAX_VALUE + 1, "w.bin");
        NotRunException e = assertThrows(NotRunException.class, () -> OnnxExternalData.sha256s(onnx, PREFIX));
        assertEquals(NotRun.Kind.ERROR, e.kind());
        assertEquals(PREFIX + onnx + " cannot be read as an ONNX model: 2147483648 bytes, over protobuf's 2 GiB limit for one message",
                e.getMessage());
    }

    /** A VM that prints the external data files of the model its argument names, or the one line why not (exit 2). */
    public static final class ExternalDataOf {
        public static void main(String[] args) {
            try {
                System.out.println(OnnxExternalData.sha256s(Path.of(args[0]), PREFIX).keySet());
            } catch (NotRunException e) {
                System.out.println(e.getMessage());
                System.exit(2);
            }
        }
    }

    /**
     * A model of {@code size} bytes, written sparse: its graph's first initializer's raw_data fills it, zeros never
     * written, and its second keeps its data in {@code location}.
     */
    private static Path sparseModel(Path file, long size, String location) throws IOException {
        byte[] tail = message(5, external(location));
        byte[] name = text(8, "weights");
        long raw = size;
        for (int i = 0; i < 10; i++) { // the varints' lengths depend on the lengths they give: settles in a try or two
            long initializer = name.length + 1 + varint(raw).length + raw;
            long graph = 1 + varint(initializer).length + initializer + tail.length;
            long total = number(1, 8).length + 1 + varint(graph).length + graph;
            raw += size - total;
        }
        long initializer = name.length + 1 + varint(raw).length + raw;
        long graph = 1 + varint(initializer).length + initializer + tail.length;
        byte[] head = concat(number(1, 8), varint(7 << 3 | 2), varint(graph), varint(5 << 3 | 2), varint(initializer), name,
                varint(9 << 3 | 2), varint(raw));
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(head), 0);
            ch.write(ByteBuffer.wrap(tail), size - tail.length);
        }
        assertEquals(size, Files.size(file));
        assertEquals(size, head.length + raw + tail.length, "the model's lengths add up to its size");
        return file;
    }

    /**
     * Tensors in a sparse initializer, in a function's node, in a training graph and in an attribute's list of graphs
     * name their files too; a tensor with an external_data entry but its data inline (data_location DEFAULT) names
     * none that TensorRT reads, and a tensor's bytes inside a doc string are no tensor.
     */
    @Test
    void everyPlaceATensorCanBeIsRead() throws IOException {
        byte[] inlineTensor = concat(text(8, "inline"), message(13, text(1, "location"), text(2, "not-read.bin")));
        byte[] graph = concat(
                message(1, message(5, text(1, "body"), message(11, message(5, external("graphs.bin"))))), // node.attribute.graphs
                message(5, inlineTensor), // initializer
                message(15, message(1, external("sparse-values.bin")), message(2, external("sparse-indices.bin")))); // sparse_initializer
        byte[] model = concat(number(1, 8), // ir_version
                message(6, external("doc-string.bin")), // doc_string: bytes, not a tensor
                message(7, graph),
                message(20, message(2, message(5, external("training.bin")))), // training_info.algorithm.initializer
                message(25, message(7, message(5, message(5, external("function.bin")))))); // functions.node.attribute.t
        assertEquals(Set.of("function.bin", "graphs.bin", "sparse-indices.bin", "sparse-values.bin", "training.bin"),
                OnnxExternalData.locations(Files.write(dir.resolve("model.onnx"), model)));
    }

    /**
     * TensorRT's parser reads a location under the model's directory even when it starts with a slash: the key hashes
     * that file, the one the engine is built from, not the file of that absolute path.
     */
    @Test
    void aLocationWithALeadingSlashIsUnderTheModelsDirectory() throws IOException {
        Path absolute = Files.write(dir.resolve("elsewhere.bin"), new byte[] {1});
        Path onnx = modelNaming(dir.resolve("model"), absolute.toString());
        Path read = dir.resolve("model").resolve(absolute.toString().substring(1));
        Files.createDirectories(read.getParent());
        Files.write(read, new byte[] {2});
        assertEquals(List.of(Sha256.of(read)), List.copyOf(OnnxExternalData.sha256s(onnx, PREFIX).values()));
    }

    /** A location that leaves the model's directory, which TensorRT's parser refuses, is one line, and no file there is read. */
    @Test
    void aLocationOutsideTheModelsDirectoryIsOneLine() throws IOException {
        Files.write(dir.resolve("outside.bin"), new byte[] {1});
        for (String location : List.of("../outside.bin", "sub/../../outside.bin", "bad\u0000name")) {
            Path onnx = modelNaming(dir.resolve("model"), location);
            NotRunException e = assertThrows(NotRunException.class, () -> OnnxExternalData.sha256s(onnx, PREFIX), location);
            assertEquals(NotRun.Kind.ERROR, e.kind());
            assertTrue(e.getMessage().startsWith(PREFIX + onnx + " keeps tensor data in the external file '"), e.getMessage());
            assertTrue(e.getMessage().endsWith("', which is no file under the model's directory: TensorRT's ONNX parser refuses it"),
                    e.getMessage());
        }
    }

    /** A model in {@code modelDir} whose one initializer keeps its data in {@code location}. */
    private static Path modelNaming(Path modelDir, String location) throws IOException {
        Files.createDirectories(modelDir);
        byte[] model = concat(number(1, 8), message(7, message(5, external(location))));
        return Files.write(modelDir.resolve("model.onnx"), model);
    }

    private static EngineCache.Key key(Path onnx) throws IOException {
        return new EngineCache.Key(Sha256.of(onnx), OnnxExternalData.sha256s(onnx, PREFIX), 8, new long[] {1, 1, 16}, "NVIDIA H200", "9.0",
                EngineCacheTest.H200_SMS, EngineCacheTest.H200_MEMORY, "10.6.0.26", EngineCacheTest.OPTIONS);
    }

    /** A TensorProto (the part after its field's tag) whose data is in {@code location}. */
    private static byte[] external(String location) {
        return concat(text(8, location), message(13, text(1, "location"), text(2, location)), message(13, text(1, "offset"), text(2, "0")),
                number(14, 1));
    }

    /** Field {@code field} holding the message made of {@code parts}. */
    private static byte[] message(int field, byte[]... parts) {
        byte[] body = concat(parts);
        return concat(varint(field << 3 | 2), varint(body.length), body);
    }

    private static byte[] text(int field, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return concat(varint(field << 3 | 2), varint(b.length), b);
    }

    private static byte[] number(int field, long value) {
        return concat(varint(field << 3), varint(value));
    }

    private static byte[] varint(long v) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while ((v & ~0x7fL) != 0) {
            out.write((int) (v & 0x7f) | 0x80);
            v >>>= 7;
        }
        out.write((int) v);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
