package gpuenergy.cli;

import gpuenergy.results.AtomicWrite;
import gpuenergy.results.BadInputException;
import gpuenergy.results.BenchmarkResult;
import gpuenergy.results.IoMessage;
import gpuenergy.results.Lines;
import gpuenergy.results.NotRun;
import gpuenergy.results.NotRunList;
import gpuenergy.results.ResultFile;
import gpuenergy.results.TrialRecords;
import gpuenergy.run.UnfinishedIterations;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.BenchmarkException;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.Defaults;
import org.openjdk.jmh.runner.NoBenchmarksException;
import org.openjdk.jmh.runner.ProfilersFailedException;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormat;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.VerboseMode;
import org.openjdk.jmh.util.UnCloseablePrintStream;
import org.openjdk.jmh.util.Utils;

import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A plain run of the benchmarks: JMH's Runner with what {@link SuiteRun} adds, the JSON result written as each benchmark
 * finishes ({@link ProgressiveResult}), and at the end the result with its environment and the list of benchmarks that
 * did not run. What stops it before it starts (an unwritable result, JMH's lock held) is one line and exit 1.
 */
final class BenchmarkRun {
    /** The result of a run given neither -rf nor -rff: its format and its file, named for the run's start. */
    static final ResultFormatType DEFAULT_FORMAT = ResultFormatType.JSON;
    static final String DEFAULT_RESULT = "gpuenergy-result-<date>-<time>.json";

    private final CommandLineOptions cmd;
    private final String[] originalArgs;
    /** The parameters given with -p, by name. */
    private final Set<String> givenParams;
    private final PrintStream console = System.out;
    /**
     * Where the run's JSON results are once its end has written them: the result, else where they are kept instead
     * ({@link ProgressiveResult#keepUnwritten}); null where they are in no file.
     */
    private Path jsonResults;

    BenchmarkRun(CommandLineOptions cmd, String[] originalArgs, Set<String> givenParams) {
        this.cmd = cmd;
        this.originalArgs = originalArgs;
        this.givenParams = givenParams;
    }

    int run() throws IOException {
        String refusal = noneSelected();
        if (refusal == null) {
            refusal = unknownParam(cmd, givenParams);
        }
        if (refusal == null) {
            refusal = severalModes();
        }
        if (refusal == null) {
            refusal = threadGroupsOfOneMethod();
        }
        if (refusal != null) {
            System.err.println(refusal);
            return 1;
        }
        ChainedOptionsBuilder opts = new OptionsBuilder().parent(cmd);

        Path named = resultFile(opts);
        String unwritable = unwritable(named);
        if (unwritable != null) {
            System.err.println(unwritable);
            return 1;
        }
        ResultFile.Claim claim;
        try {
            claim = namedByUser() ? null : jmhWritesJson() ? ResultFile.claimNew(named)
                    : ResultFile.claimNew(named, otherFormat());
        } catch (IOException e) {
            System.err.println(cannotWriteResult(named, IoMessage.cannotWrite(named, e)));
            return 1;
        }
        Path result = claim != null ? claim.result() : named;
        Path other = jmhWritesJson() ? null : claim != null ? claim.beside(otherFormat()) : otherFormatFile();
        try (claim) {
            String output = outputRefusal(result, other);
            if (output != null) {
                System.err.println(output);
                return 1;
            }
            return run(opts, result, other);
        }
    }

    /**
     * The run under the names it holds. JMH writes its result only when the run ends, and creates the file empty at its
     * start, which would empty an earlier result under the name at once and leave it empty where the run is killed: JMH
     * writes a copy of its own, in any format, and the launcher writes the result itself, the JSON as each benchmark
     * finishes, another format ({@code other}) whole at the end ({@link #writeOtherFormat}), beside the JSON. JMH's
     * copy goes at the end, unless the result could not take the run's results and it is kept in their place
     * ({@link ProgressiveResult#keepUnwritten}).
     */
    private int run(ChainedOptionsBuilder opts, Path result, Path other) throws IOException {
        Path jmhCopy = Files.createTempFile("gpuenergy-jmh-result", "." + (other == null ? "json" : otherFormat()));
        jmhCopy.toFile().deleteOnExit(); // a run stopped by SIGTERM or Ctrl-C leaves no temporary file either
        opts.result(jmhCopy.toString());
        if (other != null) {
            console.println("result: " + other + " is written when the run ends; every finished benchmark is kept in "
                    + result + " as it finishes");
        }
        try (SuiteRun suite = new SuiteRun(originalArgs)) {
            return run(opts, suite, result, other, jmhCopy);
        } finally {
            Files.deleteIfExists(jmhCopy);
        }
    }

    /**
     * -bm with several modes (or all) in one run: a result, its not-run list and its unfinished iterations are each one
     * benchmark configuration's, whatever the mode, so the modes of one configuration would be taken for each other.
     */
    private String severalModes() {
        Collection<Mode> modes = cmd.getBenchModes();
        if (modes.size() <= 1 && !modes.contains(Mode.All)) {
            return null;
        }
        return "-bm " + modes.stream().map(Mode::shortLabel).collect(Collectors.joining(",")) + ": one mode per run"
                + " (a result holds one mode of each configuration); run each mode on its own, e.g. -bm thrpt";
    }

    /**
     * -tg where a selected benchmark has one method, in one line naming those; null without -tg, or where each is a
     * {@code @Group} benchmark of several methods. Thread groups divide such a benchmark's threads among its methods:
     * with several groups JMH's harness fails every iteration of a benchmark of one method with its own stack trace, and
     * with one group it runs that many threads, as -t would. JMH lists a {@code @Group} of one method as it lists a plain
     * benchmark.
     */
    private String threadGroupsOfOneMethod() {
        if (!cmd.getThreadGroups().hasValue()) {
            return null;
        }
        List<String> oneMethod = SuiteRun.selected(cmd.getIncludes(), cmd.getExcludes()).stream()
                .filter(e -> e.getThreadGroups().length == 1)
                .map(e -> BenchmarkResult.shortName(e.getUsername()))
                .distinct().sorted().toList();
        if (oneMethod.isEmpty()) {
            return null;
        }
        String groups = Arrays.stream(cmd.getThreadGroups().get()).mapToObj(String::valueOf).collect(Collectors.joining(","));
        return "-tg " + groups + ": thread groups divide a @Group benchmark's threads among its methods, and "
                + String.join(", ", oneMethod) + (oneMethod.size() == 1 ? " has one" : " have one each")
                + "; give the threads with -t";
    }

    /**
     * The first -p name that no selected benchmark has, in one line with the parameters they have; null when each is
     * some selected benchmark's, or none is selected (JMH says so itself). JMH would run without it unseen, and list
     * the benchmarks (-l, -lp) as if it were theirs.
     *
     * @param givenParams the parameters given with -p, by name
     */
    static String unknownParam(CommandLineOptions cmd, Set<String> givenParams) {
        List<BenchmarkListEntry> selected = SuiteRun.selected(cmd.getIncludes(), cmd.getExcludes());
        Set<String> declared = new HashSet<>();
        selected.forEach(e -> declared.addAll(e.getParams().orElse(Map.of()).keySet()));
        String name = givenParams.stream().filter(p -> !declared.contains(p)).findFirst().orElse(null);
        if (selected.isEmpty() || name == null) {
            return null;
        }
        Map<String, Set<String>> byClass = new TreeMap<>();
        selected.forEach(e -> byClass.computeIfAbsent(e.getUserClassQName().substring(e.getUserClassQName().lastIndexOf('.') + 1),
                k -> new TreeSet<>()).addAll(e.getParams().orElse(Map.of()).keySet()));
        return "-p " + name + ": no selected benchmark has this parameter; " + byClass.entrySet().stream()
                .map(c -> c.getValue().isEmpty() ? c.getKey() + " has none" : c.getKey() + "'s are " + String.join(", ", c.getValue()))
                .collect(Collectors.joining("; "));
    }

    /**
     * Why no benchmark would run, in one line, before the run says anything else: a pattern that is no regular
     * expression, or one that selects none ({@link #noBenchmarkLine}); null when some benchmark is selected, or the
     * benchmark list itself is missing (JMH says so).
     */
    private String noneSelected() {
        for (String p : Stream.concat(cmd.getIncludes().stream(), cmd.getExcludes().stream()).toList()) {
            try {
                Pattern.compile(p);
            } catch (PatternSyntaxException e) {
                return badPattern(e);
            }
        }
        boolean none = SuiteRun.selected(cmd.getIncludes(), cmd.getExcludes()).isEmpty()
                && !SuiteRun.selected(List.of(), List.of()).isEmpty();
        return none ? noBenchmarkLine() : null;
    }

    private static String badPattern(PatternSyntaxException e) {
        return "bad benchmark pattern '" + e.getPattern() + "': " + e.getDescription()
                + " (a benchmark is selected by a regular expression)";
    }

    /**
     * Why no benchmark is selected, in one line: the patterns match none (a misspelt subcommand lands here too: it is
     * taken for a benchmark name), or -e excludes every one they match.
     */
    private String noBenchmarkLine() {
        String patterns = cmd.getIncludes().stream().map(i -> "'" + i + "'").collect(Collectors.joining(", "));
        if (cmd.getExcludes().isEmpty() || SuiteRun.selected(cmd.getIncludes(), List.of()).isEmpty()) {
            return "No benchmark matches " + patterns + "; subcommands are " + String.join(", ", Main.SUBCOMMANDS)
                    + "; -l lists the benchmarks";
        }
        return "no benchmark is left: -e " + String.join(",", cmd.getExcludes()) + " excludes every one"
                + (patterns.isEmpty() ? "" : " matching " + patterns) + "; -l lists the benchmarks";
    }

    /**
     * Why the run cannot write its result (JSON and, with -rf, the other format), in one line; null when it can. Checked
     * before anything runs: JMH would fail at its start with a stack trace, or at its end. A name the suite gives its
     * own files is refused: the result would replace such a file, and be taken for one.
     */
    private String unwritable(Path json) {
        if (cmd.getResult().hasValue() && cmd.getResult().get().isBlank()) {
            return "-rff needs a file name";
        }
        String misnamed = namedByUser() && jmhWritesJson() ? ResultFile.misnamed(json) : null;
        if (misnamed != null) {
            // a run under such a name would set aside or replace another result's not-run list
            return (cmd.getResultFormat().hasValue() ? "-rf json " : "") + "-rff " + cmd.getResult().get() + ": " + misnamed;
        }
        Path named = Path.of(cmd.getResult().orElse(""));
        if (namedByUser() && Files.isSymbolicLink(named)) {
            // every result is written whole, to a file beside the name and renamed over it: the link would become that
            // file, and its target would keep the earlier result unseen
            return "-rff " + cmd.getResult().get() + ": is a symbolic link" + AtomicWrite.linkTarget(named) + "; the result is renamed"
                    + " over the name, which would replace the link, not write its target; name the file itself";
        }
        if (namedByUser()) {
            // the files beside the result are renamed over their names alike: a link there would become a plain file
            // (or be set aside, or removed with an earlier result's list), and its target would never be written
            String beside = linkBeside(json);
            if (beside != null) {
                return "-rff " + cmd.getResult().get() + ": " + beside + "; name the result otherwise, or remove the link";
            }
        }
        if (!jmhWritesJson() && ResultFile.namedAsJson(otherFormatFile())) {
            // the table would lie under a JSON result's name, and the JSON beside it under NAME.json.json
            Path table = otherFormatFile();
            String name = table.getFileName().toString();
            return "-rf " + otherFormat() + " -rff " + cmd.getResult().get() + ": a file named .json is taken for a JSON"
                    + " result, and this run's " + otherFormat() + " table is none; name it "
                    + table.resolveSibling(name.substring(0, name.length() - ".json".length()) + "." + otherFormat())
                    + " (its JSON result is written beside it)";
        }
        List<Path> targets = jmhWritesJson() ? List.of(json) : List.of(otherFormatFile(), json);
        for (Path target : targets) {
            String reserved = ResultFile.reservedFor(target);
            if (reserved != null) {
                return "-rff " + cmd.getResult().get() + ": " + target.getFileName() + " is the name of " + reserved
                        + "; name the result otherwise";
            }
        }
        for (Path target : targets) {
            String why = IoMessage.cannotCreate(target);
            if (why != null) {
                return cannotWriteResult(target, why);
            }
        }
        return null;
    }

    /**
     * "FILE, where the run writes WHAT, is a symbolic link (to TARGET); ..." for the first file the run writes beside
     * its result that is a symbolic link: the JSON result beside another format's file, the not-run list, the
     * unfinished iterations; null when none is.
     */
    private String linkBeside(Path json) {
        if (json.getFileName() == null) {
            return null; // the root has nothing beside it; the checks after this one refuse it as a result file
        }
        Map<Path, String> besides = new LinkedHashMap<>();
        if (!jmhWritesJson()) {
            besides.put(json, "its JSON result");
        }
        besides.put(NotRunList.besides(json), "the list of the benchmarks that did not run");
        besides.put(ResultFile.unfinishedBeside(json), "the measured iterations of benchmarks that do not finish");
        for (Map.Entry<Path, String> file : besides.entrySet()) {
            String link = AtomicWrite.renamedOverLink(file.getKey(), "where the run writes " + file.getValue());
            if (link != null) {
                return link;
            }
        }
        return null;
    }

    /** "cannot write the result file F: why", and where the run chose the name, how to choose another. */
    private String cannotWriteResult(Path target, String why) {
        boolean inWorkingDir = !namedByUser();
        return "cannot write the result file " + target
                + (inWorkingDir ? " in the working directory " + Path.of("").toAbsolutePath() : "") + ": " + why
                + (inWorkingDir ? "; run from a writable directory or name the file with -rff PATH" : "");
    }

    /**
     * Why the -o file cannot be JMH's output, in one line; null when it can, or none is given. JMH replaces the file
     * with its output, as asked, unless it is this run's result, a result, or a name the suite gives its own files:
     * those are refused before anything runs.
     *
     * @param other the file JMH writes with -rf FORMAT; null for JSON
     */
    private String outputRefusal(Path result, Path other) {
        if (!cmd.getOutput().hasValue()) {
            return null;
        }
        String name = cmd.getOutput().get();
        Path file = Path.of(name);
        String reserved = ResultFile.reservedFor(file);
        if (reserved != null) {
            return "-o " + name + ": " + file.getFileName() + " is the name of " + reserved + "; name the output otherwise";
        }
        Path absolute = file.toAbsolutePath().normalize();
        if (Stream.of(result, other).filter(Objects::nonNull).anyMatch(r -> r.toAbsolutePath().normalize().equals(absolute))) {
            return "-o " + name + ": this run's result is written there; name the output otherwise";
        }
        if (ResultFile.holdsResult(file)) {
            return "-o " + name + ": holds a result, which JMH's output would replace; name the output otherwise";
        }
        String why = IoMessage.cannotCreate(file);
        return why == null ? null : "cannot write the output file " + name + " (-o): " + why;
    }

    private int run(ChainedOptionsBuilder opts, SuiteRun suite, Path result, Path other, Path jmhCopy) throws IOException {
        String energy = suite.configure(opts, cmd);
        OutputFormat jmhOut = createOutputFormat();
        ProgressiveResult written = new ProgressiveResult(jmhOut, result, jmhCopy, suite::withEnvironment);
        FailureCapture capture = new FailureCapture(written, suite, result, other != null && namedByUser());
        if (energy != null) {
            written.sayAtStart("energy: not measured (" + energy + ")");
        }
        // -f 0 runs the benchmarks in this VM: it reads the property the forks get on their command line
        String previous = System.setProperty(TrialRecords.PROPERTY, suite.records.toString());
        Collection<RunResult> results;
        boolean stoppedAtFailure = false;
        try {
            results = new Runner(opts.build(), capture).run();
        } catch (NoBenchmarksException e) {
            System.err.println(noBenchmarkLine());
            if (cmd.verbosity().orElse(Defaults.VERBOSITY) == VerboseMode.EXTRA) {
                new Runner(cmd).list();
            }
            return 1;
        } catch (ProfilersFailedException e) {
            Throwable ex = e;
            while (ex != null) {
                System.err.println(ex.getMessage());
                for (Throwable supp : ex.getSuppressed()) {
                    System.err.println(supp.getMessage());
                }
                ex = ex.getCause();
            }
            return 1;
        } catch (RunnerException e) {
            if (!(e.getCause() instanceof BenchmarkException) || !cmd.shouldFailOnError().orElse(false)) {
                // JMH's own refusals (its lock held by another run, ...) are complete sentences: no stack trace
                System.err.println(oneLine(e));
                return 1;
            }
            // -foe: JMH stops at the first failure and returns nothing; what finished before it is kept all the same
            results = written.finished();
            written.finish(UnfinishedIterations.FAILED);
            stoppedAtFailure = true;
        } catch (PatternSyntaxException e) {
            System.err.println(badPattern(e));
            return 1;
        } catch (IndexOutOfBoundsException e) {
            if (!capture.failedUnderWay()) {
                throw e; // not the stop below: a defect, with its trace
            }
            // JMH running a benchmark in its own VM (-f 0) fails on its own bookkeeping after an iteration that threw,
            // and stops the run there. What finished is kept, the failed benchmark's iterations too, and it is listed
            results = written.finished();
            written.finish(UnfinishedIterations.FAILED);
            System.err.println("JMH cannot go on in its own VM (-f 0) after an iteration that threw: no benchmark after"
                    + " it was started");
            stoppedAtFailure = true;
        } catch (RuntimeException e) {
            if (Arrays.stream(e.getStackTrace()).noneMatch(f -> f.getMethodName().equals("readPropertiesFromCommand"))) {
                throw e;
            }
            // -jvm naming something that does not run as a JVM: JMH asks it for its properties before any fork
            System.err.println("-jvm " + cmd.getJvm().orElse("") + ": it does not run as a Java VM (JMH could not read its"
                    + " system properties with it); give a java executable, or a script that execs one with \"$@\"");
            return 1;
        } finally {
            if (previous == null) {
                System.clearProperty(TrialRecords.PROPERTY);
            } else {
                System.setProperty(TrialRecords.PROPERTY, previous);
            }
        }
        // a benchmark that failed after measuring is no result, though JMH may return its iterations as one
        results = capture.resultsOnly(results);
        int rc = postProcess(results, capture, suite, result, written);
        if (other != null) {
            rc = Math.max(rc, writeOtherFormat(other, result, results));
        }
        if (stoppedAtFailure) {
            if (cmd.shouldFailOnError().orElse(false)) {
                System.err.println("the run stopped at its first failure (-foe true): no benchmark after it was started");
            }
            return 1;
        }
        return rc;
    }

    /**
     * The -rf file, from the results alone: JMH's copy holds every benchmark it kept, a failed one's part included, or
     * nothing when it stops (-foe, -f 0). With no result none is written, and an earlier run's file under the name stays
     * as it was: the JSON beside says nothing was measured.
     *
     * @param json the JSON result beside it
     * @return 1 when it could not be written, else 0
     */
    private int writeOtherFormat(Path file, Path json, Collection<RunResult> results) {
        try {
            if (results.isEmpty()) {
                return 0;
            }
            // formatted in memory, then written whole by rename: JMH's own writer prints into the file in place and
            // ignores write errors, which leaves a truncated table under a full disk or a stop
            ByteArrayOutputStream table = new ByteArrayOutputStream();
            try (PrintStream out = new PrintStream(table, true, StandardCharsets.UTF_8)) {
                ResultFormatFactory.getInstance(cmd.getResultFormat().orElse(Defaults.RESULT_FORMAT), out).writeOut(results);
            }
            AtomicWrite.writeString(file, table.toString(StandardCharsets.UTF_8));
            PrintStream out = resultLines();
            out.println("Benchmark result is saved to " + file); // JMH's own line names its copy
            if (out != console) {
                out.close();
            }
            return 0;
        } catch (IOException | RuntimeException e) {
            System.err.println("result not written to " + file + ": "
                    + Lines.firstLine(String.valueOf(e.getMessage()))
                    + (json.equals(jsonResults) ? "; the JSON beside it, " + json + ", holds the results"
                    : jsonResults != null ? "; " + jsonResults + " holds the results" : ""));
            return 1;
        }
    }

    /** "ERROR: what JMH says[: its cause]", the first line of each. */
    private static String oneLine(Throwable e) {
        String line = Lines.firstLine(e.getMessage());
        Throwable cause = e.getCause();
        while (cause != null && cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String why = cause == null ? "" : ": " + (cause.getMessage() == null ? cause.getClass().getSimpleName()
                : cause.getClass().getSimpleName() + ": " + Lines.firstLine(cause.getMessage()));
        return (line.startsWith("ERROR") ? "" : "ERROR: ") + line + why;
    }

    /**
     * The JSON result this run writes, or where no -rff names it, the first name it claims ({@link ResultFile#claimNew}):
     * JMH's when -rf json is given (jmh-result.json without -rff); with no -rf and no -rff a timestamped
     * gpuenergy-result-*.json (JMH alone would write none); -rff *.json alone, in any case, means JSON. With another format, the JSON
     * beside that format's file ({@link #besideOtherFormat}): only JSON carries the environment, and only it is written
     * as each benchmark finishes.
     */
    private Path resultFile(ChainedOptionsBuilder opts) {
        boolean rf = cmd.getResultFormat().hasValue();
        if (!rf && !namedByUser()) {
            opts.resultFormat(DEFAULT_FORMAT);
            return Path.of(DEFAULT_RESULT.replace("<date>-<time>",
                    LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))));
        }
        if (!rf && ResultFile.namedAsJson(Path.of(cmd.getResult().get()))) {
            opts.resultFormat(ResultFormatType.JSON);
            return Path.of(cmd.getResult().get());
        }
        if (jmhWritesJson()) {
            return Path.of(cmd.getResult().orElse(Defaults.RESULT_FILE_PREFIX + ".json"));
        }
        return besideOtherFormat(otherFormatFile());
    }

    /**
     * Whether -rff names the result. A name the run gives itself (its own default, JMH's jmh-result.FORMAT, the JSON
     * beside it) is claimed ({@link ResultFile#claimNew}), so that no other run's files are ever under it.
     */
    private boolean namedByUser() {
        return cmd.getResult().hasValue();
    }

    /** False when JMH writes another format: -rf FORMAT, or -rff FILE not ending in .json in any case (JMH's default format). */
    private boolean jmhWritesJson() {
        if (!cmd.getResultFormat().hasValue()) {
            return !namedByUser() || ResultFile.namedAsJson(Path.of(cmd.getResult().get()));
        }
        return cmd.getResultFormat().get() == ResultFormatType.JSON;
    }

    /** The extension of JMH's -rf file, where -rff does not name it: csv, scsv, text, latex. */
    private String otherFormat() {
        return cmd.getResultFormat().orElse(Defaults.RESULT_FORMAT).toString().toLowerCase(java.util.Locale.ROOT);
    }

    /** The file JMH writes in a format other than JSON, before a name the run gives it is claimed. */
    private Path otherFormatFile() {
        return Path.of(cmd.getResult().orElse(Defaults.RESULT_FILE_PREFIX + "." + otherFormat()));
    }

    /** run.csv -> run.json; a name that would not change gets .json added. */
    static Path besideOtherFormat(Path other) {
        if (other.getFileName() == null) {
            return other; // the root: refused as a directory, as any directory named for the result is
        }
        String name = other.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String json = (dot > 0 ? name.substring(0, dot) : name) + ".json";
        return other.resolveSibling(json.equals(name) ? name + ".json" : json);
    }

    /** @param written what kept the run's results and its unfinished benchmarks' measured iterations as they came */
    private int postProcess(Collection<RunResult> results, FailureCapture capture, SuiteRun suite, Path result,
                            ProgressiveResult written) throws IOException {
        int unfinished = written.unfinishedCount();
        Set<String> succeeded = new HashSet<>();
        for (RunResult r : results) {
            succeeded.add(BenchmarkResult.key(r.getParams()));
        }
        List<NotRun> notRun = capture.notRun(succeeded);
        boolean unwritten = false;
        PrintStream out = resultLines();
        try {
            if (!results.isEmpty()) {
                // the whole run, its forks' iterations apart, replaces what was written benchmark by benchmark
                try {
                    capture.beforeResult();
                    String missing = ProgressiveResult.write(result, results, suite::withEnvironment);
                    jsonResults = result;
                    capture.resultWritten();
                    written.resultWritten(); // every finished benchmark is in it now, one whose own write failed too
                    if (missing != null) {
                        out.println("environment: not added to " + result + " (" + missing + "); the JMH result is unchanged");
                    }
                    if (jmhWritesJson()) {
                        out.println("Benchmark result is saved to " + result);
                    }
                    hostPacedNote(result, out);
                } catch (IOException e) {
                    System.err.println("result not written to " + result + ": " + IoMessage.cannotWrite(result, e) + "; "
                            + keepUnwritten(written, results));
                    unwritten = true;
                    // a benchmark whose own write failed too is in no result: its iterations stay, as a failed one's
                    written.resultNotWritten("its result could not be written to " + result);
                }
            } else {
                // an empty array would only be an input every reader refuses
                out.println(unfinished == 0 ? "No result file written: nothing was measured"
                        : "No result file written: no benchmark finished; the measured iterations of " + unfinished
                        + " are kept in " + ResultFile.unfinishedBeside(result) + " (not a result)");
            }
            if (notRun.isEmpty() && !results.isEmpty() && !unwritten) {
                capture.removeList();
            }
            if (!notRun.isEmpty()) {
                Path file = NotRunList.besides(result);
                String listed = ", listed in " + file;
                capture.beforeList();
                try {
                    NotRunList.write(file, notRun);
                } catch (IOException e) {
                    System.err.println("not-run list not written to " + file + ": " + IoMessage.cannotWrite(file, e));
                    unwritten = true;
                    listed = ""; // the console's list below is then the only one
                }
                out.println("");
                out.println("Not run (" + notRun.size() + ")" + listed + ":");
                notRun.forEach(n -> out.println("  " + n.consoleLine()));
            }
        } finally {
            out.flush();
            if (out != console) {
                out.close();
            }
        }
        // the sweep's rule too: a failure (kind error) or nothing measured is 1; unavailable or did-not-fit is not
        return unwritten ? 1 : NotRun.exitCode(results.size(), notRun.stream().map(NotRun::kind).toList());
    }

    /** Where the run's closing lines go, as JMH's own: the -o file, appended to, else the console. */
    private PrintStream resultLines() throws FileNotFoundException {
        return cmd.getOutput().hasValue() ? new PrintStream(new java.io.FileOutputStream(cmd.getOutput().get(), true), true)
                : console;
    }

    /**
     * Keeps the results the result file could not take elsewhere ({@link ProgressiveResult#keepUnwritten}), as a kill
     * would have kept them benchmark by benchmark; the end of the line that says so, or that they could not be kept.
     */
    private String keepUnwritten(ProgressiveResult written, Collection<RunResult> results) {
        try {
            ProgressiveResult.Kept kept = written.keepUnwritten(results);
            jsonResults = kept.file();
            return kept.said();
        } catch (IOException e) {
            return "nor could its results be kept in java.io.tmpdir (" + IoMessage.describe(e) + ")";
        }
    }

    /** The advice on benchmarks measured at the host's pace in too few forks, from the result just written. */
    private static void hostPacedNote(Path result, PrintStream out) {
        try {
            HostPacedNote.line(ResultFile.read(result)).ifPresent(out::println);
        } catch (BadInputException | RuntimeException e) {
            // advice only: the result is written, and a reader of it says what it cannot read
        }
    }

    /** As JMH's Runner makes it (-o file, else an unclosable System.out), so the output is JMH's own. */
    private OutputFormat createOutputFormat() throws IOException {
        PrintStream out = cmd.getOutput().hasValue() ? outputFile(cmd.getOutput().get())
                : new UnCloseablePrintStream(System.out, Utils.guessConsoleEncoding());
        return OutputFormatFactory.createFormatInstance(out, cmd.verbosity().orElse(Defaults.VERBOSITY));
    }

    /**
     * The -o file, opened as JMH opens it. It is checked before the run ({@link #unwritable}) but may have become
     * unwritable since: an IOException whose message is one line naming -o, which the launcher prints as such.
     */
    static PrintStream outputFile(String file) throws IOException {
        try {
            return new PrintStream(file);
        } catch (FileNotFoundException e) {
            String why = IoMessage.cannotCreate(Path.of(file));
            throw new IOException("cannot write the output file " + file + " (-o): "
                    + (why != null ? why : IoMessage.reason(e)), e);
        }
    }
}
