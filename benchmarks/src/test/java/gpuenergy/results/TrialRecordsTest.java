package gpuenergy.results;

import gpuenergy.profile.EnvironmentKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import static gpuenergy.results.ResultFileWriteTest.BENCH;
import static gpuenergy.results.ResultFileWriteTest.record;
import static gpuenergy.results.ResultFileWriteTest.records;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The launcher's reading of what the forks recorded. */
class TrialRecordsTest {
    static final String KEY = BenchmarkResult.key(BENCH, Map.of("batchSize", "8", "device", "auto", "engine", "pytorch-fp32",
            "model", "m"));

    @Test
    void forksThatDisagreeAreAllRecordedAndPartialLinesAreSkipped(@TempDir Path dir) throws Exception {
        TrialRecords records = records(dir, record("8", "\"environment\":{\"device\":\"gpu:0\",\"libtorch.path\":\"/a\"}"),
                record("8", "\"environment\":{\"device\":\"gpu:0\",\"libtorch.path\":\"/b\"}"),
                "{\"benchmark\":\"" + BENCH + "\",\"par");
        Map<String, String> env = records.environment(KEY);
        assertEquals("gpu:0", env.get(EnvironmentKeys.DEVICE));
        assertEquals("/a | /b", env.get(EnvironmentKeys.LIBTORCH_PATH));
    }

    @Test
    void theFirstForkThatSaysWhyABenchmarkDidNotRunIsTaken(@TempDir Path dir) throws Exception {
        TrialRecords records = records(dir,
                record("8", "\"notrun\":{\"reason\":\"CUDA out of memory\",\"kind\":\"did-not-fit\"}"),
                record("8", "\"notrun\":{\"reason\":\"later\",\"kind\":\"error\"}"),
                record("8", "\"notrun\":{\"reason\":\"a kind no version writes\",\"kind\":\"odd\"}"));
        assertEquals(new TrialRecords.NotRunRecord(NotRun.Kind.DID_NOT_FIT, "CUDA out of memory"), records.notRun(KEY));
        assertNull(records.notRun(BenchmarkResult.key(BENCH, Map.of())));
    }

    /**
     * A fork writes its parameters and environment from maps of strings: a record with a number, null or an object there
     * is none a fork wrote and is skipped as a line that is no record is, its value not read as its text.
     */
    @Test
    void aRecordWithAValueOtherThanAStringIsSkipped(@TempDir Path dir) throws Exception {
        TrialRecords records = records(dir, record("8", "\"environment\":{\"device\":\"gpu:0\"}"),
                record("8", "\"environment\":{\"device\":5}"),
                record("8", "\"environment\":{\"device\":null}"),
                record("8", "\"environment\":{\"device\":{}}"),
                record("8", "\"environment\":null"),
                record("8", "\"environment\":{\"device\":\"cpu\"}").replace("\"auto\"", "1"),
                record("8", "\"notrun\":{\"reason\":\"r\",\"kind\":\"error\"}").replace("\"auto\"", "1"));
        assertEquals(Map.of(EnvironmentKeys.DEVICE, "gpu:0"), records.environment(KEY));
        assertEquals(Map.of(), records.environment(BenchmarkResult.key(BENCH, Map.of("batchSize", "8", "device", "1",
                "engine", "pytorch-fp32", "model", "m"))));
        assertNull(records.notRun(BenchmarkResult.key(BENCH, Map.of("batchSize", "8", "device", "1", "engine",
                "pytorch-fp32", "model", "m"))));
    }

    /**
     * The benchmark's name and the not-run record's kind and reason are strings a fork wrote: a number there is skipped,
     * not read as its text, and an object, an array or null is skipped as well, not thrown out of the launcher.
     */
    @Test
    void aRecordWhoseNameOrNotRunFieldIsNoStringIsSkipped(@TempDir Path dir) throws Exception {
        String env = "\"environment\":{\"device\":\"gpu:0\"}";
        String bench = "\"" + BENCH + "\"";
        TrialRecords records = records(dir, record("8", env).replace(bench, "5"),
                record("8", env).replace(bench, "{}"),
                record("8", env).replace(bench, "[" + bench + "]"),
                record("8", env).replace(bench, "null"),
                record("8", "\"notrun\":{\"reason\":5,\"kind\":\"error\"}"),
                record("8", "\"notrun\":{\"reason\":{},\"kind\":\"error\"}"),
                record("8", "\"notrun\":{\"reason\":\"r\",\"kind\":[\"error\"]}"),
                record("8", "\"notrun\":{\"reason\":\"r\",\"kind\":null}"),
                record("1", "\"notrun\":{\"reason\":\"written\",\"kind\":\"error\"}"));
        assertEquals(Map.of(), records.environment(BenchmarkResult.key("5", Map.of("batchSize", "8", "device", "auto",
                "engine", "pytorch-fp32", "model", "m"))));
        assertEquals(Map.of(), records.environment(KEY));
        assertNull(records.notRun(KEY));
        assertEquals(new TrialRecords.NotRunRecord(NotRun.Kind.ERROR, "written"), records.notRun(BenchmarkResult.key(BENCH,
                Map.of("batchSize", "1", "device", "auto", "engine", "pytorch-fp32", "model", "m"))));
    }

    /** A fork killed while it wrote a record cut inside a character (the first byte of "é"): the records before it count. */
    @Test
    void aRecordCutInsideACharacterIsSkipped(@TempDir Path dir) throws Exception {
        byte[] whole = (record("8", "\"environment\":{\"device\":\"gpu:0\"}") + "\n").getBytes(StandardCharsets.UTF_8);
        String next = record("8", "\"notrun\":{\"reason\":\"modèle\",\"kind\":\"error\"}");
        byte[] cut = Arrays.copyOf(next.getBytes(StandardCharsets.UTF_8), next.indexOf('è') + 1);
        byte[] bytes = Arrays.copyOf(whole, whole.length + cut.length);
        System.arraycopy(cut, 0, bytes, whole.length, cut.length);
        Path file = Files.write(dir.resolve("records.jsonl"), bytes);
        TrialRecords records = TrialRecords.read(file);
        assertEquals("gpu:0", records.environment(KEY).get(EnvironmentKeys.DEVICE));
        assertNull(records.notRun(KEY));
    }
}
