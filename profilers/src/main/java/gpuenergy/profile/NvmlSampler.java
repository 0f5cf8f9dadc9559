package gpuenergy.profile;

import gpuenergy.nvml.NvmlDevice;
import gpuenergy.nvml.NvmlException;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Daemon thread polling one GPU at a fixed rate for the whole trial.
 * Every tick: energy counter and power (field 186, or nvmlDeviceGetPowerUsage where the field is missing).
 * About 50 times a second: temperature, SM clock, clock event reasons. Once a second: compute processes.
 * Times are System.nanoTime, taken around the counter read and averaged.
 */
final class NvmlSampler extends Thread {
    static final int T = 0, ENERGY_MJ = 1, POWER_MW = 2;
    static final int TEMPERATURE_C = 1, SM_CLOCK_MHZ = 2, REASONS = 3;
    static final int PID = 1;
    private static final int SLOW_HZ = 50;

    /** t, counter mJ, power mW (-1: no reading). */
    final Series fast = new Series(3);
    /** t, temperature C, SM clock MHz, clock event reason bits. */
    final Series slow = new Series(4);
    /** t, pid: one row per listed process per poll. */
    final Series processes = new Series(2);

    private final NvmlDevice gpu;
    private final int hz;
    private volatile boolean running = true;
    private volatile long lastEdgeNs = Long.MIN_VALUE;
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
        long lastMj = -1, lastT = 0;
        long next = System.nanoTime();
        for (long tick = 0; running; tick++) {
            long before = System.nanoTime();
            long mj = gpu.totalEnergyMillijoules();
            long t = before + (System.nanoTime() - before) / 2;
            fast.add(t, mj, power());
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
