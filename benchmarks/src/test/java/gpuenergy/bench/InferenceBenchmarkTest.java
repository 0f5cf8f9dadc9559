package gpuenergy.bench;

import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.infra.Blackhole;

import java.lang.reflect.Field;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The hot path on DJL's CPU engine, without JMH around it. */
class InferenceBenchmarkTest {

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
        InferenceBenchmark b = new InferenceBenchmark();
        b.model = "mobilenetv3_small_100";
        b.engine = "pytorch-fp32";
        b.batchSize = "1";
        b.device = "cpu";
        Map<String, String> env = b.open();
        Blackhole bh = new Blackhole("Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
        try {
            assertEquals("cpu", env.get("device"));
            b.infer(bh);
            int before = alive(b.modelManager());
            for (int i = 0; i < 50; i++) {
                b.infer(bh);
            }
            assertEquals(before, alive(b.modelManager()), "NDArrays or NDManagers accumulate per batch");
            assertTrue(before > 0);
        } finally {
            bh.evaporate("Yes, I am Stephen Hawking, and know a thing or two about black holes.");
            b.tearDown();
        }
    }

    @Test
    void batchSizeMustBeAPositiveInteger() {
        assertEquals(8, InferenceBenchmark.parseBatchSize("8"));
        assertEquals(256, InferenceBenchmark.parseBatchSize(" 256 "));
    }
}
