package gpuenergy.overhead;

import java.util.Locale;

/**
 * The coverage figures that {@link MedianRatio#MIN_PAIRED_RUNS_FOR_VERDICT} and docs/overhead.md quote: for 1 to 5
 * runs, how often {@link MedianRatio#pairedRatio}'s 95 % interval holds the true ratio over 1,000 simulated sets
 * ({@link MedianRatioTest#pairedCoverage}, fixed seeds), without a true difference, where the cost is the same in every
 * fork and where it varies from fork to fork. MedianRatioTest asserts a few of them over fewer sets. The command and
 * its output: results/cpu-build-machine/paired-coverage/.
 */
public final class PairedCoverageTable {
    private PairedCoverageTable() {}

    public static void main(String[] args) {
        int sets = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
        // {run level SD, iteration SD, SD of the cost from fork to fork}, all in log
        double[][] settings = {{0.10, 0.005, 0}, {0.30, 0.02, 0}, {0.10, 0.005, 0.005}, {0.10, 0.005, 0.01}};
        System.out.println("runs  level-sd  iteration-sd  cost-sd  coverage (" + sets + " sets)");
        for (int runs = 1; runs <= 5; runs++) {
            for (double[] s : settings) {
                System.out.println(String.format(Locale.ROOT, "%4d  %8.3f  %12.3f  %7.3f  %.3f", runs, s[0], s[1], s[2],
                        MedianRatioTest.pairedCoverage(runs, s[0], s[1], s[2], sets)));
            }
        }
    }
}
