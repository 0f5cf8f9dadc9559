package gpuenergy.energy;

/**
 * The share of a window [t0, t1] in which a kernel ran on the GPU, from NVML's GPU-utilization samples: each sample is
 * taken to be the percent of its own sample period, from the sample before it to itself, in which one or more kernels
 * ran (nvmlDeviceGetSamples, NVML_GPU_UTILIZATION_SAMPLES; nvml.h: "percent of time over the past sample period",
 * 1/6 s to 1 s by product). Only the periods wholly inside the window count, as {@code energy.interior-J/img} counts
 * only the counter steps inside it: a period that straddles an end holds pause time, in which the GPU idles, so it
 * would read the window low. Times in the samples' clock, microseconds ({@link #clockOf}).
 *
 * @param percent  mean of the inside periods' percents weighted by their length; NaN when none lies inside (a
 *                 board whose sample period is as long as the window)
 * @param coverage the inside periods' total length over the window's
 */
public record GpuBusyWindow(double percent, double coverage) {
    /** The clocks nvml.h's "CPU timestamp in microseconds" has been seen in: since the epoch, or since boot. */
    public enum Clock { EPOCH, MONOTONIC }

    /** How old the newest sample may be when read just after a window: a sample period is at most 1 s. */
    static final long MAX_AGE_US = 5_000_000L;
    /** How far ahead of "now" it may appear: clocks read microseconds apart, rounding. */
    static final long MAX_AHEAD_US = 1_000_000L;

    /** @param tUs sample times in increasing order; percent per sample */
    public static GpuBusyWindow of(long[] tUs, double[] percent, long t0Us, long t1Us) {
        if (t1Us <= t0Us) {
            throw new IllegalArgumentException("window [" + t0Us + ", " + t1Us + "] is empty");
        }
        double weighted = 0;
        long covered = 0;
        for (int i = 1; i < tUs.length; i++) {
            if (tUs[i - 1] >= t0Us && tUs[i] <= t1Us && tUs[i] > tUs[i - 1]) {
                long len = tUs[i] - tUs[i - 1];
                weighted += percent[i] * len;
                covered += len;
            }
        }
        return new GpuBusyWindow(covered > 0 ? weighted / covered : Double.NaN, (double) covered / (t1Us - t0Us));
    }

    /**
     * Which clock the driver stamps its samples in, from the newest sample and "now" read in both clocks: the one in
     * which that sample is at most {@link #MAX_AGE_US} old (and not ahead); null when neither fits. Drivers have been
     * reported to use either (CPU time since the epoch, or since boot), and nvml.h does not say.
     */
    public static Clock clockOf(long newestSampleUs, long epochNowUs, long monotonicNowUs) {
        if (recent(newestSampleUs, epochNowUs)) {
            return Clock.EPOCH;
        }
        return recent(newestSampleUs, monotonicNowUs) ? Clock.MONOTONIC : null;
    }

    private static boolean recent(long sampleUs, long nowUs) {
        long age = nowUs - sampleUs;
        return age >= -MAX_AHEAD_US && age <= MAX_AGE_US;
    }
}
