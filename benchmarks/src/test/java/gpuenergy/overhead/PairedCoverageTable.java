package gpuenergy.overhead;

import gpuenergy.overhead.MedianRatioTest.Noise;

import java.util.List;
import java.util.Locale;

/**
 * The coverage figures that {@link MedianRatio#MIN_PAIRED_RUNS_FOR_VERDICT} and docs/overhead.md quote: for 1 to 5
 * runs, how often {@link MedianRatio#pairedRatio}'s 95 % interval holds the true ratio over 10,000 simulated sets
 * ({@link MedianRatioTest#pairedCoverage}, fixed seeds), without a true difference, where the cost is the same in every
 * fork, where it varies from fork to fork, and where the runs' pace drifts and some windows are much slower. 10,000
 * sets put a share near 95 % within about ±0.4 % (95 %), fine enough to tell it from 94 %; 1,000 sets would not (±1.4 %).
 * MedianRatioTest asserts a few of them over fewer sets. The command and its output:
 * results/cpu-build-machine/paired-coverage/.
 */
public final class PairedCoverageTable {
    private PairedCoverageTable() {}

    public static void main(String[] args) {
        int sets = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        List<Noise> models = List.of(Noise.of(0.10, 0.005, 0), Noise.of(0.30, 0.02, 0), Noise.of(0.10, 0.005, 0.005),
                Noise.of(0.10, 0.005, 0.01), MedianRatioTest.DRIFT_WITH_SLOW_WINDOWS,
                new Noise(48, 0.10, 0.01, 0.01, 0.03, 0));
        System.out.println("runs  windows  level-sd  window-sd  drift-sd  slow-windows  cost-sd  coverage (" + sets + " sets)");
        for (int runs = 1; runs <= 5; runs++) {
            for (Noise n : models) {
                System.out.println(String.format(Locale.ROOT, "%4d  %7d  %8.3f  %9.3f  %8.3f  %12.3f  %7.3f  %.3f", runs,
                        n.windows(), n.levelSd(), n.windowSd(), n.driftSd(), n.slowWindows(), n.costSd(),
                        MedianRatioTest.pairedCoverage(runs, n, sets)));
            }
        }
    }
}
