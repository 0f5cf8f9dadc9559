package gpuenergy.engine;

import gpuenergy.profile.DeviceSpec;

/**
 * One way to run a model: which artifact it loads, on which runtime, at what precision.
 *
 * <p>An adapter is small on purpose: it checks the machine, loads the artifact with a random input batch on the
 * device ({@link #open}), and runs one batch at a time ({@link EngineSession#runBatch}). The benchmark does
 * everything else. {@link Engines} lists the accepted names.
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

    /** Precision the engine computes in: {@code fp32} or {@code fp16}. */
    String precision();

    /**
     * Seconds a trial may spend before measuring on building a device-specific engine when none is cached (the
     * longest build measured), for the sweep's time prediction; 0 for an engine that builds nothing.
     */
    default double buildSecondsWhenUncached() {
        return 0;
    }

    /**
     * Checks, before any model is resolved, that this machine can run the engine on {@code -p device=} (auto | cpu |
     * gpu | gpu:N): a machine that cannot is told so first, not that a model file is missing.
     *
     * @throws NotRunException (unavailable) naming what is missing, or (error) for a value that is not accepted
     */
    void checkDevice(String deviceSpec);

    /**
     * Loads the artifact onto the device and makes one input batch there, uniform random values in [0, 1) (never
     * zeros). Everything slow (model load, engine builds, autotuning probes) happens here, never in
     * {@link EngineSession#runBatch}.
     *
     * @throws NotRunException with one line when the model cannot run (did-not-fit when the batch does not fit)
     */
    EngineSession open(Artifact artifact, String deviceSpec, int batchSize);

    /**
     * {@code -p device=} as {@link DeviceSpec} reads it, for every engine alike: a value outside its grammar is a
     * NotRunException (error) with DeviceSpec's line, the line the energy profiler refuses it with.
     */
    static DeviceSpec device(String value) {
        try {
            return DeviceSpec.parse(value);
        } catch (IllegalArgumentException e) {
            throw NotRunException.error(e.getMessage());
        }
    }
}
