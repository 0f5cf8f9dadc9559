package gpuenergy.profile;

import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * How the sampler polls inside a window (option {@code sampling=}), and its rate policy as pure functions.
 *
 * <p>{@link #CONTINUOUS} polls the counter at {@code hz} for the whole trial. Each NVML call takes 1-2 ms (~7 ms a
 * tick on an H200), so the sampler thread is busy almost all the time, inside the measured windows too; where the host
 * sets the pace (batch 1) that busy thread changes the throughput it measures.
 *
 * <p>{@link #LEAN} polls fast only where the figures need precise edge times: between windows (the idle baseline
 * included), and inside a window until the counter's first step after its start has been seen. For the rest of the
 * window it reads the counter, power, temperature and clocks every {@link #IN_WINDOW_PERIOD_NS} (11 a second), so
 * an edge found there is placed to ±45 ms. Closing the window wakes the sampler: its first read follows t1 by the
 * wake-up and half an NVML call. What that does to each figure (edges a and b: the last step at or before t0, the
 * first at or after t1; {@link gpuenergy.energy.EnergyCounterWindow}); the numbers are the H100 traces replayed
 * ({@code LeanReplayTest}):
 * <ul>
 * <li>{@code J/img}, {@code J/op}, {@code net-J/img}, {@code avg-W}, {@code limit-%} with the idle baseline: as in
 *     continuous. The end-step split uses the times of edges a and b and the values of a, a+1, b-1 and b; the times
 *     of the edges in between cancel. a and a+1 are read fast, b after the close. A step within the first read's
 *     delay of t1 can be put on the other side of t1, which moves the energy by the idle power over that delay, as
 *     continuous sampling's own gap around t1 does. Replayed: equal in 780 of 800 windows.</li>
 * <li>{@code edges}: every step is still seen, since {@link #IN_WINDOW_PERIOD_NS} is shorter than the counter's
 *     shortest step interval (96 ms in the traces, median 100 ms); the step nearest t1 counts as above.</li>
 * <li>Without the idle baseline ({@code idle=0}, or none measured) each end is interpolated linearly, the one at t1
 *     between edges b-1 and b: b-1's ±45 ms would move the energy by up to half a step. Measured windows are then
 *     read fast throughout (the trial says so in one line), so this figure stays exact too.</li>
 * <li>{@code naive-J/img}: the reads nearest t0 and t1 lie within a few ms of them, as in continuous; either may sit on
 *     the other side of a step than continuous's nearest read, which is the figure's own error of up to a step.</li>
 * <li>{@code interior-J/img}: its span runs from edge a+1 (read fast) to edge b-1 (a slow read's), so it is known to
 *     ±45 ms and the figure to ±0.045 s / span: ±1 % of a 5 s window, ±6 % of a 1 s one (replayed: up to 0.042 s).
 *     Reported as it is; making it exact would need the window's last step read fast, and the window's end is not
 *     known ahead.</li>
 * <li>{@code xcheck-%}: the power inside is read 11 times a second instead of ~100. Field 186 refreshes every
 *     ~100 ms, so each refresh is still read; the integral moved by up to 0.4 % over 1.05 s and 0.16 % over 5.05 s
 *     windows (ResNet-50 b128).</li>
 * <li>{@code gpu-busy-%} (the driver's own samples), temperature, clocks, throttle and processes: unchanged.</li>
 * </ul>
 * The sampled-rate warning counts fast reads only. {@code energy.window-reads-per-s} (counter reads per second inside
 * the window) tells a lean result (~11-15) from a continuous one (hundreds); a {@code trace=DIR} file says which in
 * its header and holds the reads as taken.
 */
enum Sampling {
    CONTINUOUS, LEAN;

    /** The counter's read period inside a lean window after its first step: shorter than any step interval seen. */
    static final long IN_WINDOW_PERIOD_NS = TimeUnit.MILLISECONDS.toNanos(90);

    /** The option's value: lean or continuous; anything else is one line. */
    static Sampling of(String value) {
        for (Sampling s : values()) {
            if (s.toString().equals(value)) {
                return s;
            }
        }
        throw new IllegalArgumentException("gpu energy: sampling=" + value + " is not lean or continuous");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Whether the sampler reads at the fast rate: always but inside a window that is polled slowly, and inside that one
     * until a counter edge after its start has been seen (edge a+1; an edge at exactly t0 is edge a).
     *
     * @param slowWindowOpen a window is open and may be polled slowly
     * @param windowStartNs  its start, t0
     * @param lastEdgeNs     the newest edge seen, placed as {@link gpuenergy.energy.EnergyCounterWindow} places it
     */
    static boolean readsFast(boolean slowWindowOpen, long windowStartNs, long lastEdgeNs) {
        return !slowWindowOpen || lastEdgeNs <= windowStartNs;
    }

    /** The time from one counter read to the next. */
    static long periodNs(boolean fast, int hz) {
        return fast ? TimeUnit.SECONDS.toNanos(1) / hz : IN_WINDOW_PERIOD_NS;
    }

    /**
     * Whether a measured window may be polled slowly: lean with the idle baseline known (the end-step split needs no
     * edge inside placed precisely; the linear ends without a baseline do). Warmup windows report nothing: always.
     */
    boolean slowInside(boolean measured, double idleWatts) {
        return this == LEAN && (!measured || !Double.isNaN(idleWatts));
    }
}
