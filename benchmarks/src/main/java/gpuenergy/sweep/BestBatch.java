package gpuenergy.sweep;

import gpuenergy.profile.EnergyLabels;
import gpuenergy.results.BestBatchRule;

import java.util.List;

/**
 * The best batch size of one model and engine ({@link BestBatchRule}: the lowest energy per image of the batch sizes
 * whose energy was measured; without any energy figure, the highest images per second, which its note says).
 */
record BestBatch(Measurement best, boolean byEnergy, String note) {

    /** This choice with {@code more} added to its note. */
    BestBatch noted(String more) {
        return new BestBatch(best, byEnergy, note + "; " + more);
    }

    static BestBatch choose(List<Measurement> measured) {
        if (measured.isEmpty()) {
            return null;
        }
        int i = BestBatchRule.best(measured, Measurement::jPerImg, Measurement::imagesPerSecond);
        if (i < 0) {
            return null; // neither a J/img nor an img/s to rank by
        }
        long withEnergy = measured.stream().filter(Measurement::hasEnergy).count();
        if (withEnergy > 0) {
            return new BestBatch(measured.get(i), true, "lowest " + EnergyLabels.J_PER_IMG + (withEnergy == measured.size()
                    ? "" : " of the " + withEnergy + " of " + measured.size() + " batch sizes with energy measured"));
        }
        return new BestBatch(measured.get(i), false, BestBatchRule.rankedByImgPerSec(BestBatchRule.whyNoJoulesPerImage(
                measured.stream().allMatch(Measurement::ranOnCpu), measured.stream().anyMatch(Measurement::jPerImgUnknown))));
    }
}
