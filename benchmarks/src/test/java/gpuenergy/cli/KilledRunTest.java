package gpuenergy.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import gpuenergy.profile.EnvironmentKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** A plain run killed with SIGKILL keeps, whole, the result of every benchmark that finished before the kill. */
class KilledRunTest {

    /** The file's JSON array when the file is whole (strict JSON, so a torn file does not pass); null otherwise. */
    private static JsonArray readIfWhole(Path f) {
        try (JsonReader r = new JsonReader(Files.newBufferedReader(f))) {
            r.setStrictness(Strictness.STRICT);
            JsonElement e = JsonParser.parseReader(r);
            return e.isJsonArray() && r.peek() == JsonToken.END_DOCUMENT ? e.getAsJsonArray() : null;
        } catch (java.io.IOException | JsonParseException | IllegalStateException e) {
            return null;
        }
    }

    @Test
    void killDashNineKeepsEveryFinishedBenchmark(@TempDir Path dir) throws Exception {
        killedRunKeeps(dir, dir.resolve("run.json"), "-rff", dir.resolve("run.json").toString());
    }

    /** JMH writes -rf csv only at the end; the JSON beside it holds every finished benchmark meanwhile. */
    @Test
    void withAnotherFormatTheJsonBesideItKeepsEveryFinishedBenchmark(@TempDir Path dir) throws Exception {
        killedRunKeeps(dir, dir.resolve("run.json"), "-rf", "csv", "-rff", dir.resolve("run.csv").toString());
    }

    private static void killedRunKeeps(Path dir, Path result, String... resultOptions) throws Exception {
        Path log = dir.resolve("run.log");
        // ten benchmarks of ~0.3 s each, in this process (-f 0): the kill comes after the first, long before the last
        List<String> args = new java.util.ArrayList<>(List.of(Forked.SLEEP, "-f", "0", "-wi", "0", "-i", "1", "-r", "300ms",
                "-p", "batchSize=1,2,3,4,5,6,7,8,9,10"));
        args.addAll(List.of(resultOptions));
        Process run = Forked.java(log, List.of("-Djmh.ignoreLock=true"), Main.class.getName(), args.toArray(new String[0])).start();
        long deadline = System.nanoTime() + 60_000_000_000L;
        JsonArray seen = null;
        while (seen == null || seen.isEmpty()) {
            if (!run.isAlive()) {
                fail("the run ended (exit " + run.exitValue() + ") before any finished benchmark was on disk:\n"
                        + Forked.read(log));
            }
            if (System.nanoTime() > deadline) {
                run.destroyForcibly();
                fail("no finished benchmark on disk after 60 s:\n" + Forked.read(log));
            }
            seen = Files.exists(result) ? readIfWhole(result) : null;
            if (seen != null && Forked.read(log).contains("Benchmark result is saved to")) {
                run.destroyForcibly();
                fail("the result appeared only when the run had measured everything:\n" + Forked.read(log));
            }
            Thread.sleep(20);
        }
        run.destroyForcibly(); // SIGKILL: no shutdown hooks, no finally blocks
        run.waitFor();
        assertEquals(137, run.exitValue(), "killed, not finished:\n" + Forked.read(log));

        JsonArray kept = readIfWhole(result);
        assertTrue(kept != null && !kept.isEmpty() && kept.size() < 10, "the finished benchmarks, whole: " + kept);
        for (JsonElement e : kept) {
            assertTrue(e.getAsJsonObject().getAsJsonObject("primaryMetric").get("score").getAsDouble() > 0, e.toString());
            assertTrue(e.getAsJsonObject().getAsJsonObject("environment").has(EnvironmentKeys.COMMAND), "with its environment: " + e);
        }
        try (Stream<Path> files = Files.list(dir)) {
            // JMH creates its own format's file (run.csv) when it starts
            List<String> names = files.map(p -> p.getFileName().toString()).filter(n -> !n.equals("run.csv")).sorted().toList();
            assertEquals(List.of("run.json", "run.log"), names, "no temporary file beside the result");
        }
    }
}
