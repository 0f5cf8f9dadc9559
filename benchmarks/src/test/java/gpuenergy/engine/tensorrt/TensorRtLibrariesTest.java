package gpuenergy.engine.tensorrt;

import gpuenergy.engine.NotRunException;
import gpuenergy.results.NotRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where TensorRT's libraries are looked for, in order, and what is said when they are not found; the version they report. */
class TensorRtLibrariesTest {
    @TempDir
    Path dir;

    private Path tensorRt(String name) throws IOException {
        Path d = Files.createDirectories(dir.resolve(name));
        Files.writeString(d.resolve(TensorRtLibraries.NVINFER), "");
        Files.writeString(d.resolve(TensorRtLibraries.ONNX_PARSER), "");
        return d;
    }

    private static final TensorRtLibraries.RedistSource NO_REDIST = () -> null;

    /**
     * Two builds of one TensorRT version are two libraries: the version names the build, so the engine cache files an
     * engine of one apart from the other's, and the result records which build measured.
     */
    @Test
    void theVersionNamesTheBuild() throws Exception {
        assertEquals("10.6.0.26", TensorRtLibraries.version(10, 6, 0, 26));
        EngineCache.Key k = EngineCacheTest.key();
        EngineCache.Key build26 = new EngineCache.Key(k.onnxSha256(), k.onnxExternalData(), k.batch(), k.inputShape(), k.gpuName(),
                k.computeCapability(), k.multiprocessors(), k.memoryBytes(), TensorRtLibraries.version(10, 6, 0, 26), k.buildOptions());
        EngineCache.Key build30 = new EngineCache.Key(k.onnxSha256(), k.onnxExternalData(), k.batch(), k.inputShape(), k.gpuName(),
                k.computeCapability(), k.multiprocessors(), k.memoryBytes(), TensorRtLibraries.version(10, 6, 0, 30), k.buildOptions());
        EngineCache cache = new EngineCache(dir.resolve("cache"));
        cache.write(build26, "m", ByteBuffer.wrap(new byte[] {1, 2, 3}), 60.0);
        assertNull(cache.read(build30, "m"), "another build's engine is not this build's");
        assertNotNull(cache.read(build26, "m"));
    }

    /**
     * A TensorRT 10 older than the bindings' 10.6 lacks calls they make, and a call it lacks ends the VM with no line
     * recorded: it is refused in one line before any such call; 10.6 and later 10.x keep every call and are used.
     */
    @Test
    void aTensorRtOlderThanTheBindingsIsRefusedInOneLine() {
        TensorRtLibraries.Location system = new TensorRtLibraries.Location(Path.of("/usr/lib/x86_64-linux-gnu"),
                "the system library directory /usr/lib/x86_64-linux-gnu");
        NotRunException e = TensorRtLibraries.olderThanTheBindings(100300, "tensorrt-fp16", system);
        assertNotNull(e, "TensorRT 10.3.0 is used with the 10.6 bindings");
        assertEquals(NotRun.Kind.UNAVAILABLE, e.kind());
        assertEquals("engine 'tensorrt-fp16': /usr/lib/x86_64-linux-gnu/libnvinfer.so.10 (TensorRT from the system library directory "
                + "/usr/lib/x86_64-linux-gnu) is TensorRT 10.3.0, older than the 10.6 the bindings are made for, whose calls it may lack; "
                + "point -Dgpuenergy.tensorrt.lib at TensorRT 10.6 or a later 10.x, or build the jar with mvn -Ptensorrt package "
                + "(TensorRT 10.6)", e.getMessage());
        assertNotNull(TensorRtLibraries.olderThanTheBindings(100001, "tensorrt-fp16", system), "10.0.1");
        assertNull(TensorRtLibraries.olderThanTheBindings(100600, "tensorrt-fp16", system), "the bindings' own 10.6.0");
        assertNull(TensorRtLibraries.olderThanTheBindings(100701, "tensorrt-fp16", system), "10.7.1");
        assertNull(TensorRtLibraries.olderThanTheBindings(101501, "tensorrt-fp16", system), "10.15.1");
    }

    @Test
    void thePropertyComesFirstAndMustHoldTensorRt() throws IOException {
        Path prop = tensorRt("prop");
        Path ld = tensorRt("ld");
        Path redist = tensorRt("redist");
        TensorRtLibraries.Location l = TensorRtLibraries.find(prop.toString(), () -> redist, ld.toString(), List.of());
        assertEquals(prop, l.dir());
        assertEquals("-Dgpuenergy.tensorrt.lib", l.how());

        Path empty = Files.createDirectories(dir.resolve("empty"));
        NotRunException e = assertThrows(NotRunException.class, () -> TensorRtLibraries.find(empty.toString(), NO_REDIST, ld.toString(), List.of()));
        assertEquals(NotRun.Kind.UNAVAILABLE, e.kind());
        assertEquals("-Dgpuenergy.tensorrt.lib=" + empty + " has no libnvinfer.so.10 and libnvonnxparser.so.10; point it at TensorRT 10's "
                + "lib directory, or leave it unset to use the -Ptensorrt build's TensorRT", e.getMessage());
        assertTrue(assertThrows(NotRunException.class, () -> TensorRtLibraries.find(dir.resolve("nope").toString(), NO_REDIST, null, List.of()))
                .getMessage().contains(" (no such directory); "));
        Path file = Files.writeString(dir.resolve("libnvinfer.so.10"), ""); // the library named instead of its directory
        assertEquals("-Dgpuenergy.tensorrt.lib=" + file + " has no libnvinfer.so.10 and libnvonnxparser.so.10 (it is a file, not a directory); "
                + "point it at TensorRT 10's lib directory, or leave it unset to use the -Ptensorrt build's TensorRT",
                assertThrows(NotRunException.class, () -> TensorRtLibraries.find(file.toString(), NO_REDIST, null, List.of())).getMessage());
    }

