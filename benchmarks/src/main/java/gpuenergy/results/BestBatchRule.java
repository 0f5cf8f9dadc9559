package gpuenergy.results;

import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Which batch size of one model and engine is the best: the lowest J/img among those whose energy was measured, the
 * higher img/s breaking a tie. The sweep's summary and the report both pick it this way.
 */
public final class BestBatchRule {
    private BestBatchRule() {}

    /** The index of the best of these measurements; -1 when none has a J/img (NaN where unknown). */
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
        return best;
    }
}
