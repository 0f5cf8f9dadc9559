package gpuenergy.profile;

import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How many processes other than the benchmark ran on the GPU during a window, from the PIDs NVML listed.
 * In a container NVML lists host PIDs, so the benchmark's own PID may never appear; the benchmark is
 * then the process that was not on the GPU before its trial started (at most one such is forgiven), and a later trial in
 * the same JVM ({@code -f 0}), which finds that PID on the GPU before it starts, knows it as the benchmark's.
 */
final class OtherProcesses {
    /** The PID NVML listed for this JVM, where it is not the JVM's own (a container); -1 until a trial has told. */
    private static final AtomicLong LISTED_AS = new AtomicLong(-1);

    private final NvmlSampler sampler;
    private final String gpuLabel;
    private final Set<Long> beforeSetup;
    private final long ownPid = ProcessHandle.current().pid();
    private boolean warnedUnreadable;

    /** Notes who is on the GPU now, before the benchmark's setup creates its CUDA context: none of them is the benchmark. */
    OtherProcesses(NvmlSampler sampler, String gpuLabel) {
        this.sampler = sampler;
        this.gpuLabel = gpuLabel;
        sampler.pollProcesses();
        this.beforeSetup = sampler.processesSince(Long.MIN_VALUE);
    }

    /** Processes NVML listed since t0 and right now, other than the benchmark (warns when any); -1: unknown. */
    int since(long t0Ns) {
        sampler.pollProcesses();
        if (sampler.processesUnreadable() != null) {
            if (!warnedUnreadable) {
                warnedUnreadable = true;
                System.out.println("gpu energy: WARNING: cannot tell whether other processes share the GPU: "
                        + sampler.processesUnreadable());
            }
            return -1;
        }
        Set<Long> seen = new TreeSet<>(sampler.processesSince(t0Ns));
        Set<Long> newcomers = new TreeSet<>(seen);
        newcomers.removeAll(beforeSetup);
        if (!seen.contains(ownPid) && newcomers.size() == 1) {
            LISTED_AS.set(newcomers.iterator().next());
        }
        int others = count(seen, beforeSetup, ownPid, LISTED_AS.get());
        if (others > 0) {
            System.out.println("gpu energy: WARNING: " + others + " other process(es) used " + gpuLabel
                    + " during this iteration (PIDs seen: " + seen + ", this JVM: " + ownPid + "); their energy is included");
        }
        return others;
    }

    /**
     * @param seen         PIDs NVML listed during the window
     * @param beforeTrial  PIDs NVML listed before the benchmark's setup created its CUDA context
     * @param ownPid       this JVM's PID as it knows it
     * @param listedAs     this JVM's PID as NVML listed it in an earlier trial of this JVM, or -1
     */
    static int count(Set<Long> seen, Set<Long> beforeTrial, long ownPid, long listedAs) {
        if (seen.contains(ownPid) || seen.contains(listedAs)) {
            return seen.size() - 1;
        }
        boolean newcomer = seen.stream().anyMatch(pid -> !beforeTrial.contains(pid));
        return seen.size() - (newcomer ? 1 : 0);
    }
}
