package gpuenergy.results;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The writer of result files: the environment into JMH's JSON, and the file replaced whole. */
class ResultFileWriteTest {
    static final String BENCH = "gpuenergy.bench.InferenceBenchmark.infer";

    static JsonArray jmhResult() {
        return JsonParser.parseString("[{\"jmhVersion\":\"1.37\",\"benchmark\":\"" + BENCH + "\",\"mode\":\"thrpt\","
                + "\"params\":{\"model\":\"m\",\"engine\":\"pytorch-fp32\",\"batchSize\":\"8\",\"device\":\"auto\"},"
                + "\"primaryMetric\":{\"score\":123.4567890123,\"scoreError\":\"NaN\",\"scoreUnit\":\"ops/s\"}}]").getAsJsonArray();
    }

    /** The records of these lines, read from a file as the launcher reads the forks'. */
    static TrialRecords records(Path dir, String... lines) throws IOException {
        Path file = dir.resolve("records.jsonl");
        Files.write(file, List.of(lines));
        return TrialRecords.read(file);
    }

    /** A trial record line as a fork writes it. */
    static String record(String batchSize, String body) {
        return "{\"benchmark\":\"" + BENCH + "\",\"params\":{\"batchSize\":\"" + batchSize
                + "\",\"device\":\"auto\",\"engine\":\"pytorch-fp32\",\"model\":\"m\"}," + body + "}";
    }

    @Test
    void environmentIsHostThenForkAndTheJmhFieldsStayAsWritten(@TempDir Path dir) throws Exception {
        TrialRecords records = records(dir, record("8", "\"environment\":{\"device\":\"gpu:0\",\"tf32\":\"on\"}"),
                record("1", "\"environment\":{\"device\":\"cpu\"}"));
        JsonArray out = ResultFile.withEnvironment(jmhResult(), Map.of("jmh", "1.37"), records);
        JsonObject entry = out.get(0).getAsJsonObject();
        assertEquals("{\"jmh\":\"1.37\",\"device\":\"gpu:0\",\"tf32\":\"on\"}", entry.get("environment").toString());
        assertEquals("123.4567890123", entry.getAsJsonObject("primaryMetric").get("score").toString());
        assertEquals("\"NaN\"", entry.getAsJsonObject("primaryMetric").get("scoreError").toString());
        assertFalse(jmhResult().get(0).getAsJsonObject().has("environment"));
    }

    @Test
    void writeReplacesTheFileWhole(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("r.json");
        Files.writeString(f, "[]");
        ResultFile.write(f, jmhResult());
        assertEquals(jmhResult(), ResultFile.readJson(f));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }

    /** A result is shared like any file the user makes: its mode is the umask's, not the 0600 of a temporary file. */
    @Test
    void writtenFilesFollowTheUmask(@TempDir Path dir) throws IOException {
        Path plain = Files.createFile(dir.resolve("plain"));
        Path f = dir.resolve("r.json");
        ResultFile.write(f, jmhResult());
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(f));
        Files.setPosixFilePermissions(f, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        ResultFile.write(f, jmhResult()); // replacing a file gives the new one the umask's mode too
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(f));
    }
}
