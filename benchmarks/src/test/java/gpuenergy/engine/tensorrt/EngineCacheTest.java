package gpuenergy.engine.tensorrt;

import gpuenergy.ConsoleCapture;
import gpuenergy.options.SuiteSetting;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The engine cache's key, its invalidation and its file format, without a GPU (the bytes stand for an engine). */
class EngineCacheTest {
    @TempDir
    Path dir;

    static final Map<String, String> OPTIONS = new EngineBuilder.Options(3).describe();
    /** The external data of a model that keeps all its data inside. */
    static final SortedMap<String, String> NONE = Collections.emptySortedMap();
    /** A GPU's streaming multiprocessors and memory, as the CUDA driver gives them (an H200's 132 SMs). */
    static final int H200_SMS = 132;
    static final long H200_MEMORY = 143_771L << 20;

    static EngineCache.Key key() {
        return new EngineCache.Key("ab".repeat(32), NONE, 128, new long[] {3, 224, 224}, "NVIDIA H200", "9.0", H200_SMS, H200_MEMORY,
                "10.6.0.26", OPTIONS);
    }

    static ByteBuffer engine(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + 7);
        }
        return ByteBuffer.wrap(b);
    }

    static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    /**
     * A model given by a relative path (./m.onnx) or named with a leading '.' caches no hidden engine: ls of the cache
     * would not show it, nor its .failed record, which docs/tensorrt.md says to delete to build again.
     */
    @Test
    void noEngineFileIsHidden() {
        assertTrue(key().fileName("./models/r.onnx").startsWith("__models_r.onnx-b128-"), key().fileName("./models/r.onnx"));
        assertTrue(key().fileName(".r.onnx").startsWith("_r.onnx-b128-"), key().fileName(".r.onnx"));
        assertTrue(key().fileName("../r.onnx").startsWith("___r.onnx-b128-"), key().fileName("../r.onnx"));
    }

    /**
     * The cache reads only the names it writes: a hidden engine file (._m.onnx-b128-HASH.engine, as a model given as
     * ./m.onnx was once cached, under a key no run has any more) is not taken, even where it holds this key's engine,
     * nor moved; it stays with its .failed record, as an engine of a key no run has (another GPU) does, for the user to
     * delete (docs/tensorrt.md).
     */
    @Test
    void hiddenAndStaleEngineFilesAreLeftAlone() throws Exception {
        EngineCache cache = new EngineCache(dir);
        String visible = cache.file(key(), "./m.onnx").getFileName().toString();
        assertTrue(visible.startsWith("__m.onnx-b128-"), visible);
        Path hidden = dir.resolve("." + visible.substring(1));
        Files.move(cache.write(key(), "./m.onnx", engine(1000), 7), hidden);
        byte[] hiddenBytes = Files.readAllBytes(hidden);
        Path hiddenRecord = Files.writeString(dir.resolve(hidden.getFileName() + ".failed"), "old\n");
        EngineCache.Key otherGpu = new EngineCache.Key(key().onnxSha256(), NONE, 128, new long[] {3, 224, 224}, "NVIDIA H200", "9.0", 60,
                H200_MEMORY, "10.6.0.26", OPTIONS);
        Path stale = cache.write(otherGpu, "./m.onnx", engine(500), 3);
        java.io.ByteArrayOutputStream said = new java.io.ByteArrayOutputStream();

        EngineCache.Obtained o = cache.buildOnce(key(), "./m.onnx", null, () -> {
            try {
                cache.write(key(), "./m.onnx", engine(2000), 8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, new java.io.PrintStream(said, true));
        assertTrue(o.builtHere(), "built, not taken from the hidden file");
        assertArrayEquals(bytes(engine(2000)), bytes(o.entry().engine()));
        assertEquals("", said.toString(StandardCharsets.UTF_8));
        assertArrayEquals(hiddenBytes, Files.readAllBytes(hidden), "the hidden file stays as it was");
        assertEquals("old\n", Files.readString(hiddenRecord));
        assertEquals(500, cache.read(otherGpu, "./m.onnx").engine().remaining(), "the stale engine stays");
        assertTrue(Files.exists(stale));
    }

    @Test
    void everyKeyFieldMakesAnotherFile() {
        EngineCache.Key k = key();
        long[] shape = {3, 224, 224};
        EngineCache.Key withWeights = new EngineCache.Key(k.onnxSha256(), new TreeMap<>(Map.of("m.onnx.data", "ef".repeat(32))), 128,
                shape, "NVIDIA H200", "9.0", H200_SMS, H200_MEMORY, "10.6.0.26", OPTIONS);
        List<EngineCache.Key> changed = List.of(
                new EngineCache.Key("cd".repeat(32), NONE, 128, shape, "NVIDIA H200", "9.0", H200_SMS, H200_MEMORY, "10.6.0.26", OPTIONS),
                new EngineCache.Key(k.onnxSha256(), NONE, 256, shape, "NVIDIA H200", "9.0", H200_SMS, H200_MEMORY, "10.6.0.26", OPTIONS),
                new EngineCache.Key(k.onnxSha256(), NONE, 128, new long[] {3, 256, 256}, "NVIDIA H200", "9.0", H200_SMS, H200_MEMORY,
                        "10.6.0.26", OPTIONS),
                new EngineCache.Key(k.onnxSha256(), NONE, 128, shape, "NVIDIA H100 80GB HBM3", "9.0", H200_SMS, H200_MEMORY, "10.6.0.26",
                        OPTIONS),
                new EngineCache.Key(k.onnxSha256(), NONE, 128, shape, "NVIDIA H200", "8.0", H200_SMS, H200_MEMORY, "10.6.0.26", OPTIONS),
                new EngineCache.Key(k.onnxSha256(), NONE, 128, shape, "NVIDIA H200", "9.0", 60, H200_MEMORY, "10.6.0.26", OPTIONS),
                new EngineCache.Key(k.onnxSha256(), NONE, 128, shape, "NVIDIA H200", "9.0", H200_SMS, H200_MEMORY / 2, "10.6.0.26", OPTIONS),
                new EngineCache.Key(k.onnxSha256(), NONE, 128, shape, "NVIDIA H200", "9.0", H200_SMS, H200_MEMORY, "10.9.0", OPTIONS),
                new EngineCache.Key(k.onnxSha256(), NONE, 128, shape, "NVIDIA H200", "9.0", H200_SMS, H200_MEMORY, "10.6.0.26",
                        new EngineBuilder.Options(0).describe()),
                withWeights,
                new EngineCache.Key(k.onnxSha256(), new TreeMap<>(Map.of("m.onnx.data", "01".repeat(32))), 128, shape, "NVIDIA H200",
                        "9.0", H200_SMS, H200_MEMORY, "10.6.0.26", OPTIONS));
        Set<String> names = new HashSet<>();
        names.add(k.fileName("resnet50"));
        for (EngineCache.Key c : changed) {
            assertTrue(names.add(c.fileName("resnet50")), "same file for a changed key: " + c.json());
        }
        assertEquals(k.fileName("resnet50"), key().fileName("resnet50"), "the same key is the same file");
        assertTrue(k.fileName("resnet50").startsWith("resnet50-b128-"), k.fileName("resnet50"));
        assertEquals("{\"onnx_sha256\":\"" + "ab".repeat(32) + "\",\"batch\":128,\"input\":\"3x224x224\",\"gpu\":\"NVIDIA H200\","
                + "\"compute_capability\":\"9.0\",\"multiprocessors\":132,\"memory_bytes\":150754820096,\"tensorrt\":\"10.6.0.26\","
                + "\"build\":{\"flags\":\"kFP16\",\"optimization_level\":\"3\"}}", k.json());
        // a model without external data files is keyed by its .onnx file alone, as above
        assertTrue(withWeights.json().startsWith("{\"onnx_sha256\":\"" + "ab".repeat(32) + "\",\"onnx_external_data\":"
                + "{\"m.onnx.data\":\"" + "ef".repeat(32) + "\"},\"batch\":128,"), withWeights.json());
    }

    /**
     * A MIG slice of a GPU has the whole GPU's name and compute capability, fewer streaming multiprocessors and less
     * memory: an engine built on the whole GPU, its kernels chosen for 132 SMs, is not the slice's, nor is one slice
     * profile's engine another's with the same SMs and other memory; each is built on the device it runs on.
     */
    @Test
    void aMigSliceDoesNotTakeTheWholeGpusEngine() throws Exception {
        EngineCache cache = new EngineCache(dir);
        long[] shape = {3, 224, 224};
        EngineCache.Key whole = new EngineCache.Key("ab".repeat(32), NONE, 128, shape, "NVIDIA H100 80GB HBM3", "9.0", 132, 81_559L << 20,
                "10.6.0.26", OPTIONS);
        EngineCache.Key slice = new EngineCache.Key("ab".repeat(32), NONE, 128, shape, "NVIDIA H100 80GB HBM3", "9.0", 16, 9_984L << 20,
                "10.6.0.26", OPTIONS);
        EngineCache.Key largerSlice = new EngineCache.Key("ab".repeat(32), NONE, 128, shape, "NVIDIA H100 80GB HBM3", "9.0", 16,
                19_968L << 20, "10.6.0.26", OPTIONS);
        cache.write(whole, "resnet50", engine(1000), 5);
        assertNull(cache.read(slice, "resnet50"), "the slice's engine is built, not taken from the whole GPU's");
        cache.write(slice, "resnet50", engine(2000), 5);
        assertNull(cache.read(largerSlice, "resnet50"), "another slice profile's engine is built too");
        assertEquals(1000, cache.read(whole, "resnet50").engine().remaining(), "the whole GPU keeps its own");
        assertEquals(2000, cache.read(slice, "resnet50").engine().remaining());
    }

    @Test
    void aWrittenEngineIsReadBackWithItsBuildTime() throws Exception {
        EngineCache cache = new EngineCache(dir.resolve("engines"));
        assertNull(cache.read(key(), "resnet50"), "nothing cached yet");
        Path file = cache.write(key(), "resnet50", engine(100_000), 61.5);
        assertEquals(cache.file(key(), "resnet50"), file);
        EngineCache.Entry e = cache.read(key(), "resnet50");
        assertArrayEquals(bytes(engine(100_000)), bytes(e.engine()));
        assertEquals(61.5, e.buildSeconds());
        assertEquals(gpuenergy.engine.Sha256.of(engine(100_000)), e.sha256());
        assertNotEquals(gpuenergy.engine.Sha256.of(engine(100_001)), e.sha256());
        try (var files = Files.list(dir.resolve("engines"))) {
            assertEquals(List.of(file), files.toList(), "no temporary file is left");
        }
        // readable by whoever may read any file this process makes: a cache shared by a machine's users
        Path plain = Files.writeString(dir.resolve("plain.txt"), "x");
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(file));
    }

    /**
     * An engine read from the cache keeps its bytes when its file is cut short in place afterwards (a user's cp over
     * it, another host's write on NFS): TensorRT's deserialization of a mapping of the file would then fault and end
     * the VM, and Java's own reading of it throws InternalError, which no line of the suite catches.
     */
    @Test
    void anEngineReadKeepsItsBytesWhenItsFileIsTruncatedInPlace() throws Exception {
        EngineCache cache = new EngineCache(dir);
        Path file = cache.write(key(), "resnet50", engine(1_000_000), 61.5);
        EngineCache.Entry e = cache.read(key(), "resnet50");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(100);
        }
        assertArrayEquals(bytes(engine(1_000_000)), bytes(e.engine()));
        assertEquals(gpuenergy.engine.Sha256.of(engine(1_000_000)), gpuenergy.engine.Sha256.of(e.engine().duplicate()));
        EngineCache.Unusable truncated = assertThrows(EngineCache.Unusable.class, () -> cache.read(key(), "resnet50"));
        assertEquals("truncated header", truncated.getMessage());
    }

    /**
     * A model exported with one external data file per tensor (torch.onnx.export's way for models over 2 GiB) has a key
     * longer than the header's first read: its engine is read back, not taken for a truncated one and rebuilt.
     */
    @Test
    void anEngineWhoseKeyNamesAThousandExternalFilesIsReadBack() throws Exception {
        SortedMap<String, String> files = new TreeMap<>();
        for (int i = 0; i < 1000; i++) {
            files.put("encoder.layers.encoder_layer_" + i + ".mlp.linear_1.weight", "ab".repeat(32));
        }
        EngineCache.Key k = new EngineCache.Key("ab".repeat(32), files, 128, new long[] {3, 224, 224}, "NVIDIA H200", "9.0", H200_SMS,
                H200_MEMORY, "10.6.0.26", OPTIONS);
        assertTrue(k.json().length() > 64 * 1024, "longer than the first read");
        EngineCache cache = new EngineCache(dir);
        cache.write(k, "vit", engine(100_000), 61.5);
        EngineCache.Entry e = cache.read(k, "vit");
        assertArrayEquals(bytes(engine(100_000)), bytes(e.engine()));
        assertEquals(61.5, e.buildSeconds());
    }

    /**
     * A build killed while writing its engine leaves its temporary file (as large as the engine) under a name no read
     * takes: the next write removes those an hour old, of this version's writes and of earlier versions', and leaves
     * one being written now and files not the cache's.
     */
    @Test
    void aWriteRemovesTheTemporaryFilesOfKilledWrites() throws Exception {
        EngineCache cache = new EngineCache(dir);
        FileTime twoHoursAgo = FileTime.from(Instant.now().minus(Duration.ofHours(2)));
        // named as write names them, so that the test fails where the removal stops recognising its own names
        Path killed = Files.writeString(EngineCache.temporaryFor(dir.resolve("vit_b_16-b256-0123456789abcdef.engine")),
                "half an engine");
        Files.setLastModifiedTime(killed, twoHoursAgo);
        // as earlier versions of the suite name them, which a cache they share may hold
        Path killedEarlier = Files.createTempFile(dir, "vit_b_16-b128-0123456789abcdef.engine", ".tmp");
        Files.setLastModifiedTime(killedEarlier, twoHoursAgo);
        Path beingWrittenEarlier = Files.createTempFile(dir, "vit_b_16-b64-0123456789abcdef.engine", ".tmp");
        Path beingWritten = Files.writeString(EngineCache.temporaryFor(cache.file(key(), "m")), "an engine, now");
        Path notTheCaches = Files.writeString(dir.resolve("notes.tmp"), "the user's");
        Files.setLastModifiedTime(notTheCaches, twoHoursAgo);
        Path[] file = new Path[1];
        ConsoleCapture written = ConsoleCapture.run(() -> {
            try {
                file[0] = cache.write(key(), "m", engine(1000), 1);
                return 0;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        try (var files = Files.list(dir)) {
            assertEquals(Set.of(file[0], beingWritten, beingWrittenEarlier, notTheCaches), files.collect(Collectors.toSet()));
        }
        assertEquals(Set.of(
                "# TensorRT: removed " + killed + " (0 MiB), left in the engine cache by a write that was killed",
                "# TensorRT: removed " + killedEarlier + " (0 MiB), left in the engine cache by a write that was killed"),
                Set.copyOf(written.out().lines().toList()));
    }

    @Test
    void aCorruptOrTruncatedEngineIsNotUsed() throws Exception {
        EngineCache cache = new EngineCache(dir);
        Path file = cache.write(key(), "m", engine(50_000), 10);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[4096]), Files.size(file) - 20_000); // zeroed in place, same size
        }
        EngineCache.Unusable corrupt = assertThrows(EngineCache.Unusable.class, () -> cache.read(key(), "m"));
        assertEquals("corrupt: the engine bytes do not match their SHA-256", corrupt.getMessage());

        cache.write(key(), "m", engine(50_000), 10);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(Files.size(file) / 2); // a copy that stopped midway
        }
        assertEquals("corrupt: the engine bytes do not match their SHA-256",
                assertThrows(EngineCache.Unusable.class, () -> cache.read(key(), "m")).getMessage());

        // cut after the magic line: truncated, not "stale: built for " nothing
        Files.writeString(file, "gpuenergy-tensorrt-engine 1\n");
        assertEquals("truncated header", assertThrows(EngineCache.Unusable.class, () -> cache.read(key(), "m")).getMessage());
        Files.writeString(file, "gpuenergy-tensorrt-engine 1\n" + key().json().substring(0, 40));
        assertEquals("truncated header", assertThrows(EngineCache.Unusable.class, () -> cache.read(key(), "m")).getMessage());

        // grown past what one mapping holds (no engine the builder writes is): rebuilt, not an exception's line
        cache.write(key(), "m", engine(1000), 10);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {1}), 3L << 30); // sparse: 3 GiB on the file's size, one block on disk
        }
        assertEquals("corrupt: " + ((3L << 30) + 1) + " bytes, more than any engine this tool writes",
                assertThrows(EngineCache.Unusable.class, () -> cache.read(key(), "m")).getMessage());

        Files.write(file, new byte[] {1, 2, 3});
        assertEquals("not an engine file of this tool (first line '')",
                assertThrows(EngineCache.Unusable.class, () -> cache.read(key(), "m")).getMessage());
    }

    /**
     * A byte of the build line damaged in place (a letter where a digit was, which JSON's lenient reading takes as a
     * word) makes the file corrupt, rebuilt as any damaged one: an exception's line instead would end every trial that
     * needs the engine, the file never replaced.
     */
    @Test
    void aDamagedBuildLineIsACorruptFile() throws Exception {
        EngineCache cache = new EngineCache(dir);
        for (String damaged : new String[] {"\"build_seconds\":1s.0", "\"build_seconds\":true", "\"build_seconds\":\"10\"",
                "\"build_secondz\":10.0"}) {
            Path file = cache.write(key(), "m", engine(1000), 10);
            byte[] bytes = Files.readAllBytes(file);
            String text = new String(bytes, StandardCharsets.ISO_8859_1);
            String written = "\"build_seconds\":10.0";
            int at = text.indexOf(written);
            assertTrue(at > 0, text.substring(0, 300));
            String replaced = text.substring(0, at) + damaged + text.substring(at + written.length());
            Files.write(file, replaced.getBytes(StandardCharsets.ISO_8859_1));
            assertEquals("corrupt build record", assertThrows(EngineCache.Unusable.class, () -> cache.read(key(), "m")).getMessage(),
                    damaged);
        }
    }

    @Test
    void aFileBuiltForAnotherKeyIsStale() throws Exception {
        EngineCache cache = new EngineCache(dir);
        EngineCache.Key other = new EngineCache.Key(key().onnxSha256(), NONE, 128, new long[] {3, 224, 224}, "NVIDIA H200", "9.0", H200_SMS,
                H200_MEMORY, "10.5.0", OPTIONS);
        Path built = cache.write(other, "m", engine(1000), 5);
        Files.move(built, cache.file(key(), "m")); // e.g. copied over by hand
        EngineCache.Unusable e = assertThrows(EngineCache.Unusable.class, () -> cache.read(key(), "m"));
        assertTrue(e.getMessage().startsWith("stale: built for {") && e.getMessage().contains("\"tensorrt\":\"10.5.0\""), e.getMessage());
    }

    /**
     * An engine file that cannot be read says why, not only its path (which Java's exception holds alone, and the line
     * names anyway). Linux's /proc/sys/vm/drop_caches (write-only) stands for it: procfs refuses to read it even to root,
     * whom no file permission stops.
     */
    @Test
    void anUnreadableEngineSaysWhy() throws Exception {
        Path writeOnly = Path.of("/proc/sys/vm/drop_caches");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(writeOnly) && !Files.isReadable(writeOnly), "Linux's procfs");
        EngineCache cache = new EngineCache(dir);
        Files.createSymbolicLink(cache.file(key(), "m"), writeOnly);
        assertEquals("unreadable: permission denied", assertThrows(EngineCache.Unusable.class, () -> cache.read(key(), "m")).getMessage());
    }

    /**
     * An engine larger than the VM's direct buffer memory, which is its heap's size unless -XX:MaxDirectMemorySize says
     * otherwise (a fork given -jvmArgsAppend -Xmx1g and a 1.5 GB engine), is one line, an error naming the setting: a
     * limit of the VM, not the device's memory, and a rebuilt engine would not fit either. Read in a VM with a 32 MiB
     * heap; before, that VM ended with java.lang.OutOfMemoryError and its stack trace, past the trial's catch.
     */
    @Test
    void anEngineLargerThanTheDirectBufferMemoryIsOneLine() throws Exception {
        EngineCache cache = new EngineCache(dir);
        Path file = cache.write(key(), "m", engine(48 << 20), 61.5);
        Process vm = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx32m", "-cp",
                System.getProperty("java.class.path"), ReadEngine.class.getName(), dir.toString()).redirectErrorStream(true).start();
        String out = new String(vm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(2, vm.waitFor(), out);
        List<String> lines = out.lines().toList();
        assertEquals(1, lines.size(), out);
        assertTrue(lines.get(0).startsWith("error: the cached engine " + file + " (" + (48 << 20) + " bytes) cannot be read into memory: "
                + "OutOfMemoryError: Cannot reserve " + (48 << 20) + " bytes of direct buffer memory"), out);
        assertTrue(lines.get(0).endsWith(" (" + gpuenergy.engine.OutOfMemory.JvmLimit.DIRECT_BUFFERS.reason() + ")"), out);
    }

    /**
     * The cached engine TensorRT could not load is told by the SHA-256 in its file's header: buildOnce builds it again
     * without reading its bytes (up to 2 GiB) back into memory to hash them. Run in a VM whose 32 MiB heap, and so its
     * direct buffer memory, cannot hold the 48 MiB engine; before, buildOnce read it there and ended with
     * anEngineLargerThanTheDirectBufferMemoryIsOneLine's line.
     */
    @Test
    void theEngineTensorRtCouldNotLoadIsToldByItsHeader() throws Exception {
        EngineCache cache = new EngineCache(dir);
        cache.write(key(), "m", engine(48 << 20), 61.5);
        String unloadable = gpuenergy.engine.Sha256.of(engine(48 << 20));
        Process vm = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx32m", "-cp",
                System.getProperty("java.class.path"), RebuildEngine.class.getName(), dir.toString(), unloadable)
                .redirectErrorStream(true).start();
        String out = new String(vm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, vm.waitFor(), out);
        assertEquals(List.of("built 1000 bytes"), out.lines().toList());
    }

    /** A VM that obtains {@link #key()}'s engine of model m through buildOnce, the SHA-256 its second argument gives unloadable. */
    public static final class RebuildEngine {
        public static void main(String[] args) throws Exception {
            EngineCache cache = new EngineCache(Path.of(args[0]));
            EngineCache.Obtained o = cache.buildOnce(key(), "m", args[1], () -> {
                try {
                    cache.write(key(), "m", engine(1000), 2);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, System.out);
            System.out.println((o.builtHere() ? "built " : "taken ") + o.entry().engine().remaining() + " bytes");
        }
    }

    /** A VM that reads {@link #key()}'s engine of model m from the cache its argument names, or prints why not, kind first (exit 2). */
    public static final class ReadEngine {
        public static void main(String[] args) throws Exception {
            try {
                System.out.println("read " + new EngineCache(Path.of(args[0])).read(key(), "m").engine().remaining() + " bytes");
            } catch (gpuenergy.engine.NotRunException e) {
                System.out.println(e.kind().label() + ": " + e.getMessage());
                System.exit(2);
            }
        }
    }

    @Test
    void theCacheDirectoryComesFromThePropertyElseTheUsersCache() {
        System.setProperty(SuiteSetting.TENSORRT_CACHE.property(), dir.toString());
        try {
            assertEquals(dir.toAbsolutePath(), EngineCache.defaultDir());
        } finally {
            System.clearProperty(SuiteSetting.TENSORRT_CACHE.property());
        }
        assertTrue(EngineCache.defaultDir().endsWith(Path.of("gpuenergy", "tensorrt-engines")), EngineCache.defaultDir().toString());
        assertEquals("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824",
                gpuenergy.engine.Sha256.of("hello".getBytes(StandardCharsets.UTF_8)));
    }
}
