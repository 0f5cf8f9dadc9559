package gpuenergy.engine.tensorrt;

import gpuenergy.engine.NotRunException;
import gpuenergy.options.SuiteSetting;
import gpuenergy.results.Lines;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.tensorrt.global.nvinfer;
import org.bytedeco.tensorrt.global.nvonnxparser;
import org.bytedeco.tensorrt.nvinfer.Dims64;
import org.bytedeco.tensorrt.nvinfer.IBuilder;
import org.bytedeco.tensorrt.nvinfer.IBuilderConfig;
import org.bytedeco.tensorrt.nvinfer.IHostMemory;
import org.bytedeco.tensorrt.nvinfer.ILogger;
import org.bytedeco.tensorrt.nvinfer.INetworkDefinition;
import org.bytedeco.tensorrt.nvinfer.IOptimizationProfile;
import org.bytedeco.tensorrt.nvinfer.ITensor;
import org.bytedeco.tensorrt.nvonnxparser.IParser;
import org.bytedeco.tensorrt.nvonnxparser.IParserError;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a TensorRT engine from an FP32 ONNX file for exactly one input shape (batch x C x H x W: one optimization
 * profile with min = opt = max), with the builder's FP16 flag: TensorRT then picks FP16 kernels wherever it can and
 * keeps FP32 where a layer needs it ("weakly typed", as Torch-TensorRT's enabled_precisions={fp16} does). The input
 * and output stay FP32.
 */
final class EngineBuilder {
    private EngineBuilder() {}

    /** What a build depends on besides the model, the shape and the GPU: part of the engine cache's key. */
    record Options(int optimizationLevel) {
        /** TensorRT's default optimization level is 3; -Dgpuenergy.tensorrt.optimizationLevel=0..5 changes it. */
        static Options fromSystemProperties() {
            SuiteSetting level = SuiteSetting.TENSORRT_OPTIMIZATION_LEVEL;
            String v = level.value() == null ? "3" : level.value();
            if (!level.accepts(v)) {
                throw NotRunException.error(level.notAccepted(v));
            }
            return new Options(Integer.parseInt(v.strip()));
        }

        Map<String, String> describe() {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("flags", "kFP16");
            m.put("optimization_level", String.valueOf(optimizationLevel));
            return m;
        }
    }

    /**
     * The serialized engine: a view of TensorRT's host memory, valid for the rest of this process.
     *
     * @throws EngineCache.DeterministicFailure one line the model and the key decide: the node TensorRT cannot parse, an
     *                                          input that is not the export record's, an engine over 2 GiB
     * @throws NotRunException                  one line for a failure that may pass: a builder object TensorRT cannot
     *                                          create, TensorRT's error for a failed parse or build that ran out of device
     *                                          memory (did-not-fit; for a build, its warnings may say so,
     *                                          {@link TrtFailure#ofBuild}), or for another failed build
     */
    static ByteBuffer build(Path onnx, long[] chw, int batch, Options options, String prefix) {
        TrtLogger log = TrtLogger.INSTANCE;
        int mark = log.mark();
        IBuilder builder = TrtFailure.created(nvinfer.createInferBuilder(log), prefix, "createInferBuilder", "a builder on this GPU",
                log.errorsSince(mark));
        INetworkDefinition network = TrtFailure.created(builder.createNetworkV2(0), prefix, "createNetworkV2", "a network definition",
                log.errorsSince(mark));
        IParser parser = TrtFailure.created(nvonnxparser.createParser(network, log), prefix, "createParser", "an ONNX parser",
                log.errorsSince(mark));
        if (!parser.parseFromFile(onnx.toString(), ILogger.Severity.kWARNING.value)) {
            throw parseFailure(prefix, onnx, parseError(onnx, parser), log.errorsSince(mark));
        }
        if (network.getNbInputs() != 1) {
            throw refused(prefix + onnx + " has " + network.getNbInputs() + " inputs; the engine feeds one image batch");
        }
        ITensor input = network.getInput(0);
        Dims64 dims = input.getDimensions();
        long[] expected = {batch, chw[0], chw[1], chw[2]};
        if (dims.nbDims() != 4) {
            throw refused(prefix + onnx + "'s input '" + input.getName() + "' has " + dims.nbDims()
                    + " dimensions; expected 4 (batch, C, H, W)");
        }
        for (int i = 1; i < 4; i++) {
            if (dims.d(i) != -1 && dims.d(i) != expected[i]) {
                throw refused(prefix + onnx + "'s input '" + input.getName() + "' is " + shape(dims) + ", not N x "
                        + chw[0] + " x " + chw[1] + " x " + chw[2] + " as its export record says");
            }
        }
        if (dims.d(0) != -1 && dims.d(0) != batch) {
            throw refused(prefix + onnx + " has a fixed batch of " + dims.d(0) + "; export it with a dynamic batch axis "
                    + "(tools/export_models.py does)");
        }
        Dims64 shape = new Dims64().nbDims(4);
        for (int i = 0; i < 4; i++) {
            shape.d(i, expected[i]);
        }
        IOptimizationProfile profile = TrtFailure.created(builder.createOptimizationProfile(), prefix, "createOptimizationProfile",
                "an optimization profile", log.errorsSince(mark));
        profile.setDimensions(input.getName(), nvinfer.OptProfileSelector.kMIN, shape);
        profile.setDimensions(input.getName(), nvinfer.OptProfileSelector.kOPT, shape);
        profile.setDimensions(input.getName(), nvinfer.OptProfileSelector.kMAX, shape);
        IBuilderConfig config = TrtFailure.created(builder.createBuilderConfig(), prefix, "createBuilderConfig", "a builder configuration",
                log.errorsSince(mark));
        config.setFlag(nvinfer.BuilderFlag.kFP16);
        config.setBuilderOptimizationLevel(options.optimizationLevel());
        config.addOptimizationProfile(profile);
        IHostMemory plan = builder.buildSerializedNetwork(network, config);
        if (plan == null || plan.isNull() || plan.size() == 0) {
            // not recorded: without a workspace limit, whether TensorRT finds a way to build a layer depends on the device
            // memory free at the moment (another process's, too); its warnings say so where memory was short (ofBuild)
            throw TrtFailure.ofBuild(prefix, "TensorRT could not build an engine for batch " + batch, log.errorsSince(mark),
                    log.warningsSince(mark));
        }
        if (plan.size() > Integer.MAX_VALUE) {
            throw refused(prefix + "the engine for batch " + batch + " is " + plan.size() + " bytes; engines over 2 GiB are not supported");
        }
        return new BytePointer(plan.data()).capacity(plan.size()).asByteBuffer();
    }

    /**
     * A failed parse ({@code parseError}, the parser's line): the model's, which the engine cache records for the key
     * ({@link #refused}), unless TensorRT's logged {@code errors} say the device's memory ran out, which is the GPU's at
     * this moment, not the key's: did-not-fit for this trial, recorded nowhere, as a failed build is.
     */
    static RuntimeException parseFailure(String prefix, Path onnx, String parseError, List<String> errors) {
        return TrtFailure.outOfMemory(errors) ? TrtFailure.of(prefix, "TensorRT cannot parse " + onnx, errors) : refused(prefix + parseError);
    }

    /** A refusal of the model as it is, at this key: the same build fails alike, so the engine cache records it. */
    private static EngineCache.DeterministicFailure refused(String message) {
        return new EngineCache.DeterministicFailure(NotRunException.error(message));
    }

    /** The first parser error, naming the node and its operator when the parser says which. */
    static String parseError(Path onnx, IParser parser) {
        int n = parser.getNbErrors();
        if (n == 0) {
            return "TensorRT cannot parse " + onnx + " (the ONNX parser gave no reason)";
        }
        IParserError e = parser.getError(0);
        return parseErrorLine(onnx, e.node(), e.nodeName(), e.nodeOperator(), e.desc(), n);
    }

    static String parseErrorLine(Path onnx, int node, String nodeName, String operator, String description, int errors) {
        String where = node < 0 ? "" : " at node " + node + (nodeName == null || nodeName.isEmpty() ? "" : " '" + nodeName + "'")
                + (operator == null || operator.isEmpty() ? "" : " (" + operator + ")");
        return "TensorRT cannot parse " + onnx + where + ": " + Lines.firstLine(description)
                + (errors > 1 ? " (" + (errors - 1) + " more parser error" + (errors > 2 ? "s" : "") + ")" : "");
    }

    static String shape(Dims64 d) {
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < d.nbDims(); i++) {
            s.append(i == 0 ? "" : ", ").append(d.d(i));
        }
        return s.append(']').toString();
    }
}
