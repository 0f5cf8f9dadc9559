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
import static org.junit.jupiter.api.Assertions.assertFalse;
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
        assertTrue(lines.get(0).startsWith("x.notrun.json: unreadable list of benchmarks not run (entry 0 is not a not-run entry (kind 'odd' is none of"), lines.get(0));
        assertThrows(BadInputException.class, () -> NotRunList.read(file), "no entries from a list the report calls unreadable");
    }

    /** An entry without its kind (a JSON result given as a list, a hand-edited list) is said so, in the list's words. */
    @Test
    void anEntryWithoutItsKindIsSaidSo(@TempDir Path dir) throws Exception {
        Map<String, String> said = Map.of("", "no \"kind\" field", ", \"kind\": null", "kind is null, expected a string",
                ", \"kind\": {}", "kind is an object, expected a string");
        for (Map.Entry<String, String> kind : said.entrySet()) {
            Path file = Files.writeString(dir.resolve("x.notrun.json"), "[{\"benchmark\": \"b\", \"params\": {}, "
                    + "\"reason\": \"r\"" + kind.getKey() + "}]");
            BadInputException e = assertThrows(BadInputException.class, () -> NotRunList.read(file), kind.getKey());
            assertEquals(file + ": entry 0 is not a not-run entry (" + kind.getValue() + "); expected a JSON array of "
                    + "not-run entries, each an object with benchmark, params, kind and reason", e.getMessage());
        }
    }

    /**
     * A file of another shape than a list (a value for the whole file, an entry or a field of another type) is one line
     * naming the file and what is wrong in JSON's terms, then what a list is: never the JSON library's words (a Java
     * class that cannot be cast, "JsonNull", "Not a JSON Array", "Array must have size 1").
     */
    @Test
    void aListOfAnotherShapeIsSaidInTheListsWords(@TempDir Path dir) throws Exception {
        String entry = "\"benchmark\": \"b\", \"params\": {\"model\": \"m\"}, \"reason\": \"r\", \"kind\": \"error\"";
        Map<String, String> said = new LinkedHashMap<>();
        said.put("3", "not a list of benchmarks not run (the file is the number 3, expected an array)");
        said.put("null", "not a list of benchmarks not run (the file is null, expected an array)");
        said.put("{" + entry + "}", "not a list of benchmarks not run (the file is an object, expected an array)");
        said.put("[\"its failures\"]", "entry 0 is not a not-run entry (it is the string \"its failures\", expected an object)");
        said.put("[null]", "entry 0 is not a not-run entry (it is null, expected an object)");
        said.put("[[]]", "entry 0 is not a not-run entry (it is an array, expected an object)");
        said.put("[{" + entry + "}, {\"benchmark\": \"b\"}]", "entry 1 is not a not-run entry (no \"kind\" field)");
        said.put("[{" + entry + ", \"gpu\": []}]", "entry 0 is not a not-run entry (gpu is an array, expected a string)");
        said.put("[{" + entry.replace("\"b\"", "null") + "}]", "entry 0 is not a not-run entry (benchmark is null, expected a string)");
        said.put("[{" + entry.replace("\"r\"", "{}") + "}]", "entry 0 is not a not-run entry (reason is an object, expected a string)");
        said.put("[{" + entry.replace("{\"model\": \"m\"}", "\"m\"") + "}]",
                "entry 0 is not a not-run entry (params is the string \"m\", expected an object)");
        said.put("[{" + entry.replace("\"m\"", "[]") + "}]", "entry 0 is not a not-run entry (params.model is an array, expected a string)");
        said.put("[{" + entry.replace("\"error\"", "true") + "}]", "entry 0 is not a not-run entry (kind is true, expected a string)");
        for (Map.Entry<String, String> shape : said.entrySet()) {
            Path file = Files.writeString(dir.resolve("x.notrun.json"), shape.getKey());
            BadInputException e = assertThrows(BadInputException.class, () -> NotRunList.read(file), shape.getKey());
            assertEquals(file + ": " + shape.getValue() + "; expected a JSON array of not-run entries, each an object with "
                    + "benchmark, params, kind and reason", e.getMessage(), shape.getKey());
            for (String java : List.of("com.google", "class ", "Exception", "Json", "Array must")) {
                assertFalse(e.getMessage().contains(java), shape.getKey() + ": " + e.getMessage());
            }
            String line = NotRunList.lines(file, "x.notrun.json").get(0);
            assertTrue(line.startsWith("x.notrun.json: unreadable list of benchmarks not run (" + shape.getValue()), line);
        }
    }

    /**
     * The suite writes every field of an entry as a string (NotRunList.write, from a parameter's text): a number is no
     * text it wrote ("batchSize": 16.0 would read as a batch "16.0" no run gives) and is refused, naming the field, while
     * the recorded sweep's list reads.
     */
    @Test
    void aFieldGivenAsANumberIsRefused(@TempDir Path dir) throws Exception {
        String entry = "\"benchmark\": \"b\", \"params\": {\"batchSize\": \"16\"}, \"reason\": \"r\", \"kind\": \"error\"";
        Map<String, String> said = new LinkedHashMap<>();
        said.put(entry.replace("\"16\"", "16"), "params.batchSize is the number 16, expected a string");
        said.put(entry.replace("\"16\"", "16.0"), "params.batchSize is the number 16.0, expected a string");
        said.put(entry.replace("\"b\"", "5"), "benchmark is the number 5, expected a string");
        said.put(entry.replace("\"r\"", "5"), "reason is the number 5, expected a string");
        said.put(entry.replace("\"error\"", "5"), "kind is the number 5, expected a string");
        said.put(entry + ", \"gpu\": 5", "gpu is the number 5, expected a string");
        for (Map.Entry<String, String> field : said.entrySet()) {
            Path file = Files.writeString(dir.resolve("x.notrun.json"), "[{" + field.getKey() + "}]");
            BadInputException e = assertThrows(BadInputException.class, () -> NotRunList.read(file), field.getKey());
            assertEquals(file + ": entry 0 is not a not-run entry (" + field.getValue() + "); expected a JSON array of "
                    + "not-run entries, each an object with benchmark, params, kind and reason", e.getMessage());
        }
        Path file = Files.writeString(dir.resolve("x.notrun.json"), "[{" + entry + "}]");
        assertEquals("16", NotRunList.read(file).get(0).params().get(ParamNames.BATCH_SIZE));
        assertFalse(NotRunList.read(Path.of("src/test/resources/h100/study/sweep/sweep.notrun.json")).isEmpty());
    }

    @Test
    void consoleLinesNameTheBenchmarkItsParamsKindAndReason() {
        NotRun n = new NotRun(BENCH, new LinkedHashMap<>(Map.of("batchSize", "0")), NotRun.Kind.ERROR,
                "batchSize '0' is not accepted", null);
        assertEquals("InferenceBenchmark.infer (batchSize=0) [error]: batchSize '0' is not accepted", n.consoleLine());
    }
}
