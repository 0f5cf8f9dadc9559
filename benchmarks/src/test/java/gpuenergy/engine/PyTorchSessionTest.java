package gpuenergy.engine;

import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDManager;
import gpuenergy.profile.EnvironmentKeys;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
}
