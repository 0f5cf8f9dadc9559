package gpuenergy.nvml;

/** A non-success nvmlReturn_t: the call, NVML's code and its nvmlErrorString text. */
public final class NvmlException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int code;

    public NvmlException(String call, int code, String errorString) {
        super(call + ": " + errorString + " (NVML error " + code + ")");
        this.code = code;
    }

    /** The nvmlReturn_t value, e.g. {@link Nvml#ERROR_NOT_SUPPORTED}. */
    public int code() {
        return code;
    }
}
