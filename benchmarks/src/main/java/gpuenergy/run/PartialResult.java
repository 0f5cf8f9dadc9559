package gpuenergy.run;

import gpuenergy.results.AtomicWrite;
import gpuenergy.results.ResultFile;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The hidden file a configuration's run writes its JMH result to ({@code .NAME.partial} beside {@code NAME}) before the
 * command publishes it under its own name, and what a killed command left of such files in its directory: JMH creates
 * the file empty as a run starts and writes the result only at its end, so an empty one holds nothing measured; what
 * the run measured before the kill is in {@code NAME.unfinished.json} ({@link UnfinishedIterations}).
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
     * @param shownDir {@code dir} as the user named it, for the lines
     */
    public static void clear(Path dir, Path shownDir, String command, PrintStream out) throws IOException {
        List<Path> partials;
        try (Stream<Path> s = Files.list(dir)) {
            partials = s.filter(p -> {
                String name = p.getFileName().toString();
                return name.startsWith(".") && name.endsWith(".json" + SUFFIX) && Files.isRegularFile(p);
            }).sorted().toList();
        }
        for (Path p : partials) {
            String name = p.getFileName().toString();
            String result = name.substring(1, name.length() - SUFFIX.length());
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
}
