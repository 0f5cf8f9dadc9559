package gpuenergy.report;

import gpuenergy.options.Subcommand;
import gpuenergy.results.Numbers;
import gpuenergy.results.BadInputException;
import gpuenergy.results.BenchmarkResult;
import gpuenergy.results.IoMessage;
import gpuenergy.results.NotRun;
import gpuenergy.results.NotRunList;
import gpuenergy.results.ParamNames;
import gpuenergy.results.ResultFile;
import gpuenergy.results.ShardFile;
import gpuenergy.results.SweepResults;
import gpuenergy.run.DirectoryLock;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import joptsimple.OptionParser;
import joptsimple.OptionSet;
import joptsimple.OptionSpec;

/**
 * {@code report RESULT.json... --out DIR [--catalog catalog.csv] [--engines A,B] [--reference FILE]... [--strict]}: writes
 * DIR/summary.md, DIR/summary.csv, DIR/environment.csv, DIR/index.html (inline SVG plots) and one PNG per plot;
 * with references (plain PyTorch measured on the same GPU, {@link EagerReferenceFile}) also DIR/validation.csv; never
 * over a file that no earlier report wrote ({@link ReportFiles}). A result
 * file that cannot be used (missing, empty, not JMH JSON) is skipped with one line naming it, and the rest is reported: a
 * sweep's directory may hold the file of a killed run; so are a file's entries of another benchmark (no model or engine). Exit 0 on success; 1 when the report cannot be written (an I/O
 * error, as in the other commands); 2 when no result file is usable, any input is unusable under --strict, or an option
 * or a --catalog/--reference file is bad.
 */
public final class ReportCommand {
    private ReportCommand() {}

    static final String USAGE = "usage: report RESULT.json|SWEEP_DIR... --out DIR [--catalog catalog.csv] [--engines A,B] "
            + "[--reference PYTHON_EAGER.json]... [--strict]";

    /** The command line: its options, and the result files as the arguments that are none. */
    private static final class CommandLine extends Subcommand {
        final OptionSpec<String> out = parser.accepts("out", "where the report is written").withRequiredArg().describedAs("DIR");
        final OptionSpec<String> catalog = parser.accepts("catalog", "model catalog CSV (default: catalog.csv in "
                + "benchmarks.jar)").withRequiredArg().describedAs("FILE");
        final OptionSpec<String> engines = parser.accepts("engines", "draw the J/img reduction figure of this engine "
                + "pair only").withRequiredArg().describedAs("A,B");
        final OptionSpec<String> references = parser.accepts("reference", "plain PyTorch eager measured on the same "
                + "GPU (JSON, docs/report.md): the validation table; repeatable")
                .withRequiredArg().describedAs("FILE");
        final OptionSpec<Void> strict = parser.accepts("strict", "exit 2 when any result file is unusable (default: "
                + "skip it with one line)");
        final OptionSpec<String> files = parser.nonOptions("JMH JSON results (-rf json), or sweep directories (a sharded "
                + "sweep's: its shard-I-of-N parts, merged); a sibling <result>.notrun.json or sweep.notrun.json is listed "
                + "under \"Not run\"").describedAs("RESULT.json|SWEEP_DIR");

        CommandLine() {
            super("report", USAGE,
                    "  Writes DIR/summary.md, summary.csv, environment.csv, index.html, one PNG per plot, validation.csv with",
                    "  --reference, and report-files.txt, the list of them: a rerun replaces or removes these, never another file",
                    "  (docs/report.md).",
                    "  Exit status: 0 report written; 1 the report could not be written (--out a file, not writable, a Java",
                    "  runtime without java.desktop, ...);",
                    "  2 no usable result file, any unusable under --strict, a bad option (an --out holding files that no",
                    "  earlier report wrote), catalog or reference file.");
        }

