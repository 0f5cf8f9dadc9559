package gpuenergy.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A run that cannot start (JMH's lock taken, nowhere to write its result) says why in one line, exit 1. */
class LaunchFailureTest {

    private static void assertOneErrorLine(String output, String expected) {
        assertFalse(output.contains("\tat "), "a stack trace was printed:\n" + output);
        assertFalse(output.contains("Exception"), "an exception's name was printed:\n" + output);
        assertTrue(output.contains(expected), "expected a line with '" + expected + "':\n" + output);
    }

    @Test
    void jmhLockHeldByAnotherRun(@TempDir Path dir) throws Exception {
        Process holder = Forked.java(dir.resolve("holder.log"), List.of(), LockHolder.class.getName(),
                dir.resolve("jmh.lock").toString()).redirectOutput(ProcessBuilder.Redirect.PIPE).start();
        try {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8))) {
                assertEquals("locked", r.readLine());
                Path log = dir.resolve("run.log");
                // JMH's lock is <java.io.tmpdir>/jmh.lock
                int rc = Forked.run(Forked.java(log, List.of("-Djava.io.tmpdir=" + dir), Main.class.getName(), Forked.SLEEP,
                        "-f", "0", "-wi", "0", "-i", "1", "-r", "100ms", "-rff", dir.resolve("r.json").toString()));
                String out = Forked.read(log);
                assertEquals(1, rc, out);
                assertOneErrorLine(out, "Another JMH instance might be running. Unable to acquire the JMH lock ("
                        + dir.resolve("jmh.lock") + ")");
                assertFalse(Files.exists(dir.resolve("r.json")), "no result file: nothing ran");
            }
        } finally {
            holder.destroy();
            holder.waitFor();
        }
    }

    @Test
    void resultFileInADirectoryThatIsAFile(@TempDir Path dir) throws IOException {
        Path notADir = Files.writeString(dir.resolve("file"), "x");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream saved = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int rc;
        try {
            rc = Main.run(new String[] {Forked.SLEEP, "-f", "0", "-rff", notADir.resolve("r.json").toString()});
        } finally {
            System.setErr(saved);
        }
        String out = err.toString(StandardCharsets.UTF_8);
        assertEquals(1, rc, out);
        assertEquals(1, out.strip().lines().count(), out);
        assertOneErrorLine(out, "cannot write the result file " + notADir.resolve("r.json") + ": " + notADir + " is not a directory");
    }

    @Test
    void workingDirectoryThatRefusesFiles(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("run.log");
        int rc = Forked.run(Forked.java(log, List.of("-Djmh.ignoreLock=true"), Main.class.getName(), Forked.SLEEP,
                "-f", "0", "-wi", "0", "-i", "1", "-r", "100ms").directory(Path.of("/proc").toFile()));
        String out = Forked.read(log);
        assertEquals(1, rc, out);
        assertOneErrorLine(out, "cannot write the result file gpuenergy-result-");
        assertTrue(out.contains("directory /proc does not accept new files"), out);
        assertTrue(out.contains("-rff"), "says how to write it elsewhere:\n" + out);
    }
}
