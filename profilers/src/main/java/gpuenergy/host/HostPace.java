package gpuenergy.host;

import java.util.Arrays;

/**
 * The host's own pace, timed on the calling thread with nothing of the benchmark in it: a chain of dependent
 * floating-point operations (how fast a core runs: its clock, a busy sibling hyperthread) and a sum over 32 MiB (the
 * memory bandwidth left to this guest). Where the host sets a benchmark's pace (a launch-bound GPU batch, where the CPU
 * queues kernels one by one) and the machine is shared, that pace may move with these; where it moves while they stay,
 * the machine's speed does not explain it. Each figure is the least of three tries, which leaves out an interrupt that
 * lands in one of them. A reading takes about 10 ms of one CPU, and its sum leaves the caches holding the 32 MiB.
 */
public final class HostPace {
    static final int CHAIN_STEPS = 1_000_000;
    /** 32 MiB: beyond the caches of the machines the suite runs on, so that the sum reads memory. */
    static final int SWEPT_LONGS = 4 << 20;
    private static final int TRIES = 3;

    /**
     * @param chainNsPerStep ns per step of the dependent chain
     * @param sweepGbPerS  GB/s of the sum over 32 MiB
     */
    public record Reading(double chainNsPerStep, double sweepGbPerS) {
        /** The mean of two readings: the window between them. */
        public Reading meanWith(Reading other) {
            return new Reading((chainNsPerStep + other.chainNsPerStep) / 2, (sweepGbPerS + other.sweepGbPerS) / 2);
        }
    }

    private final long[] swept = new long[SWEPT_LONGS];
    /** Where the chain's and the sum's results go, so that the JIT cannot drop their loops. */
    private double sink;

    public HostPace() {
        Arrays.setAll(swept, i -> i); // every page touched once here, not in the first reading
    }

    public Reading read() {
        long chain = Long.MAX_VALUE;
        long sweep = Long.MAX_VALUE;
        for (int k = 0; k < TRIES; k++) {
            long t0 = System.nanoTime();
            double x = chain(sink);
            long t1 = System.nanoTime();
            long sum = sum(swept);
            long t2 = System.nanoTime();
            sink = (x + sum) * 1e-30;
            chain = Math.min(chain, t1 - t0);
            sweep = Math.min(sweep, t2 - t1);
        }
        return new Reading((double) chain / CHAIN_STEPS, (double) SWEPT_LONGS * Long.BYTES / sweep);
    }

    private static double chain(double start) {
        double x = 1 + start;
        for (int j = 0; j < CHAIN_STEPS; j++) {
            x = x * 1.0000001 + 1e-9; // each step waits for the last: a core's latency, not its width
        }
        return x;
    }

    private static long sum(long[] values) {
        long s = 0;
        for (long v : values) {
            s += v;
        }
        return s;
    }
}
