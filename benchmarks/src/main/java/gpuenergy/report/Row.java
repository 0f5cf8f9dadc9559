package gpuenergy.report;

import gpuenergy.profile.DeviceSpec;
import gpuenergy.profile.EnergyLabels;
import gpuenergy.profile.EnvironmentKeys;
import gpuenergy.results.BenchmarkResult;
import gpuenergy.results.BestBatchRule;
import gpuenergy.results.GpuModel;
import gpuenergy.results.Metric;
import gpuenergy.results.ParamNames;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One line of the summary: a (GPU, model, engine, batch size) measurement from one result file. Energy fields
 * are NaN when the result has no energy metrics. Intervals are JMH's 99.9 % confidence intervals of the score. J/img
 * and net J/img are the run's total energy over its total images ({@link BenchmarkResult#perImage}), so that img/s x
 * J/img is its avg W also in a file whose J/img score is the mean of its iterations' own. Where the energy profiler
 * interleaved ({@code energy:interleave=true}), img/s is over the windows it sampled too
 * ({@link BenchmarkResult#sampledWindows}), the only ones with energy figures, so that the product holds there as well.
 *
 * @param gpu     the device the result ran on: its GPU model ({@link GpuModel}: {@code gpu.name}, and a MIG instance's
 *                profile, as the sweep's ladders are kept apart), {@code cpu} for a result on the CPU
 *                ({@link BenchmarkResult#ranOnCpu}), empty where the result records neither
 * @param gpuUuid the board ({@code gpu.uuid}), empty when not recorded: boards of one model differ by a few % in J/img
 * @param source  the result file it comes from, as the report names it
 * @param plotted false for a duplicate: the same (GPU, model, engine, batch) from a file given earlier is plotted
 * @param best    the best batch of the plotted rows of its GPU, model and engine, as {@link BestBatchRule} picks it:
 *                the lowest J/img, or the highest img/s where none has a J/img
 * @param energyIterations iterations with an energy value; fewer than {@code iterations} when some had none
 * @param energyUnknownIterations of those, the ones whose J/img is NaN: the profiler could not measure them, and
 *                                JMH's J/img of the run is NaN
 * @param gpuBusyPercent the share of the measured windows in which a kernel ran (NVML's utilization samples); NaN in
 *                       results without the figure, or where no sample period fit a window
 * @param iterations the iterations img/s is over: where the profiler interleaved, its sampled windows
 * @param windows the run's measured iterations, all of them; more than {@code iterations} where the profiler
 *                interleaved
 * @param precision the precision the result records ({@code precision}), empty when it records none
 */
public record Row(String gpu, String gpuUuid, String model, String engine, int batch,
                  double imgPerSec, double imgPerSecLo, double imgPerSecHi,
                  double joulesPerImage, double joulesPerImageLo, double joulesPerImageHi,
                  double netJoulesPerImage, double averageWatts, double gpuBusyPercent, double limitPercent,
                  double powerLimitW, String precision, boolean tf32, String source, int iterations, int windows,
                  int energyIterations, int energyUnknownIterations, boolean plotted, boolean best) {

    /**
     * The 2 % criterion. A J/img is trusted to it only where JMH's 99.9 % confidence interval half-width is at
     * most this fraction of the score: at launch-bound batches the host's pace varies between iterations and the
     * interval is several times wider. The validation's agreement criterion (suite / eager) is the same 2 %.
     */
    static final double CRITERION = 0.02;

    /** {@link #CRITERION} as text: "2 %". */
    static final String CRITERION_TEXT = BigDecimal.valueOf(CRITERION * 100).stripTrailingZeros().toPlainString() + " %";

    /**
     * A result of a time mode gets no img/s (NaN): its score is a mean of times per op, and neither it nor its inverse
     * is the rate its energy was spent at.
     */
    static Row of(BenchmarkResult r, String source) {
        // img/s over the windows J/img is of; all windows where the sampled ones are none or not known, as compare does
        BenchmarkResult sampled = r.sampledWindows();
        BenchmarkResult rate = sampled == null || sampled.primary().samples().length == 0 ? r : sampled;
        Metric img = r.higherIsBetter() ? rate.imagesPerSecond() : null;
        Metric j = r.perImage(EnergyLabels.J_PER_IMG);
        return new Row(r.ranOnCpu() ? DeviceSpec.CPU.toString() : Objects.requireNonNullElse(GpuModel.of(r.environment()), ""),
                r.environment().getOrDefault(EnvironmentKeys.GPU_UUID, ""),
                r.param(ParamNames.MODEL), r.param(ParamNames.ENGINE), r.batchSize(),
                img == null ? Double.NaN : img.score(), img == null ? Double.NaN : img.lo(),
                img == null ? Double.NaN : img.hi(),
                j == null ? Double.NaN : j.score(), j == null ? Double.NaN : j.lo(), j == null ? Double.NaN : j.hi(),
                r.perImageScore(EnergyLabels.NET_J_PER_IMG), r.secondaryScore(EnergyLabels.AVG_W),
                r.secondaryScore(EnergyLabels.GPU_BUSY_PCT),
                r.secondaryScore(EnergyLabels.LIMIT_PCT), r.environmentNumber(EnvironmentKeys.GPU_POWER_LIMIT_W),
                r.environment().getOrDefault(EnvironmentKeys.PRECISION, ""),
                EnvironmentKeys.tf32Allowed(r.environment().get(EnvironmentKeys.TF32)), source,
                rate.primary().samples().length, r.primary().samples().length, j == null ? 0 : j.samples().length, (int) r.joulesPerImageUnknown(),
                true, false);
    }

    /** The peak FLOP/s precision of the result's recorded precision; null when it records none ({@link PeakFlops#precision}). */
    PeakFlops.Precision peakPrecision() {
        return PeakFlops.precision(precision, tf32);
    }

    /** Whether the result ran on the CPU (its {@link #gpu} is {@code cpu}). */
    boolean ranOnCpu() {
        return DeviceSpec.CPU.toString().equals(gpu);
    }

    boolean hasEnergy() {
        return !Double.isNaN(joulesPerImage);
    }

    /** Why these rows, none of which has a J/img, have none ({@link BestBatchRule#whyNoJoulesPerImage}). */
    static String whyNoJoulesPerImage(List<Row> rows) {
        return BestBatchRule.whyNoJoulesPerImage(rows.stream().allMatch(Row::ranOnCpu),
                rows.stream().anyMatch(r -> r.energyUnknownIterations() > 0));
    }

    /** Half-width of J/img's 99.9 % confidence interval as a fraction of J/img; NaN without an interval. */
    double joulesPerImageHalfWidth() {
        return (joulesPerImageHi - joulesPerImageLo) / 2 / joulesPerImage;
    }

    /** True when J/img has an interval wider than the criterion (false without one: there is nothing to say). */
    boolean joulesPerImageImprecise() {
        return joulesPerImageHalfWidth() > CRITERION;
    }

    /**
     * "±7.4 %": the half-width rounded up to 0.1 %, so that a flagged 2.04 % does not read "±2.0 %" beside a 2 %
     * criterion it exceeds.
     */
    String joulesPerImageHalfWidthText() {
        return String.format(Locale.ROOT, "±%.1f %%", Math.ceil(joulesPerImageHalfWidth() * 1000 - 1e-9) / 10);
    }

    /** The group whose best batch is marked: GPU, model and engine. */
    String configuration() {
        return gpu + "\u0000" + model + "\u0000" + engine;
    }

    /** What two files must not both contribute to a plot: GPU, model, engine and batch size. */
    String point() {
        return configuration() + "\u0000" + batch;
    }

    /** "model / engine / batch N", for lines of text. */
    String name() {
        return model + " / " + engine + " / batch " + batch;
    }

    Row with(boolean plotted, boolean best) {
        return new Row(gpu, gpuUuid, model, engine, batch, imgPerSec, imgPerSecLo, imgPerSecHi, joulesPerImage,
                joulesPerImageLo, joulesPerImageHi, netJoulesPerImage, averageWatts, gpuBusyPercent, limitPercent,
                powerLimitW, precision, tf32, source, iterations, windows, energyIterations, energyUnknownIterations, plotted, best);
    }
}
