package gpuenergy.engine;

import java.util.Map;

/** A model loaded on its device with one input batch: what a benchmark trial runs. */
public interface EngineSession extends AutoCloseable {

    /**
     * Environment keys of engines that build a device-specific engine before measuring: whether it came from their
     * cache ({@code hit}, {@code miss}, or {@code rebuilt (why)}) and the seconds its build took (when it was built,
     * in this trial or earlier). The sweep's time prediction reads them.
     */
    String ENGINE_CACHE = "engine.cache";
    String BUILD_SECONDS = "engine.build_seconds";

    /**
     * The hot path: runs one batch on the trial's input and returns once the device has finished it, with the
     * output copied to the host. Kernels are launched asynchronously: the blocking copy of the output is what makes
     * the measured time contain the kernels, not just their launch. The result is for JMH's Blackhole.
     */
    Object runBatch();

    /** What the result's environment records about this trial (device, precision, runtime, output shape ...). */
    Map<String, String> environment();

    /** One line printed before the trial: runtime, device and precision. */
    String summary();

    /** Frees the device memory and the model; safe to call twice. */
    @Override
    void close();
}
