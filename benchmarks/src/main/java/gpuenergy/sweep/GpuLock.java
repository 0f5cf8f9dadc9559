package gpuenergy.sweep;

import gpuenergy.results.FileLocks;
import gpuenergy.results.FileNames;
import gpuenergy.run.HostLock;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.FileLockInterruptionException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * A sweep's hold on its GPU while one configuration runs: an exclusive lock on a file named by the GPU's board, taken
 * by every sweep that knows its board, so that no two sweeps of one host measure on one GPU at once (a second
 * {@code sweep --gpus} on the same GPUs, Slurm tasks on a node whose GPUs are not allocated to them). A second sweep
 * waits for the first's configuration to end, or until its --stop-after would stop it. JMH's own lock is one per host, which would keep the sweeps of different
 * GPUs from running at once: the sweeps {@code --gpus} starts, and the Slurm script's on an allocated GPU, turn it off
 * and rely on this one.
 */
final class GpuLock implements AutoCloseable {
    private static final GpuLock NONE = new GpuLock(null);
    /** The lock files found unlockable, each said once per process rather than before every configuration. */
    private static final Set<Path> SAID_UNLOCKED = ConcurrentHashMap.newKeySet();

    /** The lock file's channel, whose lock (where the file system locks) lasts until it is closed. */
    private final FileChannel channel;

    private GpuLock(FileChannel channel) {
        this.channel = channel;
    }

    /**
     * The lock of board {@code uuid} in java.io.tmpdir, waiting for it; none when the board is unknown (the CPU); null
     * when {@code stop} (asked every {@link HostLock#SLICE_MILLIS} of the wait: --stop-after) ends the wait first.
     */
    static GpuLock hold(String uuid, PrintStream out, BooleanSupplier stop) throws IOException {
        return uuid == null ? NONE : hold(Path.of(System.getProperty("java.io.tmpdir")), uuid, out, stop);
    }

    static GpuLock hold(Path dir, String uuid, PrintStream out) throws IOException {
        return hold(dir, uuid, out, () -> false);
    }

    static GpuLock hold(Path dir, String uuid, PrintStream out, BooleanSupplier stop) throws IOException {
        Path file = dir.resolve("gpuenergy-" + FileNames.part(uuid) + ".lock");
        FileChannel channel;
        try {
            channel = open(file);
        } catch (AccessDeniedException e) {
            // another user's lock file from before its maker let others write it: the GPU goes unguarded, said once,
            // as on a file system that does not lock, rather than every configuration failing
            if (SAID_UNLOCKED.add(file.toAbsolutePath())) {
                out.println("[sweep] " + file + " is another user's and not writable by this one, so nothing keeps a"
                        + " second sweep off " + uuid + " while this one measures (its owner can chmod a+w it)");
            }
            return NONE;
        }
        // the sweeps of every user of the host lock the same file: only its maker can let the others, and does
        file.toFile().setWritable(true, false);
        try {
            GpuLock held = hold(channel, file, uuid, out, stop);
            if (held == null) {
                channel.close();
            }
            return held;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * The lock file, opened for writing without asking to create it where it is there: Linux refuses O_CREAT on another
     * user's file in a sticky world-writable directory such as /tmp whatever the file's mode (fs.protected_regular,
     * on by default in most distributions), so the open that would create it is tried only where it is not there.
     */
    private static FileChannel open(Path file) throws IOException {
        try {
            return FileChannel.open(file, StandardOpenOption.WRITE);
        } catch (NoSuchFileException absent) {
            try {
                return FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            } catch (FileAlreadyExistsException madeMeanwhile) {
                return FileChannel.open(file, StandardOpenOption.WRITE); // another sweep made it between the two opens
            }
        }
    }

    static GpuLock hold(FileChannel channel, Path file, String uuid, PrintStream out) throws IOException {
        return hold(channel, file, uuid, out, () -> false);
    }

    /**
     * The lock on {@code channel}, {@code file}'s; null when {@code stop} ends the wait. A file system that does not
     * lock files (NFS without its lock service) leaves the GPU unguarded rather than failing every configuration, and
     * one line says so.
     */
    static GpuLock hold(FileChannel channel, Path file, String uuid, PrintStream out, BooleanSupplier stop) throws IOException {
        FileLocks.Attempt attempt = FileLocks.tryLockIfPossible(channel);
        FileLock lock = attempt.lock();
        if (attempt.heldElsewhere()) {
            out.println("[sweep] waiting for " + uuid + ": another sweep is measuring on it (lock " + file + "); Ctrl-C or"
                    + " SIGTERM stops the sweep, and --resume continues it");
            // the kernel hands the lock over the moment its holder lets go (a poll would rarely land in the gap before
            // the holder's next configuration takes it again); a watchdog asks stop meanwhile and ends the wait by
            // closing the channel
            AtomicBoolean stopped = new AtomicBoolean();
            Thread watchdog = new Thread(() -> {
                try {
                    while (true) {
                        Thread.sleep(HostLock.SLICE_MILLIS);
                        if (stop.getAsBoolean()) {
                            stopped.set(true);
                            channel.close();
                            return;
                        }
                    }
                } catch (InterruptedException | IOException e) {
                    // the wait ended first
                }
            }, "gpu-lock-stop-after");
            watchdog.setDaemon(true);
            watchdog.start();
            try {
                lock = FileLocks.lockIfPossible(channel);
            } catch (AsynchronousCloseException e) {
                if (!stopped.get()) {
                    throw e;
                }
            } finally {
                watchdog.interrupt();
                joinQuietly(watchdog);
            }
            if (stopped.get()) {
                return null; // the channel is closed: no lock, even one taken just before
            }
        }
        if (lock == null && SAID_UNLOCKED.add(file.toAbsolutePath())) {
            out.println("[sweep] " + file + ": its file system does not lock files, so nothing keeps a second sweep off "
                    + uuid + " while this one measures");
        }
        return new GpuLock(channel);
    }

    private static void joinQuietly(Thread t) throws FileLockInterruptionException {
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FileLockInterruptionException();
        }
    }

    /** Releases the lock (closing the channel releases it). */
    @Override
    public void close() throws IOException {
        if (channel != null) {
            channel.close();
        }
    }
}
