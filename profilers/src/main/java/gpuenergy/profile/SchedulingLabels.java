package gpuenergy.profile;

import java.util.Map;

/**
 * The labels of {@link SchedulingProfiler}'s secondary results, as they appear in JMH's table and JSON
 * ({@link gpuenergy.host.SchedulingWindow} says what each measures). Each label's unit is {@link #unit}'s, the one the
 * profiler gives its results and docs/overhead.md gives the label.
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

    private static final Map<String, String> UNITS = Map.of(WORKER_CPU_PCT, "%", WORKER_WAIT_PCT, "%",
            WORKER_PREEMPTED_PER_S, "switches/s", WORKER_MIGRATED_PER_S, "moves/s", PROCESS_CPUS, "CPUs",
            MINOR_FAULTS_PER_OP, "faults/op", HOST_BUSY_PCT, "%", STEAL_PCT, "%", PROBE_CHAIN_NS_PER_STEP, "ns/step",
            PROBE_SWEEP_GB_PER_S, "GB/s");

    /** The unit JMH prints beside a label's figure and the result JSON holds as its scoreUnit. */
    public static String unit(String label) {
        String unit = UNITS.get(label);
        if (unit == null) {
            throw new IllegalArgumentException("no scheduling label " + label);
        }
        return unit;
    }
}
