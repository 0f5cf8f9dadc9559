package gpuenergy.engine.tensorrt;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a native loader's error ("libcublas.so.12: cannot open shared object file") into one line that names
 * the missing library, what it belongs to, and how to get it.
 */
final class MissingLibrary {
    static final String HOW = "run on a machine with TensorRT, e.g. NVIDIA's TensorRT container (docs/tensorrt.md)";

    private static final Pattern CANNOT_OPEN = Pattern.compile("([\\w.+-]+\\.so(?:\\.\\d+)*): cannot open shared object file");

    private MissingLibrary() {}

    /** The library the dynamic loader could not find, or null when the message names none. */
    static String library(String message) {
        Matcher m = CANNOT_OPEN.matcher(message == null ? "" : message);
        return m.find() ? m.group(1) : null;
    }

    /** What a shared library belongs to, for the user who has to install it. */
    static String owner(String library) {
        String major = library.replaceFirst("^.*?\\.so\\.?", "");
        major = major.isEmpty() ? "" : " " + major.split("\\.")[0];
        if (library.startsWith("libnvinfer") || library.startsWith("libnvonnxparser") || library.startsWith("libnvparsers")) {
            return "TensorRT" + major;
        }
        if (library.startsWith("libcudart") || library.startsWith("libcublas") || library.startsWith("libcufft")
                || library.startsWith("libcurand")) {
            return "the CUDA" + major + " runtime";
        }
        if (library.startsWith("libcudnn")) {
            return "cuDNN" + major;
        }
        if (library.startsWith("libcuda.so") || library.startsWith("libnvidia")) {
            return "the NVIDIA driver";
        }
        return "a native dependency";
    }

    /**
     * One line: {@code <what failed>: <lib> not found (<owner>); <needs>; <how>} when the message names a missing
     * library, else {@code <what failed>: <first line of the message>; <needs>; <how>}.
     */
    static String reason(String whatFailed, String message, String needs) {
        String lib = library(message);
        String cause = lib != null ? lib + " not found (" + owner(lib) + ")" : firstLine(message);
        return whatFailed + ": " + cause + "; it needs " + needs + "; " + HOW;
    }

    static String firstLine(String message) {
        if (message == null || message.isBlank()) {
            return "no message";
        }
        String m = message.strip();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl).strip();
    }
}
