package gpuenergy.profile;

import gpuenergy.nvml.NvmlDevice;
import gpuenergy.nvml.NvmlException;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Daemon thread polling one GPU for the whole trial.
 * Fast ticks ({@code hz}): the energy counter (its edges need the rate). About 100 times a second: power (field 186,
 * or nvmlDeviceGetPowerUsage where the field is missing), which itself refreshes every ~100 ms, so more reads
 * would add nothing to its integral. About 10 times a second: temperature, SM clock, clock event reasons.
 * Each NVML call takes 1-2 ms, so every call left out of the tick raises the counter's sampling rate.
 * Inside a window opened for slow polling ({@link Sampling#LEAN}), once the counter's first step after the window's
 * start has been seen: counter, power, temperature and clocks together every {@link Sampling#IN_WINDOW_PERIOD_NS};
 * closing the window wakes the sampler, so its first fast read follows the window's end at once.
 * Compute processes once a second. Times are System.nanoTime, taken around the counter read and averaged.
 */
final class NvmlSampler extends Thread {
    private static final int T = 0, ENERGY_MJ = 1, POWER_MW = 2;
    private static final int TEMPERATURE_C = 1, SM_CLOCK_MHZ = 2, REASONS = 3;
    private static final int PID = 1;
    private static final int SLOW_HZ = 10;
    private static final int POWER_HZ = 100;
    private static final long PROCESSES_PERIOD_NS = TimeUnit.SECONDS.toNanos(1);

    /** t, counter mJ, power mW (-1: no reading). */
    private final Series counterReads = new Series(3);
    /** t, temperature C, SM clock MHz, clock event reason bits. */
    private final Series slow = new Series(4);
    /** t, pid: one row per listed process per poll. */
    private final Series processes = new Series(2);

    private final NvmlDevice gpu;
    private final int hz;
    private volatile boolean running = true;
    private volatile long lastEdgeNs = Long.MIN_VALUE;
    private volatile long lastPowerNs = Long.MIN_VALUE;
    private volatile Throwable failure;
    private volatile String slowFailure;
    private volatile String processesUnreadable;
    private volatile boolean instantPower = true;
    /** The open window's start; written before {@link #slowWindowOpen}, which publishes it. */
    private volatile long windowStartNs;
    private volatile boolean slowWindowOpen;
    /** Fast reads and the time they covered: the rate that places the edges the figures use. */
    private volatile long fastReads;
    private volatile long fastNanos;

    NvmlSampler(NvmlDevice gpu, int hz) {
        super("gpu-energy-sampler");
        this.gpu = gpu;
        this.hz = hz;
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
        int slowEvery = Math.max(1, hz / SLOW_HZ);
        int powerEvery = Math.max(1, hz / POWER_HZ);
        long lastMj = -1, lastT = 0;
        long next = System.nanoTime();
        long lastProcessesNs = next - PROCESSES_PERIOD_NS;
        for (long fastTick = 0; running; ) {
            boolean fast = readsFast();
            long before = System.nanoTime();
            long mj = gpu.totalEnergyMillijoules();
            long t = before + (System.nanoTime() - before) / 2;
            long mw = !fast || fastTick % powerEvery == 0 ? power() : -1;
            counterReads.add(t, mj, mw);
            if (mw >= 0) {
                lastPowerNs = t;
            }
            if (lastMj >= 0 && mj != lastMj) {
                lastEdgeNs = lastT + (t - lastT) / 2; // same placement as EnergyCounterWindow
            }
            lastMj = mj;
            lastT = t;
            if (slowFailure == null && (!fast || fastTick % slowEvery == 0)) {
                pollSlow();
            }
            if (t - lastProcessesNs >= PROCESSES_PERIOD_NS) {
                pollProcesses();
                lastProcessesNs = t;
            }
            long due = next + Sampling.periodNs(fast, hz);
            next = waitUntil(due, fast);
            if (fast) {
                fastTick++;
                fastReads++;
                fastNanos += next - before;
            }
        }
    }

    private boolean readsFast() {
        return Sampling.readsFast(slowWindowOpen, windowStartNs, lastEdgeNs);
    }

    /**
     * Parks until {@code due}, or, polling slowly, until the window closes; returns when the next read starts. A
     * sampler that fell behind (GC, scheduling) carries on at once and does not burst.
     */
    private long waitUntil(long due, boolean fast) {
        long now = System.nanoTime();
        if (now >= due) {
            return now;
        }
        for (; now < due; now = System.nanoTime()) {
            if (!fast && readsFast()) {
                return now;
            }
            LockSupport.parkNanos(due - now);
        }
        return due;
    }

    /**
     * A window starts at {@code t0Ns}; with {@code slowInside} it is polled slowly once the counter has stepped after
     * t0. Called by the profiler's thread right after the window's start.
     */
    void windowOpened(long t0Ns, boolean slowInside) {
        windowStartNs = t0Ns;
        slowWindowOpen = slowInside;
    }

    /** The window has ended: back to fast reads, the first at once. */
    void windowClosed() {
        slowWindowOpen = false;
        LockSupport.unpark(this);
    }

    /** The rate of the fast reads so far, per second; NaN before the first. */
    double fastReadsPerSecond() {
        long n = fastReads, ns = fastNanos;
        return ns == 0 ? Double.NaN : n / (ns / 1e9);
    }

    private long power() {
        if (instantPower) {
            try {
                return gpu.instantPowerMilliwatts();
            } catch (NvmlException e) {
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
        long[][] f = counterReads.copy();
        return new CounterSamples(f[T], f[ENERGY_MJ], f[POWER_MW]);
    }

    /** What the slow samples say about [t0, t1]. */
    WindowState state(long t0Ns, long t1Ns) {
        long[][] s = slow.copy();
        return WindowState.of(s[T], s[TEMPERATURE_C], s[SM_CLOCK_MHZ], s[REASONS], t0Ns, t1Ns);
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
        counterReads.dropBefore(tNs);
        slow.dropBefore(tNs);
        processes.dropBefore(tNs);
    }

    /** Why NVML would not list the GPU's processes, or null. */
    String processesUnreadable() {
        return processesUnreadable;
    }

    /** Waits until an edge at or after t has been seen; false after the timeout. */
    boolean awaitEdgeAtOrAfter(long tNs, long timeoutNs) {
        long deadline = System.nanoTime() + timeoutNs;
        while (lastEdgeNs < tNs) {
            checkHealthy();
            if (System.nanoTime() > deadline) {
                return false;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        return true;
    }

    /** Waits until a power reading at or after t has been taken; false after the timeout. */
    boolean awaitPowerAtOrAfter(long tNs, long timeoutNs) {
        long deadline = System.nanoTime() + timeoutNs;
        while (lastPowerNs < tNs) {
            checkHealthy();
            if (System.nanoTime() > deadline) {
                return false;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        return true;
    }

    void checkHealthy() {
        Throwable f = failure;
        if (f != null) {
            throw new IllegalStateException("gpu energy: sampling stopped: " + f.getMessage(), f);
        }
    }

    String powerSource() {
        return instantPower ? "field 186 (instant power)" : "nvmlDeviceGetPowerUsage (field 186 unavailable)";
    }

    String slowFailure() {
        return slowFailure;
    }

    void shutdown() {
        running = false;
        try {
            join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
