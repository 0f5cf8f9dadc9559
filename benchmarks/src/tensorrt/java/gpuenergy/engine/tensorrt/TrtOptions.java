package gpuenergy.engine.tensorrt;

import gpuenergy.engine.NotRunException;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * ONNX Runtime's TensorRT execution provider options for one input shape.
 *
 * <p>The optimization profile's min, opt and max shapes are all the benchmark's shape, so TensorRT builds one
 * engine for exactly the batch measured (a range would let it pick kernels for another batch size). The engine and
 * timing caches make the next load of the same model, shape, GPU and TensorRT skip the build (minutes for a large
 * model); ONNX Runtime names the cached engine after the model's hash, the profile and the GPU's compute capability.
 */
record TrtOptions(int deviceId, String inputName, long[] shape, Path cacheDir, boolean verbose) {

    /** ONNX Runtime fails session creation when a node would run on its CPU provider: no silent CPU fallback. */
    static final String DISABLE_CPU_FALLBACK = "session.disable_cpu_ep_fallback";

    TrtOptions {
        // the profile syntax is "name:dims,name:dims"; a name with ':' or ',' cannot be written in it
        if (inputName.contains(":") || inputName.contains(",")) {
            throw NotRunException.error("ONNX input name '" + inputName + "' contains ':' or ','; the TensorRT provider's "
                    + "profile shapes cannot name it; re-export the model with input_names=[\"input\"]");
        }
    }

    /** The provider options, in the order ONNX Runtime documents them. */
    Map<String, String> providerOptions() {
        StringBuilder dims = new StringBuilder(inputName).append(':');
        for (int i = 0; i < shape.length; i++) {
            dims.append(i == 0 ? "" : "x").append(shape[i]);
        }
        Map<String, String> m = new LinkedHashMap<>();
        m.put("device_id", String.valueOf(deviceId));
        m.put("trt_fp16_enable", "1");
        m.put("trt_engine_cache_enable", "1");
        m.put("trt_engine_cache_path", cacheDir.toString());
        m.put("trt_timing_cache_enable", "1");
        m.put("trt_timing_cache_path", cacheDir.toString());
        m.put("trt_profile_min_shapes", dims.toString());
        m.put("trt_profile_opt_shapes", dims.toString());
        m.put("trt_profile_max_shapes", dims.toString());
        if (verbose) {
            m.put("trt_detailed_build_log", "1");
        }
        return m;
    }
}
