package gpuenergy.sweep;

import java.util.Locale;

/**
 * Recognises "the batch did not fit" in error text: CUDA's "CUDA out of memory", the driver's
 * CUDA_ERROR_OUT_OF_MEMORY, cudaErrorMemoryAllocation, Java's OutOfMemoryError, TensorRT's
 * "out of memory" and the benchmark's own message (which contains "out of memory").
 */
final class OutOfMemory {
    private OutOfMemory() {}

    static boolean mentionedIn(String text) {
        return bestLine(text) != null;
    }

    /**
     * The line of {@code text} that best reports running out of memory, trimmed; null when none does.
     * A line saying "out of memory" in words wins over one naming an error type (c10::OutOfMemoryError),
     * which libtorch prints on the line before its message.
     */
    static String bestLine(String text) {
        if (text == null) {
            return null;
        }
        String[] lines = text.split("\\R");
        for (String line : lines) {
            if (line.toLowerCase(Locale.ROOT).matches(".*out\\s+of\\s+memory.*")) {
                return line.trim();
            }
        }
        for (String line : lines) {
            String squeezed = line.toLowerCase(Locale.ROOT).replaceAll("[\\s_]+", "");
            if (squeezed.contains("outofmemory") || squeezed.contains("cudaerrormemoryallocation")) {
                return line.trim();
            }
        }
        return null;
    }
}
