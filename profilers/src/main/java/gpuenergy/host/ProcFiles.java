package gpuenergy.host;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * What Linux's /proc files say about CPU time, parsed from their text: pure functions, tested on recorded files.
 * {@code /proc/stat} and {@code /proc/PID/stat} count in clock ticks (USER_HZ); a thread's {@code schedstat} counts in
 * nanoseconds: the time it ran, and the time it was ready to run but waited for a CPU.
 */
public final class ProcFiles {
    private ProcFiles() {}

    /** USER_HZ, the unit of /proc/stat and /proc/PID/stat: the kernel fixes it at 100 on x86-64 and arm64. */
    public static final double TICKS_PER_SECOND = 100;

    /**
     * All CPUs' time since boot, in ticks (the first line of /proc/stat).
     *
     * @param total user + nice + system + idle + iowait + irq + softirq + steal (guest time is inside user)
     * @param idle  idle + iowait: no task on the CPU
     * @param steal time the hypervisor ran something else while this guest's CPU wanted to run
     */
    public record SystemTicks(long total, long idle, long steal) {}

    /**
     * One thread's counters since it started.
     *
     * @param migrations moves between CPUs, -1 where the kernel does not say (its {@code sched} file needs
     *                   CONFIG_SCHED_DEBUG)
     */
    public record ThreadCounters(long runNs, long waitNs, long voluntarySwitches, long involuntarySwitches,
                                 long migrations) {
        /** A thread that did not exist yet: it counts from zero when it starts. */
        public static final ThreadCounters NOT_STARTED = new ThreadCounters(0, 0, 0, 0, 0);
    }

    public static SystemTicks systemTicks(String procStat) {
        String first = procStat.lines().findFirst().orElse("");
        String[] f = first.trim().split("\\s+");
        if (f.length < 9 || !f[0].equals("cpu")) {
            throw new IllegalArgumentException("/proc/stat: no 'cpu' line with 8 counters first: '" + first + "'");
        }
        long total = 0;
        for (int i = 1; i <= 8; i++) {
            total += Long.parseLong(f[i]);
        }
        return new SystemTicks(total, Long.parseLong(f[4]) + Long.parseLong(f[5]), Long.parseLong(f[8]));
    }

    /** utime + stime of /proc/PID/stat, in ticks: every thread of the process, those that ended included. */
    public static long processTicks(String pidStat) {
        String[] f = afterName(pidStat);
        return Long.parseLong(f[14 - 3]) + Long.parseLong(f[15 - 3]);
    }

    /**
     * minflt of /proc/PID/stat: the page faults the kernel served without reading a disk, every thread's, those that
     * ended included. Memory an allocator returns to the kernel and takes back faults in again, page by page.
     */
    public static long processMinorFaults(String pidStat) {
        return Long.parseLong(afterName(pidStat)[10 - 3]);
    }

    /** The fields of /proc/PID/stat from field 3 on. */
    private static String[] afterName(String pidStat) {
        // the command name, field 2, is in parentheses and may hold spaces and parentheses itself
        return pidStat.substring(pidStat.lastIndexOf(')') + 2).trim().split("\\s+");
    }

    /**
     * @param schedstat the thread's {@code schedstat}: run ns, wait ns, time slices
     * @param status    its {@code status}, for the voluntary and involuntary context switches
     * @param sched     its {@code sched}, for se.nr_migrations; null where the kernel has no such file
     */
    public static ThreadCounters threadCounters(String schedstat, String status, String sched) {
        String[] s = schedstat.trim().split("\\s+");
        return new ThreadCounters(Long.parseLong(s[0]), Long.parseLong(s[1]), field(status, "voluntary_ctxt_switches:"),
                field(status, "nonvoluntary_ctxt_switches:"), sched == null ? -1 : field(sched, "se.nr_migrations"));
    }

    /** The number after {@code key} (and an optional ':') on its line; -1 when no line starts with it. */
    static long field(String text, String key) {
        for (String line : text.split("\n")) {
            if (line.startsWith(key)) {
                String value = line.substring(key.length()).replace(":", " ").trim();
                return Long.parseLong(value.split("\\s+")[0]);
            }
        }
        return -1;
    }

    /**
     * A file's text, byte for byte (a thread's name cut at 15 bytes may end inside a character); null when it is gone (a
     * thread that ended) or absent (a kernel without it).
     */
    static String read(Path file) throws IOException {
        try {
            return Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

}
