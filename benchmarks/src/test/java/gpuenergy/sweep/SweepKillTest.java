package gpuenergy.sweep;

import gpuenergy.ConsoleCapture;
import gpuenergy.report.ReportCommand;
import gpuenergy.results.NotRun;
import gpuenergy.results.ShardFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** A sweep killed with SIGKILL mid-way keeps every finished result whole, and --resume finishes it. */
class SweepKillTest {
    static {
        System.setProperty("jmh.ignoreLock", "true"); // see SweepRunTest
    }

    private static List<Path> results(Path dir) throws Exception {
        return results(dir, "fits64-sleep-b\\d+\\.json");
    }

    /** The files of {@code dir} whose names match {@code regex}, sorted; none where it does not exist yet. */
    private static List<Path> results(Path dir, String regex) throws Exception {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().matches(regex)).sorted().collect(Collectors.toList());
        }
    }

    /** A sweep in its own VM, as a user runs it (java ... Main sweep ARGS), its output in {@code log}. */
    private static Process startSweep(List<String> args, Path log) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djmh.ignoreLock=true", "-cp", System.getProperty("java.class.path"), gpuenergy.cli.Main.class.getName(), "sweep"));
        cmd.addAll(args);
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /**
     * Waits until {@code dir} holds {@code count} files named as {@code regex} says (a result is renamed into place
     * whole), the sweep still running; fails where it ended first or after 120 s, however loaded the host.
     */
    private static void awaitResults(Process sweep, Path dir, String regex, int count, Path log) throws Exception {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (results(dir, regex).size() < count) {
            if (!sweep.isAlive()) {
                fail("the sweep ended before it could be killed, exit " + sweep.exitValue() + ":\n" + Files.readString(log));
            }
            if (System.nanoTime() > deadline) {
                sweep.destroyForcibly();
                fail("fewer than " + count + " result files after 120 s:\n" + Files.readString(log));
            }
            Thread.sleep(20);
        }
    }

    /**
     * SIGKILL to the sweep (no shutdown hooks, no finally blocks), then to the processes it had started (the JMH fork
     * that was running, which ends with it anyway), waiting for all of them to end: nothing writes in its directory
     * after.
     */
    private static void killDashNine(Process sweep) throws Exception {
        List<ProcessHandle> forks = sweep.descendants().collect(Collectors.toList());
        sweep.destroyForcibly();
        sweep.waitFor();
        forks.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle fork : forks) {
            fork.onExit().get(60, TimeUnit.SECONDS);
        }
        assertEquals(137, sweep.exitValue(), "killed by SIGKILL, not finished");
    }

    @Test
    void killDashNineLosesNothingAndResumeFinishes(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("sweep");
        String[] args = {"--benchmark", SweepRunTest.BENCH, "-p", "model=fits64", "-p", "engine=sleep",
                "--min-seconds", "0.1", "--min-batches", "3", "--out", dir.toString()};
        Path output = tmp.resolve("killed-sweep.log");
        Process sweep = startSweep(Arrays.asList(args), output);
        awaitResults(sweep, dir, "fits64-sleep-b\\d+\\.json", 2, output);
        killDashNine(sweep);

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
     * A sweep run whole (no --gpus, no --shard) killed after its first configuration leaves its ladders recorded in
     * shard.json, written before anything ran, so that report of its directory names under "Not run" each ladder it
     * never started. The kill comes as fits1's batch-1 result appears: fits4's ladder is four runs further on (fits1's
     * batch 2, fits2's 1, 2 and 4), so it is never started; fits2's may be, and is named where it holds no result.
     */
    @Test
    void aSweepRunWholeKilledAfterItsFirstConfigurationHasReportNameTheLaddersItNeverStarted(@TempDir Path tmp)
            throws Exception {
        Path dir = tmp.resolve("killed");
        Path log = tmp.resolve("killed.log");
        Process sweep = startSweep(List.of("--benchmark", SweepRunTest.BENCH, "-p", "model=fits1,fits2,fits4", "-p",
                "engine=sleep", "--min-seconds", "0.03", "--min-batches", "1", "--out", dir.toString()), log);
        try {
            awaitResults(sweep, dir, "fits1-sleep-b1\\.json", 1, log);
            killDashNine(sweep);
        } finally {
            sweep.destroyForcibly();
        }

        ShardFile record = ShardFile.read(dir);
        assertNotNull(record, "no " + ShardFile.FILE + " in " + dir + ":\n" + Files.readString(log));
        assertEquals("1/1", record.shard());
        assertEquals(List.of("fits1", "fits2", "fits4"), record.partition().stream().map(ShardFile.Ladder::model).toList());
        List<String> notStarted = new ArrayList<>();
        for (String model : List.of("fits1", "fits2", "fits4")) {
            if (results(dir, model + "-sleep-b\\d+\\.json").isEmpty()) {
                notStarted.add(model);
            }
        }
        assertTrue(notStarted.contains("fits4") && !notStarted.contains("fits1"), notStarted + ":\n" + Files.readString(log));

        Path report = tmp.resolve("report");
        ConsoleCapture reported = ConsoleCapture.run(() -> ReportCommand.run(new String[] {dir.toString(), "--out",
                report.toString()}));
        assertEquals(0, reported.rc(), reported.out() + reported.err());
        assertEquals(notStarted.stream().map(model -> "- killed: " + model + " / sleep: nothing measured: its sweep has "
                + "not reached this ladder (stopped or killed before it, or still running); sweep --resume runs it")
                .toList(), Files.readAllLines(report.resolve("summary.md")).stream()
                .filter(l -> l.contains("nothing measured")).toList(), reported.out());
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
            Path log = tmp.resolve(dir.getFileName() + ".log");
            Process sweep = startSweep(List.of("--benchmark", SweepRunTest.BENCH, "-p", "model=fits4", "-p", "engine=sleep",
                    "-wi", "0", "-i", "1", "--min-seconds", "60", "--min-batches", "1", "--out", dir.toString()), log);
            List<ProcessHandle> forks = List.of();
            long deadline = System.nanoTime() + 60_000_000_000L;
            try {
                while (forks.isEmpty()) {
                    assertTrue(sweep.isAlive(), "the sweep ended first:\n" + Files.readString(log));
                    assertTrue(System.nanoTime() < deadline, "no JMH fork after 60 s:\n" + Files.readString(log));
                    Thread.sleep(50);
                    // by its main class among its arguments: a child forked but not yet exec'd has the sweep's
                    forks = sweep.descendants().filter(h -> h.info().arguments()
                            .map(a -> List.of(a).contains("org.openjdk.jmh.runner.ForkedMain")).orElse(false)).toList();
                }
                // into its 60 s iteration, however long a busy host takes to start the fork: JMH says the iteration
                // as it begins
                while (!Files.readString(log).contains("Iteration   1:")) {
                    assertTrue(forks.stream().allMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline,
                            "no measured iteration begun within 60 s:\n" + Files.readString(log));
                    Thread.sleep(50);
                }
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
