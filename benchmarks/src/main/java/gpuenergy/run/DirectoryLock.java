package gpuenergy.run;

import gpuenergy.results.AtomicWrite;
import gpuenergy.results.BadInputException;
import gpuenergy.results.FileLocks;
import gpuenergy.results.FileNames;
import gpuenergy.results.IoMessage;
import gpuenergy.results.SweepResults;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One command at a time in a directory: an exclusive lock on DIR/.COMMAND.lock, held while a sweep or an overhead
 * command runs, so that a second one on the same --out (a second --resume, a Slurm task submitted twice, a part started
 * by two --gpus runs, on this host or on another that shares the storage) is refused instead of measuring everything
 * again beside the first and clearing the hidden files of runs it is still writing. JMH's own lock is per host and
 * turned off where parts measure at once, so it does not guard a directory. The lock is the operating system's: a
 * killed command leaves none behind, and the file, which names the holder (host, pid, start), stays. Storage that
 * refuses locks gets no guard, and one line says so.
 *
 * <p>The lock's first byte stands for what is written at the top of DIR, its other bytes for the command running in it.
 * A command that writes at the top ({@link #hold}) locks them all. A sweep divided into parts, each in DIR/shard-I-of-N,
 * writes nothing at the top: each part claims DIR shared while it makes its directory ({@link #claimAsPart}), and the
 * --gpus parent that runs them leaves the first byte to them ({@link #holdForParts}). So a command of one layout and
 * one of the other, started at once, cannot both pass their look at DIR and write, while parts of one sweep, and the
 * parent that runs them, do not exclude each other.
 */
public final class DirectoryLock implements AutoCloseable {
    private final FileChannel channel;

    private DirectoryLock(FileChannel channel) {
        this.channel = channel;
    }

    /** The lock file of {@code command}'s directories: .sweep.lock, .overhead.lock. */
    public static String fileName(String command) {
        return "." + command + ".lock";
    }

    /** The byte of the lock that stands for the top of the directory; see the class comment. */
    private static final long TOP = 0;

    /**
     * The lock of {@code dir}, which must exist, for a command that writes at its top; an IOException of one line
     * naming the directory and the holder where another command holds it, or where a part of a divided sweep is making
     * its directory in it, or naming --out where the lock file cannot be opened for writing; a BadInputException where
     * the lock file is a symbolic link ({@link #refuseLink}).
     */
    public static DirectoryLock hold(Path dir, Path shownDir, String command, PrintStream notes)
            throws IOException, BadInputException {
        return hold(dir, shownDir, command, notes, true);
    }

    /**
     * As {@link #hold}, for a command that runs the parts of a divided sweep, each in a directory below {@code dir},
     * and writes nothing at its top: its parts' {@link #claimAsPart} passes.
     */
    public static DirectoryLock holdForParts(Path dir, Path shownDir, String command, PrintStream notes)
            throws IOException, BadInputException {
        return hold(dir, shownDir, command, notes, false);
    }

    /**
     * A part's claim on {@code dir}, the directory its own is made in, held while it makes it: shared by the other parts
     * and passed by {@link #holdForParts}; null where a command that writes at the top of {@code dir} holds it
     * ({@link #holderOf} names it). Where the file system does not lock, a claim that guards nothing. {@code shownOut}
     * is the part's --out, as given, which the lines of {@link #open} name, with {@code dir}, whose lock it is.
     */
    public static DirectoryLock claimAsPart(Path dir, Path shownOut, String command) throws IOException, BadInputException {
        FileChannel ch = open(dir, shownOut, "--out " + shownOut + ": " + dir, command);
        if (FileLocks.tryLockIfPossible(ch, TOP, 1, true).heldElsewhere()) {
            ch.close();
            return null;
        }
        return new DirectoryLock(ch);
    }

    /**
     * A symbolic link at {@code dir}'s lock file, to a file or dangling, refused in one line naming --out ({@code
     * shownOut}, as given), as one at a name a command renames a file over is ({@link AtomicWrite#renamedOverLink}):
     * the lock empties its file and writes its holder there, so the link's target would lose what it holds. For a
     * command that looks at a directory before another process takes its lock there (a --gpus parent, at its parts).
     */
    public static void refuseLink(Path dir, Path shownOut, String command) throws BadInputException {
        Path file = dir.resolve(fileName(command));
        if (Files.isSymbolicLink(file)) {
            throw new BadInputException("--out " + shownOut + ": " + file + ", where " + command + " locks the directory"
                    + " and names its holder, is a symbolic link" + AtomicWrite.linkTarget(file) + "; that file is emptied"
                    + " and written in place, which would replace what the link's target holds; remove the link, or choose"
                    + " another --out");
        }
    }

    /**
     * {@code dir}'s lock file, opened for writing and made where it is not there; never through a symbolic link
     * ({@link #refuseLink}), one made after any look at the name included. A lock file that cannot be opened (storage
     * that refuses writes or new files) stops the command in a line naming --out, the option to change: the lock is
     * the first file a command writes in a directory that is there. {@code subject}: that line's name of {@code dir}
     * ("--out OUT"; for a part's claim, "--out OUT: DIR", DIR holding the lock).
     */
    private static FileChannel open(Path dir, Path shownOut, String subject, String command)
            throws IOException, BadInputException {
        Path file = dir.resolve(fileName(command));
        try {
            return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            refuseLink(dir, shownOut, command);
            throw new IOException(subject + " cannot be written (" + IoMessage.describe(e) + ")", e);
        }
    }

    private static DirectoryLock hold(Path dir, Path shownDir, String command, PrintStream notes, boolean top)
            throws IOException, BadInputException {
        Path file = dir.resolve(fileName(command));
        FileChannel ch = open(dir, shownDir, "--out " + shownDir, command);
        try {
            FileLocks.Attempt attempt = FileLocks.tryLockIfPossible(ch, TOP + 1, Long.MAX_VALUE - (TOP + 1), false);
            if (attempt.heldElsewhere()) {
                String holder = holder(file);
                throw new IOException("--out " + shownDir + " is in use by another " + command
                        + (holder.isEmpty() ? "" : " (" + holder + ")") + "; wait for it to end, or choose another --out");
            }
            if (top && attempt.supported() && FileLocks.tryLockIfPossible(ch, TOP, 1, false).heldElsewhere()) {
                throw new IOException("--out " + shownDir + " is in use by a part of a divided " + command + ", which is "
                        + "making its directory in it; wait for it, or choose another --out");
            }
            if (!attempt.supported()) {
                notes.println("[" + command + "] " + shownDir + ": its file system does not lock files, so nothing keeps a "
                        + "second " + command + " out of it while this one runs");
            }
            ByteBuffer holder = ByteBuffer.wrap(("pid " + ProcessHandle.current().pid() + " on host " + host() + ", since "
                    + Instant.now() + "\n").getBytes(StandardCharsets.UTF_8));
            ch.truncate(0);
            long at = 0;
            while (holder.hasRemaining()) {
                at += ch.write(holder, at);
            }
            ch.force(true);
            return new DirectoryLock(ch);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /**
     * Who holds {@code dir}'s lock, as its file names the holder (host, pid, start; empty where the file names none);
     * null where nothing holds it, the directory has no lock file, or its file system does not lock. A reader's
     * question, for a directory it may not write: the file is opened for reading only and never made, and the lock is
     * asked for shared, so a running command's exclusive lock is seen and kept; where the lock is free the shared one is
     * let go at once.
     */
    public static String holderOf(Path dir, String command) {
        Path file = dir.resolve(fileName(command));
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            FileLocks.Attempt attempt = FileLocks.tryLockIfPossible(ch, true);
            if (attempt.lock() != null) {
                attempt.lock().release();
            }
            return attempt.heldElsewhere() ? holder(file) : null;
        } catch (IOException e) {
            return null; // an unreadable lock file: nothing to say about its holder
        }
    }

    /**
     * One line for each sweep directory among a reader's inputs (a directory given, a sharded sweep's parts, a given
     * file's directory) whose lock a running sweep holds ({@link #holderOf}): its results so far are there, but not all
     * of them, and a report or a comparison of them must not be taken for one of the whole sweep.
     */
    public static List<String> stillMeasured(List<String> inputs) {
        Map<Path, Path> sweeps = new LinkedHashMap<>(); // each directory once, as first given
        for (String f : inputs) {
            Path p = Path.of(f);
            List<Path> dirs = new ArrayList<>();
            if (Files.isDirectory(p)) {
                dirs.add(p);
                try {
                    dirs.addAll(SweepResults.of(p).parts());
                } catch (BadInputException e) {
                    // the reader's own reading of the directory says what is wrong with it; its own lock is still looked at
                }
            } else {
                dirs.add(p.getParent() != null ? p.getParent() : Path.of("."));
            }
            dirs.forEach(d -> sweeps.putIfAbsent(FileNames.canonical(d), d));
        }
        List<String> lines = new ArrayList<>();
        sweeps.values().forEach(dir -> {
            String holder = holderOf(dir, "sweep");
            if (holder != null) {
                lines.add(dir + " is still being measured by a sweep" + (holder.isEmpty() ? "" : " (" + holder + ")"));
            }
        });
        return lines;
    }

    /** The holder as the lock file names it. */
    private static String holder(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8).strip();
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
