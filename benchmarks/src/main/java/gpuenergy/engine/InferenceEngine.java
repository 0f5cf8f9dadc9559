package gpuenergy.engine;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.ZooModel;

import java.util.Map;

/**
 * One way to run a model: which artifact it loads, on which DJL engine, with what input precision.
 *
 * <p>An adapter is small on purpose: the benchmark does everything else (input once per trial, one
 * batch per invocation, waiting for the device). A new engine (e.g. TensorRT FP16) is one more
 * implementation added to {@link Engines}.
 */
public interface InferenceEngine {

    /** Name accepted by {@code -p engine=}, e.g. {@code pytorch-fp16}. */
    String name();

    /** Key of this engine's artifact in the export record ({@code <model>.json "artifacts"}), e.g. {@code opt-fp16}. */
    String artifactFormat();

    /** File name of this engine's artifact for a catalog model, e.g. {@code resnet50-opt-fp16.pt}. */
    default String artifactFile(String model) {
        return model + "-" + artifactFormat() + ".pt";
    }

    /** Precision of weights and input: {@code fp32} or {@code fp16}. */
    String precision();

    /**
     * Resolves {@code -p device=} (auto|cpu|gpu|gpu:N) to the device this engine will run on.
     *
     * @throws NotRunException when the value is not accepted or this machine cannot run the engine there
     */
    Device device(String spec);

    /** Loads the artifact (a file path or a URL DJL's Criteria accepts) onto the device. */
    ZooModel<NDList, NDList> load(String location, Device device);

    /** Random input in [0, 1) of this engine's precision on the manager's device (never zeros). */
    NDArray randomInput(NDManager manager, Shape shape);

    /** What the result's environment records about this engine on this device (precision, tf32, runtime ...). */
    Map<String, String> describe(Device device);
}
