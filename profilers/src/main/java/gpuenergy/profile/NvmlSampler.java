package gpuenergy.profile;

import gpuenergy.nvml.NvmlDevice;
import gpuenergy.nvml.NvmlException;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Daemon thread polling one GPU for the whole trial, in ticks. A fast tick ({@code hz}) reads the energy counter: its
 * edges need the rate. Power (field 186, or nvmlDeviceGetPowerUsage where the field is missing), temperature and
 * clocks, and the process list are read at rates in time ({@link Sampling}), on whichever tick they are due. Inside a
 * window opened for slow polling ({@link Sampling#slowInside}), once a counter read that started at or after the
 * window's start has completed, a tick comes every {@link Sampling#insideTickNs} and reads the counter only every
 * {@link Sampling#counterPeriodInsideNs} (75 ms, or never with {@code sampling=ends} and {@code quiet}): the counter
 * read is the one that costs (~3.9 ms of CPU on an H200). With {@code quiet} such a window's ticks read nothing.
 * Closing the window wakes the sampler. A tick that reads the counter or the power adds a row: its time
 * (System.nanoTime, the middle of the counter read), the counter (-1 where the tick read none), the power (likewise).
 * Every tick also keeps its working span, wake-up to next wait, for {@link Sampling#busyPercent}, and how long each kind
 * of read in it took, for {@link #longestTick}. Paused ({@code interleave=true}: a window the profiler sits out), it
 * parks between ticks and reads nothing until resumed.
 */
final class NvmlSampler extends Thread {
    private static final int T = 0, ENERGY_MJ = 1, POWER_MW = 2;
    private static final int TEMPERATURE_C = 1, SM_CLOCK_MHZ = 2, REASONS = 3;
    private static final int PID = 1;
    /**
     * How long counter reads may keep failing before the sampler stops: a read that fails now and then (a driver
     * timeout) costs only the windows whose ends it misses, a GPU that stays unreadable ends the sampling.
     */
    static final long COUNTER_FAILING_STOP_NS = TimeUnit.SECONDS.toNanos(2);

    /** t, counter mJ, power mW (-1: not read on that tick). */
    private final Series ticks = new Series(3);
    /** t, temperature C, SM clock MHz, clock event reason bits. */
    private final Series slow = new Series(4);
    /** t, pid: one row per listed process per poll. */
    private final Series processes = new Series(2);
    private static final int WORK_START = 0, WORK_END = 1, WORK_READS = 2;
    /**
     * When each tick's work began and ended ({@link Sampling#busyPercent}), then how long its reads took, in the order of
     * {@link Tick#READS} (-1: not read on that tick); its lock also guards {@link #workingSinceNs}.
     */
    private final Series work = new Series(WORK_READS + Tick.READS.size());
    private static final long IDLE = Long.MIN_VALUE;
    /** When the tick under way began; {@link #IDLE} between ticks. */
    private volatile long workingSinceNs = IDLE;

    private final NvmlDevice gpu;
    private final int hz;
    private final long counterPeriodInsideNs;
    private final long insideTickNs;
    private final boolean readsInside;
    private volatile boolean running = true;
    private volatile long lastEdgeNs = Long.MIN_VALUE;
    private volatile long lastPowerNs = Long.MIN_VALUE / 2;
    /** When the newest completed counter read started. */
    private volatile long lastCounterReadStartNs = Long.MIN_VALUE / 2;
    private volatile Throwable failure;
    private volatile String slowFailure;
    private volatile String processesUnreadable;
    private volatile boolean instantPower = true;
    /** Field 186 has been read once: the board has it, and a later failure is that read's alone. */
    private boolean instantPowerRead;
    /** The open window's start; written before {@link #slowWindowOpen}, which publishes it. */
    private volatile long windowStartNs;
    private volatile boolean slowWindowOpen;
    /** Asked to park ({@link #pauseTicks}); {@link #parkedPaused} says it has. */
    private volatile boolean paused;
    private volatile boolean parkedPaused;

    NvmlSampler(NvmlDevice gpu, int hz, Sampling sampling) {
        super("gpu-energy-sampler");
        this.gpu = gpu;
        this.hz = hz;
        this.counterPeriodInsideNs = sampling.counterPeriodInsideNs();
        this.insideTickNs = sampling.insideTickNs();
        this.readsInside = sampling.readsInside();
        setDaemon(true);
        setPriority(Thread.MAX_PRIORITY);
    }

    @Override
    public void run() {
        try {
            poll();
        } catch (Throwable t) {
            failure = t;
        }
    }

    private void poll() {
        long lastMj = -1, lastT = 0;
        long next = System.nanoTime();
        long lastSlowNs = Long.MIN_VALUE / 2, lastProcessesNs = Long.MIN_VALUE / 2;
        long counterFailingSinceNs = -1;
        while (running) {
            if (paused) {
                parkWhilePaused();
                lastMj = -1; // no edge is placed across the pause: the reads around it lie far apart
                counterFailingSinceNs = -1; // nor does a failed read on each side make the pause a failing counter
                next = System.nanoTime();
                continue;
            }
            boolean fast = readsFast();
            long tick = fast ? Sampling.fastTickNs(hz) : insideTickNs;
            long start = System.nanoTime();
            workingSinceNs = start;
            long t = start, mj = -1, edgeNs = Long.MIN_VALUE;
            long counterNs = -1, powerNs = -1, slowNs = -1, processesNs = -1;
            if (fast || Sampling.due(start, lastCounterReadStartNs, counterPeriodInsideNs, tick)) {
                try {
                    mj = gpu.totalEnergyMillijoules();
                    counterFailingSinceNs = -1;
                } catch (NvmlException e) {
                    // no row for this read: the next good one places the edge, over a wider gap. Polling slowly, the
                    // next read waits its period as after a good one, rather than hammering a failing call every tick;
                    // polling fast it comes at hz, so a window goes slow only after a good read inside it
                    if (!fast) {
                        lastCounterReadStartNs = start;
                    }
                    if (counterFailingSinceNs < 0) {
                        counterFailingSinceNs = start;
                    } else if (start - counterFailingSinceNs > COUNTER_FAILING_STOP_NS) {
                        throw new IllegalStateException("the energy counter could not be read for "
                                + COUNTER_FAILING_STOP_NS / 1_000_000_000L + " s (" + e.getMessage() + ")", e);
                    }
                }
                counterNs = System.nanoTime() - start;
                if (mj >= 0) {
                    t = start + (System.nanoTime() - start) / 2;
                    // a counter that goes backwards (a driver reload, a GPU reset) is no step: announced as an edge,
                    // it would let a window open or close on it before the GPU's next real step
                    if (lastMj >= 0 && mj > lastMj) {
                        edgeNs = lastT + (t - lastT) / 2; // same placement as EnergyCounterWindow
                    }
                    lastMj = mj;
                    lastT = t;
                    lastCounterReadStartNs = start;
                }
            }
            // quiet: nothing but the counter while a window is open, its first fast reads included (asked after the
            // counter read, which may have begun before the window), so that no temperature read in the window's first
            // milliseconds stands for all of it
            boolean reads = readsInside || !slowWindowOpen;
            long mw = -1;
            if (reads && Sampling.due(t, lastPowerNs, Sampling.POWER_PERIOD_NS, tick)) {
                long p0 = System.nanoTime();
                mw = power();
                powerNs = System.nanoTime() - p0;
            }
            if (mj >= 0 || mw >= 0) {
                ticks.add(t, mj, mw);
            }
            // published only once the row is stored: a waiter that returns copies the reads that place the edge
            if (edgeNs != Long.MIN_VALUE) {
                lastEdgeNs = edgeNs;
            }
            if (mw >= 0) {
                lastPowerNs = t;
            }
            if (reads && slowFailure == null && Sampling.due(t, lastSlowNs, Sampling.SLOW_PERIOD_NS, tick)) {
                long s0 = System.nanoTime();
                pollSlow();
                slowNs = System.nanoTime() - s0;
                lastSlowNs = t;
            }
            if (reads && Sampling.due(t, lastProcessesNs, Sampling.PROCESSES_PERIOD_NS, tick)) {
                long p0 = System.nanoTime();
                pollProcesses();
                processesNs = System.nanoTime() - p0;
                lastProcessesNs = t;
            }
            synchronized (work) { // a reader sees this tick either stored or under way, never both nor neither
                work.add(start, System.nanoTime(), counterNs, powerNs, slowNs, processesNs);
                workingSinceNs = IDLE;
            }
            next = waitUntil(next + tick, fast);
        }
    }

    private boolean readsFast() {
        return Sampling.readsFast(slowWindowOpen, windowStartNs, lastCounterReadStartNs);
    }

    /**
     * Parks until {@code due}, or, polling slowly, until the window closes; returns when the next tick starts. A
     * sampler that fell behind (a counter read longer than the tick, GC, scheduling) carries on at once and does not
     * burst.
     */
    private long waitUntil(long due, boolean fast) {
        long now = System.nanoTime();
        if (now >= due) {
            return now;
        }
        for (; now < due && running; now = System.nanoTime()) {
            if (paused || !fast && readsFast()) {
                return now;
            }
            LockSupport.parkNanos(due - now);
        }
        return due;
    }

    /**
     * A window starts at {@code t0Ns}; with {@code slowInside} it is polled slowly once a counter read that started at
     * or after t0 has completed. Called by the profiler's thread right after the window's start.
     */
    void windowOpened(long t0Ns, boolean slowInside) {
        windowStartNs = t0Ns;
        slowWindowOpen = slowInside;
    }

    /**
     * The window has ended: back to fast reads, the first at once, or, when the close lands in a counter read, as soon
     * as that read returns.
     */
    void windowClosed() {
        slowWindowOpen = false;
        LockSupport.unpark(this);
    }

    private void parkWhilePaused() {
        parkedPaused = true;
        while (paused && running) {
            LockSupport.park(this);
        }
        parkedPaused = false;
    }

    /**
     * Parks the sampler between ticks and waits until it is: a tick under way ends first (a counter read, ~4 ms).
     *
     * @return false when it has not parked within the timeout (an NVML call the driver holds) or has stopped
     */
    boolean pauseTicks(long timeoutNs) {
        paused = true;
        LockSupport.unpark(this);
        long deadline = System.nanoTime() + timeoutNs;
        while (!parkedPaused) {
            if (failure != null || !isAlive() || System.nanoTime() > deadline) {
                return false;
            }
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(100));
        }
        return true;
    }

    /** Polls again after {@link #pauseTicks}, fast, the first read at once. */
    void resumeTicks() {
        paused = false;
        LockSupport.unpark(this);
    }

    private long power() {
        if (instantPower) {
            try {
                long mw = gpu.instantPowerMilliwatts();
                instantPowerRead = true;
                return mw;
            } catch (NvmlException e) {
                if (instantPowerRead) {
                    return -1; // no power on this tick; the next reads the field again, not a 1 s average
                }
                instantPower = false; // field 186 is missing on older drivers and boards
            }
        }
        try {
            return gpu.powerUsageMilliwatts();
        } catch (NvmlException e) {
            return -1;
        }
    }

    private void pollSlow() {
        try {
            slow.add(System.nanoTime(), gpu.temperatureC(), gpu.smClockMhz(), gpu.clockEventReasons());
        } catch (NvmlException e) {
            slowFailure = e.getMessage(); // report without temperature/clock figures rather than fail
        }
    }

    void pollProcesses() {
        try {
            long t = System.nanoTime();
            for (NvmlDevice.GpuProcess p : gpu.computeProcesses()) {
                processes.add(t, p.pid());
            }
        } catch (NvmlException e) {
            processesUnreadable = e.getMessage(); // not allowed in some containers: unknown, not a failed measurement
        }
    }

    /** A copy of the counter and power samples taken so far (and not forgotten). */
    CounterSamples counter() {
        long[][] f = ticks.copy();
        return new CounterSamples(f[T], f[ENERGY_MJ], f[POWER_MW]);
    }

    /** What the slow samples say about [t0, t1]. */
    WindowState state(long t0Ns, long t1Ns) {
        long[][] s = slow.copy();
        return WindowState.of(s[T], s[TEMPERATURE_C], s[SM_CLOCK_MHZ], s[REASONS], t0Ns, t1Ns);
    }

    /**
     * The percent of [t0, t1] in which the sampler was at work ({@link Sampling#busyPercent}); a tick still under way
     * (an NVML call that has not returned) counts from its start on.
     */
    double busyPercent(long t0Ns, long t1Ns) {
        long[][] w = workSpans();
        return Sampling.busyPercent(w[WORK_START], w[WORK_END], t0Ns, t1Ns);
    }

    /**
     * The tick with the most work inside [t0, t1], for verbose=true: where in a window the sampler was busy longest, and
     * which of its NVML calls took the time.
     *
     * @return null when no tick lies inside
     */
    Tick longestTick(long t0Ns, long t1Ns) {
        long[][] w = workSpans();
        int i = Sampling.longestSpan(w[WORK_START], w[WORK_END], t0Ns, t1Ns);
        if (i < 0) {
            return null;
        }
        long[] readNs = new long[Tick.READS.size()];
        for (int r = 0; r < readNs.length; r++) {
            readNs[r] = w[WORK_READS + r][i];
        }
        return new Tick(w[WORK_START][i] - t0Ns, Math.min(w[WORK_END][i], t1Ns) - Math.max(w[WORK_START][i], t0Ns), readNs);
    }

    /**
     * One tick of the sampler as a window saw it.
     *
     * @param startNs  its start relative to the window's start
     * @param insideNs how much of it lies inside the window
     * @param readNs   how long each of {@link #READS} took on it, -1 where it did not read that (or it is still under way)
     */
    record Tick(long startNs, long insideNs, long[] readNs) {
        /** What a tick reads, in {@link #readNs}'s order: the counter, the power, temperature and clocks, the processes. */
        static final List<String> READS = List.of("counter", "power", "temperature+clocks", "processes");

        /** "longest tick 14.70 ms at +0.002 s: counter 0.05 ms, power 14.51 ms" */
        String describe() {
            StringJoiner reads = new StringJoiner(", ", ": ", "");
            reads.setEmptyValue(": under way");
            for (int r = 0; r < READS.size(); r++) {
                if (readNs[r] >= 0) {
                    reads.add(String.format(Locale.ROOT, "%s %.2f ms", READS.get(r), readNs[r] / 1e6));
                }
            }
            return String.format(Locale.ROOT, "longest tick %.2f ms at %+.3f s", insideNs / 1e6, startNs / 1e9) + reads;
        }
    }

    /** Each tick's columns of {@link #work}; a tick under way ends at Long.MAX_VALUE, its reads unknown. */
    private long[][] workSpans() {
        long[][] w;
        long since;
        synchronized (work) {
            w = work.copy();
            since = workingSinceNs;
        }
        if (since == IDLE) {
            return w;
        }
        long[][] out = new long[w.length][];
        int n = w[WORK_START].length;
        for (int c = 0; c < w.length; c++) {
            out[c] = Arrays.copyOf(w[c], n + 1);
            out[c][n] = -1;
        }
        out[WORK_START][n] = since;
        out[WORK_END][n] = Long.MAX_VALUE;
        return out;
    }

    /** The PIDs listed on the GPU at or after t. */
    Set<Long> processesSince(long tNs) {
        long[][] p = processes.copy();
        Set<Long> pids = new HashSet<>();
        for (int i = 0; i < p[T].length; i++) {
            if (p[T][i] >= tNs) {
                pids.add(p[PID][i]);
            }
        }
        return pids;
    }

    /** Forgets samples older than t, so a long trial does not grow without bound. */
    void forgetBefore(long tNs) {
        ticks.dropBefore(tNs);
        slow.dropBefore(tNs);
        processes.dropBefore(tNs);
        work.dropBefore(tNs);
    }

    /** Why NVML would not list the GPU's processes, or null. */
    String processesUnreadable() {
        return processesUnreadable;
    }

    /**
     * Waits until an edge at or after t has been seen; false after the timeout or when the sampler has stopped
     * ({@link #stoppedBecause}). Once it returns true, {@link #counter()}
     * holds the two reads that place that edge.
     */
    boolean awaitEdgeAtOrAfter(long tNs, long timeoutNs) {
        long deadline = System.nanoTime() + timeoutNs;
        while (lastEdgeNs < tNs) {
            if (failure != null || System.nanoTime() > deadline) {
                return false;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        return true;
    }

    /** Waits until a power reading at or after t has been taken; false after the timeout or when the sampler has stopped. */
    boolean awaitPowerAtOrAfter(long tNs, long timeoutNs) {
        long deadline = System.nanoTime() + timeoutNs;
        while (lastPowerNs < tNs) {
            if (failure != null || System.nanoTime() > deadline) {
                return false;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        return true;
    }

    /** Why the sampler stopped polling before {@link #shutdown}, in a few words; null while it polls. */
    String stoppedBecause() {
        Throwable f = failure;
        return f == null ? null : f.getMessage() != null ? f.getMessage() : f.toString();
    }

    String powerSource() {
        return instantPower ? "field 186 (instant power)" : "nvmlDeviceGetPowerUsage (field 186 unavailable)";
    }

    String slowFailure() {
        return slowFailure;
    }

    void shutdown() {
        running = false;
        LockSupport.unpark(this); // a tick inside a slowly polled window parks for 25 ms, or 1 s (quiet)
        try {
            join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
