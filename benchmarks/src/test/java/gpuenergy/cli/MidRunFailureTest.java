package gpuenergy.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import gpuenergy.results.BenchmarkResult;
import gpuenergy.results.NotRunList;
import gpuenergy.results.ResultFile;
import gpuenergy.run.Failure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** What goes wrong once a run has started is one line and a not-run entry that says why, never a stack trace. */
class MidRunFailureTest {
    @TempDir
    Path dir;

    /** Main.run on the test benchmark: the exit code, then what it printed (-o) and on stderr. */
    private record Run(int rc, String output, String stderr) {}

    private Run run(String... args) throws IOException {
        Path out = dir.resolve("out.txt");
        List<String> all = new ArrayList<>(List.of(Forked.SLEEP, "-wi", "0", "-i", "1", "-r", "100ms", "-o", out.toString(),
                "-rff", dir.resolve("r.json").toString()));
        all.addAll(List.of(args));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream saved = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int rc;
        try {
            rc = Main.run(all.toArray(new String[0]));
        } finally {
            System.setErr(saved);
        }
        return new Run(rc, Files.readString(out), err.toString(StandardCharsets.UTF_8));
    }

    private JsonObject onlyNotRun(Run run) throws IOException {
        Path list = NotRunList.besides(dir.resolve("r.json"));
        assertTrue(Files.exists(list), "no not-run list:\n" + run.output + run.stderr);
        JsonArray entries = JsonParser.parseString(Files.readString(list)).getAsJsonArray();
        assertEquals(1, entries.size(), entries.toString());
        return entries.get(0).getAsJsonObject();
    }

    /** An -o file that became unwritable after the check before the run is one line naming -o, not a stack trace. */
    @Test
    void anOutputFileThatBecameUnwritableIsOneLine() {
        Path gone = dir.resolve("removed").resolve("out.txt");
        IOException e = assertThrows(IOException.class, () -> BenchmarkRun.outputFile(gone.toString()));
        assertEquals("cannot write the output file " + gone + " (-o): directory " + gone.getParent() + " does not exist",
                e.getMessage());
    }

    /** -foe stops JMH at the first failure, and JMH then returns nothing: the failure is listed all the same. */
    @Test
    void failOnErrorListsTheFailureAndSaysTheRunStopped() throws IOException {
        Run run = run("-f", "0", "-foe", "true", "-p", "engine=broken,sleep");
        assertEquals(1, run.rc, run.output + run.stderr);
        JsonObject failed = onlyNotRun(run);
        assertEquals("broken", failed.getAsJsonObject("params").get("engine").getAsString());
        assertEquals("error", failed.get("kind").getAsString());
        assertTrue(failed.get("reason").getAsString().contains("engine 'broken': no such engine"), failed.toString());
        assertEquals("the run stopped at its first failure (-foe true): no benchmark after it was started", run.stderr.strip());
        assertTrue(run.output.contains("Not run (1), listed in "), run.output);
    }

    /** A fork that cannot start says why on its stderr, which JMH shows: that line is the reason, with what to fix. */
    @Test
    void aForkThatCannotStartIsListedWithItsVmsReason() throws IOException {
        Run run = run("-f", "1", "-jvmArgsAppend", "-XX:+BogusFlag");
        assertEquals(1, run.rc, run.output + run.stderr);
        assertEquals("forked VM failed with exit code 1: Unrecognized VM option 'BogusFlag'" + Failure.DID_NOT_START,
                onlyNotRun(run).get("reason").getAsString());
    }

