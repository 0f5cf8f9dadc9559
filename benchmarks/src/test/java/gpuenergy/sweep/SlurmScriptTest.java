package gpuenergy.sweep;

import gpuenergy.results.ShardFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * tools/slurm/sweep-shard.sbatch without Slurm: the command a task runs, with JAVA standing in for java (it prints its
 * arguments). SlurmArrayIT runs the script on a real cluster.
 */
class SlurmScriptTest {
    private static final Path SLURM = Path.of("").toAbsolutePath().resolveSibling("tools").resolve("slurm");
    private static final Path SCRIPT = SLURM.resolve("sweep-shard.sbatch");
    private static final Path REPORT_SCRIPT = SLURM.resolve("sweep-report.sbatch");

    private record Task(int exit, String out) {
    }

    private static Task task(Path tmp, String... sweepOptions) throws Exception {
        List<String> args = new ArrayList<>(List.of("2", tmp.resolve("out").toString()));
        args.addAll(List.of(sweepOptions));
        return run(tmp, SCRIPT, args);
    }

    private static Task run(Path tmp, Path script, List<String> args) throws Exception {
        return run(tmp, script, args, Map.of());
    }

    /** {@code script} run by bash with {@code args} as task 1 of an array, in {@code tmp}, with {@code env} set over its
     *  stand-ins. */
    private static Task run(Path tmp, Path script, List<String> args, Map<String, String> env) throws Exception {
        Path java = tmp.resolve("java");
        Files.writeString(java, "#!/bin/sh\necho \"$@\"\n");
        java.toFile().setExecutable(true);
        Path jar = tmp.resolve("benchmarks.jar");
        if (!Files.exists(jar)) {
            Files.createFile(jar);
        }
        List<String> cmd = new ArrayList<>(List.of("bash", script.toString()));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile()).redirectErrorStream(true);
        pb.environment().put("SLURM_ARRAY_TASK_ID", "1");
        pb.environment().put("JAVA", java.toString());
        pb.environment().put("GPUENERGY_JAR", jar.toString());
        pb.environment().remove("CUDA_VISIBLE_DEVICES");
        pb.environment().remove("GPUENERGY_JAVA_OPTS");
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return new Task(p.exitValue(), out);
    }

    /**
     * A part killed after its directory was made but before sweep-settings.json was written (shard.json comes first)
     * is resumed: a resubmitted task never meets "--out is not empty".
     */
    @Test
    void aPartWhoseDirectoryExistsIsResumedWhateverItHolds(@TempDir Path tmp) throws Exception {
        Task fresh = task(tmp, "-p", "model=a");
        assertEquals(0, fresh.exit(), fresh.out());
        assertTrue(fresh.out().endsWith("sweep --shard 1/2 --out " + tmp.resolve("out/shard-1-of-2") + " -p model=a\n"),
                fresh.out());

        Path part = Files.createDirectories(tmp.resolve("out/shard-1-of-2"));
        Files.writeString(part.resolve(ShardFile.FILE), "{}");
        Task again = task(tmp, "-p", "model=a");
        assertTrue(again.out().contains("shard 1/2 in " + part + ", resuming"), again.out());
        assertTrue(again.out().endsWith("--out " + part + " --resume -p model=a\n"), again.out());
        // a task without a GPU keeps JMH's lock: tasks of one node's CPUs take turns
        assertTrue(!again.out().contains("ignoreLock"), again.out());
    }

    /**
     * An OUT that is empty (a quoted unset variable) would put the parts under /shard-I-of-N and the report in /report;
     * one that begins with - is the options' first word where OUT was left out.
     */
    @Test
    void anOutThatNamesNoDirectoryIsRefused(@TempDir Path tmp) throws Exception {
        for (String out : List.of("", "-p")) {
            Task shard = run(tmp, SCRIPT, List.of("2", out, "model=a"));
            assertEquals(2, shard.exit(), shard.out());
            assertEquals("sweep-shard: OUT '" + out + "' names no directory (empty, or an option); usage: sbatch "
                    + "--array=1-N [--gres=gpu:1] sweep-shard.sbatch N OUT [sweep options...]\n", shard.out());
            Task report = run(tmp, REPORT_SCRIPT, List.of(out));
            assertEquals(2, report.exit(), report.out());
            assertEquals("sweep-report: OUT '" + out + "' names no directory (empty, or an option); usage: sbatch "
                    + "sweep-report.sbatch OUT [report options...]\n", report.out());
        }
        Task report = run(tmp, REPORT_SCRIPT, List.of("sweep"));
        assertEquals(0, report.exit(), report.out());
        assertEquals("-jar " + tmp.resolve("benchmarks.jar") + " report sweep --out sweep/report\n", report.out());
    }

    @Test
    void theScriptsOwnOptionsAreRefusedInTheSweepOptions(@TempDir Path tmp) throws Exception {
        for (String own : List.of("--out", "--out=x", "--shard", "--shard=2/2")) {
            Task t = task(tmp, "-p", "model=a", own, "x");
            assertEquals(2, t.exit(), t.out());
            String name = own.contains("=") ? own.substring(0, own.indexOf('=')) : own;
            assertEquals("sweep-shard: " + name + " is this script's (task I of N sweeps --shard I/N into OUT/shard-I-of-N): "
                    + "give OUT as the second argument, and drop " + name + " from the sweep options\n", t.out());
        }
        // the sweep refuses --resume given twice, as the script gives it to a part that exists
        Task t = task(tmp, "--resume", "-p", "model=a");
        assertEquals(2, t.exit(), t.out());
        assertEquals("sweep-shard: --resume is this script's (a task whose OUT/shard-I-of-N exists resumes it): drop "
                + "--resume from the sweep options\n", t.out());
    }

    /** A task id that is no number (set by hand, not by Slurm) is the script's one line, not bash's arithmetic error. */
    @Test
    void aTaskIdThatIsNoNumberIsSaidInOneLine(@TempDir Path tmp) throws Exception {
        for (String id : List.of("x", "1-2")) {
            Task t = run(tmp, SCRIPT, List.of("2", tmp.resolve("out").toString()), Map.of("SLURM_ARRAY_TASK_ID", id));
            assertEquals(2, t.exit(), t.out());
            assertEquals("sweep-shard: array task '" + id + "' is no task number: submit with --array=1-2\n", t.out());
        }
    }

    /** A node without java (a module not loaded in the job) is said in the script's one line, not bash's exec error. */
    @Test
    void aJavaThatIsNotThereIsSaidInOneLine(@TempDir Path tmp) throws Exception {
        String java = tmp.resolve("no-java").toString();
        String out = tmp.resolve("out").toString();
        for (Path script : List.of(SCRIPT, REPORT_SCRIPT)) {
            Task t = run(tmp, script, script == SCRIPT ? List.of("2", out) : List.of(out), Map.of("JAVA", java));
            assertEquals(2, t.exit(), t.out());
            String[] lines = t.out().split("\n");
            assertEquals(1, lines.length, t.out());
            assertTrue(lines[0].matches((script == SCRIPT ? "sweep-shard" : "sweep-report") + ": \\Q" + java
                    + "\\E not found on \\S+: load Java 17 or later in the job, or set JAVA to the java command"), t.out());
        }
    }
}
