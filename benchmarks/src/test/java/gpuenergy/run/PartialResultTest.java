package gpuenergy.run;

import gpuenergy.results.NotRunList;
import gpuenergy.results.ShardFile;
import gpuenergy.results.SweepResults;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What a killed command leaves of its hidden files, cleared by the next one on the directory: besides JMH's result file,
 * the copies (.NAME.PID-N.partial, one per write) of an unfinished file that is written after each measured iteration
 * and renamed over it, of the command's records, and of JMH's file as the run's end adds the environment to it.
 */
class PartialResultTest {
    /**
     * How a write's copy of a file is named: each write's own, or the one name all writes of the file share in earlier
     * versions of the suite, whose copies a sweep killed under one of them and resumed under this one finds.
     */
    enum CopyName {
        OWN, SHARED;

        /** The copy of {@code file} that write {@code pidN} (PID-N) makes. */
        String of(String file, String pidN) {
            return "." + file + (this == OWN ? "." + pidN : "") + ".partial";
        }
    }

    @TempDir
    Path dir;

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    private List<String> clear() throws Exception {
        PartialResult.clear(dir, dir, "overhead", java.util.Set.of("overhead.notrun.json", "overhead-settings.json"), new PrintStream(printed, true, StandardCharsets.UTF_8));
        return printed.toString(StandardCharsets.UTF_8).lines().toList();
    }

