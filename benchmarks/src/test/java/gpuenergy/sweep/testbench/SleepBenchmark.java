package gpuenergy.sweep.testbench;

import gpuenergy.engine.EndWithParent;
import gpuenergy.options.SuiteSetting;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in for gpuenergy.bench.InferenceBenchmark with the same parameters, to test the sweep's logic
 * on a CPU in seconds. It measures nothing about GPUs: a "batch" is a sleep of 1 ms per image.
 *
 * model "fits&lt;N&gt;" (or a path ending so, ./fits&lt;N&gt;): batches larger than N fail the way the real benchmark
 * reports a CUDA out of memory.
 * engine "sleep": runs; "broken": fails with an ordinary error; "halt": the VM exits without an exception;
 * "abort": the VM prints libtorch's out-of-memory abort on its native stderr and dies (no Java exception); "sigkill":
 * the VM sends itself SIGKILL (kill -9), as the kernel's out-of-memory killer would, but without running out of memory;
 * "late-broken" and "late-halt": run, except in a trial after the first (counted in the file {@link #TRIALS} names),
 * whose third iteration throws, or whose VM exits at its start; "late-oom": runs in the first trial, and in a later one
 * fails at its setup as the real benchmark reports a CUDA out of memory.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 0)
@Measurement(iterations = 1)
public class SleepBenchmark {
    @Param("fits8")
    public String model;

    @Param("sleep")
    public String engine;

    @Param("1")
    public int batchSize;

    @Param("cpu")
    public String device;

    /**
     * A file each trial appends "model CUDA_VISIBLE_DEVICES start-ms end-ms threads" to, when the system property names one
     * (threads: the fork's ai.djl.pytorch.num_threads, null when it has none): what the test of sweep --gpus reads to see
     * which GPU each fork was pinned to, and when it ran, and the tests of the thread count what each fork was given. Outside gpuenergy.*,
     * which holds the suite's settings alone: the test gives it to the forks with -jvmArgsAppend.
     */
    public static final String TRACE = "sleepbenchmark.trace";

    /**
     * The largest batch any model fits, when the system property gives one below the model's own: a card with less
     * memory. Outside gpuenergy.*, as {@link #TRACE}: the test gives it to the forks with -jvmArgsAppend.
     */
    public static final String FITS = "sleepbenchmark.fits";

    /** A file each trial appends a line to, when the system property names one: the "late-*" engines count trials in it. */
    public static final String TRIALS = "sleepbenchmark.trials";

    private int fits;
    private long trialStart;
    private int trial;
    private int iteration;

    @Setup
    public void setup() throws IOException {
        EndWithParent.watchInJmhFork(); // as InferenceBenchmark
        trialStart = System.currentTimeMillis();
        fits = Integer.parseInt(model.substring(model.lastIndexOf("fits") + "fits".length()));
        fits = Math.min(fits, Integer.getInteger(FITS, Integer.MAX_VALUE));
        String trials = System.getProperty(TRIALS);
        if (trials != null) {
            Path f = Path.of(trials);
            trial = Files.exists(f) ? Files.readAllLines(f).size() : 0;
            Files.writeString(f, "trial\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        switch (engine) {
            case "sleep":
            case "late-broken":
            case "late-halt":
                break;
            case "broken":
                throw new IllegalArgumentException("engine 'broken': no such engine (the test benchmark's failing engine)");
            case "late-oom":
                if (trial >= 1) {
                    throw new IllegalStateException("CUDA out of memory: batch " + batchSize + " of " + model
                            + " (test benchmark, trial " + (trial + 1) + ")");
                }
                break;
            case "halt":
                Runtime.getRuntime().halt(3);
                break;
            case "abort":
                FileOutputStream nativeErr = new FileOutputStream(FileDescriptor.err);
                nativeErr.write(("terminate called after throwing an instance of 'c10::OutOfMemoryError'\n"
                        + "  what():  CUDA out of memory. (test benchmark abort)\n").getBytes(StandardCharsets.UTF_8));
                nativeErr.flush();
                Runtime.getRuntime().halt(134);
                break;
            case "sigkill":
                try {
                    new ProcessBuilder("kill", "-9", String.valueOf(ProcessHandle.current().pid())).inheritIO().start().waitFor();
                    Thread.sleep(60_000); // the signal ends the VM before
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new IllegalStateException("engine 'sigkill': kill -9 did not end the VM");
            default:
                throw new IllegalArgumentException("engine " + engine + ": expected sleep, broken, halt, abort, sigkill, "
                        + "late-broken, late-halt or late-oom");
        }
    }

    @Setup(Level.Iteration)
    public void iterationSetup() {
        iteration++;
        if (trial >= 1 && iteration == 3) {
            if (engine.equals("late-broken")) {
                throw new IllegalStateException("test benchmark: trial " + (trial + 1) + " fails in its third iteration");
            }
            if (engine.equals("late-halt")) {
                Runtime.getRuntime().halt(134);
            }
        }
    }

    @TearDown
    public void tearDown() throws IOException {
        String trace = System.getProperty(TRACE);
        if (trace != null) {
            String line = model + " " + System.getenv("CUDA_VISIBLE_DEVICES") + " " + trialStart + " "
                    + System.currentTimeMillis() + " " + System.getProperty(SuiteSetting.TORCH_THREADS.property()) + "\n";
            Files.writeString(Path.of(trace), line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
    }

    @Benchmark
    public void infer() throws InterruptedException {
        if (batchSize > fits) {
            throw new IllegalStateException("CUDA out of memory: batch " + batchSize + " of " + model
                    + " (test benchmark, fits up to " + fits + ")");
        }
        Thread.sleep(batchSize);
    }
}
