package gpuenergy.overhead;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** overhead-runs.jsonl after a kill tore its last line: the next run's line is whole, and every line is read. */
class RunsLogTest {
    private static RunsLog.Entry run(int round, String variant) {
        return new RunsLog.Entry(Map.of("engine", "pytorch-fp32"), round, variant, Instant.parse("2026-01-01T00:00:0" + round + "Z"),
                RunsLog.MEASURED);
    }

    @Test
    void aRunLoggedAfterATornLineIsKept(@TempDir Path dir) throws IOException {
        RunsLog.append(dir, run(1, "off"));
        Files.writeString(dir.resolve(RunsLog.FILE), "{\"config\":{\"engine\":\"pytorch-fp32\"},\"rou",
                StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        ByteArrayOutputStream notes = new ByteArrayOutputStream();
        assertEquals(List.of(run(1, "off")), RunsLog.read(dir, new PrintStream(notes, true, StandardCharsets.UTF_8)));
        assertEquals("[overhead] " + dir.resolve(RunsLog.FILE) + ": its last line is torn (40 characters without a final "
                + "newline, as a kill while it was written leaves it); skipped, and cut off when a line is next appended\n",
                notes.toString(StandardCharsets.UTF_8));

        RunsLog.append(dir, run(1, "gc"));
        notes.reset();
        assertEquals(List.of(run(1, "off"), run(1, "gc")), RunsLog.read(dir, new PrintStream(notes, true, StandardCharsets.UTF_8)));
        assertEquals("", notes.toString(StandardCharsets.UTF_8));
    }

    /** A whole JSON line whose fields are of other types is skipped with a note, as a torn one is: never a stack trace. */
    @Test
    void aLineWithFieldsOfOtherTypesIsSkipped(@TempDir Path dir) throws IOException {
        RunsLog.append(dir, run(1, "off"));
        String[] bad = {
            "{\"config\":{\"engine\":\"pytorch-fp32\"},\"round\":\"1x\",\"variant\":\"off\",\"start\":\"2026-12-06T08:00:00Z\",\"outcome\":\"measured\"}",
            "{\"config\":\"x\",\"round\":1,\"variant\":\"off\",\"start\":\"2026-12-06T08:00:00Z\",\"outcome\":\"measured\"}",
            "{\"config\":{\"engine\":\"pytorch-fp32\"},\"round\":null,\"variant\":\"off\",\"start\":\"2026-12-06T08:00:00Z\",\"outcome\":\"measured\"}",
            "[1,2]"};
        Files.writeString(dir.resolve(RunsLog.FILE), String.join("\n", bad) + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);
        ByteArrayOutputStream notes = new ByteArrayOutputStream();
        assertEquals(List.of(run(1, "off")), RunsLog.read(dir, new PrintStream(notes, true, StandardCharsets.UTF_8)));
        assertEquals(4, notes.toString(StandardCharsets.UTF_8).lines().filter(l -> l.endsWith("is not a run's record; skipped"))
                .count(), notes.toString(StandardCharsets.UTF_8));
    }

    /** A last line cut inside a character (the first byte of "é") is torn as any cut one is: skipped, saying so. */
    @Test
    void aLastLineCutInsideACharacterIsTorn(@TempDir Path dir) throws IOException {
        RunsLog.append(dir, run(1, "off"));
        Files.write(dir.resolve(RunsLog.FILE), new byte[] {'{', '"', (byte) 0xC3}, StandardOpenOption.APPEND);
        ByteArrayOutputStream notes = new ByteArrayOutputStream();
        assertEquals(List.of(run(1, "off")), RunsLog.read(dir, new PrintStream(notes, true, StandardCharsets.UTF_8)));
        assertEquals("[overhead] " + dir.resolve(RunsLog.FILE) + ": its last line is torn (3 characters without a final "
                + "newline, as a kill while it was written leaves it); skipped, and cut off when a line is next appended\n",
                notes.toString(StandardCharsets.UTF_8));
    }
}
