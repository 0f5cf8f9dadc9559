package gpuenergy.engine.tensorrt;

import gpuenergy.engine.NotRunException;
import gpuenergy.options.SuiteSetting;
import gpuenergy.results.NotRun;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** TensorRT's errors as one line, and which of them mean the batch did not fit; the device selection. */
class TrtFailureTest {

    @Test
    void outOfMemoryIsDidNotFit() {
        for (String error : List.of(
                "[executionContext.cpp::createExecutionContext::...] Error Code 2: OutOfMemory (Requested size was 34359738368 bytes.)",
                "Requested amount of GPU memory (68719476736 bytes) could not be allocated. There may not be enough free memory for allocation to succeed.",
                "[defaultAllocator.cpp::allocate::31] Error Code 1: Cuda Runtime (out of memory)")) {
            NotRunException e = TrtFailure.of("engine 'tensorrt-fp16', batchSize 8192: ", "TensorRT could not build an engine for batch 8192",
                    List.of(error, "[builder.cpp::buildSerializedNetwork::751] Error Code 2: Internal Error (Assertion engine != nullptr failed. )"));
            assertEquals(NotRun.Kind.DID_NOT_FIT, e.kind(), error);
            assertEquals("engine 'tensorrt-fp16', batchSize 8192: TensorRT could not build an engine for batch 8192: " + error
                    + " (and 1 more error on stderr)", e.getMessage());
        }
    }

    @Test
    void otherErrorsAreErrorsAndTheFirstIsTheCause() {
        NotRunException e = TrtFailure.of("p: ", "TensorRT could not build an engine for batch 1",
                List.of("IBuilder::buildSerializedNetwork: Error Code 4: API Usage Error (Unsupported layer)\nmore", "second", "third"));
        assertEquals(NotRun.Kind.ERROR, e.kind());
        assertEquals("p: TensorRT could not build an engine for batch 1: IBuilder::buildSerializedNetwork: Error Code 4: API Usage Error "
                + "(Unsupported layer) (and 2 more errors on stderr)", e.getMessage());
        assertEquals("p: x: TensorRT logged no error", TrtFailure.of("p: ", "x", List.of()).getMessage());
    }

    /**
     * A CUDA call that fails inside a build (not for memory) is a fault of the device at that moment, which the engine
     * cache does not record; TensorRT's own refusals are not.
     */
    @Test
    void aParseErrorNamesTheNodeAndItsOperator() {
        Path onnx = Path.of("/m/bad.onnx");
        assertEquals("TensorRT cannot parse /m/bad.onnx at node 12 '/blocks/attn/CustomOp' (CustomOp): No importer registered for op: "
                        + "CustomOp. Attempting to import as plugin. (1 more parser error)",
                EngineBuilder.parseErrorLine(onnx, 12, "/blocks/attn/CustomOp", "CustomOp",
                        "No importer registered for op: CustomOp. Attempting to import as plugin.", 2));
        assertEquals("TensorRT cannot parse /m/bad.onnx: Failed to parse ONNX model from file",
                EngineBuilder.parseErrorLine(onnx, -1, "", "", "Failed to parse ONNX model from file", 1));
    }

    @Test
    void theDeviceIsAGpuOrdinal() {
        assertEquals(0, TensorRtEngine.gpuOrdinal("auto"));
        assertEquals(0, TensorRtEngine.gpuOrdinal("gpu"));
        assertEquals(3, TensorRtEngine.gpuOrdinal("gpu:3"));
        NotRunException cpu = assertThrows(NotRunException.class, () -> TensorRtEngine.gpuOrdinal("cpu"));
        assertEquals(NotRun.Kind.UNAVAILABLE, cpu.kind());
        // a value outside -p device='s grammar: DeviceSpec's line, as every engine and the energy profiler refuse it
        for (String value : new String[] {"cuda:1", " gpu:1", "cpu "}) {
            NotRunException bad = assertThrows(NotRunException.class, () -> TensorRtEngine.gpuOrdinal(value));
            assertEquals("device '" + value + "' is not accepted; accepted: auto, cpu, gpu, gpu:N", bad.getMessage());
            assertEquals(NotRun.Kind.ERROR, bad.kind());
        }
    }

    @Test
    void withoutTheNvidiaDriverTheGpuIsUnavailable() {
        org.junit.jupiter.api.Assumptions.assumeTrue(CudaDriverApi.load() != null, "this machine has an NVIDIA driver");
        NotRunException e = assertThrows(NotRunException.class, () -> CudaDevice.open(0, "tensorrt-fp16"));
        assertEquals(NotRun.Kind.UNAVAILABLE, e.kind());
        assertEquals("engine 'tensorrt-fp16' needs an NVIDIA GPU: libcuda.so.1 not found: no NVIDIA driver on this machine", e.getMessage());
    }

    @Test
    void theOptimizationLevelIsChecked() {
        System.setProperty(SuiteSetting.TENSORRT_OPTIMIZATION_LEVEL.property(), "7");
        try {
            assertEquals("-Dgpuenergy.tensorrt.optimizationLevel=7 is not accepted; accepted: 0..5 (TensorRT's builder optimization level; "
                    + "3 is TensorRT's default)", assertThrows(NotRunException.class, EngineBuilder.Options::fromSystemProperties).getMessage());
            System.setProperty(SuiteSetting.TENSORRT_OPTIMIZATION_LEVEL.property(), "1");
            assertEquals(1, EngineBuilder.Options.fromSystemProperties().optimizationLevel());
        } finally {
            System.clearProperty(SuiteSetting.TENSORRT_OPTIMIZATION_LEVEL.property());
        }
        assertEquals(3, EngineBuilder.Options.fromSystemProperties().optimizationLevel());
    }
}
