package gpuenergy.host;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * On /proc files recorded 1.007 s apart on a 2-CPU Linux guest, around a Java thread named like a JMH worker
 * ("demo.Bench.infer-jmh-worker-1") that spins throughout: /proc/stat, the process's stat, the thread's comm, schedstat,
 * status and sched (resources/host/spinning-worker/{before,after}, with System.nanoTime() at each read).
 */
class SchedulingWindowTest {
    static final Path RECORDED = Path.of("src/test/resources/host/spinning-worker");
    static final int TID = 31696;

    static HostSnapshot recorded(String when) throws IOException {
        Path dir = RECORDED.resolve(when);
        return HostSnapshot.read(dir, List.of(TID), Long.parseLong(Files.readString(dir.resolve("nanotime")).strip()));
    }

    @Test
    void aSpinningWorkerRunsThroughoutTheWindowAndBarelyWaits() throws IOException {
        SchedulingWindow w = SchedulingWindow.between(recorded("before"), recorded("after"), Double.NaN);
        double seconds = (39610482320812L - 39609475156560L) / 1e9;
        // schedstat: 208,859,362 -> 1,206,865,721 ns run; 5,090,912 -> 6,762,630 ns waiting
        assertEquals(100 * (1206865721L - 208859362L) / 1e9 / seconds, w.workerCpuPct(), 1e-9);
        assertTrue(w.workerCpuPct() > 98 && w.workerCpuPct() < 100, String.valueOf(w));
        assertEquals(100 * (6762630L - 5090912L) / 1e9 / seconds, w.workerWaitPct(), 1e-9);
        assertEquals(3 / seconds, w.workerPreemptedPerS(), 1e-9); // nonvoluntary_ctxt_switches 17 -> 20
        assertEquals(0, w.workerMigratedPerS(), 0);
        // utime + stime 72 -> 174 ticks: the spinning thread, about one CPU
        assertEquals(102 / 100.0 / seconds, w.processCpus(), 1e-9);
        // minflt 15523 -> 15638: the spinning thread allocates nothing; the process's other threads faulted 115 pages in
        assertEquals(115, w.processMinorFaults());
        assertEquals(115 / 50.0, w.minorFaultsPer(50), 1e-12);
        assertTrue(Double.isNaN(w.minorFaultsPer(0)), "no operation: per operation unknown");
        // /proc/stat: 203 ticks over both CPUs, 99 of them idle, none stolen
        assertEquals(100.0 * (203 - 99) / 203, w.hostBusyPct(), 1e-9);
        assertEquals(0, w.stealPct(), 0);
    }

    /**
     * A window in which no clock tick passed on any CPU (a single-shot iteration of microseconds): the process's CPUs,
     * counted in ticks, are unknown (NaN) as the host's busy and steal shares are, not 0.
     */
    @Test
    void withoutAClockTickTheProcessCpusAreUnknown() throws IOException {
        Path dir = RECORDED.resolve("before");
        long t = Long.parseLong(Files.readString(dir.resolve("nanotime")).strip());
        // the same /proc counters read 30 microseconds apart
        SchedulingWindow w = SchedulingWindow.between(HostSnapshot.read(dir, List.of(TID), t),
                HostSnapshot.read(dir, List.of(TID), t + 30_000), Double.NaN);
        assertTrue(Double.isNaN(w.processCpus()), String.valueOf(w));
        assertTrue(Double.isNaN(w.hostBusyPct()), String.valueOf(w));
    }

    /**
     * A 2 s window whose worker ran 1.5 s and waited 0.1 s: its figures are over JMH's timed part where that is longer
     * than its 1.6 s busy, over the busy time where the timed part is shorter (the untimed operations that synchronise
     * an iteration's ends), never over more than the window; the process's and host's over the window.
     */
    @Test
    void theWorkersFiguresSpanTheBenchmarksTimedWindow() throws IOException {
        ProcFiles.SystemTicks s0 = new ProcFiles.SystemTicks(100, 50, 0);
        HostSnapshot a = new HostSnapshot(0, s0, 10, 0, Map.of(TID, new ProcFiles.ThreadCounters(0, 0, 0, 0, 0)));
        HostSnapshot b = new HostSnapshot(2_000_000_000L, new ProcFiles.SystemTicks(500, 150, 0), 210, 0,
                Map.of(TID, new ProcFiles.ThreadCounters(1_500_000_000L, 100_000_000L, 0, 9, 3)));
        SchedulingWindow timed = SchedulingWindow.between(a, b, 1.8);
        assertEquals(100 * 1.5 / 1.8, timed.workerCpuPct(), 1e-9);
        assertEquals(100 * 0.1 / 1.8, timed.workerWaitPct(), 1e-9);
        assertEquals(9 / 1.8, timed.workerPreemptedPerS(), 1e-9);
        assertEquals(3 / 1.8, timed.workerMigratedPerS(), 1e-9);
        assertEquals(1.0, timed.processCpus(), 1e-9, "200 ticks over the 2 s window");
        assertEquals(75, timed.hostBusyPct(), 1e-9);
        assertEquals(100 * 1.5 / 1.6, SchedulingWindow.between(a, b, 1.0).workerCpuPct(), 1e-9, "busy longer than timed");
        SchedulingWindow whole = SchedulingWindow.between(a, b, Double.NaN);
        assertEquals(75, whole.workerCpuPct(), 1e-9);
        assertEquals(whole, SchedulingWindow.between(a, b, 0), "no timed length: the window's");
        assertEquals(whole, SchedulingWindow.between(a, b, 2.5), "longer than the window: the window");
    }

