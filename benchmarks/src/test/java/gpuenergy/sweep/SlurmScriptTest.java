package gpuenergy.sweep;

import gpuenergy.results.ShardFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * tools/slurm/sweep-shard.sbatch without Slurm: the command a task runs, with JAVA standing in for java (it prints its
 * arguments). SlurmArrayIT runs the script on a real cluster.
 */
class SlurmScriptTest {
    private static final Path SCRIPT = Path.of("").toAbsolutePath().resolveSibling("tools").resolve("slurm")
            .resolve("sweep-shard.sbatch");

    private record Task(int exit, String out) {
    }

    private static Task task(Path tmp, String... sweepOptions) throws Exception {
        Path java = tmp.resolve("java");
        Files.writeString(java, "#!/bin/sh\necho \"$@\"\n");
        java.toFile().setExecutable(true);
        Path jar = tmp.resolve("benchmarks.jar");
        if (!Files.exists(jar)) {
            Files.createFile(jar);
        }
        List<String> cmd = new ArrayList<>(List.of("bash", SCRIPT.toString(), "2", tmp.resolve("out").toString()));
        cmd.addAll(List.of(sweepOptions));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("SLURM_ARRAY_TASK_ID", "1");
        pb.environment().put("JAVA", java.toString());
        pb.environment().put("GPUENERGY_JAR", jar.toString());
        pb.environment().remove("CUDA_VISIBLE_DEVICES");
        pb.environment().remove("GPUENERGY_JAVA_OPTS");
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

    @Test
    void theScriptsOwnOptionsAreRefusedInTheSweepOptions(@TempDir Path tmp) throws Exception {
        for (String own : List.of("--out", "--out=x", "--shard", "--shard=2/2")) {
            Task t = task(tmp, "-p", "model=a", own, "x");
            assertEquals(2, t.exit(), t.out());
            String name = own.contains("=") ? own.substring(0, own.indexOf('=')) : own;
            assertEquals("sweep-shard: " + name + " is this script's (task I of N sweeps --shard I/N into OUT/shard-I-of-N): "
                    + "give OUT as the second argument, and drop " + name + " from the sweep options\n", t.out());
        }
    }
}
