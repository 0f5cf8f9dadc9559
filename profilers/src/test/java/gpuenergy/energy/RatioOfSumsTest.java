package gpuenergy.energy;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The aggregate of J/img over iterations, on recorded H100 iterations of unequal throughput. */
class RatioOfSumsTest {
    private static RecordedIterations recorded() throws IOException {
        return RecordedIterations.load("h100-efficientnet_b0-fp32-b2.csv");
    }

    private static double mean(double[] v) {
        return Arrays.stream(v).average().orElseThrow();
    }

    /** mean rate x ratio of sums = mean power, which the mean of per-iteration J/img misses by 7.9 % here. */
    @Test
    void theRatioMultipliesOutWithTheMeanRateAndTheMeanOfRatiosDoesNot() throws IOException {
        RecordedIterations it = recorded();
        double[] rate = it.imagesPerSecond();
        double r = RatioOfSums.ratio(it.watts(), rate);
        assertEquals(mean(it.watts()), mean(rate) * r, 1e-12 * mean(it.watts()));
        assertEquals(0.28559, r, 5e-6);

        double[] perIteration = new double[it.size()];
        for (int i = 0; i < perIteration.length; i++) {
            perIteration[i] = it.watts()[i] / rate[i];
        }
        double meanOfRatios = mean(perIteration);
        assertEquals(0.30801, meanOfRatios, 5e-6);  // what JMH reported for this trial by averaging iterations
        assertEquals(1.0785, mean(rate) * meanOfRatios / mean(it.watts()), 1e-4);
    }

    /** The linearised values have the ratio as their mean and its textbook standard error as theirs. */
    @Test
    void linearizedValuesCarryTheRatiosStandardError() throws IOException {
        RecordedIterations it = recorded();
        double[] rate = it.imagesPerSecond();
        double r = RatioOfSums.ratio(it.watts(), rate);
        double[] z = RatioOfSums.linearized(it.watts(), rate);
        int n = z.length;
        assertEquals(r, mean(z), 1e-15);
        double ss = 0;
        for (int i = 0; i < n; i++) {
            ss += Math.pow(it.watts()[i] - r * rate[i], 2);
        }
        double textbook = Math.sqrt(ss / (n - 1) / n) / mean(rate);  // ratio estimator, first order
        double zss = Arrays.stream(z).map(x -> (x - r) * (x - r)).sum();
        assertEquals(textbook, Math.sqrt(zss / (n - 1) / n), 1e-15);
    }

    /** A result file holds J/img per iteration and the rate in batches (not images) per second: same aggregate. */
    @Test
    void theRatesUnitDoesNotMatter() throws IOException {
        RecordedIterations it = recorded();
        double[] img = it.imagesPerSecond();
        double[] perIteration = new double[it.size()];
        for (int i = 0; i < perIteration.length; i++) {
            perIteration[i] = it.watts()[i] / img[i];
        }
        double[] batches = it.batchesPerSecond();
        double fromFile = RatioOfSums.ratio(RatioOfSums.numerators(perIteration, batches), batches);
        assertEquals(RatioOfSums.ratio(it.watts(), img), fromFile, 1e-15);
        assertArrayEquals(RatioOfSums.linearized(it.watts(), img),
                RatioOfSums.linearized(RatioOfSums.numerators(perIteration, batches), batches), 1e-15);
    }

    /** Equal rates: the plain mean; one iteration: its own value. */
    @Test
    void equalRatesAndOneIteration() {
        assertEquals(2.0, RatioOfSums.ratio(new double[]{100, 300}, new double[]{100, 100}), 0);
        assertArrayEquals(new double[]{1, 3}, RatioOfSums.linearized(new double[]{100, 300}, new double[]{100, 100}), 1e-15);
        assertArrayEquals(new double[]{0.5}, RatioOfSums.linearized(new double[]{50}, new double[]{100}), 0);
    }

    /** An unknown iteration makes the figure unknown, never a number from the others. */
    @Test
    void nanInNanOut() {
        assertTrue(Double.isNaN(RatioOfSums.ratio(new double[]{100, Double.NaN}, new double[]{100, 100})));
        assertTrue(Double.isNaN(RatioOfSums.ratio(new double[]{100, 100}, new double[]{100, Double.NaN})));
        assertTrue(Double.isNaN(RatioOfSums.ratio(new double[0], new double[0])));
        assertTrue(Arrays.stream(RatioOfSums.linearized(new double[]{100, Double.NaN}, new double[]{1, 1})).allMatch(Double::isNaN));
        assertThrows(IllegalArgumentException.class, () -> RatioOfSums.ratio(new double[1], new double[2]));
    }
}
