package gpuenergy.engine;

import ai.djl.Device;
import ai.djl.engine.EngineException;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;
import gpuenergy.profile.EnvironmentKeys;

import java.util.LinkedHashMap;
import java.util.Map;

/** A TorchScript model on DJL's PyTorch engine with its input batch on the device. */
final class PyTorchSession implements EngineSession {
    private final Device device;
    private final String precision;
    private final Map<String, String> environment = new LinkedHashMap<>();
    private ZooModel<NDList, NDList> loaded;
    private Predictor<NDList, NDList> predictor;
    private NDManager manager;
    private NDList input;

    PyTorchSession(PyTorchEngine engine, Artifact artifact, Device device, int batch) {
        this.device = device;
        this.precision = engine.precision();
        try {
            loaded = engine.load(artifact.location(), device);
            // DJL's Model/Predictor split (NoopTranslator), as DJL's users call a model: its per-call context (a
            // sub-manager, under 1 KB) costs no measurable time against calling the block's forward directly
            predictor = loaded.newPredictor();
            long[] chw = artifact.inputShape();
            // The input lives on the device but is owned by a host (cpu) manager, and the outputs inherit
            // its manager: DJL 0.35.1's NDArray.toDevice(cpu) opens a new sub-manager, never closed, when
            // the array's manager is on another device - one leaked NDManager per batch for the whole run.
            manager = loaded.getNDManager().newSubManager(Device.cpu());
            try (NDManager onDevice = loaded.getNDManager().newSubManager(device)) {
                input = new NDList(engine.randomInput(onDevice, new Shape(batch, chw[0], chw[1], chw[2])));
                input.attach(manager);
            }
            environment.put(EnvironmentKeys.DEVICE, Libtorch.label(device));
            environment.putAll(engine.describe(device));
            environment.put(EnvironmentKeys.OUTPUT_SHAPE, probe(artifact, engine, batch));
        } catch (Throwable e) {
            // any failure, an OutOfMemoryError too (InferenceBenchmark.setup records it, and with -f 0 the next trial
            // runs in this VM): the model's weights and input are native memory, the device's on a GPU, which DJL's
            // finalizer frees only at some later collection of the Java heap, one the device's memory does not prompt
            Releases.closeAfter(e, this::close);
            throw e;
        }
    }

    /** One inference before measuring: a batch that does not fit fails here, with one line. */
    private String probe(Artifact artifact, PyTorchEngine engine, int batch) {
        try {
            NDList out = predictor.predict(input);
            try {
                return out.head().getShape().toString();
            } finally {
                out.close();
            }
        } catch (TranslateException | EngineException e) {
            throw NotRunException.from("model '" + artifact.location() + "', engine '" + engine.name() + "', batchSize " + batch + ": ", e);
        }
    }

    @Override
    public Object runBatch() {
        NDList out;
        try {
            out = predictor.predict(input);
        } catch (TranslateException e) {
            throw new IllegalStateException(e);
        }
        try {
            return waitForDevice(out.head());
        } finally {
            out.close();
        }
    }

    /**
     * Returns once the device has computed {@code out}. A blocking device-to-host copy on the same stream waits for
     * every kernel queued before it. The output (batch x classes) is small: copying all of it is one JNI call,
     * copying one element is two (index, copy) and measured no cheaper on the CPU. The CPU runs the same code
     * (there TorchScript has already finished) so that CPU tests exercise the GPU's hot path.
     */
    private static Object waitForDevice(NDArray out) {
        try (NDArray host = out.toDevice(Device.cpu(), true)) {
            return host; // the copy is done; reading its data type would be one more JNI call
        }
    }

    @Override
    public Map<String, String> environment() {
        return environment;
    }

    @Override
    public String summary() {
        return Libtorch.get() + "; device " + Libtorch.label(device) + ", " + precision;
    }

    /** The manager that owns every NDArray of this trial (model weights, input, outputs): tests count its resources. */
    NDManager modelManager() {
        return loaded.getNDManager();
    }

    @Override
    public void close() {
        // Close in reverse order of creation: input (on the device), its manager, the predictor, the model.
        Releases.all(() -> {
            if (input != null) {
                input.close();
                input = null;
            }
        }, () -> {
            if (manager != null) {
                manager.close();
                manager = null;
            }
        }, () -> {
            if (predictor != null) {
                predictor.close();
                predictor = null;
            }
        }, () -> {
            if (loaded != null) {
                loaded.close();
                loaded = null;
            }
        });
    }
}
