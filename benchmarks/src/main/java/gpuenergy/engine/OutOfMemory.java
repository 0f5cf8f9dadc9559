package gpuenergy.engine;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Recognises "the batch did not fit" in error text: "out of memory" in words (CUDA's "CUDA out of memory", TensorRT's,
 * the benchmark's own message), an error's name: the driver's CUDA_ERROR_OUT_OF_MEMORY, cudaErrorMemoryAllocation,
 * Java's and libtorch's OutOfMemoryError, TensorRT's "Error Code 2: OutOfMemory", cuBLAS's CUBLAS_STATUS_ALLOC_FAILED,
 * or an allocator's phrase: libtorch's CPU allocator's "can't allocate memory", TensorRT's "Requested amount of GPU
 * memory (N bytes) could not be allocated" and "insufficient memory". The fork classifies its own exceptions with it;
 * the sweep, the output of a fork that died without saying why; the TensorRT engine, the errors TensorRT logged.
 * A VM's own fatal error ("There is insufficient memory for the Java Runtime Environment to continue.") is not one: the
 * host could not give the VM its memory, a state of the machine at that moment that says nothing of the batch, so the
 * sweep records it as a failure to try again rather than as the end of the ladder. Nor is a full Java heap
 * ("java.lang.OutOfMemoryError: Java heap space", "GC overhead limit exceeded"): the engines hold a batch in native
 * memory, so the heap's size is the VM's -Xmx, a setting of the run ({@link #javaHeapLine}), not the device's memory.
 */
public final class OutOfMemory {
    private static final Pattern IN_WORDS = Pattern.compile(".*out\\s+of\\s+memory.*");
    /** Error names and allocators' phrases, compared in lower case without blanks and underscores. */
    private static final List<String> NAMES = List.of("outofmemory", "cudaerrormemoryallocation", "cublasstatusallocfailed",
            "can'tallocatememory", "couldnotbeallocated", "insufficientmemory", "requestedamountofgpumemory");
    /** The JVM's words for its own memory, compared as {@link #NAMES} are. */
    private static final String JVM_ITSELF = "javaruntimeenvironment";
    /** The JVM's words for a full Java heap (OutOfMemoryError's messages), compared as {@link #NAMES} are. */
    private static final List<String> JAVA_HEAP = List.of("javaheapspace", "gcoverheadlimitexceeded");

    private OutOfMemory() {}

    public static boolean mentionedIn(String text) {
        return bestLine(text) != null;
    }

    /**
     * The line of {@code text} that best reports running out of memory, trimmed; null when none does. A line saying
     * "out of memory" in words wins over one naming an error type (c10::OutOfMemoryError), which libtorch prints on the
     * line before its message.
     */
    public static String bestLine(String text) {
        if (text == null) {
            return null;
        }
        String[] lines = text.split("\\R");
        for (String line : lines) {
            if (IN_WORDS.matcher(line.toLowerCase(Locale.ROOT)).matches()) {
                return line.trim();
            }
        }
        for (String line : lines) {
            String squeezed = squeezed(line);
            if (!squeezed.contains(JVM_ITSELF) && JAVA_HEAP.stream().noneMatch(squeezed::contains)
                    && NAMES.stream().anyMatch(squeezed::contains)) {
                return line.trim();
            }
        }
        return null;
    }

    /** The first line of {@code text} saying that the Java heap is full, trimmed; null when none does. */
    public static String javaHeapLine(String text) {
        if (text == null) {
            return null;
        }
        for (String line : text.split("\\R")) {
            String squeezed = squeezed(line);
            if (JAVA_HEAP.stream().anyMatch(squeezed::contains)) {
                return line.trim();
            }
        }
        return null;
    }

    private static String squeezed(String line) {
        return line.toLowerCase(Locale.ROOT).replaceAll("[\\s_]+", "");
    }
}
