package gpuenergy.sweep;

import java.time.Duration;

/**
 * The progress line: which configuration, how much is left as far as known (a ladder may end earlier,
 * at out of memory, so counts and ETA are upper bounds), elapsed time and the ETA from measured durations.
 */
final class Progress {
    private final long startNanos;
    private double measuredSeconds;
    private int measuredRuns;

    Progress(long startNanos) {
        this.startNanos = startNanos;
    }

    void measured(double seconds) {
        measuredSeconds += seconds;
        measuredRuns++;
    }

    String line(String model, String engine, int batch, int leftInLadder, int leftOverall, long nowNanos) {
        return String.format("[sweep] %s / %s batch %d | %s in this ladder, %s overall | elapsed %s | ETA %s",
                model, engine, batch, upTo(leftInLadder), upTo(leftOverall),
                format(Duration.ofNanos(nowNanos - startNanos)), eta(measuredSeconds, measuredRuns, leftOverall));
    }

    /** Mean measured duration x configurations left; unknown before the first measurement. */
    static String eta(double measuredSeconds, int measuredRuns, int left) {
        if (measuredRuns == 0) {
            return "after the first run";
        }
        double seconds = measuredSeconds / measuredRuns * left;
        return "<= " + format(Duration.ofMillis((long) (seconds * 1000)))
                + " (" + measuredRuns + " runs measured, mean " + format(Duration.ofMillis((long) (measuredSeconds / measuredRuns * 1000))) + ")";
    }

    static String format(Duration d) {
        long s = d.getSeconds();
        if (s < 10) {
            return String.format(java.util.Locale.ROOT, "%.1fs", d.toMillis() / 1000.0);
        }
        if (s >= 3600) {
            return String.format("%dh%02dm", s / 3600, (s % 3600) / 60);
        }
        if (s >= 60) {
            return String.format("%dm%02ds", s / 60, s % 60);
        }
        return s + "s";
    }

    private static String upTo(int n) {
        return "<= " + n + (n == 1 ? " run" : " runs") + " left";
    }
}
