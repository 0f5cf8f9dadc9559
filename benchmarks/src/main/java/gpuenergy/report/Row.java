package gpuenergy.report;

import gpuenergy.results.BenchmarkResult;
import gpuenergy.results.Metric;

/**
 * One line of the summary: a (GPU, model, engine, batch size) measurement from one result file. Energy fields
 * are NaN when the result has no energy metrics. Intervals are JMH's 99.9 % confidence intervals of the score.
 *
 * @param source  the result file it comes from, as the report names it
 * @param plotted false for a duplicate: the same (GPU, model, engine, batch) from a file given earlier is plotted
 * @param best    the lowest J/img of the plotted rows of its GPU, model and engine
 * @param energyIterations iterations with an energy value; fewer than {@code iterations} when some had none
 */
public record Row(String gpu, String model, String engine, int batch,
                  double imgPerSec, double imgPerSecLo, double imgPerSecHi,
                  double joulesPerImage, double joulesPerImageLo, double joulesPerImageHi,
                  double netJoulesPerImage, double averageWatts, double limitPercent,
                  double powerLimitW, boolean tf32, String source, int iterations, int energyIterations,
                  boolean plotted, boolean best) {

    static Row of(BenchmarkResult r, String source) {
        Metric img = r.imagesPerSecond();
        Metric j = r.secondary().get(BenchmarkResult.ENERGY_J_PER_IMG);
        return new Row(r.environment().getOrDefault("gpu.name", ""), r.param("model"), r.param("engine"), r.batchSize(),
                img.score(), img.lo(), img.hi(),
                j == null ? Double.NaN : j.score(), j == null ? Double.NaN : j.lo(), j == null ? Double.NaN : j.hi(),
                r.secondaryScore(BenchmarkResult.ENERGY_NET_J_PER_IMG), r.secondaryScore(BenchmarkResult.ENERGY_AVG_W),
                r.secondaryScore(BenchmarkResult.ENERGY_LIMIT_PCT), r.environmentNumber("gpu.power_limit_w"),
                !"false".equalsIgnoreCase(r.environment().getOrDefault("tf32", "")), source,
                img.samples().length, j == null ? 0 : j.samples().length, true, false);
    }

    boolean hasEnergy() {
        return !Double.isNaN(joulesPerImage);
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
        return new Row(gpu, model, engine, batch, imgPerSec, imgPerSecLo, imgPerSecHi, joulesPerImage,
                joulesPerImageLo, joulesPerImageHi, netJoulesPerImage, averageWatts, limitPercent, powerLimitW, tf32,
                source, iterations, energyIterations, plotted, best);
    }
}