        @Override
        protected int run(OptionSet options, PrintStream stdout, PrintStream err) throws BadInputException {
            // JFreeChart draws with Java2D: no display needed (CI has none), and none opened where there is one
            System.setProperty("java.awt.headless", "true");
            if (ModuleLayer.boot().findModule("java.desktop").isEmpty()) {
                // a runtime made with jlink for the benchmarks alone has no Java2D: say so before reading anything
                err.println("report: the plots are drawn with Java2D (module java.desktop), which the Java runtime in "
                        + System.getProperty("java.home") + " lacks; run report with a full JDK or JRE, or add "
                        + "java.desktop to a jlink'ed one (--add-modules java.desktop)");
                return 1;
            }
            try {
                report(this, options, stdout, err);
            } catch (IOException e) {
                // the machine's, not the command line's: exit 1, as sweep and overhead give for an I/O error
                err.println("report: " + (e instanceof IoMessage.OutNotCreated ? e.getMessage()
                        : "cannot write the report (" + IoMessage.reason(e)
                        + (e instanceof java.nio.file.FileSystemException f && f.getFile() != null ? ": " + f.getFile() : "") + ")"));
                return 1;
            }
            return 0;
        }
    }

    public static int run(String[] args) {
        return run(args, System.out, System.err);
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        return new CommandLine().run(args, out, err);
    }

