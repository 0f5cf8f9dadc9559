package gpuenergy.engine.tensorrt;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class MissingLibraryTest {
    /** Recorded: ONNX Runtime 1.22.0 (onnxruntime_gpu) registering the TensorRT provider on a machine without CUDA. */
    static final String ORT_NO_CUDA = "Error code - ORT_FAIL - message: /onnxruntime_src/onnxruntime/core/session/"
            + "provider_bridge_ort.cc:1778 onnxruntime::Provider& onnxruntime::ProviderLibrary::Get() [ONNXRuntimeError] : 1 : "
            + "FAIL : Failed to load library libonnxruntime_providers_tensorrt.so with error: libcublas.so.12: cannot open "
            + "shared object file: No such file or directory\n";

    @Test
    void namesTheLibraryTheLoaderMissed() {
        assertEquals("libcublas.so.12", MissingLibrary.library(ORT_NO_CUDA));
        assertEquals("libnvinfer.so.10", MissingLibrary.library("x: libnvinfer.so.10: cannot open shared object file: No such file"));
        assertNull(MissingLibrary.library("CUDA failure 100: no CUDA-capable device is detected"));
        assertNull(MissingLibrary.library(null));
    }

    @Test
    void saysWhatTheLibraryBelongsTo() {
        assertEquals("TensorRT 10", MissingLibrary.owner("libnvinfer.so.10"));
        assertEquals("TensorRT 8", MissingLibrary.owner("libnvonnxparser.so.8"));
        assertEquals("the CUDA 12 runtime", MissingLibrary.owner("libcublasLt.so.12"));
        assertEquals("cuDNN 9", MissingLibrary.owner("libcudnn.so.9"));
        assertEquals("the NVIDIA driver", MissingLibrary.owner("libcuda.so.1"));
        assertEquals("a native dependency", MissingLibrary.owner("libfoo.so"));
    }

    @Test
    void oneLineWithWhatIsMissingAndHowToGetIt() {
        assertEquals("engine 'x': provider cannot load: libcublas.so.12 not found (the CUDA 12 runtime); it needs TensorRT 10; "
                + MissingLibrary.HOW, MissingLibrary.reason("engine 'x': provider cannot load", ORT_NO_CUDA, "TensorRT 10"));
        assertEquals("engine 'x': boom: first; it needs T; " + MissingLibrary.HOW,
                MissingLibrary.reason("engine 'x': boom", " first\nsecond", "T"));
    }
}
