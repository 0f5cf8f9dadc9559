package gpuenergy.engine;

import gpuenergy.results.NotRun;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Recognises "the batch did not fit" in error text: "out of memory" in words (CUDA's "CUDA out of memory", TensorRT's,
 * the benchmark's own message), an error's name: the driver's CUDA_ERROR_OUT_OF_MEMORY, cudaErrorMemoryAllocation,
 * Java's and libtorch's OutOfMemoryError, TensorRT's "Error Code 2: OutOfMemory", cuBLAS's CUBLAS_STATUS_ALLOC_FAILED,
 * or an allocator's phrase: libtorch's CPU allocator's "can't allocate memory", TensorRT's "Requested amount of GPU
 * memory (N bytes) could not be allocated", "insufficient memory" and its builder's "Device memory is insufficient to
 * use tactic". The fork classifies its own exceptions with it; the sweep, the output of a fork that died without saying
 * why; the TensorRT engine, the errors TensorRT logged and the warnings of a build that found no implementation; and
 * {@link #verdict} decides, for the fork's exceptions and the sweep alike, what a run that reported one did.
 * Java's OutOfMemoryError for native memory (JNA's "Cannot allocate N bytes") is one: the engines' host buffers for a
 * batch (its logits, read back for the numerics gate) grow with the batch, and no setting of the VM bounds them.
 * A VM's own fatal error ("There is insufficient memory for the Java Runtime Environment to continue.") is not one: the
 * host could not give the VM its memory, a state of the machine at that moment that says nothing of the batch, so the
 * sweep records it as a failure to try again rather than as the end of the ladder. Nor is an OutOfMemoryError that
 * names a limit of the VM itself ({@link JvmLimit}: a full Java heap, metaspace, direct buffers, threads, JavaCPP's
 * maxBytes and maxPhysicalBytes): a setting of the run or of the host, not the device's memory.
 */
public final class OutOfMemory {
    private static final Pattern IN_WORDS = Pattern.compile(".*out\\s+of\\s+memory.*");
    /** Error names and allocators' phrases, compared in lower case without blanks and underscores. */
    private static final List<String> NAMES = List.of("outofmemory", "cudaerrormemoryallocation", "cublasstatusallocfailed",
            "can'tallocatememory", "couldnotbeallocated", "insufficientmemory", "memoryisinsufficient", "requestedamountofgpumemory");
    /** The JVM's words for its own memory, compared as {@link #NAMES} are. */
    private static final String JVM_ITSELF = "javaruntimeenvironment";
    /** The error a JVM limit is reported with, compared as {@link #NAMES} are. */
    private static final String JAVA_ERROR = "outofmemoryerror";

    private OutOfMemory() {}

    /**
     * A limit of the forked VM itself that a java.lang.OutOfMemoryError names, and why it is not the device's memory:
     * the engines hold a batch in native memory, so a did-not-fit here would end a sweep's ladder for good where a
     * setting of the run (-jvmArgsAppend, then --resume) runs the batch. JMH's -jvmArgs come before the benchmark's
     * {@code @Fork(jvmArgsAppend)} (InferenceBenchmark's -Xmx4g), which then wins; -jvmArgsAppend comes after it.
     */
    public enum JvmLimit {
        JAVA_HEAP("the forked VM's Java heap is full: a JVM setting, not the device's memory; give the forks a larger one "
                + "with -jvmArgsAppend -Xmx<size>", "javaheapspace", "gcoverheadlimitexceeded"),
        METASPACE("the forked VM's metaspace is full: a JVM setting, not the device's memory; give the forks a larger one "
                + "with -jvmArgsAppend -XX:MaxMetaspaceSize=<size>", "metaspace"),
        COMPRESSED_CLASS_SPACE("the forked VM's compressed class space is full: a JVM setting, not the device's memory; "
                + "give the forks a larger one with -jvmArgsAppend -XX:CompressedClassSpaceSize=<size>", "compressedclassspace"),
        /** JDK 17 says "Cannot reserve N bytes of direct buffer memory (...)", older ones "Direct buffer memory". */
        DIRECT_BUFFERS("the forked VM's direct buffer memory is used up: a JVM setting, not the device's memory; give the "
                + "forks more with -jvmArgsAppend -XX:MaxDirectMemorySize=<size>", "directbuffermemory"),
        /** JDK 17 says "unable to create native thread: possibly out of memory or process/resource limits reached". */
        THREADS("the forked VM cannot start another thread: the host's limit on threads (ulimit -u, a container's "
                + "pids.max), not the device's memory", "unabletocreatenativethread", "unabletocreatenewnativethread"),
        ARRAY_LENGTH("an array longer than a Java array can be: a limit of the JVM that no setting raises, not the "
                + "device's memory", "requestedarraysizeexceedsvmlimit"),
        /** JavaCPP's "Failed to allocate memory within limits: totalBytes (N + M) > maxBytes (L)". */
        JAVACPP_MAX_BYTES("JavaCPP's limit on the native memory it allocates is reached: a JVM setting, not the device's "
                + "memory; give the forks a larger one with -jvmArgsAppend -Dorg.bytedeco.javacpp.maxBytes=<size>",
                "allocatememorywithinlimits"),
        /** JavaCPP's "Physical memory usage is too high: physicalBytes (N) > maxPhysicalBytes (M)". */
        JAVACPP_MAX_PHYSICAL_BYTES("JavaCPP's limit on the process's physical memory is reached: a JVM setting, not the "
                + "device's memory; give the forks a larger one with -jvmArgsAppend "
                + "-Dorg.bytedeco.javacpp.maxPhysicalBytes=<size>", "maxphysicalbytes");

        private final String reason;
        private final List<String> messages;

        JvmLimit(String reason, String... messages) {
            this.reason = reason;
            this.messages = List.of(messages);
        }

        /** Why this limit is not the device's memory, and the setting that governs it where one does: one line. */
        public String reason() {
            return reason;
        }

        /** The limit an OutOfMemoryError on {@code line} names; null where the line names none. */
        static JvmLimit namedIn(String line) {
            String squeezed = squeezed(line);
            if (!squeezed.contains(JAVA_ERROR)) {
                return null;
            }
            for (JvmLimit limit : values()) {
                if (limit.messages.stream().anyMatch(squeezed::contains)) {
                    return limit;
                }
            }
            return null;
        }
    }

    /** A line of error text that names a {@link JvmLimit}, trimmed, and that limit. */
    public record JvmLimitLine(String line, JvmLimit limit) {}

    /**
     * What a run whose error text reports running out of memory did: its kind, the line of that text that says so
     * (trimmed), and what follows that line in the run's one-line reason ("" or, for a {@link JvmLimit}, " (" its
     * reason ")").
     */
    public record Verdict(NotRun.Kind kind, String line, String why) {}

    /**
     * What {@code text} says of memory: an error where it names a limit of the forked VM itself ({@link JvmLimit}: a
     * setting of the run or the host, which --resume with that setting runs again), did-not-fit where it reports
     * running out of memory otherwise ({@link #bestLine}); null where it says neither.
     */
    public static Verdict verdict(String text) {
        JvmLimitLine limit = jvmLimitLine(text);
        if (limit != null) {
            return new Verdict(NotRun.Kind.ERROR, limit.line(), " (" + limit.limit().reason() + ")");
        }
        String oom = bestLine(text);
        return oom == null ? null : new Verdict(NotRun.Kind.DID_NOT_FIT, oom, "");
    }

    public static boolean mentionedIn(String text) {
        return bestLine(text) != null;
    }

    /**
     * The line of {@code text} that best reports running out of memory, trimmed; null when none does. A line saying
     * "out of memory" in words wins over one naming an error type (c10::OutOfMemoryError), which libtorch prints on the
     * line before its message. A line naming a {@link JvmLimit} is none, though it may say "out of memory" in words.
     */
    public static String bestLine(String text) {
        if (text == null) {
            return null;
        }
        List<String> lines = Arrays.stream(text.split("\\R")).filter(l -> JvmLimit.namedIn(l) == null).toList();
        for (String line : lines) {
            if (IN_WORDS.matcher(line.toLowerCase(Locale.ROOT)).matches()) {
                return line.trim();
            }
        }
        for (String line : lines) {
            String squeezed = squeezed(line);
            if (!squeezed.contains(JVM_ITSELF) && NAMES.stream().anyMatch(squeezed::contains)) {
                return line.trim();
            }
        }
        return null;
    }

    /** The first line of {@code text} that names a {@link JvmLimit}, with that limit; null when none does. */
    public static JvmLimitLine jvmLimitLine(String text) {
        if (text == null) {
            return null;
        }
        for (String line : text.split("\\R")) {
            JvmLimit limit = JvmLimit.namedIn(line);
            if (limit != null) {
                return new JvmLimitLine(line.trim(), limit);
            }
        }
        return null;
    }

    private static String squeezed(String line) {
        return line.toLowerCase(Locale.ROOT).replaceAll("[\\s_]+", "");
    }
}
