package gpuenergy.profile;

import java.util.Set;

/**
 * How many processes other than the benchmark ran on the GPU, from the PIDs NVML listed.
 * In a container NVML lists host PIDs, so the benchmark's own PID may never appear; the benchmark is
 * then the process that was not on the GPU before its trial started (at most one such is forgiven).
 */
final class OtherProcesses {
    private OtherProcesses() {}

    /**
     * @param seen         PIDs NVML listed during the window
     * @param beforeTrial  PIDs NVML listed before the benchmark's setup created its CUDA context
     * @param ownPid       this JVM's PID as it knows it
     */
    static int count(Set<Long> seen, Set<Long> beforeTrial, long ownPid) {
        if (seen.contains(ownPid)) {
            return seen.size() - 1;
        }
        boolean newcomer = seen.stream().anyMatch(pid -> !beforeTrial.contains(pid));
        return seen.size() - (newcomer ? 1 : 0);
    }
}
