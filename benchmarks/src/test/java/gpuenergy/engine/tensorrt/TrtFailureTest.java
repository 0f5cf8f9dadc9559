package gpuenergy.engine.tensorrt;

import gpuenergy.engine.NotRunException;
import gpuenergy.options.SuiteSetting;
import gpuenergy.results.NotRun;
import org.bytedeco.tensorrt.nvinfer.ILogger.Severity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
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

    /**
     * A recorded TensorRT log (src/test/resources/tensorrt/build-log-*.txt: {@code [E] }, {@code [W] } or {@code [I] } and
     * the message; {@code #} comments) handed, after what it holds, to {@code log}, as TrtLogger hands TensorRT's messages.
     */
    private static TrtLog replay(String fixture, TrtLog log) throws IOException {
        for (String line : Files.readAllLines(Path.of("src/test/resources/tensorrt", fixture))) {
            if (!line.isBlank() && !line.startsWith("#")) {
                Severity severity = switch (line.substring(0, 4)) {
                    case "[E] " -> Severity.kERROR;
                    case "[W] " -> Severity.kWARNING;
                    case "[I] " -> Severity.kINFO;
                    default -> throw new IllegalArgumentException(fixture + ": " + line);
                };
                log.add(severity.value, line.substring(4));
            }
        }
        return log;
    }

    private static final String PREFIX_8192 = "engine 'tensorrt-fp16', batchSize 8192: ";
    private static final String BUILD_FAILED_8192 = "TensorRT could not build an engine for batch 8192";
    private static final String BUILD_8192 = PREFIX_8192 + BUILD_FAILED_8192 + ": ";
    private static final String NO_IMPLEMENTATION = "IBuilder::buildSerializedNetwork: Error Code 10: Internal Error (Could not find any "
            + "implementation for node /update_block/encoder/convc1_1/Conv + /update_block/encoder_1/Relu.)";

    /**
     * A build whose only error is TensorRT's "Could not find any implementation for node ..." after warnings that the
     * device's memory was short did not fit: the line quotes the first such warning and counts the others (a warning
     * that names memory without its shortage is none); it travels to the benchmark's process as it is.
     */
    @Test
    void noImplementationAfterWarningsOfMemoryIsDidNotFit() throws IOException {
        TrtLog log = replay("build-log-short-of-memory-no-implementation.txt", new TrtLog());
        NotRunException e = TrtFailure.ofBuild(PREFIX_8192, BUILD_FAILED_8192, log.errorsSince(0), log.warningsSince(0));
        assertEquals(NotRun.Kind.DID_NOT_FIT, e.kind());
        assertEquals(BUILD_8192 + NO_IMPLEMENTATION + "; TensorRT warned before it: UNSUPPORTED_STATE: Skipping tactic 33 due to "
                        + "insufficient memory on requested size of 629145600 detected for tactic 0xa5a46bfbd719d757. (and 2 more warnings "
                        + "of memory)", e.getMessage());
        List<String> result = EngineBuildProcess.resultText(e.kind(), e.getMessage(), false).lines().toList();
        NotRunException read = EngineBuildProcess.childsFailure(result);
        assertEquals(e.kind(), read.kind());
        assertEquals(e.getMessage(), read.getMessage());

        // TensorRT 10.3's builder may warn with the memory it asked for alone (the IGEV write-up's build did)
        NotRunException asked = TrtFailure.ofBuild("p: ", "x", List.of(NO_IMPLEMENTATION),
                List.of("Tactic Device request: 600MB Available: 302MB. Device memory is insufficient to use tactic."));
        assertEquals(NotRun.Kind.DID_NOT_FIT, asked.kind());
        assertEquals("p: x: " + NO_IMPLEMENTATION + "; TensorRT warned before it: Tactic Device request: 600MB Available: 302MB. Device "
                + "memory is insufficient to use tactic.", asked.getMessage());
    }

    /**
     * The same error without a warning of memory is a layer TensorRT cannot build: an error, as is a build whose first
     * error is another, whatever the warnings; warnings logged before the build's mark are another step's.
     */
    @Test
    void noImplementationWithoutWarningsOfMemoryIsAnError() throws IOException {
        TrtLog log = replay("build-log-no-implementation.txt", new TrtLog());
        NotRunException e = TrtFailure.ofBuild(PREFIX_8192, BUILD_FAILED_8192, log.errorsSince(0), log.warningsSince(0));
        assertEquals(NotRun.Kind.ERROR, e.kind());
        assertEquals(BUILD_8192 + NO_IMPLEMENTATION, e.getMessage());

        TrtLog shortEarlier = replay("build-log-short-of-memory-built.txt", new TrtLog());
        int mark = shortEarlier.mark();
        replay("build-log-no-implementation.txt", shortEarlier);
        assertEquals(NotRun.Kind.ERROR, TrtFailure.ofBuild("p: ", "x", shortEarlier.errorsSince(mark), shortEarlier.warningsSince(mark))
                .kind());

        String otherFirst = "Error Code 9: Skipping tactic 0x0000000000000000 due to exception [autotuner.cpp:get_best_tactics:2400] "
                + "Autotuner: no tactics to implement operation";
        TrtLog memory = replay("build-log-short-of-memory-no-implementation.txt", new TrtLog());
        NotRunException other = TrtFailure.ofBuild("p: ", "x", List.of(otherFirst, NO_IMPLEMENTATION), memory.warningsSince(0));
        assertEquals(NotRun.Kind.ERROR, other.kind());
        assertEquals("p: x: " + otherFirst + " (and 1 more error on stderr)", other.getMessage());
    }

    /**
     * A build that skips tactics for want of memory and then builds the engine logs no error: its warnings are kept as
     * warnings, not as errors that a later step's line would read, and a later step's mark leaves them out.
     */
    @Test
    void warningsOfMemoryInABuildThatSucceedsAreNoError() throws IOException {
        TrtLog log = replay("build-log-short-of-memory-built.txt", new TrtLog());
        assertEquals(List.of(), log.errorsSince(0));
        assertEquals(List.of("UNSUPPORTED_STATE: Skipping tactic 0 due to insufficient memory on requested size of 7742685184 detected for "
                + "tactic 0x0000000000000000."), log.warningsSince(0), "information is not kept");
        int load = log.mark();
        log.add(Severity.kERROR.value, "Error Code 1: Serialization (Serialization assertion failed.)");
        NotRunException e = TrtFailure.of("p: ", "TensorRT cannot load the engine it just built", log.errorsSince(load));
        assertEquals(NotRun.Kind.ERROR, e.kind());
        assertEquals("p: TensorRT cannot load the engine it just built: Error Code 1: Serialization (Serialization assertion failed.)",
                e.getMessage());
        assertEquals(List.of(), log.warningsSince(load));
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
     * TensorRT's error and the parser's description end at any line terminator, a lone carriage return too: the line is
     * printed and recorded as one, and the parse failure's record beside the engine is read back by lines.
     */
    @Test
    void anErrorEndsAtACarriageReturn() {
        for (String lineEnd : new String[] {"\r", "\r\n", "\n", "\u2028"}) {
            assertEquals("p: x: Error Code 1: Serialization", TrtFailure.of("p: ", "x", List.of("Error Code 1: Serialization" + lineEnd
                    + "more")).getMessage());
            assertEquals("TensorRT cannot parse /m/bad.onnx: Unsupported", EngineBuilder.parseErrorLine(Path.of("/m/bad.onnx"), -1, "", "",
                    "Unsupported" + lineEnd + "at node 3", 1));
        }
        assertEquals("TensorRT cannot parse /m/bad.onnx: ", EngineBuilder.parseErrorLine(Path.of("/m/bad.onnx"), -1, "", "", null, 1));
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

    /**
     * A parse that fails because the device's memory ran out is did-not-fit for this trial, not the model's failure: the
     * engine cache records nothing and the next trial parses again; any other parse failure is recorded for the key.
     */
    @Test
    void aParseThatRanOutOfMemoryIsNotRecordedForTheKey(@TempDir Path dir) {
        Path onnx = Path.of("/m/r.onnx");
        String parseError = "TensorRT cannot parse /m/r.onnx: Failed to parse ONNX model from file";
        String oom = "[defaultAllocator.cpp::allocate::31] Error Code 1: Cuda Runtime (out of memory)";
        RuntimeException outOfMemory = EngineBuilder.parseFailure("p: ", onnx, parseError, List.of(oom, "ModelImporter.cpp:1: parse failed"));
        NotRunException didNotFit = assertInstanceOf(NotRunException.class, outOfMemory);
        assertEquals(NotRun.Kind.DID_NOT_FIT, didNotFit.kind());
        assertEquals("p: TensorRT cannot parse /m/r.onnx: " + oom + " (and 1 more error on stderr)", didNotFit.getMessage());

        RuntimeException unsupported = EngineBuilder.parseFailure("p: ", onnx, parseError, List.of("No importer registered for op: CustomOp"));
        assertEquals("p: " + parseError, assertInstanceOf(EngineCache.DeterministicFailure.class, unsupported).failure().getMessage());

        EngineCache cache = new EngineCache(dir);
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertEquals(didNotFit, assertThrows(NotRunException.class, () -> cache.buildOnce(EngineCacheTest.key(), "r", null, () -> {
            throw outOfMemory;
        }, out)));
        assertFalse(Files.exists(cache.failureFile(EngineCacheTest.key(), "r")), "no record of a parse that ran out of memory");
        assertThrows(NotRunException.class, () -> cache.buildOnce(EngineCacheTest.key(), "r", null, () -> {
            throw unsupported;
        }, out));
        assertTrue(Files.exists(cache.failureFile(EngineCacheTest.key(), "r")), "the model's parse failure is recorded");
    }

    /**
     * A TensorRT factory that creates nothing (the bindings give null, or a pointer to nothing) is one line naming the
     * call, not a NullPointerException at the object's first use; did-not-fit where TensorRT's errors say memory ran out.
     */
    @Test
    void aFactoryThatCreatesNothingIsOneLineNamingTheCall() {
        String prefix = "engine 'tensorrt-fp16', batchSize 8: ";
        for (TensorRtSession.Address nothing : new TensorRtSession.Address[] {null, new TensorRtSession.Address(0)}) {
            NotRunException e = assertThrows(NotRunException.class,
                    () -> TrtFailure.created(nothing, prefix, "createInferRuntime", "a runtime", List.of()));
            assertEquals(NotRun.Kind.ERROR, e.kind());
            assertEquals(prefix + "TensorRT cannot create a runtime (createInferRuntime returned null): TensorRT logged no error",
                    e.getMessage());
        }
        NotRunException oom = assertThrows(NotRunException.class, () -> TrtFailure.created(null, prefix, "createInferRuntime", "a runtime",
                List.of("[runtime.cpp::1] Error Code 1: Cuda Runtime (out of memory)")));
        assertEquals(NotRun.Kind.DID_NOT_FIT, oom.kind());
        TensorRtSession.Address created = new TensorRtSession.Address(64);
        assertSame(created, TrtFailure.created(created, prefix, "createInferRuntime", "a runtime", List.of()));
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