    @Test
    void aWorkerThatStartsInsideTheWindowCountsFromZero() throws IOException {
        HostSnapshot before = recorded("before");
        HostSnapshot noWorkerYet = new HostSnapshot(before.nanoTime(), before.system(), before.processTicks(), before.processMinorFaults(), Map.of());
        HostSnapshot after = new HostSnapshot(before.nanoTime() + 2_000_000_000L, before.system(), before.processTicks(),
                before.processMinorFaults(),
                Map.of(TID, new ProcFiles.ThreadCounters(1_500_000_000L, 100_000_000L, 40, 6, 2)));
        SchedulingWindow w = SchedulingWindow.between(noWorkerYet, after, Double.NaN);
        assertEquals(75, w.workerCpuPct(), 1e-9);
        assertEquals(5, w.workerWaitPct(), 1e-9);
        assertEquals(3, w.workerPreemptedPerS(), 1e-9);
        assertEquals(1, w.workerMigratedPerS(), 1e-9);
        assertTrue(Double.isNaN(w.hostBusyPct()), "no tick passed: " + w);
    }

    @Test
    void withoutABenchmarkThreadTheWorkerFiguresAreUnknownAndTheHostsStand() throws IOException {
        HostSnapshot after = recorded("after");
        SchedulingWindow w = SchedulingWindow.between(recorded("before"),
                new HostSnapshot(after.nanoTime(), after.system(), after.processTicks(), after.processMinorFaults(), Map.of()), Double.NaN);
        assertTrue(Double.isNaN(w.workerCpuPct()) && Double.isNaN(w.workerWaitPct())
                && Double.isNaN(w.workerPreemptedPerS()) && Double.isNaN(w.workerMigratedPerS()), String.valueOf(w));
        assertTrue(w.processCpus() > 1 && w.hostBusyPct() > 50, String.valueOf(w));
    }

    @Test
    void aKernelWithoutTheSchedFileLeavesMigrationsUnknown() {
        ProcFiles.ThreadCounters none = ProcFiles.threadCounters("10 20 3", "voluntary_ctxt_switches:\t1\n"
                + "nonvoluntary_ctxt_switches:\t2\n", null);
        assertEquals(-1, none.migrations());
        ProcFiles.SystemTicks s = new ProcFiles.SystemTicks(100, 50, 0);
        HostSnapshot a = new HostSnapshot(0, s, 0, 0, Map.of(1, none));
        HostSnapshot b = new HostSnapshot(1_000_000_000, new ProcFiles.SystemTicks(300, 100, 20), 0, 0,
                Map.of(1, new ProcFiles.ThreadCounters(500_000_010, 20, 1, 2, -1)));
        SchedulingWindow w = SchedulingWindow.between(a, b, Double.NaN);
        assertTrue(Double.isNaN(w.workerMigratedPerS()));
        assertEquals(50, w.workerCpuPct(), 1e-9);
        assertEquals(10, w.stealPct(), 1e-9);
        assertEquals(65, w.hostBusyPct(), 1e-9, "200 ticks: 50 idle, 20 stolen");
    }

    @Test
    void aKernelWithoutSchedulerStatisticsGivesNoCpuOrWaitTimes() {
        ProcFiles.ThreadCounters zero = ProcFiles.threadCounters("0 0 0", "voluntary_ctxt_switches:\t3\n"
                + "nonvoluntary_ctxt_switches:\t4\n", null);
        ProcFiles.SystemTicks s = new ProcFiles.SystemTicks(100, 50, 0);
        HostSnapshot a = new HostSnapshot(0, s, 0, 0, Map.of(1, zero));
        HostSnapshot b = new HostSnapshot(1_000_000_000, s, 0, 0, Map.of(1, new ProcFiles.ThreadCounters(0, 0, 9, 14, -1)));
        SchedulingWindow w = SchedulingWindow.between(a, b, Double.NaN);
        assertTrue(Double.isNaN(w.workerCpuPct()) && Double.isNaN(w.workerWaitPct()), String.valueOf(w));
        assertEquals(10, w.workerPreemptedPerS(), 1e-9);
    }

    @Test
    void aWindowThatDoesNotMoveForwardIsRefused() throws IOException {
        HostSnapshot b = recorded("before");
        assertThrows(IllegalArgumentException.class, () -> SchedulingWindow.between(b, b, Double.NaN));
    }

    @Test
    void procFilesAreParsedAsTheKernelWritesThem() {
        // the command name may hold spaces and parentheses: fields count from the last ')'
        String stat = "4242 (a (b) c) S 1 4242 4242 0 -1 4194560 100 0 0 0 17 5 0 0 20 0 3 0 123 456 78";
        assertEquals(22, ProcFiles.processTicks(stat));
        assertEquals(100, ProcFiles.processMinorFaults(stat));
        assertThrows(IllegalArgumentException.class, () -> ProcFiles.systemTicks("intr 1 2 3\n"));
        ProcFiles.SystemTicks t = ProcFiles.systemTicks("cpu  1 2 3 4 5 6 7 8 9 10\ncpu0 1 1 1 1 1 1 1 1 1 1\n");
        assertEquals(new ProcFiles.SystemTicks(36, 9, 8), t); // guest (9, 10) is inside user already
    }
}
