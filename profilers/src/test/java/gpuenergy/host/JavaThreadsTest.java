package gpuenergy.host;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * On a thread dump recorded from JDK 17 (jcmd's Thread.print, through the DiagnosticCommand MBean) of a VM with a thread
 * named "demo.Bench.infer-jmh-worker-1", which Linux listed as task 14635 named "demo.Bench.infe".
 */
class JavaThreadsTest {
    static final Path RECORDED = Path.of("src/test/resources/host/thread-dump-jdk17.txt");

    @Test
    void theWorkerIsFoundByItsFullNameAndItsHexadecimalNid() throws IOException {
        String dump = Files.readString(RECORDED);
        assertEquals(List.of(14635), JavaThreads.nativeIds(dump, "demo.Bench.infer-jmh-worker-"));
        assertEquals(List.of(), JavaThreads.nativeIds(dump, "demo.Bench.infer-jmh-worker-2"));
        // "GC Thread#0" and "GC Thread#1", VM threads without a #number
        assertEquals(List.of(0x392a, 0x3919), JavaThreads.nativeIds(dump, "GC Thread#"));
    }

    @Test
    void laterJdksWriteTheNidInDecimalAndNamesMayHoldQuotes() {
        String dump = "\"a.B.c-jmh-worker-1\" #31 [31567] daemon prio=5 os_prio=0 cpu=1.00ms elapsed=2.00s tid=0x00007f0 "
                + "nid=31567 runnable  [0x00007f1]\n"
                + "\"a.B.c-jmh-worker-10 \"x\"\" #32 daemon prio=5 os_prio=0 tid=0x00007f2 nid=31570 waiting on condition\n"
                + "\"a.B.c-other\" #33 daemon prio=5 os_prio=0 tid=0x00007f3 nid=31571 runnable\n"
                + "   java.lang.Thread.State: RUNNABLE nid=1\n";
        assertEquals(List.of(31567, 31570), JavaThreads.nativeIds(dump, "a.B.c-jmh-worker-"));
    }

    @Test
    void thisVmsDumpNamesThisThread() throws Exception {
        String name = "java-threads-test-" + System.nanoTime();
        String previous = Thread.currentThread().getName();
        Thread.currentThread().setName(name);
        try {
            List<Integer> ids = JavaThreads.nativeIds(JavaThreads.dump(), name);
            assertEquals(1, ids.size(), ids.toString());
            assertTrue(Files.isDirectory(Path.of("/proc/self/task/" + ids.get(0))), "a task of this process: " + ids);
        } finally {
            Thread.currentThread().setName(previous);
        }
    }
}
