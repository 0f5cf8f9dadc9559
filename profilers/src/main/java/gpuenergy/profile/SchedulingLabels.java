package gpuenergy.profile;

/**
 * The labels of {@link SchedulingProfiler}'s secondary results, as they appear in JMH's table and JSON
 * ({@link gpuenergy.host.SchedulingWindow} says what each measures).
 */
public final class SchedulingLabels {
    private SchedulingLabels() {}

    public static final String WORKER_CPU_PCT = "sched.worker-cpu-%";
    public static final String WORKER_WAIT_PCT = "sched.worker-wait-%";
    public static final String WORKER_PREEMPTED_PER_S = "sched.worker-preempted/s";
    public static final String WORKER_MIGRATED_PER_S = "sched.worker-migrated/s";
    public static final String PROCESS_CPUS = "sched.process-CPUs";
    public static final String MINOR_FAULTS_PER_OP = "sched.minor-faults/op";
    public static final String HOST_BUSY_PCT = "sched.host-busy-%";
    public static final String STEAL_PCT = "sched.steal-%";
    /** With {@code probe=true} ({@link gpuenergy.host.HostPace}): the host's own pace around the window. */
    public static final String PROBE_CHAIN_NS_PER_STEP = "sched.probe-chain-ns/step";
    public static final String PROBE_SWEEP_GB_PER_S = "sched.probe-sweep-GB/s";
}
