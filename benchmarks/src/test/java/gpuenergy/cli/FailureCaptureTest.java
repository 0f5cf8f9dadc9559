package gpuenergy.cli;

import gpuenergy.engine.OutOfMemory;
import gpuenergy.results.NotRun;
import gpuenergy.results.ParamNames;
import gpuenergy.run.Failure;
import gpuenergy.run.OomKills;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.BenchmarkException;
import org.openjdk.jmh.runner.IterationType;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.WorkloadParams;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A plain run's benchmark that threw out of its fork, with no record of its own, is listed as not run as a sweep
 * classifies the same exception (gpuenergy.run.Failure): the same kind, and the same reason.
 */
class FailureCaptureTest {
    /** The output the CPU sweep captured (src/test/resources/cpu/README.md): the heap full in the benchmark's setup. */
    private static final Path JAVA_HEAP_IN_SETUP = Path.of("src/test/resources/cpu/java-heap-in-setup.txt");

    @TempDir
    Path dir;

    private static BenchmarkParams params() {
        WorkloadParams wp = new WorkloadParams();
        wp.put(ParamNames.BATCH_SIZE, "1", 0);
        wp.put(ParamNames.DEVICE, "cpu", 1);
        wp.put(ParamNames.ENGINE, "pytorch-fp32", 2);
        wp.put(ParamNames.MODEL, "mobilenetv3_small_100", 3);
        return new BenchmarkParams("gpuenergy.bench.InferenceBenchmark.infer", "generated", false, 1, new int[] {1},
                List.of(), 1, 0, new IterationParams(IterationType.WARMUP, 0, TimeValue.seconds(1), 1),
                new IterationParams(IterationType.MEASUREMENT, 1, TimeValue.seconds(1), 1), Mode.Throughput, wp,
                TimeUnit.SECONDS, 1, "java", List.of(), "17", "vm", "17", "1.37", TimeValue.minutes(1));
    }

    /**
     * The not-run entry a plain run lists for a benchmark whose fork sent back {@code trace}: JMH prints the captured
     * output's lines up to its failure, then the failure as BaseRunner does ("&lt;failure&gt;", a blank line, the
     * exception's stack trace in one println).
     */
    private NotRun listed(String trace) throws Exception {
        String output = Files.readString(JAVA_HEAP_IN_SETUP);
        String before = output.substring(0, output.indexOf("<failure>"));
        return listedAfter(capture -> {
            List<String> lines = before.lines().toList();
            lines.subList(0, lines.size() - 1).forEach(capture::println);
            capture.print(lines.get(lines.size() - 1));
            capture.println("<failure>");
            capture.println("");
            capture.println(trace);
            capture.println("");
        });
    }