    private static void report(CommandLine command, OptionSet options, PrintStream out, PrintStream err)
            throws BadInputException, IOException {
        List<String> files = options.valuesOf(command.files);
        String outOption = Subcommand.once(options, command.out);
        if (files.isEmpty() || outOption == null) {
            throw new BadInputException((files.isEmpty() ? "no result file given" : "no --out DIR given") + "; " + USAGE);
        }
        Path outDir = Path.of(outOption);
        ReportFiles.checkDirectory(outDir);
        String catalogFile = Subcommand.once(options, command.catalog);
        Catalog catalog = catalogFile == null ? Catalog.bundled() : Catalog.read(Path.of(catalogFile));
        String engineA = null;
        String engineB = null;
        String enginePair = Subcommand.once(options, command.engines);
        if (enginePair != null) {
            String[] pair = enginePair.split(",");
            if (pair.length != 2 || pair[0].isBlank() || pair[1].isBlank()) {
                throw new BadInputException("bad --engines '" + enginePair + "'; accepted: two engine names, e.g. "
                        + "pytorch-fp32,tensorrt-fp16");
            }
            engineA = pair[0].trim();
            engineB = pair[1].trim();
        }
        Map<Path, String> referenceEnvironments = new LinkedHashMap<>();
        List<Validation.Reference> references = new ArrayList<>();
        for (String v : Subcommand.onceEach("report", Subcommand.each(options, command.references), v -> v, "--reference file(s)", err)) {
            EagerReferenceFile r = EagerReferenceFile.read(Path.of(v));
            referenceEnvironments.put(Path.of(v), r.environment());
            references.addAll(r.rows());
        }
        boolean strict = Subcommand.flag(options, command.strict);
        List<String> usable = new ArrayList<>();
        List<List<BenchmarkResult>> read = new ArrayList<>();
        // each result file's sibling list, and lists given as inputs; a sweep's files share one list, read once: by its
        // absolute path, each named as first given, as the lines name the inputs
        Map<Path, Path> notRunLists = new LinkedHashMap<>();
        List<String> skipped = new ArrayList<>();
        // each file skipped and its line, for the summary: a reader of the report, not of the console, learns of it
        Map<String, String> skippedFiles = new LinkedHashMap<>();
        List<String> stillMeasured = DirectoryLock.stillMeasured(files);
        stillMeasured.forEach(line -> err.println("report: " + line + ": this report holds the results finished so far"));
        // the file given first is plotted where two measure the same point: an earlier run's, set aside by a later run
        // of the same name, comes after the others (a glob lists NAME.earlier.json before NAME.json)
        List<SweepResults> sweeps = new ArrayList<>();
        List<Input> given = new ArrayList<>(Subcommand.onceEach("report", sweepDirectoriesExpanded(files, sweeps),
                in -> in.problem() == null ? in.file() : null, "input(s)", err));
        given.sort(Comparator.comparing(in -> ResultFile.isEarlierRun(Path.of(in.file()))));
        SweepResults.Held held = new SweepResults.Held();
        // whether each input's directory is a sweep's, told once per directory: a glob gives one directory's files by
        // the thousand, and telling it lists the directory
        Map<Path, Boolean> sweepDirectory = new HashMap<>();
        for (Input input : given) {
            String f = input.file();
            try {
                if (input.problem() != null) {
                    throw new BadInputException(input.problem());
                }
                if (NotRunList.isNotRunList(Path.of(f))) {
                    // a sweep directory's glob catches sweep.notrun.json: it lists what was not run, not results
                    if (!Files.isRegularFile(Path.of(f))) {
                        throw new BadInputException(f + ": no such file");
                    }
                    notRunLists.putIfAbsent(Path.of(f).toAbsolutePath().normalize(), Path.of(f));
                    continue;
                }
                Path parent = Path.of(f).toAbsolutePath().getParent();
                boolean inSweep = sweepDirectory.computeIfAbsent(parent, SweepResults::isSweep);
                boolean noResult = SweepResults.isRecord(Path.of(f)) || ResultFile.isUnfinished(Path.of(f));
                if (noResult && Files.isRegularFile(Path.of(f)) && inSweep) {
                    // a sweep directory's settings and shard records (how it measured) and the measured iterations of
                    // its runs that did not finish (a configuration that failed is not made again): no results
                    continue;
                }
                if (SweepResults.isRecord(Path.of(f)) && Files.isRegularFile(Path.of(f))) {
                    // one outside a sweep's directory (a report's summary.csv, a record copied out): the JSON reader's
                    // line would not say what it is
                    throw new BadInputException(f + ": " + SweepResults.notAResult(Path.of(f)));
                }
                List<BenchmarkResult> entries = inSweep ? SweepResults.read(Path.of(f)) : ResultFile.read(Path.of(f));
                List<BenchmarkResult> named = entries.stream().filter(ReportCommand::namesConfiguration).toList();
                if (named.size() < entries.size()) {
                    // a result of another benchmark: unusable input, skipped as an unusable file is (its line, --strict)
                    String line = unnamedLeftOut(f, entries);
                    if (named.isEmpty() || strict) {
                        throw new BadInputException(line);
                    }
                    skipped.add(line);
                    skippedFiles.put(f, line);
                }
                read.add(named);
                usable.add(f);
            } catch (BadInputException e) {
                if (strict) {
                    throw new BadInputException(e.getMessage() + " (--strict)");
                }
                skipped.add(e.getMessage());
                if (input.problem() == null) {
                    // a sweep's result that cannot be read still shows that the sweep reached its ladder
                    held.unusable(Path.of(f));
                    // (a sweep's problem is listed under "Not run" with the sweep's)
                    skippedFiles.put(f, e.getMessage());
                }
            }
        }
        if (usable.isEmpty()) {
            if (files.size() == 1 && skipped.size() == 1) {
                throw new BadInputException(skipped.get(0));
            }
            if (files.size() == 1 && skipped.isEmpty() && SweepResults.isSweep(Path.of(files.get(0)))) {
                throw new BadInputException(SweepResults.of(Path.of(files.get(0))).noResult());
            }
            if (files.size() == 1 && skipped.isEmpty() && SweepResults.isRecord(Path.of(files.get(0)))
                    && !NotRunList.isNotRunList(Path.of(files.get(0)))) {
                // a record of a sweep's directory, passed over where a glob gives it, given alone
                throw new BadInputException(files.get(0) + ": " + SweepResults.notAResult(Path.of(files.get(0))));
            }
            skipped.forEach(line -> err.println("report: skipped " + line));
            throw new BadInputException(skipped.isEmpty()
                    ? "no result file given, only " + givenInstead(files) + " (" + String.join(", ", files) + "); " + USAGE
                    : "no usable result file among the " + files.size() + " inputs");
        }
        skipped.forEach(line -> err.println("report: skipped " + line));
        // a part of a sweep given that holds no result is named too (its ladders not reached), as is a part missing or
        // skipped (its problem): under the sweep's directory, not as "../shard-2-of-2" beside the part that holds every
        // result
        List<String> named = new ArrayList<>(usable);
        sweeps.forEach(s -> s.parts().stream().filter(p -> !s.skipped().contains(p))
                .forEach(p -> named.add(p.resolve(ShardFile.FILE).toString())));
        sweeps.forEach(s -> s.problems().forEach(p -> named.add(p.path().resolve(ShardFile.FILE).toString())));
        named.addAll(skippedFiles.keySet());
        Path common = commonDirectory(named);
        List<Row> inInputOrder = new ArrayList<>();
        List<Map<String, String>> environments = new ArrayList<>();
        for (int k = 0; k < usable.size(); k++) {
            String f = usable.get(k);
            List<BenchmarkResult> r = read.get(k);
            if (r.stream().noneMatch(BenchmarkResult::hasEnergy)) {
                out.println("report: " + f + ": energy absent (no energy.J/img metric); reporting throughput only");
            }
            List<String> timeModes = r.stream().filter(b -> !b.higherIsBetter()).map(BenchmarkResult::mode).distinct()
                    .toList();
            if (!timeModes.isEmpty()) {
                out.println("report: " + f + ": mode " + String.join(", ", timeModes) + ": JMH's score is a mean of times "
                        + "per op, not a rate: img/s left blank, J/img kept (-bm thrpt gives img/s)");
            }
            String source = shown(common, Path.of(f));
            r.forEach(b -> inInputOrder.add(Row.of(b, source)));
            r.forEach(b -> environments.add(b.environment()));
            Path sibling = NotRunList.of(Path.of(f));
            if (sibling != null) {
                notRunLists.putIfAbsent(sibling.toAbsolutePath().normalize(), sibling);
            }
        }
        Set<String> notRun = new LinkedHashSet<>();
        List<NotRun> notRunEntries = new ArrayList<>();
        for (int k = 0; k < usable.size(); k++) {
            Path file = Path.of(usable.get(k));
            read.get(k).forEach(b -> held.add(file, b.param(ParamNames.MODEL), b.param(ParamNames.ENGINE)));
        }
        for (Path list : notRunLists.values()) {
            try {
                List<NotRun> entries = NotRunList.read(list);
                notRunEntries.addAll(entries);
                entries.forEach(n -> held.add(list, n.param(ParamNames.MODEL), n.param(ParamNames.ENGINE)));
            } catch (BadInputException e) {
                if (strict) {
                    throw new BadInputException(e.getMessage() + " (--strict)");
                }
                // the summary says so too, where what was not run is listed; the console must not hide it either
                err.println("report: " + e.getMessage() + "; the summary lists it as unreadable");
                held.all(list);
            }
            notRun.addAll(NotRunList.lines(list, shown(common, list)));
        }
        notRun.addAll(nothingMeasured(sweeps, held, common, strict, err));
        skippedFiles.forEach((f, line) -> notRun.add(skippedLine(common, f, line)));

        List<Row> rows = Summary.rows(inInputOrder);
        if (engineA != null) {
            checkEnginePair(enginePair, engineA, engineB, rows);
        }
        List<String> referenceFiles = referenceEnvironments.entrySet().stream()
                .map(r -> shown(common, r.getKey()) + ": " + r.getValue()).toList();
        Validation validation = Validation.match(referenceFiles, references, rows);
        Charts charts = new Charts(rows.stream().filter(Row::plotted).toList(), notRunEntries, catalog, engineA,
                engineB);
        Inputs inputs = new Inputs(common, usable.stream().map(f -> shown(common, Path.of(f))).toList(), stillMeasured,
                List.copyOf(notRun), Summary.duplicates(rows), Summary.partialEnergy(rows),
                EnvironmentRecord.of(environments));
        Map<String, byte[]> written = new LinkedHashMap<>();
        written.put("summary.md", Markdown.text(markdown(inputs, charts, rows, validation)).getBytes(StandardCharsets.UTF_8));
        written.put("summary.csv", Summary.csv(rows).getBytes(StandardCharsets.UTF_8));
        written.put("environment.csv", inputs.environment().csv().getBytes(StandardCharsets.UTF_8));
        if (!validation.lines().isEmpty()) {
            written.put("validation.csv", validation.csv().getBytes(StandardCharsets.UTF_8));
        }
        for (Charts.Figure f : charts.figures) {
            written.put(f.id() + ".png", PlotChart.png(f.plot()));
        }
        written.put("index.html", HtmlPage.render(inputs, charts, rows, validation, written).getBytes(StandardCharsets.UTF_8));
        ReportFiles.claim(outDir, written.keySet(), err).write(written);
        out.println("report: " + Numbers.count(rows.size(), "benchmark") + " from " + Numbers.count(usable.size(), "file")
                + (skipped.isEmpty() ? "" : " (" + skipped.size() + " skipped)") + " -> " + outDir.resolve("index.html"));
    }

