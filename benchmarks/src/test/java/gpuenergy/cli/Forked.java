package gpuenergy.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@code java -cp <the test classpath> MAIN args} as a process of its own, as users start benchmarks.jar. */
final class Forked {
    /** The test benchmark of 1 ms per image (gpuenergy.sweep.testbench): a plain run of it takes a second. */
    static final String SLEEP = "gpuenergy.sweep.testbench.SleepBenchmark.infer";

    private Forked() {}

    static ProcessBuilder java(Path log, List<String> jvmArgs, String mainClass, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(jvmArgs);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    }

    /** Runs to the end (at most a minute) and returns the exit code; the output is in {@code log}. */
    static int run(ProcessBuilder pb) throws IOException, InterruptedException {
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("still running after 60 s: " + pb.command());
        }
        return p.exitValue();
    }

    static String read(Path log) throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }
}
