package gpuenergy.host;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The CPU-time counters at one moment: all CPUs', this process's, and those of the threads that run the benchmark.
 *
 * @param nanoTime     System.nanoTime() when read
 * @param system       all CPUs' time since boot
 * @param processTicks this process's CPU time, every thread's
 * @param processMinorFaults this process's minor page faults, every thread's
 * @param threads      the benchmark's threads by id; a thread that has ended is left out
 */
public record HostSnapshot(long nanoTime, ProcFiles.SystemTicks system, long processTicks, long processMinorFaults,
                           Map<Integer, ProcFiles.ThreadCounters> threads) {

    /** Reads {@code proc} (/proc): a few small files, about a millisecond. */
    public static HostSnapshot read(Path proc, Collection<Integer> tids) throws IOException {
        return read(proc, tids, System.nanoTime());
    }

    /** {@link #read(Path, Collection)} of recorded files, with the time they were recorded. */
    static HostSnapshot read(Path proc, Collection<Integer> tids, long nanoTime) throws IOException {
        Map<Integer, ProcFiles.ThreadCounters> threads = new LinkedHashMap<>();
        for (int tid : tids) {
            Path task = proc.resolve("self/task/" + tid);
            String schedstat = ProcFiles.read(task.resolve("schedstat"));
            String status = ProcFiles.read(task.resolve("status"));
            if (schedstat != null && status != null) {
                threads.put(tid, ProcFiles.threadCounters(schedstat, status, ProcFiles.read(task.resolve("sched"))));
            }
        }
        String stat = ProcFiles.read(proc.resolve("stat"));
        String self = ProcFiles.read(proc.resolve("self/stat"));
        if (stat == null || self == null) {
            throw new IOException(proc + ": no stat or self/stat; Linux's /proc is needed");
        }
        return new HostSnapshot(nanoTime, ProcFiles.systemTicks(stat), ProcFiles.processTicks(self),
                ProcFiles.processMinorFaults(self), threads);
    }
}