    /**
     * What the report was made from and what it does not plot: the input files (relative to their common
     * directory), sweep directories a running sweep is still measuring, benchmarks not run, duplicates (listed, not
     * plotted), rows with energy from fewer iterations, and the machines and software the results were measured with.
     */
    record Inputs(Path directory, List<String> files, List<String> stillMeasured, List<String> notRun,
                  List<String> duplicates, List<String> partialEnergy, EnvironmentRecord environment) {

        /** The common directory relative to the working directory when inside it (no machine paths in a report). */
        String displayDirectory() {
            Path cwd = Path.of("").toAbsolutePath();
            return directory.equals(cwd) ? "." : directory.startsWith(cwd) ? cwd.relativize(directory).toString()
                    : directory.toString();
        }

        /** Section heading and lines, for summary.md and index.html alike. */
        Map<String, List<String>> sections() {
            Map<String, List<String>> m = new LinkedHashMap<>();
            m.put("Still being measured: the results finished so far", stillMeasured);
            m.put("Not run", notRun);
            m.put("Measured twice: the file given first is plotted, an earlier run's (*.earlier.json) last", duplicates);
            m.put("Energy from fewer iterations than throughput", partialEnergy);
            m.values().removeIf(List::isEmpty);
            return m;
        }
    }

    /**
     * --engines names the pair of one reduction figure: two different engines, each measured in some result (else the
     * figure would only say "no data").
     */
    private static void checkEnginePair(String option, String a, String b, List<Row> rows) throws BadInputException {
        if (a.equals(b)) {
            throw new BadInputException("bad --engines '" + option + "': names " + a + " twice; accepted: two different "
                    + "engines, e.g. pytorch-fp32,tensorrt-fp16");
        }
        Set<String> measured = new java.util.TreeSet<>();
        rows.forEach(r -> measured.add(r.engine()));
        List<String> absent = List.of(a, b).stream().filter(e -> !measured.contains(e)).toList();
        if (!absent.isEmpty()) {
            throw new BadInputException("bad --engines '" + option + "': " + String.join(" and ", absent) + " in no result; "
                    + "engines measured: " + String.join(", ", measured));
        }
    }

