package gpuenergy.cli;

import gpuenergy.compare.CompareCommand;
import gpuenergy.engine.ModelResolver;
import gpuenergy.options.ProfilerNames;
import gpuenergy.options.JmhOptions;
import gpuenergy.options.ParamOption;
import gpuenergy.options.SuiteSetting;
import gpuenergy.overhead.OverheadCommand;
import gpuenergy.profile.SchedulingProfiler;
import gpuenergy.report.ReportCommand;
import gpuenergy.results.BadInputException;
import gpuenergy.results.IoMessage;
import gpuenergy.run.Profilers;
import gpuenergy.run.RunHooks;
import gpuenergy.sweep.SweepCommand;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;
import java.util.stream.Collectors;

/**
 * Entry point of benchmarks.jar: JMH's Main (every JMH option works the same), plus
 * <ul>
 *   <li>a first argument {@code sweep|report|compare|overhead} runs that subcommand instead;</li>
 *   <li>the energy profiler by default where a GPU can be measured, and {@code -prof energy[:opts]} as its short name;</li>
 *   <li>a JSON result even when no {@code -rf} is given (gpuenergy-result-&lt;time&gt;.json), with an
 *       {@code environment} object per entry, and {@code <result>.notrun.json} for benchmarks that did not run.</li>
 * </ul>
 */
public final class Main {
    private Main() {}

    /** The first arguments that run a command of their own instead of benchmarks. */
    static final List<String> SUBCOMMANDS = List.of("sweep", "report", "compare", "overhead");

    /** What -h shows before JMH's own options: the subcommands and this suite's additions. */
    static final String HELP = String.join("\n",
            "usage: java -jar benchmarks.jar [JMH options]                  run the benchmarks (README.md)",
            "       java -jar benchmarks.jar sweep [options] [JMH options]  batch sizes 1, 2, 4, ... until out of memory "
                    + "(sweep -h, docs/sweep.md)",
            "       java -jar benchmarks.jar report RESULT.json|SWEEP_DIR... --out DIR   report with plots (report -h, docs/report.md)",
            "       java -jar benchmarks.jar compare BASELINE CANDIDATE     regression gate (compare -h)",
            "       java -jar benchmarks.jar overhead [options] [JMH options]  a profiler's cost: img/s with and without it, "
                    + "interleaved runs (overhead -h, docs/overhead.md)",
            "",
            "This suite's additions:",
            "  -p model=... -p engine=... -p batchSize=... -p device=auto|cpu|gpu|gpu:N   the benchmark's parameters (-lp lists them)",
            option("-prof energy[:opts]", "short for -prof " + SuiteRun.ENERGY_PROFILER + ";"),
            option("", "added by itself where an NVIDIA GPU can be measured, unless other -prof are given;"),
            option("", "run inside every other profiler, in whatever order they are given"),
            option("-prof sched", "short for -prof " + SchedulingProfiler.class.getName() + ": how the host's CPUs served"),
            option("", "the benchmark thread (run queue wait, preemptions, steal)"),
            "  Settings, given to java before -jar (java -DNAME=VALUE -jar benchmarks.jar ...):",
            SuiteSetting.documented().stream().map(s -> option(s.example(), s.description())).collect(Collectors.joining("\n")),
            "  Without -rf/-rff the result is " + BenchmarkRun.DEFAULT_FORMAT + " in " + BenchmarkRun.DEFAULT_RESULT
                    + ", written as each benchmark finishes.",
            "  A name no -rff gives (that one, -rf's jmh-result.<format>) is numbered (NAME.1.json, ...) where another run has it.",
            "  Exit status: 0; 1 when a benchmark failed (kind error), nothing was measured, the result could not be written,",
            "  or the run could not start (a -Dgpuenergy.* property no setting above takes, also in an @argfile of -jvmArgs,",
            "  an @argfile that cannot be read, a -p name no selected benchmark has, a -prof that does not load or is",
            "  given twice, a -jvm that is no executable file, an unknown subcommand or option, ...).",
            "",
            "JMH options, with this suite's defaults:");

    /** One option of -h's list, its description in the column after the longest setting. */
    private static String option(String option, String description) {
        return String.format("  %-43s %s", option, description);
    }

    public static void main(String[] args) {
        int rc;
        try {
            rc = run(args);
        } catch (IOException | UncheckedIOException e) {
            // a file the run needs failed in a way no check before it foresaw: one line, like every refusal
            System.err.println("ERROR: " + IoMessage.describe(e instanceof UncheckedIOException u ? u.getCause() : (IOException) e));
            rc = 1;
        } catch (JmhOptions.UnsupportedJmhException e) {
            // the launcher, sweep and overhead read JMH's options, and report and compare name them in a bad option's line
            System.err.println((args.length > 0 && SUBCOMMANDS.contains(args[0]) ? args[0] + ": " : "") + e.getMessage());
            rc = 1;
        }
        if (rc != 0) {
            System.exit(rc);
        }
    }

