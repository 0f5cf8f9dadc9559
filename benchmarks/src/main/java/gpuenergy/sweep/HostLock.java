package gpuenergy.sweep;

import gpuenergy.results.FileLocks;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * JMH's lock, one benchmark run per host (java.io.tmpdir/jmh.lock, unless -Djmh.ignoreLock=true): a sweep whose run
 * JMH refused because another run holds it waits for it instead of stopping, so that sweeps sharing a host without
 * GPUs of their own (Slurm tasks of a CPU-only cluster on one node) take turns, each configuration measured alone.
 */
final class HostLock {
    private HostLock() {}

    /** JMH's lock file, where JMH 1.37 puts it. */
    static Path file() {
        return Path.of(System.getProperty("java.io.tmpdir"), "jmh.lock");
    }

    /**
     * Returns once JMH's lock is free (taken and let go at once: JMH takes it itself as the run starts, and where
     * another run is quicker the caller waits again).
     *
     * @param out where the wait is said, null to say nothing (the caller said it already)
     */
    static void awaitFree(PrintStream out, Configuration c) throws IOException {
        Path file = file();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            file.toFile().setWritable(true, false); // as JMH leaves it: another user's runs take the lock too
            if (out != null) {
                out.println("[sweep] " + c + ": waiting for JMH's lock (" + file + "): another JMH run on this host is "
                        + "measuring");
            }
            FileLock lock = FileLocks.lockIfPossible(ch);
            if (lock != null) {
                lock.release();
            } else {
                pause(); // tmpdir's file system does not lock: look again in a while rather than at once
            }
        }
    }

    private static void pause() throws IOException {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for JMH's lock", e);
        }
    }
}
