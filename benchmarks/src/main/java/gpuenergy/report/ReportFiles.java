package gpuenergy.report;

import gpuenergy.results.AtomicWrite;
import gpuenergy.results.BadInputException;
import gpuenergy.results.IoMessage;
import gpuenergy.results.SweepResults;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The files a report owns in its --out directory, recorded in {@link #MANIFEST} there. A report writes only names that
 * are absent or that the manifest of an earlier report lists, so a file of anyone else's (a JMH CSV result, a sweep's
 * summary.csv) is never written over; a rerun removes the files of the earlier report that it does not write again (a
 * validation.csv, a reduction figure), and nothing else.
 */
final class ReportFiles {
    /** The first line of the summary.md a report writes: how a report written before manifests is known. */
    static final String TITLE = "# GPU inference energy report";
    /** The manifest: its header line, then one file name a line. */
    static final String MANIFEST = "report-files.txt";
    private static final String HEADER = "# files `benchmarks.jar report` wrote here; a rerun replaces or removes these, and only these";
    /** The names a report writes: a name of any other form in a manifest (edited by hand) is never removed. */
    private static final Pattern OWN = Pattern.compile("summary\\.md|summary\\.csv|environment\\.csv|validation\\.csv"
            + "|index\\.html|[A-Za-z0-9][A-Za-z0-9._-]*\\.png");

    private final Path dir;
    private final Set<String> earlier;

    private ReportFiles(Path dir, Set<String> earlier) {
        this.dir = dir;
        this.earlier = earlier;
    }

    /**
     * The --out directory, checked before anything is read: a file (an IOException) or a sweep's own directory (whose
     * records a report must not mix with) is refused.
     */
    static void checkDirectory(Path dir) throws BadInputException, IOException {
        // the report cannot be written there, as with a directory that refuses files: the machine's, exit 1
        IoMessage.requireNotAFile(dir, dir);
        if (SweepResults.isSweep(dir)) {
            throw new BadInputException("--out " + dir + " is a sweep's directory; give a directory of its own, e.g. --out "
                    + dir.resolve("report"));
        }
    }

    /**
     * The report about to write {@code names} into {@code dir}: refused when one of them exists there and no earlier
     * report's manifest lists it, or is a directory (listed or not), which no rename of a file replaces.
     */
    static ReportFiles claim(Path dir, Collection<String> names, PrintStream err) throws BadInputException, IOException {
        checkDirectory(dir);
        Set<String> earlier = new LinkedHashSet<>();
        Path manifest = dir.resolve(MANIFEST);
        if (!Files.exists(manifest, LinkOption.NOFOLLOW_LINKS) && writtenByAReport(dir.resolve("summary.md"))) {
            // a report from before manifests: its files of this report's names are its own, others are left alone
            names.stream().filter(n -> OWN.matcher(n).matches() && Files.isRegularFile(dir.resolve(n), LinkOption.NOFOLLOW_LINKS))
                    .forEach(earlier::add);
            err.println("report: --out " + dir + " holds a report without " + MANIFEST + "; its files of the names this"
                    + " report writes are replaced, any other file is left");
        } else if (Files.exists(manifest, LinkOption.NOFOLLOW_LINKS)) {
            List<String> lines;
            try {
                lines = Files.isRegularFile(manifest, LinkOption.NOFOLLOW_LINKS)
                        ? Files.readAllLines(manifest, StandardCharsets.UTF_8) : List.of();
            } catch (IOException e) {
                lines = List.of();
            }
            if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
                throw new BadInputException("--out " + dir + " holds a " + MANIFEST + " that is not a report's list of its "
                        + "files; give another --out");
            }
            lines.subList(1, lines.size()).stream().map(String::strip).filter(n -> OWN.matcher(n).matches())
                    .forEach(earlier::add);
        }
        // a file is not renamed over a directory: found here, before any of the report's files replaces an earlier one
        List<String> directories = names.stream().filter(n -> Files.isDirectory(dir.resolve(n), LinkOption.NOFOLLOW_LINKS))
                .toList();
        if (!directories.isEmpty()) {
            throw new BadInputException("--out " + dir + " holds " + (directories.size() == 1 ? "a directory " : "directories ")
                    + String.join(", ", directories) + " where the report writes " + (directories.size() == 1 ? "a file" : "files")
                    + "; move " + (directories.size() == 1 ? "it" : "them") + " away or give another --out");
        }
        List<String> others = names.stream().filter(n -> !earlier.contains(n)
                && Files.exists(dir.resolve(n), LinkOption.NOFOLLOW_LINKS)).toList();
        if (!others.isEmpty()) {
            throw new BadInputException("--out " + dir + " holds " + String.join(", ", others) + ", not written by a "
                    + "report (no " + MANIFEST + " there lists " + (others.size() == 1 ? "it" : "them") + "); give a "
                    + "directory of the report's own");
        }
        return new ReportFiles(dir, earlier);
    }

    /**
     * Writes the report's files, by name, whole and together: the manifest first lists the earlier files and the new
     * ones (a report stopped halfway leaves none of its files unlisted); then every file goes to a copy of its own beside
     * its name ({@link AtomicWrite#copy}), and only once all are written is each renamed over its name. A report that
     * cannot be written (a full disk, a file too large) fails before any rename, leaving the earlier report's files as
     * they were, none torn and none beside a new one. Then the manifest lists the new files alone, and the earlier
     * report's other files are removed.
     */
    void write(Map<String, byte[]> files) throws IOException {
        IoMessage.createOut(dir, dir); // Java's error names only a path, not the option to change
        Set<String> all = new LinkedHashSet<>(earlier);
        all.addAll(files.keySet());
        write(all);
        Map<Path, Path> copies = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                Path target = dir.resolve(f.getKey());
                try {
                    copies.put(AtomicWrite.copy(target, f.getValue()), target);
                } catch (IOException e) {
                    throw IoMessage.naming(target, e); // "file too large" alone names no file
                }
            }
            for (Map.Entry<Path, Path> c : copies.entrySet()) {
                AtomicWrite.publish(c.getKey(), c.getValue());
            }
        } finally {
            for (Path copy : copies.keySet()) {
                Files.deleteIfExists(copy); // gone after its rename; a failed report's, not worth keeping
            }
        }
        write(files.keySet());
        for (String stale : earlier) {
            if (!files.containsKey(stale)) {
                Path p = dir.resolve(stale);
                if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    Files.delete(p);
                }
            }
        }
    }

    private static boolean writtenByAReport(Path summary) {
        if (!Files.isRegularFile(summary, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try (BufferedReader r = Files.newBufferedReader(summary, StandardCharsets.UTF_8)) {
            return TITLE.equals(r.readLine());
        } catch (IOException | UncheckedIOException e) {
            return false; // not readable as a report's summary: not taken for one
        }
    }

    private void write(Collection<String> names) throws IOException {
        AtomicWrite.writeString(dir.resolve(MANIFEST), HEADER + "\n" + String.join("\n", names) + "\n");
    }
}
