package gpuenergy.engine.tensorrt;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.onnxruntime.engine.OrtNDManager;
import ai.djl.onnxruntime.engine.OrtSymbolBlock;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import ai.onnxruntime.OrtSession;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The DJL glue tensorrt-fp16 uses (an ONNX Runtime session set as the block of a DJL OnnxRuntime model, host input
 * from that model's manager) driven the way InferenceBenchmark drives an engine, on ONNX Runtime's CPU provider:
 * what this checks is the glue, not TensorRT, and it measures nothing.
 */
class OrtDjlGlueTest {
    @Test
    void predictsThroughTheBenchmarksPath() throws Exception {
        OnnxFiles.environment();
        Model model = Model.newInstance("tiny_cnn", Device.cpu(), "OnnxRuntime");
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
             ZooModel<NDList, NDList> zoo = new ZooModel<>(model, new NoopTranslator())) {
            OrtSession session = ai.onnxruntime.OrtEnvironment.getEnvironment()
                    .createSession(OnnxFilesTest.tinyCnn().toString(), options);
            model.setBlock(new OrtSymbolBlock(session, (OrtNDManager) model.getNDManager()));
            try (Predictor<NDList, NDList> predictor = zoo.newPredictor();
                 NDManager manager = zoo.getNDManager().newSubManager(Device.cpu())) {
                NDList input;
                try (NDManager onDevice = zoo.getNDManager().newSubManager(Device.cpu())) {
                    input = new NDList(OnnxFiles.randomFloat32(onDevice, new Shape(3, 3, 8, 8)));
                    input.attach(manager);
                }
                float[] x = input.head().toFloatArray();
                assertTrue(x[0] >= 0 && x[0] < 1 && x[0] != x[1], "random in [0, 1)");
                for (int i = 0; i < 3; i++) {
                    NDList out = predictor.predict(input);
                    try (NDArray host = out.head().toDevice(Device.cpu(), true)) {
                        assertEquals(new Shape(3, 5), host.getShape());
                        assertEquals(DataType.FLOAT32, host.getDataType());
                    } finally {
                        out.close();
                    }
                }
            }
        }
    }
}
