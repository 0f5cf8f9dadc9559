package gpuenergy.results;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.function.IntFunction;

/**
 * Files that appear whole or not at all: written beside their final name, forced to disk, then renamed.
 * A crash (or kill -9) at any moment leaves either the old file or the new one, never a torn one. The new file
 * is created with the process's umask (no temporary-file 0600), so results are shared like any file the user makes.
 */
public final class AtomicWrite {
    private AtomicWrite() {}

    public static void writeString(Path target, String text) throws IOException {
        Path tmp = target.resolveSibling("." + target.getFileName() + ".partial");
        // a leftover of a killed writer keeps its own mode; a new file takes the umask's
        Files.deleteIfExists(tmp);
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) {
                    ch.write(bytes);
                }
                ch.force(true);
            }
            publish(tmp, target);
        } finally {
            Files.deleteIfExists(tmp); // gone after a rename; left by a failed write, and not worth keeping
        }
    }

    /** Forces a finished file to disk and renames it to its final name in one step. */
    public static void publish(Path finished, Path target) throws IOException {
        try (FileChannel ch = FileChannel.open(finished, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.move(finished, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * Moves {@code file} into {@code dir} (made if need be) as {@code name}, or the first of NAME.1.json, NAME.2.json,
     * ... not taken: a file set aside (a result that cannot be read, a measured run that is not the one expected) never
     * replaces one set aside before. A regular file is forced to disk first. Returns where it went.
     */
    public static Path setAside(Path file, Path dir, String name) throws IOException {
        Files.createDirectories(dir);
        IntFunction<Path> names = n -> dir.resolve(numbered(name, n));
        return setAside(file, names, null, names);
    }

    /** The {@code n}th of NAME.json, NAME.1.json, NAME.2.json, ...; of a name without .json, NAME, NAME.1, ... */
    public static String numbered(String name, int n) {
        int ext = name.endsWith(".json") ? name.length() - ".json".length() : name.length();
        return n == 0 ? name : name.substring(0, ext) + "." + n + name.substring(ext);
    }

    /**
     * Moves {@code file} to the first of {@code names} 0, 1, 2, ... that is not taken and whose {@code companionNames} of
     * the same number is not taken either, and {@code companion} (null or missing for none) to that companion name: a
     * file set aside with its companion (a result with its not-run list) keeps a pair of names of one number, and
     * neither is ever read with another run's file. Where the companion's name is taken between the check and the move,
     * the file goes on with it to the next free pair. A regular file is forced to disk first. Returns where {@code file}
     * went.
     */
    public static Path setAside(Path file, IntFunction<Path> names, Path companion, IntFunction<Path> companionNames)
            throws IOException {
        boolean withCompanion = companion != null && Files.exists(companion, LinkOption.NOFOLLOW_LINKS);
        force(file);
        if (withCompanion) {
            force(companion);
        }
        Path at = file;
        for (int n = 0; ; n++) {
            Path target = names.apply(n);
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)
                    || Files.exists(companionNames.apply(n), LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            try {
                Files.move(at, target); // without REPLACE_EXISTING: a name taken since the check mostly fails here
                // (the JDK checks, then renames: two processes setting aside at the same instant can still race)
            } catch (FileAlreadyExistsException e) {
                continue; // taken since the check
            }
            at = target;
            if (!withCompanion) {
                return target;
            }
            try {
                Files.move(companion, companionNames.apply(n));
                return target;
            } catch (FileAlreadyExistsException e) {
                // taken since the check: the pair moves on
            }
        }
    }

    private static void force(Path file) throws IOException {
        if (Files.isRegularFile(file)) {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                ch.force(true);
            }
        }
    }
}
