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
import java.util.Set;
import java.util.stream.Stream;

/**
 * The hidden file a configuration's run writes its JMH result to ({@code .NAME.json.partial} beside {@code NAME.json})
 * before the command publishes it under its own name, and what a killed command left of such files in its directory:
 * JMH creates the file empty as a run starts and writes the result only at its end, so an empty one holds nothing
 * measured; what the run measured before the kill is in {@code NAME.unfinished.json} ({@link UnfinishedIterations}).
 * That file is rewritten after every measured iteration through a file of the same hidden form
 * ({@link AtomicWrite#writeString}), which a kill can leave too, and so are the command's own records (its settings,
 * its not-run list).
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
     * <p>A new copy of an unfinished file or of a record the kill stopped before its rename is cleared first: whole, it
     * is the newer copy and replaces the file; torn, it is removed, the file holding what was written before.
     *
     * @param shownDir {@code dir} as the user named it, for the lines
     * @param records  the names of the command's own JSON records in {@code dir}, written whole through a copy
     */
    public static void clear(Path dir, Path shownDir, String command, Set<String> records, PrintStream out)
            throws IOException {
        // first the copies of the runs' hidden results (..NAME.json.partial.partial), made as a run's end adds the
        // environment to its JMH file: a kill before the copy's rename leaves it beside that file
        List<Path> copies;
        try (Stream<Path> s = Files.list(dir)) {
            copies = s.filter(p -> {
                String name = p.getFileName().toString();
                return name.startsWith("..") && name.endsWith(".json" + SUFFIX + SUFFIX) && Files.isRegularFile(p);
            }).sorted().toList();
        }
        for (Path p : copies) {
            Path target = dir.resolve(p.getFileName().toString().substring(1, p.getFileName().toString().length() - SUFFIX.length()));
            out.println("[" + command + "] " + clearCopy(p, shownDir.resolve(p.getFileName()), target,
                    shownDir.resolve(target.getFileName()), HIDDEN_RESULT));
        }
        List<Path> partials;
        try (Stream<Path> s = Files.list(dir)) {
            partials = s.filter(p -> {
                String name = p.getFileName().toString();
                return name.startsWith(".") && name.endsWith(".json" + SUFFIX) && Files.isRegularFile(p);
            }).sorted().toList();
        }
        // before the run files: the line on an empty one names the unfinished file as it is then
        for (Path p : partials) {
            Path target = dir.resolve(target(p));
            if (ResultFile.isUnfinished(target)) {
                out.println("[" + command + "] " + clearCopy(p, shownDir.resolve(p.getFileName()), target,
                        shownDir.resolve(target.getFileName()), UNFINISHED));
            } else if (records.contains(target(p))) {
                out.println("[" + command + "] " + clearCopy(p, shownDir.resolve(p.getFileName()), target,
                        shownDir.resolve(target.getFileName()), RECORD));
            }
        }
        for (Path p : partials) {
            String name = p.getFileName().toString();
            String result = target(p);
            if (ResultFile.isUnfinished(Path.of(result)) || records.contains(result)) {
                continue;
            }
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

    /** NAME.json of .NAME.json.partial. */
    private static String target(Path partial) {
        String name = partial.getFileName().toString();
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
     * The copy of the unfinished file {@code unfinished} a killed plain run left, cleared as {@link #clear} clears those
     * of a command's directory; the line saying what became of it, or null where there is none.
     */
    static String clearUnfinishedCopy(Path unfinished) throws IOException {
        Path copy = of(unfinished);
        return Files.isRegularFile(copy) ? clearCopy(copy, copy, unfinished, unfinished, UNFINISHED) : null;
    }

    /** A copy of {@code target} that a kill left before its rename: newer where whole, else none; the line saying so. */
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