    /** An input file, or what is wrong with a sweep directory given as input. */
    private record Input(String file, String problem) {
    }

    /**
     * One "Not run" line for each problem of a sweep directory among the inputs (a part missing or skipped, whose
     * ladders the report lacks: the line the console gives it, {@link SweepResults.Problem}, its path named as the
     * inputs are), and for each ladder that one records ({@link SweepResults#notReached})
     * and of which the report {@code held} nothing; the sweep's summary.csv, where it wrote one, names it "nothing
     * measured". A sweep whose record cannot be read is said as an unreadable not-run list is: one line on {@code err}
     * and one in the summary, refused under --strict.
     */
    private static List<String> nothingMeasured(List<SweepResults> sweeps, SweepResults.Held held, Path common,
                                                boolean strict, PrintStream err) throws BadInputException {
        List<String> lines = new ArrayList<>();
        for (SweepResults sweep : sweeps) {
            sweep.problems().forEach(p -> lines.add(named(common, p.path()) + ": " + p.what()));
            List<SweepResults.NotReached> notReached;
            try {
                notReached = sweep.notReached(held);
            } catch (BadInputException e) {
                if (strict) {
                    throw new BadInputException(e.getMessage() + " (--strict)");
                }
                err.println("report: " + e.getMessage() + "; the summary lists it as unreadable");
                // only a sweep run whole has its record read here: its one part is the directory given
                Path record = sweep.path().resolve(ShardFile.FILE);
                String why = e.getMessage().startsWith(record + ": ")
                        ? e.getMessage().substring(record.toString().length() + 2) : e.getMessage();
                lines.add(shown(common, record.toAbsolutePath().normalize()) + ": unreadable record of the sweep's ladders ("
                        + why + ")");
                continue;
            }
            for (SweepResults.NotReached l : notReached) {
                lines.add(named(common, l.dir()) + ": " + l.what());
            }
        }
        return lines;
    }

