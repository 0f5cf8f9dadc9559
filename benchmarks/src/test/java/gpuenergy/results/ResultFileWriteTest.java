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
import java.util.function.IntFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The writer of result files: the environment into JMH's JSON, the file replaced whole, a name of its own for each run
 * that names none, and an earlier run's files set aside in pairs.
 */
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

    /**
     * Two runs started in the same second ask for one default name: the second gets the next, while the first runs and
     * after it ended; a run that ended with only a not-run list holds its name too. No claim is left once closed.
     */
    @Test
    void twoClaimsInOneSecondGetDistinctNames(@TempDir Path dir) throws Exception {
        Path second = dir.resolve("gpuenergy-result-20261205-121941.json");
        try (ResultFile.Claim first = ResultFile.claimNew(second); ResultFile.Claim beside = ResultFile.claimNew(second)) {
            assertEquals(second, first.result());
            assertEquals(dir.resolve("gpuenergy-result-20261205-121941.1.json"), beside.result(), "held by the first");
            NotRunList.write(NotRunList.besides(first.result()), List.of()); // it lists a failure and measures nothing
        }
        try (ResultFile.Claim later = ResultFile.claimNew(second)) {
            assertEquals(dir.resolve("gpuenergy-result-20261205-121941.1.json"), later.result(),
                    "the first run's not-run list holds its name after it ended");
        }
        try (var files = Files.list(dir)) {
            assertEquals(List.of("gpuenergy-result-20261205-121941.notrun.json"),
                    files.map(f -> f.getFileName().toString()).toList(), "no claim left behind");
        }
    }

    /**
     * The claim of a run killed with SIGKILL, which runs no hook, is removed by the next claim in its directory, whatever
     * name that one asks for; a claim a live process holds stays, and so does an empty one, whose holder is not known.
     */
    @Test
    void theClaimOfAKilledRunIsRemovedByTheNext(@TempDir Path dir) throws Exception {
        Path name = dir.resolve("gpuenergy-result-20261205-121941.json");
        Path claim = dir.resolve(".gpuenergy-result-20261205-121941.json.claim");
        Path unknown = Files.createFile(dir.resolve(".gpuenergy-result-20261205-121940.json.claim"));
        Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), ClaimHolder.class.getName(), name.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (java.io.BufferedReader r = holder.inputReader()) {
            assertEquals("claimed", r.readLine());
            try (ResultFile.Claim next = ResultFile.claimNew(dir.resolve("other.json"))) {
                assertTrue(Files.exists(claim), "held by a live run");
                assertEquals(Long.toString(holder.pid()), Files.readString(claim).strip(), "the claim names its holder");
            }
        } finally {
            holder.destroyForcibly(); // SIGKILL: no hook removes the claim
            holder.waitFor();
        }
        assertTrue(Files.exists(claim), "left by the kill");
        try (ResultFile.Claim next = ResultFile.claimNew(dir.resolve("other.json"))) {
            assertFalse(Files.exists(claim), "the killed run's claim is removed");
            assertTrue(Files.exists(unknown), "an empty claim's holder is not known");
        }
    }

    /** Claims {@code args[0]}, says so, and waits to be killed. */
    public static final class ClaimHolder {
        public static void main(String[] args) throws Exception {
            ResultFile.claimNew(Path.of(args[0]));
            System.out.println("claimed");
            System.out.flush();
            Thread.sleep(120_000);
        }
    }

    /**
     * A run that writes JMH's -rf csv file beside its JSON claims both names: a CSV there takes the name as a result
     * does, and the CSV of the claimed name is numbered as the JSON is. Runs of one name in other formats never share a
     * number.
     */
    @Test
    void aClaimWithAnotherFormatTakesNoNameWhoseFileIsThere(@TempDir Path dir) throws Exception {
        Path first = dir.resolve("jmh-result.json");
        Files.writeString(dir.resolve("jmh-result.csv"), "an earlier run's CSV");
        try (ResultFile.Claim csv = ResultFile.claimNew(first, "csv"); ResultFile.Claim json = ResultFile.claimNew(first)) {
            assertEquals(dir.resolve("jmh-result.1.json"), csv.result(), "jmh-result.csv is an earlier run's");
            assertEquals(dir.resolve("jmh-result.1.csv"), csv.beside("csv"));
            assertEquals(first, json.result(), "a JSON run looks at no CSV");
            try (ResultFile.Claim text = ResultFile.claimNew(first, "text")) {
                assertEquals(dir.resolve("jmh-result.2.json"), text.result(), "both names before it are held");
                assertEquals(dir.resolve("jmh-result.2.text"), text.beside("text"));
            }
        }
        assertEquals("an earlier run's CSV", Files.readString(dir.resolve("jmh-result.csv")));
    }

    /** A result is a file that holds a JSON array as JMH writes it; a log, an empty file or no file is none. */
    @Test
    void aResultIsTheFileThatHoldsOne(@TempDir Path dir) throws Exception {
        Path recorded = Path.of("src/test/resources/h100/validation/resnet50-pytorch-fp32-b128.json");
        assertTrue(ResultFile.holdsResult(recorded));
        Path log = Files.writeString(dir.resolve("run.log"), "# JMH version: 1.37\n[INFO] Iteration   1: 12.3 ops/s\n");
        assertFalse(ResultFile.holdsResult(log));
        assertFalse(ResultFile.holdsResult(Files.createFile(dir.resolve("empty.json"))));
        assertFalse(ResultFile.holdsResult(dir.resolve("none.json")));
        assertFalse(ResultFile.holdsResult(dir), "a directory");
    }

    /**
     * JMH's CSV and SCSV tables are results too, as JMH writes them and as an editor or spreadsheet saves them again: with
     * a byte-order mark, CRLF line ends, without quotes, or with a byte that is no UTF-8 after the header.
     */
    @Test
    void aJmhTableIsAResultHoweverItWasSavedAgain(@TempDir Path dir) throws Exception {
        String header = "\"Benchmark\",\"Mode\",\"Threads\",\"Samples\",\"Score\",\"Score Error (99.9%)\",\"Unit\"";
        String row = "\"gpuenergy.bench.InferenceBenchmark.infer\",\"thrpt\",1,1,1234.5,NaN,\"ops/s\"";
        byte[] latin1 = (header + "\n" + row + ",\"caf\u00e9\"\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        Map<String, byte[]> tables = Map.of(
                "jmh.csv", (header + "\n" + row + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8),
                "jmh.scsv", (header.replace(',', ';') + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8),
                "bom.csv", ("\uFEFF" + header + "\r\n" + row + "\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8),
                "unquoted.csv", (header.replace("\"", "") + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8),
                "latin1.csv", latin1);
        for (Map.Entry<String, byte[]> t : tables.entrySet()) {
            assertTrue(ResultFile.holdsResult(Files.write(dir.resolve(t.getKey()), t.getValue())), t.getKey());
        }
        assertFalse(ResultFile.holdsResult(Files.writeString(dir.resolve("other.csv"), "\"Name\",\"Score\"\n\"a\",1\n")),
                "another table");
        assertFalse(ResultFile.holdsResult(Files.writeString(dir.resolve("later.csv"), "# a note\n" + header + "\n")),
                "a header that is not the first line: no file JMH wrote");
    }

    /**
     * A not-run list alone (its run measured nothing) is set aside as NAME.earlier.notrun.json, never replaced; a result
     * set aside later takes a pair of names whose list name is free too, so it is never read with that list.
     */
    @Test
    void anEarlierListIsSetAsideAndNeverPairedWithAnotherRunsResult(@TempDir Path dir) throws Exception {
        Path result = dir.resolve("k.json");
        Files.writeString(NotRunList.besides(result), "[\"the first run's failure\"]");
        assertEquals(dir.resolve("k.earlier.notrun.json"), ResultFile.setAsideAsEarlier(result));
        assertFalse(Files.exists(NotRunList.besides(result)));

        Files.writeString(result, "[\"the second run's result\"]");
        Files.writeString(NotRunList.besides(result), "[\"the second run's failure\"]");
        Path aside = ResultFile.setAsideAsEarlier(result);
        assertEquals(dir.resolve("k.earlier.1.json"), aside);
        assertEquals("[\"the second run's failure\"]", Files.readString(dir.resolve("k.earlier.1.notrun.json")));
        assertEquals("[\"the first run's failure\"]", Files.readString(dir.resolve("k.earlier.notrun.json")));
        assertFalse(Files.exists(dir.resolve("k.earlier.json")), "no result beside the first run's list");

        Files.writeString(result, "[\"a third run's result\"]");
        Files.writeString(NotRunList.besides(result), "[\"the third run's failure\"]");
        assertEquals(dir.resolve("k.earlier.2.notrun.json"), ResultFile.setAsideEarlierList(result));
        assertEquals("[\"a third run's result\"]", Files.readString(result), "the list alone moves");
        assertNull(ResultFile.setAsideEarlierList(result), "nothing left to set aside");
        assertEquals(dir.resolve("k.earlier.3.json"), ResultFile.setAsideAsEarlier(result),
                "the names of the list set aside alone are not reused");
    }

    /**
     * Another run takes the list's name of the pair after the check, once the result is there: the result goes on
     * with its list to the next free pair, so the two keep one number, the list's name ends in .notrun.json as every
     * list's, and neither is read with the other run's file.
     */
    @Test
    void aListNameTakenMeanwhileMovesThePairOn(@TempDir Path dir) throws Exception {
        Path result = Files.writeString(dir.resolve("k.json"), "[\"the result\"]");
        Path list = Files.writeString(NotRunList.besides(result), "[\"its failure\"]");
        IntFunction<Path> earlier = n -> dir.resolve(AtomicWrite.numbered("k.earlier.json", n));
        Path othersList = dir.resolve("k.earlier.notrun.json");
        IntFunction<Path> earlierList = n -> {
            Path name = NotRunList.besides(earlier.apply(n));
            if (n == 0 && Files.exists(earlier.apply(0)) && !Files.exists(name)) {
                try {
                    Files.writeString(name, "[\"another run's failure\"]");
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            return name;
        };
        assertEquals(dir.resolve("k.earlier.1.json"), AtomicWrite.setAside(result, earlier, list, earlierList));
        assertEquals("[\"another run's failure\"]", Files.readString(othersList), "the name was taken meanwhile");
        assertEquals("[\"the result\"]", Files.readString(dir.resolve("k.earlier.1.json")));
        assertEquals("[\"its failure\"]", Files.readString(dir.resolve("k.earlier.1.notrun.json")));
        try (var files = Files.list(dir)) {
            assertEquals(List.of("k.earlier.1.json", "k.earlier.1.notrun.json", "k.earlier.notrun.json"),
                    files.map(f -> f.getFileName().toString()).sorted().toList());
        }
    }
}
