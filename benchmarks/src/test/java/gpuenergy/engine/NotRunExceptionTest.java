package gpuenergy.engine;

import ai.djl.engine.EngineException;
import gpuenergy.results.NotRun;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class NotRunExceptionTest {

    /** A recorded libtorch message: CUDA out of memory inside a TorchScript model (see h100/README.md). */
    private static String recordedTorchScriptOom() throws IOException {
        try (InputStream in = NotRunExceptionTest.class.getResourceAsStream("/h100/torchscript-oom.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void torchScriptOutOfMemoryIsReportedByItsOwnLineAndDidNotFit() throws IOException {
        RuntimeException native_ = new RuntimeException(recordedTorchScriptOom());
        String line = NotRunException.firstLine(new IllegalStateException("wrapped", native_));
        assertTrue(line.startsWith("RuntimeError: CUDA out of memory. Tried to allocate 24.50 GiB."), line);

        NotRunException n = NotRunException.from("model 'resnet50', engine 'pytorch-fp32', batchSize 8192: ", native_);
        assertEquals(NotRun.Kind.DID_NOT_FIT, n.kind());
        assertTrue(n.getMessage().startsWith("model 'resnet50', engine 'pytorch-fp32', batchSize 8192: "
                + "RuntimeError: CUDA out of memory."), n.getMessage());
    }

    @Test
    void torchScriptErrorOtherThanMemoryStaysAnErrorWithTheRaisedLine() {
        String message = NotRunException.TORCHSCRIPT_BANNER + "\n"
                + "Traceback of TorchScript, serialized code (most recent call last):\n"
                + "  File \"code/__torch__/timm/models/convnext.py\", line 12, in forward\n"
                + "    _0 = torch.conv2d(x, weight)\n"
                + "RuntimeError: cuDNN error: CUDNN_STATUS_NOT_SUPPORTED\n";
        NotRunException n = NotRunException.from("m: ", new RuntimeException(message));
        assertEquals(NotRun.Kind.ERROR, n.kind());
        assertEquals("m: RuntimeError: cuDNN error: CUDNN_STATUS_NOT_SUPPORTED", n.getMessage());
    }

    /**
     * An OutOfMemoryError that DJL wraps in its EngineException reads with its name, without which its message says
     * nothing of memory, and is classified by it: JNA's native memory for a batch did not fit, a full metaspace is an
     * error with the setting that governs it.
     */
    @Test
    void aWrappedOutOfMemoryErrorIsNamedAndClassified() {
        NotRunException jna = NotRunException.from("model 'resnet50', engine 'pytorch-fp32', batchSize 8192: ",
                new EngineException(new OutOfMemoryError("Cannot allocate 4294967296 bytes")));
        assertEquals(NotRun.Kind.DID_NOT_FIT, jna.kind());
        assertEquals("model 'resnet50', engine 'pytorch-fp32', batchSize 8192: OutOfMemoryError: Cannot allocate 4294967296"
                + " bytes", jna.getMessage());

        NotRunException metaspace = NotRunException.from("m: ", new EngineException("load failed", new OutOfMemoryError("Metaspace")));
        assertEquals(NotRun.Kind.ERROR, metaspace.kind());
        assertEquals("m: OutOfMemoryError: Metaspace (" + OutOfMemory.JvmLimit.METASPACE.reason() + ")", metaspace.getMessage());
    }

    @Test
    void otherNativeErrorsKeepTheirFirstLine() {
        String message = "CUDA error: an illegal memory access was encountered\n"
                + "Exception raised from c10_cuda_check_implementation at c10/cuda/CUDAException.cpp:44\n"
                + "frame #0: c10::Error::Error(c10::SourceLocation, std::string) + 0x96\n";
        assertEquals("CUDA error: an illegal memory access was encountered",
                NotRunException.firstLine(new RuntimeException(message)));
        // the banner alone (no raised error line after it) is still said rather than nothing
        assertEquals(NotRunException.TORCHSCRIPT_BANNER,
                NotRunException.firstLine(new RuntimeException(NotRunException.TORCHSCRIPT_BANNER + "\n  File x\n")));
    }
}
