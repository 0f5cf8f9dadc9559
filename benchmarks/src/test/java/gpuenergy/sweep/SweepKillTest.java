package gpuenergy.sweep;

import gpuenergy.results.NotRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** A sweep killed with SIGKILL mid-way keeps every finished result whole, and --resume finishes it. */
class SweepKillTest {
    static {
        System.setProperty("jmh.ignoreLock", "true"); // see SweepRunTest
    }

    private static List<Path> results(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().matches("fits64-sleep-b\\d+\\.json")).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void killDashNineLosesNothingAndResumeFinishes(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("sweep");
        String[] args = {"--benchmark", SweepRunTest.BENCH, "-p", "model=fits64", "-p", "engine=sleep",
                "--min-seconds", "0.1", "--min-batches", "3", "--out", dir.toString()};
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djmh.ignoreLock=true", "-cp", System.getProperty("java.class.path"), gpuenergy.cli.Main.class.getName(), "sweep"));
        cmd.addAll(Arrays.asList(args));
        Process sweep = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("killed-sweep.log").toFile()).start();

        long deadline = System.nanoTime() + 60_000_000_000L;
        while (results(dir).size() < 2) {
            if (!sweep.isAlive()) {
                fail("the sweep ended before it could be killed, exit " + sweep.exitValue() + ":\n"
                        + Files.readString(tmp.resolve("killed-sweep.log")));
            }
            if (System.nanoTime() > deadline) {
                sweep.destroyForcibly();
                fail("no result files after 60 s:\n" + Files.readString(tmp.resolve("killed-sweep.log")));
            }
            Thread.sleep(20);
        }
        List<ProcessHandle> forks = sweep.descendants().collect(Collectors.toList());
        sweep.destroyForcibly(); // SIGKILL: no shutdown hooks, no finally blocks
        sweep.waitFor();
        forks.forEach(ProcessHandle::destroyForcibly); // the orphaned JMH fork, if one was running
        assertEquals(137, sweep.exitValue(), "killed by SIGKILL, not finished");

        // every result file on disk is complete JMH JSON; every log line is a valid entry naming a real file
        Map<Path, byte[]> before = new HashMap<>();
        for (Path f : results(dir)) {
            Measurement m = Measurement.read(f);
            assertEquals(f.getFileName().toString(), new Configuration("fits64", "sleep", m.batchSize()).resultName());
            before.put(f, Files.readAllBytes(f));
        }
        assertTrue(before.size() >= 2);
        List<String> lines = Files.readAllLines(dir.resolve(SweepLog.FILE));
        assertFalse(lines.isEmpty());
        for (String line : lines) {
            SweepLog.Entry e = SweepLog.parse(line);
            if (e.status().equals(SweepLog.DONE)) {
                Measurement.read(dir.resolve(e.file()));
            }
        }

        // --resume: skips what is done (files untouched), finishes the ladder, ends at out of memory
        String[] resume = Arrays.copyOf(args, args.length + 1);
        resume[args.length] = "--resume";
        assertEquals(0, SweepCommand.run(resume));
        for (Map.Entry<Path, byte[]> f : before.entrySet()) {
            assertArrayEquals(f.getValue(), Files.readAllBytes(f.getKey()), f.getKey() + " was measured again");
        }
        assertEquals(7, results(dir).size(), "batches 1..64");
        List<SweepLog.Entry> log = SweepLog.read(dir, System.out);
        Map<Integer, Long> donePerBatch = log.stream().filter(e -> e.status().equals(SweepLog.DONE))
                .collect(Collectors.groupingBy(SweepLog.Entry::batchSize, Collectors.counting()));
        donePerBatch.forEach((batch, n) -> assertEquals(1L, n, "batch " + batch + " measured once"));
        SweepLog.Entry last = log.get(log.size() - 1);
        assertEquals(NotRun.Kind.DID_NOT_FIT, last.kind());
        assertEquals(128, last.batchSize());
        assertEquals(2, Files.readAllLines(dir.resolve(SweepDirectory.COMMANDS_FILE)).size(), "both invocations recorded");
    }

    /**
     * A sweep killed (SIGKILL, SIGTERM) while its JMH fork measures: the fork ends at once with it, rather than going on
     * measuring on the GPU that a resumed sweep, or the next part of a sweep over several GPUs, then measures on beside
     * it.
     */
    @Test
    void theForkEndsWithTheSweepThatStartedIt(@TempDir Path tmp) throws Exception {
        for (boolean sigkill : new boolean[] {true, false}) {
            Path dir = tmp.resolve(sigkill ? "killed" : "terminated");
            List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Djmh.ignoreLock=true", "-cp", System.getProperty("java.class.path"), gpuenergy.cli.Main.class.getName(),
                    "sweep", "--benchmark", SweepRunTest.BENCH, "-p", "model=fits4", "-p", "engine=sleep", "-wi", "0", "-i", "1",
                    "--min-seconds", "60", "--min-batches", "1", "--out", dir.toString());
            Path log = tmp.resolve(dir.getFileName() + ".log");
            Process sweep = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            List<ProcessHandle> forks = List.of();
            long deadline = System.nanoTime() + 60_000_000_000L;
            try {
                while (forks.isEmpty()) {
                    assertTrue(sweep.isAlive(), "the sweep ended first:\n" + Files.readString(log));
                    assertTrue(System.nanoTime() < deadline, "no JMH fork after 60 s:\n" + Files.readString(log));
                    Thread.sleep(50);
                    forks = sweep.descendants().filter(h -> h.info().commandLine().orElse("").contains("ForkedMain")).toList();
                }
                Thread.sleep(3000); // into its 60 s iteration
                assertTrue(forks.stream().allMatch(ProcessHandle::isAlive), "measuring: " + Files.readString(log));
                if (sigkill) {
                    sweep.destroyForcibly();
                } else {
                    sweep.destroy();
                }
                sweep.waitFor();
                long ended = System.nanoTime() + 10_000_000_000L;
                while (forks.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < ended) {
                    Thread.sleep(50);
                }
                assertFalse(forks.stream().anyMatch(ProcessHandle::isAlive), (sigkill ? "SIGKILL" : "SIGTERM")
                        + ": the fork still measures 10 s after its sweep ended:\n" + Files.readString(log));
            } finally {
                sweep.destroyForcibly();
                forks.forEach(ProcessHandle::destroyForcibly);
            }
        }
    }
}
