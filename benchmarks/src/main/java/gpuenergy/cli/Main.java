package gpuenergy.cli;

import gpuenergy.compare.CompareCommand;
import gpuenergy.engine.ModelResolver;
import gpuenergy.report.ReportCommand;
import gpuenergy.results.BenchmarkResult;
import gpuenergy.results.IoMessage;
import gpuenergy.results.NotRun;
import gpuenergy.results.NotRunList;
import gpuenergy.results.TrialRecords;
import gpuenergy.sweep.SweepCommand;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Defaults;
import org.openjdk.jmh.runner.NoBenchmarksException;
import org.openjdk.jmh.runner.ProfilersFailedException;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormat;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.VerboseMode;
import org.openjdk.jmh.util.UnCloseablePrintStream;
import org.openjdk.jmh.util.Utils;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Entry point of benchmarks.jar: JMH's Main (every JMH option works the same), plus
 * <ul>
 *   <li>a first argument {@code sweep|report|compare} runs that subcommand instead;</li>
 *   <li>the energy profiler by default where a GPU can be measured, and {@code -prof energy[:opts]} as its short name;</li>
 *   <li>a JSON result even when no {@code -rf} is given (gpuenergy-result-&lt;time&gt;.json), with an
 *       {@code environment} object per entry, and {@code <result>.notrun.json} for benchmarks that did not run.</li>
 * </ul>
 */
public final class Main {
    private Main() {}

    /** What -h shows before JMH's own options: the subcommands and this suite's additions. */
    static final String HELP = String.join("\n",
            "usage: java -jar benchmarks.jar [JMH options]                  run the benchmarks (README.md)",
            "       java -jar benchmarks.jar sweep [options] [JMH options]  batch sizes 1, 2, 4, ... until out of memory "
                    + "(sweep -h, docs/sweep.md)",
            "       java -jar benchmarks.jar report RESULT.json|SWEEP_DIR... --out DIR   report with plots (report -h, docs/report.md)",
            "       java -jar benchmarks.jar compare BASELINE CANDIDATE     regression gate (compare -h)",
            "",
            "This suite's additions:",
            "  -p model=... -p engine=... -p batchSize=... -p device=auto|cpu|gpu|gpu:N   the benchmark's parameters (-lp lists them)",
            "  -prof energy[:opts]              short for -prof " + SuiteRun.ENERGY_PROFILER + "; added by itself where an",
            "                                   NVIDIA GPU can be measured",
            "  -Dgpuenergy.models=DIR           models directory (else $GPUENERGY_MODELS, else ./models)",
            "  -Dgpuenergy.allowUnchecked=true  benchmark artifacts without a passing numerics record",
            "  -Dgpuenergy.inputShape=C,H,W     input shape for models without a record",
            "  -Dgpuenergy.energy=off           do not add the energy profiler",
            "  -Dai.djl.pytorch.num_threads=N   libtorch's intra-op threads",
            "  Without -rf/-rff the result is JSON in gpuenergy-result-<date>-<time>.json, written as each benchmark finishes.",
            "  Exit status: 0; 1 when a benchmark failed (kind error) or nothing was measured, or the run could not start.",
            "",
            "JMH options:");