    private List<String> files() throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }

    /** The line for a whole copy of {@code file}, newer than it, that is {@code file} now: {@code what} it holds. */
    private static String lastCopy(Path copy, Path file, String what) {
        return copy + ": the last copy of " + file + ", written whole before a kill stopped its rename; it is that file now ("
                + what + ")";
    }

    /** The line for a torn copy of {@code file}, removed: {@code kept} says what of the file is kept. */
    private static String tornCopy(Path copy, Path file, String kept) {
        return copy + ": removed, a copy of " + file + " torn by a kill while it was written (" + kept + ")";
    }

    /** The line for JMH's empty file {@code hidden}, removed: {@code measured} says where the run's iterations are. */
    private static String emptyResult(Path hidden, String measured) {
        return hidden + ": removed, the empty result file of a run killed before it ended (" + measured + ")";
    }

    /** The line for JMH's file with content, {@code hidden}, kept as {@code moved}. */
    private static String unpublished(Path hidden, Path moved) {
        return hidden + ": a run killed before its result was published; moved to " + moved + " (not counted as done)";
    }

    /** Killed between the copy's write and its rename: the copy is whole and newer, so it is the unfinished file now. */
    @ParameterizedTest
    @EnumSource(CopyName.class)
    void aWholeCopyOfAnUnfinishedFileReplacesIt(CopyName copy) throws Exception {
        Files.writeString(dir.resolve("cfg.r1.off.unfinished.json"), "[{\"iterations\": 2}]");
        Files.writeString(dir.resolve(copy.of("cfg.r1.off.unfinished.json", "4242-7")), "[{\"iterations\": 3}]");
        Files.createFile(dir.resolve(".cfg.r1.off.json.partial"));
        assertEquals(List.of(
                "[overhead] " + lastCopy(dir.resolve(copy.of("cfg.r1.off.unfinished.json", "4242-7")),
                        dir.resolve("cfg.r1.off.unfinished.json"), "measured iterations, not a result"),
                "[overhead] " + emptyResult(dir.resolve(".cfg.r1.off.json.partial"), "its measured iterations are in "
                        + dir.resolve("cfg.r1.off.unfinished.json") + ", not a result")), clear());
        assertEquals(List.of("cfg.r1.off.unfinished.json"), files(), "none in unpublished/");
        assertEquals("[{\"iterations\": 3}]", Files.readString(dir.resolve("cfg.r1.off.unfinished.json")));
    }

    /**
     * Killed while the copy was written: it is torn, and the unfinished file holds the iterations written before; where
     * there is none (its first copy), the empty result file's line says the truth, that nothing of the run is kept.
     */
    @ParameterizedTest
    @EnumSource(CopyName.class)
    void aTornCopyIsRemovedAndTheUnfinishedFileKept(CopyName copy) throws Exception {
        Files.writeString(dir.resolve("a.r1.off.unfinished.json"), "[{\"iterations\": 2}]");
        Files.writeString(dir.resolve(copy.of("a.r1.off.unfinished.json", "4242-3")), "[{\"iterations\": 3");
        Files.writeString(dir.resolve(copy.of("b.r1.off.unfinished.json", "31337-4")), "[{\"iter");
        Files.createFile(dir.resolve(".b.r1.off.json.partial"));
        assertEquals(List.of(
                "[overhead] " + tornCopy(dir.resolve(copy.of("a.r1.off.unfinished.json", "4242-3")),
                        dir.resolve("a.r1.off.unfinished.json"), "the file holds the measured iterations written before it"),
                "[overhead] " + tornCopy(dir.resolve(copy.of("b.r1.off.unfinished.json", "31337-4")),
                        dir.resolve("b.r1.off.unfinished.json"), "its first copy: the one measured iteration it held is lost"),
                "[overhead] " + emptyResult(dir.resolve(".b.r1.off.json.partial"), "nothing measured")), clear());
        assertEquals(List.of("a.r1.off.unfinished.json"), files(), "none in unpublished/");
        assertEquals("[{\"iterations\": 2}]", Files.readString(dir.resolve("a.r1.off.unfinished.json")));
    }

    /** The command's own records are written through copies of the same form: a whole one is newer, a torn one goes. */
    @ParameterizedTest
    @EnumSource(CopyName.class)
    void aCopyOfARecordIsTheRecordNotARun(CopyName copy) throws Exception {
        Files.writeString(dir.resolve("overhead-settings.json"), "{\"-i\": \"8\"}");
        Files.writeString(dir.resolve(copy.of("overhead-settings.json", "4242-1")), "{\"-i\": \"8\", \"-f\": \"1\"}");
        Files.writeString(dir.resolve(copy.of("overhead.notrun.json", "4242-2")), "[{\"kind\":");
        assertEquals(List.of(
                "[overhead] " + lastCopy(dir.resolve(copy.of("overhead-settings.json", "4242-1")),
                        dir.resolve("overhead-settings.json"), "the command's record"),
                "[overhead] " + tornCopy(dir.resolve(copy.of("overhead.notrun.json", "4242-2")),
                        dir.resolve("overhead.notrun.json"), "its first copy: the command writes it again")), clear());
        assertEquals(List.of("overhead-settings.json"), files(), "none in unpublished/");
        assertEquals("{\"-i\": \"8\", \"-f\": \"1\"}", Files.readString(dir.resolve("overhead-settings.json")));
    }

    /** JMH's file with content (killed between the run's end and its publication) is still a measured run, kept. */
    @Test
    void aResultFileWithContentIsKeptUnpublished() throws Exception {
        Files.writeString(dir.resolve(".a.r1.off.json.partial"), "[{\"benchmark\": \"x\"}]");
        assertEquals(List.of("[overhead] " + unpublished(dir.resolve(".a.r1.off.json.partial"),
                dir.resolve("unpublished/a.r1.off.json"))), clear());
        assertEquals(List.of("unpublished/a.r1.off.json"), files());
    }

    /**
     * Killed while the run's end added the environment to JMH's file, through a copy of it: a torn copy goes and JMH's
     * file, whole, is kept unpublished; a whole copy is that file now, and kept unpublished. No copy stays.
     */
    @ParameterizedTest
    @EnumSource(CopyName.class)
    void aCopyOfAHiddenResultIsClearedBeforeTheResultIsKept(CopyName copy) throws Exception {
        Files.writeString(dir.resolve(".a.r1.off.json.partial"), "[{\"benchmark\": \"x\"}]");
        Files.writeString(dir.resolve(copy.of(".a.r1.off.json.partial", "4242-5")), "[{\"benchmark\": \"x\", \"envir");
        Files.writeString(dir.resolve(".b.r1.off.json.partial"), "[{\"benchmark\": \"y\"}]");
        Files.writeString(dir.resolve(copy.of(".b.r1.off.json.partial", "31337-1")), "[{\"benchmark\": \"y\", \"environment\": {}}]");
        assertEquals(List.of(
                "[overhead] " + tornCopy(dir.resolve(copy.of(".a.r1.off.json.partial", "4242-5")),
                        dir.resolve(".a.r1.off.json.partial"), "the file holds the run's result as JMH wrote it"),
                "[overhead] " + lastCopy(dir.resolve(copy.of(".b.r1.off.json.partial", "31337-1")),
                        dir.resolve(".b.r1.off.json.partial"), "a run's result with its environment, not yet published"),
                "[overhead] " + unpublished(dir.resolve(".a.r1.off.json.partial"), dir.resolve("unpublished/a.r1.off.json")),
                "[overhead] " + unpublished(dir.resolve(".b.r1.off.json.partial"), dir.resolve("unpublished/b.r1.off.json"))),
                clear());
        assertEquals(List.of("unpublished/a.r1.off.json", "unpublished/b.r1.off.json"), files());
        assertEquals("[{\"benchmark\": \"y\", \"environment\": {}}]", Files.readString(dir.resolve("unpublished/b.r1.off.json")));
    }

    /**
     * Several copies of one file (kills of several writes, each through a copy of its own) are cleared oldest first, so
     * that the last whole write is the file: a whole copy older than the file (a later write renamed its own over it)
     * goes. A copy of a file that is neither a run's, an unfinished file nor a record (the table) is left to the next
     * write of that file.
     */
    @Test
    void theLastWholeWriteOfAFileIsWhatStays() throws Exception {
        Path unfinished = Files.writeString(dir.resolve("a.r1.off.unfinished.json"), "[{\"iterations\": 2}]");
        Path older = Files.writeString(dir.resolve(".a.r1.off.unfinished.json.31337-9.partial"), "[{\"iterations\": 1}]");
        Path torn = Files.writeString(dir.resolve(".a.r1.off.unfinished.json.4242-1.partial"), "[{\"iterations\": 3");
        Path newest = Files.writeString(dir.resolve(".a.r1.off.unfinished.json.4242-2.partial"), "[{\"iterations\": 4}]");
        Instant now = Instant.now();
        Files.setLastModifiedTime(older, FileTime.from(now.minusSeconds(40)));
        Files.setLastModifiedTime(unfinished, FileTime.from(now.minusSeconds(30)));
        Files.setLastModifiedTime(torn, FileTime.from(now.minusSeconds(20)));
        Files.setLastModifiedTime(newest, FileTime.from(now.minusSeconds(10)));
        Files.writeString(dir.resolve(".overhead.csv.4242-3.partial"), "config,");
        assertEquals(List.of(
                "[overhead] " + older + ": removed, a copy of " + unfinished + " written whole before a kill stopped its "
                        + "rename, older than that file (a later write's)",
                "[overhead] " + tornCopy(torn, unfinished, "the file holds the measured iterations written before it"),
                "[overhead] " + lastCopy(newest, unfinished, "measured iterations, not a result")), clear());
        assertEquals("[{\"iterations\": 4}]", Files.readString(unfinished));
        assertEquals(List.of(".overhead.csv.4242-3.partial", "a.r1.off.unfinished.json"), files());
    }

    /**
     * A sweep killed under an earlier version of the suite (whose writes of a file share one copy, .NAME.partial) and
     * resumed under this one: that copy of an unfinished file, of a record and of a run's hidden result is cleared as a
     * copy of that file, not kept as a run killed before its result was published, and before the copies of this
     * version's writes of the file.
     */
    @Test
    void theCopiesOfAnEarlierVersionAreClearedAsCopies() throws Exception {
        Path unfinished = Files.writeString(dir.resolve("m-b1.unfinished.json"), "[{\"iterations\": 2}]");
        Path shared = Files.writeString(dir.resolve(".m-b1.unfinished.json.partial"), "[{\"iterations\": 3}]");
        Path own = Files.writeString(dir.resolve(".m-b1.unfinished.json.4242-1.partial"), "[{\"iterations\": 4}]");
        Instant now = Instant.now();
        Files.setLastModifiedTime(unfinished, FileTime.from(now.minusSeconds(30)));
        Files.setLastModifiedTime(shared, FileTime.from(now.minusSeconds(20)));
        Files.setLastModifiedTime(own, FileTime.from(now.minusSeconds(10)));
        Files.createFile(dir.resolve(".m-b1.json.partial"));
        Path settings = Files.writeString(dir.resolve(".sweep-settings.json.partial"), "{\"-i\": \"8\"}");
        Path jmh = Files.writeString(dir.resolve(".m-b2.json.partial"), "[{\"benchmark\": \"y\"}]");
        Path withEnvironment = Files.writeString(dir.resolve("..m-b2.json.partial.partial"),
                "[{\"benchmark\": \"y\", \"environment\": {}}]");
        PartialResult.clear(dir, dir, "sweep", Set.of(NotRunList.SWEEP_FILE, SweepResults.SETTINGS, ShardFile.FILE),
                new PrintStream(printed, true, StandardCharsets.UTF_8));
        assertEquals(List.of(
                "[sweep] " + lastCopy(withEnvironment, jmh, "a run's result with its environment, not yet published"),
                "[sweep] " + lastCopy(shared, unfinished, "measured iterations, not a result"),
                "[sweep] " + lastCopy(own, unfinished, "measured iterations, not a result"),
                "[sweep] " + lastCopy(settings, dir.resolve("sweep-settings.json"), "the command's record"),
                "[sweep] " + emptyResult(dir.resolve(".m-b1.json.partial"), "its measured iterations are in " + unfinished
                        + ", not a result"),
                "[sweep] " + unpublished(jmh, dir.resolve("unpublished/m-b2.json"))),
                printed.toString(StandardCharsets.UTF_8).lines().toList());
        assertEquals(List.of("m-b1.unfinished.json", "sweep-settings.json", "unpublished/m-b2.json"), files());
        assertEquals("[{\"iterations\": 4}]", Files.readString(unfinished));
        assertEquals("{\"-i\": \"8\"}", Files.readString(dir.resolve("sweep-settings.json")));
        assertEquals("[{\"benchmark\": \"y\", \"environment\": {}}]", Files.readString(dir.resolve("unpublished/m-b2.json")));
    }

    /** A copy that a kill cut inside a character (the first byte of "é") is torn as any cut one is, and goes. */
    @ParameterizedTest
    @EnumSource(CopyName.class)
    void aCopyCutInsideACharacterIsTorn(CopyName copy) throws Exception {
        Files.writeString(dir.resolve("a.r1.off.unfinished.json"), "[{\"iterations\": 2}]");
        String text = "[{\"params\": {\"model\": \"résnet\"}, \"iterations\": 3}]";
        Files.write(dir.resolve(copy.of("a.r1.off.unfinished.json", "4242-3")),
                Arrays.copyOf(text.getBytes(StandardCharsets.UTF_8), text.indexOf('é') + 1));
        assertEquals(List.of(
                "[overhead] " + tornCopy(dir.resolve(copy.of("a.r1.off.unfinished.json", "4242-3")),
                        dir.resolve("a.r1.off.unfinished.json"), "the file holds the measured iterations written before it")),
                clear());
        assertEquals(List.of("a.r1.off.unfinished.json"), files());
    }
}