    /** Runs as {@code java -jar benchmarks.jar args} would, returning the exit code. */
    public static int run(String[] args) throws IOException {
        if (args.length > 0) {
            String[] rest = Arrays.copyOfRange(args, 1, args.length);
            switch (args[0]) {
                case "sweep":
                    return withSuite(args, rest, hooks -> SweepCommand.run(rest, hooks));
                case "overhead":
                    return withSuite(args, rest, hooks -> OverheadCommand.run(rest, hooks));
                case "report":
                    return ReportCommand.run(rest);
                case "compare":
                    return CompareCommand.run(rest);
                default:
                    break;
            }
        }
        if (args.length > 0 && nearSubcommand(args[0])) {
            // "reprot x.json --out r": JMH would name --out, not the misspelt word; "comapre a b" would run every
            // benchmark whose name holds an a or a b
            System.err.println("unknown subcommand '" + args[0] + "'; subcommands are " + String.join(", ", SUBCOMMANDS));
            return 1;
        }
        CommandLineOptions cmd;
        Map<String, List<String>> params;
        try {
            // JMH knows -h only; the subcommands take --help too
            JmhOptions.Given given = JmhOptions.read(Arrays.stream(args).map(a -> a.equals("--help") ? "-h" : a).toList());
            params = ParamOption.parse(given.values("p"));
            cmd = JmhOptions.parse(jmhArguments(given, params));
        } catch (BadInputException e) {
            System.err.println(e.getMessage());
            return 1;
        }
        if (cmd.shouldHelp()) {
            System.out.println(HELP);
            JmhHelp.print(cmd, System.out);
            return 0;
        }
        if (cmd.shouldList() || cmd.shouldListWithParams()) {
            String unknown = BenchmarkRun.unknownParam(cmd, params.keySet());
            if (unknown != null) {
                System.err.println(unknown);
                return 1;
            }
        }
        if (cmd.shouldList()) {
            new Runner(cmd).list();
            return 0;
        }
        if (cmd.shouldListWithParams()) {
            new Runner(cmd).listWithParams(cmd);
            return 0;
        }
        if (cmd.shouldListProfilers()) {
            cmd.listProfilers();
            System.out.println(shortNamesLine());
            return 0;
        }
        if (cmd.shouldListResultFormats()) {
            cmd.listResultFormats();
            return 0;
        }
        String profilerHelp = Profilers.help(cmd.getProfilers());
        if (profilerHelp != null) {
            System.out.print(profilerHelp.endsWith("\n") ? profilerHelp : profilerHelp + "\n");
            return 0;
        }
        String cannotRun = cannotRun(cmd);
        if (cannotRun == null) {
            cannotRun = Profilers.refusal(cmd.getProfilers());
        }
        if (cannotRun != null) {
            System.err.println(cannotRun);
            return 1;
        }
        return new BenchmarkRun(cmd, args, params.keySet()).run();
    }

    /**
     * The options JMH runs with: those given, -prof's as {@link #profilers} passes them on, and each -p parameter once
     * with each of its values once ({@code params}, as sweep and overhead read them): a value given twice would be
     * measured twice, two results of one benchmark that no reader takes.
     */
    static JmhOptions.Given jmhArguments(JmhOptions.Given given, Map<String, List<String>> params) {
        List<String> p = params.entrySet().stream().map(e -> e.getKey() + "=" + String.join(",", e.getValue())).toList();
        return given.with("prof", profilers(given.values("prof"))).with("p", p);
    }

    /**
     * A subcommand that runs benchmarks, given the launcher's hooks; exit 1 when the run {@link #cannotRun}, as a plain
     * run: what stops a run before it starts is this machine's and its settings, not the command line's. The settings
     * its JMH options give the forks are the subcommand's to check ({@link SuiteSetting#refusal(Options)}), once it has
     * read them among its own options.
     */
    private static int withSuite(String[] args, String[] rest, ToIntFunction<RunHooks> command) throws IOException {
        boolean help = List.of(rest).contains("-h") || List.of(rest).contains("--help");
        String cannotRun = cannotRun(new OptionsBuilder().build());
        if (!help && cannotRun != null) {
            System.err.println(args[0] + ": " + cannotRun);
            return 1;
        }
        try (SuiteRun suite = new SuiteRun(args)) {
            return command.applyAsInt(suite);
        }
    }

