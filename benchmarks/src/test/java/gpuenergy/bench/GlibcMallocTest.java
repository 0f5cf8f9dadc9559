package gpuenergy.bench;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What the fixed thresholds change, in processes of their own (mallopt cannot be undone): a thread that allocates a
 * dozen 1 MiB buffers, touches them and frees them, round after round, as an engine does with a batch's buffers. With
 * glibc's own thresholds the heap is trimmed after every round, and every round faults the buffers' pages in again;
 * with the fixed ones only the first round does.
 */
class GlibcMallocTest {
    static final int BUFFERS = 12;
    static final int BUFFER_BYTES = 1 << 20;
    static final int ROUNDS = 6;
    static final int PAGES = BUFFERS * BUFFER_BYTES / 4096;

    /** Prints the result of fixThresholds and then each round's minor page faults, on one line each. */
    public static final class Churn {
        public static void main(String[] args) throws Exception {
            System.out.println(GlibcMalloc.fixThresholds());
            long[] faults = new long[ROUNDS];
            Thread worker = new Thread(() -> {
                for (int r = 0; r < ROUNDS; r++) {
                    long before = minorFaults();
                    long[] buffers = new long[BUFFERS];
                    for (int i = 0; i < BUFFERS; i++) {
                        buffers[i] = Native.malloc(BUFFER_BYTES);
                        new Pointer(buffers[i]).setMemory(0, BUFFER_BYTES, (byte) 1);
                    }
                    for (long b : buffers) {
                        Native.free(b);
                    }
                    faults[r] = minorFaults() - before;
                }
            });
            worker.start();
            worker.join();
            System.out.println(Arrays.toString(faults));
        }

        /** The calling thread's minor faults: field 10 of its stat. */
        static long minorFaults() {
            try {
                String stat = Files.readString(Path.of("/proc/thread-self/stat"));
                return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[10 - 3]);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    /** Churn's two lines in a new JVM with these VM options. */
    private static List<String> churn(String... vmOptions) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(List.of(vmOptions));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Churn.class.getName()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return out.lines().toList();
    }

    private static long[] rounds(String line) {
        return Arrays.stream(line.replaceAll("[\\[\\]]", "").split(",\\s*")).mapToLong(Long::parseLong).toArray();
    }

    @Test
    void fixedThresholdsFaultABatchsBuffersInOnceAndGlibcsOwnInEveryRound() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/thread-self/stat")), "Linux only");
        List<String> fixed = churn();
        assumeTrue(fixed.get(0).startsWith("glibc "), "glibc only: " + fixed);
        assertTrue(fixed.get(0).endsWith(", mmap_threshold 33554432, trim_threshold 1073741824"), fixed.toString());
        List<String> own = churn("-Dgpuenergy.malloc=default");
        assertTrue(own.get(0).endsWith(", its own thresholds (-Dgpuenergy.malloc=default)"), own.toString());

        long[] withFixed = rounds(fixed.get(1));
        long[] withOwn = rounds(own.get(1));
        for (int r = 1; r < ROUNDS; r++) {
            assertTrue(withOwn[r] > PAGES / 2, "glibc's own: round " + r + " faults the buffers in again: " + own);
            assertTrue(withFixed[r] < PAGES / 20, "fixed: round " + r + " reuses them: " + fixed);
        }
    }

    @Test
    void theSettingIsAppliedOncePerProcess() {
        String first = GlibcMalloc.fixThresholds(false);
        assumeTrue(first.startsWith("glibc "), "glibc only: " + first);
        assertEquals(first, GlibcMalloc.fixThresholds(true), "the first call's setting stands");
    }
}
