package gpuenergy.profile;

/**
 * What a trial knows before its measured windows, and every window's figures use.
 *
 * @param imagesPerOp the batch size (the benchmark's batchParam; 1 without one)
 * @param idleWatts   the idle baseline, NaN when not measured
 * @param limitWatts  the GPU's enforced power limit
 */
record TrialFacts(int imagesPerOp, double idleWatts, double limitWatts) {

    TrialFacts withIdleWatts(double watts) {
        return new TrialFacts(imagesPerOp, watts, limitWatts);
    }
}