    /**
     * Why no benchmark can run with this VM's settings, those {@code jmh} gives the forks, and this machine, in one line:
     * a -jvm that is no executable file, a -Dgpuenergy.* property, of this VM or given to the forks with -jvmArgs,
     * -jvmArgsAppend or -jvmArgsPrepend, in an @argfile there too, that is no setting or has a value it does not accept
     * (else it would be ignored unseen, or refuse every benchmark alike), such an @argfile that cannot be read (every
     * fork would fail), a models directory that is a file, a java.io.tmpdir that cannot hold files; null when none of
     * these.
     */
    static String cannotRun(Options jmh) {
        String refusal = SuiteSetting.refusal(jmh);
        if (refusal == null) {
            refusal = modelsDirIsAFile();
        }
        return refusal != null ? refusal : tmpDirUnusable();
    }

    /**
     * The models directory named by GPUENERGY_MODELS, or ./models, when it is a file: every model name would then be
     * reported missing under it, which hides the mistake. Null when it is a directory or absent (the embedded model and
     * model files work without one). A -Dgpuenergy.models that names a file, of this VM or the forks, is a value its
     * setting does not accept ({@link SuiteSetting#refusal(Options)}).
     */
    static String modelsDirIsAFile() {
        Path dir = ModelResolver.modelsDir();
        if (!SuiteSetting.namesAFile(dir)) {
            return null;
        }
        String from = System.getenv("GPUENERGY_MODELS") == null || System.getenv("GPUENERGY_MODELS").isBlank() ? "./models"
                : "GPUENERGY_MODELS";
        return "the models directory " + dir + " (" + from + ") is a file, not a directory; give the directory that holds "
                + "<name>/<name>-fp32.pt";
    }

    /**
     * Why java.io.tmpdir cannot hold a run's temporary files (its trial records, JMH's own files for its forks), in one
     * line; null when it can. Checked before anything runs: the first temporary file would fail with a stack trace.
     */
    static String tmpDirUnusable() {
        Path dir = Path.of(System.getProperty("java.io.tmpdir"));
        String why = IoMessage.cannotCreate(dir.resolve("gpuenergy-tmpdir-check"));
        return why == null ? null : "java.io.tmpdir " + dir + " cannot hold the run's temporary files: " + why
                + "; give a writable directory with -Djava.io.tmpdir=DIR";
    }

    /**
     * Whether a first argument is a misspelt subcommand: a plain word within two edits of one, that no benchmark's name
     * matches (then it is a benchmark pattern, and JMH takes it as one).
     */
    static boolean nearSubcommand(String word) {
        return word.matches("[A-Za-z]+") && SUBCOMMANDS.stream().anyMatch(s -> editDistance(word, s) <= 2)
                && SuiteRun.selected(List.of(word), List.of()).isEmpty();
    }

    /** Levenshtein's distance: the fewest characters inserted, deleted or replaced to turn a into b. */
    static int editDistance(String a, String b) {
        int[] row = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            row[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            int diagonal = row[0];
            row[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int above = row[j];
                row[j] = Math.min(Math.min(row[j] + 1, row[j - 1] + 1), diagonal + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
                diagonal = above;
            }
        }
        return row[b.length()];
    }

    /**
     * -prof's values as the launcher passes them to JMH: its short names expanded, {@code energy[:opts]} -> {@code
     * gpuenergy.profile.NvmlEnergyProfiler[:opts]}, {@code sched[:opts]} -> {@code gpuenergy.profile.SchedulingProfiler[:opts]};
     * and the energy profiler after every other one. Its window runs from the end of its beforeIteration to the start
     * of its afterIteration, and JMH calls afterIteration in the reverse order of beforeIteration: listed last, its
     * window holds no other profiler's reads (the scheduling probe's 20 ms, /proc walks), whatever the order the user
     * gave.
     */
    static List<String> profilers(List<String> given) {
        List<String> expanded = given.stream().map(ProfilerNames::expand).toList();
        List<String> ordered = new ArrayList<>(expanded.stream().filter(p -> !isEnergy(p)).toList());
        ordered.addAll(expanded.stream().filter(Main::isEnergy).toList());
        return ordered;
    }

    private static boolean isEnergy(String profiler) {
        return profiler.equals(SuiteRun.ENERGY_PROFILER) || profiler.startsWith(SuiteRun.ENERGY_PROFILER + ":");
    }


    /**
     * What -lprof prints after JMH's list, which names this suite's profilers by their classes only (JMH lists the
     * profilers it finds, and has no place for another name of one).
     */
    static String shortNamesLine() {
        return "This suite's short names: " + ProfilerNames.SHORT_NAMES.stream()
                .map(s -> "-prof " + s.name() + " for " + s.profiler() + " (" + s.what() + ")")
                .collect(Collectors.joining("; "));
    }
}
