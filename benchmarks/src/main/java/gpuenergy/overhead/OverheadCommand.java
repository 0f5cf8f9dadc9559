package gpuenergy.overhead;

import gpuenergy.bench.InferenceBenchmark;
import gpuenergy.engine.NotRunException;
import gpuenergy.options.JmhOptions;
import gpuenergy.options.ParamOption;
import gpuenergy.options.Subcommand;
import gpuenergy.options.SuiteSetting;
import gpuenergy.results.AtomicWrite;
import gpuenergy.results.BadInputException;
import gpuenergy.results.BenchmarkResult;
import gpuenergy.results.IoMessage;
import gpuenergy.results.NotRun;
import gpuenergy.results.NotRunList;
import gpuenergy.results.Numbers;
import gpuenergy.results.ParamNames;
import gpuenergy.results.ResultFile;
import gpuenergy.results.TrialRecords;
import gpuenergy.run.ConfigRun;
import gpuenergy.run.DirectoryLock;
import gpuenergy.run.Failure;
import gpuenergy.run.HostLock;
import gpuenergy.run.PartialResult;
import gpuenergy.run.Profilers;
import gpuenergy.run.RunHooks;
import gpuenergy.run.RunSettings;
import joptsimple.OptionSet;
import joptsimple.OptionSpec;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.Defaults;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.ProfilerConfig;
import org.openjdk.jmh.runner.options.VerboseMode;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * {@code java -jar benchmarks.jar overhead}: what a profiler costs the benchmark it measures. Every configuration (each
 * combination of the -p values) runs once per variant (a profiler spec, or none) per round, each run its own JMH run in
 * one forked VM, through {@link ConfigRun} with the launcher's {@link RunHooks}. Odd rounds run the variants
 * in the order given, even rounds in reverse (A B C, C B A): over a pair of rounds every variant's mean position in
 * time is the same, so a drift of the GPU's temperature or clocks that is linear over a configuration's runs weighs on
 * every variant alike (a rotation, A B C then B C A, would not balance two rounds of three variants).
 *
 * <p>Each run's JMH JSON is published in --out as soon as it finishes ({@link AtomicWrite}); a run whose file is there
 * is not run again, so a killed command loses nothing measured and the same command continues it. A run that fails is
 * listed in {@link #NOT_RUN_FILE} ({@link NotRunList}) and that variant is not run again for that configuration in
 * this process; one whose forked VM did not start ({@link Failure#vmNotStarted}), for no configuration. The summary
 * ({@link OverheadSummary}, {@link MedianRatio}): per configuration and variant the median img/s of every iteration of
 * every round, its ratio to the first variant's with a 95 % bootstrap interval (over runs, then iterations), a verdict
 * at --tolerance, and the median J/img where energy was measured.
 *
 * <p>Exit status: 0 when some variant could be compared with the baseline, or inside its runs (interleave=true); 1 when a run failed with kind error (as
 * the launcher and the sweep), when none could be compared, when --out or the models directory is a file, a -jvm is
 * no executable file, or on an I/O error; 2 for bad input, a variant whose profiler cannot load on this machine
 * included (checked before anything runs, unless --out holds every run of the plan: then the command only summarizes,
 * on any machine, e.g. where the files were copied from the GPU host).
 */
public final class OverheadCommand extends Subcommand {
    static final String BENCHMARK = InferenceBenchmark.class.getName() + ".infer";
    static final String NOT_RUN_FILE = "overhead.notrun.json";
    /** How the directory's runs are measured: the same --out again with other settings is refused. */
    static final RunSettings SETTINGS = new RunSettings("overhead-settings.json", "--out ",
            "its variants' runs would mix measurement settings", "give another --out");
    static final String UNREADABLE_DIR = "unreadable";
    /** The fewest even rounds (so that the A B C, C B A order balances) that give a side the runs a verdict takes. */
    static final int DEFAULT_ROUNDS = MedianRatio.MIN_RUNS_FOR_VERDICT + MedianRatio.MIN_RUNS_FOR_VERDICT % 2;
    static final double DEFAULT_TOLERANCE = 0.01;
    static final String USAGE = "usage: java -jar benchmarks.jar overhead -p NAME=V1,V2 ... [--variant NAME=[SPEC]]... "
            + "[--rounds N] [--tolerance P%] [--out DIR] [JMH options]";

    private static final Pattern UNSAFE = Pattern.compile("[^A-Za-z0-9._=-]");

    private final OptionSpec<String> params = parser.accepts("p", "a benchmark parameter; every combination of the "
            + "values is a configuration").withRequiredArg().describedAs("NAME=V1,V2");
    private final OptionSpec<String> variants = parser.accepts("variant", "a named profiler spec as -prof takes it, "
            + "empty for none, or JMH options (-prof, -jvm, -jvmArgs*) starting with '-'; repeatable, the first is the "
            + "baseline (default: off= on=energy)").withRequiredArg()
            .describedAs("NAME=SPEC");
    private final OptionSpec<String> rounds = parser.accepts("rounds", "runs of each variant per configuration (default "
            + DEFAULT_ROUNDS + ")").withRequiredArg().describedAs("N");
    private final OptionSpec<String> tolerance = parser.accepts("tolerance", "the img/s ratio the verdict accepts as "
            + "the same: 1 +- P % (default 1%)").withRequiredArg().describedAs("P%");
    private final OptionSpec<String> out = parser.accepts("out", "each run's JMH JSON and overhead.csv; the same DIR "
            + "again runs only what is missing (default overhead-<date>-<time>)").withRequiredArg().describedAs("DIR");
    /** Every other option is JMH's, given to every run. */
    private final JmhOptions jmh = JmhOptions.declareOn(parser);

    private final RunHooks hooks;

    private OverheadCommand(RunHooks hooks) {
        super("overhead", USAGE,
                "  Each configuration runs once per variant per round, each run one forked JMH run; odd rounds run the",
                "  variants in the order given, even rounds reversed (A B C, C B A), so that a drift of temperature or",
                "  clocks weighs on every variant alike: give an even --rounds.",
                "  DIR/<config>.r<round>.<variant>.json: each run's JMH JSON, written as it finishes; failures in "
                        + "DIR/" + NOT_RUN_FILE + ".",
                "  DIR/" + OverheadSummary.FILE + " and the table, per configuration and variant: the median img/s of "
                        + "every iteration of every round,",
                "  its ratio to the first variant's median with a 95 % bootstrap interval (" + MedianRatio.RESAMPLES
                        + " resamples: runs, then each run's iterations;",
                "  with one run a side only the iterations, marked 'interval_over iterations': the run-to-run spread is "
                        + "then left out),",
                "  the verdict, and where energy was measured the median J/img with its interval and its ratio to the "
                        + "first variant with J/img",
                "  (marked in j_per_img_interval_over: they count the runs with a known J/img).",
                "  A variant whose energy profiler runs with interleave=true: its row's img/s are its sampled windows', and "
                        + "interleaved_* compare",
                "  them with its sat-out windows inside the same runs (each run's ratio, Hodges-Lehmann over its pairs of "
                        + "neighbouring windows,",
                "  their geometric mean, Student's t over the runs, and the mean over the pairs as a check;",
                "  a verdict takes " + MedianRatio.MIN_PAIRED_RUNS_FOR_VERDICT + " runs). Such a variant may stand "
                        + "alone: --variant 'ends=energy:interleave=true'.",
                "  Verdict at tolerance t, from the ratio's interval and the runs a side: same: all of it inside "
                        + "[1-t, 1+t];",
                "  slower: all below 1-t; faster: all above 1+t; too-noisy: it straddles 1-t or 1+t (run more "
                        + "iterations or rounds),",
                "  or a side has fewer than " + MedianRatio.MIN_RUNS_FOR_VERDICT + " runs, whose interval understates "
                        + "how much runs differ (the default --rounds " + DEFAULT_ROUNDS + " gives " + DEFAULT_ROUNDS
                        + " a side).",
                "  JMH options for every run: -wi, -w, -i, -r, -jvmArgs, -v, ... (not -prof, -f other than 1, -rf, -rff, "
                        + "-o, -bm, -tu, -tg,",
                "  -opi/-bs other than 1, -l, -lp, -lprof, -lrf, -e, -wmb, positional benchmark names (it runs "
                        + "InferenceBenchmark.infer)).",
                "  DIR/" + RunsLog.FILE + ": each run's start (UTC) and outcome; a warning when runs were taken out "
                        + "of the interleaved order.",
                "  DIR/overhead-settings.json: variants, -p values and JMH settings; the same DIR with others is refused.",
                "  A DIR that holds every run of rounds 1 to --rounds is only summarized, on any machine: the profilers "
                        + "need not load there.",
                SuiteSetting.helpLine(),
                "  Exit status: 0 when a variant was compared with the baseline or inside its runs; 1 when a run failed "
                        + "(kind error), none could be compared,",
                "  --out or the models directory is a file, a -Dgpuenergy.* setting or its value is not one it takes, a -jvm is no "
                        + "executable file,",
                "  or on an I/O error; 2 bad input.");
        this.hooks = hooks;
    }

    /** The overhead subcommand; {@code args} are the arguments after "overhead". */
    public static int run(String[] args, RunHooks hooks) {
        return run(args, hooks, System.out, System.err);
    }

    static int run(String[] args, RunHooks hooks, PrintStream out, PrintStream err) {
        return new OverheadCommand(hooks).run(args, out, err);
    }

    @Override
    protected int run(OptionSet options, PrintStream console, PrintStream err) throws BadInputException {
        JmhOptions.Given given = jmh.given(options);
        String listing = given.listRefusal("the command");
        if (listing == null) {
            listing = given.selectionRefusal(RUNS);
        }
        if (listing != null) {
            throw new BadInputException(listing);
        }
        if (!given.values("prof").isEmpty()) {
            throw new BadInputException("-prof: each variant names its profiler, e.g. --variant off= --variant gc=gc");
        }
        List<Variant> vs = Variant.parse(Subcommand.each(options, variants));
        int roundCount = Subcommand.positiveInt(once(options, rounds), "--rounds", DEFAULT_ROUNDS);
        double tol = tolerance(once(options, tolerance));
        String outOption = once(options, out);
        Path dir = Path.of(outOption != null ? outOption
                : "overhead-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        JmhOptions.Given jmhArgs = jmhArgs(given);
        for (Variant v : vs) {
            // as a plain run's -prof NAME:help: the profiler's options, whole, are the answer asked for, not a failure
            String help = Profilers.help(variantOptions(jmhArgs, v, false).getProfilers());
            if (help != null) {
                console.print(help.endsWith("\n") ? help : help + "\n");
                return 0;
            }
        }
        BenchmarkListEntry benchmark = benchmark();
        List<Map<String, String>> configs = configurations(benchmark, Subcommand.each(options, params), recordedOrder(dir));
        refuseSharedNames(configs);
        for (Map<String, String> config : configs) {
            try {
                // before --out is written: its settings record the -p values, and no run of these could ever be made
                InferenceBenchmark.refuseUnaccepted(runParams(benchmark, config));
            } catch (NotRunException e) {
                throw new BadInputException(e.getMessage());
            }
        }
        // a directory that holds every run of the plan, each a result of its configuration, is summarized on any
        // machine: the profilers load where one runs
        boolean toRun = somethingToRun(dir, configs, vs, roundCount);
        Map<String, CommandLineOptions> jmhOf = new LinkedHashMap<>();
        for (Variant v : vs) {
            try {
                jmhOf.put(v.name(), variantOptions(jmhArgs, v, toRun));
            } catch (BadInputException e) {
                if (options.has(variants)) {
                    throw e;
                }
                // the line names a variant the user did not: it says where it comes from and what to give instead
                throw new BadInputException(e.getMessage() + " (the default variants, as no --variant is given: "
                        + Variant.DEFAULTS.stream().map(d -> d.name() + "=" + d.spec()).collect(Collectors.joining(" "))
                        + "; name others, e.g. --variant off= --variant gc=gc)");
            }
        }
        // as a plain run: the settings the forks would get stop the command before it starts; a directory only
        // summarized starts none, so a -jvm of the GPU host (a CPU-pinning script) need not be on this machine
        Function<CommandLineOptions, String> refuses = toRun ? SuiteSetting::refusal : SuiteSetting::settingsRefusal;
        String refusal = refuses.apply(JmhOptions.parse(jmhArgs));
        for (Variant v : vs) {
            String own = refusal == null ? refuses.apply(jmhOf.get(v.name())) : null;
            refusal = own == null ? refusal : "--variant " + v.name() + "=" + v.spec() + ": " + own;
        }
        if (refusal != null) {
            err.println("overhead: " + refusal);
            return 1;
        }
        Map<String, Object> settings = settings(vs, SETTINGS.recorded(dir).get("--variant") instanceof String v ? v : null, configs,
                jmhOf.get(vs.get(0).name()), benchmark);
        try {
            // as a plain run whose -rff cannot be written: the machine, not the command line, stops it
            IoMessage.requireNotAFile(dir, dir);
            refuseLinks(dir, configs);
            refuseForeign(dir, configs, vs);
            IoMessage.createOut(dir, dir); // writes nothing into a directory that is there
            try (DirectoryLock lock = DirectoryLock.hold(dir, dir, "overhead", console)) {
                return runIn(dir, configs, vs, jmhOf, roundCount, tol, settings, benchmark, console, err);
            }
        } catch (IOException e) {
            err.println("overhead: " + Failure.oneLine(IoMessage.describe(e)));
            return 1;
        }
    }

    /** The command in its directory, held: what is missing run, then the summary; the exit code. */
    private int runIn(Path dir, List<Map<String, String>> configs, List<Variant> vs, Map<String, CommandLineOptions> jmhOf,
                      int roundCount, double tol, Map<String, Object> settings, BenchmarkListEntry benchmark,
                      PrintStream console, PrintStream err) throws IOException, BadInputException {
        SETTINGS.checkAndRecord(dir, dir, settings); // before anything is written in it
        console.printf("[overhead] %s x %s x %s; baseline %s; results in %s%n",
                Numbers.count(configs.size(), "configuration"), Numbers.count(vs.size(), "variant"),
                Numbers.count(roundCount, "round"), vs.get(0), dir);
        PartialResult.clear(dir, dir, "overhead", Set.of(NOT_RUN_FILE, SETTINGS.file()), console);
        // the log is read for its notes (a torn last line, a line that is no run's record) before a run's line cuts a
        // torn one off, and read again, quietly, for the order of the runs this command added
        RunsLog.read(dir, console);
        Map<String, NotRun> failed = runAll(dir, benchmark, configs, vs, jmhOf, roundCount, console);
        List<String> outOfOrder = RunsLog.outOfOrder(RunsLog.read(dir, new PrintStream(OutputStream.nullOutputStream())),
                configs, vs);
        if (!outOfOrder.isEmpty()) {
            console.printf("[overhead] warning: %s %s runs taken out of the interleaved order, so a drift weighs on "
                    + "their variants unequally (%s; start times in %s)%n",
                    Numbers.count(outOfOrder.size(), "configuration"), outOfOrder.size() == 1 ? "has" : "have",
                    outOfOrder.get(0), dir.resolve(RunsLog.FILE));
        }
        // every measured run counts: the settings check makes an earlier command's later rounds this comparison's too
        TreeMap<Integer, Integer> held = roundsHeld(dir, configs, vs);
        // the rounds that hold a run file: those of --rounds without one add nothing to the table
        List<OverheadSummary.Row> rows = OverheadSummary.rows(dir, configs, vs, held.navigableKeySet(), failed, tol);
        OverheadSummary.write(dir, rows);
        OverheadSummary.print(console, rows, tol);
        SortedMap<Integer, Integer> beyond = held.tailMap(roundCount + 1);
        if (!beyond.isEmpty()) {
            console.println(beyondLine(beyond, roundCount, lackingAVariant(dir, configs, vs, beyond.keySet()), dir));
        }
        console.println("[overhead] summary: " + dir.resolve(OverheadSummary.FILE)
                + (Files.exists(dir.resolve(NOT_RUN_FILE)) ? "; not run: " + dir.resolve(NOT_RUN_FILE) : ""));
        if (rows.stream().noneMatch(OverheadSummary.Row::compared)) {
            err.println("overhead: nothing could be compared: no configuration has measured iterations of the baseline "
                    + vs.get(0).name() + " and of another variant, nor a run with sampled and sat-out windows");
            return 1;
        }
        // as the launcher and the sweep: a run that failed (not one that cannot run here, or did not fit) fails the command
        return failed.values().stream().anyMatch(n -> n.kind() == NotRun.Kind.ERROR) ? 1 : 0;
    }

    /**
     * Runs what is missing in {@code dir}, configuration by configuration, round by round; returns this process's
     * not-runs by {@link #key}.
     */
    private Map<String, NotRun> runAll(Path dir, BenchmarkListEntry benchmark, List<Map<String, String>> configs,
                                       List<Variant> vs, Map<String, CommandLineOptions> jmhOf, int roundCount,
                                       PrintStream console) throws IOException {
        Map<String, NotRun> failed = new LinkedHashMap<>();
        // the variants a fork of which did not start: every run of a variant forks with the same options, the
        // command's and its own, so each would fail alike; another variant's may differ
        Set<String> notStarting = new LinkedHashSet<>();
        Path notRunFile = dir.resolve(NOT_RUN_FILE);
        // the list's entries stand for the runs they name until this command makes one of them again
        NotRunLog notRuns = new NotRunLog(notRunFile, dir, console);
        boolean madeAny = false;
        // the table reads every round there: those beyond --rounds are checked too
        Iterable<Integer> rounds = rounds(roundCount, roundsHeld(dir, configs, vs));
        for (Map<String, String> config : configs) {
            for (int round : rounds) {
                for (Variant v : order(vs, round)) {
                    String run = describe(config) + " round " + round + " " + v.name();
                    Path file = dir.resolve(resultName(config, round, v));
                    if (Files.exists(file) && readOrSetAside(file, config, dir, console)) {
                        console.printf("[overhead] %s: done earlier (%s)%n", run, file.getFileName());
                        continue;
                    }
                    if (round > roundCount) {
                        continue; // an earlier command's round: read for the table, not made here
                    }
                    if (failed.containsKey(key(config, v))) {
                        continue; // its not-run is listed once; a later process tries it again
                    }
                    if (notStarting.contains(v.name())) {
                        continue; // not listed, as nothing ran: the line on the variant's first run says why
                    }
                    console.printf("[overhead] %s%n", run);
                    Instant start = Instant.now();
                    madeAny = true;
                    notRuns.tried(config, v, round);
                    ConfigRun.Outcome outcome = ConfigRun.run(jmhOf.get(v.name()), hooks, false, BENCHMARK, config, 0, file, "[overhead] ");
                    // another JMH run of this host holds JMH's lock: nothing ran; take turns with it, as a sweep does
                    // (a run measured beside another would not be one comparison)
                    boolean said = false;
                    while (outcome.failure() != null && outcome.failure().jmhLocked()) {
                        HostLock.awaitFree(said ? null : console, "[overhead] " + run + ": " + HostLock.waiting()
                                + "; Ctrl-C or SIGTERM stops the command, and the same command continues it", () -> false);
                        said = true;
                        start = Instant.now();
                        outcome = ConfigRun.run(jmhOf.get(v.name()), hooks, false, BENCHMARK, config, 0, file, "[overhead] ");
                    }
                    if (outcome.failure() != null) {
                        NotRun n = notRun(benchmark, config, v, round, outcome.failure());
                        failed.put(key(config, v), n);
                        RunsLog.append(dir, new RunsLog.Entry(config, round, v.name(), start, n.kind().label()));
                        notRuns.write(failed.values());
                        console.printf("[overhead] %s: not run [%s]: %s%n", run, n.kind().label(), n.reason());
                        if (outcome.failure().vmNotStarted() != null) {
                            notStarting.add(v.name());
                            console.printf("[overhead] variant %s: its forked VM does not start with its options (%s); "
                                    + "its other runs are not started%n", v.name(), outcome.failure().vmNotStarted());
                        }
                        continue;
                    }
                    Path partial = outcome.resultFile();
                    try {
                        hooks.finish(partial);
                    } catch (IOException | RuntimeException e) {
                        console.printf("[overhead] %s: environment not added (%s); the JMH result is kept as it is%n", run,
                                Failure.oneLine(String.valueOf(e.getMessage())));
                    }
                    AtomicWrite.publish(partial, file);
                    RunsLog.append(dir, new RunsLog.Entry(config, round, v.name(), start, RunsLog.MEASURED));
                    console.printf("[overhead] %s -> %s%n", run, file.getFileName());
                }
            }
        }
        // a command that made no run (it only summarizes, its --rounds below a failed run's round) tried none of the
        // listed runs again, and the list still says why they are missing
        if (madeAny) {
            notRuns.write(failed.values());
        }
        return failed;
    }

    /** How {@link #notRun} begins an entry's reason: the variant and the round of the run it stands for. */
    private static final Pattern NOT_RUN_PREFIX = Pattern.compile("variant ([^,]+), round ([1-9][0-9]{0,8}): .*",
            Pattern.DOTALL);

    /** One run of the directory: a configuration, a variant, a round. */
    private record RunId(Map<String, String> config, String variant, int round) {}

    /**
     * The directory's not-run list as a command rewrites it: the entries of an earlier command for the runs this one
     * has not made again (rounds beyond its --rounds, a variant it stopped trying after a failure), then this command's
     * own. Nothing an earlier command recorded is lost: an entry whose run cannot be told from its reason is kept, and
     * a list that cannot be read is moved to DIR/unreadable/ before one is written in its place.
     */
    private static final class NotRunLog {
        private final Path file;
        private final Path dir;
        private final PrintStream console;
        private final Set<RunId> tried = new java.util.HashSet<>();
        private List<NotRun> earlier;

        NotRunLog(Path file, Path dir, PrintStream console) {
            this.file = file;
            this.dir = dir;
            this.console = console;
        }

        void tried(Map<String, String> config, Variant v, int round) {
            tried.add(new RunId(config, v.name(), round));
        }

        /** Writes the earlier entries not tried again and {@code failed}; removes the list where none is left. */
        void write(java.util.Collection<NotRun> failed) throws IOException {
            List<NotRun> entries = new ArrayList<>();
            for (NotRun n : earlier()) {
                Matcher m = NOT_RUN_PREFIX.matcher(n.reason());
                if (!m.matches() || !tried.contains(new RunId(n.params(), m.group(1), Integer.parseInt(m.group(2))))) {
                    entries.add(n);
                }
            }
            entries.addAll(failed);
            if (entries.isEmpty()) {
                Files.deleteIfExists(file);
            } else {
                NotRunList.write(file, entries);
            }
        }

        /** The entries the list held before this command first rewrites it. */
        private List<NotRun> earlier() throws IOException {
            if (earlier == null) {
                earlier = List.of();
                if (Files.exists(file)) {
                    try {
                        earlier = NotRunList.read(file);
                    } catch (BadInputException e) {
                        Path aside = AtomicWrite.setAside(file, dir.resolve(UNREADABLE_DIR), file.getFileName().toString());
                        console.println("[overhead] " + Failure.oneLine(e.getMessage()) + "; moved to " + aside);
                    }
                }
            }
            return earlier;
        }
    }

    /**
     * What every run of the directory shares (see {@link #SETTINGS}): the variants with their specs in order, each spec
     * in one spelling ({@link Variant#canonicalSpec}), the configurations' -p values, and JMH's settings as they apply
     * (the command line's, else the benchmark's annotations, else JMH's defaults). Not --rounds (more rounds add runs
     * to the same comparison) nor --tolerance (the summary's).
     *
     * @param recorded the variants as the directory's settings record them; null for none
     */
    static Map<String, Object> settings(List<Variant> vs, String recorded, List<Map<String, String>> configs,
                                        CommandLineOptions jmh, BenchmarkListEntry entry) throws BadInputException {
        Map<String, Object> m = new LinkedHashMap<>();
        List<String> canonical = new ArrayList<>();
        for (Variant v : vs) {
            canonical.add(v.name() + "=" + v.canonicalSpec());
        }
        String typed = vs.stream().map(v -> v.name() + "=" + v.spec()).collect(Collectors.joining(" "));
        // a record may hold the specs as typed, not in one spelling: the same typing continues its directory
        m.put("--variant", typed.equals(recorded) ? typed : String.join(" ", canonical));
        Map<String, LinkedHashSet<String>> values = new LinkedHashMap<>();
        configs.forEach(c -> c.forEach((k, v) -> values.computeIfAbsent(k, x -> new LinkedHashSet<>()).add(v)));
        values.forEach((k, v) -> m.put("-p " + k, String.join(",", v)));
        m.put("-f", "1");
        m.put("-wi", String.valueOf(RunSettings.first(jmh.getWarmupIterations(), entry.getWarmupIterations(),
                Defaults.WARMUP_ITERATIONS)));
        m.put("-w", String.valueOf(RunSettings.first(jmh.getWarmupTime(), entry.getWarmupTime(), Defaults.WARMUP_TIME)));
        m.put("-i", String.valueOf(RunSettings.first(jmh.getMeasurementIterations(), entry.getMeasurementIterations(),
                Defaults.MEASUREMENT_ITERATIONS)));
        m.put("-r", String.valueOf(RunSettings.first(jmh.getMeasurementTime(), entry.getMeasurementTime(),
                Defaults.MEASUREMENT_TIME)));
        m.put("-t", String.valueOf(RunSettings.first(jmh.getThreads(), entry.getThreads(), Defaults.THREADS)));
        // the words as the forks get them, one by one: ["a b"] is one argument, ["a", "b"] two
        m.put("-jvmArgs", List.copyOf(jmh.getJvmArgs().orElse(List.of())));
        m.put("-jvmArgsPrepend", List.copyOf(jmh.getJvmArgsPrepend().orElse(List.of())));
        m.put("-jvmArgsAppend", List.copyOf(jmh.getJvmArgsAppend().orElse(List.of())));
        m.putAll(RunSettings.whenGiven(jmh));
        return m;
    }

    /** Odd rounds in the order given, even rounds reversed (see the class comment). */
    static List<Variant> order(List<Variant> vs, int round) {
        List<Variant> ordered = new ArrayList<>(vs);
        if (round % 2 == 0) {
            java.util.Collections.reverse(ordered);
        }
        return ordered;
    }

    /** The not-run entry of a failed run: the benchmark's own record of why over what JMH's failure says. */
    private NotRun notRun(BenchmarkListEntry benchmark, Map<String, String> config, Variant v, int round, Failure failure) {
        Map<String, String> runParams = runParams(benchmark, config);
        TrialRecords.NotRunRecord recorded = hooks.notRun(BENCHMARK, runParams);
        NotRun.Kind kind = recorded == null ? failure.kind() : recorded.kind();
        String reason = recorded == null ? failure.reason() : Failure.recorded(recorded.kind(), recorded.reason()).reason();
        return new NotRun(BENCHMARK, config, kind, "variant " + v.name() + ", round " + round + ": " + reason,
                NotRun.gpuFor(runParams.get(ParamNames.DEVICE), hooks.gpuModel(runParams.get(ParamNames.DEVICE))));
    }

    /**
     * True when {@code file} is a one-entry JMH throughput result of this configuration; otherwise it is moved to
     * DIR/unreadable/ (a measured file is never deleted), and the run is made again where it is within --rounds.
     */
    static boolean readOrSetAside(Path file, Map<String, String> config, Path dir, PrintStream console)
            throws IOException {
        String why = whyNotARun(file, config);
        if (why == null) {
            return true;
        }
        Path aside = AtomicWrite.setAside(file, dir.resolve(UNREADABLE_DIR), file.getFileName().toString());
        // the result file's own refusals start with its path: the line names it once
        String prefix = file + ": ";
        console.println("[overhead] " + prefix + Failure.oneLine(why.startsWith(prefix) ? why.substring(prefix.length()) : why)
                + "; moved to " + aside);
        return false;
    }

    /** Why {@code file} is not a one-entry JMH throughput result of this configuration; null where it is one. */
    private static String whyNotARun(Path file, Map<String, String> config) {
        try {
            List<BenchmarkResult> entries = ResultFile.read(file);
            return entries.size() != 1 ? "expected 1 entry, found " + entries.size()
                    : !entries.get(0).higherIsBetter() ? "mode " + entries.get(0).mode() + ", expected thrpt"
                    : entries.get(0).notOf(config);
        } catch (BadInputException e) {
            return e.getMessage();
        }
    }

    /** What {@code failed} is keyed by: one configuration and variant. */
    static String key(Map<String, String> config, Variant v) {
        return describe(config) + '\0' + v.name();
    }

    /** "name=value, name=value" in the configuration's order. */
    static String describe(Map<String, String> config) {
        return config.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
    }

    /** {@code <name=value+name=value>.r<round>.<variant>.json}, characters unsafe in file names as '_'. */
    static String resultName(Map<String, String> config, int round, Variant v) {
        return configName(config) + ".r" + round + "." + v.name() + ".json";
    }

    /**
     * Two configurations whose runs would share file names (their values differ only in characters unsafe in a file
     * name) are refused before anything is written: each would take the other's runs for its own.
     */
    static void refuseSharedNames(List<Map<String, String>> configs) throws BadInputException {
        Map<String, Map<String, String>> byName = new HashMap<>();
        for (Map<String, String> config : configs) {
            Map<String, String> before = byName.putIfAbsent(configName(config), config);
            if (before != null) {
                throw new BadInputException(describe(before) + " and " + describe(config) + " have one run file name ("
                        + configName(config) + ".r<round>.<variant>.json: characters other than letters, digits and ._=- "
                        + "become _); measure them into separate --out directories, or name one otherwise");
            }
        }
    }

    private static String configName(Map<String, String> config) {
        return config.isEmpty() ? "default" : config.entrySet().stream()
                .map(e -> UNSAFE.matcher(e.getKey() + "=" + e.getValue()).replaceAll("_")).collect(Collectors.joining("+"));
    }

    /**
     * The one line on the runs beyond --rounds that the table counts: how many there are and in which rounds, since a
     * directory can hold some of a round (a command killed inside it) or skip one; and where a configuration holds some
     * of its variants' runs in such a round but not all, that they tilt the balance of the interleaved order between its
     * variants. A configuration without any run in the round tilts nothing: its variants all lack it alike.
     *
     * @param beyond run files by round, the rounds beyond --rounds only
     * @param lacking by round, the configurations that hold some but not all of their variants' runs in it
     */
    static String beyondLine(SortedMap<Integer, Integer> beyond, int roundCount, SortedMap<Integer, List<String>> lacking,
                             Path dir) {
        int runs = beyond.values().stream().mapToInt(Integer::intValue).sum();
        StringBuilder tilted = new StringBuilder();
        for (Map.Entry<Integer, List<String>> e : lacking.entrySet()) {
            tilted.append(tilted.length() == 0 ? "; in " : ", in ").append("r").append(e.getKey()).append(" (")
                    .append(e.getValue().get(0)).append(e.getValue().size() == 1 ? ")" : ") and " + (e.getValue().size() - 1)
                            + (e.getValue().size() == 2 ? " more configuration" : " more configurations"));
        }
        return "[overhead] the table includes " + runs + (runs == 1 ? " run" : " runs") + " beyond --rounds " + roundCount
                + " that " + dir + " holds (" + beyond.keySet().stream().map(r -> "r" + r).collect(Collectors.joining(", "))
                + (tilted.length() == 0 ? "" : tilted + " without every variant's run: a drift weighs on its variants "
                + "unequally") + ")";
    }

    /**
     * For each of {@code rounds} where there are any, the configurations ({@link #describe}) that hold a run file of some
     * of their variants in it but not of all.
     */
    static SortedMap<Integer, List<String>> lackingAVariant(Path dir, List<Map<String, String>> configs, List<Variant> vs,
                                                           Set<Integer> rounds) {
        SortedMap<Integer, List<String>> lacking = new TreeMap<>();
        for (int round : rounds) {
            List<String> these = new ArrayList<>();
            for (Map<String, String> config : configs) {
                long held = vs.stream().filter(v -> Files.exists(dir.resolve(resultName(config, round, v)))).count();
                if (held > 0 && held < vs.size()) {
                    these.add(describe(config));
                }
            }
            if (!these.isEmpty()) {
                lacking.put(round, these);
            }
        }
        return lacking;
    }

    /**
     * Rounds 1 to {@code roundCount}, then those beyond that {@code held} has files of, each made as it is taken: --rounds
     * 2000000000 is a command that runs until it is stopped, not two billion rounds held in memory before the first
     * run; and beyond it only rounds that exist, so a stray file of round 999999999 is one round more, not a billion to
     * look for.
     */
    static Iterable<Integer> rounds(int roundCount, SortedMap<Integer, Integer> held) {
        return () -> IntStream.concat(IntStream.rangeClosed(1, roundCount),
                held.tailMap(roundCount + 1).keySet().stream().mapToInt(Integer::intValue)).iterator();
    }

    /**
     * A symbolic link in --out at a name the command writes whole or removes (its summary, not-run list, settings, a
     * configuration's runs and their unfinished iterations) refused in one line, as a plain run refuses one at or beside
     * its -rff result: the file renamed over it would replace the link, and its target would keep what it held.
     */
    private static void refuseLinks(Path dir, List<Map<String, String>> configs) throws IOException, BadInputException {
        List<String> runs = configs.stream().map(config -> configName(config) + ".r").toList();
        String link = AtomicWrite.renamedOverLinkIn(dir, name -> {
            if (name.equals(OverheadSummary.FILE)) {
                return "where the command writes its summary";
            } else if (name.equals(NOT_RUN_FILE)) {
                return "where the command writes the list of the runs that were not made";
            } else if (name.equals(SETTINGS.file())) {
                return "where the command records its settings";
            } else if (name.endsWith(".json") && runs.stream().anyMatch(name::startsWith)) {
                return ResultFile.isUnfinished(Path.of(name)) ? "where the command keeps the measured iterations of a run"
                        + " that does not finish" : "where the command writes a run's result";
            }
            return null;
        });
        if (link != null) {
            throw new BadInputException("--out " + dir + ": " + link + "; remove the link, or choose another --out");
        }
    }

    /**
     * Refuses a directory this command did not make, before anything is written in it, its lock included: one that
     * holds files but neither the settings record nor this command's lock, and no run of these configurations (a
     * directory from before the record holds its runs), such as a sweep's or the user's own, whose files this command's
     * would mix with or replace.
     */
    private static void refuseForeign(Path dir, List<Map<String, String>> configs, List<Variant> vs)
            throws IOException, BadInputException {
        // a symbolic link at the lock's name, dangling too, is left to the lock, whose line says what is wrong with it
        if (!Files.isDirectory(dir) || Files.exists(dir.resolve(SETTINGS.file()))
                || Files.exists(dir.resolve(DirectoryLock.fileName("overhead")), LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var files = Files.list(dir)) {
            if (files.findAny().isEmpty()) {
                return;
            }
        }
        if (roundsHeld(dir, configs, vs).isEmpty()) {
            throw new BadInputException("--out " + dir + " holds files and no " + SETTINGS.file() + ": it is not a"
                    + " directory of this command's runs; give a new or empty --out");
        }
    }

    /**
     * The rounds of the run files in {@code dir} of these configurations and variants ({@link #resultName}), each with
     * how many there are.
     */
    static TreeMap<Integer, Integer> roundsHeld(Path dir, List<Map<String, String>> configs, List<Variant> vs)
            throws IOException {
        List<Pattern> names = new ArrayList<>();
        for (Map<String, String> config : configs) {
            for (Variant v : vs) {
                names.add(Pattern.compile(Pattern.quote(configName(config) + ".r") + "([1-9][0-9]{0,8})"
                        + Pattern.quote("." + v.name() + ".json")));
            }
        }
        TreeMap<Integer, Integer> held = new TreeMap<>();
        try (var files = Files.list(dir)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                for (Pattern p : names) {
                    Matcher m = p.matcher(file.getFileName().toString());
                    if (m.matches()) {
                        held.merge(Integer.parseInt(m.group(1)), 1, Integer::sum);
                    }
                }
            }
        }
        return held;
    }

    /**
     * Every combination of the parameters' values, the last parameter varying fastest: the -p parameters in their order,
     * then those the benchmark declares several values for and -p does not name (as JMH would run them all). Where
     * {@code recorded} (the directory's settings, {@link #recordedOrder}) holds the same parameters, in their order
     * instead: the settings check takes the -p options in any order for the same, and the run files are named by the
     * parameters in order, so another order would measure every run again under other names.
     */
    static List<Map<String, String>> configurations(BenchmarkListEntry benchmark, List<String> given, List<String> recorded)
            throws BadInputException {
        Map<String, String[]> declared = benchmark.getParams().orElse(Map.of());
        Map<String, List<String>> dimensions = new LinkedHashMap<>(ParamOption.parse(given));
        for (Map.Entry<String, List<String>> p : dimensions.entrySet()) {
            ParamOption.refuseUndeclared(benchmark, p.getKey(), p.getValue());
        }
        new TreeMap<>(declared).forEach((name, values) -> {
            if (!dimensions.containsKey(name) && values.length > 1) {
                dimensions.put(name, List.of(values));
            }
        });
        Map<String, List<String>> ordered = dimensions;
        if (recorded.size() == dimensions.size() && dimensions.keySet().containsAll(recorded)) {
            ordered = new LinkedHashMap<>();
            for (String name : recorded) {
                ordered.put(name, dimensions.get(name));
            }
        }
        List<Map<String, String>> product = new ArrayList<>();
        product.add(new LinkedHashMap<>());
        for (Map.Entry<String, List<String>> d : ordered.entrySet()) {
            List<Map<String, String>> next = new ArrayList<>();
            for (Map<String, String> partial : product) {
                for (String value : d.getValue()) {
                    Map<String, String> c = new LinkedHashMap<>(partial);
                    c.put(d.getKey(), value);
                    next.add(c);
                }
            }
            product = next;
        }
        return product;
    }

    /**
     * The parameters of {@code dir}'s configurations in the order its settings record them; none for a new directory or
     * a record that cannot be read (the settings check then says so).
     */
    static List<String> recordedOrder(Path dir) {
        return SETTINGS.recorded(dir).keySet().stream().filter(k -> k.startsWith("-p ")).map(k -> k.substring(3)).toList();
    }

    /** Every parameter of a run, as JMH passes them to the benchmark (what its trial record is keyed by). */
    private static Map<String, String> runParams(BenchmarkListEntry benchmark, Map<String, String> config) {
        Map<String, String> all = new TreeMap<>();
        benchmark.getParams().orElse(Map.of()).forEach((k, v) -> {
            if (v.length == 1) {
                all.put(k, v[0]);
            }
        });
        all.putAll(config);
        return all;
    }

    static BenchmarkListEntry benchmark() throws BadInputException {
        try {
            return BenchmarkList.defaultList().find(OutputFormatFactory.createFormatInstance(System.out, VerboseMode.SILENT),
                    List.of("^" + Pattern.quote(BENCHMARK) + "$"), List.of()).stream().findFirst()
                    .orElseThrow(() -> new BadInputException(BENCHMARK + " is not in this jar's benchmark list"));
        } catch (RuntimeException e) {
            // JMH throws when the classpath holds no META-INF/BenchmarkList at all
            throw new BadInputException("no JMH benchmarks on the classpath (" + Failure.oneLine(e.getMessage()) + ")");
        }
    }

    /** What the command runs, for a refusal of an option that chooses benchmarks. */
    private static final String RUNS = "the command runs " + BENCHMARK + "; its configurations are the -p values";

    /** The JMH options every run gets: as given, checked, with one fork. */
    private static JmhOptions.Given jmhArgs(JmhOptions.Given given) throws BadInputException {
        CommandLineOptions jmh = JmhOptions.parse(given);
        if (!jmh.getIncludes().isEmpty()) {
            throw new BadInputException("unexpected argument '" + jmh.getIncludes().get(0) + "': " + RUNS);
        }
        if (jmh.getResult().hasValue() || jmh.getResultFormat().hasValue() || jmh.getOutput().hasValue()) {
            throw new BadInputException("-rf/-rff/-o: each run's JMH JSON is written to DIR; choose DIR with --out");
        }
        if (!jmh.getBenchModes().isEmpty() || jmh.getTimeUnit().hasValue()) {
            throw new BadInputException("-bm/-tu: the command measures throughput in batches per second, the unit of the "
                    + "shared result format");
        }
        if (jmh.getThreadGroups().hasValue()) {
            throw new BadInputException("-tg: thread groups divide a @Group benchmark's threads among its methods, and "
                    + BenchmarkResult.shortName(BENCHMARK) + " has one; give the threads with -t");
        }
        if (jmh.getForkCount().hasValue() && jmh.getForkCount().get() != 1) {
            throw new BadInputException("-f " + jmh.getForkCount().get() + ": each run is one forked VM; more runs per "
                    + "variant are --rounds N");
        }
        return jmh.getForkCount().hasValue() ? given : given.with("f", List.of("1"));
    }

    /**
     * Whether a run of rounds 1 to {@code roundCount} has no result file in {@code dir} yet (one listed as not run
     * included: the command tries it again), or one that is no result of its configuration: the command sets it aside
     * and makes the run again ({@link #readOrSetAside}), so this machine must be able to make it.
     */
    static boolean somethingToRun(Path dir, List<Map<String, String>> configs, List<Variant> vs, int roundCount) {
        for (Map<String, String> config : configs) {
            for (int round = 1; round <= roundCount; round++) {
                for (Variant v : vs) {
                    Path file = dir.resolve(resultName(config, round, v));
                    if (!Files.isRegularFile(file) || whyNotARun(file, config) != null) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /**
     * A variant's JMH options: the common ones and its own, whose profilers must load here where {@code runsHere}
     * (JMH's own check, made before anything runs, so that a profiler this machine cannot run is one line, not a table
     * of failed runs).
     */
    private CommandLineOptions variantOptions(JmhOptions.Given jmhArgs, Variant v, boolean runsHere) throws BadInputException {
        if (v.jmhOptions().isEmpty()) {
            return JmhOptions.parse(jmhArgs);
        }
        JmhOptions.Given own = v.options();
        own = own.with("prof", hooks.profilers(own.values("prof")));
        CommandLineOptions jmh;
        try {
            jmh = JmhOptions.parse(joinVmArguments(jmhArgs, own));
        } catch (BadInputException e) {
            throw new BadInputException("--variant " + v.name() + "=" + v.spec() + ": " + e.getMessage());
        }
        if (!runsHere) {
            return jmh;
        }
        for (ProfilerConfig p : jmh.getProfilers()) {
            String why = Profilers.whyNotLoading(p);
            if (why != null) {
                throw new BadInputException("--variant " + v.name() + "=" + v.spec() + ": the profiler does not load: " + why);
            }
        }
        return jmh;
    }

    /**
     * The command's JMH options and a variant's, the forked VM's arguments of each VM-argument option those JMH gives
     * for the command's, then those it gives for the variant's ({@link JmhOptions#vmArguments}: it splits the value of
     * an option given once at its spaces, and takes those of one given several times whole, so that "-Xmx8g -Dx=1" given
     * once is two arguments and "-Dgpuenergy.models=/data/my models" given beside another is one). Each is given as a
     * value of its own, which JMH takes whole; one alone, which JMH would split, in double quotes where it holds a space.
     */
    static JmhOptions.Given joinVmArguments(JmhOptions.Given common, JmhOptions.Given variant) throws BadInputException {
        JmhOptions.Given all = common.plus(variant);
        for (String name : JmhOptions.VM_ARGUMENTS) {
            List<String> words = new ArrayList<>(JmhOptions.vmArguments(common, name));
            words.addAll(JmhOptions.vmArguments(variant, name));
            all = all.with(name, words.size() == 1 && words.get(0).contains(" ") ? List.of("\"" + words.get(0) + "\"") : words);
        }
        return all;
    }

    /** "1%" -> 0.01; the default when not given. */
    static double tolerance(String s) throws BadInputException {
        double t = Subcommand.percent(s, "--tolerance", 100, DEFAULT_TOLERANCE);
        if (t == 0) {
            // no interval lies within 0 %: every verdict would be too-noisy, and no number of runs would change that
            throw new BadInputException("--tolerance " + s + ": a ratio's interval never lies within 0 %; give the"
                    + " difference that counts, e.g. 1% or 0.5%");
        }
        return t;
    }
}
