package gpuenergy.engine.tensorrt;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.AbstractSymbolBlock;
import ai.djl.nn.ParameterList;
import ai.djl.training.ParameterStore;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import ai.djl.util.PairList;
import gpuenergy.engine.NotRunException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * DJL's TensorRT engine behind a block that builds it for the batch size of the first batch it sees (DJL's
 * TensorRT builder needs a fixed batch size). Returns copies of the outputs: DJL's TensorRT session hands back its
 * bound output buffers, which the next batch overwrites and which the caller must not close.
 */
final class DjlTrtBlock extends AbstractSymbolBlock implements AutoCloseable {
    private final Path onnx;
    private final OnnxFiles.Input input;
    private final Device device;
    private final Path dir;

    private Model trtModel;
    private Predictor<NDList, NDList> predictor;
    private long builtFor = -1;

    DjlTrtBlock(Path onnx, OnnxFiles.Input input, Device device, Path dir, NDManager manager) {
        this.onnx = onnx;
        this.input = input;
        this.device = device;
        this.dir = dir;
        manager.attachInternal(NDManager.nextUid(), this); // closed with the model
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        long batch = inputs.head().getShape().get(0);
        if (batch != builtFor) {
            build(batch);
            builtFor = batch;
        }
        NDList out;
        try {
            out = predictor.predict(inputs);
        } catch (TranslateException e) {
            throw NotRunException.error("engine '" + DjlTensorRtEngine.NAME + "': " + NotRunException.firstLine(e));
        }
        NDManager target = inputs.head().getManager();
        NDList copies = new NDList(out.size());
        for (NDArray a : out) {
            copies.add(target.create(a.toByteBuffer(), a.getShape(), a.getDataType()));
        }
        return copies;
    }

    private void build(long batch) {
        close();
        String stem = onnx.getFileName().toString().replaceFirst("\\.onnx$", "");
        Path fixed = OnnxFiles.fixedBatch(onnx, input, batch, dir.resolve(stem + "-b" + batch + ".onnx"));
        String problem = DjlTensorRtEngine.probeEngine();
        if (problem != null) {
            throw NotRunException.unavailable(problem);
        }
        long start = System.nanoTime();
        try {
            trtModel = Model.newInstance(stem, device, "TensorRT");
            trtModel.load(fixed, null, Map.of("fp16", "true"));
            predictor = trtModel.newPredictor(new NoopTranslator());
        } catch (IOException | MalformedModelException | RuntimeException | LinkageError e) {
            close();
            throw NotRunException.error("engine '" + DjlTensorRtEngine.NAME + "' cannot build " + fixed.getFileName() + ": "
                    + NotRunException.firstLine(e));
        }
        System.out.printf("# DJL TensorRT FP16 engine for %s ready in %.1f s%n", fixed.getFileName(), (System.nanoTime() - start) / 1e9);
    }

    @Override
    public void close() {
        if (predictor != null) {
            predictor.close();
            predictor = null;
        }
        if (trtModel != null) {
            trtModel.close();
            trtModel = null;
        }
        builtFor = -1;
    }

    @Override
    public ParameterList getDirectParameters() {
        return new ParameterList();
    }
}
