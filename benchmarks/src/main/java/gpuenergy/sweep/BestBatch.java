package gpuenergy.sweep;

import gpuenergy.profile.EnergyLabels;

import java.util.Comparator;
import java.util.List;

/**
 * The best batch size of one model and engine: the lowest energy per image (energy.J/img). Without
 * energy figures for every measured batch it ranks by images per second instead, and says so.
 */
record BestBatch(Measurement best, boolean byEnergy, String note) {

    static BestBatch choose(List<Measurement> measured) {
        if (measured.isEmpty()) {
            return null;
        }
        long withEnergy = measured.stream().filter(Measurement::hasEnergy).count();
        if (withEnergy == measured.size()) {
            Measurement best = measured.stream()
                    .min(Comparator.comparingDouble(Measurement::jPerImg)
                            .thenComparing(Comparator.comparingDouble(Measurement::imagesPerSecond).reversed()))
                    .orElseThrow();
            return new BestBatch(best, true, "lowest " + EnergyLabels.J_PER_IMG);
        }
        Measurement best = measured.stream()
                .max(Comparator.comparingDouble(Measurement::imagesPerSecond))
                .orElseThrow();
        String note = withEnergy == 0
                ? "no energy measured (no " + EnergyLabels.J_PER_IMG + "; run with the energy profiler): ranked by img/s"
                : "energy measured for only " + withEnergy + " of " + measured.size() + " batch sizes: ranked by img/s";
        return new BestBatch(best, false, note);
    }
}
