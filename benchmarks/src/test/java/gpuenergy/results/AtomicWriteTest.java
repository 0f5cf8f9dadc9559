package gpuenergy.results;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Files written whole through a copy of each write's own: writers of one name at once (threads of a process, processes
 * that share the storage) never take or remove each other's copy, and a reader sees one writer's whole file at any
 * moment; a copy a killed writer left is removed by a later write once no writer can be behind it.
 */
class AtomicWriteTest {
    /** Each writer's file: large enough to take many writes of the page cache, its writer and number at both ends. */
    private static String text(String writer, int n) {
        return writer + " " + n + "\n" + "x".repeat(256 * 1024) + "\n" + writer + " " + n + " end\n";
    }

    /** Why {@code read} is no writer's whole file; null where it is one. */
    private static String torn(String read) {
        String first = read.substring(0, Math.max(0, read.indexOf('\n')));
        String[] writerAndN = first.split(" ");
        try {
            return read.equals(text(writerAndN[0], Integer.parseInt(writerAndN[1]))) ? null
                    : "a torn file of " + read.length() + " chars starting \"" + first + "\"";
        } catch (RuntimeException e) {
            return "a file starting \"" + first + "\"";
        }
    }

    /**
     * Two threads of this process and another process write one name many times at once, while a reader reads it:
     * every read is one writer's whole file, no write fails, and no copy is left.
     */
    @Test
    void writersOfOneNameAtOnceEachPutTheirWholeFileInPlace(@TempDir Path tmp) throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("out"));
        Path target = dir.resolve("summary.csv");
        Path otherErr = tmp.resolve("other.err");
        Process other = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), AtomicWriteTest.class.getName(), target.toString(), "process", "300")
                .redirectError(otherErr.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        Queue<String> failures = new ConcurrentLinkedQueue<>();
        AtomicBoolean writing = new AtomicBoolean(true);
        List<Thread> writers = new ArrayList<>();
        for (String writer : List.of("thread-a", "thread-b")) {
            writers.add(new Thread(() -> {
                // until the other process has written all its files, and 300 at least
                for (int n = 0; n < 300 || other.isAlive(); n++) {
                    try {
                        AtomicWrite.writeString(target, text(writer, n));
                    } catch (Exception e) {
                        failures.add(writer + ": " + e);
                        return;
                    }
                }
            }));
        }
        int[] reads = {0};
        Thread reader = new Thread(() -> {
            while (writing.get()) {
                try {
                    String why = torn(Files.readString(target));
                    if (why != null) {
                        failures.add("read " + why);
                    }
                    reads[0]++;
                } catch (NoSuchFileException e) {
                    // before the first rename
                } catch (Exception e) {
                    failures.add("read: " + e);
                }
            }
        });
        reader.start();
        writers.forEach(Thread::start);
        for (Thread w : writers) {
            w.join(TimeUnit.MINUTES.toMillis(5));
        }
        assertTrue(other.waitFor(1, TimeUnit.MINUTES), "the other process did not end");
        writing.set(false);
        reader.join();
        assertEquals(List.of(), List.copyOf(failures));
        assertEquals(0, other.exitValue(), Files.readString(otherErr));
        assertTrue(reads[0] > 0, "nothing read");
        assertNull(torn(Files.readString(target)));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(target), files.toList(), "no copy left");
        }
    }

    /** The other process of {@link #writersOfOneNameAtOnceEachPutTheirWholeFileInPlace}: TARGET WRITER COUNT. */
    public static void main(String[] args) throws Exception {
        for (int n = 0; n < Integer.parseInt(args[2]); n++) {
            AtomicWrite.writeString(Path.of(args[0]), text(args[1], n));
        }
    }

    /**
     * A killed writer's copy (no finally removed it), unchanged for an hour, is removed by the next write of its file; a
     * younger one may be another writer's at work, and a copy of another file is that file's: both stay.
     */
    @Test
    void aKilledWritersCopyIsRemovedByTheNextWrite(@TempDir Path dir) throws Exception {
        FileTime twoHoursAgo = FileTime.from(Instant.now().minusSeconds(2 * 3600));
        Path killed = Files.writeString(dir.resolve(".r.json.31337-1.partial"), "[{\"half");
        Files.setLastModifiedTime(killed, twoHoursAgo);
        Path atWork = Files.writeString(dir.resolve(".r.json.31337-2.partial"), "[{\"half");
        Path anotherFiles = Files.writeString(dir.resolve(".q.json.31337-3.partial"), "[{\"half");
        Files.setLastModifiedTime(anotherFiles, twoHoursAgo);
        AtomicWrite.writeString(dir.resolve("r.json"), "[]\n");
        assertEquals("[]\n", Files.readString(dir.resolve("r.json")));
        assertFalse(Files.exists(killed));
        assertTrue(Files.exists(atWork));
        assertTrue(Files.exists(anotherFiles));
        assertEquals(List.of(atWork), AtomicWrite.copies(dir.resolve("r.json"), false));
    }

    /**
     * The one copy an earlier version of the suite wrote each write of a file through, .NAME.partial, left by a kill, is
     * removed by the next write of its file once an hour old, as this version's copies are; not where NAME may be a
     * run's result, whose .NAME.partial is also the file a run of sweep or overhead writes that result to (JMH leaves it
     * empty until the run's end, hours on), nor a younger one.
     */
    @Test
    void anEarlierVersionsKilledCopyIsRemovedByTheNextWrite(@TempDir Path dir) throws Exception {
        FileTime twoHoursAgo = FileTime.from(Instant.now().minusSeconds(2 * 3600));
        List<String> names = List.of("summary.csv", "r.notrun.json", "r.unfinished.json", "m-b1-0a.engine.failed");
        for (String name : names) {
            Files.setLastModifiedTime(Files.writeString(dir.resolve("." + name + ".partial"), "half"), twoHoursAgo);
        }
        Path runsFile = Files.createFile(dir.resolve(".r.json.partial"));
        Files.setLastModifiedTime(runsFile, twoHoursAgo);
        Path atWork = Files.writeString(dir.resolve(".overhead.csv.partial"), "half");
        for (String name : List.of("summary.csv", "r.notrun.json", "r.unfinished.json", "m-b1-0a.engine.failed", "r.json",
                "overhead.csv")) {
            AtomicWrite.writeString(dir.resolve(name), "[]\n");
        }
        for (String name : names) {
            assertFalse(Files.exists(dir.resolve("." + name + ".partial")), name);
        }
        assertTrue(Files.exists(runsFile), "a run's result file");
        assertTrue(Files.exists(atWork), "younger than an hour");
        assertEquals(List.of(atWork), AtomicWrite.copies(dir.resolve("overhead.csv"), false));
        assertEquals(List.of(), AtomicWrite.copies(dir.resolve("r.json"), false));
        assertEquals(List.of(runsFile), AtomicWrite.copies(dir.resolve("r.json"), true), "a record's, where the caller knows");
    }

    /**
     * Copies of one time (a file system that keeps times to the second or two, where a process writes a file several
     * times a second) are in the order of their writes: a process's 9th write before its 10th and 100th, so that the
     * last whole copy is the newest write.
     */
    @Test
    void copiesOfOneTimeAreInTheOrderOfTheirWrites(@TempDir Path dir) throws Exception {
        FileTime second = FileTime.from(Instant.now().minusSeconds(5).truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        for (String write : List.of("4242-100", "4242-10", "4242-9", "31337-2")) {
            Files.setLastModifiedTime(Files.writeString(dir.resolve(".r.json." + write + ".partial"), "[]"), second);
        }
        assertEquals(List.of(dir.resolve(".r.json.4242-9.partial"), dir.resolve(".r.json.4242-10.partial"),
                dir.resolve(".r.json.4242-100.partial"), dir.resolve(".r.json.31337-2.partial")),
                AtomicWrite.copies(dir.resolve("r.json"), false));
    }

    /**
     * A copy's name says whose it is, JMH's hidden result file (.NAME.json.partial, {@code gpuenergy.run.PartialResult})
     * being none but having copies of its own.
     */
    @Test
    void aCopysNameSaysWhoseItIs(@TempDir Path dir) {
        assertEquals(dir.resolve("r.json"), AtomicWrite.targetOf(dir.resolve(".r.json.4242-17.partial")));
        assertEquals(dir.resolve("r.1-2"), AtomicWrite.targetOf(dir.resolve(".r.1-2.4242-17.partial")));
        assertEquals(dir.resolve(".r.json.partial"), AtomicWrite.targetOf(dir.resolve("..r.json.partial.4242-17.partial")));
        assertNull(AtomicWrite.targetOf(dir.resolve(".r.json.partial")));
        assertNull(AtomicWrite.targetOf(dir.resolve("r.json.4242-17.partial")), "not hidden");
    }

    /**
     * A file where the directory a file is set aside in goes (a sweep's unreadable/) fails naming it and what is wrong,
     * not Java's "already exists"; neither the file to set aside nor the one in the way is touched.
     */
    @Test
    void aFileWhereTheAsideDirectoryGoesIsNamed(@TempDir Path dir) throws Exception {
        Path result = Files.writeString(dir.resolve("m-e-b2.json"), "garbage");
        Path inTheWay = Files.writeString(dir.resolve("unreadable"), "x");
        java.io.IOException e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                () -> AtomicWrite.setAside(result, inTheWay, "m-e-b2.json"));
        assertEquals(inTheWay + ": is a file, not a directory", IoMessage.describe(e));
        assertEquals("garbage", Files.readString(result));
        assertEquals("x", Files.readString(inTheWay));
    }

    /** A symbolic link where the aside directory goes that leads to no directory is named as one, not as "already exists". */
    @Test
    void aDanglingSymbolicLinkWhereTheAsideDirectoryGoesIsNamed(@TempDir Path dir) throws Exception {
        Path result = Files.writeString(dir.resolve("m-e-b2.json"), "garbage");
        Path link = Files.createSymbolicLink(dir.resolve("unreadable"), dir.resolve("gone"));
        java.io.IOException e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                () -> AtomicWrite.setAside(result, link, "m-e-b2.json"));
        assertEquals(link + ": is a symbolic link (to " + dir.resolve("gone") + ") that leads to no directory",
                IoMessage.describe(e));
        assertEquals("garbage", Files.readString(result));
    }
}
