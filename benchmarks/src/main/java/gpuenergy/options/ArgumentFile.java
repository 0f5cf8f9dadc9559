package gpuenergy.options;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The java launcher's {@code @file} arguments ("java Command-Line Argument Files"), read as the launcher reads them: a
 * forked VM given {@code @FILE} among its arguments takes the words of FILE in its place, so what they set is checked
 * as if it were given itself.
 */
final class ArgumentFile {
    /** Bigger is no argument file (a device, a wrong path): refused in one line rather than read into memory. */
    private static final int MAX_BYTES = 4 * 1024 * 1024;

    private ArgumentFile() {}

    /** Where a word of the launcher's argument file syntax stands. */
    private enum State { BETWEEN, IN_WORD, IN_QUOTE, AFTER_BACKSLASH, AFTER_JOINED_LINE, IN_COMMENT }

    /**
     * The arguments the java launcher takes for {@code word}: the words of the file that {@code @FILE} names, relative
     * to this VM's working directory, which the forks share; {@code @@...} with its first {@code @} dropped; any other
     * word itself. The words of a file are taken as they are: the launcher reads no {@code @} in them.
     *
     * @throws IOException when {@code @FILE} names a file that cannot be read
     */
    static List<String> arguments(String word) throws IOException {
        if (!word.startsWith("@") || word.length() == 1) {
            return List.of(word);
        }
        if (word.charAt(1) == '@') {
            return List.of(word.substring(1));
        }
        Path file = Path.of(word.substring(1));
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_BYTES + 1);
        }
        if (bytes.length > MAX_BYTES) {
            throw new IOException("more than " + MAX_BYTES / (1024 * 1024) + " MiB: not an argument file");
        }
        // the launcher hands the file's bytes to the VM, which decodes them as it decodes its command line
        String encoding = System.getProperty("sun.jnu.encoding");
        return words(new String(bytes, encoding != null && Charset.isSupported(encoding) ? Charset.forName(encoding)
                : Charset.defaultCharset()));
    }

    /**
     * The words of an argument file's text, as the launcher's tokenizer (libjli's args.c) splits them: white space
     * separates words; a line break ends one even inside quotes; ' or " quote white space and # up to the same quote;
     * inside quotes \n, \r, \t and \f are those characters, \ before a line break joins the next line less its leading
     * white space, and \ before any other character is that character; # outside quotes starts a comment to the end of
     * the line.
     */
    static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        State state = State.BETWEEN;
        char quote = '"';
        int from = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (state == State.BETWEEN || state == State.AFTER_JOINED_LINE) {
                if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
                    continue;
                }
                state = state == State.BETWEEN ? State.IN_WORD : State.IN_QUOTE;
                from = i;
            } else if (state == State.AFTER_BACKSLASH) {
                if (c == '\n' || c == '\r') {
                    state = State.AFTER_JOINED_LINE;
                } else {
                    word.append(switch (c) {
                        case 'n' -> '\n';
                        case 'r' -> '\r';
                        case 't' -> '\t';
                        case 'f' -> '\f';
                        default -> c;
                    });
                    state = State.IN_QUOTE;
                }
                from = i + 1;
                continue;
            } else if (state == State.IN_COMMENT) {
                if (c == '\n' || c == '\r') {
                    state = State.BETWEEN;
                }
                continue;
            }
            boolean quoted = state == State.IN_QUOTE;
            if (c == '\n' || c == '\r' || !quoted && (c == ' ' || c == '\t' || c == '\f')) {
                words.add(word.append(text, from, i).toString());
                word.setLength(0);
                state = State.BETWEEN;
            } else if (c == '#' && !quoted) {
                // as the launcher: what the word held up to its last quote is kept, and starts the next word
                state = State.IN_COMMENT;
            } else if (c == '\\' && quoted) {
                word.append(text, from, i);
                state = State.AFTER_BACKSLASH;
            } else if ((c == '"' || c == '\'') && (!quoted || c == quote)) {
                word.append(text, from, i);
                from = i + 1;
                quote = c;
                state = quoted ? State.IN_WORD : State.IN_QUOTE;
            }
        }
        if ((state == State.IN_WORD || state == State.IN_QUOTE) && word.append(text, from, text.length()).length() > 0) {
            words.add(word.toString());
        }
        return words;
    }
}
