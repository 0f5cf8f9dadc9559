package gpuenergy.cli;

import gpuenergy.bench.InferenceBenchmark;
import gpuenergy.options.JmhOptions;
import joptsimple.HelpFormatter;
import joptsimple.OptionDescriptor;
import joptsimple.OptionParser;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.Defaults;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionFormatter;
import org.openjdk.jmh.util.Optional;

import java.io.IOException;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * JMH's list of options for -h, with this suite's defaults where JMH's own would be wrong: the forks, iterations and
 * iteration times are InferenceBenchmark's annotations as JMH's run reads them (its benchmark list), the result's format
 * and file are {@link BenchmarkRun}'s. JMH's own formatter lays the list out; only those descriptions change.
 */
final class JmhHelp {
    private JmhHelp() {}

    /** JMH's "(default: ...)" at the end of an option's description. */
    private static final Pattern JMH_DEFAULT = Pattern.compile("\\s*\\(default: [^()]*\\)\\s*$");

    /** Prints JMH's options, as {@link CommandLineOptions#showHelp} does, with {@link #suiteDefaults}. */
    static void print(CommandLineOptions cmd, PrintStream out) throws IOException {
        // JMH's parser: CommandLineOptions shows its help but gives no way to change what it says
        OptionParser parser = JmhOptions.parserOf(cmd);
        Map<String, String> defaults = suiteDefaults();
        OptionFormatter jmh = new OptionFormatter();
        parser.formatHelpWith(new HelpFormatter() {
            @Override
            public String format(Map<String, ? extends OptionDescriptor> options) {
                Map<String, OptionDescriptor> shown = new LinkedHashMap<>();
                options.forEach((name, d) -> shown.put(name, defaults.containsKey(name) ? withDefault(d, defaults.get(name)) : d));
                return jmh.format(shown);
            }
        });
        parser.printHelpOn(out);
        out.flush();
    }

    /** Option name (as JMH's parser knows it) -> the default a run of this suite applies, in -h's words. */
    static Map<String, String> suiteDefaults() {
        List<BenchmarkListEntry> suite = SuiteRun.selected(
                List.of("^" + Pattern.quote(InferenceBenchmark.class.getName()) + "\\."), List.of());
        BenchmarkListEntry e = suite.isEmpty() ? null : suite.get(0);
        Map<String, String> m = new LinkedHashMap<>();
        m.put("f", String.valueOf(annotated(e == null ? null : e.getForks(), Defaults.MEASUREMENT_FORKS)));
        m.put("wi", String.valueOf(annotated(e == null ? null : e.getWarmupIterations(), Defaults.WARMUP_ITERATIONS)));
        m.put("w", String.valueOf(annotated(e == null ? null : e.getWarmupTime(), Defaults.WARMUP_TIME)));
        m.put("i", String.valueOf(annotated(e == null ? null : e.getMeasurementIterations(), Defaults.MEASUREMENT_ITERATIONS)));
        m.put("r", String.valueOf(annotated(e == null ? null : e.getMeasurementTime(), Defaults.MEASUREMENT_TIME)));
        m.put("rf", BenchmarkRun.DEFAULT_FORMAT + "; " + Defaults.RESULT_FORMAT + " with an -rff file not ending in .json");
        m.put("rff", BenchmarkRun.DEFAULT_RESULT + "; with -rf, " + Defaults.RESULT_FILE_PREFIX + ".<result-format>");
        return m;
    }

    private static <T> T annotated(Optional<T> value, T jmhDefault) {
        return value == null ? jmhDefault : value.orElse(jmhDefault);
    }

    /** {@code d} with its description's default replaced by {@code dflt}. */
    private static OptionDescriptor withDefault(OptionDescriptor d, String dflt) {
        String description = JMH_DEFAULT.matcher(d.description()).replaceFirst("") + " (default: " + dflt + ")";
        return new OptionDescriptor() {
            @Override public List<String> options() { return d.options(); }
            @Override public String description() { return description; }
            @Override public List<?> defaultValues() { return d.defaultValues(); }
            @Override public boolean isRequired() { return d.isRequired(); }
            @Override public boolean acceptsArguments() { return d.acceptsArguments(); }
            @Override public boolean requiresArgument() { return d.requiresArgument(); }
            @Override public String argumentDescription() { return d.argumentDescription(); }
            @Override public String argumentTypeIndicator() { return d.argumentTypeIndicator(); }
            @Override public boolean representsNonOptions() { return d.representsNonOptions(); }
        };
    }

}
