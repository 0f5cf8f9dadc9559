package gpuenergy.engine;

import ai.djl.engine.Engine;
import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import gpuenergy.profile.EnvironmentKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
     * Stops {@code setup} while it runs Java code of PyTorchSession's constructor with no native frame on its stack:
     * suspended, its stack read, stopped, resumed, so the Error is thrown in Java. Delivered while the thread runs native
     * code (the forward pass, or Java that DJL's native code called), it reaches that code with an exception pending,
     * which can crash the VM. Gives up, the thread not stopped, once the constructor has returned or the thread ended.
     */
    @SuppressWarnings({"deprecation", "removal"})
    private static void stopInTheConstructorsJava(Thread setup) {
        while (setup.isAlive()) {
            setup.suspend();
            try {
                StackTraceElement[] stack = setup.getStackTrace();
                boolean inConstructor = Arrays.stream(stack)
                        .anyMatch(f -> f.getClassName().equals(PyTorchSession.class.getName()) && f.getMethodName().equals("<init>"));
                if (!inConstructor && stack.length > 0) {
                    return; // returned: the test's loop opens the session again
                }
                if (inConstructor && Arrays.stream(stack).noneMatch(StackTraceElement::isNativeMethod)) {
                    setup.stop();
                    return;
                }
            } finally {
                setup.resume();
            }
        }
    }

    /** A manager under {@code model} holds an NDArray: the session's input is made, so its model has loaded. */
    private static boolean holdsAnArray(NDManager model) throws ReflectiveOperationException {
        for (Object r : resources(model).values()) {
            if (r instanceof NDManager m && resources(m).values().stream().anyMatch(NDArray.class::isInstance)) {
                return true;
            }
        }
        return false;
    }

    /**
     * An Error in the session's setup after its model loaded (an OutOfMemoryError, which InferenceBenchmark.setup records
     * as the trial's not-run, after which a run with -f 0 goes on in this VM) closes the model, its input and predictor:
     * their memory is native, the device's on a GPU, which DJL frees only when its finalizer runs at some later
     * collection of the Java heap. The Error is the ThreadDeath that Thread.stop delivers to the thread opening the
     * session once its input exists, in the constructor's Java code around the first batch of 64 images: no other way
     * puts a real Error at that point, and the constructor's catch treats every Throwable alike. A setup whose
     * constructor returns before the thread is caught in its Java code is opened again, the managers it left counted as
     * there before.
     */
    @Test
    @SuppressWarnings({"deprecation", "removal"}) // Thread.stop, which Java 20 and later refuse
    void anErrorInTheSetupClosesWhatItOpened() throws Exception {
        assumeTrue(Runtime.version().feature() < 20, "Thread.stop delivers an Error up to Java 19");
        PyTorchEngine engine = PyTorchEngine.fp32();
        Artifact artifact = ModelResolver.resolve(ModelResolver.EMBEDDED_MODEL, engine);
        engine.open(artifact, "cpu", 1).close(); // libtorch loaded and the model extracted before the setup measured here
        NDManager system;
        try (NDManager probe = Engine.getEngine("PyTorch").newBaseManager()) {
            system = probe.getParentManager();
        }
        for (int attempt = 1; ; attempt++) {
            Set<Object> before = new HashSet<>(resources(system).keySet());
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            Thread setup = new Thread(() -> {
                EngineSession session;
                try {
                    session = engine.open(artifact, "cpu", 64);
                } catch (Throwable t) {
                    thrown.set(t);
                    return;
                }
                try {
                    session.close();
                } catch (Throwable t) {
                    // past the constructor: what this test checks is not here
                }
            }, "session setup");
            setup.start();
            NDManager model = null;
            while (setup.isAlive() && (model == null || !holdsAnArray(model))) {
                for (Map.Entry<?, ?> r : resources(system).entrySet()) {
                    if (!before.contains(r.getKey()) && r.getValue() instanceof NDManager m) {
                        model = m;
                    }
                }
                Thread.sleep(1);
            }
            stopInTheConstructorsJava(setup);
            setup.join();
            if (thrown.get() == null && attempt < 20) {
                continue; // the constructor returned before the Error arrived
            }
            assertInstanceOf(ThreadDeath.class, thrown.get());
            assertTrue(model != null, "the model loaded");
            assertEquals(before, new HashSet<>(resources(system).keySet()), "the model's manager is left open");
            return;
        }
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
