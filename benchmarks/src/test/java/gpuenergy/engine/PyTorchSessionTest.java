package gpuenergy.engine;

import ai.djl.engine.Engine;
import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDManager;
import gpuenergy.profile.EnvironmentKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The PyTorch engine's hot path on DJL's CPU engine, without JMH around it. */
class PyTorchSessionTest {

    /** NDArrays and NDManagers alive under a manager, recursively: what grows when the hot path leaks. */
    private static int alive(NDManager manager) throws ReflectiveOperationException {
        Field f = BaseNDManager.class.getDeclaredField("resources");
        f.setAccessible(true);
        int n = 0;
        for (Object r : ((Map<?, ?>) f.get(manager)).values()) {
            n += 1 + (r instanceof NDManager m ? alive(m) : 0);
        }
        return n;
    }

    /** The resources a manager holds itself, by id. */
    private static Map<?, ?> resources(NDManager manager) throws ReflectiveOperationException {
        Field f = BaseNDManager.class.getDeclaredField("resources");
        f.setAccessible(true);
        return (Map<?, ?>) f.get(manager);
    }

    /**
     * A failure in the session's setup after its model loaded closes the model, its predictor and the input's manager:
     * their memory is native, the device's on a GPU, which DJL frees only when its finalizer runs at some later
     * collection of the Java heap, and with -f 0 the next trial runs in this VM. The failure here is libtorch's own, an
     * input no host can hold (2^31 - 1 images); the constructor's catch takes every Throwable alike, an OutOfMemoryError
     * too.
     */
    @Test
    void aFailureInTheSetupClosesWhatItOpened() throws Exception {
        PyTorchEngine engine = PyTorchEngine.fp32();
        Artifact artifact = ModelResolver.resolve(ModelResolver.EMBEDDED_MODEL, engine);
        engine.open(artifact, "cpu", 1).close(); // libtorch loaded and the model extracted before the setup measured here
        NDManager system;
        try (NDManager probe = Engine.getEngine("PyTorch").newBaseManager()) {
            system = probe.getParentManager();
        }
        Set<Object> before = new HashSet<>(resources(system).keySet());
        Throwable thrown = assertThrows(Throwable.class, () -> engine.open(artifact, "cpu", Integer.MAX_VALUE));
        assertTrue(String.valueOf(thrown.getMessage()).contains("allocate"), "libtorch's allocation failure: " + thrown);
        assertEquals(before, new HashSet<>(resources(system).keySet()), "the model's manager is left open");
    }

    @Test
    void everyBatchClosesWhatItMade() throws Exception {
        PyTorchEngine engine = PyTorchEngine.fp32();
        Artifact artifact = ModelResolver.resolve(ModelResolver.EMBEDDED_MODEL, engine);
        try (PyTorchSession session = (PyTorchSession) engine.open(artifact, "cpu", 1)) {
            assertEquals("cpu", session.environment().get(EnvironmentKeys.DEVICE));
            assertEquals("(1, 1000)", session.environment().get(EnvironmentKeys.OUTPUT_SHAPE));
            session.runBatch();
            int before = alive(session.modelManager());
            for (int i = 0; i < 50; i++) {
                session.runBatch();
            }
            assertEquals(before, alive(session.modelManager()), "NDArrays or NDManagers accumulate per batch");
            assertTrue(before > 0);
        }
    }

    /**
     * A model file given by path loads as TorchScript even where its directory holds a jar with a BlockFactory (DJL's
     * own, which benchmarks.jar carries): DJL looks through the directory of the model for a BlockFactory to build the
     * model's block with, and a block found there makes it look for a parameter file instead of the TorchScript file.
     */
    @Test
    void aModelFileNextToAJarLoadsAsTorchScript(@TempDir Path dir) throws Exception {
        PyTorchEngine engine = PyTorchEngine.fp32();
        Artifact embedded = ModelResolver.resolve(ModelResolver.EMBEDDED_MODEL, engine);
        Path model = Files.copy(Path.of(embedded.location()), dir.resolve("net.pt"));
        Path djl = Path.of(ai.djl.nn.BlockFactory.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Files.copy(djl, dir.resolve("benchmarks.jar"));
        Artifact artifact = new Artifact(model.toString(), "path", embedded.numerics(), embedded.inputShape());
        try (PyTorchSession session = (PyTorchSession) engine.open(artifact, "cpu", 1)) {
            session.runBatch();
            assertEquals("(1, 1000)", session.environment().get(EnvironmentKeys.OUTPUT_SHAPE));
        }
    }
}
