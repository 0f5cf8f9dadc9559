package gpuenergy.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import gpuenergy.profile.EnvironmentKeys;
import gpuenergy.results.NotRunList;
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

    /**
     * The not-run list is on disk, whole, as soon as a failure is known, and survives SIGKILL; SIGTERM, which runs no
     * finally block either, leaves no temporary file in java.io.tmpdir.
     */
    @Test
    void killedRunsKeepTheNotRunListAndLeaveNoTemporaryFiles(@TempDir Path dir) throws Exception {
        for (boolean sigkill : new boolean[] {true, false}) {
            Path runDir = Files.createDirectories(dir.resolve(sigkill ? "kill" : "term"));
            Path tmp = Files.createDirectories(runDir.resolve("tmp"));
            Path result = runDir.resolve("run.json");
            Path list = NotRunList.besides(result);
            Path log = runDir.resolve("run.log");
            // the failing engine's benchmarks fail at once; the other's ten take ~0.3 s each
            Process run = Forked.java(log, List.of("-Djmh.ignoreLock=true", "-Djava.io.tmpdir=" + tmp), Main.class.getName(),
                    Forked.SLEEP, "-f", "0", "-wi", "0", "-i", "1", "-r", "300ms", "-p", "engine=broken,sleep",
                    "-p", "batchSize=1,2,3,4,5,6,7,8,9,10", "-rff", result.toString()).start();
            long deadline = System.nanoTime() + 60_000_000_000L;
            JsonArray listed = null;
            while (listed == null || listed.isEmpty()) {
                if (!run.isAlive() || System.nanoTime() > deadline) {
                    run.destroyForcibly();
                    fail("no not-run list on disk while the run went on:\n" + Forked.read(log));
                }
                listed = Files.exists(list) ? readIfWhole(list) : null;
                Thread.sleep(20);
            }
            if (sigkill) {
                run.destroyForcibly();
            } else {
                run.destroy();
            }
            run.waitFor();
            assertEquals(sigkill ? 137 : 143, run.exitValue(), "killed, not finished:\n" + Forked.read(log));
            JsonArray kept = readIfWhole(list);
            assertTrue(kept != null && !kept.isEmpty(), "the not-run list, whole: " + kept);
            for (JsonElement e : kept) {
                assertEquals("broken", e.getAsJsonObject().getAsJsonObject("params").get("engine").getAsString(), e.toString());
                assertEquals("error", e.getAsJsonObject().get("kind").getAsString(), e.toString());
            }
            if (!sigkill) {
                try (Stream<Path> files = Files.list(tmp)) {
                    assertEquals(List.of(), files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("gpuenergy-"))
                            .toList(), "the launcher's temporary files are deleted on SIGTERM");
                }
            }
        }
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
            // JMH creates its own format's file (run.csv) when it starts; a kill between a benchmark's last iteration
            // and its end leaves that benchmark in run.unfinished.json
            List<String> names = files.map(p -> p.getFileName().toString())
                    .filter(n -> !n.equals("run.csv") && !n.equals("run.unfinished.json")).sorted().toList();
            assertEquals(List.of("run.json", "run.log"), names, "no temporary file beside the result");
        }
    }

    /**
     * The benchmark under way when the run is killed keeps its measured iterations, fork by fork, in
     * NAME.unfinished.json; a warmup fork's are not among them. The next run into the same file sets it aside.
     */
    @Test
    void killDashNineKeepsTheIterationsOfTheBenchmarkUnderWay(@TempDir Path dir) throws Exception {
        Path result = dir.resolve("run.json");
        Path unfinished = dir.resolve("run.unfinished.json");
        Path log = dir.resolve("run.log");
        // one benchmark: a warmup fork, then two forks of 30 iterations of 100 ms; the kill comes in the second
        Process run = Forked.java(log, List.of("-Djmh.ignoreLock=true"), Main.class.getName(), Forked.SLEEP,
                "-wf", "1", "-f", "2", "-wi", "0", "-i", "30", "-r", "100ms", "-p", "batchSize=1", "-rff", result.toString()).start();
        long deadline = System.nanoTime() + 120_000_000_000L;
        JsonArray seen = null;
        while (seen == null || seen.size() != 1 || rawData(seen).size() < 2 || rawData(seen).get(1).getAsJsonArray().size() < 2) {
            if (!run.isAlive() || System.nanoTime() > deadline) {
                run.destroyForcibly();
                fail("no iterations of the second fork on disk while the benchmark ran (" + seen + "):\n" + Forked.read(log));
            }
            seen = Files.exists(unfinished) ? readIfWhole(unfinished) : null;
            Thread.sleep(20);
        }
        run.destroyForcibly();
        run.waitFor();
        assertEquals(137, run.exitValue(), "killed, not finished:\n" + Forked.read(log));
        assertTrue(!Files.exists(result), "no benchmark finished, so no result");
        JsonArray kept = readIfWhole(unfinished);
        assertTrue(kept != null && kept.size() == 1, "the benchmark under way, whole: " + kept);
        JsonArray forks = rawData(kept);
        assertEquals(2, forks.size(), "the two measured forks, the warmup fork's iterations left out: " + forks);
        assertEquals(30, forks.get(0).getAsJsonArray().size(), "the first fork, whole: " + forks);
        assertTrue(kept.get(0).getAsJsonObject().getAsJsonObject("environment").has(EnvironmentKeys.COMMAND),
                "with its environment: " + kept);

        // a run into the same result keeps the earlier run's unfinished benchmark and removes its own once it ends
        Process again = Forked.java(log, List.of("-Djmh.ignoreLock=true"), Main.class.getName(), Forked.SLEEP,
                "-f", "0", "-wi", "0", "-i", "2", "-r", "100ms", "-p", "batchSize=1", "-rff", result.toString()).start();
        assertEquals(0, again.waitFor(), Forked.read(log));
        assertTrue(!Files.exists(unfinished), "this run's unfinished file outlived its benchmark:\n" + Forked.read(log));
        JsonArray aside = readIfWhole(dir.resolve("run.unfinished.earlier.json"));
        assertTrue(aside != null && rawData(aside).size() == 2, "the earlier run's iterations, set aside: " + aside);
        assertTrue(Forked.read(log).contains("set aside as"), Forked.read(log));
    }

    private static JsonArray rawData(JsonArray entries) {
        return entries.get(0).getAsJsonObject().getAsJsonObject("primaryMetric").getAsJsonArray("rawData");
    }
}
