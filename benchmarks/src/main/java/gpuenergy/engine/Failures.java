package gpuenergy.engine;

/** Turns DJL/libtorch exceptions into one-line {@link NotRunException}s. */
public final class Failures {
    private Failures() {}

    /** did-not-fit when libtorch ran out of device (or host) memory, error otherwise. */
    public static NotRunException notRun(String prefix, Throwable e) {
        String line = NotRunException.firstLine(e);
        boolean oom = line.contains("out of memory") || line.contains("CUBLAS_STATUS_ALLOC_FAILED")
                || line.contains("DefaultCPUAllocator: can't allocate memory");
        return new NotRunException(oom ? NotRunException.Kind.DID_NOT_FIT : NotRunException.Kind.ERROR, prefix + line);
    }
}
