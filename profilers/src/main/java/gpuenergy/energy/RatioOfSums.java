package gpuenergy.energy;

/**
 * A per-image figure over several iterations, as JMH reports it: each iteration gives a numerator (its average power)
 * and a denominator (its rate, JMH's score); the figure over the iterations is the sum of the numerators over the sum
 * of the denominators. JMH's throughput score is the mean of the iterations' rates, so every iteration counts for the
 * same length of time: the ratio of sums is then total energy over total images, and (mean rate) x (ratio of sums) =
 * mean power exactly, which is the reported avg-W. The mean of per-iteration ratios is not: it gives the slow
 * iterations, where J/img is high, the weight of the fast ones.
 *
 * <p>Its interval comes from the usual linearisation of a ratio estimator (first-order Taylor expansion around the
 * ratio R): per iteration z = R + (numerator - R x denominator) / mean denominator. The mean of the z is R and their
 * standard error of the mean is R's, so any code that puts a Student t interval around the mean of per-iteration
 * values (JMH's statistics, compare's Welch interval) gives R's interval when handed the z.
 */
public final class RatioOfSums {
    private RatioOfSums() {}

    /** sum of numerators / sum of denominators; NaN when any value is NaN or there are none. */
    public static double ratio(double[] numerators, double[] denominators) {
        check(numerators, denominators);
        return sum(numerators) / sum(denominators);
    }

    /** The iterations' values linearised around the ratio (see the class comment); NaN where the ratio is NaN. */
    public static double[] linearized(double[] numerators, double[] denominators) {
        double r = ratio(numerators, denominators);
        double meanDenominator = sum(denominators) / denominators.length;
        double[] z = new double[numerators.length];
        for (int i = 0; i < z.length; i++) {
            z[i] = r + (numerators[i] - r * denominators[i]) / meanDenominator;
        }
        return z;
    }

    /**
     * Numerators recovered from per-iteration ratios and their denominators (a result file keeps J/img and the rate
     * per iteration): ratio x denominator. The denominators' unit does not matter to {@link #ratio} or
     * {@link #linearized}, which are the same for denominators scaled by any factor.
     */
    public static double[] numerators(double[] ratios, double[] denominators) {
        check(ratios, denominators);
        double[] n = new double[ratios.length];
        for (int i = 0; i < n.length; i++) {
            n[i] = ratios[i] * denominators[i];
        }
        return n;
    }

    private static void check(double[] a, double[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException(a.length + " numerators against " + b.length + " denominators");
        }
    }

    private static double sum(double[] v) {
        double s = v.length == 0 ? Double.NaN : 0;
        for (double x : v) {
            s += x;
        }
        return s;
    }
}
