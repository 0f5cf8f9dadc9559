package gpuenergy.engine.tensorrt;

import org.bytedeco.tensorrt.nvinfer.ILogger.Severity;

import java.util.ArrayList;
import java.util.List;

/**
 * What TensorRT logged that one-line reasons are read from, in order: its errors, and its warnings, where a build short
 * of device memory says so (it skips each tactic that needs more than is free with a warning, and fails only when a layer
 * has none left). A mark delimits one step's messages. Kept apart from {@link TrtLogger}, whose JavaCPP base needs
 * TensorRT's libraries, so that a recorded log reads the same without them.
 */
final class TrtLog {
    private record Message(boolean error, String text) {}

    private final List<Message> messages = new ArrayList<>();

    /** Keeps a message of {@code level} (a {@link Severity}'s value) where it is an error or a warning. */
    synchronized void add(int level, String text) {
        if (level <= Severity.kWARNING.value) {
            messages.add(new Message(level <= Severity.kERROR.value, text == null ? "" : text.strip()));
        }
    }

    /** A mark to ask later for the errors and warnings logged since. */
    synchronized int mark() {
        return messages.size();
    }

    List<String> errorsSince(int mark) {
        return since(mark, true);
    }

    List<String> warningsSince(int mark) {
        return since(mark, false);
    }

    private synchronized List<String> since(int mark, boolean errors) {
        return messages.subList(Math.min(mark, messages.size()), messages.size()).stream()
                .filter(m -> m.error() == errors).map(Message::text).toList();
    }
}
