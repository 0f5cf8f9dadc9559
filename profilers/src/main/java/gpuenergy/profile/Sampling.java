package gpuenergy.profile;

import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * How the sampler polls (option {@code sampling=}), and its rates as pure functions. An energy-counter read is ~3.9 ms
 * of busy CPU on an H200; power, temperature, clocks and the process list cost microseconds.
 *
 * <p>{@link #CONTINUOUS} reads the counter at {@code hz} for the whole trial, so one core is busy inside every
 * measured window. {@link #LEAN} reads it at {@code hz} while no window is open, and inside a window until the first
 * counter read that starts at or after the window's start has completed (edge a is then placed by reads at most one
 * read apart around t0); for the rest of the window it ticks every {@link #LEAN_TICK_NS}, reading power on each tick
 * and the counter on every third. {@link #ENDS} polls a window as lean does but reads no counter inside it after edge a
 * is placed: the window's energy telescopes to the counter's values at its end edges, so J/img stays lean's (apart from
 * the clamp of a start step where the idle baseline exceeds what the GPU drew before t0), while the steps inside (the
 * edge count, the interior figure) are not seen. {@link #QUIET} reads nothing at all inside after
 * edge a is placed (no power, temperature, clocks or processes either). Closing the window wakes the sampler. What each
 * figure gets from that, and the replayed traces' numbers: docs/energy-method.md, "Sampling inside the window".
 *
 * <p>The default is {@link #ENDS}: its J/img is lean's and continuous sampling's, and it keeps the power cross-check,
 * temperature and clocks, while no counter read, the costly one, is made inside the window after edge a, where the
 * host may set the benchmark's pace. Lean is for the edge count and the interior figure.
 */
enum Sampling {
    CONTINUOUS, LEAN, ENDS, QUIET;

    /** A tick inside a lean window: power on each. */
    static final long LEAN_TICK_NS = TimeUnit.MILLISECONDS.toNanos(25);
    /**
     * The counter's period inside a lean window (every third tick): below the shortest interval between counter steps
     * (87 ms edge to edge as placed on an H200) by more than one 3.9 ms read and a late wake-up, so every step is still
     * seen.
     */
    static final long LEAN_COUNTER_PERIOD_NS = 3 * LEAN_TICK_NS;
    /** Power (field 186 refreshes every ~100 ms; 100 reads a second see each refresh within 10 ms). */
    static final long POWER_PERIOD_NS = TimeUnit.MILLISECONDS.toNanos(10);
    /** Temperature, SM clock and clock event reasons. */
    static final long SLOW_PERIOD_NS = TimeUnit.MILLISECONDS.toNanos(100);
    /** The compute processes on the GPU. */
    static final long PROCESSES_PERIOD_NS = TimeUnit.SECONDS.toNanos(1);

    /** Edges a and b lie within this of t0 and t1: the counter's longest step interval (113 ms edge to edge on an H200). */
    static final long EDGE_SPAN_NS = TimeUnit.MILLISECONDS.toNanos(120);
    /**
     * The widest gap between the reads that place a window's end edges before the trial warns: edges placed to ±10 ms
     * move the window's energy by up to the idle power over 20 ms (2.4 J at an H200's 120 W, 0.3 % of a 5 s batch-1
     * window).
     */
    static final long EDGE_GAP_WARN_NS = TimeUnit.MILLISECONDS.toNanos(20);

    /** The option's value: ends, lean, quiet or continuous; anything else is one line. */
    static Sampling of(String value) {
        for (Sampling s : values()) {
            if (s.toString().equals(value)) {
                return s;
            }
        }
        throw new IllegalArgumentException("gpu energy: sampling=" + value + " is not ends, lean, quiet or continuous");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Whether the counter is read on every tick at {@code hz}: always but inside a window that may be polled slowly,
     * and inside that one until a counter read that started at or after t0 has completed.
     *
     * @param slowWindowOpen        a window is open and may be polled slowly
     * @param windowStartNs         its start, t0
     * @param lastCounterReadStartNs when the newest completed counter read started
     */
    static boolean readsFast(boolean slowWindowOpen, long windowStartNs, long lastCounterReadStartNs) {
        return !slowWindowOpen || lastCounterReadStartNs < windowStartNs;
    }

    /** The time from one tick to the next while reading fast. */
    static long fastTickNs(int hz) {
        return TimeUnit.SECONDS.toNanos(1) / hz;
    }

    /**
     * Whether a read last taken at {@code lastNs}, {@code periodNs} apart, is due on the tick at {@code nowNs}: a tick up
     * to half a tick early counts, so a period of k ticks reads on every k-th tick despite jitter. Periods are in
     * time, so the rates do not depend on how long a tick takes.
     */
    static boolean due(long nowNs, long lastNs, long periodNs, long tickNs) {
        return nowNs - lastNs >= periodNs - tickNs / 2;
    }

    /**
     * Whether a measured window may be polled slowly: lean, ends or quiet with the idle baseline known (the end-step
     * split needs no edge inside placed precisely; the linear ends without a baseline do). Warmup windows report
     * nothing: always.
     */
    boolean slowInside(boolean measured, double idleWatts) {
        return this != CONTINUOUS && (!measured || !Double.isNaN(idleWatts));
    }

    /** The counter's period inside a slowly polled window: never, with {@link #ENDS} and {@link #QUIET}. */
    long counterPeriodInsideNs() {
        return this == ENDS || this == QUIET ? Long.MAX_VALUE : LEAN_COUNTER_PERIOD_NS;
    }

    /** Whether a slowly polled window's ticks read the power, temperature, clocks and processes: not with quiet. */
    boolean readsInside() {
        return this != QUIET;
    }

    /** The time from one tick to the next inside a slowly polled window; quiet's only wait for the window to close. */
    long insideTickNs() {
        return this == QUIET ? TimeUnit.SECONDS.toNanos(1) : LEAN_TICK_NS;
    }

    /** How a measured window is polled: this mode where it may be polled slowly, else as continuous (fast throughout). */
    Sampling measuredWindows(double idleWatts) {
        return slowInside(true, idleWatts) ? this : CONTINUOUS;
    }

    /**
     * Whether a window polled this way sees every counter step inside it (the edge count and the interior figure need
     * that).
     */
    boolean seesEveryStep() {
        return this == CONTINUOUS || this == LEAN;
    }

    /**
     * The percent of [t0, t1] in which the sampler was at work: the overlap of its ticks' working spans (from its wake-up
     * to its next wait: the NVML calls and storing what they returned) with the window. Whatever the sampler takes
     * from the benchmark by holding a CPU, or the driver, it takes within those spans, so the benchmark can lose at
     * most this share of the window that way. Wall time: a span in which the sampler was held up (a safepoint, the
     * host) counts whole, so the figure errs high. NaN for an empty window.
     *
     * @param startNs when each tick's work began, increasing
     * @param endNs   when it ended, as many
     */
    static double busyPercent(long[] startNs, long[] endNs, long t0Ns, long t1Ns) {
        if (t1Ns <= t0Ns) {
            return Double.NaN;
        }
        long busy = 0;
        for (int i = 0; i < startNs.length; i++) {
            busy += Math.max(0, Math.min(endNs[i], t1Ns) - Math.max(startNs[i], t0Ns));
        }
        return 100.0 * busy / (t1Ns - t0Ns);
    }

    /** The span with the largest overlap with [t0, t1] ({@link #busyPercent}'s spans); -1 where none overlaps it. */
    static int longestSpan(long[] startNs, long[] endNs, long t0Ns, long t1Ns) {
        int longest = -1;
        long most = 0;
        for (int i = 0; i < startNs.length; i++) {
            long inside = Math.min(endNs[i], t1Ns) - Math.max(startNs[i], t0Ns);
            if (inside > most) {
                most = inside;
                longest = i;
            }
        }
        return longest;
    }

    /**
     * The widest gap between the counter reads that place edges a and b of [t0, t1]: consecutive reads from
     * {@link #EDGE_SPAN_NS} before t0 through the first read at or after t0; the first read's delay after t1 and the
     * gaps between reads from it to {@link #EDGE_SPAN_NS} after t1. An edge is placed midway between two reads, so to
     * half this. The gap across t1 itself does not count: a step in it is placed at the gap's midpoint, inside where
     * the read after t1 is the nearer (then edge b is the next step, and the split charges the idle power between the
     * two either way), after t1 only where the last read inside is, and then by less than half the first read's delay. The same holds at the previous window's end, which the trial holds the
     * next start behind until a step after it has been placed: edge a lies after that end, so before t0 the reads
     * count from the first read's delay after it, and the slow reads inside the previous window do not. 0 where the
     * reads do not reach that far.
     *
     * @param tNs         counter reads' times, increasing
     * @param previousEnd the previous window's end; {@link Long#MIN_VALUE} when [t0, t1] is the trial's first
     */
    static long edgeReadGapNs(long[] tNs, int n, long t0Ns, long t1Ns, long previousEnd) {
        long widest = 0;
        for (int i = 1; i < n; i++) {
            boolean beforeStart = tNs[i] >= t0Ns - EDGE_SPAN_NS && tNs[i - 1] < t0Ns;
            if (beforeStart && tNs[i - 1] >= previousEnd) {
                widest = Math.max(widest, tNs[i] - tNs[i - 1]);
            } else if (beforeStart && tNs[i] >= previousEnd) {
                widest = Math.max(widest, tNs[i] - previousEnd);
            }
            boolean afterEnd = tNs[i - 1] >= t1Ns && tNs[i - 1] <= t1Ns + EDGE_SPAN_NS;
            if (afterEnd) {
                widest = Math.max(widest, tNs[i] - tNs[i - 1]);
            }
            if (tNs[i - 1] < t1Ns && tNs[i] >= t1Ns) {
                widest = Math.max(widest, tNs[i] - t1Ns);
            }
        }
        return widest;
    }
}
