package gpuenergy.overhead;

import org.apache.commons.math3.distribution.NormalDistribution;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * The two-sided Mann-Whitney U test (Wilcoxon rank-sum) of two independent samples: how likely a rank sum at least as
 * far from its mean is where both samples come from one spread.
 *
 * <p>Up to {@link #EXACT_MAX_PER_SIDE} values a side the p is that of the exact permutation distribution: every way of
 * splitting the pooled ranks into the two sides' sizes is equally likely, ties taking their midranks. The normal
 * approximation is far off there (3 against 3 values, fully apart: 0.0495 where the exact p is 0.1), and the overhead
 * table compares a handful of runs a side. Above, the count of splits grows past what is worth enumerating, and the
 * normal approximation with the tie and continuity corrections is close.
 */
final class MannWhitney {
    /** The most values a side whose p is exact (R's wilcox.test takes the exact distribution under 50 a side too). */
    static final int EXACT_MAX_PER_SIDE = 50;

    private MannWhitney() {}

    /** The two-sided p of {@code a} against {@code b}; 1 where every value is the same. */
    static double twoSidedP(double[] a, double[] b) {
        if (a.length == 0 || b.length == 0) {
            throw new IllegalArgumentException("Mann-Whitney: a side has no value");
        }
        // the smaller side's rank sum: the larger one's is the total less it, as far from its mean
        double[] small = a.length <= b.length ? a : b;
        double[] large = small == a ? b : a;
        double[] pooled = new double[small.length + large.length];
        System.arraycopy(small, 0, pooled, 0, small.length);
        System.arraycopy(large, 0, pooled, small.length, large.length);
        Ranks ranks = Ranks.of(pooled);
        return large.length <= EXACT_MAX_PER_SIDE ? exactP(ranks.doubled(), small.length)
                : normalP(ranks, small.length);
    }

    /**
     * The pooled values' ranks.
     *
     * @param doubled twice each value's midrank (ranks 1 to n, ties sharing their mean): whole numbers, so that sums of
     *                ranks compare exactly
     * @param ties    the sum of t^3 - t over the groups of t equal values, by which ties narrow U's spread
     */
    private record Ranks(long[] doubled, double ties) {
        static Ranks of(double[] values) {
            Integer[] order = IntStream.range(0, values.length).boxed().toArray(Integer[]::new);
            Arrays.sort(order, Comparator.comparingDouble(i -> values[i]));
            long[] doubled = new long[values.length];
            double ties = 0;
            for (int from = 0, to; from < order.length; from = to) {
                to = from + 1;
                while (to < order.length && Double.compare(values[order[to]], values[order[from]]) == 0) {
                    to++;
                }
                for (int k = from; k < to; k++) {
                    doubled[order[k]] = (from + 1) + to; // the mean of ranks from + 1 to 'to', doubled
                }
                double t = to - from;
                ties += t * t * t - t;
            }
            return new Ranks(doubled, ties);
        }
    }

    /**
     * The share of the splits of {@code ranks} into {@code n1} and the rest whose first part's sum lies at least as far
     * from its mean as that of the first {@code n1} ranks (the first side's): counted by sum, one rank at a time.
     */
    private static double exactP(long[] ranks, int n1) {
        long observed = 0;
        long maxSum = 0;
        for (int i = 0; i < ranks.length; i++) {
            observed += i < n1 ? ranks[i] : 0;
            maxSum += ranks[i];
        }
        long mean = (long) n1 * (ranks.length + 1); // n1 (n + 1) / 2, doubled
        // ways[k][s]: how many k of the ranks so far sum to s (doubles: the counts pass 2^63 from 34 a side)
        double[][] ways = new double[n1 + 1][(int) maxSum + 1];
        ways[0][0] = 1;
        long reached = 0;
        for (int i = 0; i < ranks.length; i++) {
            int r = (int) ranks[i];
            reached += r;
            for (int k = Math.min(i + 1, n1); k >= 1; k--) {
                double[] to = ways[k];
                double[] from = ways[k - 1];
                for (int s = (int) reached; s >= r; s--) {
                    to[s] += from[s - r];
                }
            }
        }
        long distance = Math.abs(observed - mean);
        double extreme = 0;
        double all = 0;
        for (int s = 0; s <= maxSum; s++) {
            all += ways[n1][s];
            extreme += Math.abs(s - mean) >= distance ? ways[n1][s] : 0;
        }
        return Math.min(1, extreme / all);
    }

    /** The normal approximation of U's distribution, its variance less for the ties, with a continuity correction. */
    private static double normalP(Ranks ranks, int n1) {
        double n = ranks.doubled().length;
        double n2 = n - n1;
        double rankSum = 0;
        for (int i = 0; i < n1; i++) {
            rankSum += ranks.doubled()[i] / 2.0;
        }
        double u = rankSum - n1 * (n1 + 1) / 2.0;
        double variance = n1 * n2 / 12.0 * ((n + 1) - ranks.ties() / (n * (n - 1)));
        if (variance <= 0) {
            return 1; // every value the same
        }
        double z = Math.max(0, Math.abs(u - n1 * n2 / 2.0) - 0.5) / Math.sqrt(variance);
        return Math.min(1, 2 * new NormalDistribution().cumulativeProbability(-z));
    }
}
