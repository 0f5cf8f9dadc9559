package gpuenergy.engine.tensorrt;

import ai.djl.Device;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;
import gpuenergy.engine.Engines;
import gpuenergy.engine.InferenceEngine;
import gpuenergy.engine.Libtorch;
import gpuenergy.engine.NotRunException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The -Ptensorrt build on a machine without TensorRT (every machine of this project but a TensorRT one): both
 * engines are registered, and each stops with one line naming the missing native library. The lines were read on a
 * machine without CUDA: ONNX Runtime 1.22's TensorRT provider misses libcublas.so.12 first, DJL's TensorRT JNI misses
 * TensorRT 8's libnvonnxparser.so.8.
 */
class TensorRtEnginesTest {
    @TempDir
    Path dir;

    @Test
    void bothEnginesAreRegisteredAndListed() {
        assertInstanceOf(TensorRtFp16Engine.class, Engines.byName("tensorrt-fp16"));
        assertInstanceOf(DjlTensorRtEngine.class, Engines.byName("tensorrt-djl-fp16"));
        NotRunException e = assertThrows(NotRunException.class, () -> Engines.byName("tensorflow"));
        assertEquals("unknown engine 'tensorflow'; accepted: pytorch-fp32, pytorch-fp16, pytorch-opt-fp32, pytorch-opt-fp16, "
                + "tensorrt-fp16, tensorrt-djl-fp16", e.getMessage());
        InferenceEngine trt = Engines.byName("tensorrt-fp16");
        assertEquals("onnx", trt.artifactFormat());
        assertEquals("resnet50.onnx", trt.artifactFile("resnet50"));
        assertEquals("fp16", trt.precision());
    }

    @Test
    void onnxRuntimeTensorRtProviderMissingIsOneLine() {
        String problem = TensorRtFp16Engine.probeProvider();
        assumeTrue(problem != null, "ONNX Runtime's TensorRT provider loads here: the GPU check in docs/tensorrt.md applies");
        NotRunException e = assertThrows(NotRunException.class, () -> Engines.byName("tensorrt-fp16").device("auto"));
        assertEquals(NotRunException.Kind.UNAVAILABLE, e.kind());
        assertTrue(e.getMessage().startsWith("engine 'tensorrt-fp16': ONNX Runtime's TensorRT provider cannot load: lib"), e.getMessage());
        assertTrue(e.getMessage().contains(" not found ("), e.getMessage());
        assertTrue(e.getMessage().contains("TensorRT 10.9 (libnvinfer.so.10)"), e.getMessage());
        assertTrue(e.getMessage().contains(": libcublas.so.12 not found (the CUDA 12 runtime)") || Libtorch.nvidiaGpuPresent(), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), e.getMessage());
        NotRunException cpu = assertThrows(NotRunException.class, () -> Engines.byName("tensorrt-fp16").device("cpu"));
        assertEquals(NotRunException.Kind.UNAVAILABLE, cpu.kind());
    }

    @Test
    void djlTensorRtEngineMissingIsOneLine() {
        String problem = DjlTensorRtEngine.probeEngine();
        assumeTrue(problem != null, "DJL's TensorRT engine loads here: the GPU check in docs/tensorrt.md applies");
        NotRunException e = assertThrows(NotRunException.class, () -> Engines.byName("tensorrt-djl-fp16").device("gpu:0"));
        assertEquals(NotRunException.Kind.UNAVAILABLE, e.kind());
        // the JNI library loads (DJL 0.33.0's engine links against api 0.35.1) and then misses TensorRT 8
        assertTrue(e.getMessage().startsWith("engine 'tensorrt-djl-fp16': DJL's TensorRT engine cannot load: libnv"), e.getMessage());
        assertTrue(e.getMessage().contains(".so.8 not found (TensorRT 8)"), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), e.getMessage());
    }

    /** load() works without TensorRT; the session is built on the first batch, where the missing library stops it. */
    @Test
    void tensorRtFp16BuildsOnTheFirstBatchAndFailsThereInOneLine() throws Exception {
        assumeTrue(TensorRtFp16Engine.probeProvider() != null, "TensorRT present");
        Path onnx = copyTinyCnn();
        InferenceEngine trt = Engines.byName("tensorrt-fp16");
        try (ZooModel<NDList, NDList> model = trt.load(onnx.toString(), Device.gpu(0));
             Predictor<NDList, NDList> predictor = model.newPredictor();
             NDManager host = model.getNDManager().newSubManager(Device.cpu())) {
            NDList input = new NDList(trt.randomInput(host, new Shape(2, 3, 8, 8)));
            TranslateException e = assertThrows(TranslateException.class, () -> predictor.predict(input));
            String line = NotRunException.firstLine(e);
            assertTrue(line.startsWith("engine 'tensorrt-fp16' cannot load tiny_cnn.onnx for input [2, 3, 8, 8]: "), line);
            assertTrue(line.contains(" not found ("), line);
        }
        assertTrue(Files.isDirectory(dir.resolve("trt-cache")), "the engine cache directory is made beside the model");
    }

    /** The fixed-batch copy is written on the first batch; DJL's TensorRT engine then fails to load, in one line. */
    @Test
    void djlTensorRtWritesTheFixedBatchModelThenFailsInOneLine() throws Exception {
        assumeTrue(DjlTensorRtEngine.probeEngine() != null, "TensorRT 8 present");
        Path onnx = copyTinyCnn();
        InferenceEngine trt = Engines.byName("tensorrt-djl-fp16");
        try (ZooModel<NDList, NDList> model = trt.load(onnx.toString(), Device.gpu(0));
             Predictor<NDList, NDList> predictor = model.newPredictor();
             NDManager host = model.getNDManager().newSubManager(Device.cpu())) {
            NDList input = new NDList(trt.randomInput(host, new Shape(2, 3, 8, 8)));
            TranslateException e = assertThrows(TranslateException.class, () -> predictor.predict(input));
            String line = NotRunException.firstLine(e);
            assertTrue(line.startsWith("engine 'tensorrt-djl-fp16': DJL's TensorRT engine cannot load: libnv"), line);
        }
        try (var files = Files.walk(dir.resolve("trt-cache"))) {
            Path fixed = files.filter(p -> p.getFileName().toString().equals("tiny_cnn-b2.onnx")).findFirst().orElseThrow();
            assertEquals(2, OnnxFiles.input(fixed).shape()[0]);
        }
    }

    private Path copyTinyCnn() throws Exception {
        Path onnx = dir.resolve("tiny_cnn.onnx");
        Files.copy(OnnxFilesTest.tinyCnn(), onnx);
        System.setProperty("gpuenergy.trt.cache", ""); // default: beside the model
        return onnx;
    }
}
