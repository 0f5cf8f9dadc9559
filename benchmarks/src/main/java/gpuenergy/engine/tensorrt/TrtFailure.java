package gpuenergy.engine.tensorrt;

import gpuenergy.engine.NotRunException;
import gpuenergy.engine.OutOfMemory;
import gpuenergy.results.Lines;
import gpuenergy.results.NotRun;
import org.bytedeco.javacpp.Pointer;

import java.util.List;
import java.util.Locale;

/**
 * TensorRT's logged errors (and a failed build's warnings) turned into one line, did-not-fit when TensorRT ran out of
 * device memory.
 */
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
        return new NotRunException(outOfMemory(errors) ? NotRun.Kind.DID_NOT_FIT : NotRun.Kind.ERROR,
                prefix + whatFailed + ": " + cause(errors));
    }

    /** TensorRT's error for a layer none of whose tactics it could use, in lower case. */
    private static final String NO_IMPLEMENTATION = "could not find any implementation for node";

    /**
     * One line for a failed build ({@link #of}), did-not-fit also where TensorRT's first error is that it found no
     * implementation for a node and its {@code warnings} say the device's memory was short ({@link OutOfMemory#verdict}):
     * TensorRT skips each tactic that needs more memory than is free with a warning, and where that leaves a layer none,
     * fails with that error alone, which otherwise reads as a layer TensorRT cannot build. The line then quotes the first
     * such warning and counts the others. Without such warnings the error stays an error.
     */
    static NotRunException ofBuild(String prefix, String whatFailed, List<String> errors, List<String> warnings) {
        NotRunException failure = of(prefix, whatFailed, errors);
        if (failure.kind() != NotRun.Kind.ERROR || errors.isEmpty()
                || !errors.get(0).toLowerCase(Locale.ROOT).contains(NO_IMPLEMENTATION)) {
            return failure;
        }
        List<String> shortOfMemory = warnings.stream().map(OutOfMemory::verdict)
                .filter(v -> v != null && v.kind() == NotRun.Kind.DID_NOT_FIT).map(OutOfMemory.Verdict::line).toList();
        if (shortOfMemory.isEmpty()) {
            return failure;
        }
        int more = shortOfMemory.size() - 1;
        return new NotRunException(NotRun.Kind.DID_NOT_FIT, failure.getMessage() + "; TensorRT warned before it: " + shortOfMemory.get(0)
                + (more > 0 ? " (and " + more + " more warning" + (more > 1 ? "s" : "") + " of memory)" : ""));
    }

    /** TensorRT's most telling error ({@link #of}) and how many more it logged, in one line. */
    static String cause(List<String> errors) {
        String cause = errors.isEmpty() ? "TensorRT logged no error" : Lines.firstLine(errors.get(0));
        if (errors.size() > 1) {
            cause += " (and " + (errors.size() - 1) + " more error" + (errors.size() > 2 ? "s" : "") + " on stderr)";
        }
        return cause;
    }

    /**
     * {@code object}, what TensorRT's factory {@code call} returned, where it is one; else one line naming what could not
     * be created and the call, with TensorRT's {@code errors} ({@link #of}). The bindings hand back null, or a pointer to
     * nothing, where TensorRT created nothing, which would otherwise end the trial as a NullPointerException at its first
     * use.
     */
    static <T extends Pointer> T created(T object, String prefix, String call, String what, List<String> errors) {
        if (object == null || object.isNull()) {
            throw of(prefix, "TensorRT cannot create " + what + " (" + call + " returned null)", errors);
        }
        return object;
    }
}