    /**
     * The result's directory removed while the run goes on (as a full disk fails every write there): one line at the
     * end naming where the run's results are kept instead, and the exit code says so.
     */
    @Test
    void resultDirectoryRemovedMidRun() throws Exception {
        Path sub = dir.resolve("sub");
        Path result = sub.resolve("r.json");
        String out = removedMidRun(sub, "-p", "batchSize=1,2,3,4,5,6", "-p", "engine=sleep,broken");
        assertTrue(out.contains("result not written to " + result + ": directory " + sub + " does not exist; its results "
                + "are kept in " + dir.resolve("tmp").resolve("r.unwritten.json") + "\n"), out);
        assertTrue(out.contains("not-run list not written to "), out);
        assertTrue(out.contains("[error]: java.lang.IllegalArgumentException: engine 'broken'"), "the list is still on the console:\n" + out);
        assertKept(List.of(1, 2, 3, 4, 5, 6), out);
    }

    /** So too where the run stops at its first failure (-foe), when JMH writes no copy of its own. */
    @Test
    void resultDirectoryRemovedBeforeTheRunStopsAtAFailure() throws Exception {
        Path sub = dir.resolve("sub");
        String out = removedMidRun(sub, "-foe", "true", "-p", "model=fits4", "-p", "batchSize=1,2,3,4,5");
        assertTrue(out.contains("result not written to " + sub.resolve("r.json") + ": directory " + sub + " does not "
                + "exist; its results are kept in " + dir.resolve("tmp").resolve("r.unwritten.json") + "\n"), out);
        assertTrue(out.contains("the run stopped at its first failure (-foe true)"), out);
        assertKept(List.of(1, 2, 3, 4), out);
    }

    /**
     * A plain run in its own VM (-f 0, java.io.tmpdir DIR/tmp) whose result directory {@code sub} is removed once the
     * first benchmark's result is there; what it printed, once it ended with an exit code other than 0 and no stack
     * trace of the launcher's.
     */
    private String removedMidRun(Path sub, String... args) throws Exception {
        Files.createDirectories(sub);
        Path result = sub.resolve("r.json");
        Path log = dir.resolve("run.log");
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        List<String> all = new ArrayList<>(List.of(Forked.SLEEP, "-f", "0", "-wi", "0", "-i", "1", "-r", "300ms",
                "-rff", result.toString()));
        all.addAll(List.of(args));
        Process p = Forked.java(log, List.of("-Djmh.ignoreLock=true", "-Djava.io.tmpdir=" + tmp), Main.class.getName(),
                all.toArray(new String[0])).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(result)) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                p.destroyForcibly();
                fail("no result after the first benchmark:\n" + Forked.read(log));
            }
            Thread.sleep(20);
        }
        // the run may be writing its next file there meanwhile: delete until the directory is gone
        for (int attempt = 0; Files.exists(sub); attempt++) {
            try (Stream<Path> files = Files.walk(sub)) {
                for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(f);
                }
            } catch (IOException | UncheckedIOException raced) {
                if (attempt == 50) {
                    throw raced;
                }
            }
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), Forked.read(log));
        String out = Forked.read(log);
        assertNotEquals(0, p.exitValue(), out);
        // the failing benchmark's own stack trace is JMH's output; the launcher prints none
        assertFalse(out.contains("at gpuenergy.cli.") || out.contains("NoSuchFileException"), "a stack trace was printed:\n" + out);
        return out;
    }

    /**
     * DIR/tmp/r.unwritten.json holds the benchmarks of these batch sizes, with the environment the result would have
     * held, and JMH's own copy is gone.
     */
    private void assertKept(List<Integer> batchSizes, String out) throws Exception {
        Path kept = dir.resolve("tmp").resolve("r.unwritten.json");
        assertEquals(batchSizes, ResultFile.read(kept).stream().map(BenchmarkResult::batchSize).sorted().toList(), out);
        assertTrue(ResultFile.readJson(kept).get(0).getAsJsonObject().has("environment"), Files.readString(kept));
        try (Stream<Path> left = Files.list(dir.resolve("tmp"))) {
            assertEquals(List.of(), left.filter(f -> f.getFileName().toString().startsWith("gpuenergy-jmh-result")).toList());
        }
    }
}