    /**
     * The "Not run" line of an input skipped as unusable: its console line, the file named as the inputs are, so that
     * the summary does not pass over what it left out.
     */
    private static String skippedLine(Path common, String file, String line) {
        String name = shown(common, Path.of(file));
        String why = line.startsWith(file) ? line.substring(file.length()) : ": " + line;
        return name + (why.startsWith(": ") ? ": skipped: " + why.substring(2) : " skipped:" + why);
    }

    /** A sweep's directory or a part's as a "Not run" line names it: {@link #shown}, or its name where it is the common one. */
    private static String named(Path common, Path dir) {
        Path d = dir.toAbsolutePath().normalize();
        String name = shown(common, d);
        return name.isEmpty() ? d.getFileName().toString() : name;
    }

    /**
     * The inputs with each sweep directory replaced by its files: a sharded sweep's directory by every part's (the
     * merge of its shards); what is missing from one (a part, a part's record) is an input to skip, in its place. Each
     * sweep read is added to {@code sweeps}.
     */
    private static List<Input> sweepDirectoriesExpanded(List<String> inputs, List<SweepResults> sweeps) {
        List<Input> expanded = new ArrayList<>();
        for (String f : inputs) {
            Path p = Path.of(f);
            if (Files.isDirectory(p) && !SweepResults.isSweep(p)) {
                expanded.add(new Input(f, SweepResults.notASweep(p) + "; pass its result files, e.g. " + p.resolve("*.json")));
                continue;
            }
            if (!SweepResults.isSweep(p)) {
                expanded.add(new Input(f, null));
                continue;
            }
            try {
                SweepResults sweep = SweepResults.of(p);
                sweeps.add(sweep);
                sweep.problems().forEach(problem -> expanded.add(new Input(f, problem.line())));
                sweep.files().forEach(file -> expanded.add(new Input(file.toString(), null)));
            } catch (BadInputException e) {
                expanded.add(new Input(f, e.getMessage()));
            }
        }
        return expanded;
    }

    /** Every row, plot and validation pair is one model's on one engine: an entry without either would be a row with no name. */
    private static boolean namesConfiguration(BenchmarkResult r) {
        // without a batchSize an operation is not a known number of images: its row would show ops/s as img/s at batch 1
        return CONFIGURATION.stream().noneMatch(p -> r.param(p).isBlank());
    }

    /** The parameters a row of the report is named by. */
    private static final List<String> CONFIGURATION = List.of(ParamNames.MODEL, ParamNames.ENGINE, ParamNames.BATCH_SIZE);

    /**
     * "F: org.example.Other.run: no model, engine or batchSize parameter, as the suite's results have (a result of another
     * benchmark); 1 of 25 entries left out": the line for a file with entries that do not {@link #namesConfiguration}.
     */
    private static String unnamedLeftOut(String file, List<BenchmarkResult> entries) {
        List<BenchmarkResult> unnamed = entries.stream().filter(r -> !namesConfiguration(r)).toList();
        List<String> missing = new ArrayList<>();
        for (String p : CONFIGURATION) {
            if (unnamed.stream().anyMatch(r -> r.param(p).isBlank())) {
                missing.add(p);
            }
        }
        int n = unnamed.size();
        return file + ": " + String.join(", ", unnamed.stream().map(BenchmarkResult::benchmark).distinct().toList())
                + ": no " + (missing.size() == 1 ? missing.get(0) : String.join(", ", missing.subList(0, missing.size() - 1))
                + " or " + missing.get(missing.size() - 1)) + " parameter, as the suite's results have (a result of another "
                + "benchmark); " + (n < entries.size() ? n + " of " + entries.size() + " entries" : n == 1 ? "its entry"
                : "all its " + n + " entries") + " left out";
    }

