package gpuenergy.profile;

import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A window's mean power on the fake GPU ({@link gpuenergy.nvml.FakeNvml}: a steady 100 W, its counter stepping 10 J every
 * 100 ms) as the counter's steps give it, the parts of its end steps outside it split off at a power known there
 * ({@link gpuenergy.energy.EnergyCounterWindow#joules(long, long, double, double)}), against what the reads that placed
 * its end edges allow.
 */
final class FakeWatts {
    private FakeWatts() {}

    /**
     * {@code watts} is the fake's 100 W to within 3 % and what the counter reads in {@code kept} allow. Edge a (the last
     * at or before t0) and edge b (the first at or after t1) each lie midway between the two reads around their step,
     * so within half those reads' gap of it, 100 W over that time. A step the reads around t1 merge into one placed
     * inside the window may hold energy from after t1, up to the first read after it, which the split then cannot
     * charge to the step after (it is clamped at none), and likewise at t0 back to the last read before it. The end
     * steps' parts outside the window are charged {@code outsideWatts} where the fake drew 100 W (an idle baseline
     * measured while a busy host held the sampler is off). A busy host that holds the sampler at an end widens these.
     */
    static void assertHundredWatts(double watts, CounterSamples kept, long t0, long t1, double outsideWatts, String what) {
        CounterSamples c = kept.counterReads();
        long[] t = c.tNs(), mj = c.energyMj();
        long a = Long.MIN_VALUE, b = Long.MAX_VALUE, gapA = 0, gapB = 0, before = Long.MIN_VALUE, after = Long.MAX_VALUE;
        for (int i = 0; i < c.size(); i++) {
            before = t[i] <= t0 ? t[i] : before;
            after = t[i] >= t1 ? Math.min(after, t[i]) : after;
            if (i == 0 || mj[i] == mj[i - 1]) {
                continue;
            }
            long edge = t[i - 1] + (t[i] - t[i - 1]) / 2; // where EnergyCounterWindow places it
            if (edge <= t0) {
                a = edge;
                gapA = t[i] - t[i - 1];
            } else if (edge >= t1 && b == Long.MAX_VALUE) {
                b = edge;
                gapB = t[i] - t[i - 1];
            }
        }
        assertTrue(a != Long.MIN_VALUE && b != Long.MAX_VALUE, what + ": no counter step read on each side of the window");
        double length = t1 - t0, misplacedNs = gapA / 2.0 + (t0 - before) + gapB / 2.0 + (after - t1);
        double allowed = 3 + 100 * misplacedNs / length + Math.abs(100 - outsideWatts) * ((t0 - a) + (b - t1)) / length;
        assertTrue(Math.abs(watts - 100) <= allowed, String.format(Locale.ROOT, "%s: %.2f W, not the fake's 100 W to within"
                + " %.2f W: its end edges placed by reads %.1f and %.1f ms apart, the reads around its ends %.1f ms before"
                + " t0 and %.1f ms after t1, the %.1f ms of its end steps outside it charged %.1f W", what, watts, allowed,
                gapA / 1e6, gapB / 1e6, (t0 - before) / 1e6, (after - t1) / 1e6, ((t0 - a) + (b - t1)) / 1e6, outsideWatts));
    }
}
