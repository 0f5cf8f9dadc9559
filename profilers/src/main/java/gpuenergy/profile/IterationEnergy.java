package gpuenergy.profile;

import gpuenergy.energy.EnergyCounterWindow;
import gpuenergy.energy.PowerIntegral;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.Result;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Everything the profiler reports for one measurement iteration, computed from the sampled series.
 * Pure: the profiler supplies the samples, the window and JMH's rate.
 *
 * @param seconds        length of the profiler's window [t0, t1]
 * @param samples        counter reads inside the window
 * @param edges          counter steps inside the window; -1: unknown
 * @param counterJoules  energy by counter-edge interpolation, the steps at the window's ends split with the GPU
 *                       at the power outside the window when it is known
 * @param naiveJoules    counter(t1) - counter(t0) from the nearest samples
 * @param interiorWatts  average power between the first and last counter step inside the window (NaN if < 2, or
 *                       where the reads inside do not see every step); with sampling=lean both are placed by reads 75
 *                       ms apart ({@link Sampling})
 * @param powerJoules    integral of the power readings; NaN when they do not cover the window (no cross-check)
 * @param opsPerSecond   JMH's rate for the iteration, all threads
 * @param trial          the batch size, idle baseline and power limit
 * @param state          the GPU's temperature, clocks, busy share and other processes during the window
 * @param samplerBusyPercent the share of the window in which the sampler was at work ({@link Sampling#busyPercent});
 *                       NaN until {@link #withSamplerBusy} gives it
 */
record IterationEnergy(double seconds, int samples, int edges, double counterJoules, double naiveJoules, double interiorWatts,
                       double powerJoules, double opsPerSecond, TrialFacts trial, WindowState state,
                       double samplerBusyPercent) {

    /**
     * One measured window.
     *
     * @param outsideWatts the GPU's power just outside [t0, t1] (the profiler: the idle baseline, since the benchmark is
     *                     stopped between iterations); NaN = unknown, linear interpolation there
     * @param opsPerSecond JMH's rate over the window; NaN when it measured no operation
     * @param polled       how the sampler polled the window ({@link Sampling#measuredWindows}): where it did not see
     *                     every counter step inside, the edge count and the interior figure are unknown; where it read
     *                     no power inside (quiet), the power integral too
     */
    record Window(long t0Ns, long t1Ns, double outsideWatts, double opsPerSecond, Sampling polled) {}

    /**
     * @throws IllegalArgumentException when the counter's edges do not bracket the window, it went backwards around it,
     *                                  or the power outside the window takes its end steps' energy whole
     *                                  ({@link EnergyCounterWindow#joules(long, long, double, double)})
     */
    static IterationEnergy of(CounterSamples counterSamples, Window w, TrialFacts trial, WindowState state) {
        long[] tNs = counterSamples.tNs();
        EnergyCounterWindow counter = counterSamples.counter(w.t0Ns(), w.t1Ns());
        int samples = counterSamples.readsWithin(w.t0Ns(), w.t1Ns());
        double counterJoules = counter.joules(w.t0Ns(), w.t1Ns(), w.outsideWatts(), w.outsideWatts());
        // no cross-check where the power was not read inside, or its readings fail to cover the window or leave a gap
        // inside it (PowerIntegral.MAX_GAP_NS): the counter's energy stands
        double powerJoules = Double.NaN;
        if (w.polled().readsInside()) {
            try {
                powerJoules = PowerIntegral.joules(tNs, counterSamples.powerMw(), tNs.length, w.t0Ns(), w.t1Ns());
            } catch (IllegalArgumentException e) {
                // stays NaN
            }
        }
        // unseen steps merge: the window's energy telescopes to its end edges, its count and interior are unknown
        int edges = w.polled().seesEveryStep() ? counter.edgesWithin(w.t0Ns(), w.t1Ns()) : -1;
        double interiorWatts = w.polled().seesEveryStep() ? counter.interiorWatts(w.t0Ns(), w.t1Ns()) : Double.NaN;
        return new IterationEnergy((w.t1Ns() - w.t0Ns()) / 1e9, samples, edges, counterJoules,
                counter.naiveJoules(w.t0Ns(), w.t1Ns()), interiorWatts, powerJoules,
                w.opsPerSecond(), trial, state, Double.NaN);
    }

    IterationEnergy withSamplerBusy(double percent) {
        return new IterationEnergy(seconds, samples, edges, counterJoules, naiveJoules, interiorWatts, powerJoules,
                opsPerSecond, trial, state, percent);
    }

    double averageWatts() {
        return counterJoules / seconds;
    }

    double samplesPerSecond() {
        return samples / seconds;
    }

    /** False when JMH's rate cannot normalise (no ops measured): then the per-op and per-image figures are NaN. */
    boolean hasRate() {
        return opsPerSecond > 0 && Double.isFinite(opsPerSecond);
    }

    /**
     * The secondary results, labels and units as the result-format contract names them ({@link EnergyLabels}).
     *
     * <p>J/op = W / (ops/s), not E / ops: JMH times its own window, which sits inside the profiler's by a few
     * milliseconds at each end, and counts the ops in it. Dividing a power by JMH's rate pairs two averages over
     * (almost) the same time and makes the reported pair consistent by construction: img/s x J/img = W, exactly, per
     * iteration. The per-image and per-op figures are {@link RatioResult}s of a power over JMH's rate, so that over the
     * iterations JMH reports sum of powers / sum of rates: with avg-W the mean power and the throughput score the mean
     * rate, img/s x J/img = avg-W exactly there too. A time mode's score is a mean of times per op, whose inverse is not
     * the mean rate: the relation holds with the throughput score only.
     */
    List<Result> results() {
        // Every label in every measured window, NaN where unknown: a NaN makes the aggregate NaN, which says what
        // happened, where leaving the label out would aggregate the other windows alone (WindowResult)
        List<Result> out = new ArrayList<>();
        double opsPerSecond = hasRate() ? this.opsPerSecond : Double.NaN;
        double imagesPerSecond = opsPerSecond * trial.imagesPerOp();
        out.add(ratio(EnergyLabels.J_PER_OP, averageWatts(), opsPerSecond));
        out.add(ratio(EnergyLabels.J_PER_IMG, averageWatts(), imagesPerSecond));
        out.add(ratio(EnergyLabels.NET_J_PER_IMG, averageWatts() - trial.idleWatts(), imagesPerSecond));
        out.add(ratio(EnergyLabels.NAIVE_J_PER_IMG, naiveJoules / seconds, imagesPerSecond));
        // cross-check of the end-step split: same rate, power from the steps wholly inside the window (NaN under two)
        out.add(ratio(EnergyLabels.INTERIOR_J_PER_IMG, interiorWatts, imagesPerSecond));
        add(out, EnergyLabels.AVG_W, averageWatts(), AggregationPolicy.AVG);
        add(out, EnergyLabels.IDLE_W, trial.idleWatts(), AggregationPolicy.AVG);
        add(out, EnergyLabels.LIMIT_PCT, 100 * averageWatts() / trial.limitWatts(), AggregationPolicy.AVG);
        add(out, EnergyLabels.XCHECK_PCT, PowerIntegral.divergencePercent(powerJoules, counterJoules), AggregationPolicy.AVG);
        // AVG, not SUM: "edges per iteration" reads the same whatever the iteration count
        add(out, EnergyLabels.EDGES, edges < 0 ? Double.NaN : edges, AggregationPolicy.AVG);
        // how the window was polled: tells the sampling modes apart in a result (Sampling)
        add(out, EnergyLabels.WINDOW_READS_PER_S, samplesPerSecond(), AggregationPolicy.AVG);
        // the most the sampler can have taken from the benchmark by holding a CPU or the driver (Sampling#busyPercent)
        add(out, EnergyLabels.SAMPLER_BUSY_PCT, samplerBusyPercent, AggregationPolicy.AVG);
        add(out, EnergyLabels.MAX_TEMP_C, state.maxTemperatureC(), AggregationPolicy.MAX);
        add(out, EnergyLabels.SM_CLOCK_MHZ, state.meanSmClockMhz(), AggregationPolicy.AVG);
        add(out, EnergyLabels.THROTTLE_POWER_PCT, state.powerCapPercent(), AggregationPolicy.AVG);
        add(out, EnergyLabels.THROTTLE_THERMAL_PCT, state.thermalPercent(), AggregationPolicy.AVG);
        add(out, EnergyLabels.OTHER_PROCESSES, state.otherProcesses() < 0 ? Double.NaN : state.otherProcesses(),
                AggregationPolicy.MAX);
        // too few utilization periods inside this window: NaN
        add(out, EnergyLabels.GPU_BUSY_PCT, state.gpuBusyPercent(), AggregationPolicy.AVG);
        return out;
    }

    /**
     * A measured window whose energy could not be told (the counter's steps do not bracket it, it went backwards around
     * it, the idle baseline takes its end steps' energy whole, or the sampling stopped): its energy figures are NaN under the same labels, and so is its edge count, which
     * is the counter's account of the window too; the trial's and the window's own figures (idle W, temperature,
     * clocks, the counter reads the sampler took inside it, its busy share) stand.
     *
     * @param samples counter reads inside the window
     */
    static IterationEnergy unknown(double seconds, int samples, double opsPerSecond, TrialFacts trial, WindowState state,
                                   double samplerBusyPercent) {
        return new IterationEnergy(seconds, samples, -1, Double.NaN, Double.NaN, Double.NaN, Double.NaN, opsPerSecond, trial,
                state, samplerBusyPercent);
    }

    /** One line for verbose=true. */
    String describe(String powerSource) {
        return String.format(Locale.ROOT, "gpu energy: window %.3f s, %d counter reads (%.0f/s), %s, counter %.1f J,"
                        + " naive %.1f J, %s %.1f J (%+.2f %%), %.1f W (interior steps %.1f W), JMH %.5g ops/s,"
                        + " sampler busy %.2f %%", seconds, samples,
                samplesPerSecond(), edges < 0 ? "steps inside not seen" : edges + " edges", counterJoules, naiveJoules, powerSource, powerJoules,
                PowerIntegral.divergencePercent(powerJoules, counterJoules), averageWatts(), interiorWatts, opsPerSecond,
                samplerBusyPercent);
    }

    private static RatioResult ratio(String label, double watts, double perSecond) {
        return new RatioResult(label, EnergyLabels.unit(label), watts, perSecond);
    }

    private static void add(List<Result> out, String label, double value, AggregationPolicy policy) {
        out.add(new WindowResult(label, value, EnergyLabels.unit(label), policy));
    }
}
