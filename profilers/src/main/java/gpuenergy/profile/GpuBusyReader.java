package gpuenergy.profile;

import gpuenergy.energy.GpuBusyWindow;
import gpuenergy.nvml.NvmlDevice;

import java.time.Instant;
import java.util.Locale;

/**
 * One trial's {@code energy.gpu-busy-%}: after each measured window, the driver's buffer of utilization samples (one
 * NVML call, outside the sampler's loop) through {@link GpuBusyWindow}. The newest sample tells which clock the driver
 * stamps them in: CPU time since the epoch or since boot (nanoTime's on Linux); nvml.h does not say and drivers differ.
 * Never throws: the energy figures do not depend on it.
 */
final class GpuBusyReader {
    private final NvmlDevice gpu;
    private final boolean verbose;
    /** Why this trial has no busy figure at all (said once), or null. */
    private String unavailable;
    private boolean warnedWindow;

    GpuBusyReader(NvmlDevice gpu, boolean verbose) {
        this.gpu = gpu;
        this.verbose = verbose;
    }

    /** Percent of the window in which a kernel ran; NaN when no sample period lies wholly inside it or NVML has none. */
    double percent(long t0Ns, long t1Ns, long t0EpochMicros, long t1EpochMicros) {
        if (unavailable != null) {
            return Double.NaN;
        }
        try {
            NvmlDevice.Samples u = gpu.utilizationSamples(0);
            int n = u.timeMicros().length;
            if (n == 0) {
                return missing("no utilization samples");
            }
            long newest = u.timeMicros()[n - 1], epochNow = epochMicros(), monotonicNow = System.nanoTime() / 1000;
            GpuBusyWindow.Clock clock = GpuBusyWindow.clockOf(newest, epochNow, monotonicNow);
            if (clock == null) {
                return none(String.format(Locale.ROOT, "the newest utilization sample is %.1f s from now since the epoch"
                        + " and %.1f s from now since boot: its clock is neither", (epochNow - newest) / 1e6,
                        (monotonicNow - newest) / 1e6));
            }
            boolean epoch = clock == GpuBusyWindow.Clock.EPOCH;
            long t0 = epoch ? t0EpochMicros : t0Ns / 1000, t1 = epoch ? t1EpochMicros : t1Ns / 1000;
            GpuBusyWindow busy = GpuBusyWindow.of(u.timeMicros(), u.values(), t0, t1);
            if (verbose) {
                System.out.println(String.format(Locale.ROOT, "gpu energy: busy %.1f %% over %.0f %% of the window"
                        + " (%d utilization samples, clock %s, newest %.3f s after the window's end)", busy.percent(),
                        100 * busy.coverage(), n, clock, (newest - t1) / 1e6));
            }
            return busy.percent();
        } catch (UnsatisfiedLinkError e) {
            return none("this driver's NVML has no nvmlDeviceGetSamples");
        } catch (RuntimeException e) {
            return missing("utilization samples unreadable (" + e.getMessage() + ")");
        }
    }

    /** Now as CPU time since the epoch, microseconds: the one of NVML's sample clocks that is not nanoTime's. */
    static long epochMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
    }

    /** No figure for the rest of the trial. */
    private double none(String why) {
        unavailable = why;
        System.out.println("gpu energy: WARNING: no GPU busy figure: " + why);
        return Double.NaN;
    }

    /** No figure for this window, one warning per trial: a later window may have one. */
    private double missing(String why) {
        if (!warnedWindow) {
            warnedWindow = true;
            System.out.println("gpu energy: WARNING: no GPU busy figure for a window: " + why);
        }
        return Double.NaN;
    }
}
