package gpuenergy.results;

import gpuenergy.results.ParamNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static gpuenergy.results.ResultFileWriteTest.BENCH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one writer and reader of not-run lists. */
class NotRunListTest {
    @Test
    void aRunsListIsASiblingOfItsResult() {
        assertEquals(Path.of("out/run.notrun.json"), NotRunList.besides(Path.of("out/run.json")));
    }

    /**
     * A list is read for the one result its name is for: X.notrun.json for X.json, never for a file X named otherwise
     * (X.notrun.json is the list of X.json), nor X.json.notrun.json for X.json (it is the list of X.json.json).
     */
    @Test
    void aListBelongsToTheResultItsNameIsFor(@TempDir Path dir) throws Exception {
        Path result = Files.writeString(dir.resolve("run.json"), "[]");
        Path bare = Files.writeString(dir.resolve("run"), "[]");
        Path list = Files.writeString(dir.resolve("run.notrun.json"), "[]");
        Path doubled = Files.writeString(dir.resolve("run.json.notrun.json"), "[]");
        assertEquals(list, NotRunList.of(result));
        assertNull(NotRunList.of(bare), "run.notrun.json is the list of run.json");
        Files.delete(list);
        assertNull(NotRunList.of(result), "run.json.notrun.json is the list of run.json.json");
        assertEquals(doubled, NotRunList.of(dir.resolve("run.json.json")));
    }

    @Test
    void whatIsWrittenReadsBackEntryForEntry(@TempDir Path dir) throws Exception {
        Map<String, String> params = new LinkedHashMap<>();
        params.put(ParamNames.MODEL, "m");
        params.put(ParamNames.BATCH_SIZE, "0");
        List<NotRun> written = List.of(new NotRun(BENCH, params, NotRun.Kind.ERROR, "batchSize '0' is not accepted", null),
                new NotRun(BENCH, Map.of("batchSize", "512"), NotRun.Kind.DID_NOT_FIT, "out of memory", "NVIDIA H100 80GB HBM3"));
        Path file = dir.resolve("run.notrun.json");
        NotRunList.write(file, written);
        assertEquals(written, NotRunList.read(file));
        String json = Files.readString(file);
        assertTrue(json.contains("\"kind\": \"did-not-fit\""), json);
        assertEquals(1, json.split("\"gpu\"", -1).length - 1, "a CPU run's entry names no GPU: " + json);
    }

    @Test
    void aListWithAKindNoVersionWritesIsOneLineSayingSo(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("x.notrun.json"), "[{\"benchmark\": \"b\", \"params\": {}, \"reason\": \"r\", "
                + "\"kind\": \"odd\"}]");
        List<String> lines = NotRunList.lines(file, "x.notrun.json");
        assertEquals(1, lines.size());
        assertTrue(lines.get(0).startsWith("x.notrun.json: unreadable list of benchmarks not run (not a JSON array of"), lines.get(0));
        assertThrows(BadInputException.class, () -> NotRunList.read(file), "no entries from a list the report calls unreadable");
    }

    /** An entry without its kind (a JSON result given as a list, a hand-edited list) is said so, in the list's words. */
    @Test
    void anEntryWithoutItsKindIsSaidSo(@TempDir Path dir) throws Exception {
        for (String kind : List.of("", ", \"kind\": null", ", \"kind\": {}")) {
            Path file = Files.writeString(dir.resolve("x.notrun.json"), "[{\"benchmark\": \"b\", \"params\": {}, "
                    + "\"reason\": \"r\"" + kind + "}]");
            BadInputException e = assertThrows(BadInputException.class, () -> NotRunList.read(file), kind);
            assertEquals(file + ": not a JSON array of {benchmark, params, reason, kind} (entry 0 has no kind)",
                    e.getMessage());
        }
    }

    @Test
    void consoleLinesNameTheBenchmarkItsParamsKindAndReason() {
        NotRun n = new NotRun(BENCH, new LinkedHashMap<>(Map.of("batchSize", "0")), NotRun.Kind.ERROR,
                "batchSize '0' is not accepted", null);
        assertEquals("InferenceBenchmark.infer (batchSize=0) [error]: batchSize '0' is not accepted", n.consoleLine());
    }
}
