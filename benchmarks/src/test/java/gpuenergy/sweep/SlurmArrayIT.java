package gpuenergy.sweep;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The sweep as a Slurm job array on a real Slurm (the one-node cluster .ci/start-slurm starts in CI), through the
 * scripts users submit (tools/slurm) and the packaged benchmarks.jar: a 2-task array over the embedded model on the
 * CPU, one task cancelled by the scheduler mid-ladder and submitted again, then the merged report of both shards as a
 * job that depends on it. Skipped, saying why, where no Slurm controller answers, unless GPUENERGY_SLURM_TEST=required
 * (as .ci/run sets it), where that is a failure.
 */
class SlurmArrayIT {
    private static final Path MODULE = Path.of("").toAbsolutePath();
    private static final Path JAR = MODULE.resolve("target/benchmarks.jar");
    private static final Path SCRIPTS = MODULE.resolveSibling("tools").resolve("slurm");
    private static final String MODEL = "mobilenetv3_small_100";
    private static final long WAIT_MILLIS = TimeUnit.MINUTES.toMillis(5);

    /** Skips, saying why, where no Slurm controller answers; fails instead under GPUENERGY_SLURM_TEST=required. */
    @BeforeEach
    void slurmAnswers() throws Exception {
        String missing = unavailableReason();
        if (missing != null && "required".equals(System.getenv("GPUENERGY_SLURM_TEST"))) {
            fail("GPUENERGY_SLURM_TEST=required, and " + missing + " (.ci/start-slurm starts a one-node cluster)");
        }
        Assumptions.assumeTrue(missing == null, () -> missing + ": the Slurm test needs a controller (.ci/start-slurm "
                + "starts a one-node cluster)");
        assertTrue(Files.isRegularFile(JAR), JAR + ": run in Maven's integration-test phase, after package");
    }

    private static String unavailableReason() throws InterruptedException {
        // scontrol retries a missing configuration for a minute: look for it first
        String conf = System.getenv().getOrDefault("SLURM_CONF", "/etc/slurm/slurm.conf");
        if (!Files.isRegularFile(Path.of(conf))) {
            return "no Slurm configuration (" + conf + ")";
        }
        try {
            Result ping = run(List.of("scontrol", "ping"));
            return ping.out.contains("is UP") ? null : "no Slurm controller answers (scontrol ping: " + ping.out.strip() + ")";
        } catch (IOException e) {
            return "no Slurm client here (" + e.getMessage() + ")";
        }
    }

    @Test
    void aTwoTaskArrayAndATaskCancelledAndSubmittedAgainMergeIntoOneReport(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("sweep");
        // two ladders of the embedded model on the CPU, by its name and by the path of its file (relative to the tasks'
        // working directory), batch 1 to 16, about 3 s a batch; nothing is known of their times, so the first ladder
        // is shard 1's and the second shard 2's
        Path model = tmp.resolve("model");
        Files.createDirectories(model);
        for (String file : List.of(MODEL + "-fp32.pt", MODEL + ".json")) {
            try (var in = SlurmArrayIT.class.getResourceAsStream("/models/" + MODEL + "/" + file)) {
                Files.copy(in, model.resolve(file));
            }
        }
        String byPath = "model/" + MODEL + "-fp32.pt";
        List<String> sweep = List.of("2", out.toString(), "-p", "model=" + MODEL + "," + byPath, "-p", "engine=pytorch-fp32",
                "--max-batch", "16", "--min-seconds", "1", "--min-batches", "1", "-f", "1", "-wi", "0", "-i", "1");
        // as docs/scale-out.md says for a CPU-only cluster: one task per node
        String array = sbatch(tmp, List.of("--array=1-2", "--exclusive"), "sweep-shard.sbatch", sweep);
        Path shard1 = out.resolve("shard-1-of-2");
        Path shard2 = out.resolve("shard-2-of-2");
        Path firstRung = shard1.resolve(new Configuration(MODEL, "pytorch-fp32", 1).resultName());

        waitFor(() -> Files.exists(firstRung), "the first shard's batch 1 result", tmp);
        run(List.of("scancel", array + "_1"));
        waitFor(() -> leftTheQueue(array), "the array to leave the queue", tmp);
        assertEquals("CANCELLED", state(array + "_1"), "scancel ended task 1");
        assertEquals("COMPLETED 0:0", state(array + "_2") + " " + exitCode(array + "_2"), "task 2 ran to its end" + log(tmp));

        // what the cancelled task finished is whole; its ladder is not: the scheduler killed it mid-way
        List<SweepLog.Entry> beforeResume = SweepLog.read(shard1, System.out);
        List<Integer> doneBefore = doneBatches(beforeResume);
        assertTrue(doneBefore.contains(1) && doneBefore.size() < 5, "done before scancel: " + doneBefore);
        Map<Path, byte[]> kept = new TreeMap<>();
        for (int b : doneBefore) {
            Path f = shard1.resolve(new Configuration(MODEL, "pytorch-fp32", b).resultName());
            assertEquals(b, Measurement.read(f).batchSize());
            kept.put(f, Files.readAllBytes(f));
        }

        // task 1 submitted again, the same arguments; the report waits for it
        String again = sbatch(tmp, List.of("--array=1", "--exclusive"), "sweep-shard.sbatch", sweep);
        String report = sbatch(tmp, List.of("--dependency=afterok:" + again), "sweep-report.sbatch", List.of(out.toString()));
        waitFor(() -> leftTheQueue(again) && leftTheQueue(report), "the resubmitted task and the report", tmp);
        assertEquals("COMPLETED 0:0", state(again + "_1") + " " + exitCode(again + "_1"), log(tmp));
        assertEquals("COMPLETED 0:0", state(report) + " " + exitCode(report), log(tmp));
        assertTrue(Files.readString(tmp.resolve("slurm-" + again + "_1.out")).contains("shard 1/2 in " + shard1 + ", resuming"));

        // resumed, not restarted: every rung measured once, the earlier ones untouched
        List<SweepLog.Entry> shardLog = SweepLog.read(shard1, System.out);
        assertEquals(List.of(1, 2, 4, 8, 16), doneBatches(shardLog));
        for (Map.Entry<Path, byte[]> f : kept.entrySet()) {
            assertArrayEquals(f.getValue(), Files.readAllBytes(f.getKey()), f.getKey() + " was measured again");
        }
        assertEquals(2, Files.readAllLines(shard1.resolve(SweepDirectory.COMMANDS_FILE)).size(), "both tasks of shard 1 recorded");
        List<SweepLog.Entry> otherLog = SweepLog.read(shard2, System.out);
        assertEquals(List.of(1, 2, 4, 8, 16), doneBatches(otherLog));
        assertTrue(otherLog.stream().allMatch(e -> e.model().equals(byPath)), "shard 2 holds the other ladder only");

        // one report of both shards: every batch of each ladder, from its own shard's directory, on the CPU
        List<String> summary = Files.readAllLines(out.resolve("report").resolve("summary.csv"));
        for (String[] ladder : new String[][] {{MODEL, "shard-1-of-2/"}, {byPath, "shard-2-of-2/"}}) {
            List<String> rows = summary.stream().filter(l -> l.startsWith("cpu," + ladder[0] + ",pytorch-fp32,")).toList();
            assertEquals(5, rows.size(), String.join("\n", summary));
            assertTrue(rows.stream().allMatch(r -> r.contains("," + ladder[1])), String.join("\n", rows));
        }
        assertTrue(Files.exists(out.resolve("report").resolve("index.html")));
    }

