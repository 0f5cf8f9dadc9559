package gpuenergy.profile;

import gpuenergy.nvml.NvmlDevice;
import gpuenergy.nvml.NvmlException;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Daemon thread polling one GPU at a fixed rate for the whole trial.
 * Every tick: the energy counter (its edges need the rate). About 100 times a second: power (field 186, or
 * nvmlDeviceGetPowerUsage where the field is missing), which itself refreshes every ~100 ms, so more reads
 * would add nothing to its integral. About 10 times a second: temperature, SM clock, clock event reasons.
 * Once a second: compute processes. Each NVML call takes 1-2 ms, so every call left out of the tick raises the
 * counter's sampling rate.
 * Times are System.nanoTime, taken around the counter read and averaged.
 */
final class NvmlSampler extends Thread {
    private static final int T = 0, ENERGY_MJ = 1, POWER_MW = 2;
    private static final int TEMPERATURE_C = 1, SM_CLOCK_MHZ = 2, REASONS = 3;
    private static final int PID = 1;
    private static final int SLOW_HZ = 10;
    private static final int POWER_HZ = 100;

    /** t, counter mJ, power mW (-1: no reading). */
    private final Series fast = new Series(3);
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
        long period = TimeUnit.SECONDS.toNanos(1) / hz;
        int slowEvery = Math.max(1, hz / SLOW_HZ);
        int powerEvery = Math.max(1, hz / POWER_HZ);
        long lastMj = -1, lastT = 0;
        long next = System.nanoTime();
        for (long tick = 0; running; tick++) {
            long before = System.nanoTime();
            long mj = gpu.totalEnergyMillijoules();
            long t = before + (System.nanoTime() - before) / 2;
            long mw = tick % powerEvery == 0 ? power() : -1;
            fast.add(t, mj, mw);
            if (mw >= 0) {
                lastPowerNs = t;
            }
            if (lastMj >= 0 && mj != lastMj) {
                lastEdgeNs = lastT + (t - lastT) / 2; // same placement as EnergyCounterWindow
            }
            lastMj = mj;
            lastT = t;
            if (slowFailure == null && tick % slowEvery == 0) {
                pollSlow();
            }
            if (tick % hz == 0) {
                pollProcesses();
            }
            next += period;
            long sleep = next - System.nanoTime();
            if (sleep > 0) {
                LockSupport.parkNanos(sleep);
            } else {
                next = System.nanoTime(); // fell behind (GC, scheduling): carry on, do not burst
            }
        }
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
        long[][] f = fast.copy();
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
        fast.dropBefore(tNs);
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
