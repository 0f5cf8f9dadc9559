package gpuenergy.engine;

/**
 * Frees a session's native resources one after another. One VM fork runs several trials (and with -f 0 the whole run):
 * a free that fails must not keep the ones after it from running, or their device memory and CUDA context stay held
 * for every later trial of that VM.
 */
public final class Releases {
    private Releases() {
    }

    /**
     * Runs every release in order, each whatever the ones before it threw (an Error too: a full heap, a lost native
     * library), then throws the first failure with the later ones suppressed in it.
     */
    public static void all(Runnable... releases) {
        Throwable first = null;
        for (Runnable release : releases) {
            try {
                release.run();
            } catch (Throwable t) {
                first = told(first, t);
            }
        }
        if (first instanceof RuntimeException e) {
            throw e;
        }
        if (first instanceof Error e) {
            throw e;
        }
        if (first != null) { // a checked exception that native code or a sneaky throw got past Runnable
            throw new IllegalStateException(first);
        }
    }

    /**
     * Runs {@code close} after {@code failure} ended a session's setup: a close that fails too is told beside the
     * failure (suppressed in it), not in its place.
     */
    public static void closeAfter(Throwable failure, Runnable close) {
        try {
            close.run();
        } catch (Throwable closing) {
            told(failure, closing);
        }
    }

    /**
     * {@code later} suppressed in {@code first}, or {@code later} where there is no first. The same instance twice (the
     * VM throws one preallocated OutOfMemoryError once its others are spent) is told once: a Throwable cannot suppress
     * itself.
     */
    private static Throwable told(Throwable first, Throwable later) {
        if (first == null) {
            return later;
        }
        if (later != first) {
            first.addSuppressed(later);
        }
        return first;
    }
}