    /** The not-run entry a plain run lists for its one benchmark, once JMH has printed what {@code prints} prints. */
    private NotRun listedAfter(Consumer<FailureCapture> prints) throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Path result = dir.resolve("run.json");
        try (SuiteRun suite = new SuiteRun(new String[0], () -> null)) {
            FailureCapture capture = new FailureCapture(new ProgressiveResult(OutputFormatFactory.createFormatInstance(
                    new PrintStream(printed, true, StandardCharsets.UTF_8), VerboseMode.NORMAL), result, null, jmh -> jmh),
                    suite, result, false);
            capture.startRun();
            capture.startBenchmark(params());
            prints.accept(capture);
            capture.endBenchmark(null);
            List<NotRun> notRun = capture.notRun(Set.of());
            assertEquals(1, notRun.size(), notRun.toString());
            return notRun.get(0);
        }
    }

    private static String stackTrace(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        return w.toString();
    }

    /** What a sweep makes of {@code error} thrown out of its fork (JMH's RunnerException around it). */
    private static Failure sweep(Throwable error) {
        BenchmarkException fromFork = new BenchmarkException(error);
        return Failure.classify(new RunnerException("Benchmark caught the exception", fromFork), "", OomKills.UNKNOWN);
    }

    private void listedAsTheSweepClassifies(Throwable error, NotRun.Kind kind) throws Exception {
        Failure sweep = sweep(error);
        assertEquals(kind, sweep.kind(), sweep.reason());
        NotRun plain = listed(stackTrace(error));
        assertEquals(sweep.kind(), plain.kind(), plain.reason());
        // JMH prints the class's full name where the sweep names it simply
        assertEquals("java.lang." + sweep.reason(), plain.reason());
    }

    /** The captured output's own error: the heap full in the setup, a setting of the run, with what raises it. */
    @Test
    void aFullJavaHeapIsAnErrorThatSaysHowToGiveTheForksMore() throws Exception {
        String trace = Files.readString(JAVA_HEAP_IN_SETUP).lines().dropWhile(l -> !l.startsWith("java.lang."))
                .takeWhile(l -> !l.isBlank()).reduce((a, b) -> a + "\n" + b).orElseThrow();
        NotRun plain = listed(trace);
        assertEquals(NotRun.Kind.ERROR, plain.kind());
        assertEquals("java.lang.OutOfMemoryError: Java heap space (" + OutOfMemory.JvmLimit.JAVA_HEAP.reason() + ")", plain.reason());
        listedAsTheSweepClassifies(new OutOfMemoryError("Java heap space"), NotRun.Kind.ERROR);
    }

    /** Native memory for a batch's buffers that the host could not give: the batch did not fit. */
    @Test
    void nativeMemoryTheBatchCouldNotHaveDidNotFit() throws Exception {
        listedAsTheSweepClassifies(new OutOfMemoryError("Cannot allocate 4294967296 bytes"), NotRun.Kind.DID_NOT_FIT);
    }

    /** JavaCPP's maxBytes, reached under its own OutOfMemoryError for the pointer: the cause decides, an error. */
    @Test
    void javaCppsLimitUnderItsPointersErrorIsAnError() throws Exception {
        OutOfMemoryError limit = new OutOfMemoryError("Failed to allocate memory within limits: totalBytes (1.5G + 1G) > "
                + "maxBytes (2G)");
        OutOfMemoryError pointer = new OutOfMemoryError("Cannot allocate new FloatPointer(268435456): totalBytes = 1.5G, "
                + "physicalBytes = 2G");
        pointer.initCause(limit);
        Failure sweep = sweep(pointer);
        assertEquals(NotRun.Kind.ERROR, sweep.kind(), sweep.reason());
        assertEquals("OutOfMemoryError: Failed to allocate memory within limits: totalBytes (1.5G + 1G) > maxBytes (2G) ("
                + OutOfMemory.JvmLimit.JAVACPP_MAX_BYTES.reason() + ")", sweep.reason());
        NotRun plain = listed(stackTrace(pointer));
        assertEquals(NotRun.Kind.ERROR, plain.kind(), plain.reason());
        assertEquals("java.lang." + sweep.reason(), plain.reason());
    }

    /**
     * Every line of the exception's text is read, as the sweep reads it: a TorchScript error's message names CUDA's out
     * of memory on its last line, and a full heap suppressed under a device's out of memory decides as in a sweep.
     */
    @Test
    void theWholeTextOfTheExceptionAndItsSuppressedErrorsIsRead() throws Exception {
        RuntimeException torchScript = new RuntimeException("The following operation failed in the TorchScript "
                + "interpreter.\nTraceback of TorchScript (most recent call last):\nRuntimeError: CUDA out of memory. "
                + "Tried to allocate 2.00 GiB");
        Failure sweep = sweep(torchScript);
        assertEquals(NotRun.Kind.DID_NOT_FIT, sweep.kind(), sweep.reason());
        NotRun plain = listed(stackTrace(torchScript));
        assertEquals(NotRun.Kind.DID_NOT_FIT, plain.kind(), plain.reason());
        assertEquals(sweep.reason(), plain.reason());

        RuntimeException cuda = new RuntimeException("CUDA out of memory. Tried to allocate 2.00 GiB");
        cuda.addSuppressed(new OutOfMemoryError("Java heap space"));
        listedAsTheSweepClassifies(cuda, NotRun.Kind.ERROR);
    }

    /** A frame's class or method that names out of memory is where the error was thrown, not what it says. */
    @Test
    void aFrameThatNamesOutOfMemoryIsNoOutOfMemory() throws Exception {
        IllegalStateException e = new IllegalStateException("numerics check failed");
        e.setStackTrace(new StackTraceElement[] {new StackTraceElement("gpuenergy.engine.OutOfMemory", "verdict",
                "OutOfMemory.java", 1)});
        NotRun plain = listed(stackTrace(e));
        assertEquals(NotRun.Kind.ERROR, plain.kind(), plain.reason());
        assertEquals("java.lang.IllegalStateException: numerics check failed", plain.reason());
    }

    /**
     * A fork whose VM did not start (the CPU run of src/test/resources/cpu/README.md: -jvmArgsAppend -Xmx6m below the
     * benchmark's own -Xms1g) is listed with HotSpot's line from its stdout and what to fix, as the sweep classifies the
     * same output: JMH prints it line by line, then a blank line.
     */
    @Test
    void aForkWhoseVmDidNotStartIsListedAsTheSweepClassifiesIt() throws Exception {
        String output = Files.readString(Path.of("src/test/resources/cpu/heap-settings-conflict.txt"));
        NotRun plain = listedAfter(capture -> {
            output.lines().forEach(capture::println);
            capture.println("");
        });
        Failure sweep = Failure.classify(new RunnerException("Benchmark had encountered error, and fail on error was "
                + "requested"), output, OomKills.UNKNOWN);
        assertEquals(NotRun.Kind.ERROR, plain.kind(), plain.reason());
        assertEquals("forked VM failed with exit code 1: Initial heap size set to a larger value than the maximum heap "
                + "size" + Failure.DID_NOT_START, plain.reason());
        assertEquals(new Failure(sweep.kind(), sweep.reason()), new Failure(plain.kind(), plain.reason()));
        assertEquals("Initial heap size set to a larger value than the maximum heap size", sweep.vmNotStarted());
    }

    /** An ordinary exception stays an error whose reason is its first line, whole. */
    @Test
    void anotherExceptionIsAnErrorWithItsFirstLine() throws Exception {
        NotRun plain = listed(stackTrace(new IllegalStateException("engine 'x': no such engine")));
        assertEquals(NotRun.Kind.ERROR, plain.kind());
        assertEquals("java.lang.IllegalStateException: engine 'x': no such engine", plain.reason());
    }
}
