package gpuenergy.profile;

import gpuenergy.energy.EnergyCounterWindow;
import gpuenergy.energy.EnergyPerOp;
import gpuenergy.energy.PowerIntegral;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Everything the profiler reports for one measurement iteration, computed from the sampled series.
 * Pure: the profiler supplies the samples, the window and JMH's rate.
 *
 * @param seconds        length of the profiler's window [t0, t1]
 * @param samples        counter samples inside the window
 * @param edges          counter steps inside the window
 * @param counterJoules  energy by counter-edge interpolation, the steps at the window's ends split with the GPU
 *                       idling outside the window (at idleWatts) when the idle baseline is known
 * @param naiveJoules    counter(t1) - counter(t0) from the nearest samples
 * @param interiorWatts  average power between the first and last counter step inside the window (NaN if < 2)
 * @param powerJoules    integral of the power readings; NaN when they do not cover the window (no cross-check)
 * @param opsPerSecond   JMH's rate for the iteration, all threads
 * @param imagesPerOp    the batch size
 * @param idleWatts      idle baseline, NaN when not measured
 * @param limitWatts     enforced power limit
 * @param otherProcesses processes other than the benchmark on the GPU during the window; -1 when NVML would not say
 */
record IterationEnergy(double seconds, int samples, int edges, double counterJoules, double naiveJoules, double interiorWatts,
                       double powerJoules,
                       double opsPerSecond, int imagesPerOp, double idleWatts, double limitWatts, WindowState state,
                       int otherProcesses) {

    /**
     * @param tNs          sample times; energyMj and powerMw per sample (power negative = no reading)
     * @param outsideWatts the GPU's power just outside [t0, t1] (the profiler: the idle baseline, since the
     *                     benchmark is stopped between iterations); NaN = unknown, linear interpolation there
     * @throws IllegalArgumentException when the counter's edges do not bracket [t0, t1]
     */
    static IterationEnergy of(long[] tNs, long[] energyMj, long[] powerMw, long t0, long t1, double outsideWatts,
                              double opsPerSecond, int imagesPerOp, double idleWatts, double limitWatts, WindowState state,
                              int otherProcesses) {
        EnergyCounterWindow counter = EnergyCounterWindow.of(tNs, energyMj, tNs.length);
        int samples = 0;
        for (long t : tNs) {
            samples += t >= t0 && t <= t1 ? 1 : 0;
        }
        double counterJoules = counter.joules(t0, t1, outsideWatts, outsideWatts);
        double powerJoules;
        try {
            powerJoules = PowerIntegral.joules(tNs, powerMw, tNs.length, t0, t1);
        } catch (IllegalArgumentException e) {
            powerJoules = Double.NaN; // no cross-check this time; the counter's energy stands
        }
        return new IterationEnergy((t1 - t0) / 1e9, samples, counter.edgesWithin(t0, t1), counterJoules,
                counter.naiveJoules(t0, t1), counter.interiorWatts(t0, t1), powerJoules, opsPerSecond,
                imagesPerOp, idleWatts, limitWatts, state, otherProcesses);
    }

    double averageWatts() {
        return counterJoules / seconds;
    }

    double samplesPerSecond() {
        return samples / seconds;
    }

    /** False when JMH's rate cannot normalise (no ops measured): then only the power figures are reported. */
    boolean hasRate() {
        return opsPerSecond > 0 && Double.isFinite(opsPerSecond);
    }

    /**
     * The secondary results, labels and units as the result-format contract names them. The per-image and per-op
     * figures are {@link RatioResult}s of a power over JMH's rate, so that over the iterations JMH reports sum of
     * powers / sum of rates: with avg-W the mean power and the score the mean rate, img/s x J/img = avg-W exactly.
     */
    List<Result> results() {
        List<Result> out = new ArrayList<>();
        if (hasRate()) {
            EnergyPerOp gross = new EnergyPerOp(averageWatts(), opsPerSecond, imagesPerOp);
            double imagesPerSecond = gross.itemsPerSecond();
            out.add(new RatioResult(EnergyLabels.J_PER_OP, "J/op", averageWatts(), opsPerSecond));
            out.add(new RatioResult(EnergyLabels.J_PER_IMG, "J/img", averageWatts(), imagesPerSecond));
            if (!Double.isNaN(idleWatts)) {
                out.add(new RatioResult(EnergyLabels.NET_J_PER_IMG, "J/img", averageWatts() - idleWatts, imagesPerSecond));
            }
            out.add(new RatioResult(EnergyLabels.NAIVE_J_PER_IMG, "J/img", naiveJoules / seconds, imagesPerSecond));
            // cross-check of the end-step split: same rate, power from the steps wholly inside the window. Always
            // emitted, NaN when under two steps lie inside: a label missing from an iteration makes the figure NaN
            out.add(new RatioResult(EnergyLabels.INTERIOR_J_PER_IMG, "J/img", interiorWatts, imagesPerSecond));
        }
        add(out, EnergyLabels.AVG_W, averageWatts(), "W", AggregationPolicy.AVG);
        add(out, EnergyLabels.IDLE_W, idleWatts, "W", AggregationPolicy.AVG);
        add(out, EnergyLabels.LIMIT_PCT, EnergyPerOp.percentOf(averageWatts(), limitWatts), "%", AggregationPolicy.AVG);
        add(out, EnergyLabels.XCHECK_PCT, PowerIntegral.divergencePercent(powerJoules, counterJoules), "%", AggregationPolicy.AVG);
        // AVG, not SUM: "edges per iteration" reads the same whatever the iteration count
        add(out, EnergyLabels.EDGES, edges, "edges", AggregationPolicy.AVG);
        add(out, EnergyLabels.MAX_TEMP_C, state.maxTemperatureC(), "C", AggregationPolicy.MAX);
        add(out, EnergyLabels.SM_CLOCK_MHZ, state.meanSmClockMhz(), "MHz", AggregationPolicy.AVG);
        add(out, EnergyLabels.THROTTLE_POWER_PCT, state.powerCapPercent(), "%", AggregationPolicy.AVG);
        add(out, EnergyLabels.THROTTLE_THERMAL_PCT, state.thermalPercent(), "%", AggregationPolicy.AVG);
        add(out, EnergyLabels.OTHER_PROCESSES, otherProcesses < 0 ? Double.NaN : otherProcesses, "procs", AggregationPolicy.MAX);
        // always emitted, NaN when unknown (too few utilization periods inside this window): JMH would fill a gap with 0
        out.add(new ScalarResult(EnergyLabels.GPU_BUSY_PCT, state.gpuBusyPercent(), "%", AggregationPolicy.AVG));
        return out;
    }

    /**
     * NaN for the energy figures of an iteration whose energy could not be measured. Leaving them out would
     * be worse: JMH fills a ScalarResult missing from an iteration with 0 and averages it in, so a missing one
     * would silently halve the mean of two; NaN makes the whole figure NaN, which says what happened.
     */
    static List<Result> unknown() {
        List<Result> out = new ArrayList<>();
        out.add(new RatioResult(EnergyLabels.J_PER_OP, "J/op", Double.NaN, Double.NaN));
        for (String label : new String[]{EnergyLabels.J_PER_IMG, EnergyLabels.NET_J_PER_IMG, EnergyLabels.NAIVE_J_PER_IMG,
                EnergyLabels.INTERIOR_J_PER_IMG}) {
            out.add(new RatioResult(label, "J/img", Double.NaN, Double.NaN));
        }
        out.add(new ScalarResult(EnergyLabels.AVG_W, Double.NaN, "W", AggregationPolicy.AVG));
        out.add(new ScalarResult(EnergyLabels.GPU_BUSY_PCT, Double.NaN, "%", AggregationPolicy.AVG)); // always emitted, as in results()
        return out;
    }

    /** One line for verbose=true. */
    String describe(String powerSource) {
        return String.format(Locale.ROOT, "gpu energy: window %.3f s, %d samples (%.0f Hz), %d edges, counter %.1f J,"
                        + " naive %.1f J, %s %.1f J (%+.2f %%), %.1f W (interior steps %.1f W), JMH %.5g ops/s", seconds, samples,
                samplesPerSecond(), edges, counterJoules, naiveJoules, powerSource, powerJoules,
                PowerIntegral.divergencePercent(powerJoules, counterJoules), averageWatts(), interiorWatts, opsPerSecond);
    }

    private static void add(List<Result> out, String label, double value, String unit, AggregationPolicy policy) {
        if (!Double.isNaN(value)) {
            out.add(new ScalarResult(label, value, unit, policy));
        }
    }
}
