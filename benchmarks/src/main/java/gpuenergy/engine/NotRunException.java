package gpuenergy.engine;

import java.util.regex.Pattern;

/**
 * Why one benchmark could not run, in one line that names the bad value and what is accepted.
 *
 * <p>JMH prints a failed benchmark's exceptions with {@code printStackTrace()}; this one carries no stack
 * trace and prints as its message alone, so the user sees exactly one line per failed benchmark.
 */
public final class NotRunException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Kinds of the shared not-run contract (see the result format in README.md). */
    public enum Kind {
        /** bad input: unknown engine/model, bad batch size, missing or corrupt file, refused numerics */
        ERROR("error"),
        /** the batch did not fit in the device's memory */
        DID_NOT_FIT("did-not-fit"),
        /** this machine cannot run it (FP16 on a CPU, no CUDA libtorch, ...) */
        UNAVAILABLE("unavailable");

        public final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    private final Kind kind;

    public NotRunException(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public static NotRunException error(String message) {
        return new NotRunException(Kind.ERROR, message);
    }

    public static NotRunException unavailable(String message) {
        return new NotRunException(Kind.UNAVAILABLE, message);
    }

    public Kind kind() {
        return kind;
    }

    /** The message alone: this is the line JMH prints under {@code <failure>}. */
    @Override
    public String toString() {
        return getMessage();
    }

    /**
     * The line of a native error that says what went wrong: its first line (libtorch messages carry a C++
     * backtrace after it), except for an error raised inside a TorchScript model, whose first line is only
     * {@link #TORCHSCRIPT_BANNER}; its two tracebacks follow and the error it re-raises comes last
     * ("RuntimeError: CUDA out of memory. Tried to allocate ..."), so that line is returned. Without this a
     * batch that did not fit read as a failure (H100 study: FP32 batch 8192 of convnext_tiny and swin_tiny).
     */
    public static String firstLine(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
        String[] lines = m.strip().split("\\R");
        String first = lines[0].strip();
        if (first.equals(TORCHSCRIPT_BANNER)) {
            for (int i = lines.length - 1; i > 0; i--) {
                String line = lines[i].strip();
                if (RAISED_ERROR.matcher(line).matches()) {
                    return line;
                }
            }
        }
        return first;
    }

    /** The first line of libtorch's message for an error raised while a TorchScript model ran. */
    static final String TORCHSCRIPT_BANNER = "The following operation failed in the TorchScript interpreter.";

    /** "RuntimeError: ...", "torch.OutOfMemoryError: ...": not a traceback's file, code or frame line. */
    private static final Pattern RAISED_ERROR = Pattern.compile("[A-Za-z_][\\w.:]*(Error|Exception): .+");
}
