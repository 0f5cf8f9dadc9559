package gpuenergy.engine.tensorrt;

import gpuenergy.engine.NotRunException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrtOptionsTest {
    @Test
    void oneProfileForExactlyTheMeasuredShapeFp16AndCaches() {
        Map<String, String> m = new TrtOptions(1, "input", new long[] {64, 3, 224, 224}, Path.of("/m/resnet50/trt-cache/x"), false)
                .providerOptions();
        assertEquals("1", m.get("device_id"));
        assertEquals("1", m.get("trt_fp16_enable"));
        assertEquals("1", m.get("trt_engine_cache_enable"));
        assertEquals("/m/resnet50/trt-cache/x", m.get("trt_engine_cache_path"));
        assertEquals("1", m.get("trt_timing_cache_enable"));
        assertEquals("/m/resnet50/trt-cache/x", m.get("trt_timing_cache_path"));
        for (String k : List.of("trt_profile_min_shapes", "trt_profile_opt_shapes", "trt_profile_max_shapes")) {
            assertEquals("input:64x3x224x224", m.get(k), k);
        }
        assertTrue(!m.containsKey("trt_detailed_build_log"));
        assertEquals("1", new TrtOptions(0, "input", new long[] {1, 3, 8, 8}, Path.of("c"), true).providerOptions()
                .get("trt_detailed_build_log"));
    }

    @Test
    void refusesAnInputNameTheProfileSyntaxCannotHold() {
        NotRunException e = assertThrows(NotRunException.class,
                () -> new TrtOptions(0, "in:put", new long[] {1, 3, 8, 8}, Path.of("c"), false));
        assertTrue(e.getMessage().startsWith("ONNX input name 'in:put' contains ':' or ','"), e.getMessage());
    }

    @Test
    void gpuSpec() {
        assertEquals(0, GpuSpec.gpuId("auto", "e"));
        assertEquals(0, GpuSpec.gpuId("gpu", "e"));
        assertEquals(3, GpuSpec.gpuId("gpu:3", "e"));
        NotRunException cpu = assertThrows(NotRunException.class, () -> GpuSpec.gpuId("cpu", "tensorrt-fp16"));
        assertEquals(NotRunException.Kind.UNAVAILABLE, cpu.kind());
        NotRunException bad = assertThrows(NotRunException.class, () -> GpuSpec.gpuId("cuda0", "tensorrt-fp16"));
        assertEquals("device 'cuda0' is not accepted for engine 'tensorrt-fp16'; accepted: auto, gpu, gpu:N", bad.getMessage());
        assertEquals(NotRunException.Kind.ERROR, bad.kind());
    }

    @Test
    void refusedCpuFallbackSaysHowToSeeTheNodes() {
        String line = TrtSessionBlock.failure(Path.of("m/resnet50.onnx"), new long[] {8, 3, 224, 224}, "Error code - ORT_FAIL - "
                + "message: This session contains graph nodes that are assigned to the default CPU EP, but fallback to CPU EP "
                + "has been explicitly disabled by the user.");
        assertEquals("engine 'tensorrt-fp16' cannot load resnet50.onnx for input [8, 3, 224, 224]: TensorRT does not take every "
                + "node (ONNX Runtime assigned some to its CPU provider, and CPU fallback is refused); rerun with "
                + "-Dgpuenergy.trt.verbose=true to have ONNX Runtime list the node placements on stderr", line);
        assertTrue(TrtSessionBlock.failure(Path.of("a.onnx"), new long[] {1}, "CUDA failure 2: out of memory\nmore")
                .endsWith(": CUDA failure 2: out of memory"), "keeps 'out of memory' so that the benchmark records did-not-fit");
    }
}