    /** What inputs that hold no result are, for the line refusing them. */
    private static String givenInstead(List<String> files) {
        List<String> kinds = new ArrayList<>();
        if (files.stream().anyMatch(f -> ResultFile.isUnfinished(Path.of(f)))) {
            kinds.add("the measured iterations of runs that did not finish");
        }
        if (files.stream().anyMatch(f -> SweepResults.isRecord(Path.of(f)) && !NotRunList.isNotRunList(Path.of(f)))) {
            kinds.add("a sweep's records");
        }
        if (files.stream().anyMatch(f -> NotRunList.isNotRunList(Path.of(f)))) {
            kinds.add("lists of benchmarks not run");
        }
        if (files.stream().anyMatch(f -> SweepResults.isSweep(Path.of(f)))) {
            kinds.add("sweeps that hold no result");
        }
        return String.join(" and ", kinds);
    }

    /** The deepest directory holding every input file; inputs are named relative to it. */
    static Path commonDirectory(List<String> files) {
        Path common = Path.of(files.get(0)).toAbsolutePath().normalize().getParent();
        for (String f : files) {
            Path p = Path.of(f).toAbsolutePath().normalize();
            while (!p.startsWith(common)) {
                common = common.getParent();
            }
        }
        return common;
    }

    /**
     * A file as the report names it: relative to the inputs' common directory, which the summary names once, as the
     * inputs are named (their --reference files and lists of benchmarks not run too): no machine paths in a report.
     */
    static String shown(Path common, Path file) {
        return common.relativize(file.toAbsolutePath().normalize()).toString();
    }

    static String markdown(Inputs inputs, Charts charts, List<Row> rows, Validation validation) {
        StringBuilder sb = new StringBuilder(ReportFiles.TITLE + "\n\nInputs (under `")
                .append(inputs.displayDirectory()).append("`): ")
                .append(String.join(", ", inputs.files())).append("\n\n");
        charts.findings.forEach(f -> sb.append("- ").append(f).append('\n'));
        if (rows.stream().anyMatch(Row::best)) {
            sb.append("\n## Best batch per model\n\n").append(BestBatchTable.INTRO).append("\n\n")
                    .append(charts.bestBatchMarkdown());
        }
        inputs.sections().forEach((heading, lines) -> {
            sb.append("\n## ").append(heading).append("\n\n");
            lines.forEach(n -> sb.append("- ").append(n).append('\n'));
        });
        if (!inputs.environment().isEmpty()) {
            sb.append(inputs.environment().markdown());
        }
        sb.append("\n## Results\n\n").append(Summary.INTRO).append("\n\n").append(Summary.markdown(rows));
        if (!validation.lines().isEmpty()) {
            sb.append(validation.markdown());
        }
        if (!charts.accuracyPoints.isEmpty()) {
            sb.append("\n## Efficiency score (accuracy weight W = 0.5; lower is better)\n\n"
                    + "score = W (1 - a) + (1 - W) e, a = min-max normalised top-1, e = min-max normalised log10(J/img), "
                    + "over the models shown (best batch per model and engine). index.html has a slider for W.\n\n");
            ranking(sb, "score", "%.3f", Efficiency.rankByEfficiency(charts.accuracyPoints, 0.5));
            sb.append("\n## Accuracy per joule (top-1 % per J/img; higher is better)\n\n"
                    + "The same points (best batch per model and engine). index.html has a minimum top-1.\n\n");
            ranking(sb, "top-1 % per J/img", "%.1f", Efficiency.rankByAccuracyPerJoule(charts.accuracyPoints, 0));
            if (charts.unrankedLine() != null) {
                sb.append('\n').append(charts.unrankedLine()).append('\n');
            }
        }
        return sb.toString();
    }

    /** A ranking as a markdown table: rank, point, its score in {@code scoreFormat}, top-1 and J/img. */
    private static void ranking(StringBuilder sb, String score, String scoreFormat, List<Efficiency.Scored> ranked) {
        sb.append("| rank | model / engine | ").append(score).append(" | top-1 % | J/img |\n|---|---|---|---|---|\n");
        for (int i = 0; i < ranked.size(); i++) {
            Efficiency.Scored s = ranked.get(i);
            sb.append(Markdown.row(Integer.toString(i + 1), s.point().name(), String.format(Locale.ROOT, scoreFormat, s.score()),
                    String.format(Locale.ROOT, "%.2f", s.point().top1()), Summary.num(s.point().joulesPerImage())));
        }
    }
}
