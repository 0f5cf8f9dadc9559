package gpuenergy.run;

import gpuenergy.results.FileLocks;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.BooleanSupplier;

/**
 * JMH's lock, one benchmark run per host (java.io.tmpdir/jmh.lock, unless -Djmh.ignoreLock=true): a sweep or overhead
 * whose run JMH refused because another run holds it waits for it instead of stopping, so that commands sharing a host
 * without GPUs of their own (Slurm tasks of a CPU-only cluster on one node) take turns, each run measured alone. The
 * wait looks at the lock every {@link #SLICE_MILLIS} and ends where the caller's {@code stop} says so (a sweep's
 * --stop-after: a run on the host that outlasts the sweep's limit leaves the configuration to --resume, rather than
 * holding the sweep, and its GPU and directory locks, past it).
 */
public final class HostLock {
    /** How often a waiting command looks at the lock again, and at its {@code stop}. */
    public static final long SLICE_MILLIS = 500;
    /** How long to wait before JMH asks again where tmpdir's file system does not lock (nothing to wait on here). */
    private static final long UNLOCKED_PAUSE_MILLIS = 1000;

    private HostLock() {}

    /** JMH's lock file, where JMH 1.37 puts it. */
    public static Path file() {
        return Path.of(System.getProperty("java.io.tmpdir"), "jmh.lock");
    }

    /** What a waiting command's line says of the wait, after the run's name. */
    public static String waiting() {
        return "waiting for JMH's lock (" + file() + "): another JMH run on this host is measuring";
    }

    /**
     * Waits until JMH's lock is free (taken and let go at once: JMH takes it itself as the run starts, and where another
     * run is quicker the caller waits again), or until {@code stop} ends the wait.
     *
     * @param out  where {@code line} is said as the wait starts, null to say nothing (the caller said it already)
     * @param stop asked every {@link #SLICE_MILLIS} while the lock is held: true ends the wait
     * @return true when the lock is free; false when {@code stop} ended the wait (the caller says so)
     */
    public static boolean awaitFree(PrintStream out, String line, BooleanSupplier stop) throws IOException {
        Path file = file();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            file.toFile().setWritable(true, false); // as JMH leaves it: another user's runs take the lock too
            if (out != null) {
                out.println(line);
            }
            while (true) {
                FileLocks.Attempt attempt = FileLocks.tryLockIfPossible(ch);
                if (attempt.lock() != null) {
                    attempt.lock().release();
                    return true;
                }
                if (stop.getAsBoolean()) {
                    return false;
                }
                if (!attempt.supported()) {
                    pause(UNLOCKED_PAUSE_MILLIS); // tmpdir's file system does not lock: JMH is asked again in a while
                    return true;
                }
                pause(SLICE_MILLIS);
            }
        }
    }

    private static void pause(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for JMH's lock", e);
        }
    }
}
