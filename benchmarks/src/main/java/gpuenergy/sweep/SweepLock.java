package gpuenergy.sweep;

import gpuenergy.results.FileLocks;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * One sweep at a time in a directory: an exclusive lock on DIR/.sweep.lock, held while the sweep runs, so that a second
 * sweep of the same --out (a second --resume, a Slurm task submitted twice, a part started by two --gpus runs, on this
 * host or on another that shares the storage) is refused instead of measuring everything again beside the first and
 * logging every line twice. JMH's own lock is per host and turned off where parts measure at once, so it does not
 * guard a directory. The lock is the operating system's: a killed sweep leaves none behind, and the file, which names
 * the holder (host, pid, start), stays. Storage that refuses locks gets no guard, and one line says so.
 */
final class SweepLock implements AutoCloseable {
    static final String FILE = ".sweep.lock";

    private final FileChannel channel;

    private SweepLock(FileChannel channel) {
        this.channel = channel;
    }

    /**
     * The lock of {@code dir}, which must exist; an IOException of one line naming the directory and the holder where
     * another sweep holds it.
     */
    static SweepLock hold(Path dir, Path shownDir, PrintStream notes) throws IOException {
        Path file = dir.resolve(FILE);
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            FileLocks.Attempt attempt = FileLocks.tryLockIfPossible(ch);
            if (attempt.heldElsewhere()) {
                String holder = Files.readString(file, StandardCharsets.UTF_8).strip();
                throw new IOException("--out " + shownDir + " is in use by another sweep"
                        + (holder.isEmpty() ? "" : " (" + holder + ")") + "; wait for it to end, or choose another --out");
            }
            if (!attempt.supported()) {
                notes.println("[sweep] " + shownDir + ": its file system does not lock files, so nothing keeps a second "
                        + "sweep out of it while this one runs");
            }
            ByteBuffer holder = ByteBuffer.wrap(("pid " + ProcessHandle.current().pid() + " on host " + host() + ", since "
                    + Instant.now() + "\n").getBytes(StandardCharsets.UTF_8));
            ch.truncate(0);
            long at = 0;
            while (holder.hasRemaining()) {
                at += ch.write(holder, at);
            }
            ch.force(true);
            return new SweepLock(ch);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** Whether {@code file} is this lock's file, which a new sweep's directory may hold. */
    static boolean isLockFile(Path file) {
        return file.getFileName().toString().equals(FILE);
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** Releases the lock (closing the channel releases it); the file stays, see the class comment. */
    @Override
    public void close() throws IOException {
        channel.close();
    }
}
