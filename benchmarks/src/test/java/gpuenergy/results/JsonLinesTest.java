package gpuenergy.results;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A log of JSON lines that a kill tore (its last line without a newline) stays a log of whole lines. */
class JsonLinesTest {
    @Test
    void theTornTailIsSkippedAndSaidInOneLine(@TempDir Path dir) throws IOException {
        Path log = dir.resolve("log.jsonl");
        assertEquals(new JsonLines.Content(List.of(), ""), JsonLines.read(log), "no file: no lines");
        Files.writeString(log, "{\"a\":1}\n\n{\"a\":2}\n{\"a\":");
        JsonLines.Content content = JsonLines.read(log);
        assertEquals(List.of("{\"a\":1}", "", "{\"a\":2}"), content.lines(), "line N is lines().get(N - 1)");
        assertEquals("{\"a\":", content.torn());
        assertEquals(log + ": its last line is torn (5 characters without a final newline, as a kill while it was written "
                + "leaves it); skipped, and cut off when a line is next appended", content.tornNote(log));
        assertNull(new JsonLines.Content(List.of("{}"), "").tornNote(log));
    }

    /** The line after a torn one starts on its own line: appended onto the fragment, it would be lost with it. */
    @Test
    void anAppendCutsTheTornTailOffFirst(@TempDir Path dir) throws IOException {
        Path log = dir.resolve("log.jsonl");
        JsonLines.append(log, "{\"a\":1}");
        Files.writeString(log, "{\"a\":2,\"b\":\"torn", java.nio.file.StandardOpenOption.APPEND);
        JsonLines.append(log, "{\"a\":3}");
        assertEquals("{\"a\":1}\n{\"a\":3}\n", Files.readString(log));
        // a file that is only a torn line
        Path torn = dir.resolve("torn.jsonl");
        Files.writeString(torn, "x".repeat(10_000));
        JsonLines.append(torn, "{}");
        assertEquals("{}\n", Files.readString(torn));
        // a long log: the scan back to its last newline crosses reads
        Path big = dir.resolve("big.jsonl");
        String line = "{\"pad\":\"" + "p".repeat(5000) + "\"}";
        JsonLines.append(big, line);
        Files.writeString(big, "{\"pad\":\"" + "q".repeat(9000), java.nio.file.StandardOpenOption.APPEND);
        JsonLines.append(big, "{}");
        assertEquals(List.of(line, "{}"), JsonLines.read(big).lines());
        assertTrue(JsonLines.read(big).torn().isEmpty());
    }

    /**
     * A kill or a full disk that cuts the last line inside a character (the first of the two bytes of "é") tears it as
     * any cut does; a complete line that is not UTF-8 text is an error naming it.
     */
    @Test
    void aTailCutInsideACharacterIsTorn(@TempDir Path dir) throws IOException {
        Path log = dir.resolve("log.jsonl");
        byte[] whole = "{\"a\":\"été\"}\n".getBytes(StandardCharsets.UTF_8);
        byte[] cut = Arrays.copyOf("{\"b\":\"été\"}\n".getBytes(StandardCharsets.UTF_8), 7); // {"b":" and 0xC3
        byte[] bytes = Arrays.copyOf(whole, whole.length + cut.length);
        System.arraycopy(cut, 0, bytes, whole.length, cut.length);
        Files.write(log, bytes);
        JsonLines.Content content = JsonLines.read(log);
        assertEquals(List.of("{\"a\":\"été\"}"), content.lines());
        assertEquals(7, content.torn().length(), content.torn());
        JsonLines.append(log, "{\"c\":\"é\"}");
        assertEquals(new JsonLines.Content(List.of("{\"a\":\"été\"}", "{\"c\":\"é\"}"), ""), JsonLines.read(log));

        byte[] interior = Arrays.copyOf(bytes, bytes.length + 1);
        interior[bytes.length] = '\n'; // the cut line complete: the byte is no character's
        Files.write(log, interior);
        IOException e = assertThrows(IOException.class, () -> JsonLines.read(log));
        assertEquals(log + " line 2 is not UTF-8 text", e.getMessage());
    }

    /** A log that is a directory is an I/O error naming it, not "Is a directory" alone. */
    @Test
    void aLogThatIsADirectoryIsNamed(@TempDir Path dir) throws Exception {
        Path log = Files.createDirectory(dir.resolve("runs.jsonl"));
        IOException e = assertThrows(IOException.class, () -> JsonLines.read(log));
        assertEquals(log + ": is a directory", IoMessage.describe(e));
    }
}
