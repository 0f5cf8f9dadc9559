package gpuenergy.engine;

import gpuenergy.results.NotRun;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one out-of-memory classifier: the fork's for its own exceptions, the sweep's for a fork that died silently. */
class OutOfMemoryTest {
    @Test
    void recognisesOutOfMemoryMessages() {
        assertTrue(OutOfMemory.mentionedIn("EngineException: CUDA out of memory. Tried to allocate 2.00 GiB"));
        assertTrue(OutOfMemory.mentionedIn("java.lang.OutOfMemoryError: Cannot allocate 4294967296 bytes"));
        assertTrue(OutOfMemory.mentionedIn("CUDA driver error: CUDA_ERROR_OUT_OF_MEMORY"));
        assertTrue(OutOfMemory.mentionedIn("cudaErrorMemoryAllocation"));
        assertTrue(OutOfMemory.mentionedIn("CUDA error: CUBLAS_STATUS_ALLOC_FAILED when calling `cublasCreate(handle)`"));
        assertTrue(OutOfMemory.mentionedIn("[enforce fail at alloc_cpu.cpp:117] DefaultCPUAllocator: can't allocate memory: "
                + "you tried to allocate 8589934592 bytes"));
        assertFalse(OutOfMemory.mentionedIn("out of\nmemory"), "words split over lines are not one report");
        assertFalse(OutOfMemory.mentionedIn("index out of range"));
        assertFalse(OutOfMemory.mentionedIn("memory usage 3 GiB"));
        assertFalse(OutOfMemory.mentionedIn(null));
    }

    /**
     * TensorRT's reports of device memory it could not have, which the TensorRT engine classifies through this class
     * too: a build, load or first batch that fails with one of them did not fit.
     */
    @Test
    void recognisesTensorRtsOutOfMemoryErrors() {
        for (String error : new String[] {
                "[executionContext.cpp::createExecutionContext::...] Error Code 2: OutOfMemory (Requested size was 34359738368 bytes.)",
                "Requested amount of GPU memory (68719476736 bytes) could not be allocated. There may not be enough free memory for "
                        + "allocation to succeed.",
                "[defaultAllocator.cpp::allocate::31] Error Code 1: Cuda Runtime (out of memory)",
                "[myelinBuilderUtils.cpp::operator()::371] Error Code 2: Internal Error (Insufficient memory to build the graph)",
                "[resizingAllocator.cpp::allocate::74] Error Code 1: Cuda Runtime (cudaErrorMemoryAllocation)",
                "Scratch memory of 8 GiB requested for tactic 0x12 could not be allocated",
                // TensorRT 10's builder, warning of a tactic it skips (tensorrt/build-log-short-of-memory-no-implementation.txt)
                "Tactic Device request: 600MB Available: 302MB. Device memory is insufficient to use tactic.",
                "UNSUPPORTED_STATE: Skipping tactic 33 due to insufficient memory on requested size of 629145600 detected for tactic "
                        + "0xa5a46bfbd719d757.",
        }) {
            assertTrue(OutOfMemory.mentionedIn(error), error);
        }
        assertFalse(OutOfMemory.mentionedIn("[network.cpp::addInput::1548] Error Code 3: API Usage Error (memory format not supported)"));
        assertFalse(OutOfMemory.mentionedIn("/Reshape_499: IShuffleLayer with zeroIsPlaceHolder=true has reshape dimension at position 4 "
                + "that might or might not be zero. TensorRT resolves it at runtime, but this may cause excessive memory consumption and "
                + "is usually a sign of a bug in the network."), "a warning that names memory, not its shortage");
        assertFalse(OutOfMemory.mentionedIn("# There is insufficient memory for the Java Runtime Environment to continue."),
                "the host's memory for a VM is not the batch's");
    }

    /** A full Java heap is the VM's -Xmx, not the batch's memory: named apart, and not out of memory here. */
    @Test
    void aFullJavaHeapIsNotTheBatchsMemory() {
        String died = "Error: A JNI error has occurred, please check your installation and try again\n"
                + "Exception in thread \"main\" java.lang.OutOfMemoryError: Java heap space\n\tat java.base/a.B.c(B.java:1)\n";
        assertFalse(OutOfMemory.mentionedIn(died));
        assertEquals(new OutOfMemory.JvmLimitLine("Exception in thread \"main\" java.lang.OutOfMemoryError: Java heap space",
                OutOfMemory.JvmLimit.JAVA_HEAP), OutOfMemory.jvmLimitLine(died));
        assertFalse(OutOfMemory.mentionedIn("java.lang.OutOfMemoryError: GC overhead limit exceeded"));
        assertEquals(new OutOfMemory.JvmLimitLine("OutOfMemoryError: GC overhead limit exceeded", OutOfMemory.JvmLimit.JAVA_HEAP),
                OutOfMemory.jvmLimitLine("OutOfMemoryError: GC overhead limit exceeded"));
        assertNull(OutOfMemory.jvmLimitLine("CUDA out of memory. Tried to allocate 2.00 GiB"));
        assertNull(OutOfMemory.jvmLimitLine(null));
    }

