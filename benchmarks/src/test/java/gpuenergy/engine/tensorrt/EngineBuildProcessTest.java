package gpuenergy.engine.tensorrt;

import gpuenergy.engine.NotRunException;
import gpuenergy.results.NotRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The engine build's child JVM, started for real: here its TensorRT directory holds files that are not libraries,
 * so the child stops at loading them, and its one line and kind come back to the benchmark's process.
 */
class EngineBuildProcessTest {

    /**
     * The child reads the model's files again after TensorRT parsed them: the same files say nothing; a .onnx file or an
     * external data file exported again meanwhile is named, so that neither an engine nor a parse failure is filed under
     * the old files' key.
     */
    @Test
    void aModelExportedAgainDuringTheBuildIsNamed(@TempDir Path dir) throws IOException {
        Path fixtures = EngineCacheExternalDataTest.FIXTURES;
        for (String f : List.of("tiny.onnx", "fc.weight", "proj.weight", "branch.bias")) {
            Files.copy(fixtures.resolve(f), dir.resolve(f));
        }
        Path onnx = dir.resolve("tiny.onnx");
        String prefix = EngineCacheExternalDataTest.PREFIX;
        String onnxSha256 = gpuenergy.engine.Sha256.of(onnx);
        SortedMap<String, String> external = OnnxExternalData.sha256s(onnx, prefix);
        assertEquals(null, EngineBuildProcess.sourceChanged(onnx, onnxSha256, external, prefix, "built from"));

        byte[] weights = Files.readAllBytes(dir.resolve("fc.weight"));
        weights[0] ^= 1;
        Files.write(dir.resolve("fc.weight"), weights);
        assertEquals("the external data files of " + onnx + " changed after TensorRT built from them (exported again?)",
                EngineBuildProcess.sourceChanged(onnx, onnxSha256, external, prefix, "built from"));

        Files.write(onnx, new byte[] {1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);
        assertEquals(onnx + " changed after TensorRT built from it (exported again?)",
                EngineBuildProcess.sourceChanged(onnx, onnxSha256, external, prefix, "built from"));
        Files.delete(dir.resolve("proj.weight"));
        Files.copy(fixtures.resolve("tiny.onnx"), onnx, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        String lost = EngineBuildProcess.sourceChanged(onnx, onnxSha256, external, prefix, "parsed");
        assertTrue(lost.startsWith("the model's files cannot be read again after TensorRT parsed them (" + onnx), lost);
        assertFalse(lost.contains(prefix), "the prefix once, where the line is used: " + lost);
        Files.delete(onnx);
        assertEquals(onnx + " cannot be read again after TensorRT built from it (no such file or directory)",
                EngineBuildProcess.sourceChanged(onnx, onnxSha256, external, prefix, "built from"));
    }
    @TempDir
    Path dir;

    @Test
    void theChildsReasonAndKindComeBackAsOneLine() throws IOException {
        Path trt = notLibraries();
        TensorRtLibraries libraries = new TensorRtLibraries(new TensorRtLibraries.Location(trt, "-Dgpuenergy.tensorrt.lib"), "10.6.0.26");
        EngineCache.Key key = EngineCacheTest.key();
        NotRunException e = assertThrows(NotRunException.class, () -> EngineBuildProcess.inChildProcess(libraries, dir.resolve("m.onnx"), key, 0,
                "m", dir.resolve("cache"), "engine 'tensorrt-fp16', batchSize 128: "));
        assertEquals(NotRun.Kind.UNAVAILABLE, e.kind(), e.getMessage());
        assertTrue(e.getMessage().startsWith("engine 'tensorrt-fp16': cannot load " + trt.resolve(TensorRtLibraries.NVINFER)
                + " (TensorRT from -Dgpuenergy.tensorrt.lib): "), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), e.getMessage());
    }

    /**
     * A build that cannot write its result file (a /tmp filled during the build) prints its failure on stderr, where the
     * benchmark's VM reads it back: the line names the cause instead of an exit code and "no reason".
     */
    @Test
    void aBuildThatCannotWriteItsResultGivesItsReasonOnStderr() throws Exception {
        Path trt = notLibraries();
        Path result = Files.createDirectories(dir.resolve("result-is-a-directory"));
        Path external = Files.writeString(dir.resolve("external.json"), "{}");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dgpuenergy.tensorrt.lib=" + trt, "-cp", System.getProperty("java.class.path"), EngineBuildProcess.class.getName(),
                result.toString(), dir.resolve("m.onnx").toString(), "ab".repeat(32), external.toString(), "128", "3", "224", "224", "0", "m")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        List<String> stderr = new String(child.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines().toList();
        assertEquals(3, child.waitFor(), String.join("\n", stderr));
        EngineBuildProcess.FailureOnStderr failure = new EngineBuildProcess.FailureOnStderr();
        stderr.forEach(failure::accept);
        NotRunException read = EngineBuildProcess.childsFailure(failure.lines());
        assertTrue(read != null, String.join("\n", stderr));
        assertEquals(NotRun.Kind.UNAVAILABLE, read.kind(), read.getMessage());
        assertTrue(read.getMessage().startsWith("engine 'tensorrt-fp16': cannot load " + trt.resolve(TensorRtLibraries.NVINFER)), read.getMessage());
        assertTrue(stderr.contains(EngineBuildProcess.FAILURE_ON_STDERR + result + " (is a directory); its failure follows"),
                String.join("\n", stderr));
    }

    /**
     * A model with an external data file per tensor (torch.onnx.export's way for models over 2 GiB) starts its build
     * as any other: the key's files do not travel as one argument, which Linux limits to 128 KiB.
     */
    @Test
    void aKeyNamingThousandsOfExternalFilesStartsTheBuild() throws IOException {
        Path trt = notLibraries();
        TensorRtLibraries libraries = new TensorRtLibraries(new TensorRtLibraries.Location(trt, "-Dgpuenergy.tensorrt.lib"), "10.6.0.26");
        SortedMap<String, String> files = new TreeMap<>();
        for (int i = 0; i < 2000; i++) {
            files.put("encoder.layers.encoder_layer_" + i + ".mlp.linear_1.weight", "ab".repeat(32));
        }
        EngineCache.Key k = EngineCacheTest.key();
        EngineCache.Key key = new EngineCache.Key(k.onnxSha256(), files, k.batch(), k.inputShape(), k.gpuName(), k.computeCapability(),
                k.multiprocessors(), k.memoryBytes(), k.tensorRtVersion(), k.buildOptions());
        NotRunException e = assertThrows(NotRunException.class, () -> EngineBuildProcess.inChildProcess(libraries, dir.resolve("m.onnx"), key, 0,
                "m", dir.resolve("cache"), "engine 'tensorrt-fp16', batchSize 128: "));
        assertTrue(e.getMessage().startsWith("engine 'tensorrt-fp16': cannot load " + trt.resolve(TensorRtLibraries.NVINFER)),
                "the child started and stopped at loading TensorRT: " + e.getMessage());
    }

    /**
     * A cache directory that cannot take the engine is one line before the build starts, not after minutes of building
     * (the build would be thrown away): here it is a file, so no child starts and TensorRT is never loaded.
     */
    @Test
    void aCacheThatCannotTakeTheEngineIsOneLineBeforeTheBuild() throws IOException {
        Path trt = notLibraries();
        TensorRtLibraries libraries = new TensorRtLibraries(new TensorRtLibraries.Location(trt, "-Dgpuenergy.tensorrt.lib"), "10.6.0.26");
        Path notADirectory = Files.writeString(dir.resolve("cache"), "a file, not a directory");
        NotRunException e = assertThrows(NotRunException.class, () -> EngineBuildProcess.inChildProcess(libraries, dir.resolve("m.onnx"),
                EngineCacheTest.key(), 0, "m", notADirectory, "engine 'tensorrt-fp16', batchSize 128: "));
        assertEquals(NotRun.Kind.ERROR, e.kind(), e.getMessage());
        assertEquals("engine 'tensorrt-fp16', batchSize 128: the engine cache " + notADirectory + " cannot take the engine ("
                + notADirectory + " is not a directory); set -Dgpuenergy.tensorrt.cache to a writable directory", e.getMessage());
    }

    /**
     * A benchmark VM killed while its engine builds (SIGKILL: kill -9, the out-of-memory killer) takes the build with it:
     * a build left running would hold the GPU beside the next benchmark's measurement.
     */
    @Test
    void theBuildEndsWithTheBenchmarksVm() throws Exception {
        Process vm = benchmarkVm();
        ProcessHandle build = buildOf(vm);
        try {
            vm.destroyForcibly();
            vm.waitFor();
            build.onExit().completeOnTimeout(build, 20, TimeUnit.SECONDS).join();
            assertFalse(build.isAlive(), "the build (pid " + build.pid() + ") still runs 20 s after its benchmark VM was killed");
        } finally {
            build.destroyForcibly();
            vm.destroyForcibly();
        }
    }

    /** A build killed (the out-of-memory killer picks the builder, the largest process) is one line that says so. */
    @Test
    void aKilledBuildIsOneLineThatSaysSo() throws Exception {
        Process vm = benchmarkVm();
        ProcessHandle build = buildOf(vm);
        try {
            build.destroyForcibly();
            assertTrue(vm.waitFor(30, TimeUnit.SECONDS), "the benchmark VM did not end after its build was killed");
            List<String> lines = new String(vm.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines().toList();
            assertEquals(List.of("error", "engine 'tensorrt-fp16', batchSize 128: the TensorRT engine build was killed by signal 9 "
                    + "(SIGKILL: kill -9, or the kernel's out-of-memory killer)"),
                    lines.subList(Math.max(0, lines.size() - 2), lines.size()), String.join("\n", lines));
        } finally {
            build.destroyForcibly();
            vm.destroyForcibly();
        }
    }

    /**
     * A build interrupted (JMH's iteration timeout, -to, interrupts the trial's setup) is killed, and the benchmark's VM
     * goes on only once it has ended: a build still tearing down would hold the GPU's memory beside the next trial, or
     * beside another process's build of the engine, which takes the build lock as soon as this VM lets go of it.
     */
    @Test
    void anInterruptedBuildHasEndedWhenTheTrialGoesOn() throws Exception {
        Process vm = benchmarkVm("interrupt");
        try {
            assertTrue(vm.waitFor(60, TimeUnit.SECONDS), "the benchmark VM did not end after its build was interrupted");
            List<String> lines = new String(vm.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines().toList();
            assertEquals(List.of("error", "engine 'tensorrt-fp16', batchSize 128: the TensorRT engine build was interrupted (JMH's "
                    + "iteration timeout, -to, counts it)", "the build had ended: true", "still interrupted: true"),
                    lines.subList(Math.max(0, lines.size() - 4), lines.size()), String.join("\n", lines));
        } finally {
            vm.destroyForcibly(); // its build ends with it (theBuildEndsWithTheBenchmarksVm)
        }
    }

    /**
     * A killed build has ended when {@link EngineBuildProcess#end} returns, however long its end takes after the kill (a
     * build's CUDA context takes a while to tear down), and on the interrupted thread JMH's -to leaves, whose interrupt
     * is kept.
     */
    @Test
    void endWaitsForTheKilledBuildToEnd() throws Exception {
        Process sleep = new ProcessBuilder("sleep", "60").start();
        try {
            Thread.currentThread().interrupt();
            EngineBuildProcess.end(new SlowToEnd(sleep));
            assertFalse(sleep.isAlive(), "the build still runs after end returned");
            assertTrue(Thread.interrupted(), "the interrupt is kept");
        } finally {
            Thread.interrupted();
            sleep.destroyForcibly();
        }
    }

    /** A process that a kill reaches 300 ms late, as a process with a CUDA context ends a while after its kill. */
    private static final class SlowToEnd extends Process {
        private final Process process;

        SlowToEnd(Process process) {
            this.process = process;
        }

        @Override
        public Process destroyForcibly() {
            java.util.concurrent.CompletableFuture.delayedExecutor(300, TimeUnit.MILLISECONDS).execute(process::destroyForcibly);
            return this;
        }

        @Override
        public void destroy() {
            destroyForcibly();
        }

        @Override
        public boolean isAlive() {
            return process.isAlive();
        }

        @Override
        public int waitFor() throws InterruptedException {
            return process.waitFor();
        }

        @Override
        public int exitValue() {
            return process.exitValue();
        }

        @Override
        public long pid() {
            return process.pid();
        }

        @Override
        public java.io.OutputStream getOutputStream() {
            return process.getOutputStream();
        }

        @Override
        public java.io.InputStream getInputStream() {
            return process.getInputStream();
        }

        @Override
        public java.io.InputStream getErrorStream() {
            return process.getErrorStream();
        }
    }

    /** A TensorRT directory whose libraries are not libraries: a child that loads them stops there. */
    private Path notLibraries() throws IOException {
        Path trt = Files.createDirectories(dir.resolve("trt"));
        Files.writeString(trt.resolve(TensorRtLibraries.NVINFER), "not a library");
        Files.writeString(trt.resolve(TensorRtLibraries.ONNX_PARSER), "not a library");
        return trt;
    }

    /**
     * A VM standing for the benchmark's: it starts the engine build as a session does, then prints the kind and line it
     * ends with. The build (the child) blocks before loading TensorRT, on a FIFO found first on its class path where
     * the bindings' JNI library would be, so that it is still running whenever the test kills one of the two.
     */
    private Process benchmarkVm(String... how) throws IOException, InterruptedException {
        Path trt = notLibraries();
        Path blocking = dir.resolve("blocking");
        Path fifo = blocking.resolve(TensorRtLibraries.JAVACPP_RESOURCES + "libjnijavacpp.so");
        Files.createDirectories(fifo.getParent());
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assumeTrue(mkfifo.waitFor() == 0, "mkfifo is needed to hold the build");
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                blocking + File.pathSeparator + System.getProperty("java.class.path"), Benchmark.class.getName(), trt.toString(),
                dir.toString()));
        command.addAll(List.of(how));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    /** The build the benchmark VM started, once it has started it. */
    private static ProcessHandle buildOf(Process vm) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() - deadline < 0 && vm.isAlive()) {
            Optional<ProcessHandle> build = vm.descendants()
                    .filter(EngineBuildProcessTest::isTheBuild).findFirst();
            if (build.isPresent()) {
                return build.get();
            }
            Thread.sleep(50);
        }
        vm.destroyForcibly();
        return fail("the benchmark VM started no engine build in 30 s");
    }