    private static List<Integer> doneBatches(List<SweepLog.Entry> log) {
        return log.stream().filter(e -> e.status().equals(SweepLog.DONE)).map(SweepLog.Entry::batchSize).sorted()
                .collect(Collectors.toList());
    }

    /** Submits a script of tools/slurm from {@code dir}, its output in dir/slurm-%A_%a.out; returns the job id. */
    private static String sbatch(Path dir, List<String> options, String script, List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("sbatch", "--parsable", "--chdir=" + dir,
                "--output=" + dir.resolve(script.startsWith("sweep-shard") ? "slurm-%A_%a.out" : "slurm-%j.out")));
        cmd.addAll(options);
        cmd.add(SCRIPTS.resolve(script).toString());
        cmd.addAll(args);
        Result r = run(cmd);
        assertEquals(0, r.exit, "sbatch: " + r.out);
        return r.out.strip().split(";")[0];
    }

    private static boolean leftTheQueue(String job) {
        try {
            return run(List.of("squeue", "-h", "-j", job)).out.isBlank();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** scontrol's JobState of a job or array task (Slurm keeps finished jobs for MinJobAge, 300 s by default). */
    private static String state(String job) throws Exception {
        return field(job, "JobState");
    }

    private static String exitCode(String job) throws Exception {
        return field(job, "ExitCode");
    }

    private static String field(String job, String name) throws Exception {
        String show = run(List.of("scontrol", "-o", "show", "job", job)).out;
        return Arrays.stream(show.split("\\s+")).filter(f -> f.startsWith(name + "=")).map(f -> f.substring(name.length() + 1))
                .findFirst().orElse("(no " + name + " in: " + show.strip() + ")");
    }

    private static void waitFor(BooleanSupplier done, String what, Path logs) throws Exception {
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        while (!done.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                fail("waited " + WAIT_MILLIS / 1000 + " s for " + what + "; queue:\n" + run(List.of("squeue")).out + log(logs));
            }
            Thread.sleep(100);
        }
    }

    /** Every task's output, for a failure's message. */
    private static String log(Path dir) throws IOException {
        StringBuilder s = new StringBuilder();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith("slurm-")).sorted().toList()) {
                s.append("\n--- ").append(f.getFileName()).append('\n').append(Files.readString(f, StandardCharsets.UTF_8));
            }
        }
        return s.toString();
    }

    private record Result(int exit, String out) {
    }

    /**
     * A Slurm client command with the environment the tasks inherit (sbatch passes it on): this build's jar and this JVM,
     * as docs/scale-out.md names them; nothing else (JMH's lock stays on, as for a user's tasks).
     */
    private static Result run(List<String> cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("GPUENERGY_JAR", JAR.toString());
        pb.environment().put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        pb.environment().remove("GPUENERGY_JAVA_OPTS");
        Process p = pb.start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(cmd + " did not end within 60 s");
        }
        return new Result(p.exitValue(), text);
    }
}
