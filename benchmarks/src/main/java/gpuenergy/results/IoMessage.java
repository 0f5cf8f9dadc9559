package gpuenergy.results;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/**
 * What failed in a file operation, in words. Java's file exceptions often carry only the path as their message
 * (NoSuchFileException: "/proc/foo"), which reads as if the path itself were the error.
 */
public final class IoMessage {
    private IoMessage() {}

    /** The operating system's reason, lower case ("no such file or directory", "permission denied", ...). */
    public static String reason(IOException e) {
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return lower(f.getReason());
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NotDirectoryException) {
            return "not a directory";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "already exists";
        }
        if (e instanceof DirectoryNotEmptyException) {
            return "directory not empty";
        }
        if (e instanceof CharacterCodingException) {
            return "not UTF-8 text"; // the decoder's own message is "Input length = 1"
        }
        String m = e.getMessage();
        if (m == null || m.isBlank() || e instanceof FileSystemException) {
            return e.getClass().getSimpleName();
        }
        return lower(Lines.firstLine(m));
    }

    /**
     * {@code e} as an error that names {@code file}: reading a directory fails with "Is a directory" alone, a line that
     * names no file.
     */
    public static IOException naming(Path file, IOException e) {
        return e instanceof FileSystemException ? e : new FileSystemException(file.toString(), null, reason(e));
    }

    /** "PATH: reason" for a file system error whose message is only its path; the message itself otherwise. */
    public static String describe(IOException e) {
        if (e instanceof FileSystemException f && f.getFile() != null) {
            return f.getFile() + (f.getOtherFile() == null ? "" : " -> " + f.getOtherFile()) + ": " + reason(e);
        }
        return e.getMessage() == null ? reason(e) : e.getMessage();
    }

    /**
     * Why {@code file} cannot be created or replaced there, or null when it can: its directory is missing, is not
     * a directory, or refuses a new file (tried for real: as root every permission check passes, yet /proc refuses).
     */
    public static String cannotCreate(Path file) {
        Path abs = file.toAbsolutePath().normalize();
        if (Files.isDirectory(abs)) {
            return file + " is a directory";
        }
        Path dir = abs.getParent();
        if (!Files.exists(dir)) {
            return "directory " + dir + " does not exist";
        }
        if (!Files.isDirectory(dir)) {
            return dir + " is not a directory";
        }
        try {
            Files.delete(Files.createTempFile(dir, ".gpuenergy-write-check", ".tmp"));
            return null;
        } catch (IOException e) {
            return "directory " + dir + " does not accept new files (" + reason(e) + ")";
        }
    }

    /**
     * Why writing {@code file} failed, in words: what stops any new file there ({@link #cannotCreate}: its directory
     * vanished, ...), else the error itself ({@link #describe}), which may name a temporary file beside it.
     */
    public static String cannotWrite(Path file, IOException e) {
        String why = cannotCreate(file);
        return why != null ? why : describe(e);
    }

    /**
     * {@code dir} made, with the directories above it, as a command's --out {@code shown} (as given); where it cannot be
     * (a file above it, a file system that refuses it), an {@link OutNotCreated} whose message is the command's line,
     * "cannot create the --out directory SHOWN: reason", naming the path that failed only where it is not SHOWN
     * ("SHOWN: PATH: reason": a file further up, a part's OUT): Java's error names only the path. PATH is named as
     * SHOWN names it ({@link #asGiven}), not as Java does, absolute: a relative --out stays valid in the shell that gave it.
     */
    public static void createOut(Path dir, Path shown) throws IOException {
        try {
            Files.createDirectories(dir);
        } catch (IOException thrown) {
            IOException e = notMade(thrown, dir, shown);
            String why = describe(e);
            if (e instanceof FileSystemException f && f.getFile() != null && f.getOtherFile() == null) {
                // a sweep's part makes its OUT first, as --out OUT/shard-I-of-N: where OUT fails, the line names it
                boolean itself = Path.of(f.getFile()).toAbsolutePath().normalize().equals(shown.toAbsolutePath().normalize());
                why = itself ? reason(e) : f.getFile() + ": " + reason(e);
            }
            throw new OutNotCreated("cannot create the --out directory " + shown + ": " + why, e);
        }
    }

    /**
     * {@code path}, a directory above --out as Java names it (absolute, --out's path resolved against the working
     * directory), as {@code shown}, --out as given, names it: {@code shown} less its last names. As Java names it where
     * {@code shown} does not reach up to it (the working directory, or above).
     */
    private static Path asGiven(Path path, Path shown) {
        Path abs = shown.toAbsolutePath();
        if (!path.isAbsolute() || !abs.startsWith(path)) {
            return path;
        }
        Path given = shown;
        for (int up = abs.getNameCount() - path.getNameCount(); up > 0 && given != null; up--) {
            given = given.getParent();
        }
        return given == null ? path : given;
    }

    /** {@link #createDirectories(Path, Path)} of a {@code dir} the command's lines name as it is. */
    public static void createDirectories(Path dir) throws IOException {
        createDirectories(dir, dir);
    }

    /**
     * {@code dir} made, with the directories above it, where a directory of a command's own goes (a sweep's unreadable/,
     * short/): a file in its place fails as "DIR: is a file, not a directory", where Java's error says only that DIR
     * "already exists"; so does a symbolic link that leads to no directory ({@link #inTheWay}). A path that fails is named
     * as {@code shown} ({@code dir} as the command's lines name it) names it ({@link #asGiven}), as {@link #createOut}
     * names its paths, not absolute as Java names it.
     */
    public static void createDirectories(Path dir, Path shown) throws IOException {
        try {
            Files.createDirectories(dir);
        } catch (IOException thrown) {
            throw notMade(thrown, dir, shown);
        }
    }

    /**
     * Java's failure to make {@code dir}, as a command's line says it: what stands in the way ({@link #inTheWay},
     * {@link #fileAbove}), the path that failed named as {@code shown} names it ({@link #asGiven}).
     */
    private static IOException notMade(IOException thrown, Path dir, Path shown) {
        IOException e = thrown instanceof FileAlreadyExistsException a ? inTheWay(a, dir) : fileAbove(thrown);
        if (e instanceof FileSystemException f && f.getFile() != null && f.getOtherFile() == null) {
            Path given = asGiven(Path.of(f.getFile()), shown);
            if (!given.toString().equals(f.getFile())) {
                return new FileSystemException(given.toString(), null, reason(e));
            }
        }
        return e;
    }

    /**
     * The file above a directory that cannot be made for it, for Java's "not a directory", which names the directory
     * below the file (a/file/sub for a/file/sub/deeper), one that is not there: "a/file: is a file, not a directory".
     * {@code e} itself for another error, or where nothing above is there and no directory.
     */
    private static IOException fileAbove(IOException e) {
        if (e instanceof FileSystemException f && f.getFile() != null && "not a directory".equals(reason(e))) {
            for (Path up = Path.of(f.getFile()).getParent(); up != null; up = up.getParent()) {
                if (Files.exists(up)) {
                    return Files.isDirectory(up) ? e : new FileSystemException(up.toString(), null, "is a file, not a directory");
                }
            }
        }
        return e;
    }

    /**
     * What stands where a directory was to be made, for Java's "already exists": a file ("is a file, not a directory"),
     * or a symbolic link whose target is missing, loops or is a file ("is a symbolic link (to TARGET) that leads to no
     * directory"), which Java does not follow and which a listing shows in a colour, not as missing.
     */
    private static IOException inTheWay(FileAlreadyExistsException e, Path dir) {
        Path there = e.getFile() == null ? dir : Path.of(e.getFile());
        String what = "is a file, not a directory";
        if (Files.isSymbolicLink(there)) {
            String target;
            try {
                target = Files.readSymbolicLink(there).toString();
            } catch (IOException | UnsupportedOperationException unreadable) {
                target = "a target that cannot be read";
            }
            what = "is a symbolic link (to " + target + ") that leads to no directory";
        }
        return new FileSystemException(there.toString(), null, what);
    }

    /**
     * Refuses a command's --out {@code dir} (given as {@code shown}) that is there and no directory, before the command
     * reads or writes anything: an {@link OutNotCreated} "--out SHOWN is a file, not a directory".
     */
    public static void requireNotAFile(Path dir, Path shown) throws OutNotCreated {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new OutNotCreated("--out " + shown + " is a file, not a directory", null);
        }
    }

    /** A command's --out that cannot be created: its message is the command's whole line, no other words around it. */
    public static final class OutNotCreated extends IOException {
        OutNotCreated(String message, IOException cause) {
            super(message, cause);
        }
    }

    private static String lower(String s) {
        return s.isEmpty() ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }
}
