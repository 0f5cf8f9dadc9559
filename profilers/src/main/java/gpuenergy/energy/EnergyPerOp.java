package gpuenergy.energy;

/**
 * Joules per operation and per item (image) for one iteration, from the average power over the
 * profiler's window and the rate JMH measured.
 *
 * <p>J/op = W / (ops/s), not E / ops: JMH times its own window, which sits inside the profiler's by a few
 * milliseconds at each end, and counts the ops in it. Dividing a power by JMH's rate pairs two averages over
 * (almost) the same time and makes the reported pair consistent by construction:
 * items/s x J/item = (ops/s x itemsPerOp) x (W / (ops/s) / itemsPerOp) = W, exactly, per iteration. Over several
 * iterations the figures are aggregated by {@link RatioOfSums}, which keeps the identity for what JMH reports.
 *
 * @param averageWatts gross (or, for net figures, gross minus idle) average power, watts
 * @param opsPerSecond operations per second as JMH measured them
 * @param itemsPerOp   images per operation (the benchmark's batch size)
 */
public record EnergyPerOp(double averageWatts, double opsPerSecond, int itemsPerOp) {
    public EnergyPerOp {
        if (!(opsPerSecond > 0) || Double.isInfinite(opsPerSecond)) {
            throw new IllegalArgumentException("ops/s must be positive and finite, got " + opsPerSecond);
        }
        if (itemsPerOp < 1) {
            throw new IllegalArgumentException("items per op must be >= 1, got " + itemsPerOp);
        }
    }

    public double joulesPerOp() {
        return averageWatts / opsPerSecond;
    }

    public double joulesPerItem() {
        return joulesPerOp() / itemsPerOp;
    }

    public double itemsPerSecond() {
        return opsPerSecond * itemsPerOp;
    }

    /** watts as a percent of a power limit. */
    public static double percentOf(double watts, double limitWatts) {
        return 100.0 * watts / limitWatts;
    }
}
