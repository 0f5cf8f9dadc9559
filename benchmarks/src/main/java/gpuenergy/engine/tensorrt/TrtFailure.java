package gpuenergy.engine.tensorrt;

import gpuenergy.engine.NotRunException;
import gpuenergy.engine.OutOfMemory;
import gpuenergy.results.NotRun;

import java.util.List;

/** TensorRT's logged errors turned into one line, did-not-fit when TensorRT ran out of device memory. */
final class TrtFailure {
    private TrtFailure() {}

    /** True when TensorRT's errors say the device's memory could not hold this batch. */
    static boolean outOfMemory(List<String> errors) {
        return errors.stream().anyMatch(OutOfMemory::mentionedIn);
    }

    /**
     * One line for a failed step: {@code <prefix><what failed>: <TensorRT's most telling error>}. TensorRT often logs a
     * chain of errors, the first naming the cause; the last ones are generic ("engine is null").
     */
    static NotRunException of(String prefix, String whatFailed, List<String> errors) {
        String cause = errors.isEmpty() ? "TensorRT logged no error" : firstLine(errors.get(0));
        if (errors.size() > 1) {
            cause += " (and " + (errors.size() - 1) + " more error" + (errors.size() > 2 ? "s" : "") + " on stderr)";
        }
        return new NotRunException(outOfMemory(errors) ? NotRun.Kind.DID_NOT_FIT : NotRun.Kind.ERROR,
                prefix + whatFailed + ": " + cause);
    }

    static String firstLine(String s) {
        String t = s.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl).strip();
    }
}
