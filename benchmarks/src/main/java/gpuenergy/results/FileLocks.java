package gpuenergy.results;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.FileLockInterruptionException;
import java.nio.channels.OverlappingFileLockException;

/**
 * Locks on files (whole, or some of their bytes) where the file system offers them. Shared storage that refuses locks
 * (NFS without lockd: ENOLCK, ENOSYS) leaves the file unlocked rather than failing the command that asks. The locks are
 * the operating system's: they end with the process that holds them, so a killed process never leaves one behind.
 */
public final class FileLocks {
    private FileLocks() {}

    /**
     * An attempt at a lock without waiting.
     *
     * @param lock      the lock; null when another process (or another channel of this one) holds it, or when the file
     *                  system does not lock
     * @param supported false where the file system does not lock files
     */
    public record Attempt(FileLock lock, boolean supported) {
        /** Whether another holds the lock. */
        public boolean heldElsewhere() {
            return supported && lock == null;
        }
    }

    /**
     * An exclusive lock, waiting for it; null where the file system does not lock. A wait that is interrupted, or whose
     * channel is closed, throws: that is no answer about the file system.
     */
    public static FileLock lockIfPossible(FileChannel ch) throws IOException {
        try {
            return ch.lock();
        } catch (FileLockInterruptionException | ClosedChannelException e) {
            throw e;
        } catch (IOException e) {
            return null; // ENOLCK, ENOSYS: no lock service for this file system
        }
    }

    /** An exclusive lock if it is free now. */
    public static Attempt tryLockIfPossible(FileChannel ch) {
        return tryLockIfPossible(ch, false);
    }

    /**
     * A lock if no other holds one that excludes it now: {@code shared} for a reader, whose channel needs only be open
     * for reading, and which another's exclusive lock refuses without being disturbed.
     */
    public static Attempt tryLockIfPossible(FileChannel ch, boolean shared) {
        return tryLockIfPossible(ch, 0, Long.MAX_VALUE, shared);
    }

    /**
     * As {@link #tryLockIfPossible(FileChannel, boolean)}, for the bytes {@code position} to {@code position + size - 1}
     * of the file alone ({@code size} Long.MAX_VALUE: to its end, however it grows), which need not exist: a lock of
     * other bytes does not exclude it.
     */
    public static Attempt tryLockIfPossible(FileChannel ch, long position, long size, boolean shared) {
        try {
            return new Attempt(ch.tryLock(position, size, shared), true);
        } catch (OverlappingFileLockException e) {
            return new Attempt(null, true); // held by this very process, through another channel
        } catch (IOException e) {
            return new Attempt(null, false); // ENOLCK, ENOSYS: no lock service for this file system
        }
    }
}
