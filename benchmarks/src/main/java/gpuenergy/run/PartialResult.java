package gpuenergy.run;

import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import gpuenergy.results.AtomicWrite;
import gpuenergy.results.ResultFile;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The hidden file a configuration's run writes its JMH result to ({@code .NAME.json.partial} beside {@code NAME.json})
 * before the command publishes it under its own name, and what a killed command left of such files in its directory:
 * JMH creates the file empty as a run starts and writes the result only at its end, so an empty one holds nothing
 * measured; what the run measured before the kill is in {@code NAME.unfinished.json} ({@link UnfinishedIterations}).
 * That file is rewritten after every measured iteration through a copy of each write's own
 * ({@link AtomicWrite#writeString}: {@code .NAME.unfinished.json.PID-N.partial}), which a kill can leave too, and so are
 * the command's own records (its settings, its not-run list) and the run's hidden file as the run's end adds the
 * environment to it ({@code ..NAME.json.partial.PID-N.partial}).
 */
public final class PartialResult {
    /** Where a run killed between JMH's end and its publication is kept, in the command's directory. */
    public static final String UNPUBLISHED_DIR = "unpublished";
    private static final String SUFFIX = ".partial";

    private PartialResult() {}

    /** Where the run of {@code result} is written before it is published as {@code result}. */
    public static Path of(Path result) {
        return result.resolveSibling("." + result.getFileName() + SUFFIX);
    }

    /**
     * The run files a killed command left unpublished in {@code dir}, each cleared with one line starting with
     * {@code [command]}: an empty one is removed, its line naming the unfinished file that kept the run's measured
     * iterations where there is one; one with content is moved to {@link #UNPUBLISHED_DIR} (under a name of its own), as
     * a measured run is never thrown away. None stays beside the results, whether or not the command runs
     * that configuration again; none is counted as done.
     *
     * <p>The copies of a run file, of an unfinished file or of a record that the kill stopped before their rename are
     * cleared first, the oldest first: a whole one replaces the file unless that is a later write (then it goes); a torn
     * one is removed, the file holding what was written before. The command holds the directory: no copy there is a
     * live writer's.
     *
     * @param shownDir {@code dir} as the user named it, for the lines
     * @param records  the names of the command's own JSON records in {@code dir}, written whole through a copy
     */
    public static void clear(Path dir, Path shownDir, String command, Set<String> records, PrintStream out)
            throws IOException {
        // before the run files: the line on an empty one names the unfinished file as it is then
        List<Path> copied;
        try (Stream<Path> s = Files.list(dir)) {
            copied = s.map(f -> copyTarget(f, records)).filter(Objects::nonNull).distinct().sorted().toList();
        }
        for (Path target : copied) {
            String name = target.getFileName().toString();
            Kept kept = isRunFile(name, records) ? HIDDEN_RESULT : ResultFile.isUnfinished(target) ? UNFINISHED
                    : records.contains(name) ? RECORD : null;
            if (kept == null) {
                continue; // another file's (the summary's): the next write of it removes one a kill left
            }
            // no run writes its result to a copy's name here: a run file is none of these targets
            for (Path copy : AtomicWrite.copies(target, true)) {
                out.println("[" + command + "] " + clearCopy(copy, shownDir.resolve(copy.getFileName()), target,
                        shownDir.resolve(name), kept));
            }
        }
        List<Path> partials;
        try (Stream<Path> s = Files.list(dir)) {
            partials = s.filter(p -> isRunFile(p.getFileName().toString(), records) && Files.isRegularFile(p))
                    .sorted().toList();
        }
        for (Path p : partials) {
            String name = p.getFileName().toString();
            String result = unhidden(name);
            if (Files.size(p) == 0) {
                Files.delete(p);
                Path unfinished = ResultFile.unfinishedBeside(Path.of(result));
                out.println("[" + command + "] " + shownDir.resolve(name) + ": removed, the empty result file of a run "
                        + "killed before it ended " + (Files.isRegularFile(dir.resolve(unfinished))
                        ? "(its measured iterations are in " + shownDir.resolve(unfinished) + ", not a result)"
                        : "(nothing measured)"));
            } else {
                Path aside = AtomicWrite.setAside(p, dir.resolve(UNPUBLISHED_DIR), result);
                out.println("[" + command + "] " + shownDir.resolve(name) + ": a run killed before its result was "
                        + "published; moved to " + aside + " (not counted as done)");
            }
        }
    }

    /**
     * Whether {@code name} is that of a run's hidden result file, {@link #of} NAME.json: not where NAME.json is an
     * unfinished file or one of the command's {@code records}, whose {@code .NAME.json.partial} is a write's copy
     * ({@link AtomicWrite#copies}).
     */
    private static boolean isRunFile(String name, Set<String> records) {
        if (!name.startsWith(".") || !name.endsWith(".json" + SUFFIX)) {
            return false;
        }
        String result = unhidden(name);
        return !ResultFile.isUnfinished(Path.of(result)) && !records.contains(result);
    }

    /** The file that {@code file} is a copy of, as {@link AtomicWrite#copies} names them; null where it is none (a run file). */
    private static Path copyTarget(Path file, Set<String> records) {
        Path target = AtomicWrite.targetOf(file);
        if (target != null) {
            return target;
        }
        String name = file.getFileName().toString();
        return name.startsWith(".") && name.endsWith(SUFFIX) && name.length() > 1 + SUFFIX.length()
                && !isRunFile(name, records) ? file.resolveSibling(unhidden(name)) : null;
    }

    /** NAME of {@code .NAME.partial}. */
    private static String unhidden(String name) {
        return name.substring(1, name.length() - SUFFIX.length());
    }

    /** What a copy's target holds, as its lines say it: what it is, what stays of it, what a torn first copy loses. */
    private record Kept(String what, String before, String first) {}

    private static final Kept UNFINISHED = new Kept("measured iterations, not a result",
            "the file holds the measured iterations written before it", "its first copy: the one measured iteration it "
            + "held is lost");
    private static final Kept HIDDEN_RESULT = new Kept("a run's result with its environment, not yet published",
            "the file holds the run's result as JMH wrote it", "nothing of the run's result is kept here");
    private static final Kept RECORD = new Kept("the command's record", "the record holds its last whole write",
            "its first copy: the command writes it again");

    /**
     * A copy of the unfinished file {@code unfinished} that a killed plain run left ({@link AtomicWrite#copies}), cleared
     * as {@link #clear} clears those of a command's directory; the line saying what became of it.
     */
    static String clearUnfinishedCopy(Path copy, Path unfinished) throws IOException {
        return clearCopy(copy, copy, unfinished, unfinished, UNFINISHED);
    }

    /**
     * A copy of {@code target} that a kill left before its rename: the file where whole and not older than it, else
     * none; the line saying so.
     */
    private static String clearCopy(Path copy, Path shownCopy, Path target, Path shownTarget, Kept kept)
            throws IOException {
        boolean whole;
        try {
            // a copy that cannot be read is left as it is, the failure one line
            String text = Files.readString(copy);
            whole = !text.isBlank() && JsonParser.parseString(text) != null;
        } catch (CharacterCodingException e) {
            whole = false; // the kill cut it inside a character: the copies are written as UTF-8 text
        } catch (JsonParseException e) {
            whole = false;
        }
        if (whole && Files.isRegularFile(target)
                && Files.getLastModifiedTime(copy).compareTo(Files.getLastModifiedTime(target)) < 0) {
            // the file is a later write's (a rename keeps the time its copy was written): the last whole write stays
            Files.delete(copy);
            return shownCopy + ": removed, a copy of " + shownTarget + " written whole before a kill stopped its rename, "
                    + "older than that file (a later write's)";
        }
        if (whole) {
            AtomicWrite.publish(copy, target);
            return shownCopy + ": the last copy of " + shownTarget + ", written whole before a kill stopped its rename; "
                    + "it is that file now (" + kept.what() + ")";
        }
        Files.delete(copy);
        return shownCopy + ": removed, a copy of " + shownTarget + " torn by a kill while it was written ("
                + (Files.isRegularFile(target) ? kept.before() : kept.first()) + ")";
    }
}
