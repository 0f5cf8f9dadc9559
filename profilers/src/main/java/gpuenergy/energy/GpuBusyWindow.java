package gpuenergy.energy;

/**
 * The share of a window [t0, t1] in which a kernel ran on the GPU, from NVML's GPU-utilization samples: each sample is
 * the percent of its own sample period, from the sample before it to itself, in which one or more kernels ran
 * (nvmlDeviceGetSamples, NVML_GPU_UTILIZATION_SAMPLES). Only the periods wholly inside the window count, as
 * {@code energy.interior-J/img} counts only the counter steps inside it: a period that straddles an end holds pause
 * time, in which the GPU idles, so it would read the window low. Times in NVML's clock, microseconds.
 *
 * @param percent  mean of the inside periods' percents weighted by their length; NaN when none lies inside
 * @param coverage the inside periods' total length over the window's
 */
public record GpuBusyWindow(double percent, double coverage) {
    /** Below this coverage the figure stands for too little of the window (a board whose period is 1 s: none). */
    public static final double MIN_COVERAGE = 0.5;

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

    /** The percent where the inside periods cover at least {@link #MIN_COVERAGE} of the window, else NaN. */
    public double percentIfCovered() {
        return coverage >= MIN_COVERAGE ? percent : Double.NaN;
    }
}
