package gpuenergy.bench;

import gpuenergy.engine.EngineSession;
import gpuenergy.engine.NotRunException;
import gpuenergy.profile.EnvironmentKeys;
import gpuenergy.results.ParamNames;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Param;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

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
            assertEquals("cpu", env.get(EnvironmentKeys.DEVICE));
            assertEquals("(2, 1000)", env.get(EnvironmentKeys.OUTPUT_SHAPE));
            assertEquals("embedded", env.get(EnvironmentKeys.MODEL_SOURCE));
            // the thresholds the setup fixed, where the C library is glibc (as on Debian, where the tests run)
            String malloc = env.get(EnvironmentKeys.MALLOC);
            if (!malloc.startsWith("unchanged: glibc not found")) {
                assertTrue(malloc.matches("glibc [0-9.]+, mmap_threshold 33554432, trim_threshold 1073741824"), malloc);
            }
            assertNotNull(b.infer());
        } finally {
            b.tearDown();
        }
        assertEquals(null, b.session(), "tearDown closes the session");
    }

    /** A session's failed release is said, not thrown into JMH's last measured iteration, where it would void the trial. */
    @Test
    void aFailedReleaseIsSaidAndNotThrown() {
        EngineSession failing = new EngineSession() {
            @Override
            public Object runBatch() {
                return null;
            }

            @Override
            public Map<String, String> environment() {
                return Map.of();
            }

            @Override
            public String summary() {
                return "";
            }

            @Override
            public void close() {
                throw NotRunException.error("cuMemFree failed: CUDA_ERROR_ILLEGAL_ADDRESS (CUDA driver)");
            }
        };
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        InferenceBenchmark.closeSaying(failing, new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals("engine: releasing the session failed (cuMemFree failed: CUDA_ERROR_ILLEGAL_ADDRESS (CUDA driver));"
                + " the trial's results stand" + System.lineSeparator(), err.toString(StandardCharsets.UTF_8));
    }

    /** JMH names a parameter by its @Param field, which no constant can name: the result's readers use ParamNames. */
    @Test
    void theParamFieldsAreTheResultsParamNames() {
        Set<String> fields = Arrays.stream(InferenceBenchmark.class.getDeclaredFields())
                .filter(f -> f.isAnnotationPresent(Param.class)).map(Field::getName).collect(Collectors.toSet());
        assertEquals(Set.of(ParamNames.MODEL, ParamNames.ENGINE, ParamNames.BATCH_SIZE, ParamNames.DEVICE), fields);
    }

    @Test
    void batchSizeMustBeAPositiveInteger() {
        assertEquals(8, InferenceBenchmark.parseBatchSize("8"));
        assertEquals(256, InferenceBenchmark.parseBatchSize(" 256 "));
        for (String bad : new String[] {"0", "-1", "abc"}) {
            NotRunException e = assertThrows(NotRunException.class, () -> InferenceBenchmark.parseBatchSize(bad));
            assertTrue(e.getMessage().startsWith("batchSize '" + bad + "' is not accepted"), e.getMessage());
        }
        // a positive integer beyond int is refused for its size, not as no positive integer
        for (String large : new String[] {"99999999999", "2147483648"}) {
            NotRunException e = assertThrows(NotRunException.class, () -> InferenceBenchmark.parseBatchSize(large));
            assertEquals("batchSize '" + large + "' is not accepted; accepted: a positive integer up to 2147483647",
                    e.getMessage());
        }
        // another spelling of a batch size would run it again as another benchmark beside it (-p batchSize=1,01)
        for (String spelling : new String[] {"01", "+1", "0001"}) {
            NotRunException e = assertThrows(NotRunException.class, () -> InferenceBenchmark.parseBatchSize(spelling));
            assertEquals("batchSize '" + spelling + "' is not accepted; write it 1, as results name it", e.getMessage());
        }
    }
}
