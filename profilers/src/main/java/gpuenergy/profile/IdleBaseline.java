package gpuenergy.profile;

import gpuenergy.energy.EnergyCounterWindow;
import gpuenergy.energy.QuietPower;

import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The GPU's power with the benchmark's model loaded and no work running, as an inference process holds it between
 * batches: waits for the power to settle, then takes the counter's mean power over idle s, and repeats while the two
 * halves of that window disagree (the power was still falling) and the settle time lasts. Takes at most about
 * settle + idle + 2 s.
 */
final class IdleBaseline {
    private static final long AFTER_WINDOW_WAIT_NS = TimeUnit.MILLISECONDS.toNanos(500);

    private IdleBaseline() {}

    /**
     * Prints one line with the baseline (and a warning when the power never settled).
     *
     * @return the idle power, watts; NaN when the counter's steps do not bracket the idle window or it went backwards
     *         around it
     */
    static double measure(NvmlSampler sampler, ProfilerOptions o, SampleTrace trace, String gpuLabel, double limitWatts) {
        long start = System.nanoTime();
        long deadline = start + TimeUnit.SECONDS.toNanos(o.settleSeconds());
        double idleWatts;
        double firstHalf;
        double secondHalf;
        boolean steady;
        do {
            sleepNs(2 * QuietPower.SLICE_NS);
            while (!isQuiet(sampler) && System.nanoTime() < deadline) {
                sleepNs(TimeUnit.MILLISECONDS.toNanos(100));
            }
            long t0 = System.nanoTime();
            sleepNs(TimeUnit.SECONDS.toNanos(o.idleSeconds()));
            long t1 = System.nanoTime();
            if (!sampler.awaitEdgeAtOrAfter(t1, AFTER_WINDOW_WAIT_NS)) {
                System.out.println("gpu energy: WARNING: no counter step after the idle window; no idle baseline");
                return Double.NaN;
            }
            long mid = t0 + (t1 - t0) / 2;
            try {
                EnergyCounterWindow counter = sampler.counter().counter(t0, t1);
                firstHalf = counter.averageWatts(t0, mid);
                secondHalf = counter.averageWatts(mid, t1);
                idleWatts = counter.averageWatts(t0, t1);
            } catch (IllegalArgumentException e) {
                System.out.println("gpu energy: WARNING: " + e.getMessage() + "; no idle baseline");
                return Double.NaN;
            }
            trace.window("idle", 0, t0, t1);
            steady = QuietPower.agree(firstHalf, secondHalf);
        } while (!steady && System.nanoTime() < deadline);
        String limit = Double.isNaN(limitWatts) ? "unknown" : String.format(Locale.ROOT, "%.0f W", limitWatts);
        System.out.println(String.format(Locale.ROOT, "gpu energy: %s, limit %s, idle %.1f W over %d s after %.1f s%s",
                gpuLabel, limit, idleWatts, o.idleSeconds(), (System.nanoTime() - start) / 1e9, steady ? ""
                        : String.format(Locale.ROOT, "; WARNING: still changing after settle=%d s (%.1f W then %.1f W),"
                        + " baseline uncertain", o.settleSeconds(), firstHalf, secondHalf)));
        return idleWatts;
    }

    private static boolean isQuiet(NvmlSampler sampler) {
        CounterSamples s = sampler.counter();
        return QuietPower.isQuiet(s.tNs(), s.powerMw(), s.size(), System.nanoTime());
    }

    private static void sleepNs(long ns) {
        long end = System.nanoTime() + ns;
        for (long left = ns; left > 0; left = end - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }
}
