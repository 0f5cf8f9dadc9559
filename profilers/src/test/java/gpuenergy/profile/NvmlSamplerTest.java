package gpuenergy.profile;

import gpuenergy.nvml.FakeNvml;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sampler's thread on a fake GPU whose counter steps every 100 ms: how it reads around and inside lean windows. */
class NvmlSamplerTest {
    private static final long MS = 1_000_000L;

    @Test
    void leanWindowsAreReadSlowlyAfterTheirFirstStepAndFastAgainAtOnceWhenClosed() {
        NvmlSampler sampler = new NvmlSampler(FakeNvml.device(), 500);
        sampler.start();
        try {
            assertTrue(sampler.awaitEdgeAtOrAfter(Long.MIN_VALUE + 1, TimeUnit.SECONDS.toNanos(2)), "the fake counter steps");
            // windows of several lengths, so that they close at different phases of the 90 ms slow period
            for (long length : new long[]{613 * MS, 577 * MS, 541 * MS, 505 * MS, 469 * MS}) {
                long t0 = System.nanoTime();
                sampler.windowOpened(t0, true);
                sleep(length);
                long t1 = System.nanoTime();
                sampler.windowClosed();
                assertTrue(sampler.awaitEdgeAtOrAfter(t1, 500 * MS), "an edge after the window");
                sleep(100 * MS);
                long[] t = sampler.counter().tNs();
                long[] mj = sampler.counter().energyMj();
                int firstChange = -1, afterClose = -1;
                for (int i = 1; i < t.length; i++) {
                    if (firstChange < 0 && t[i] > t0 && t[i] < t1 && mj[i] != mj[i - 1] && t[i - 1] + (t[i] - t[i - 1]) / 2 > t0) {
                        firstChange = i;
                    }
                    if (afterClose < 0 && t[i] >= t1) {
                        afterClose = i;
                    }
                }
                assertTrue(firstChange > 0, "no step inside a " + length / MS + " ms window");
                assertTrue(t[firstChange] - t[firstChange - 1] < 20 * MS, "edge a+1 read slowly: "
                        + (t[firstChange] - t[firstChange - 1]) / MS + " ms between its reads");
                // until edge a+1 (at most ~100 ms) fast, then one read per 90 ms: far below the fast 500 a second
                long slowPart = t1 - t[firstChange];
                int slowReads = 0;
                for (int i = firstChange + 1; i < t.length && t[i] < t1; i++) {
                    slowReads++;
                }
                assertTrue(slowReads <= slowPart / Sampling.IN_WINDOW_PERIOD_NS + 1, slowReads + " reads in the "
                        + slowPart / MS + " ms after the first step: not slow");
                assertTrue(slowReads >= slowPart / (2 * Sampling.IN_WINDOW_PERIOD_NS), "only " + slowReads + " reads in "
                        + slowPart / MS + " ms");
                // the close wakes the sampler: without it the next read would come up to 90 ms later
                assertTrue(t[afterClose] - t1 < 30 * MS, "first read " + (t[afterClose] - t1) / MS + " ms after the close");
                int fastAfter = 0;
                for (int i = afterClose; i < t.length; i++) {
                    fastAfter += t[i] - t1 <= 100 * MS ? 1 : 0;
                }
                assertTrue(fastAfter >= 10, fastAfter + " reads in the 100 ms after the close: not fast");
                sampler.forgetBefore(System.nanoTime());
            }
            assertTrue(sampler.fastReadsPerSecond() > 100, "fast reads at " + sampler.fastReadsPerSecond() + " a second");
            sampler.checkHealthy();
        } finally {
            sampler.shutdown();
        }
    }

    @Test
    void aWindowNotToBeReadSlowlyIsReadFast() {
        NvmlSampler sampler = new NvmlSampler(FakeNvml.device(), 500);
        sampler.start();
        try {
            assertTrue(sampler.awaitEdgeAtOrAfter(Long.MIN_VALUE + 1, TimeUnit.SECONDS.toNanos(2)));
            long t0 = System.nanoTime();
            sampler.windowOpened(t0, false);
            sleep(400 * MS);
            long t1 = System.nanoTime();
            sampler.windowClosed();
            int inside = 0;
            for (long t : sampler.counter().tNs()) {
                inside += t > t0 && t < t1 ? 1 : 0;
            }
            assertTrue(inside >= 40, inside + " reads in 400 ms");
        } finally {
            sampler.shutdown();
        }
    }

    private static void sleep(long ns) {
        long end = System.nanoTime() + ns;
        for (long left = ns; left > 0; left = end - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }
}
