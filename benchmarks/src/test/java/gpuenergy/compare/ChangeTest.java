package gpuenergy.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.util.List;

class ChangeTest {

    @Test
    void welchIntervalMatchesScipy() {
        double[] a = {10.0, 11, 9, 10.5, 10.2};
        double[] b = {12.0, 12.5, 11.8, 12.2};
        Change c = Change.of(a, b, 0.999);
        // scipy: d ± t.ppf(0.9995, df) * se with Welch-Satterthwaite df = 5.4898
        assertEquals(-0.32473813908588456, c.lo(), 1e-9);
        assertEquals(4.294738139085883, c.hi(), 1e-9);
        assertEquals(10.14, c.baseMean(), 1e-12);
        assertEquals(12.125, c.candMean(), 1e-12);
        assertEquals((12.125 - 10.14) / 10.14, c.relative(), 1e-12);
    }

    @Test
    void regressionNeedsBothSignificanceAndThreshold() {
        double[] base = {100, 101, 99, 100, 100.5, 99.5};
        // 10 % slower, tight: significant and above 3 % -> regression for throughput (higher is better)
        Change slower = Change.of(base, new double[] {90, 90.5, 89.5, 90, 90.2, 89.8}, 0.999);
        assertTrue(slower.isRegression(true, 0.03));
        assertFalse(slower.isRegression(true, 0.15), "below a 15 % threshold");
        assertTrue(slower.isImprovement(false, 0.03), "the same drop is an improvement for J/img");
        assertEquals("REGRESSION", slower.verdict(true, 0.03));

        // 10 % slower on average but noisy: the interval includes 0 -> not a regression, nor ruled out
        Change noisy = Change.of(base, new double[] {60, 120, 80, 110, 70, 100}, 0.999);
        assertTrue(noisy.lo() < 0 && noisy.hi() > 0);
        assertFalse(noisy.isRegression(true, 0.03));
        assertFalse(noisy.isJudged(true, 0.03));
        assertEquals("not judged: too noisy to rule out a fall over 3.00% (more forks, -f, or iterations, -i, narrow it)", noisy.verdict(true, 0.03));
        assertEquals("not judged: too noisy to rule out a rise over 3.00% (more forks, -f, or iterations, -i, narrow it)", noisy.verdict(false, 0.03));
        // the threshold as given, not rounded to three digits: 2.999 % is not 3.00 %
        assertTrue(noisy.verdict(true, 0.02999).contains("a fall over 2.999% "), noisy.verdict(true, 0.02999));

        // 0.2 % slower, the interval inside +-1 %: no regression over 3 % is possible
        Change quiet = Change.of(base, new double[] {99.8, 100.8, 98.8, 99.8, 100.3, 99.3}, 0.999);
        assertTrue(quiet.lo() < 0 && quiet.hi() > 0 && quiet.relativeLo() > -0.03);
        assertTrue(quiet.isJudged(true, 0.03));
        assertEquals("ok (within noise)", quiet.verdict(true, 0.03));
        assertFalse(quiet.isJudged(true, 0.001), "a fall over 0.1 % is not ruled out");

        // 1 % slower, significant but under the threshold
        double[] tight = {100, 100.1, 99.9, 100, 100.05, 99.95};
        Change small = Change.of(tight, new double[] {99, 99.1, 98.9, 99, 99.05, 98.95}, 0.999);
        assertTrue(small.hi() < 0, "significant");
        assertFalse(small.isRegression(true, 0.03));
        assertEquals("ok (significant, within threshold)", small.verdict(true, 0.03));
        assertTrue(small.isRegression(true, 0.001));

        // 2 % slower, significant, but the interval reaches past 3 %: neither a regression nor ruled out
        Change wide = Change.of(tight, new double[] {98, 97.4, 98.6, 98, 97.5, 98.5}, 0.999);
        assertTrue(wide.hi() < 0 && wide.relative() > -0.03 && wide.relativeLo() < -0.03);
        assertFalse(wide.isRegression(true, 0.03));
        assertFalse(wide.isJudged(true, 0.03));
        assertTrue(wide.verdict(true, 0.03).startsWith("not judged: too noisy"));
        assertTrue(wide.isJudged(false, 0.03), "for a figure where lower is better the fall is ruled in its favour");
        assertTrue(wide.isJudged(true, 0.10));
    }

    @Test
    void constantSamplesGiveAnExactDifference() {
        Change c = Change.of(new double[] {2, 2, 2}, new double[] {3, 3}, 0.999);
        assertEquals(1, c.lo());
        assertEquals(1, c.hi());
        assertTrue(c.isRegression(false, 0.03), "J/img up 50 %, no noise");
    }

    @Test
    void singleSampleCannotBeJudged() {
        Change c = Change.of(new double[] {100}, new double[] {50, 51}, 0.999);
        assertFalse(c.hasInterval());
        assertFalse(c.isRegression(true, 0.03));
        assertTrue(c.verdict(true, 0.03).startsWith("not judged"));
    }

    /**
     * Forks each tight but at its own pace (invented numbers): one fork a side, the 4 % gain is an improvement over its
     * iterations; three forks a side show forks differing by far more, and over forks the gate cannot tell.
     */
    @Test
    void forksAtTheirOwnPaceAreSamplesOfTheirOwn() {
        List<double[]> base = List.of(new double[] {100, 100.1, 99.9}, new double[] {130, 130.1, 129.9},
                new double[] {115, 115.1, 114.9});
        List<double[]> cand = List.of(new double[] {104, 104.1, 103.9}, new double[] {136, 136.1, 135.9},
                new double[] {119.6, 119.7, 119.5});
        Change oneFork = Change.ofForks(base.subList(0, 1), cand.subList(0, 1), 0.999);
        assertFalse(oneFork.overForks());
        assertEquals(Change.of(base.get(0), cand.get(0), 0.999), oneFork, "one fork a side: the iterations are the samples");
        assertEquals("improvement", oneFork.verdict(true, 0.03));
        Change forks = Change.ofForks(base, cand, 0.999);
        assertTrue(forks.overForks());
        assertEquals(115, forks.baseMean(), 1e-9);
        assertEquals("not judged: too noisy to rule out a fall over 3.00% (more forks, -f, or iterations, -i, narrow it)", forks.verdict(true, 0.03));
        // two forks, or forks of unequal length, are not enough: the iterations of all forks are pooled
        assertEquals(Change.of(pooled(base.subList(0, 2)), pooled(cand), 0.999), Change.ofForks(base.subList(0, 2), cand, 0.999));
        assertFalse(Change.ofForks(List.of(base.get(0), base.get(1), new double[] {115, 116}), cand, 0.999).overForks());
        assertFalse(Change.ofForks(List.of(base.get(0), base.get(1), new double[0]), cand, 0.999).overForks());
    }

    private static double[] pooled(List<double[]> forks) {
        return forks.stream().flatMapToDouble(java.util.Arrays::stream).toArray();
    }
}
