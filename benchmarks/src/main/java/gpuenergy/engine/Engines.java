package gpuenergy.engine;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * The engines {@code -p engine=} accepts: the PyTorch engines, plus those an opt-in build registers through
 * {@link ServiceLoader} (META-INF/services/gpuenergy.engine.InferenceEngine), e.g. the TensorRT engines of
 * {@code mvn -Ptensorrt package}.
 */
public final class Engines {
    private static final Map<String, InferenceEngine> BY_NAME = new LinkedHashMap<>();

    /** Engines of opt-in builds, named here so that a build without them says how to get them. */
    private static final Map<String, String> OPT_IN = Map.of(
            "tensorrt-fp16", "tensorrt", "tensorrt-djl-fp16", "tensorrt");

    /** Why a registered engine could not be instantiated (its build is broken), or null. */
    private static String brokenProvider;

    static {
        add(PyTorchEngine.fp32());
        add(PyTorchEngine.fp16());
        add(PyTorchEngine.optFp32());
        add(PyTorchEngine.optFp16());
        Iterator<InferenceEngine> registered = ServiceLoader.load(InferenceEngine.class).iterator();
        while (true) {
            try {
                if (!registered.hasNext()) {
                    break;
                }
                add(registered.next());
            } catch (ServiceConfigurationError e) {
                brokenProvider = NotRunException.firstLine(e);
            }
        }
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
        if (engine == null && OPT_IN.containsKey(name)) {
            throw NotRunException.unavailable("engine '" + name + "' is not in this build: build the jar with mvn -P"
                    + OPT_IN.get(name) + " package and run it on a machine with TensorRT (e.g. NVIDIA's TensorRT container); "
                    + "see docs/tensorrt.md" + (brokenProvider == null ? "" : " (a registered engine failed to load: " + brokenProvider + ")"));
        }
        if (engine == null) {
            throw NotRunException.error("unknown engine '" + name + "'; accepted: " + accepted());
        }
        return engine;
    }
}
