package gpuenergy.engine.tensorrt;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.AbstractSymbolBlock;
import ai.djl.nn.ParameterList;
import ai.djl.onnxruntime.engine.OrtNDManager;
import ai.djl.onnxruntime.engine.OrtSymbolBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.providers.OrtTensorRTProviderOptions;
import gpuenergy.engine.NotRunException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * An ONNX Runtime session on the TensorRT provider, created for the shape of the first batch it sees.
 *
 * <p>Why on the first batch: the TensorRT engine is built for one input shape (its optimization profile), and
 * {@code InferenceEngine.load} does not know the batch size. The benchmark runs one batch in its setup (the probe),
 * so the engine build (seconds to minutes, or a cache hit) happens there, before warm-up and measurement. A batch of
 * another shape builds a new session; the benchmark never sends one.
 */
final class TrtSessionBlock extends AbstractSymbolBlock implements AutoCloseable {
    private final Path onnx;
    private final OnnxFiles.Input input;
    private final int deviceId;
    private final Path cacheDir;
    private final OrtNDManager manager;

    private OrtSession.SessionOptions options;
    private OrtSymbolBlock session;
    private InputShape builtFor;

    private record InputShape(long[] dims) {
        @Override
        public boolean equals(Object o) {
            return o instanceof InputShape s && Arrays.equals(dims, s.dims);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(dims);
        }
    }

    TrtSessionBlock(Path onnx, OnnxFiles.Input input, int deviceId, Path cacheDir, OrtNDManager manager) {
        this.onnx = onnx;
        this.input = input;
        this.deviceId = deviceId;
        this.cacheDir = cacheDir;
        this.manager = manager;
        manager.attachInternal(NDManager.nextUid(), this); // closed with the model
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        InputShape shape = new InputShape(inputs.head().getShape().getShape());
        if (!shape.equals(builtFor)) {
            build(shape.dims());
            builtFor = shape;
        }
        return session.forward(store, inputs, training, params);
    }

    private void build(long[] shape) {
        close();
        boolean verbose = Boolean.getBoolean("gpuenergy.trt.verbose");
        TrtOptions trt = new TrtOptions(deviceId, input.name(), shape, cacheDir, verbose);
        long start = System.nanoTime();
        try {
            Files.createDirectories(cacheDir);
            options = new OrtSession.SessionOptions();
            options.addConfigEntry(TrtOptions.DISABLE_CPU_FALLBACK, "1");
            if (verbose) {
                options.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_VERBOSE); // lists the node placements
            }
            OrtTensorRTProviderOptions provider = new OrtTensorRTProviderOptions(deviceId);
            for (Map.Entry<String, String> e : trt.providerOptions().entrySet()) {
                provider.add(e.getKey(), e.getValue());
            }
            options.addTensorrt(provider); // the only provider: no CUDA, and no CPU (disabled above)
            session = new OrtSymbolBlock(OnnxFiles.environment().createSession(onnx.toString(), options), manager);
        } catch (OrtException | java.io.IOException e) {
            close();
            throw NotRunException.error(failure(onnx, shape, e.getMessage()));
        }
        System.out.printf("# TensorRT FP16 engine for %s, input %s, ready in %.1f s (engine cache %s)%n",
                onnx.getFileName(), Arrays.toString(shape), (System.nanoTime() - start) / 1e9, cacheDir);
    }

    /** One line for a session ONNX Runtime refused to create. */
    static String failure(Path onnx, long[] shape, String message) {
        String what = "engine '" + TensorRtFp16Engine.NAME + "' cannot load " + onnx.getFileName() + " for input " + Arrays.toString(shape);
        if (message != null && message.contains("fallback to CPU EP has been explicitly disabled")) {
            return what + ": TensorRT does not take every node (ONNX Runtime assigned some to its CPU provider, and CPU "
                    + "fallback is refused); rerun with -Dgpuenergy.trt.verbose=true to have ONNX Runtime list the node "
                    + "placements on stderr";
        }
        if (MissingLibrary.library(message) != null) {
            return MissingLibrary.reason(what, message, TensorRtFp16Engine.NEEDS);
        }
        return what + ": " + MissingLibrary.firstLine(message);
    }

    @Override
    public void close() {
        if (session != null) {
            session.close();
            session = null;
        }
        if (options != null) {
            options.close();
            options = null;
        }
        builtFor = null;
    }

    @Override
    public ParameterList getDirectParameters() {
        return new ParameterList();
    }
}
