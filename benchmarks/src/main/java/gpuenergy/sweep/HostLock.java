package gpuenergy.sweep;

import gpuenergy.results.FileLocks;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * JMH's lock, one benchmark run per host (java.io.tmpdir/jmh.lock, unless -Djmh.ignoreLock=true): a sweep whose run
 * JMH refused because another run holds it waits for it instead of stopping, so that sweeps sharing a host without
 * GPUs of their own (Slurm tasks of a CPU-only cluster on one node) take turns, each configuration measured alone.
 * The wait looks at the lock every {@link #SLICE_MILLIS} and ends where --stop-after would stop the sweep: a run on the
 * host that outlasts the sweep's limit leaves the configuration to --resume, as a configuration predicted to end too
 * late is left, rather than holding the sweep (and its GPU and directory locks) past it.
 */
final class HostLock {
    /** How often a waiting sweep looks at the lock again, and at --stop-after's limit. */
    static final long SLICE_MILLIS = 500;
    /** How long to wait before JMH asks again where tmpdir's file system does not lock (nothing to wait on here). */
    private static final long UNLOCKED_PAUSE_MILLIS = 1000;

    private HostLock() {}

    /** JMH's lock file, where JMH 1.37 puts it. */
    static Path file() {
        return Path.of(System.getProperty("java.io.tmpdir"), "jmh.lock");
    }

    /**
     * Waits until JMH's lock is free (taken and let go at once: JMH takes it itself as the run starts, and where another
     * run is quicker the caller waits again), or until --stop-after stops the sweep before {@code c}'s run.
     *
     * @param out       where the wait is said, null to say nothing (the caller said it already)
     * @param reRun     the run waiting is a re-run for too few batches
     * @param predicted the run's predicted seconds, for --stop-after
     * @return true when the lock is free; false when --stop-after stopped the sweep (it said so)
     */
    static boolean awaitFree(PrintStream out, Configuration c, StopAfter stopAfter, boolean reRun, double predicted)
            throws IOException {
        Path file = file();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            file.toFile().setWritable(true, false); // as JMH leaves it: another user's runs take the lock too
            if (out != null) {
                out.println("[sweep] " + c + ": waiting for JMH's lock (" + file + "): another JMH run on this host is "
                        + "measuring" + (stopAfter.limited() ? "; --stop-after ends the wait when this configuration "
                        + "could no longer end in time" : "") + "; Ctrl-C or SIGTERM stops the sweep, and --resume "
                        + "continues it");
            }
            while (true) {
                FileLocks.Attempt attempt = FileLocks.tryLockIfPossible(ch);
                if (attempt.lock() != null) {
                    attempt.lock().release();
                    return true;
                }
                if (stopAfter.stopsBefore(c, reRun, predicted)) {
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
