package gpuenergy.profile;

/**
 * A benchmark's word that its measured work has ended, given first thing in its {@code @TearDown}: JMH runs a
 * benchmark's trial teardown inside the last iteration, after its own timing has stopped and before the profilers'
 * {@code afterIteration}, so without the word the last window also holds the teardown (freeing a model's device memory,
 * at less power than the work), which lowers that window's average power and J/img. With it the window ends where the
 * teardown begins, and the sampler reads fast from there, as it does from a window's close, so that the counter step
 * after the end is placed as closely. A benchmark that gives no word keeps the window JMH's hooks make.
 */
public final class MeasuredWork {
    /** When the latest word was given, System.nanoTime(); none yet: never inside a window. */
    private static volatile long endedNs = Long.MIN_VALUE;
    /** What the open window's profiler does at the word (its sampler back to fast reads); null between windows. */
    private static volatile Runnable onEnded;

    private MeasuredWork() {}

    /** Says that the measured work has ended now: call it first in each {@code @TearDown} of a measured benchmark. */
    public static void ended() {
        endedNs = System.nanoTime();
        Runnable r = onEnded;
        if (r != null) {
            r.run();
        }
    }

    /** What to do at the word while a window is open ({@code r}), or nothing once it has closed (null). */
    static void onEnded(Runnable r) {
        onEnded = r;
    }

    /**
     * The end of the window opened at {@code startNs} and closed at {@code closedNs}: the latest word where it was given
     * between the two (a teardown inside this window), else {@code closedNs} (one from an earlier window or trial says
     * nothing of this one).
     */
    static long windowEnd(long startNs, long closedNs) {
        return windowEnd(startNs, closedNs, endedNs);
    }

    static long windowEnd(long startNs, long closedNs, long wordNs) {
        return wordNs - startNs > 0 && closedNs - wordNs > 0 ? wordNs : closedNs;
    }
}
