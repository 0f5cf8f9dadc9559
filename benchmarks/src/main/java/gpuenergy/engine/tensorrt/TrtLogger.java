package gpuenergy.engine.tensorrt;

import org.bytedeco.tensorrt.nvinfer.ILogger;

import java.util.ArrayList;
import java.util.List;

/**
 * TensorRT's log: errors are printed and kept (the one-line reasons of a failed parse, build or load come from
 * them); warnings and information are counted, and printed with -Dgpuenergy.tensorrt.verbose=true. TensorRT keeps a
 * pointer to its logger, so one instance lives for the whole VM.
 */
final class TrtLogger extends ILogger {
    static final TrtLogger INSTANCE = new TrtLogger(Boolean.getBoolean("gpuenergy.tensorrt.verbose"));

    private final boolean verbose;
    private final List<String> errors = new ArrayList<>();
    private int warnings;

    private TrtLogger(boolean verbose) {
        this.verbose = verbose;
    }

    @Override
    public void log(Severity severity, String message) {
        synchronized (this) {
            if (severity == Severity.kERROR || severity == Severity.kINTERNAL_ERROR) {
                errors.add(message == null ? "" : message.strip());
            } else if (severity == Severity.kWARNING) {
                warnings++;
            }
        }
        if (severity == Severity.kERROR || severity == Severity.kINTERNAL_ERROR || verbose) {
            System.err.println("# TensorRT " + severity.name().substring(1).toLowerCase(java.util.Locale.ROOT) + ": " + message);
        }
    }

    /** A mark to ask later for the errors logged since. */
    synchronized int mark() {
        return errors.size();
    }

    synchronized List<String> errorsSince(int mark) {
        return new ArrayList<>(errors.subList(Math.min(mark, errors.size()), errors.size()));
    }

    synchronized int warnings() {
        return warnings;
    }
}
