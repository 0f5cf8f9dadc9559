package gpuenergy.bench;

import gpuenergy.engine.Artifact;
import gpuenergy.engine.EndWithParent;
import gpuenergy.engine.EngineSession;
import gpuenergy.engine.Engines;
import gpuenergy.engine.InferenceEngine;
import gpuenergy.engine.ModelResolver;
import gpuenergy.engine.NotRunException;
import gpuenergy.profile.EnvironmentKeys;
import gpuenergy.profile.MeasuredWork;
import gpuenergy.results.ParamNames;
import gpuenergy.results.TrialRecords;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One batch of synthetic images through a vision model: score = batches/s (img/s = score x batchSize).
 *
 * <p>Timing budget of the defaults: the default suite (2 engines x 2 batch sizes) finishes in under 3 minutes
 * on a 2-core CPU-only machine, where the two FP16 benchmarks stop at setup. Warm-up (3 x 4 s) covers the
 * TorchScript profiling executor (it specialises the graph on the 2nd call) and cuDNN's benchmark-mode
 * autotuning (once per input shape, on the first call). The measurement (5 x 5 s = 25 s) holds the reference
 * paper's minimum of 13 batches and 10 s whenever one batch takes under ~1.9 s; slower batches need -i/-r.
 *
 * <p>JMH names each parameter by its @Param field: the fields' names are the result's parameter names, which readers
 * name through {@link gpuenergy.results.ParamNames}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 4)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgsAppend = {"-Dai.djl.pytorch.cudnn_benchmark=true", "-Xms1g", "-Xmx4g"})
public class InferenceBenchmark {

    /** A model name (models dir or embedded), a model file, or a URL; see ModelResolver. */
    @Param(ModelResolver.EMBEDDED_MODEL)
    public String model;

    /** See gpuenergy.engine.Engines. */
    @Param({"pytorch-fp32", "pytorch-fp16"})
    public String engine;

    /** Images per batch. A String, so that a bad value gets this suite's one-line message, not JMH's stack trace. */
    @Param({"1", "8"})
    public String batchSize;

    /**
     * auto (the engine's GPU when there is one, else the CPU where the engine runs there) | cpu | gpu | gpu:N, as
     * {@link gpuenergy.profile.DeviceSpec} reads it.
     */
    @Param("auto")
    public String device;

    private EngineSession session;

    @Setup(Level.Trial)
    public void setup(BenchmarkParams params) {
        EndWithParent.watchInJmhFork(); // a fork whose launcher or sweep is killed frees the GPU at once
        try {
            TrialRecords.environment(params, open());
        } catch (NotRunException e) {
            TrialRecords.notRun(params, e.kind(), e.getMessage());
            tearDown();
            throw e;
        } catch (RuntimeException | OutOfMemoryError e) {
            // an OutOfMemoryError is a limit of the run (the heap, direct buffers, JavaCPP's limits: OutOfMemory.verdict
            // names the setting) or the host's memory for the batch, never a bug whose stack trace says where: one line
            // like the rest. Other Errors (a StackOverflowError, a linkage error) say nothing without their trace
            NotRunException n = NotRunException.from("model '" + model + "', engine '" + engine + "': ", e);
            TrialRecords.notRun(params, n.kind(), n.getMessage());
            tearDown();
            throw n;
        }
    }

    /** Loads the model and makes the input; returns what the result's environment records about this trial. */
    Map<String, String> open() {
        // before the engine allocates anything: its buffers then come from the heap alike in every fork
        String malloc = GlibcMalloc.fixThresholds();
        int batch = parseBatchSize(batchSize);
        InferenceEngine eng = Engines.byName(engine);
        eng.checkDevice(device);
        Artifact artifact = ModelResolver.resolve(model, eng);
        artifact.requireChecked(model, eng);
        artifact.verifyContent();
        session = eng.open(artifact, device, batch);

        Map<String, String> env = new LinkedHashMap<>(session.environment());
        env.put(EnvironmentKeys.MALLOC, malloc);
        env.putAll(artifact.describe());
        System.out.println(System.lineSeparator() + "# " + session.summary() + ", numerics "
                + (artifact.checked() ? "checked" : "UNCHECKED") + ", model " + artifact.location());
        return env;
    }

    /** The trial's session: tests look inside it. */
    EngineSession session() {
        return session;
    }

    /**
     * Refuses the values no machine accepts, with the line a trial records for them (a NotRunException, kind error): the
     * batch size, the engine's name and the device's grammar, which {@link #open} checks first. What depends on the
     * machine (whether it has the device, the model as the forks resolve it) only a trial can tell.
     */
    public static void refuseUnaccepted(Map<String, String> params) {
        parseBatchSize(params.get(ParamNames.BATCH_SIZE));
        Engines.byName(params.get(ParamNames.ENGINE));
        InferenceEngine.device(params.get(ParamNames.DEVICE));
    }

    static int parseBatchSize(String value) {
        try {
            int b = Integer.parseInt(value.strip());
            if (b > 0 && !value.strip().equals(Integer.toString(b))) {
                // results, compare and report name a batch size by the value as given: -p batchSize=1,01 would measure
                // batch 1 twice, as two benchmarks
                throw NotRunException.error("batchSize '" + value + "' is not accepted; write it " + b + ", as results name it");
            }
            if (b > 0) {
                return b;
            }
        } catch (NumberFormatException ignored) {
            if (value.strip().matches("\\+?[0-9]+")) {
                // a positive integer all the same: saying a positive integer is accepted would refuse it with its own rule
                throw NotRunException.error("batchSize '" + value + "' is not accepted; accepted: a positive integer up to "
                        + Integer.MAX_VALUE);
            }
        }
        throw NotRunException.error("batchSize '" + value + "' is not accepted; accepted: a positive integer (1, 2, 8, 256 ...)");
    }

    /** One batch, returned once the device has finished it; JMH consumes the returned object. */
    @Benchmark
    public Object infer() {
        return session.runBatch();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        MeasuredWork.ended(); // JMH runs this inside the last measured window: the energy window ends here
        EngineSession held = session;
        session = null;
        closeSaying(held, System.err);
    }

    /**
     * Closes a trial's session, saying a failed release in one line instead of throwing it: JMH runs this teardown
     * inside the last measured iteration, and a teardown that throws turns the trial's measured windows into a failure,
     * as does a setup's original failure that a throwing teardown would replace.
     */
    static void closeSaying(EngineSession session, PrintStream err) {
        if (session == null) {
            return;
        }
        try {
            session.close();
        } catch (RuntimeException e) {
            err.println("engine: releasing the session failed (" + e.getMessage() + "); the trial's results stand");
        }
    }
}
