package gpuenergy.nvml;

import java.util.ArrayList;
import java.util.List;

/** The bits of nvmlDeviceGetCurrentClocksEventReasons (formerly ...ThrottleReasons), from nvml.h. */
public final class ClockEventReasons {
    public static final long GPU_IDLE = 0x1L;
    public static final long APPLICATIONS_CLOCKS_SETTING = 0x2L;
    public static final long SW_POWER_CAP = 0x4L;
    public static final long HW_SLOWDOWN = 0x8L;
    public static final long SYNC_BOOST = 0x10L;
    public static final long SW_THERMAL_SLOWDOWN = 0x20L;
    public static final long HW_THERMAL_SLOWDOWN = 0x40L;
    public static final long HW_POWER_BRAKE_SLOWDOWN = 0x80L;
    public static final long DISPLAY_CLOCK_SETTING = 0x100L;

    /** Heat or the board's hardware protection slowing the clocks, as opposed to the software power cap. */
    public static final long THERMAL_OR_HW_SLOWDOWN =
            HW_SLOWDOWN | SW_THERMAL_SLOWDOWN | HW_THERMAL_SLOWDOWN | HW_POWER_BRAKE_SLOWDOWN;

    private static final long[] BITS = {GPU_IDLE, APPLICATIONS_CLOCKS_SETTING, SW_POWER_CAP, HW_SLOWDOWN,
            SYNC_BOOST, SW_THERMAL_SLOWDOWN, HW_THERMAL_SLOWDOWN, HW_POWER_BRAKE_SLOWDOWN, DISPLAY_CLOCK_SETTING};
    private static final String[] NAMES = {"GpuIdle", "ApplicationsClocksSetting", "SwPowerCap", "HwSlowdown",
            "SyncBoost", "SwThermalSlowdown", "HwThermalSlowdown", "HwPowerBrakeSlowdown", "DisplayClockSetting"};

    private ClockEventReasons() {}

    /** Names of the set bits, in bit order; bits nvml.h does not name come out as hex. */
    public static List<String> names(long bits) {
        List<String> out = new ArrayList<>();
        long unknown = bits;
        for (int i = 0; i < BITS.length; i++) {
            if ((bits & BITS[i]) != 0) {
                out.add(NAMES[i]);
                unknown &= ~BITS[i];
            }
        }
        if (unknown != 0) {
            out.add("0x" + Long.toHexString(unknown));
        }
        return out;
    }

    public static boolean powerCapped(long bits) {
        return (bits & SW_POWER_CAP) != 0;
    }

    public static boolean thermalOrHwSlowdown(long bits) {
        return (bits & THERMAL_OR_HW_SLOWDOWN) != 0;
    }
}
