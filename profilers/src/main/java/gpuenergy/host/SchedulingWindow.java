package gpuenergy.host;

import java.util.Map;

/**
 * How the CPUs served a benchmark between two snapshots: what the launch-bound jitter of a GPU benchmark is measured
 * against. When the host sets the pace (small batches), a benchmark thread that waits for a CPU, is preempted or moved
 * between CPUs, or a guest whose hypervisor steals its CPUs, runs fewer batches a second while the GPU idles.
 *
 * @param workerCpuPct        the benchmark threads' CPU time, % of the benchmark's timed window, mean over the
 *                            threads
 * @param workerWaitPct       their time ready to run but waiting for a CPU (the scheduler's run queue), % of the timed
 *                            window, mean over the threads
 * @param workerPreemptedPerS their involuntary context switches per second, mean over the threads
 * @param workerMigratedPerS  their moves between CPUs per second, mean over the threads; NaN where the kernel does not say
 * @param processCpus         the whole process's CPU time over the window, in CPUs (1 = one CPU busy throughout): the
 *                            JIT, GC, profilers' and the runtime's own threads besides the benchmark's
 * @param processMinorFaults  the whole process's minor page faults in the window: memory touched for the first time, or
 *                            again after the allocator gave it back to the kernel (glibc's malloc returns large blocks
 *                            on free, and each new one is faulted in page by page)
 * @param hostBusyPct         all CPUs of the machine, % of their time running a task (not idle, not stolen): anything
 *                            else running besides the benchmark
 * @param stealPct            all CPUs, % of their time the hypervisor gave to something else
 */
public record SchedulingWindow(double workerCpuPct, double workerWaitPct, double workerPreemptedPerS,
                               double workerMigratedPerS, double processCpus, long processMinorFaults,
                               double hostBusyPct, double stealPct) {

    /** Minor page faults per operation of the benchmark; NaN without operations. */
    public double minorFaultsPer(long operations) {
        return operations > 0 ? (double) processMinorFaults / operations : Double.NaN;
    }

    /**
     * The window from {@code before} to {@code after}, the benchmark threads' figures over {@code timedSeconds}: the
     * benchmark's own timed part of the window (JMH's), where the window holds more than the iteration (other
     * profilers' hooks, in which the workers wait); over the time the threads ran or waited to run where that is
     * longer (so that a thread is at most 100 % busy), over the window where that is shorter; NaN or not positive: the
     * whole window. The process's and host's
     * figures span the whole window, as everything in it used the CPUs. A thread in {@code after} but not in
     * {@code before} started inside the window (JMH starts its workers with the first iteration) and counts from zero;
     * with no benchmark thread in {@code after} the worker figures are NaN, and so are their CPU and wait times where neither moved (a kernel
     * that keeps no scheduler statistics reads 0 0 0). Tick counters resolve 10 ms: over windows of a second or more
     * that is a percent or less of one CPU.
     */
    public static SchedulingWindow between(HostSnapshot before, HostSnapshot after, double timedSeconds) {
        double seconds = (after.nanoTime() - before.nanoTime()) / 1e9;
        if (!(seconds > 0)) {
            throw new IllegalArgumentException("the window's end " + after.nanoTime() + " is not after its start "
                    + before.nanoTime());
        }
        double run = 0;
        double wait = 0;
        double preempted = 0;
        double migrated = 0;
        int threads = 0;
        boolean migrationsKnown = true;
        for (Map.Entry<Integer, ProcFiles.ThreadCounters> e : after.threads().entrySet()) {
            ProcFiles.ThreadCounters a = before.threads().getOrDefault(e.getKey(), ProcFiles.ThreadCounters.NOT_STARTED);
            ProcFiles.ThreadCounters b = e.getValue();
            run += b.runNs() - a.runNs();
            wait += b.waitNs() - a.waitNs();
            preempted += b.involuntarySwitches() - a.involuntarySwitches();
            migrationsKnown &= a.migrations() >= 0 && b.migrations() >= 0;
            migrated += b.migrations() - a.migrations();
            threads++;
        }
        // JMH's timed part lies inside the window, but its workers also run the operations that synchronise the
        // iteration's start and end, untimed: they are busy at least as long as they ran or waited to run
        double busySeconds = threads == 0 ? 0 : (run + wait) / 1e9 / threads;
        double workerSeconds = timedSeconds > 0 ? Math.min(Math.max(timedSeconds, busySeconds), seconds) : seconds;
        double perThreadSecond = threads == 0 ? Double.NaN : threads * workerSeconds;
        double timesPerThreadSecond = run == 0 && wait == 0 ? Double.NaN : perThreadSecond;
        ProcFiles.SystemTicks s0 = before.system();
        ProcFiles.SystemTicks s1 = after.system();
        double total = s1.total() - s0.total();
        return new SchedulingWindow(
                100 * run / 1e9 / timesPerThreadSecond,
                100 * wait / 1e9 / timesPerThreadSecond,
                preempted / perThreadSecond,
                migrationsKnown ? migrated / perThreadSecond : Double.NaN,
                // no clock tick on any CPU inside the window: the process's ticks cannot tell its CPUs (unknown, not 0)
                total > 0 ? (after.processTicks() - before.processTicks()) / ProcFiles.TICKS_PER_SECOND / seconds : Double.NaN,
                after.processMinorFaults() - before.processMinorFaults(),
                total > 0 ? 100 * (total - (s1.idle() - s0.idle()) - (s1.steal() - s0.steal())) / total : Double.NaN,
                total > 0 ? 100 * (s1.steal() - s0.steal()) / total : Double.NaN);
    }
}