    /**
     * Whether a process is the engine build, its main class among its arguments. A command line that merely contains the
     * class's name is not enough: a child the benchmark VM has forked but not yet exec'd still shows the VM's own command
     * line, whose main class (this test's Benchmark) holds that name, and killing it then fails the spawn, not the build.
     */
    static boolean isTheBuild(ProcessHandle h) {
        return h.info().arguments().map(a -> List.of(a).contains(EngineBuildProcess.class.getName())).orElse(false);
    }

    /**
     * The benchmark's VM of {@link #benchmarkVm}: arguments TRT_DIR DIR [interrupt]. With interrupt, a second thread
     * interrupts the build's once the build runs, as JMH's -to does, and the VM says whether the build had ended when
     * the build's thread went on.
     */
    public static final class Benchmark {
        public static void main(String[] args) throws InterruptedException {
            TensorRtLibraries libraries = new TensorRtLibraries(new TensorRtLibraries.Location(Path.of(args[0]), "-Dgpuenergy.tensorrt.lib"),
                    "10.6.0.26");
            Path dir = Path.of(args[1]);
            java.util.concurrent.CompletableFuture<ProcessHandle> build = new java.util.concurrent.CompletableFuture<>();
            if (args.length > 2 && args[2].equals("interrupt")) {
                Thread trial = Thread.currentThread();
                Thread timeout = new Thread(() -> {
                    while (!build.isDone()) {
                        ProcessHandle.current().descendants().filter(EngineBuildProcessTest::isTheBuild).findFirst()
                                .ifPresent(build::complete);
                        try {
                            Thread.sleep(20);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                    trial.interrupt();
                });
                timeout.setDaemon(true);
                timeout.start();
            }
            try {
                EngineBuildProcess.inChildProcess(libraries, dir.resolve("m.onnx"), EngineCacheTest.key(), 0, "m", dir.resolve("cache"),
                        "engine 'tensorrt-fp16', batchSize 128: ");
                System.out.println("built");
            } catch (NotRunException e) {
                boolean ended = build.isDone() && !build.getNow(null).isAlive();
                boolean interrupted = Thread.interrupted();
                System.out.println(e.kind().label());
                System.out.println(e.getMessage());
                if (build.isDone()) {
                    System.out.println("the build had ended: " + ended);
                    System.out.println("still interrupted: " + interrupted);
                }
            }
        }
    }

    /**
     * The child writes its kind as the not-run lists spell it, and the parent reads that spelling back, and whether the
     * engine's key decides the failure (the engine cache records only those).
     */
    @Test
    void theKindTravelsAsItsLabel() throws IOException {
        List<String> didNotFit = Files.readAllLines(Path.of("src/test/resources/tensorrt/build-result-did-not-fit.txt"));
        NotRunException read = EngineBuildProcess.childsFailure(didNotFit);
        assertEquals(NotRun.Kind.DID_NOT_FIT, read == null ? null : read.kind());
        assertEquals("engine 'tensorrt-fp16', batchSize 4096: TensorRT ran out of GPU memory building the engine", read.getMessage());
        assertFalse(EngineBuildProcess.deterministic(didNotFit));
        for (NotRun.Kind kind : NotRun.Kind.values()) {
            String text = EngineBuildProcess.resultText(kind, "why\nin two lines", false);
            assertEquals(kind.label() + "\nwhy in two lines\n", text);
            assertEquals(kind, EngineBuildProcess.childsFailure(text.lines().toList()).kind());
            assertFalse(EngineBuildProcess.deterministic(text.lines().toList()));
        }
        String parseError = EngineBuildProcess.resultText(NotRun.Kind.ERROR, "TensorRT cannot parse m.onnx", true);
        assertEquals("error\nTensorRT cannot parse m.onnx\ndeterministic\n", parseError);
        assertEquals("TensorRT cannot parse m.onnx", EngineBuildProcess.childsFailure(parseError.lines().toList()).getMessage());
        assertTrue(EngineBuildProcess.deterministic(parseError.lines().toList()));
        // the parent reads RESULT by lines, which a carriage return ends too: a reason holding one (TensorRT's parser
        // error, the model's path) would lose its end and, for a failure the key decides, the mark that records it
        for (String lineEnd : new String[] {"\r", "\r\n", "\u2028"}) {
            List<String> lines = EngineBuildProcess.resultText(NotRun.Kind.ERROR, "TensorRT cannot parse m.onnx:" + lineEnd + "bad node", true)
                    .lines().toList();
            assertEquals("TensorRT cannot parse m.onnx: bad node", EngineBuildProcess.childsFailure(lines).getMessage());
            assertTrue(EngineBuildProcess.deterministic(lines), lines.toString());
        }
        assertEquals(null, EngineBuildProcess.childsFailure(List.of("DID_NOT_FIT", "a spelling no kind has")));
        assertEquals(null, EngineBuildProcess.childsFailure(List.of("error")));
    }
}
