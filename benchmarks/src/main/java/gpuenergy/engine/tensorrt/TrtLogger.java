package gpuenergy.engine.tensorrt;

import gpuenergy.options.SuiteSetting;
import org.bytedeco.tensorrt.nvinfer.ILogger;

import java.util.List;

/**
 * TensorRT's log: errors and warnings are kept ({@link TrtLog}: the one-line reasons of a failed parse, build or load
 * come from them); errors are printed, warnings and information only with -Dgpuenergy.tensorrt.verbose=true. TensorRT
 * keeps a pointer to its logger, so one instance lives for the whole VM.
 */
final class TrtLogger extends ILogger {
    static final TrtLogger INSTANCE = new TrtLogger(Boolean.getBoolean(SuiteSetting.TENSORRT_VERBOSE.property()));

    private final boolean verbose;
    private final TrtLog kept = new TrtLog();

    private TrtLogger(boolean verbose) {
        this.verbose = verbose;
    }

    /**
     * Called by TensorRT, from any of its threads. The severity is compared by its value: the enum instance JavaCPP
     * hands to a callback is not one of the enum's constants (its name() is null).
     */
    @Override
    public void log(Severity severity, String message) {
        int level = severity == null ? Severity.kINFO.value : severity.value;
        kept.add(level, message);
        if (level <= Severity.kERROR.value || verbose) {
            System.err.println("# TensorRT " + LEVELS[Math.max(0, Math.min(LEVELS.length - 1, level))] + ": " + message);
        }
    }

    private static final String[] LEVELS = {"internal error", "error", "warning", "info", "verbose"};

    /** A mark to ask later for the errors and warnings logged since ({@link TrtLog}). */
    int mark() {
        return kept.mark();
    }

    List<String> errorsSince(int mark) {
        return kept.errorsSince(mark);
    }

    List<String> warningsSince(int mark) {
        return kept.warningsSince(mark);
    }
}
