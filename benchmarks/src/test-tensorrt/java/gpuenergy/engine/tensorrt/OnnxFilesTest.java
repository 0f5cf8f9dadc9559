package gpuenergy.engine.tensorrt;

import gpuenergy.engine.NotRunException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** On ONNX Runtime's CPU provider with a real (tiny) ONNX model shaped like tools/export_models.py's. */
class OnnxFilesTest {
    @TempDir
    Path dir;

    static Path tinyCnn() throws URISyntaxException {
        return Path.of(OnnxFilesTest.class.getResource("/models/tiny_cnn/tiny_cnn.onnx").toURI());
    }

    @Test
    void readsTheImageInputWithItsDynamicBatchAxis() throws URISyntaxException {
        OnnxFiles.Input in = OnnxFiles.input(tinyCnn());
        assertEquals("input", in.name());
        assertArrayEquals(new long[] {-1, 3, 8, 8}, in.shape());
        assertEquals("batch", in.dimensionNames()[0]);
        assertTrue(in.dynamicBatch());
    }

    @Test
    void fixedBatchCopyHasThatBatchSize() throws URISyntaxException {
        OnnxFiles.Input in = OnnxFiles.input(tinyCnn());
        Path fixed = OnnxFiles.fixedBatch(tinyCnn(), in, 4, dir.resolve("cache/tiny_cnn-b4.onnx"));
        assertEquals(dir.resolve("cache/tiny_cnn-b4.onnx"), fixed);
        OnnxFiles.Input out = OnnxFiles.input(fixed);
        assertArrayEquals(new long[] {4, 3, 8, 8}, out.shape());
        assertEquals("input", out.name());
        // a fixed model is used as is for its own batch size, and refused for another
        assertEquals(fixed, OnnxFiles.fixedBatch(fixed, out, 4, dir.resolve("unused.onnx")));
        NotRunException e = assertThrows(NotRunException.class, () -> OnnxFiles.fixedBatch(fixed, out, 2, dir.resolve("x.onnx")));
        assertTrue(e.getMessage().contains("has a fixed batch size of 4, not 2"), e.getMessage());
    }

    @Test
    void refusesWhatIsNotALocalOnnxFile() {
        NotRunException url = assertThrows(NotRunException.class, () -> OnnxFiles.localFile("https://x/m.onnx", "tensorrt-fp16"));
        assertEquals("engine 'tensorrt-fp16' loads a local .onnx file, not a URL: https://x/m.onnx", url.getMessage());
        NotRunException pt = assertThrows(NotRunException.class, () -> OnnxFiles.localFile(dir.resolve("m-fp32.pt").toString(), "e"));
        assertTrue(pt.getMessage().startsWith("engine 'e' needs an .onnx file"), pt.getMessage());
        NotRunException broken = assertThrows(NotRunException.class, () -> OnnxFiles.input(Path.of("pom.xml")));
        assertTrue(broken.getMessage().startsWith("cannot read ONNX model pom.xml: "), broken.getMessage());
    }

    @Test
    void cacheDirNamesTheRuntimeBesideTheModel() {
        Path onnx = Path.of("/m/resnet50/resnet50.onnx");
        assertEquals(Path.of("/m/resnet50/trt-cache/ort-1.22.0_libnvinfer.so.10.9.0"),
                OnnxFiles.cacheDir(onnx, "ort-1.22.0_libnvinfer.so.10.9.0"));
        assertEquals(Path.of("/m/resnet50/trt-cache/a_b"), OnnxFiles.cacheDir(onnx, "a/b"));
    }

    @Test
    void findsTheLoadedLibraryInProcMaps() {
        List<String> maps = List.of(
                "7f1c2a000000-7f1c2a200000 r--p 00000000 08:01 1234   /usr/lib/x86_64-linux-gnu/libcudart.so.12.8.90",
                "7f1c2b000000-7f1c2b400000 r-xp 00000000 08:01 5678   /usr/lib/x86_64-linux-gnu/libnvinfer.so.10.9.0",
                "7ffd1c000000-7ffd1c021000 rw-p 00000000 00:00 0      [stack]");
        assertEquals("libnvinfer.so.10.9.0", OnnxFiles.loadedLibrary(maps, "libnvinfer.so"));
        assertNull(OnnxFiles.loadedLibrary(maps, "libcudnn"));
        // this VM: ONNX Runtime's own library is mapped once the environment exists
        OnnxFiles.environment();
        assertTrue(String.valueOf(OnnxFiles.loadedLibrary("libonnxruntime.so")).startsWith("libonnxruntime.so"));
    }
}
