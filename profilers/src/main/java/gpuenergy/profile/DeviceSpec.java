package gpuenergy.profile;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A benchmark's device parameter ({@code -p device=}): {@code auto}, {@code cpu}, {@code gpu} or {@code gpu:N}, written
 * exactly so. The one reader of that grammar: the engines, the energy profiler, the sweep and compare all parse the
 * value here, so that a value one of them refuses is refused by all of them with the same line.
 *
 * @param kind    which of the four forms
 * @param ordinal the CUDA device (after CUDA_VISIBLE_DEVICES): N for gpu:N, 0 for gpu and auto, -1 for cpu
 */
public record DeviceSpec(Kind kind, int ordinal) {

    public enum Kind {
        /** A GPU when the engine finds one, else the CPU (the engine decides; the profiler measures CUDA device 0). */
        AUTO,
        /** The CPU: no GPU energy is measured. */
        CPU,
        /** CUDA device {@link #ordinal}. */
        GPU
    }

    /** The accepted values, as the refusal and the help name them. */
    public static final String ACCEPTED = "auto, cpu, gpu, gpu:N";

    public static final DeviceSpec AUTO = new DeviceSpec(Kind.AUTO, 0);
    public static final DeviceSpec CPU = new DeviceSpec(Kind.CPU, -1);

    private static final Pattern GPU_N = Pattern.compile("gpu:(0|[1-9]\\d{0,2})");
    /** gpu:N with leading zeros (gpu:07): another spelling of the device gpu:N names. */
    private static final Pattern GPU_N_PADDED = Pattern.compile("gpu:0+(\\d{1,3})");

    /** CUDA device {@code ordinal}, written gpu:N. */
    public static DeviceSpec gpu(int ordinal) {
        if (ordinal < 0 || ordinal > 999) {
            throw new IllegalArgumentException("CUDA device " + ordinal + " is not 0..999");
        }
        return new DeviceSpec(Kind.GPU, ordinal);
    }

    /**
     * @throws IllegalArgumentException with one line, "device 'X' is not accepted; accepted: ...", for any other value;
     *                                  for gpu:N with leading zeros, "...; write it gpu:N, as results name it"
     */
    public static DeviceSpec parse(String value) {
        DeviceSpec d = readOrNull(value);
        if (d != null) {
            return d;
        }
        Matcher padded = GPU_N_PADDED.matcher(value == null ? "" : value);
        if (padded.matches()) {
            // results, compare and report name a device by the value as given: -p device=gpu:1,gpu:01 would measure
            // GPU 1 twice, as two benchmarks, and a directory measured on one spelling would not continue on the other
            throw new IllegalArgumentException("device '" + value + "' is not accepted; write it gpu:"
                    + Integer.parseInt(padded.group(1)) + ", as results name it");
        }
        throw new IllegalArgumentException("device '" + value + "' is not accepted; accepted: " + ACCEPTED);
    }

    /**
     * Refuses one list of values (a -p device= option's) that names a device twice, as {@code gpu} and {@code gpu:0}:
     * results name a device by the value as given, so the list would measure CUDA device 0 twice, as two benchmarks.
     * {@code gpu:0} is the spelling asked for, the one results record for the device a run used. {@code auto} beside
     * {@code gpu:0} is no such pair: it is the engine's choice, the CPU where it finds no GPU, which only a trial can
     * tell. A value outside the grammar is left to {@link #parse}.
     *
     * @throws IllegalArgumentException with one line, "device 'gpu' and 'gpu:0' are one device (...); give it once, as
     *                                  gpu:0, as results name it"
     */
    public static void refuseOneDeviceTwice(List<String> values) {
        Map<DeviceSpec, String> named = new HashMap<>();
        for (String value : values) {
            DeviceSpec d = readOrNull(value);
            String earlier = d == null ? null : named.putIfAbsent(d, value);
            if (earlier != null && !earlier.equals(value)) {
                throw new IllegalArgumentException("device '" + earlier + "' and '" + value + "' are one device (CUDA device "
                        + d.ordinal + ") under two names; give it once, as " + d + ", as results name it");
            }
        }
    }

    /** The value parsed; null for null or a value outside the grammar (a result written by another tool). */
    public static DeviceSpec readOrNull(String value) {
        if (value == null) {
            return null;
        }
        switch (value) {
            case "auto":
                return AUTO;
            case "cpu":
                return CPU;
            case "gpu":
                return gpu(0);
            default:
                Matcher m = GPU_N.matcher(value);
                return m.matches() ? gpu(Integer.parseInt(m.group(1))) : null;
        }
    }

    /** True when the value is {@code cpu}; false for every other value, null and values outside the grammar included. */
    public static boolean runsOnCpu(String value) {
        DeviceSpec d = readOrNull(value);
        return d != null && d.isCpu();
    }

    public boolean isCpu() {
        return kind == Kind.CPU;
    }

    /** The value as {@code -p device=} takes it and results record it: auto, cpu, gpu:N ({@code gpu} is gpu:0). */
    @Override
    public String toString() {
        return switch (kind) {
            case AUTO -> "auto";
            case CPU -> "cpu";
            case GPU -> "gpu:" + ordinal;
        };
    }
}
