package gpuenergy.sweep;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A sweep's hold on its GPU while one configuration runs: an exclusive lock on a file named by the GPU's board, taken
 * by every sweep that knows its board, so that no two sweeps of one host measure on one GPU at once (a second
 * {@code sweep --gpus} on the same GPUs, Slurm tasks on a node whose GPUs are not allocated to them). A second sweep
 * waits for the first's configuration to end. JMH's own lock is one per host, which would keep the sweeps of different
 * GPUs from running at once: the sweeps {@code --gpus} starts, and the Slurm script's on an allocated GPU, turn it off
 * and rely on this one.
 */
final class GpuLock implements AutoCloseable {
    private static final GpuLock NONE = new GpuLock(null, null);

    private final FileChannel channel;
    private final FileLock lock;

    private GpuLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** The lock of board {@code uuid} in java.io.tmpdir, waiting for it; none when the board is unknown (the CPU). */
    static GpuLock hold(String uuid, PrintStream out) throws IOException {
        return uuid == null ? NONE : hold(Path.of(System.getProperty("java.io.tmpdir")), uuid, out);
    }

    static GpuLock hold(Path dir, String uuid, PrintStream out) throws IOException {
        Path file = dir.resolve("gpuenergy-" + uuid.replaceAll("[^A-Za-z0-9._-]", "_") + ".lock");
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                out.println("[sweep] waiting for " + uuid + ": another sweep is measuring on it (lock " + file + ")");
                lock = channel.lock();
            }
            return new GpuLock(channel, lock);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        if (channel != null) {
            lock.release();
            channel.close();
        }
    }
}