    public static void main(String[] args) throws IOException {
        int rc = run(args);
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
                    if (!List.of(rest).contains("-h") && !List.of(rest).contains("--help") && modelsDirIsAFile() != null) {
                        System.err.println("sweep: " + modelsDirIsAFile());
                        return 2;
                    }
                    try (SuiteRun suite = new SuiteRun(args)) {
                        return SweepCommand.run(expandAliases(rest), suite);
                    }
                case "report":
                    return ReportCommand.run(rest);
                case "compare":
                    return CompareCommand.run(rest);
                default:
                    break;
            }
        }
        CommandLineOptions cmd;
        try {
            cmd = new CommandLineOptions(expandAliases(args));
        } catch (CommandLineOptionException e) {
            System.err.println("Error parsing command line:");
            System.err.println(" " + e.getMessage());
            return 1;
        }
        if (cmd.shouldHelp()) {
            System.out.println(HELP);
            cmd.showHelp();
            return 0;
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
            return 0;
        }
        if (cmd.shouldListResultFormats()) {
            cmd.listResultFormats();
            return 0;
        }
        if (modelsDirIsAFile() != null) {
            System.err.println(modelsDirIsAFile());
            return 1;
        }
        return new Main.Launch(cmd, args).run();
    }

    /**
     * The models directory named by -Dgpuenergy.models or GPUENERGY_MODELS when it is a file: every model name would
     * then be reported missing under it, which hides the mistake. Null when it is a directory or absent (the embedded
     * model and model files work without one).
     */
    static String modelsDirIsAFile() {
        Path dir = ModelResolver.modelsDir();
        if (!Files.exists(dir) || Files.isDirectory(dir)) {
            return null;
        }
        String from = System.getProperty("gpuenergy.models", "").isBlank()
                ? (System.getenv("GPUENERGY_MODELS") == null || System.getenv("GPUENERGY_MODELS").isBlank() ? "./models"
                : "GPUENERGY_MODELS") : "-Dgpuenergy.models";
        return "the models directory " + dir + " (" + from + ") is a file, not a directory; give the directory that holds "
                + "<name>/<name>-fp32.pt";
    }

    /** {@code -prof energy[:opts]} -> {@code -prof gpuenergy.profile.NvmlEnergyProfiler[:opts]}. */
    static String[] expandAliases(String[] args) {
        String[] out = args.clone();
        for (int i = 0; i < out.length; i++) {
            if (out[i].equals("-prof") && i + 1 < out.length) {
                out[i + 1] = expandEnergy(out[i + 1]);
            } else if (out[i].startsWith("-prof=")) {
                out[i] = "-prof=" + expandEnergy(out[i].substring(6));
            }
        }
        return out;
    }

    private static String expandEnergy(String value) {
        return value.equals("energy") || value.startsWith("energy:") ? SuiteRun.ENERGY_PROFILER + value.substring(6) : value;
    }

    /** One benchmark run: JMH's Runner with this suite's additions, then the result post-processing. */
    private static final class Launch {
        private final CommandLineOptions cmd;
        private final String[] originalArgs;
        private final PrintStream console = System.out;

        Launch(CommandLineOptions cmd, String[] originalArgs) {
            this.cmd = cmd;
            this.originalArgs = originalArgs;
        }

        int run() throws IOException {
            ChainedOptionsBuilder opts = new OptionsBuilder().parent(cmd);

            Path result = resultFile(opts);
            String unwritable = unwritable(result);
            if (unwritable != null) {
                System.err.println(unwritable);
                return 1;
            }
            // JMH writes its result only when the run ends, and creates the file empty at its start: it writes to a
            // copy of its own, and the launcher writes the result itself, as each benchmark finishes
            Path jmhCopy = result == null ? null : Files.createTempFile("gpuenergy-jmh-result", ".json");
            try (SuiteRun suite = new SuiteRun(originalArgs)) {
                if (jmhCopy != null) {
                    opts.result(jmhCopy.toString());
                }
                return run(opts, suite, result, jmhCopy);
            } finally {
                if (jmhCopy != null) {
                    Files.deleteIfExists(jmhCopy);
                }
            }
        }

        /**
         * Why the run cannot write its result (JSON or, with -rf, another format) or its -o output, in one line; null
         * when it can. Checked before anything runs: JMH would fail at its start with a stack trace, or at its end.
         */
        private String unwritable(Path json) {
            Path target = json;
            if (target == null && (cmd.getResult().hasValue() || cmd.getResultFormat().hasValue())) {
                target = Path.of(cmd.getResult().orElse(Defaults.RESULT_FILE_PREFIX + "."
                        + cmd.getResultFormat().orElse(Defaults.RESULT_FORMAT).toString().toLowerCase(java.util.Locale.ROOT)));
            }
            if (target != null) {
                String why = IoMessage.cannotCreate(target);
                if (why != null) {
                    boolean inWorkingDir = !cmd.getResult().hasValue();
                    return "cannot write the result file " + target
                            + (inWorkingDir ? " in the working directory " + Path.of("").toAbsolutePath() : "") + ": " + why
                            + (inWorkingDir ? "; run from a writable directory or name the file with -rff PATH" : "");
                }
            }
            if (cmd.getOutput().hasValue()) {
                String why = IoMessage.cannotCreate(Path.of(cmd.getOutput().get()));
                if (why != null) {
                    return "cannot write the output file " + cmd.getOutput().get() + " (-o): " + why;
                }
            }
            return null;
        }

        private int run(ChainedOptionsBuilder opts, SuiteRun suite, Path result, Path jmhCopy) throws IOException {
            String energy = suite.configure(opts, cmd);
            OutputFormat jmhOut = createOutputFormat();
            OutputFormat written = result == null ? jmhOut : new ProgressiveResult(jmhOut, result, jmhCopy, suite::withEnvironment);
            FailureCapture capture = new FailureCapture(written);
            if (energy != null) {
                jmhOut.println("energy: not measured (" + energy + ")");
            }
            // -f 0 runs the benchmarks in this VM: it reads the property the forks get on their command line
            String previous = System.setProperty(TrialRecords.PROPERTY, suite.records.toString());
            Collection<RunResult> results;
            try {
                results = new Runner(opts.build(), capture).run();
            } catch (NoBenchmarksException e) {
                System.err.println("No matching benchmarks. Miss-spelled regexp?");
                if (cmd.verbosity().orElse(Defaults.VERBOSITY) != VerboseMode.EXTRA) {
                    System.err.println("Use " + VerboseMode.EXTRA + " verbose mode to debug the pattern matching.");
                } else {
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
                // JMH's own refusals (its lock held by another run, ...) are complete sentences: no stack trace
                System.err.println(oneLine(e));
                return 1;
            } finally {
                if (previous == null) {
                    System.clearProperty(TrialRecords.PROPERTY);
                } else {
                    System.setProperty(TrialRecords.PROPERTY, previous);
                }
            }
            return postProcess(results, capture, suite, result);
        }

        /** "ERROR: what JMH says[: its cause]", the first line of each. */
        private static String oneLine(Throwable e) {
            String line = firstLine(e.getMessage());
            Throwable cause = e.getCause();
            while (cause != null && cause.getCause() != null && cause.getCause() != cause) {
                cause = cause.getCause();
            }
            String why = cause == null ? "" : ": " + (cause.getMessage() == null ? cause.getClass().getSimpleName()
                    : cause.getClass().getSimpleName() + ": " + firstLine(cause.getMessage()));
            return (line.startsWith("ERROR") ? "" : "ERROR: ") + line + why;
        }

        private static String firstLine(String s) {
            return s == null ? "" : s.strip().split("\\R", 2)[0];
        }

        /**
         * The JSON result this run writes: JMH's when -rf json is given; with no -rf and no -rff a
         * timestamped gpuenergy-result-*.json (JMH alone would write none); -rff *.json alone means JSON.
         * null for the other formats (they get no environment).
         */
        private Path resultFile(ChainedOptionsBuilder opts) {
            boolean rf = cmd.getResultFormat().hasValue();
            boolean rff = cmd.getResult().hasValue();
            if (!rf && !rff) {
                String name = "gpuenergy-result-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".json";
                opts.resultFormat(ResultFormatType.JSON).result(name);
                return Path.of(name);
            }
            if (!rf && cmd.getResult().get().endsWith(".json")) {
                opts.resultFormat(ResultFormatType.JSON);
                return Path.of(cmd.getResult().get());
            }
            if (cmd.getResultFormat().orElse(Defaults.RESULT_FORMAT) == ResultFormatType.JSON) {
                return Path.of(cmd.getResult().orElse(Defaults.RESULT_FILE_PREFIX + ".json"));
            }
            return null;
        }

        private int postProcess(Collection<RunResult> results, FailureCapture capture, SuiteRun suite, Path result)
                throws IOException {
            Set<String> succeeded = new HashSet<>();
            for (RunResult r : results) {
                succeeded.add(BenchmarkResult.key(r.getParams()));
            }
            List<NotRun> notRun = capture.notRun(succeeded, suite.records(), suite.gpuName());
            PrintStream out = cmd.getOutput().hasValue() ? new PrintStream(new java.io.FileOutputStream(cmd.getOutput().get(), true), true)
                    : console;
            try {
                if (result != null && !results.isEmpty()) {
                    // the whole run, its forks' iterations apart, replaces what was written benchmark by benchmark
                    String missing = ProgressiveResult.write(result, results, suite::withEnvironment);
                    if (missing != null) {
                        out.println("environment: not added to " + result + " (" + missing + "); the JMH result is unchanged");
                    }
                } else if (result != null) {
                    // an empty array would only be an input every reader refuses
                    out.println("No result file written: nothing was measured");
                }
                if (!notRun.isEmpty()) {
                    String where = "";
                    if (result != null) {
                        Path file = NotRunList.besides(result);
                        NotRunList.write(file, notRun);
                        where = ", listed in " + file;
                    }
                    out.println("");
                    out.println("Not run (" + notRun.size() + ")" + where + ":");
                    notRun.forEach(n -> out.println("  " + n.consoleLine()));
                }
            } finally {
                out.flush();
                if (out != console) {
                    out.close();
                }
            }
            // the sweep's rule too: a failure (kind error) or nothing measured is 1; unavailable or did-not-fit is not
            return NotRun.exitCode(results.size(), notRun.stream().map(NotRun::kind).toList());
        }

        /** As JMH's Runner makes it (-o file, else an unclosable System.out), so the output is JMH's own. */
        private OutputFormat createOutputFormat() throws IOException {
            PrintStream out;
            if (cmd.getOutput().hasValue()) {
                try {
                    out = new PrintStream(cmd.getOutput().get());
                } catch (FileNotFoundException ex) {
                    throw new IllegalStateException(ex);
                }
            } else {
                out = new UnCloseablePrintStream(System.out, Utils.guessConsoleEncoding());
            }
            return OutputFormatFactory.createFormatInstance(out, cmd.verbosity().orElse(Defaults.VERBOSITY));
        }
    }
}
