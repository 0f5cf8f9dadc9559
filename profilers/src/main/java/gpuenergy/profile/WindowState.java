package gpuenergy.profile;

import gpuenergy.nvml.ClockEventReasons;

/**
 * What the GPU was doing during one window besides drawing power: the slow samples (temperature, SM clock, clock event
 * reasons), NVML's utilization samples, and the processes on it.
 *
 * @param samples             slow samples inside the window
 * @param maxTemperatureC     hottest reading
 * @param meanSmClockMhz      mean SM clock
 * @param powerCapPercent     percent of samples with SwPowerCap set
 * @param thermalPercent      percent of samples with any thermal or hardware slowdown bit set
 * @param gpuBusyPercent      percent of the window a kernel ran ({@link gpuenergy.energy.GpuBusyWindow}); NaN = unknown
 * @param otherProcesses      processes other than the benchmark on the GPU during the window; -1 when NVML would not say
 */
record WindowState(int samples, double maxTemperatureC, double meanSmClockMhz, double powerCapPercent,
                   double thermalPercent, double gpuBusyPercent, int otherProcesses) {
    /** No slow sample: NaN everywhere, no busy figure, no other process. */
    static final WindowState NONE = new WindowState(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0);

    /**
     * Columns as the sampler stores them; samples with t in [t0, t1]. NaN everywhere when there are none; no busy
     * figure and no other process until {@link #withGpuBusy} and {@link #withOtherProcesses} say otherwise.
     */
    static WindowState of(long[] tNs, long[] temperatureC, long[] smClockMhz, long[] reasons, long t0Ns, long t1Ns) {
        int n = 0, capped = 0, thermal = 0;
        long maxTemp = Long.MIN_VALUE;
        double clockSum = 0;
        for (int i = 0; i < tNs.length; i++) {
            if (tNs[i] < t0Ns || tNs[i] > t1Ns) {
                continue;
            }
            n++;
            maxTemp = Math.max(maxTemp, temperatureC[i]);
            clockSum += smClockMhz[i];
            capped += ClockEventReasons.powerCapped(reasons[i]) ? 1 : 0;
            thermal += ClockEventReasons.thermalOrHwSlowdown(reasons[i]) ? 1 : 0;
        }
        if (n == 0) {
            return NONE;
        }
        return new WindowState(n, maxTemp, clockSum / n, 100.0 * capped / n, 100.0 * thermal / n, Double.NaN, 0);
    }

    WindowState withGpuBusy(double percent) {
        return new WindowState(samples, maxTemperatureC, meanSmClockMhz, powerCapPercent, thermalPercent, percent,
                otherProcesses);
    }

    WindowState withOtherProcesses(int processes) {
        return new WindowState(samples, maxTemperatureC, meanSmClockMhz, powerCapPercent, thermalPercent, gpuBusyPercent,
                processes);
    }
}
