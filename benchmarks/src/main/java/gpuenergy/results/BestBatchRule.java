package gpuenergy.results;

import gpuenergy.profile.EnergyLabels;

import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Which batch size of one model and engine is the best: the lowest J/img among those whose energy was measured, the
 * higher img/s breaking a tie; where none has a J/img, the highest img/s, which its note says ({@link #rankedByImgPerSec}).
 * The sweep's summary and the report both pick it this way.
 */
public final class BestBatchRule {
    private BestBatchRule() {}

    /** Why no J/img: results of the CPU, where no energy is measured (and the energy profiler does not load). */
    public static final String ON_CPU = "measured on the CPU";

    /** Why no J/img: the energy profiler did not run (no energy metrics). */
    public static final String NO_PROFILER = "not run with the energy profiler";

    /** Why no J/img: the energy profiler ran and reported it unknown (NaN) in some iteration, so for the run. */
    public static final String NOT_MEASURABLE = "the energy profiler could not measure it";

    /**
     * Why results have no J/img, for the sweep's summary and the report alike: {@link #ON_CPU} where all ran on the CPU;
     * else {@link #NOT_MEASURABLE} where the profiler reported an unknown J/img for any of them, which running it again
     * does not remedy; else {@link #NO_PROFILER}.
     */
    public static String whyNoJoulesPerImage(boolean allOnCpu, boolean anyJoulesPerImageUnknown) {
        return allOnCpu ? ON_CPU : anyJoulesPerImageUnknown ? NOT_MEASURABLE : NO_PROFILER;
    }

    /**
     * The index of the best of these measurements (NaN where unknown): the lowest J/img; where none has one, the
     * highest img/s. -1 when there are none, or none has a J/img nor an img/s.
     */
    public static <T> int best(List<T> measured, ToDoubleFunction<T> joulesPerImage, ToDoubleFunction<T> imagesPerSecond) {
        int best = -1;
        for (int i = 0; i < measured.size(); i++) {
            double j = joulesPerImage.applyAsDouble(measured.get(i));
            if (!Double.isFinite(j)) {
                continue;
            }
            if (best < 0) {
                best = i;
                continue;
            }
            double b = joulesPerImage.applyAsDouble(measured.get(best));
            if (j < b || j == b && imagesPerSecond.applyAsDouble(measured.get(i)) > imagesPerSecond.applyAsDouble(measured.get(best))) {
                best = i;
            }
        }
        if (best >= 0) {
            return best;
        }
        for (int i = 0; i < measured.size(); i++) {
            double rate = imagesPerSecond.applyAsDouble(measured.get(i));
            if (Double.isFinite(rate) && (best < 0 || rate > imagesPerSecond.applyAsDouble(measured.get(best)))) {
                best = i;
            }
        }
        return best;
    }

    /** The note of a best batch chosen by img/s, none having a J/img; why: {@link #whyNoJoulesPerImage}. */
    public static String rankedByImgPerSec(String why) {
        return "no energy measured (no " + EnergyLabels.J_PER_IMG + "; " + why + "): ranked by img/s";
    }
}
