package gpuenergy.engine.tensorrt;

import com.google.gson.Gson;
import com.google.gson.JsonParser;
import gpuenergy.engine.EndWithParent;
import gpuenergy.engine.NotRunException;
import gpuenergy.engine.Sha256;
import gpuenergy.options.SuiteSetting;
import gpuenergy.results.IoMessage;
import gpuenergy.results.NotRun;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Builds an engine into the cache in a child JVM. TensorRT's builder opens its kernel library
 * (libnvinfer_builder_resource.so) by file name, which the dynamic loader finds only on LD_LIBRARY_PATH, read when
 * a process starts: the child is started with TensorRT's directory on it, whichever way the libraries were found.
 * It also keeps the builder's memory (the parsed model, its GPU scratch space) out of the benchmark's process.
 *
 * <p>Run as a program, this class is the child: arguments {@code RESULT ONNX SHA256 EXTERNAL_DATA BATCH C H W GPU MODEL}
 * (EXTERNAL_DATA: a file holding the key's external data files as a JSON object, which as an argument would exceed
 * Linux's 128 KiB for one argument with some 1 200 files, one per tensor); it writes the engine into the cache
 * ({@code -Dgpuenergy.tensorrt.cache}) and, when it cannot, the kind and the one line why into RESULT, and whether the
 * engine's key decides that failure ({@link EngineCache.DeterministicFailure}), which the cache then records.
 */
public final class EngineBuildProcess {
    private EngineBuildProcess() {}

    /**
     * Builds the engine for {@code key} in a child JVM and returns once it is in the cache (or throws its one line, as
     * an {@link EngineCache.DeterministicFailure} when the child says the key decides it).
     */
    static void inChildProcess(TensorRtLibraries libraries, Path onnx, EngineCache.Key key, int ordinal, String model, Path cacheDir,
                               String prefix) {
        String cannot = new EngineCache(cacheDir).cannotWrite(key, model);
        if (cannot != null) {
            throw NotRunException.error(prefix + "the engine cache " + cacheDir + " cannot take the engine (" + cannot + "); set -D"
                    + SuiteSetting.TENSORRT_CACHE.property() + " to a writable directory");
        }
        Path result;
        Path externalData;
        try {
            result = Files.createTempFile("gpuenergy-trt-build", ".txt");
            externalData = Files.createTempFile("gpuenergy-trt-external-data", ".json");
            Files.writeString(externalData, new Gson().toJson(key.onnxExternalData()));
        } catch (IOException e) {
            throw NotRunException.error(prefix + "cannot create a temporary file for the engine build: " + e.getMessage());
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx1g");
        command.addAll(SuiteSetting.jvmArgs());
        command.add("-D" + SuiteSetting.TENSORRT_LIB.property() + "=" + libraries.location().dir());
        command.add("-D" + SuiteSetting.TENSORRT_CACHE.property() + "=" + cacheDir);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), EngineBuildProcess.class.getName(), result.toString(),
                onnx.toString(), key.onnxSha256(), externalData.toString(), String.valueOf(key.batch()),
                String.valueOf(key.inputShape()[0]), String.valueOf(key.inputShape()[1]), String.valueOf(key.inputShape()[2]),
                String.valueOf(ordinal), model));
        // the child's stdin is a pipe that this VM holds open, so that the child sees it end when this VM ends (EndWithParent)
        // its stderr passes through this VM, which keeps the reason the child prints there when it cannot write RESULT
        ProcessBuilder pb = new ProcessBuilder(command).inheritIO().redirectInput(ProcessBuilder.Redirect.PIPE)
                .redirectError(ProcessBuilder.Redirect.PIPE);
        String ld = System.getenv("LD_LIBRARY_PATH");
        pb.environment().put("LD_LIBRARY_PATH", libraries.location().dir() + (ld == null || ld.isBlank() ? "" : ":" + ld));
        Process p = null;
        FailureOnStderr failureOnStderr = new FailureOnStderr();
        try {
            p = pb.start();
            Thread stderr = forwardStderr(p, failureOnStderr);
            int rc = p.waitFor();
            stderr.join(TimeUnit.SECONDS.toMillis(5)); // its last lines, the reason among them, once the child has ended
            if (rc != 0) {
                List<String> lines = Files.exists(result) ? Files.readAllLines(result, StandardCharsets.UTF_8) : List.of();
                if (childsFailure(lines) == null) {
                    lines = failureOnStderr.lines();
                }
                NotRunException childs = childsFailure(lines);
                if (childs != null) {
                    throw deterministic(lines) ? new EngineCache.DeterministicFailure(childs) : childs;
                }
                if (rc > 128) {
                    // Process gives 128 + the signal's number for a child a signal ended; "exit code 137" tells few users
                    // that the out-of-memory killer took the builder
                    int signal = rc - 128;
                    throw NotRunException.error(prefix + "the TensorRT engine build was killed by signal " + signal
                            + (signal == 9 ? " (SIGKILL: kill -9, or the kernel's out-of-memory killer)" : ""));
                }
                throw NotRunException.error(prefix + "the TensorRT engine build ended with exit code " + rc + " and no reason (see its output above)");
            }
        } catch (IOException e) {
            throw NotRunException.error(prefix + "cannot start the TensorRT engine build (" + command.get(0) + "): " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw NotRunException.error(prefix + "the TensorRT engine build was interrupted (JMH's iteration timeout, -to, counts it)");
        } finally {
            if (p != null) {
                end(p);
            }
            try {
                Files.deleteIfExists(result);
                Files.deleteIfExists(externalData);
            } catch (IOException ignored) {
                // a temporary file left behind is harmless
            }
        }
    }

    /**
     * How the line starts that the child prints on stderr when it cannot write RESULT, naming RESULT and why; RESULT's
     * text ({@link #resultText}) follows on the next lines.
     */
    static final String FAILURE_ON_STDERR = "# TensorRT: the engine build cannot write its result to ";

    /**
     * Copies the child's stderr to this VM's as it comes, line by line, and keeps in {@code failure} the failure the
     * child prints there when it cannot write RESULT ({@link FailureOnStderr}).
     */
    private static Thread forwardStderr(Process child, FailureOnStderr failure) {
        Thread t = new Thread(() -> {
            try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(child.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    System.err.println(line);
                    failure.accept(line);
                }
            } catch (IOException e) {
                // the child ended, or this VM is ending: what it printed last is lost with it
            }
        }, "engine build stderr");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** RESULT's text as the child prints it on stderr after its {@link #FAILURE_ON_STDERR} line, fed the lines of stderr. */
    static final class FailureOnStderr {
        private StringBuilder text;
        private volatile String lines;

        void accept(String line) {
            if (line.startsWith(FAILURE_ON_STDERR)) {
                text = new StringBuilder();
            } else if (text != null && text.length() < 1 << 20) {
                text.append(line).append('\n');
                lines = text.toString();
            }
        }

        /** RESULT's lines as the child printed them; none when it printed no failure. */
        List<String> lines() {
            String l = lines;
            return l == null ? List.of() : l.lines().toList();
        }
    }

    /** How long {@link #end} waits for a killed build to end before it says so and goes on. */
    static final int KILLED_BUILD_ENDS_SECONDS = 30;

    /**
     * Kills the build where it still runs (this thread was interrupted: JMH's -to) and returns once it has ended. Until
     * then it holds the GPU's memory, and its caller holds the engine's build lock ({@link EngineCache#buildOnce}): the
     * next trial, or another process's build of the engine that takes the lock, would otherwise start beside a build still
     * tearing down, short of that memory. The wait ignores this thread's interrupt, which is kept; a build that has not
     * ended after {@link #KILLED_BUILD_ENDS_SECONDS} (stuck in the GPU's driver) is one line, and left to the kernel.
     */
    static void end(Process build) {
        if (!build.isAlive()) {
            return;
        }
        build.destroyForcibly();
        // join, unlike waitFor, does not give up on an interrupted thread
        build.onExit().completeOnTimeout(build, KILLED_BUILD_ENDS_SECONDS, TimeUnit.SECONDS).join();
        if (build.isAlive()) {
            System.out.println("# TensorRT: the engine build (pid " + build.pid() + ") has not ended " + KILLED_BUILD_ENDS_SECONDS
                    + " s after it was killed; it may still hold GPU memory");
        }
    }

    /**
     * The child: builds one engine and writes it into the cache; exit 0, or 3 with the kind and reason in RESULT (and
     * {@link #DETERMINISTIC} for a failure the engine's key decides), or on stderr where RESULT cannot be written ({@link #FAILURE_ON_STDERR}). Its stdin is the parent's pipe: when it ends, the
     * parent has ended, and so does the build.
     */
    public static void main(String[] args) {
        EndWithParent.watch("# TensorRT: the benchmark's VM has ended; the engine build stops", 4);
        Path result = Path.of(args[0]);
        int batch = Integer.parseInt(args[4]);
        String prefix = "engine '" + TensorRtEngine.NAME + "', batchSize " + batch + ": ";
        try {
            Path onnx = Path.of(args[1]);
            // the parent's hashes, not this process's: the engine is filed under the key the parent reads it by
            SortedMap<String, String> externalData = externalData(args[3]);
            long[] chw = {Long.parseLong(args[5]), Long.parseLong(args[6]), Long.parseLong(args[7])};
            int ordinal = Integer.parseInt(args[8]);
            String model = args[9];
            TensorRtLibraries libraries = TensorRtLibraries.load(TensorRtEngine.NAME);
            CudaDevice gpu = CudaDevice.open(ordinal, TensorRtEngine.NAME);
            EngineBuilder.Options options = EngineBuilder.Options.fromSystemProperties();
            EngineCache.Key key = new EngineCache.Key(args[2], externalData, batch, chw, gpu.name, gpu.computeCapability,
                    gpu.multiprocessors, gpu.memoryBytes, libraries.version(), options.describe());
            System.out.println("# TensorRT: building the FP16 engine for " + onnx.getFileName() + ", input " + batch + "x" + chw[0] + "x"
                    + chw[1] + "x" + chw[2] + " on " + gpu.name + " (optimization level " + options.optimizationLevel() + ")");
            long start = System.nanoTime();
            var plan = EngineBuilder.build(onnx, chw, batch, options, prefix);
            double seconds = (System.nanoTime() - start) / 1e9;
            String changed = sourceChanged(onnx, args[2], externalData, prefix, "built from");
            if (changed != null) {
                throw NotRunException.error(prefix + changed + "; the engine built from it is not cached: run again");
            }
            EngineCache cache = new EngineCache(EngineCache.defaultDir());
            try {
                cache.write(key, model, plan, seconds);
            } catch (IOException e) {
                throw NotRunException.error(prefix + "cannot write the engine into " + cache.dir() + ": "
                        + IoMessage.cannotWrite(cache.file(key, model), e)
                        + " (set -D" + SuiteSetting.TENSORRT_CACHE.property() + " to a writable directory)");
            }
            System.out.printf(Locale.ROOT, "# TensorRT: engine built in %.1f s, %d MiB%n", seconds, plan.remaining() >> 20);
            System.out.flush();
            Runtime.getRuntime().halt(0); // TensorRT's objects are not freed: their destructors need not run either
        } catch (EngineCache.DeterministicFailure e) {
            // the key decides the failure only where the files parsed are still those the key names: a model exported
            // again meanwhile may parse, and must not be refused under its new key's predecessor
            String changed;
            try {
                changed = sourceChanged(Path.of(args[1]), args[2], externalData(args[3]), prefix, "parsed");
            } catch (Throwable unread) {
                changed = "the parent's record of the model's files cannot be read (" + NotRunException.firstLine(unread) + ")";
            }
            fail(result, e.failure().kind(), e.failure().getMessage() + (changed == null ? "" : "; " + changed), changed == null);
        } catch (NotRunException e) {
            fail(result, e.kind(), e.getMessage(), false);
        } catch (Throwable e) {
            // whatever stops the build, the benchmark gets one line; what it was is not known, so not recorded. An error
            // even where OutOfMemory.verdict would read did-not-fit: the GPU's memory running out reaches this child as
            // CUDA_ERROR_OUT_OF_MEMORY or TensorRT's logged errors and warnings, did-not-fit above (CudaDevice.check,
            // TrtFailure), and the child holds no host buffer that grows with the batch (the plan is TensorRT's memory,
            // written as it is), so an OutOfMemoryError here is the child VM's or the host's: --resume tries an error
            // again, where a did-not-fit would end the ladder at this batch for good
            fail(result, NotRun.Kind.ERROR, prefix + "the TensorRT engine build failed: " + NotRunException.firstLine(e), false);
        }
    }

    /** The parent's hashes of the model's external data files, as it wrote them for this child. */
    private static SortedMap<String, String> externalData(String file) throws IOException {
        SortedMap<String, String> externalData = new TreeMap<>();
        JsonParser.parseString(Files.readString(Path.of(file))).getAsJsonObject().entrySet()
                .forEach(e -> externalData.put(e.getKey(), e.getValue().getAsString()));
        return externalData;
    }

    /**
     * Why the model's files are no longer those the engine's key names (the .onnx file's SHA-256 {@code onnxSha256},
     * its external data files' {@code externalData}), read again after TensorRT {@code did} them ("built from",
     * "parsed"); null when they are the same. A model exported again meanwhile would otherwise be cached, or refused,
     * under the old files' key. Whatever stops the reading (a file truncated while it is mapped) counts as changed.
     */
    static String sourceChanged(Path onnx, String onnxSha256, SortedMap<String, String> externalData, String prefix, String did) {
        try {
            if (!Sha256.of(onnx).equalsIgnoreCase(onnxSha256)) {
                return onnx + " changed after TensorRT " + did + " it (exported again?)";
            }
            if (!OnnxExternalData.sha256s(onnx, prefix).equals(externalData)) {
                return "the external data files of " + onnx + " changed after TensorRT " + did + " them (exported again?)";
            }
            return null;
        } catch (IOException e) {
            return onnx + " cannot be read again after TensorRT " + did + " it (" + IoMessage.reason(e) + ")";
        } catch (NotRunException e) {
            String why = e.getMessage().startsWith(prefix) ? e.getMessage().substring(prefix.length()) : e.getMessage();
            return "the model's files cannot be read again after TensorRT " + did + " them (" + why + ")";
        } catch (Throwable e) {
            return onnx + " cannot be read again after TensorRT " + did + " it (" + NotRunException.firstLine(e) + ")";
        }
    }

    /** RESULT's third line for a failure the engine's key decides. */
    static final String DETERMINISTIC = "deterministic";

    /**
     * RESULT's text: the kind as the not-run lists spell it ({@link NotRun.Kind#label}), then the one line why, then
     * {@link #DETERMINISTIC} when the engine's key decides the failure.
     */
    static String resultText(NotRun.Kind kind, String message, boolean deterministic) {
        return kind.label() + "\n" + message.replaceAll("\\R", " ") + "\n" + (deterministic ? DETERMINISTIC + "\n" : "");
    }

    /** Whether RESULT's lines say the engine's key decides the failure. */
    static boolean deterministic(List<String> lines) {
        return lines.size() > 2 && lines.get(2).equals(DETERMINISTIC);
    }

    /** The child's kind and line from RESULT's lines; null when it wrote none that reads ({@link NotRun.Kind#of}). */
    static NotRunException childsFailure(List<String> lines) {
        if (lines.size() < 2) {
            return null;
        }
        try {
            return new NotRunException(NotRun.Kind.of(lines.get(0)), lines.get(1));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static void fail(Path result, NotRun.Kind kind, String message, boolean deterministic) {
        String text = resultText(kind, message, deterministic);
        try {
            Files.writeString(result, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            // a full or read-only /tmp: the parent reads the reason from stderr instead, where the user sees it too
            System.err.print(FAILURE_ON_STDERR + result + " (" + IoMessage.reason(e) + "); its failure follows\n" + text);
            System.err.flush();
        }
        System.out.flush();
        Runtime.getRuntime().halt(3);
    }
}
