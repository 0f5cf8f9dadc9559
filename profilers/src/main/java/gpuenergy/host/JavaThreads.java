package gpuenergy.host;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which Linux threads of this process are the Java threads of a name. Linux's own thread names cannot tell alone: they
 * keep the first 15 characters of the Java name, and a native thread that a Java thread starts (a runtime's worker
 * pool, a GPU driver's) inherits its name. Java gives no thread's Linux id, but both count the same CPU time: a thread's
 * CPU time as the JVM reads it (its CPU-time clock) is the run time of its {@code schedstat}, to the nanosecond while
 * the thread is not running, and a thread that ran for a while is told by it from every other.
 */
public final class JavaThreads {
    private JavaThreads() {}

    /** How far a Linux thread's run time may lie from the Java thread's CPU time read just before. */
    static final long TOLERANCE_NS = 2_000_000;

    /** The Linux threads of Java threads of a name, or why there are none ({@link #linuxIds}). */
    public record Found(List<Integer> ids, String whyNone) {}

    /**
     * The Linux ids of this JVM's live threads whose Java name starts with {@code prefix} (e.g. JMH's workers,
     * "benchmark-jmh-worker-"), found as {@link #matching} says while they do not run; none, with the reason, when
     * there is no such Java thread, the kernel keeps no run times, or one of them is not told apart.
     */
    public static Found linuxIds(Path proc, String prefix) throws IOException {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        List<Long> cpuNs = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith(prefix)) {
                cpuNs.add(mx.getThreadCpuTime(t.getId())); // read first: the Linux run times below are not smaller
            }
        }
        if (cpuNs.isEmpty()) {
            return new Found(List.of(), "no Java thread is named " + prefix + "N");
        }
        Map<Integer, Long> runNs = runNsOfThreadsNamed(proc, prefix);
        if (runNs.isEmpty()) {
            // Linux may know the thread by another name (one Java renamed it to from another thread is not passed on),
            // or keep no schedstat file
            return new Found(List.of(), "no Linux thread of this process named " + prefix + "N has a run time ("
                    + proc.resolve("self/task") + "/*/schedstat)");
        }
        if (runNs.values().stream().allMatch(r -> r == 0)) {
            return new Found(List.of(), "the kernel keeps no run time per thread (schedstat reads 0)");
        }
        List<Integer> ids = matching(runNs, cpuNs, TOLERANCE_NS);
        return new Found(ids, ids.isEmpty() ? "the " + cpuNs.size() + " thread(s) named " + prefix + "N are not told "
                + "apart from the " + runNs.size() + " Linux threads of their name by their CPU time" : null);
    }

    /**
     * The Linux thread for each Java thread's CPU time: the one whose run time equals it (a thread that does not run);
     * else the one whose run time lies above it by the least, within {@code toleranceNs}, with no other within the
     * tolerance of that. Empty when some Java thread has no such thread (a CPU time of -1: the JVM does not measure
     * it), so that no figure mixes in a thread that is not one.
     *
     * @param runNs candidates: Linux id to run time (ns), read after the CPU times
     * @param cpuNs the Java threads' CPU times (ns)
     */
    static List<Integer> matching(Map<Integer, Long> runNs, List<Long> cpuNs, long toleranceNs) {
        List<Integer> ids = new ArrayList<>();
        Map<Integer, Long> left = new LinkedHashMap<>(runNs);
        for (long cpu : cpuNs) {
            Integer best = null;
            long bestGap = Long.MAX_VALUE;
            long secondGap = Long.MAX_VALUE;
            for (Map.Entry<Integer, Long> c : left.entrySet()) {
                long gap = c.getValue() - cpu; // the same counter read later: below is another thread
                if (gap < 0) {
                    continue;
                }
                if (gap < bestGap) {
                    secondGap = bestGap;
                    bestGap = gap;
                    best = c.getKey();
                } else if (gap < secondGap) {
                    secondGap = gap;
                }
            }
            boolean exact = bestGap == 0 && secondGap > 0;
            if (cpu < 0 || best == null || !exact && (bestGap > toleranceNs || secondGap <= toleranceNs + bestGap)) {
                return List.of();
            }
            ids.add(best);
            left.remove(best);
        }
        return ids;
    }

    /** Linux id to run time (schedstat, ns) of this process's threads whose 15-byte name begins {@code prefix}. */
    static Map<Integer, Long> runNsOfThreadsNamed(Path proc, String prefix) throws IOException {
        Map<Integer, Long> runNs = new LinkedHashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(proc.resolve("self/task"))) {
            for (Path task : tasks) {
                try {
                    String comm = ProcFiles.read(task.resolve("comm"));
                    String schedstat = ProcFiles.read(task.resolve("schedstat"));
                    if (comm != null && schedstat != null && named(comm.endsWith("\n") ? comm.substring(0, comm.length() - 1) : comm, prefix)) {
                        runNs.put(Integer.parseInt(task.getFileName().toString()),
                                Long.parseLong(schedstat.trim().split("\\s+")[0]));
                    }
                } catch (IOException e) {
                    // a thread that ended while it was read ("No such process"): not one of the benchmark's
                }
            }
        } catch (DirectoryIteratorException e) {
            throw e.getCause();
        }
        return runNs;
    }

    /**
     * Whether Linux's name of a thread, {@code comm} (its bytes, as {@link ProcFiles#read} gives them), can be that of a
     * Java thread whose name starts with {@code prefix}: Linux keeps its first 15 bytes in UTF-8.
     */
    static boolean named(String comm, String prefix) {
        String bytes = new String(prefix.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        return comm.length() == 15 ? bytes.startsWith(comm) || comm.startsWith(bytes) : !comm.isEmpty() && comm.startsWith(bytes);
    }
}
