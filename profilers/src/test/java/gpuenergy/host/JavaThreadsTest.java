package gpuenergy.host;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JavaThreadsTest {
    static final long TOL = JavaThreads.TOLERANCE_NS;

    @Test
    void eachJavaThreadIsTheLinuxThreadThatRanAsLong() {
        Map<Integer, Long> runNs = new LinkedHashMap<>();
        runNs.put(101, 3_200_000L); // a driver thread that inherited the worker's name
        runNs.put(102, 812_345_678L); // the worker
        runNs.put(103, 0L);
        assertEquals(List.of(102), JavaThreads.matching(runNs, List.of(812_345_678L), TOL));
        assertEquals(List.of(102, 103), JavaThreads.matching(runNs, List.of(812_300_000L, 0L), TOL),
                "within the tolerance, each thread once");
    }

    @Test
    void aThreadNotToldApartIsNone() {
        Map<Integer, Long> runNs = new LinkedHashMap<>(Map.of(1, 500_000_000L, 2, 500_900_000L, 3, 10L));
        assertEquals(List.of(1), JavaThreads.matching(runNs, List.of(500_000_000L), TOL), "a waiting thread's time is exact");
        assertEquals(List.of(), JavaThreads.matching(runNs, List.of(499_900_000L), TOL), "two threads within 2 ms above it");
        assertEquals(List.of(), JavaThreads.matching(runNs, List.of(700_000_000L), TOL), "none near");
        assertEquals(List.of(), JavaThreads.matching(runNs, List.of(-1L), TOL), "CPU time not measured");
        assertEquals(List.of(), JavaThreads.matching(Map.of(1, 400_000_000L), List.of(500_000_000L), TOL),
                "a run time below the CPU time read before it is another thread's");
    }

    @Test
    void withoutAJavaThreadOfTheNameNoneIsFoundAndTheReasonSaysSo() throws Exception {
        JavaThreads.Found none = JavaThreads.linuxIds(Path.of("/proc"), "demo.NoSuch.infer-jmh-worker-");
        assertEquals(List.of(), none.ids());
        assertEquals("no Java thread is named demo.NoSuch.infer-jmh-worker-N", none.whyNone());
    }

    /**
     * A Java thread of the name that Linux does not list under it (renamed from another thread), or whose task has no
     * schedstat (a kernel without it): the reason says that, not that the kernel's run times read 0.
     */
    @Test
    void aJavaThreadLinuxDoesNotListUnderItsNameIsSaidSo(@TempDir Path proc) throws Exception {
        Path other = Files.createDirectories(proc.resolve("self/task/101"));
        Files.writeString(other.resolve("comm"), "main\n");
        Files.writeString(other.resolve("schedstat"), "5000 0 1\n");
        Files.writeString(Files.createDirectories(proc.resolve("self/task/102")).resolve("comm"), "demo.Gone.infer\n");
        CountDownLatch release = new CountDownLatch(1);
        Thread worker = new Thread(() -> await(release), "demo.Gone.infer-jmh-worker-1");
        worker.start();
        try {
            JavaThreads.Found none = JavaThreads.linuxIds(proc, "demo.Gone.infer-jmh-worker-");
            assertEquals(List.of(), none.ids());
            assertEquals("no Linux thread of this process named demo.Gone.infer-jmh-worker-N has a run time ("
                    + proc.resolve("self/task") + "/*/schedstat)", none.whyNone());
        } finally {
            release.countDown();
            worker.join();
        }
    }

    @Test
    void linuxKeeps15BytesOfAName() {
        // "bänch" is 6 bytes in UTF-8: Linux keeps "demo.bänch.inf" (15 bytes), read back byte for byte
        String comm = new String("demo.bänch.infer".getBytes(java.nio.charset.StandardCharsets.UTF_8), 0, 15,
                java.nio.charset.StandardCharsets.ISO_8859_1);
        assertTrue(JavaThreads.named(comm, "demo.bänch.infer-jmh-worker-"));
    }

    @Test
    void linuxKeeps15CharactersOfAName() {
        String workers = "gpuenergy.bench.InferenceBenchmark.infer-jmh-worker-";
        assertTrue(JavaThreads.named("gpuenergy.bench", workers));
        assertTrue(!JavaThreads.named("gpuenergy.samp", workers));
        assertTrue(!JavaThreads.named("", workers));
        assertTrue(JavaThreads.named("b-jmh-worker-1", "b-jmh-worker-"));
        assertTrue(!JavaThreads.named("b-jmh-worker", "b-jmh-worker-"));
    }

    /**
     * Live: a worker that has run, waiting, beside a busier thread whose name starts with the same 15 characters (as a
     * native thread the worker started would be named).
     */
    @Test
    void theWaitingWorkerIsFoundAmongThreadsOfItsName() throws Exception {
        CountDownLatch done = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        Thread worker = new Thread(() -> {
            spin(150);
            done.countDown();
            await(release);
        }, "demo.Found.infer-jmh-worker-1");
        Thread sibling = new Thread(() -> {
            spin(300);
            done.countDown();
            await(release);
        }, "demo.Found.infer-native");
        worker.start();
        sibling.start();
        try {
            done.await(); // both have run and now wait
            JavaThreads.Found found = JavaThreads.linuxIds(Path.of("/proc"), "demo.Found.infer-jmh-worker-");
            List<Integer> ids = found.ids();
            assertEquals(1, ids.size(), ids.toString());
            Map<Integer, Long> named = JavaThreads.runNsOfThreadsNamed(Path.of("/proc"), "demo.Found.infer-jmh-worker-");
            assertEquals(2, named.size(), "both carry the 15 characters: " + named);
            long workerRun = named.get(ids.get(0));
            long siblingRun = named.entrySet().stream().filter(e -> !e.getKey().equals(ids.get(0))).findFirst().orElseThrow().getValue();
            assertTrue(workerRun < siblingRun, "the worker ran 150 ms, its sibling 300 ms: " + named);
        } finally {
            release.countDown();
            worker.join();
            sibling.join();
        }
    }

    /** Runs {@code millis} of this thread's CPU time, however long a busy host takes to give it that. */
    private static void spin(long millis) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long end = mx.getCurrentThreadCpuTime() + millis * 1_000_000;
        long x = 0;
        while (mx.getCurrentThreadCpuTime() < end) {
            x++;
        }
        if (x == 42) {
            System.out.print("");
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
