package gpuenergy.engine;

import gpuenergy.engine.tensorrt.TensorRtEngine;

import java.util.LinkedHashMap;
import java.util.Map;

/** The engines {@code -p engine=} accepts. */
public final class Engines {
    private static final Map<String, InferenceEngine> BY_NAME = new LinkedHashMap<>();

    static {
        add(PyTorchEngine.fp32());
        add(PyTorchEngine.fp16());
        add(PyTorchEngine.optFp32());
        add(PyTorchEngine.optFp16());
        add(new TensorRtEngine());
    }

    private Engines() {}

    private static void add(InferenceEngine engine) {
        BY_NAME.put(engine.name(), engine);
    }

    public static String accepted() {
        return String.join(", ", BY_NAME.keySet());
    }

    public static InferenceEngine byName(String name) {
        InferenceEngine engine = BY_NAME.get(name);
        if (engine == null) {
            throw NotRunException.error("unknown engine '" + name + "'; accepted: " + accepted());
        }
        return engine;
    }
}
