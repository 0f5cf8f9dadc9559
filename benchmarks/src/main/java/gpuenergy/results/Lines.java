package gpuenergy.results;

/**
 * The line of a text that a one-line reason quotes (an error's message, a tool's logged error). It lives in results, the
 * package that the options, the engines, the runs and the commands all depend on.
 */
public final class Lines {
    private Lines() {}

    /**
     * The first line of {@code text}, trimmed; "" for null. Every line terminator ends it, a lone carriage return
     * too: the line is printed and recorded as one line, and a terminal would write the rest over its start.
     */
    public static String firstLine(String text) {
        return text == null ? "" : text.strip().split("\\R", 2)[0].strip();
    }
}
