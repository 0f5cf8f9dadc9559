package gpuenergy.cli;

import com.google.gson.JsonArray;
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
import org.openjdk.jmh.runner.options.ProfilerConfig;
import org.openjdk.jmh.runner.options.VerboseMode;
import org.openjdk.jmh.util.UnCloseablePrintStream;
import org.openjdk.jmh.util.Utils;
import org.openjdk.jmh.util.Version;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    static final Map<String, String> SUBCOMMANDS = Map.of(
            "sweep", "gpuenergy.sweep.SweepCommand",
            "report", "gpuenergy.report.ReportCommand",
            "compare", "gpuenergy.compare.CompareCommand");

    private Main() {}

    public static void main(String[] args) throws IOException {
        int rc = run(args);
        if (rc != 0) {
            System.exit(rc);
        }
    }

    /** Runs as {@code java -jar benchmarks.jar args} would, returning the exit code. */
    public static int run(String[] args) throws IOException {
        if (args.length > 0 && SUBCOMMANDS.containsKey(args[0])) {
            return subcommand(args[0], java.util.Arrays.copyOfRange(args, 1, args.length));
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
        return new Main.Launch(cmd, args).run();
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
        return value.equals("energy") || value.startsWith("energy:") ? GpuInfo.ENERGY_PROFILER + value.substring(6) : value;
    }

    private static int subcommand(String name, String[] args) {
        Method run;
        try {
            run = Class.forName(SUBCOMMANDS.get(name)).getMethod("run", String[].class);
        } catch (ClassNotFoundException | NoSuchMethodException e) {
            System.err.println("'" + name + "' is not available in this build (" + SUBCOMMANDS.get(name) + " is missing)");
            return 2;
        }
        try {
            return (Integer) run.invoke(null, (Object) args);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        }
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

            String energy = energy(opts);
            Path result = resultFile(opts);

            Path records = Files.createTempFile("gpuenergy-records", ".jsonl");
            List<String> prepend = new ArrayList<>();
            prepend.add("-Dgpuenergy.records=" + records);
            System.getProperties().stringPropertyNames().stream().sorted()
                    .filter(k -> k.startsWith("gpuenergy.") && !k.equals("gpuenergy.records"))
                    .forEach(k -> prepend.add("-D" + k + "=" + System.getProperty(k)));
            prepend.addAll(cmd.getJvmArgsPrepend().orElse(List.of()));
            opts.jvmArgsPrepend(prepend.toArray(new String[0]));

            OutputFormat jmhOut = createOutputFormat();
            FailureCapture capture = new FailureCapture(jmhOut);
            if (energy != null) {
                jmhOut.println("energy: not measured (" + energy + ")");
            }
            // -f 0 runs the benchmarks in this VM: it reads the property the forks get on their command line
            String previous = System.setProperty("gpuenergy.records", records.toString());
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
                System.err.print("ERROR: ");
                e.printStackTrace(System.err);
                return 1;
            } finally {
                if (previous == null) {
                    System.clearProperty("gpuenergy.records");
                } else {
                    System.setProperty("gpuenergy.records", previous);
                }
            }
            try {
                return postProcess(results, capture, TrialLog.read(records), result);
            } finally {
                Files.deleteIfExists(records);
            }
        }

        /** Adds the energy profiler where it can measure; returns why energy is not measured, or null. */
        private String energy(ChainedOptionsBuilder opts) {
            List<ProfilerConfig> profilers = cmd.getProfilers();
            if (!profilers.isEmpty()) {
                boolean withEnergy = profilers.stream().anyMatch(p -> p.getKlass().equals(GpuInfo.ENERGY_PROFILER));
                return withEnergy ? null : "-prof given without energy";
            }
            String reason = GpuInfo.energyUnavailableReason();
            if (reason == null) {
                opts.addProfiler(GpuInfo.ENERGY_PROFILER);
            }
            return reason;
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

        private int postProcess(Collection<RunResult> results, FailureCapture capture, TrialLog log, Path result)
                throws IOException {
            Set<String> succeeded = new HashSet<>();
            for (RunResult r : results) {
                succeeded.add(FailureCapture.key(r.getParams()));
            }
            JsonArray notRun = ResultFiles.notRun(capture.started, succeeded, capture.failures, log);
            PrintStream out = cmd.getOutput().hasValue() ? new PrintStream(new java.io.FileOutputStream(cmd.getOutput().get(), true), true)
                    : console;
            try {
                if (result != null && Files.exists(result)) {
                    try {
                        ResultFiles.write(result, ResultFiles.withEnvironment(ResultFiles.read(result), hostEnvironment(), log));
                    } catch (IOException | RuntimeException e) {
                        out.println("environment: not added to " + result + " (" + e + "); the JMH result is unchanged");
                    }
                }
                if (notRun.size() > 0) {
                    String where = "";
                    if (result != null) {
                        Path file = ResultFiles.notRunFile(result);
                        ResultFiles.write(file, notRun);
                        where = ", listed in " + file;
                    }
                    out.println("");
                    out.println("Not run (" + notRun.size() + ")" + where + ":");
                    for (String line : ResultFiles.describe(notRun)) {
                        out.println("  " + line);
                    }
                }
            } finally {
                out.flush();
                if (out != console) {
                    out.close();
                }
            }
            // JMH exits 0 after failed benchmarks; so does this, unless nothing at all was measured
            return results.isEmpty() && notRun.size() > 0 ? 1 : 0;
        }

        private Map<String, String> hostEnvironment() {
            Map<String, String> m = new LinkedHashMap<>(GpuInfo.describe());
            m.put("jmh", Version.getPlainVersion());
            m.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
            m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
            m.put("command", "java -jar benchmarks.jar " + String.join(" ", originalArgs));
            return m;
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
