package gpuenergy.profile;

/**
 * The labels of the profiler's secondary results, as they appear in JMH's table and JSON; every reader of result
 * files names them through these constants.
 */
public final class EnergyLabels {
    private EnergyLabels() {}

    public static final String J_PER_OP = "energy.J/op";
    public static final String J_PER_IMG = "energy.J/img";
    public static final String NET_J_PER_IMG = "energy.net-J/img";
    public static final String NAIVE_J_PER_IMG = "energy.naive-J/img";
    public static final String INTERIOR_J_PER_IMG = "energy.interior-J/img";
    public static final String AVG_W = "energy.avg-W";
    public static final String IDLE_W = "energy.idle-W";
    public static final String LIMIT_PCT = "energy.limit-%";
    public static final String XCHECK_PCT = "energy.xcheck-%";
    public static final String EDGES = "energy.edges";
    /** Counter reads per second inside the window: 120-250 with sampling=continuous, ~13 lean, one or two a window with ends and quiet. */
    public static final String WINDOW_READS_PER_S = "energy.window-reads-per-s";
    /**
     * Percent of the window in which the sampler thread was at work (NVML calls and storing their values): the most of
     * the window it can have taken from the benchmark by holding a CPU or the driver (not what outlasts its work).
     */
    public static final String SAMPLER_BUSY_PCT = "energy.sampler-busy-%";
    /**
     * With {@code interleave=true} only, every measured window: 1 where the profiler sampled it, 0 where it sat out with
     * its sampler parked (such a window has no other energy figure), NaN where it was to sit out but the sampler did
     * not park in time. The measured windows alternate in ABBA order, sat out first ({@link Interleave}), so one run
     * compares the benchmark with the sampler and without it.
     */
    public static final String SAMPLED = "energy.sampled";
    public static final String MAX_TEMP_C = "energy.max-temp-C";
    public static final String SM_CLOCK_MHZ = "energy.sm-clock-MHz";
    public static final String THROTTLE_POWER_PCT = "energy.throttle-power-%";
    public static final String THROTTLE_THERMAL_PCT = "energy.throttle-thermal-%";
    public static final String OTHER_PROCESSES = "energy.other-processes";
    public static final String GPU_BUSY_PCT = "energy.gpu-busy-%";
}
