package gpuenergy.sweep;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SweepLogTest {
    private static SweepLog.Entry entry(String engine, int batch, String status) {
        return new SweepLog.Entry("2026-01-01T00:00:00Z", "resnet50", engine, batch, status, status.equals("done") ? "" : "why",
                status.equals("done") ? "resnet50-" + engine + "-b" + batch + ".json" : null, 1.5, null, null, null, null);
    }

    @Test
    void appendsAndReadsBack(@TempDir Path dir) throws IOException {
        SweepLog log = new SweepLog(dir);
        log.append(entry("a", 1, SweepLog.DONE));
        log.append(entry("a", 2, "did-not-fit"));
        List<SweepLog.Entry> read = SweepLog.read(dir, System.out);
        assertEquals(List.of(entry("a", 1, SweepLog.DONE), entry("a", 2, "did-not-fit")), read);
    }

    @Test
    void aTornLastLineFromAKillIsIgnoredSayingSo(@TempDir Path dir) throws IOException {
        SweepLog log = new SweepLog(dir);
        log.append(entry("a", 1, SweepLog.DONE));
        Files.writeString(log.file(), "{\"time\":\"2026", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        ByteArrayOutputStream notes = new ByteArrayOutputStream();
        assertEquals(1, SweepLog.read(dir, new PrintStream(notes, true, StandardCharsets.UTF_8)).size());
        assertEquals("[sweep] " + log.file() + ": its last line is torn (13 characters without a final newline, as a kill "
                + "while it was written leaves it); skipped, and cut off when a line is next appended\n",
                notes.toString(StandardCharsets.UTF_8));
    }

    /** A resumed sweep's first line after a torn one is a line of its own: the log stays readable for every later resume. */
    @Test
    void aLineAppendedAfterATornOneIsWhole(@TempDir Path dir) throws IOException {
        SweepLog log = new SweepLog(dir);
        log.append(entry("a", 1, SweepLog.DONE));
        Files.writeString(log.file(), "{\"time\":\"2026-01-01T00:00:00Z\",\"model\":\"resnet50\",\"engine\":\"a\",\"batchSize\":2,"
                + "\"status\":\"do", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        log.append(entry("a", 2, SweepLog.DONE));
        log.append(entry("a", 4, "did-not-fit"));
        assertEquals(List.of(entry("a", 1, SweepLog.DONE), entry("a", 2, SweepLog.DONE), entry("a", 4, "did-not-fit")),
                SweepLog.read(dir, System.out));
    }

    @Test
    void aBrokenCompleteLineIsAnErrorNamingTheLine(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve(SweepLog.FILE), "{\"model\":\"m\"}\n");
        IOException e = assertThrows(IOException.class, () -> SweepLog.read(dir, System.out));
        assertTrue(e.getMessage().contains("line 1"), e.getMessage());
    }

    /** A line of another shape or type says what a line is, not the JSON reader's Java exception and state. */
    @Test
    void aLineOfAnotherTypeSaysWhatALineIs(@TempDir Path dir) throws IOException {
        String expected = "expected one JSON object with model, engine, batchSize (a whole number >= 1) and status";
        for (String line : new String[] {"not json", "[1, 2]",
                "{\"time\":\"x\",\"model\":\"m\",\"engine\":\"e\",\"batchSize\":\"abc\",\"status\":\"done\"}",
                // a number as text, which Gson parses: Java's "For input string" is no line for a user
                "{\"time\":\"x\",\"model\":\"m\",\"engine\":\"e\",\"batchSize\":1,\"status\":\"done\",\"seconds\":\"abc\"}"}) {
            Files.writeString(dir.resolve(SweepLog.FILE), line + "\n");
            IOException e = assertThrows(IOException.class, () -> SweepLog.read(dir, System.out));
            assertEquals(dir.resolve(SweepLog.FILE) + " line 1 is not a sweep log entry: " + expected, e.getMessage(), line);
        }
    }

    @Test
    void resumeEndsALadderAtItsSmallestDidNotFit() {
        Resume r = Resume.of(List.of(entry("a", 1, SweepLog.DONE), entry("a", 64, "did-not-fit"),
                entry("a", 32, "did-not-fit"), entry("b", 4, "error")));
        assertEquals(32, r.didNotFitAt("resnet50", "a", null));
        assertEquals(0, r.didNotFitAt("resnet50", "b", null), "a failure does not end the ladder for a resumed sweep");
        assertEquals(0, r.didNotFitAt("vit", "a", null));
    }

    /**
     * A did-not-fit ends the ladder on the GPU model its line names, not on another (more memory may fit the batch); a
     * line or a sweep that names no GPU (the CPU, an older log) is taken as before.
     */
    @Test
    void aDidNotFitEndsTheLadderOnItsGpuModelOnly() {
        Resume r = Resume.of(List.of(onGpu(entry("a", 1, SweepLog.DONE), "SMALL"), onGpu(entry("a", 4, "did-not-fit"), "SMALL"),
                onGpu(entry("a", 4, SweepLog.DONE), "BIG"), onGpu(entry("a", 16, "did-not-fit"), "BIG"),
                entry("b", 8, "did-not-fit")));
        assertEquals(4, r.didNotFitAt("resnet50", "a", "SMALL"));
        assertEquals(16, r.didNotFitAt("resnet50", "a", "BIG"));
        assertEquals(0, r.didNotFitAt("resnet50", "a", "OTHER"), "neither card's out of memory is OTHER's");
        assertEquals(4, r.didNotFitAt("resnet50", "a", null));
        assertEquals(8, r.didNotFitAt("resnet50", "b", "BIG"), "a line that names no GPU counts on any");
        assertEquals(List.of("SMALL", "BIG"), r.otherGpuModels("resnet50", "a", "OTHER"));
        assertEquals(List.of("SMALL"), r.otherGpuModels("resnet50", "a", "BIG"));
        assertEquals(List.of(), r.otherGpuModels("resnet50", "a", null));
    }

    private static SweepLog.Entry onGpu(SweepLog.Entry e, String gpu) {
        return new SweepLog.Entry(e.time(), e.model(), e.engine(), e.batchSize(), e.status(), e.reason(), e.file(),
                e.seconds(), gpu, null, null, null);
    }

    @Test
    void anAboveMaxBatchLineIsListedAsNotRunButEndsNoLadder() {
        Resume capped = Resume.of(List.of(entry("a", 4, SweepLog.DONE), entry("a", 8, "above-max-batch")));
        assertEquals(0, capped.didNotFitAt("resnet50", "a", null), "a sweep with a larger --max-batch runs batch 8");
        assertEquals(List.of("above-max-batch"), capped.notRun().stream().map(SweepLog.Entry::status).toList());
        Resume measured = Resume.of(List.of(entry("a", 4, SweepLog.DONE), entry("a", 8, "above-max-batch"),
                entry("a", 8, SweepLog.DONE)));
        assertEquals(List.of(), measured.notRun(), "measured later: the cap line no longer counts");
    }

    @Test
    void notRunListsLatestOutcomesOnly() {
        Resume r = Resume.of(List.of(entry("a", 4, "error"), entry("a", 4, SweepLog.RERUN),
                entry("a", 4, SweepLog.DONE), entry("a", 8, "did-not-fit"), entry("b", 1, "error")));
        List<SweepLog.Entry> notRun = r.notRun();
        assertEquals(2, notRun.size());
        assertEquals(8, notRun.get(0).batchSize());
        assertEquals("b", notRun.get(1).engine());
    }

    /**
     * A kill or a full disk that cuts the last line inside a character (the first byte of "é") tears it as any cut does:
     * a resumed sweep skips it, saying so, and is not stopped by it.
     */
    @Test
    void aLastLineCutInsideACharacterIsTorn(@TempDir Path dir) throws IOException {
        SweepLog log = new SweepLog(dir);
        log.append(entry("a", 1, SweepLog.DONE));
        Files.write(log.file(), new byte[] {'{', '"', 'r', '"', ':', '"', (byte) 0xC3}, StandardOpenOption.APPEND);
        ByteArrayOutputStream notes = new ByteArrayOutputStream();
        assertEquals(List.of(entry("a", 1, SweepLog.DONE)),
                SweepLog.read(dir, new PrintStream(notes, true, StandardCharsets.UTF_8)));
        assertEquals("[sweep] " + log.file() + ": its last line is torn (7 characters without a final newline, as a kill "
                + "while it was written leaves it); skipped, and cut off when a line is next appended\n",
                notes.toString(StandardCharsets.UTF_8));
    }
}
