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

    /**
     * Whole lines that are not a run's record (not JSON, another JSON value, an object without a run's fields or with
     * fields of other types) are skipped with one warning naming the file and the first of them: the log is advisory,
     * read only for the interleaved order's warning, and the runs measured in the directory are summarized all the same.
     */
    @Test
    void linesThatAreNotARunsRecordAreOneWarning(@TempDir Path dir) throws IOException {
        RunsLog.append(dir, run(1, "off"));
        String[] bad = {
            "not json",
            "[]",
            "{\"a\":1}",
            "{\"config\":{\"engine\":\"pytorch-fp32\"},\"round\":\"1x\",\"variant\":\"off\",\"start\":\"2026-12-06T08:00:00Z\",\"outcome\":\"measured\"}",
            "{\"config\":\"x\",\"round\":1,\"variant\":\"off\",\"start\":\"2026-12-06T08:00:00Z\",\"outcome\":\"measured\"}",
            "{\"config\":{\"engine\":\"pytorch-fp32\"},\"round\":null,\"variant\":\"off\",\"start\":\"2026-12-06T08:00:00Z\",\"outcome\":\"measured\"}",
            "[1,2]"};
        Files.writeString(dir.resolve(RunsLog.FILE), String.join("\n", bad) + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);
        RunsLog.append(dir, run(2, "off"));
        ByteArrayOutputStream notes = new ByteArrayOutputStream();
        assertEquals(List.of(run(1, "off"), run(2, "off")), RunsLog.read(dir, new PrintStream(notes, true, StandardCharsets.UTF_8)));
        String record = " is not a run's record (one JSON object with config, round, variant, start and outcome)";
        assertEquals("[overhead] warning: " + dir.resolve(RunsLog.FILE) + " line 2" + record + ", nor are 6 more lines; "
                + "skipped: whether runs were taken in the interleaved order is checked without them\n",
                notes.toString(StandardCharsets.UTF_8));

        for (String one : List.of("not json", "[]", "{\"a\":1}")) {
            Files.writeString(dir.resolve(RunsLog.FILE), one + "\n", StandardCharsets.UTF_8);
            notes.reset();
            assertEquals(List.of(), RunsLog.read(dir, new PrintStream(notes, true, StandardCharsets.UTF_8)));
            assertEquals("[overhead] warning: " + dir.resolve(RunsLog.FILE) + " line 1" + record + "; skipped: whether runs"
                    + " were taken in the interleaved order is checked without it\n", notes.toString(StandardCharsets.UTF_8), one);
        }
    }

    /**
     * The command writes a run's configuration from a map of strings: a line whose configuration holds a number is none
     * it wrote and is skipped with the warning, not read as the configuration of that number's text.
     */
    @Test
    void aConfigurationValueOtherThanAStringIsNoRunsRecord(@TempDir Path dir) throws IOException {
        RunsLog.append(dir, run(1, "off"));
        Files.writeString(dir.resolve(RunsLog.FILE), "{\"config\":{\"engine\":\"pytorch-fp32\",\"batchSize\":16},\"round\":2,"
                + "\"variant\":\"off\",\"start\":\"2026-12-06T08:00:00Z\",\"outcome\":\"measured\"}\n", StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);
        ByteArrayOutputStream notes = new ByteArrayOutputStream();
        assertEquals(List.of(run(1, "off")), RunsLog.read(dir, new PrintStream(notes, true, StandardCharsets.UTF_8)));
        assertEquals("[overhead] warning: " + dir.resolve(RunsLog.FILE) + " line 2 is not a run's record (one JSON object "
                + "with config, round, variant, start and outcome); skipped: whether runs were taken in the interleaved order "
                + "is checked without it\n", notes.toString(StandardCharsets.UTF_8));
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
