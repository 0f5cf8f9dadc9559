package gpuenergy.sweep;

import java.io.PrintStream;
import java.util.Locale;

/**
 * --stop-after: the sweep starts no run predicted to end after its limit, and stops cleanly there, so that a later
 * call with --resume starts that run in time instead of losing it to a kill (a run killed midway loses everything it
 * measured).
 */
final class StopAfter {
    private final long limitMillis;
    private final long startNanos;
    private final PrintStream out;
    private boolean stopped;

    /** @param limitMillis the limit; 0 for none */
    StopAfter(long limitMillis, long startNanos, PrintStream out) {
        this.limitMillis = limitMillis;
        this.startNanos = startNanos;
        this.out = out;
    }

    /**
     * True (and the sweep stops) when a run of {@code c} predicted to take {@code predicted} seconds would end after the
     * limit, before the configuration's first run or before its re-run; asked again while the run waits for JMH's lock
     * or for another sweep's hold on its GPU.
     */
    boolean stopsBefore(Configuration c, boolean reRun, double predicted) {
        if (limitMillis <= 0) {
            return false;
        }
        double left = limitMillis / 1000.0 - (System.nanoTime() - startNanos) / 1e9;
        if (predicted <= left) {
            return false;
        }
        out.printf(Locale.ROOT, "[sweep] stopping: %s%s predicted %.1f s, %.1f s left of --stop-after %s; --resume "
                        + "continues here%n", reRun ? "re-run of " : "", c, predicted, Math.max(0, left),
                SweepOptions.seconds(limitMillis));
        stopped = true;
        return true;
    }

    /** Whether there is a limit. */
    boolean limited() {
        return limitMillis > 0;
    }

    /** The sweep stopped before a run. */
    boolean stopped() {
        return stopped;
    }
}
