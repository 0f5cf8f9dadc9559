package gpuenergy.sweep;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two processes on one board take turns; on two boards they do not wait for each other. */
class GpuLockTest {
    private static final String BOARD = "GPU-00000000-1111-2222-3333-444444444444";
    private static final String OTHER = "GPU-55555555-6666-7777-8888-999999999999";

    /** Holds board args[1]'s lock in directory args[0] for args[2] milliseconds, saying when it has it. */
    public static void main(String[] args) throws Exception {
        try (GpuLock held = GpuLock.hold(Path.of(args[0]), args[1], System.out)) {
            System.out.println("held");
            System.out.flush();
            Thread.sleep(Long.parseLong(args[2]));
        }
    }

    @Test
    void aSecondSweepOnTheBoardWaitsAndOneOnAnotherDoesNot(@TempDir Path dir) throws Exception {
        Process holder = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), GpuLockTest.class.getName(), dir.toString(), BOARD, "1500"))
                .redirectErrorStream(true).start();
        BufferedReader r = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
        assertEquals("held", r.readLine());

        ByteArrayOutputStream said = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(said, true, StandardCharsets.UTF_8);
        long start = System.nanoTime();
        try (GpuLock other = GpuLock.hold(dir, OTHER, out)) {
            assertTrue((System.nanoTime() - start) / 1e6 < 1000, "another board is free");
        }
        try (GpuLock same = GpuLock.hold(dir, BOARD, out)) {
            assertTrue((System.nanoTime() - start) / 1e6 >= 1000, "waited for the holder's 1.5 s");
        }
        assertEquals(0, holder.waitFor());
        assertTrue(said.toString(StandardCharsets.UTF_8).startsWith("[sweep] waiting for " + BOARD
                + ": another sweep is measuring on it"), said.toString(StandardCharsets.UTF_8));
    }
}
