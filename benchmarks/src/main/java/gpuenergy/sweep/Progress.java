package gpuenergy.sweep;

import java.time.Duration;

/**
 * The progress line: which configuration, how much is left as far as known (a ladder may end earlier,
 * at out of memory, so counts and ETA are upper bounds), elapsed time and the ETA from the durations of the runs so far.
 */
final class Progress {
    private final long startNanos;
    // every run so far, not-run ones too: their time is spent all the same
    private double runSeconds;
    private int runs;

    Progress(long startNanos) {
        this.startNanos = startNanos;
    }

    void ran(double seconds) {
        runSeconds += seconds;
        runs++;
    }

    String line(String model, String engine, int batch, int leftInLadder, int leftOverall, long nowNanos) {
        return String.format("[sweep] %s / %s batch %d | %s in this ladder, %s overall | elapsed %s | ETA %s",
                model, engine, batch, upTo(leftInLadder), upTo(leftOverall),
                format(Duration.ofNanos(nowNanos - startNanos)), eta(runSeconds, runs, leftOverall));
    }

    /** Mean duration of the runs so far x configurations left; unknown before the first run ends. */
    static String eta(double runSeconds, int runs, int left) {
        if (runs == 0) {
            return "after the first run";
        }
        double seconds = runSeconds / runs * left;
        return "<= " + format(Duration.ofMillis((long) (seconds * 1000))) + " (" + runs + (runs == 1 ? " run" : " runs")
                + " so far, mean " + format(Duration.ofMillis((long) (runSeconds / runs * 1000))) + ")";
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
