package gpuenergy.bench;

import gpuenergy.engine.NotRunException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The benchmark's trial around an engine session, on DJL's CPU engine, without JMH around it. */
class InferenceBenchmarkTest {

    @Test
    void aTrialRecordsTheSessionAndTheArtifact() {
        InferenceBenchmark b = new InferenceBenchmark();
        b.model = "mobilenetv3_small_100";
        b.engine = "pytorch-fp32";
        b.batchSize = "2";
        b.device = "cpu";
        try {
            Map<String, String> env = b.open();
            assertEquals("cpu", env.get("device"));
            assertEquals("(2, 1000)", env.get("output_shape"));
            assertEquals("embedded", env.get("model.source"));
            assertNotNull(b.infer());
        } finally {
            b.tearDown();
        }
        assertEquals(null, b.session(), "tearDown closes the session");
    }

    @Test
    void batchSizeMustBeAPositiveInteger() {
        assertEquals(8, InferenceBenchmark.parseBatchSize("8"));
        assertEquals(256, InferenceBenchmark.parseBatchSize(" 256 "));
        for (String bad : new String[] {"0", "-1", "abc"}) {
            NotRunException e = assertThrows(NotRunException.class, () -> InferenceBenchmark.parseBatchSize(bad));
            assertTrue(e.getMessage().startsWith("batchSize '" + bad + "' is not accepted"), e.getMessage());
        }
    }
}