    @Test
    void thenTheMavenRedistributableThenLdLibraryPathThenSystemDirectories() throws IOException {
        Path redist = tensorRt("redist");
        Path ld = tensorRt("ld");
        Path system = tensorRt("system");
        Path lacking = Files.createDirectories(dir.resolve("lacking"));
        Files.writeString(lacking.resolve(TensorRtLibraries.NVINFER), ""); // no ONNX parser: not a usable TensorRT

        assertEquals(redist, TensorRtLibraries.find(null, () -> redist, ld.toString(), List.of(system)).dir());
        assertEquals("the -Ptensorrt build's Maven redistributable", TensorRtLibraries.find("", () -> redist, null, List.of()).how());

        TensorRtLibraries.Location l = TensorRtLibraries.find(null, NO_REDIST, "/nonexistent:" + lacking + "::" + ld, List.of(system));
        assertEquals(ld, l.dir());
        assertEquals("LD_LIBRARY_PATH", l.how());

        l = TensorRtLibraries.find(null, NO_REDIST, lacking.toString(), List.of(dir.resolve("nonexistent"), system));
        assertEquals(system, l.dir());
        assertEquals("the system library directory " + system, l.how());

        assertNull(TensorRtLibraries.find(null, NO_REDIST, lacking.toString(), List.of(lacking)));
    }

    @Test
    void theNotFoundLineSaysWhereItLooked() {
        assertEquals(List.of("-Dgpuenergy.tensorrt.lib (not set)",
                "this jar's class path (no TensorRT redistributable: not a -Ptensorrt build)",
                "LD_LIBRARY_PATH (/opt/a:/opt/b)", "/usr/lib/x86_64-linux-gnu", "/usr/local/tensorrt/lib", "/usr/lib64"),
                TensorRtLibraries.lookedIn(null, "/opt/a:/opt/b"));
        assertEquals("LD_LIBRARY_PATH (not set)", TensorRtLibraries.lookedIn(null, null).get(2));
    }

    @Test
    void thisBuildCarriesTheBindingsJniLibrariesButNotTensorRt() throws IOException {
        Path jni = TensorRtLibraries.extractJni();
        for (String lib : List.of("libjnijavacpp.so", "libjninvinfer.so", "libjninvonnxparser.so")) {
            assertTrue(Files.size(jni.resolve(lib)) > 10_000, lib);
        }
        assertEquals(jni, TensorRtLibraries.extractJni(), "extracted once, to a directory named after the content");
        assertNull(TensorRtLibraries.redistOnClassPath(), "the default build has no TensorRT redistributable");
    }

    /**
     * An extraction killed midway leaves its temporary library (hundreds of MB) beside the libraries: the next
     * extraction removes those an hour old, and keeps a younger one, which may be another process's extraction at work,
     * and every other file.
     */
    @Test
    void aKilledExtractionsTemporaryIsRemovedByTheNext() throws IOException {
        Path killed = Files.writeString(dir.resolve("libnvinfer.so.10" + "8214736501928374651.tmp"), "half a library");
        Path working = Files.writeString(dir.resolve("libnvonnxparser.so.10" + "1234.tmp"), "being written");
        Path other = Files.writeString(dir.resolve("notes.tmp"), "not an extraction's");
        java.nio.file.attribute.FileTime twoHoursAgo = java.nio.file.attribute.FileTime.from(
                java.time.Instant.now().minus(java.time.Duration.ofHours(2)));
        Files.setLastModifiedTime(killed, twoHoursAgo);
        Files.setLastModifiedTime(other, twoHoursAgo);
        TensorRtLibraries.copyAtomically(new java.io.ByteArrayInputStream("library".getBytes()), dir.resolve("libjninvinfer.so"));
        assertTrue(Files.notExists(killed), "the killed extraction's temporary is removed");
        assertTrue(Files.exists(working), "a young temporary may be another process's extraction");
        assertTrue(Files.exists(other));
        assertEquals("library", Files.readString(dir.resolve("libjninvinfer.so")));
        try (var files = Files.list(dir)) {
            assertEquals(3, files.count(), "the library, the young temporary and the other file");
        }
    }
}
