package gpuenergy.results;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Logs of one JSON value a line (a sweep's sweep.jsonl, overhead-runs.jsonl, the forks' trial records), appended as
 * things happen and never rewritten. A kill while a line is written leaves it torn: the file's last bytes without a
 * final newline. Readers skip such a tail, and the next append cuts it off before it writes, so that its line never
 * joins the fragment and every line before the end of the file is whole.
 */
public final class JsonLines {
    private static final int SCAN = 4096;

    /**
     * A log's content.
     *
     * @param lines its complete lines, in order: line N of the file is {@code lines.get(N - 1)}
     * @param torn  the bytes after its last newline (a line a kill left half-written), "" when it ends in a newline
     */
    public record Content(List<String> lines, String torn) {
        /** One line saying that the torn tail of {@code file} is skipped; null when there is none. */
        public String tornNote(Path file) {
            return torn.isEmpty() ? null : file + ": its last line is torn (" + torn.length() + " characters without a "
                    + "final newline, as a kill while it was written leaves it); skipped, and cut off when a line is next "
                    + "appended";
        }
    }

    private JsonLines() {}

    /**
     * The content of {@code file}; no lines when it does not exist. The bytes are split at the newlines before they are
     * decoded: a kill may cut the last line inside a character, and a newline's byte is never part of another
     * character in UTF-8. A complete line that is not UTF-8 text is an IOException naming it.
     */
    public static Content read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return new Content(List.of(), "");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw IoMessage.naming(file, e);
        }
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] != '\n') {
            end--;
        }
        List<String> lines = new ArrayList<>();
        for (int start = 0; start < end; ) {
            int newline = start;
            while (bytes[newline] != '\n') {
                newline++;
            }
            lines.add(line(file, lines.size() + 1, bytes, start, newline));
            start = newline + 1;
        }
        // the torn tail only says how long it is: a character it cuts becomes U+FFFD
        return new Content(List.copyOf(lines), new String(bytes, end, bytes.length - end, StandardCharsets.UTF_8));
    }

    /** Line {@code number}, bytes {@code from} to {@code to} of {@code file}, decoded. */
    private static String line(Path file, int number, byte[] bytes, int from, int to) throws IOException {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, from, to - from))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IOException(file + " line " + number + " is not UTF-8 text", e);
        }
    }

    /** {@link #read}, saying on {@code notes} (each line after {@code prefix}) when the last line is torn and skipped. */
    public static Content read(Path file, PrintStream notes, String prefix) throws IOException {
        Content log = read(file);
        if (log.tornNote(file) != null) {
            notes.println(prefix + log.tornNote(file));
        }
        return log;
    }

    /**
     * Appends {@code json} and a newline with one write, after cutting off a torn tail, and forces it to disk. The file
     * is locked meanwhile where the file system locks (processes appending to one file never take another's line,
     * half-written, for a torn one); shared storage that refuses locks (NFS without lockd) gets the append unlocked,
     * as each of these files has one writer at a time (a sweep, or a run's forks one after another).
     */
    public static void append(Path file, String json) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
             FileLock ignored = FileLocks.lockIfPossible(ch)) {
            long end = afterLastNewline(ch);
            ch.truncate(end);
            ByteBuffer bytes = ByteBuffer.wrap((json + "\n").getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                end += ch.write(bytes, end);
            }
            ch.force(true);
        }
    }

    /** The length of the file up to and with its last newline; 0 when it has none. */
    private static long afterLastNewline(FileChannel ch) throws IOException {
        long pos = ch.size();
        ByteBuffer chunk = ByteBuffer.allocate(SCAN);
        while (pos > 0) {
            int n = (int) Math.min(SCAN, pos);
            chunk.clear().limit(n);
            while (chunk.hasRemaining()) {
                if (ch.read(chunk, pos - n + chunk.position()) < 0) {
                    throw new IOException("the file shrank while it was read");
                }
            }
            for (int i = n - 1; i >= 0; i--) {
                if (chunk.get(i) == '\n') {
                    return pos - n + i + 1;
                }
            }
            pos -= n;
        }
        return 0;
    }
}
