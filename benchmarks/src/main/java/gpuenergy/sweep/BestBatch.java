package gpuenergy.sweep;

import gpuenergy.profile.EnergyLabels;
import gpuenergy.results.BestBatchRule;

import java.util.Comparator;
import java.util.List;

/**
 * The best batch size of one model and engine ({@link BestBatchRule}: the lowest energy per image of the batch sizes
 * whose energy was measured). Without any energy figure it ranks by images per second instead, and says so.
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
        long withEnergy = measured.stream().filter(Measurement::hasEnergy).count();
        if (i >= 0) {
            return new BestBatch(measured.get(i), true, "lowest " + EnergyLabels.J_PER_IMG + (withEnergy == measured.size()
                    ? "" : " of the " + withEnergy + " of " + measured.size() + " batch sizes with energy measured"));
        }
        Measurement best = measured.stream()
                .max(Comparator.comparingDouble(Measurement::imagesPerSecond))
                .orElseThrow();
        // on the CPU no energy is measured, and the energy profiler does not load on a machine without a GPU
        String why = measured.stream().allMatch(Measurement::ranOnCpu) ? "measured on the CPU, where no energy is measured"
                : "run with the energy profiler";
        return new BestBatch(best, false, "no energy measured (no " + EnergyLabels.J_PER_IMG + "; " + why + "): ranked by img/s");
    }
}
