package gpuenergy.engine;

import java.util.Map;

/** A model loaded on its device with one input batch: what a benchmark trial runs. */
public interface EngineSession extends AutoCloseable {

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
