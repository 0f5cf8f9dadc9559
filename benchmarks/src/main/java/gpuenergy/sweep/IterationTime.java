package gpuenergy.sweep;

/**
 * How long each measured iteration must run so that it holds at least the protocol's number of batches
 * (the paper: >= 13 batches and >= 10 s per measured run).
 *
 * JMH's throughput score is batches per second of an iteration; an iteration configured for T seconds
 * runs at least T, so score x T is a lower bound on the batches it held.
 */
final class IterationTime {
    /** Head room over the predicted need, for run-to-run noise. */
    static final double MARGIN = 1.2;

    /**
     * The longest measured iteration, in seconds (a day): the most --min-seconds takes, and the most a sweep derives
     * from --min-batches. A configuration whose iterations would last longer is not started
     * ({@link #tooLong}): at five seconds a batch, 72000 batches would take five days an iteration.
     */
    static final int MAX_SECONDS = 86_400;

    /**
     * The most batches --min-batches asks of an iteration: an iteration lasts {@link #MARGIN} x that many batch times,
     * and at one batch per second (a large model's large batch takes that long and more) 72000 batches fill
     * {@link #MAX_SECONDS}. Where batches take milliseconds (batch 1) it still allows minutes-long iterations.
     */
    static final int MAX_MIN_BATCHES = 72_000;

    private IterationTime() {}

    /**
     * Iteration time for {@code batch}, predicted from the previous rung's measured rate. The prediction
     * assumes images per second do not improve with the larger batch (they usually do), so it errs long.
     *
     * @param prevBatchesPerSecond the previous rung's slowest iteration, batches/s; NaN or <= 0 when unknown
     */
    static long chooseMillis(long minMillis, int minBatches, double prevBatchesPerSecond, int prevBatch, int batch) {
        if (!(prevBatchesPerSecond > 0) || prevBatch <= 0) {
            return minMillis;
        }
        double predictedBatchesPerSecond = prevBatchesPerSecond * prevBatch / batch;
        return Math.max(minMillis, neededMillis(minBatches, predictedBatchesPerSecond));
    }

    /** Batches a measured iteration held at least: the slowest iteration's rate times the configured time. */
    static double batchesPerIteration(double slowestBatchesPerSecond, long iterationMillis) {
        return slowestBatchesPerSecond * iterationMillis / 1000.0;
    }

    static boolean enough(double slowestBatchesPerSecond, long iterationMillis, int minBatches) {
        // a tiny tolerance: 13 batches in exactly the configured time must not count as 12.999...
        return batchesPerIteration(slowestBatchesPerSecond, iterationMillis) >= minBatches - 1e-9;
    }

    /** Iteration time for a re-run after a run whose slowest iteration held too few batches. */
    static long rerunMillis(long minMillis, int minBatches, double slowestBatchesPerSecond, long lastMillis) {
        long needed = slowestBatchesPerSecond > 0 ? neededMillis(minBatches, slowestBatchesPerSecond) : 2 * lastMillis;
        // always longer than the run that fell short, so repeated re-runs make progress
        return Math.max(Math.max(minMillis, needed), lastMillis + 1);
    }

    /**
     * Why a configuration whose measured iterations would last {@code millis} is not started, in one line; null where
     * they fit within {@link #MAX_SECONDS}.
     */
    static String tooLong(long millis, int minBatches) {
        return millis <= MAX_SECONDS * 1000L ? null : "its measured iterations would last " + SweepOptions.seconds(millis)
                + " s each to hold --min-batches " + minBatches + ", above the " + MAX_SECONDS + " s a sweep's iteration may last";
    }

    private static long neededMillis(int minBatches, double batchesPerSecond) {
        return (long) Math.ceil(minBatches / batchesPerSecond * MARGIN * 1000.0);
    }
}
