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

    /** Why no J/img: results of the CPU, where no energy is measured. */
    public static final String ON_CPU = "measured on the CPU, where no energy is measured";

    /** Why no J/img: the energy profiler did not run. */
    public static final String NO_PROFILER = "run with the energy profiler";

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

    /** The note of a best batch chosen by img/s, none having a J/img; why: {@link #ON_CPU}, {@link #NO_PROFILER} or another reason. */
    public static String rankedByImgPerSec(String why) {
        return "no energy measured (no " + EnergyLabels.J_PER_IMG + "; " + why + "): ranked by img/s";
    }
}