    /**
     * The VM's other limits are settings of the run or the host too, each named with what governs it; JDK 17's words
     * (as its VM prints them) and older JDKs' alike. JNA's "Cannot allocate N bytes" is the host's native memory for a
     * batch's buffers: out of memory.
     */
    @Test
    void theVmsOwnLimitsAreNotTheBatchsMemory() {
        Map<String, OutOfMemory.JvmLimit> errors = new LinkedHashMap<>();
        errors.put("Exception in thread \"main\" java.lang.OutOfMemoryError: Metaspace", OutOfMemory.JvmLimit.METASPACE);
        errors.put("OutOfMemoryError: Compressed class space", OutOfMemory.JvmLimit.COMPRESSED_CLASS_SPACE);
        errors.put("OutOfMemoryError: Cannot reserve 4194304 bytes of direct buffer memory (allocated: 8192, limit: 1048576)",
                OutOfMemory.JvmLimit.DIRECT_BUFFERS);
        errors.put("java.lang.OutOfMemoryError: Direct buffer memory", OutOfMemory.JvmLimit.DIRECT_BUFFERS);
        errors.put("OutOfMemoryError: unable to create native thread: possibly out of memory or process/resource limits "
                + "reached", OutOfMemory.JvmLimit.THREADS);
        errors.put("java.lang.OutOfMemoryError: Unable to create new native thread", OutOfMemory.JvmLimit.THREADS);
        errors.put("OutOfMemoryError: Requested array size exceeds VM limit", OutOfMemory.JvmLimit.ARRAY_LENGTH);
        errors.forEach((error, limit) -> {
            assertFalse(OutOfMemory.mentionedIn(error), error);
            assertEquals(new OutOfMemory.JvmLimitLine(error, limit), OutOfMemory.jvmLimitLine("x\n" + error + "\n"), error);
        });
        assertTrue(OutOfMemory.JvmLimit.METASPACE.reason().contains("-XX:MaxMetaspaceSize="));
        assertTrue(OutOfMemory.JvmLimit.COMPRESSED_CLASS_SPACE.reason().contains("-XX:CompressedClassSpaceSize="));
        assertTrue(OutOfMemory.JvmLimit.DIRECT_BUFFERS.reason().contains("-XX:MaxDirectMemorySize="));
        assertTrue(OutOfMemory.JvmLimit.THREADS.reason().contains("ulimit -u"));
        // a GC log's heap summary names the metaspace without any error
        assertNull(OutOfMemory.jvmLimitLine("[gc,heap,exit] Metaspace used 18923K, committed 19264K, reserved 1114112K"));
        assertTrue(OutOfMemory.mentionedIn("java.lang.OutOfMemoryError: Cannot allocate 4294967296 bytes"));
        assertNull(OutOfMemory.jvmLimitLine("java.lang.OutOfMemoryError: Cannot allocate 4294967296 bytes"));
    }

    /**
     * JavaCPP's own limits (org.bytedeco.javacpp.maxBytes, maxPhysicalBytes; its words, as JavaCPP 1.5.11 throws them)
     * are settings of the forked VM: an error that names the property, not a did-not-fit. JavaCPP's allocator finding
     * no memory ("Native allocator returned address == 0") is the host's memory: out of memory.
     */
    @Test
    void javaCppsLimitsAreSettingsOfTheVm() {
        String maxBytes = "java.lang.OutOfMemoryError: Failed to allocate memory within limits: totalBytes (1.5G + 1G) > "
                + "maxBytes (2G)";
        String maxPhysical = "OutOfMemoryError: Physical memory usage is too high: physicalBytes (9G) > maxPhysicalBytes (8G)";
        OutOfMemory.Verdict bytes = OutOfMemory.verdict(maxBytes);
        assertEquals(NotRun.Kind.ERROR, bytes.kind());
        assertEquals(maxBytes, bytes.line());
        assertTrue(bytes.why().contains("-Dorg.bytedeco.javacpp.maxBytes=<size>"), bytes.why());
        OutOfMemory.Verdict physical = OutOfMemory.verdict("x\n" + maxPhysical + "\n");
        assertEquals(NotRun.Kind.ERROR, physical.kind());
        assertEquals(maxPhysical, physical.line());
        assertTrue(physical.why().contains("-Dorg.bytedeco.javacpp.maxPhysicalBytes=<size>"), physical.why());
        assertEquals(NotRun.Kind.DID_NOT_FIT,
                OutOfMemory.verdict("OutOfMemoryError: Native allocator returned address == 0").kind());
    }

    @Test
    void prefersTheLineThatSaysItInWords() {
        String libtorchAbort = "Iteration   1: terminate called after throwing an instance of 'c10::OutOfMemoryError'\n"
                + "  what():  CUDA out of memory. Tried to allocate 1.5 GiB\n";
        assertEquals("what():  CUDA out of memory. Tried to allocate 1.5 GiB", OutOfMemory.bestLine(libtorchAbort));
        assertEquals("c10::OutOfMemoryError", OutOfMemory.bestLine("x\nc10::OutOfMemoryError\n"));
        assertNull(OutOfMemory.bestLine("nothing here"));
    }
}
