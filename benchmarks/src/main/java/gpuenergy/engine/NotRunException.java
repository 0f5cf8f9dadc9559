package gpuenergy.engine;

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

    /** First line of a native error (libtorch messages carry a C++ backtrace after it). */
    public static String firstLine(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
        m = m.strip();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl).strip();
    }
}
