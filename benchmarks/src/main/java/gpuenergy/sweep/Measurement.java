package gpuenergy.sweep;

import gpuenergy.profile.EnergyLabels;
import gpuenergy.profile.EnvironmentKeys;
import gpuenergy.results.BadInputException;
import gpuenergy.results.BenchmarkResult;
import gpuenergy.results.ParamNames;
import gpuenergy.results.ResultFile;
import gpuenergy.results.SweepResults;
import gpuenergy.run.Failure;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * What the sweep needs from one finished configuration's result file (one entry, mode thrpt, score in batches/s):
 * the rate, the slowest iteration, the iteration time and the energy per image.
 *
 * @param slowestBatchesPerSecond the lowest per-iteration score over all forks (JMH's rawData)
 * @param jPerImg                 energy.J/img as report and compare read it, the run's energy over its images
 *                                ({@link BenchmarkResult#perImage}); NaN when the energy profiler did not run, or
 *                                could not measure it ({@code jPerImgUnknown})
 * @param avgW                    energy.avg-W, NaN when absent
 * @param buildSeconds            seconds the engine's build took (engine.build_seconds), NaN for engines that build none
 * @param builtInRun              the run's setup built the engine, or waited for another process's build of it: either
 *                                way its wall time holds a build (engine.cache other than hit)
 * @param ranOnCpu                the run measured the CPU ({@link BenchmarkResult#ranOnCpu}), where no energy is measured
 * @param jPerImgUnknown          the energy profiler ran and reported J/img unknown (NaN) in some iteration
 *                                ({@link BenchmarkResult#joulesPerImageUnknown}), which tells a NaN J/img from an absent one
 */
record Measurement(String model, String engine, int batchSize, double batchesPerSecond,
                   double slowestBatchesPerSecond, long iterationMillis, double jPerImg, double avgW,
                   double buildSeconds, boolean builtInRun, boolean ranOnCpu, boolean jPerImgUnknown) {

    Measurement(String model, String engine, int batchSize, double batchesPerSecond, double slowestBatchesPerSecond,
                long iterationMillis, double jPerImg, double avgW) {
        this(model, engine, batchSize, batchesPerSecond, slowestBatchesPerSecond, iterationMillis, jPerImg, avgW, Double.NaN,
                false, false, false);
    }

    double imagesPerSecond() {
        return batchesPerSecond * batchSize;
    }

    boolean hasEnergy() {
        return Double.isFinite(jPerImg);
    }

    /** Reads and checks a result file ({@link ResultFile#read}); throws with one line naming what is wrong. */
    static Measurement read(Path file) throws BadInputException {
        return read(file, null);
    }

    /** {@link #read(Path)}, and the result must be {@code c}'s (unless null); throws with one line otherwise. */
    static Measurement read(Path file, Configuration c) throws BadInputException {
        List<BenchmarkResult> entries = ResultFile.read(file);
        try {
            if (entries.size() != 1) {
                throw new IllegalArgumentException("expected 1 entry, found " + entries.size());
            }
            String other = c == null ? null
                    : SweepResults.notTheResultOf(file, entries.get(0), c.model(), c.engine(), String.valueOf(c.batch()));
            if (other != null) {
                throw new BadInputException(other);
            }
            return of(entries.get(0));
        } catch (RuntimeException e) {
            throw new BadInputException(file + " is not a one-entry JMH throughput result: " + Failure.oneLine(e.getMessage()));
        }
    }

    private static Measurement of(BenchmarkResult r) {
        if (!r.higherIsBetter()) {
            throw new IllegalArgumentException("mode " + r.mode() + ", expected thrpt");
        }
        if (!"ops/s".equals(r.primary().unit())) {
            throw new IllegalArgumentException("score unit " + r.primary().unit() + ", expected ops/s");
        }
        double slowest = Arrays.stream(r.primary().samples()).min()
                .orElseThrow(() -> new IllegalArgumentException("no measured iterations in rawData"));
        if (r.measurementMillis() < 0) {
            throw new IllegalArgumentException("no measurementTime");
        }
        String cache = r.environment().get(EnvironmentKeys.ENGINE_CACHE);
        return new Measurement(r.param(ParamNames.MODEL), r.param(ParamNames.ENGINE), Integer.parseInt(r.param(ParamNames.BATCH_SIZE)),
                r.primary().score(), slowest, r.measurementMillis(), r.perImageScore(EnergyLabels.J_PER_IMG),
                r.secondaryScore(EnergyLabels.AVG_W), r.environmentNumber(EnvironmentKeys.BUILD_SECONDS),
                cache != null && !cache.equals(EnvironmentKeys.ENGINE_CACHE_HIT), r.ranOnCpu(), r.joulesPerImageUnknown() > 0);
    }
}
