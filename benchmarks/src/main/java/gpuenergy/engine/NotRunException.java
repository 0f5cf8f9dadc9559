package gpuenergy.engine;

import gpuenergy.results.Lines;
import gpuenergy.results.NotRun;

import java.util.regex.Pattern;

/**
 * Why one benchmark could not run, in one line that names the bad value and what is accepted.
 *
 * <p>JMH prints a failed benchmark's exceptions with {@code printStackTrace()}; this one carries no stack
 * trace and prints as its message alone, so the user sees exactly one line per failed benchmark.
 */
public final class NotRunException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final NotRun.Kind kind;

    public NotRunException(NotRun.Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    /** Bad input: unknown engine or model, bad batch size, missing or corrupt file, refused numerics. */
    public static NotRunException error(String message) {
        return new NotRunException(NotRun.Kind.ERROR, message);
    }

    /** This machine cannot run it (FP16 on a CPU, no CUDA libtorch, ...). */
    public static NotRunException unavailable(String message) {
        return new NotRunException(NotRun.Kind.UNAVAILABLE, message);
    }

    /**
     * A runtime's exception (DJL, libtorch) as one line after {@code prefix}: did-not-fit when the device (or host)
     * ran out of memory ({@link OutOfMemory}), error otherwise.
     */
    public static NotRunException from(String prefix, Throwable e) {
        String line = firstLine(e);
        return new NotRunException(OutOfMemory.mentionedIn(line) ? NotRun.Kind.DID_NOT_FIT : NotRun.Kind.ERROR, prefix + line);
    }

    public NotRun.Kind kind() {
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
     * ("RuntimeError: CUDA out of memory. Tried to allocate ..."), so that line is returned: a batch that does not
     * fit inside a TorchScript model then reads as did-not-fit, not as a failure.
     */
    public static String firstLine(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
        String first = Lines.firstLine(m);
        if (first.equals(TORCHSCRIPT_BANNER)) {
            String[] lines = m.strip().split("\\R");
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
