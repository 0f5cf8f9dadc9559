package gpuenergy.profile;

import java.util.Map;

/**
 * The labels of the profiler's secondary results, as they appear in JMH's table and JSON; every reader of result
 * files names them through these constants. Each label's unit is {@link #unit}'s, the one the profiler gives its results
 * and docs/energy-method.md gives the label.
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

    private static final Map<String, String> UNITS = Map.ofEntries(Map.entry(J_PER_OP, "J/op"),
            Map.entry(J_PER_IMG, "J/img"), Map.entry(NET_J_PER_IMG, "J/img"), Map.entry(NAIVE_J_PER_IMG, "J/img"),
            Map.entry(INTERIOR_J_PER_IMG, "J/img"), Map.entry(AVG_W, "W"), Map.entry(IDLE_W, "W"),
            Map.entry(LIMIT_PCT, "%"), Map.entry(XCHECK_PCT, "%"), Map.entry(EDGES, "edges"),
            Map.entry(WINDOW_READS_PER_S, "reads/s"), Map.entry(SAMPLER_BUSY_PCT, "%"), Map.entry(SAMPLED, "sampled"),
            Map.entry(MAX_TEMP_C, "C"), Map.entry(SM_CLOCK_MHZ, "MHz"), Map.entry(THROTTLE_POWER_PCT, "%"),
            Map.entry(THROTTLE_THERMAL_PCT, "%"), Map.entry(OTHER_PROCESSES, "procs"), Map.entry(GPU_BUSY_PCT, "%"));

    /** The unit JMH prints beside a label's figure and the result JSON holds as its scoreUnit. */
    public static String unit(String label) {
        String unit = UNITS.get(label);
        if (unit == null) {
            throw new IllegalArgumentException("no energy label " + label);
        }
        return unit;
    }
}
