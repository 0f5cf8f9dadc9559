package gpuenergy.cli;

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

class ResultFilesTest {
    private static final String BENCH = "gpuenergy.bench.InferenceBenchmark.infer";

    private static JsonArray jmhResult() {
        return JsonParser.parseString("[{\"jmhVersion\":\"1.37\",\"benchmark\":\"" + BENCH + "\",\"mode\":\"thrpt\","
                + "\"params\":{\"model\":\"m\",\"engine\":\"pytorch-fp32\",\"batchSize\":\"8\",\"device\":\"auto\"},"
                + "\"primaryMetric\":{\"score\":123.4567890123,\"scoreError\":\"NaN\",\"scoreUnit\":\"ops/s\"}}]").getAsJsonArray();
    }

    private static String record(String batchSize, String body) {
        return "{\"benchmark\":\"" + BENCH + "\",\"params\":{\"batchSize\":\"" + batchSize
                + "\",\"device\":\"auto\",\"engine\":\"pytorch-fp32\",\"model\":\"m\"}," + body + "}";
    }

    @Test
    void environmentIsHostThenForkAndTheJmhFieldsStayAsWritten() {
        TrialLog log = new TrialLog();
        log.addAll(List.of(record("8", "\"environment\":{\"device\":\"gpu:0\",\"tf32\":\"on\"}"),
                record("1", "\"environment\":{\"device\":\"cpu\"}")));
        JsonArray out = ResultFiles.withEnvironment(jmhResult(), Map.of("jmh", "1.37"), log);
        JsonObject entry = out.get(0).getAsJsonObject();
        assertEquals("{\"jmh\":\"1.37\",\"device\":\"gpu:0\",\"tf32\":\"on\"}", entry.get("environment").toString());
        assertEquals("123.4567890123", entry.getAsJsonObject("primaryMetric").get("score").toString());
        assertEquals("\"NaN\"", entry.getAsJsonObject("primaryMetric").get("scoreError").toString());
        assertFalse(jmhResult().get(0).getAsJsonObject().has("environment"));
    }

    @Test
    void forksThatDisagreeAreAllRecordedAndPartialLinesAreSkipped() {
        TrialLog log = new TrialLog();
        log.addAll(List.of(record("8", "\"environment\":{\"device\":\"gpu:0\",\"libtorch.path\":\"/a\"}"),
                record("8", "\"environment\":{\"device\":\"gpu:0\",\"libtorch.path\":\"/b\"}"),
                "{\"benchmark\":\"" + BENCH + "\",\"par"));
        Map<String, String> env = log.environment.values().iterator().next();
        assertEquals("gpu:0", env.get("device"));
        assertEquals("/a | /b", env.get("libtorch.path"));
    }

    @Test
    void notRunFileIsASiblingOfTheResult() {
        assertEquals(Path.of("out/run.notrun.json"), ResultFiles.notRunFile(Path.of("out/run.json")));
        assertEquals(Path.of("run.csv.notrun.json"), ResultFiles.notRunFile(Path.of("run.csv")));
    }

    @Test
    void writeReplacesTheFileWhole(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("r.json");
        Files.writeString(f, "[]");
        ResultFiles.write(f, jmhResult());
        assertEquals(jmhResult(), ResultFiles.read(f));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }

    /** A result is shared like any file the user makes: its mode is the umask's, not the 0600 of a temporary file. */
    @Test
    void writtenFilesFollowTheUmask(@TempDir Path dir) throws IOException {
        Path plain = Files.createFile(dir.resolve("plain"));
        Path f = dir.resolve("r.json");
        ResultFiles.write(f, jmhResult());
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(f));
        Files.setPosixFilePermissions(f, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        ResultFiles.write(f, jmhResult()); // replacing a file gives the new one the umask's mode too
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(f));
    }

    @Test
    void notRunLinesNameTheBenchmarkItsParamsKindAndReason() {
        JsonArray notRun = JsonParser.parseString("[{\"benchmark\":\"" + BENCH + "\",\"params\":{\"batchSize\":\"0\",\"engine\":\"e\"},"
                + "\"reason\":\"batchSize '0' is not accepted\",\"kind\":\"error\"}]").getAsJsonArray();
        assertEquals(List.of("InferenceBenchmark.infer (batchSize=0, engine=e) [error]: batchSize '0' is not accepted"),
                ResultFiles.describe(notRun));
    }
}
