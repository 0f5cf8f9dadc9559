package gpuenergy.results;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.ObjLongConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Files that appear whole or not at all: written to a hidden copy beside their final name, forced to disk, then renamed.
 * A crash (or kill -9) at any moment leaves either the old file or the new one, never a torn one. Each write has a copy
 * of its own, {@code .NAME.PID-N.partial} (the process's id, and its Nth write, or the next N whose name is free), so
 * writers of one name at once (threads of a process, processes on hosts that share the storage) never touch each
 * other's copy: each rename puts one writer's whole file in place, and the last one stays. The new file is created with
 * the process's umask (no temporary-file 0600), so results are shared like any file the user makes.
 */
public final class AtomicWrite {
    /** A write's copy beside NAME: {@code .NAME.PID-N.partial}, NAME, PID and N its groups. */
    private static final Pattern COPY = Pattern.compile("\\.(.+)\\.(\\d+)-(\\d+)\\.partial", Pattern.DOTALL);
    /** How a write's copy ends: {@code .NAME.partial} was the one copy of NAME that earlier versions of the suite wrote. */
    private static final String SHARED_COPY = ".partial";
    /**
     * Copies by their writes, for those of one time (a file system that keeps times to the second or two): by PID, then
     * by N as a number, a process's 9th write before its 10th.
     */
    private static final Comparator<Path> BY_WRITE = Comparator.comparing((Path copy) -> writeNumber(copy, 2))
            .thenComparing(copy -> writeNumber(copy, 3));
    /**
     * A write's file unchanged this long has no writer left (killed: no finally removed it); a younger one may be another
     * process's write in progress, which takes seconds at most once its content is at hand (an engine's too).
     */
    private static final Duration KILLED_WRITE_AGE = Duration.ofHours(1);
    private static final long PID = ProcessHandle.current().pid();
    private static final AtomicLong WRITES = new AtomicLong();
    /**
     * The files whose killed copies this process has cleared: once is enough, as a copy becomes a killed one only an
     * hour after its write, while a plain run writes its unfinished file after every iteration, the directory listed
     * each time beside a measuring fork.
     */
    private static final Set<Path> CLEARED = ConcurrentHashMap.newKeySet();

    private AtomicWrite() {}

    /**
     * Writes {@code text} (UTF-8) as {@code target}, whole, through a copy of this write's own; the process's first write
     * of {@code target} removes the copies that killed writers left ({@link #KILLED_WRITE_AGE}), which no name of a
     * later write replaces.
     */
    public static void writeString(Path target, String text) throws IOException {
        Path copy = copy(target, text.getBytes(StandardCharsets.UTF_8));
        try {
            publish(copy, target);
        } finally {
            Files.deleteIfExists(copy); // gone after a rename; left by a failed one, and not worth keeping
        }
    }

    /**
     * Writes {@code bytes} to a new copy of this write's own beside {@code target}, forced to disk, and returns it for
     * the caller to {@link #publish} (or remove): files that must replace theirs together are all written first, so
     * that one that cannot be (a full disk) leaves every earlier one as it was. A copy whose write fails is removed. The
     * process's first write of {@code target} removes the copies that killed writers left, as {@link #writeString}.
     */
    public static Path copy(Path target, byte[] bytes) throws IOException {
        if (CLEARED.add(target.toAbsolutePath().normalize())) {
            removeKilledCopies(target);
        }
        Path copy;
        FileChannel created;
        do {
            copy = target.resolveSibling(copyName(target, PID, WRITES.incrementAndGet()));
            created = createNew(copy);
        } while (created == null);
        try (FileChannel ch = created) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                ch.write(buffer);
            }
            ch.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(copy);
            throw e;
        }
        return copy;
    }

    /** The name of a write's copy of {@code target}: {@code .NAME.PID-N.partial}. */
    private static String copyName(Path target, long pid, long n) {
        return "." + target.getFileName() + "." + pid + "-" + n + ".partial";
    }

    /**
     * The longest name a write's copy of {@code target} takes, for a check before anything is measured that the file
     * system takes it: with Linux's largest process id (pid_max 4194304) and a 12-digit write number, more writes than
     * a process makes.
     */
    public static String longestCopyName(Path target) {
        return copyName(target, 4_194_304, 999_999_999_999L);
    }

    /** A new file open for writing; null where the name is taken (a killed writer's copy, a process of this id elsewhere). */
    private static FileChannel createNew(Path file) throws IOException {
        try {
            return FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (FileAlreadyExistsException e) {
            return null;
        }
    }

    /**
     * The file that {@code file} is a write's copy of, beside it ({@code NAME} of {@code .NAME.PID-N.partial}); null
     * where it is none.
     */
    public static Path targetOf(Path file) {
        Matcher m = COPY.matcher(file.getFileName().toString());
        return m.matches() ? file.resolveSibling(m.group(1)) : null;
    }

    /** The PID (group 2) or N (group 3) of the copy {@code .NAME.PID-N.partial}. */
    private static BigInteger writeNumber(Path copy, int group) {
        Matcher m = COPY.matcher(copy.getFileName().toString());
        return m.matches() ? new BigInteger(m.group(group)) : BigInteger.ZERO;
    }

    /**
     * Accepts the copies of {@code target}, beside it: those of this version's writes, and with {@code withSharedCopy}
     * {@code .NAME.partial}, the one copy that earlier versions of the suite write every write of NAME through (a
     * process of one killed leaves it, which no write of this version replaces).
     */
    private static DirectoryStream.Filter<Path> copiesOf(Path target, boolean withSharedCopy) {
        String name = target.getFileName().toString();
        String shared = "." + name + SHARED_COPY;
        return f -> {
            Path of = targetOf(f);
            return of != null ? of.getFileName().toString().equals(name)
                    : withSharedCopy && f.getFileName().toString().equals(shared);
        };
    }

    /**
     * Whether {@code .NAME.partial} beside {@code target} is a copy of it wherever it lies: not where NAME may be a
     * run's result (a JSON result's name, not that of an unfinished file or a not-run list), as {@code .NAME.partial}
     * is also the file a run of {@code sweep} or {@code overhead} writes its result NAME to (gpuenergy.run.PartialResult),
     * which JMH creates empty as the run starts and writes only at its end, unchanged for as long as the run takes.
     */
    private static boolean sharedCopyIsOne(Path target) {
        return !ResultFile.isResultName(target) || ResultFile.isUnfinished(target) || NotRunList.isNotRunList(target);
    }

    /**
     * The copies of {@code target} beside it that no rename took (a killed writer's, or one being written), as regular
     * files, oldest first (by their last change, then by {@link #BY_WRITE}): of whole ones, the last is the newest
     * write. Among them {@code .NAME.partial} (an earlier version's copy, {@link #copiesOf}) where that is a copy
     * wherever it lies ({@link #sharedCopyIsOne}), or where the caller knows that no run writes its result to it
     * ({@code noRunResult}: the directory is a command's, and NAME one of its records). None where the directory is
     * not there.
     */
    public static List<Path> copies(Path target, boolean noRunResult) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Map<Path, FileTime> changed = new HashMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir,
                copiesOf(target, noRunResult || sharedCopyIsOne(target)))) {
            for (Path f : files) {
                try {
                    if (Files.isRegularFile(f)) {
                        changed.put(target.resolveSibling(f.getFileName()), Files.getLastModifiedTime(f));
                    }
                } catch (NoSuchFileException e) {
                    // renamed or removed by its writer meanwhile
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (DirectoryIteratorException e) {
            throw e.getCause();
        }
        List<Path> oldestFirst = new ArrayList<>(changed.keySet());
        oldestFirst.sort(Comparator.comparing((Path f) -> changed.get(f)).thenComparing(BY_WRITE));
        return oldestFirst;
    }

    /**
     * Removes the copies of {@code target} that killed writers left ({@link #removeKilledWrites}), an earlier version's
     * {@code .NAME.partial} too where that is a copy wherever it lies ({@link #sharedCopyIsOne}).
     */
    private static void removeKilledCopies(Path target) {
        removeKilledWrites(target.toAbsolutePath().getParent(), copiesOf(target, sharedCopyIsOne(target)),
                (copy, bytes) -> {});
    }

    /**
     * Removes the regular files of {@code dir} that {@code written} accepts (the names a write gives the file it renames
     * into place when done) and that are unchanged for {@link #KILLED_WRITE_AGE}: a killed writer's (no finally removed
     * it), which no later write's name replaces. A younger one may be another process's write at work, and stays, as
     * does one that cannot be removed (gone meanwhile, not this user's) or a directory that cannot be listed (the write
     * itself fails there, with its reason).
     *
     * @param removed told each file removed, with its size in bytes
     */
    public static void removeKilledWrites(Path dir, DirectoryStream.Filter<Path> written, ObjLongConsumer<Path> removed) {
        FileTime before = FileTime.from(Instant.now().minus(KILLED_WRITE_AGE));
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, written)) {
            for (Path f : files) {
                try {
                    BasicFileAttributes file = Files.readAttributes(f, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                    if (file.isRegularFile() && file.lastModifiedTime().compareTo(before) < 0) {
                        Files.delete(f);
                        removed.accept(f, file.size());
                    }
                } catch (IOException e) {
                    // gone meanwhile, or not this user's to remove: it stays, as it would without this
                }
            }
        } catch (IOException | DirectoryIteratorException e) {
            // the write that follows fails in such a directory, with its reason
        }
    }

    /**
     * Why {@code file} cannot take what is written to it here, where it is a symbolic link: "FILE, WHERE, is a symbolic
     * link (to TARGET); that file is renamed over the name, which would replace the link, not write its target"; null
     * where it is none. Every file is written whole and renamed over its name ({@link #publish}), which replaces a link
     * there, and a file removed takes its link with it, while the link's target keeps what it held. {@code where} says
     * what is written there ("where the run writes its JSON result").
     */
    public static String renamedOverLink(Path file, String where) {
        if (!Files.isSymbolicLink(file)) {
            return null;
        }
        return file + ", " + where + ", is a symbolic link" + linkTarget(file) + "; that file is renamed over the name,"
                + " which would replace the link, not write its target";
    }

    /**
     * {@link #renamedOverLink} for the first symbolic link (by name) directly in {@code dir} that {@code where} names
     * what is written at (its "where ..." words; null for a name nothing is written whole at); null where there is none,
     * or {@code dir} is no directory.
     */
    public static String renamedOverLinkIn(Path dir, Function<String, String> where) throws IOException {
        if (!Files.isDirectory(dir)) {
            return null;
        }
        List<Path> links;
        try (Stream<Path> files = Files.list(dir)) {
            links = files.filter(Files::isSymbolicLink).sorted().toList();
        }
        for (Path link : links) {
            String what = where.apply(link.getFileName().toString());
            if (what != null) {
                return renamedOverLink(link, what);
            }
        }
        return null;
    }

    /** " (to TARGET)", as the link gives it; empty where it cannot be read. */
    public static String linkTarget(Path link) {
        try {
            return " (to " + Files.readSymbolicLink(link) + ")";
        } catch (IOException | UnsupportedOperationException e) {
            return "";
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
        IoMessage.createDirectories(dir);
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
