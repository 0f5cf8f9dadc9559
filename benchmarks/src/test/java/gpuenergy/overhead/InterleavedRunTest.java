package gpuenergy.overhead;

import gpuenergy.results.InterleavedRun;
import org.junit.jupiter.api.Test;

import java.util.List;

import static gpuenergy.overhead.MedianRatioTest.abba;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Which windows of an interleaved run pair up: windows (2k, 2k + 1), one of each kind, both known. Paces are powers of
 * 2 times 100, so each pair's log ratio is a whole multiple of log 2, and the Hodges-Lehmann estimates are by hand.
 */
class InterleavedRunTest {
    private static final double LOG2 = Math.log(2);
    private static final double NAN = Double.NaN;

    /** The run's {@link gpuenergy.profile.EnergyLabels#SAMPLED} values must be one 0, 1 or NaN a window. */
    @Test
    void theSampledValuesAreOneZeroOneOrNaNAWindow() {
        assertNull(InterleavedRun.of(new double[] {1, 2, 3}, new double[] {0, 1, 0.5}), "not a 0 or 1");
        assertNull(InterleavedRun.of(new double[] {1, 2, 3}, new double[] {0, 1}), "fewer than the windows");
        InterleavedRun notParked = InterleavedRun.of(new double[] {1, 2, 3, 4}, new double[] {0, 1, NAN, 0});
        assertArrayEquals(new double[] {1, 4}, notParked.ofKind(InterleavedRun.SAT_OUT), "a window of neither kind is in neither");
        assertArrayEquals(new double[] {2}, notParked.ofKind(InterleavedRun.SAMPLED));
        InterleavedRun whole = InterleavedRun.of(new double[] {1, 2, 3, 4}, new double[] {0, 1, 1, 0});
        assertArrayEquals(new double[] {1, 4}, whole.ofKind(InterleavedRun.SAT_OUT));
        assertArrayEquals(new double[] {2, 3}, whole.ofKind(InterleavedRun.SAMPLED));
    }

    /**
     * A pair of two windows of one kind is dropped: windows 2 and 3 both sampled leave pairs 0 and 2, log ratios 1 and 3
     * (x log 2), whose Walsh averages 1, 2, 3 have the median 2.
     */
    @Test
    void aPairOfOneKindIsDropped() {
        InterleavedRun run = new InterleavedRun(new double[] {100, 200, 400, 400, 100, 800}, new double[] {0, 1, 1, 1, 0, 1});
        assertArrayEquals(new double[] {LOG2, 3 * LOG2}, run.pairLogRatios(), 1e-15);
        assertEquals(2 * LOG2, MedianRatio.runLogRatio(run), 1e-15);
    }

    /**
     * A window whose sampled value is NaN (the sampler did not park in time) or whose pace is unknown drops its pair:
     * of the pairs 0, 1 (NaN kind), 2, 3 (NaN pace) the log ratios 0 and 2 (x log 2) stay, Walsh averages 0, 1, 2, HL 1.
     */
    @Test
    void aWindowOfNeitherKindOrUnknownPaceDropsItsPair() {
        InterleavedRun run = new InterleavedRun(new double[] {100, 100, 800, 100, 100, 400, NAN, 100},
                new double[] {0, 1, 1, NAN, 0, 1, 1, 0});
        assertArrayEquals(new double[] {0, 2 * LOG2}, run.pairLogRatios(), 1e-15);
        assertEquals(LOG2, MedianRatio.runLogRatio(run), 1e-15);
        assertArrayEquals(new double[] {100, 100, 100}, run.ofKind(InterleavedRun.SAT_OUT), "the kinds keep their windows");
        assertArrayEquals(new double[0], abba(100, 0).pairLogRatios(), "a pace of 0 is no pace");
    }

    /**
     * An incomplete last block: 7 windows (ABBA ABB) hold the pairs (0, 1), (2, 3), (4, 5), and window 6 stays alone;
     * log ratios 1, -1, 4 (x log 2): Walsh averages 1, 0, 2.5, -1, 1.5, 4, median (1 + 1.5) / 2 = 1.25. With 6 windows
     * the same three pairs.
     */
    @Test
    void anIncompleteLastBlockKeepsItsWholePairs() {
        InterleavedRun seven = abba(100, 200, 100, 200, 100, 1600, 6400);
        assertArrayEquals(new double[] {LOG2, -LOG2, 4 * LOG2}, seven.pairLogRatios(), 1e-15);
        assertEquals(1.25 * LOG2, MedianRatio.runLogRatio(seven), 1e-15);
        InterleavedRun six = abba(100, 200, 100, 200, 100, 1600);
        assertArrayEquals(seven.pairLogRatios(), six.pairLogRatios(), 0);
        assertEquals(List.of(4, 3), List.of(seven.ofKind(InterleavedRun.SAMPLED).length, seven.ofKind(InterleavedRun.SAT_OUT).length));
    }
}
