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
     * A runtime's exception (DJL, libtorch) as one line after {@code prefix}, {@link #firstLine}, classified by
     * {@link OutOfMemory#verdict} as the sweep classifies the same error thrown out of the fork unwrapped: did-not-fit
     * when the device (or host) ran out of memory, an error with why after it for a limit of the VM itself, an error
     * otherwise.
     */
    public static NotRunException from(String prefix, Throwable e) {
        String line = firstLine(e);
        OutOfMemory.Verdict verdict = OutOfMemory.verdict(line);
        return verdict == null ? error(prefix + line) : new NotRunException(verdict.kind(), prefix + line + verdict.why());
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
     * The line of a native error that says what went wrong: the first line of the root cause's message (libtorch
     * messages carry a C++ backtrace after it), except for an error raised inside a TorchScript model, whose first line
     * is only {@link #TORCHSCRIPT_BANNER}; its two tracebacks follow and the error it re-raises comes last
     * ("RuntimeError: CUDA out of memory. Tried to allocate ..."), so that line is returned: a batch that does not
     * fit inside a TorchScript model then reads as did-not-fit, not as a failure. A root cause that is a
     * java.lang.Error is named before its message, which says nothing without it: an OutOfMemoryError that a runtime
     * wraps ("Metaspace", JNA's "Cannot allocate N bytes") reads as "OutOfMemoryError: Metaspace", as it does unwrapped.
     */
    public static String firstLine(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String name = root.getClass().getSimpleName();
        String m = root.getMessage() == null ? name : root instanceof Error ? name + ": " + root.getMessage() : root.getMessage();
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
