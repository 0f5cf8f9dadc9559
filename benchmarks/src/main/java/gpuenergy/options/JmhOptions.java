package gpuenergy.options;

import gpuenergy.results.BadInputException;
import gpuenergy.results.Lines;
import joptsimple.OptionDescriptor;
import joptsimple.OptionParser;
import joptsimple.OptionSet;
import joptsimple.OptionSpec;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.profile.ProfilerFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.ProfilerConfig;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;
import org.openjdk.jmh.runner.options.WarmupMode;
import org.openjdk.jmh.util.Optional;
import org.openjdk.jmh.util.Version;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which arguments of a command line are JMH's options and which are their values, as JMH reads them: the options JMH's
 * own parser declares (CommandLineOptions'), each taking a value where JMH's does, read by jopt-simple as JMH reads
 * them: {@code -prof x}, {@code --prof x}, {@code -prof=x}, and where the parser takes abbreviations (JMH's own does,
 * a subcommand's does not) {@code -pro x}. The launcher, sweep and overhead read JMH's options through it alone.
 */
public final class JmhOptions {
    /** The JMH whose CommandLineOptions these are read from: the one the suite is built with (pom.xml's jmh.version). */
    static final String JMH_VERSION = "1.37";

    /** JMH's options that list instead of running, each with what it lists. */
    private static final Map<String, String> LISTS = Map.of("l", "the benchmarks", "lp",
            "the benchmarks with their parameters", "lprof", "the profilers", "lrf", "the result formats");

    /** JMH's options whose values are the forked VM's arguments, by name without the dash. */
    public static final List<String> VM_ARGUMENTS = List.of("jvmArgs", "jvmArgsAppend", "jvmArgsPrepend");

    /** JMH's options that choose benchmarks beside its patterns: those excluded, and those run only to warm up. */
    private static final List<String> SELECTS = List.of("e", "wmb");

    private final OptionParser parser;
    /** The options declared here, each by its name (JMH's options have one name each). */
    private final Map<OptionSpec<?>, String> declared = new IdentityHashMap<>();

    private JmhOptions(OptionParser parser) {
        this.parser = parser;
        for (OptionDescriptor d : declared()) {
            if (d.options().stream().anyMatch(parser.recognizedOptions()::containsKey)) {
                continue; // the subcommand's own option of that name (-p, -h)
            }
            var option = parser.acceptsAll(d.options());
            OptionSpec<?> spec = d.requiresArgument() ? option.withRequiredArg()
                    : d.acceptsArguments() ? option.withOptionalArg() : option;
            declared.put(spec, d.options().get(0));
        }
    }

    /**
     * Declares on {@code parser} every JMH option it does not declare itself, after the subcommand's own: its other
     * arguments are then JMH's options with their values, read as JMH reads them, a value that looks like an option
     * (-jvmArgsAppend --add-opens=...) included.
     *
     * @throws UnsupportedJmhException where JMH's options cannot be read (another JMH than {@value #JMH_VERSION})
     */
    public static JmhOptions declareOn(OptionParser parser) {
        return new JmhOptions(parser);
    }

    /** JMH's options alone, as JMH's own parser reads a command line: abbreviations taken, other arguments benchmark patterns. */
    public static JmhOptions alone() {
        return new JmhOptions(new OptionParser());
    }

    /** The parser JMH's options are declared on. */
    public OptionParser parser() {
        return parser;
    }

    /**
     * {@code args} read as JMH reads them; what JMH's parser refuses is one line, as a subcommand's ("unknown option
     * -zzz", "-e needs a value").
     */
    public static Given read(List<String> args) throws BadInputException {
        JmhOptions jmh = alone();
        return jmh.given(Subcommand.parse(jmh.parser, null, args.toArray(new String[0])));
    }

    /**
     * {@code given} as JMH's CommandLineOptions. A value JMH does not take is one line: for an option whose values are
     * one of JMH's enums, naming the option, the value and the enum's values ("-rf foo: not a result format (text, csv,
     * scsv, json, latex)"), where JMH names the enum's Java class, or stops with a stack trace (-bm); for another,
     * JMH's own message. So is a profiler given twice, which JMH refuses only as the benchmarks are about to run, and
     * an empty or blank -jvmArgs, -jvmArgsAppend or -jvmArgsPrepend, which JMH takes for none.
     */
    public static CommandLineOptions parse(Given given) throws BadInputException {
        // JMH splits a VM-argument option's value at its spaces and gives the forks nothing for an empty one, so that
        // -jvmArgs "$OPTS" with OPTS unset runs as if it were not given, with exit 0
        for (String name : VM_ARGUMENTS) {
            if (given.values(name).stream().anyMatch(String::isBlank)) {
                throw Subcommand.givenEmpty("-" + name);
            }
        }
        for (Choice c : choices()) {
            for (String value : given.values(c.option())) {
                if (!jmhTakes(c.option(), value)) {
                    // of a list JMH splits at commas, the piece it refuses
                    String bad = !c.commaSeparated() ? value : Arrays.stream(value.split(","))
                            .filter(p -> !p.isEmpty() && !jmhTakes(c.option(), p)).findFirst().orElse(value);
                    throw new BadInputException("-" + c.option() + " " + bad + ": not a " + c.noun() + " ("
                            + String.join(", ", c.accepted()) + ")");
                }
            }
        }
        // JMH reads a true/false option's value with Boolean.valueOf, which takes every word but "true" for false:
        // -gc yes would run without the garbage collections between iterations that it asks for
        for (OptionDescriptor d : declared()) {
            if (Boolean.class.getName().equals(d.argumentTypeIndicator())) {
                for (String value : given.values(d.options().get(0))) {
                    if (value.isBlank()) {
                        throw Subcommand.givenEmpty("-" + d.options().get(0)); // -foe "$FOE" with FOE unset
                    }
                    if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
                        throw new BadInputException("-" + d.options().get(0) + " " + value
                                + " is not accepted; accepted: true or false");
                    }
                }
            }
        }
        // an option JMH takes once, given twice: JMH refuses it in jopt-simple's words ("Found multiple arguments for
        // option wi, but you asked for only one"), which name neither the values nor what to do
        for (Map.Entry<String, List<String>> o : given.options().entrySet()) {
            if (o.getValue().size() > 1 && !jmhTakes(o.getKey(), o.getValue())
                    && o.getValue().stream().allMatch(v -> jmhTakes(o.getKey(), List.of(v)))) {
                throw Subcommand.givenTwice("-" + o.getKey(), o.getValue());
            }
        }
        CommandLineOptions cmd;
        try {
            cmd = new CommandLineOptions(given.arguments().toArray(new String[0]));
        } catch (CommandLineOptionException e) {
            throw new BadInputException("JMH option: " + Lines.firstLine(String.valueOf(e.getMessage())));
        }
        // JMH takes a time of 0 and runs single-shot iterations under the throughput mode's name: a score no reader
        // takes for one (its result says "single-shot" where a time belongs)
        refuseZero("r", cmd.getMeasurementTime(), "an iteration", "1s or 100ms");
        refuseZero("w", cmd.getWarmupTime(), "an iteration", "1s or 100ms");
        // JMH takes a timeout of 0 with a warning among its lines and runs on to exit 0, under a timeout no one means
        refuseZero("to", cmd.getTimeout(), "the timeout", "10min or 30s");
        // a call of the suite's benchmark runs one batch, which img/s and J/img count: JMH would count it as -opi N
        // operations, or -bs N calls as one, and every img/s and J/img would be N times off
        refuseOtherThanOne("opi", cmd.getOperationsPerInvocation(), "count one batch as %d");
        refuseOtherThanOne("bs", cmd.getMeasurementBatchSize(), "count %d batches as one");
        refuseProfilerTwice(cmd.getProfilers());
        return cmd;
    }

    /**
     * The arguments JMH gives the forked VM for {@code given}'s VM-argument option {@code name} (jvmArgs, jvmArgsAppend,
     * jvmArgsPrepend): the value of an option given once split at its spaces outside double quotes (which it drops), the
     * values of one given several times each whole; none where it is not given.
     *
     * @throws BadInputException where JMH's parser refuses its values, in one line
     */
    public static List<String> vmArguments(Given given, String name) throws BadInputException {
        List<String> args = new ArrayList<>();
        given.values(name).forEach(v -> args.addAll(List.of("-" + name, v)));
        CommandLineOptions cmd;
        try {
            cmd = new CommandLineOptions(args.toArray(new String[0]));
        } catch (CommandLineOptionException e) {
            throw new BadInputException("JMH option: " + Lines.firstLine(String.valueOf(e.getMessage())));
        }
        Optional<java.util.Collection<String>> words = switch (name) {
            case "jvmArgs" -> cmd.getJvmArgs();
            case "jvmArgsAppend" -> cmd.getJvmArgsAppend();
            case "jvmArgsPrepend" -> cmd.getJvmArgsPrepend();
            default -> throw new IllegalArgumentException("-" + name + " gives the forked VM no arguments");
        };
        return List.copyOf(words.orElse(List.of()));
    }

    /**
     * A profiler given twice, under any of its names (the suite's short names are expanded before this; JMH's, such as
     * gc for org.openjdk.jmh.profile.GCProfiler, are resolved here as JMH resolves them): JMH tells profilers apart by
     * the name -prof gives, so it runs one named by its short name and by its class twice, and refuses one named twice
     * alike only as the benchmarks are about to run: after the lines a run prints first, an error line of its own, and
     * for a sweep, every configuration failed alike. The line names the profiler as first given, then every -prof
     * that gives it.
     */
    private static void refuseProfilerTwice(List<ProfilerConfig> profilers) throws BadInputException {
        Map<String, List<ProfilerConfig>> byClass = new LinkedHashMap<>();
        for (ProfilerConfig p : profilers) {
            byClass.computeIfAbsent(profilerClass(p.getKlass()), k -> new ArrayList<>()).add(p);
        }
        for (List<ProfilerConfig> given : byClass.values()) {
            if (given.size() > 1) {
                throw new BadInputException("-prof " + ProfilerNames.named(given.get(0).getKlass(), "") + " is given "
                        + given.size() + " times (" + String.join(", ", given.stream()
                        .map(p -> ProfilerNames.named(p.getKlass(), p.getOpts())).toList()) + "): JMH runs a profiler once; "
                        + "give it once, its options joined with ';'");
            }
        }
    }

    /**
     * The profiler class JMH makes for -prof {@code name}: JMH looks a name up among its own short names first (gc,
     * stack, perfnorm: those -lprof lists), and takes any other name for the class itself (a profiler it finds on the
     * classpath, or one it loads by that name).
     *
     * @throws UnsupportedJmhException where JMH keeps its short names elsewhere (another JMH than {@value #JMH_VERSION})
     */
    private static String profilerClass(String name) {
        return jmhShortNames().get(name) instanceof Class<?> c ? c.getName() : name;
    }

    /**
     * JMH's short names of its profilers, each with its class: ProfilerFactory keeps them private, and -lprof prints
     * them with a description, not a class.
     */
    private static Map<?, ?> jmhShortNames() {
        try {
            Field f = ProfilerFactory.class.getDeclaredField("BUILT_IN");
            f.setAccessible(true);
            return (Map<?, ?>) f.get(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw unsupported("JMH's profilers cannot be read: " + ProfilerFactory.class.getName()
                    + " keeps no map of short names in a field 'BUILT_IN'", e);
        }
    }

    private static void refuseOtherThanOne(String option, Optional<Integer> value, String miscount)
            throws BadInputException {
        if (value.hasValue() && value.get() != 1) {
            throw new BadInputException("-" + option + " " + value.get() + ": a call of the benchmark runs one batch, "
                    + "which img/s and J/img count; -" + option + " would " + String.format(miscount, value.get())
                    + " (leave -" + option + " out)");
        }
    }

    /**
     * A time of 0 for {@code option}, one line saying that {@code what} needs a time above 0, such as {@code examples};
     * JMH's parser refuses a time below 0 itself.
     */
    private static void refuseZero(String option, Optional<TimeValue> time, String what, String examples)
            throws BadInputException {
        if (time.hasValue() && time.get().getTime() == 0) {
            throw new BadInputException("-" + option + " 0: " + what + " needs a time above 0 (such as " + examples + ")");
        }
    }

    /** Whether JMH's own parser takes {@code value} for its option {@code name}. */
    private static boolean jmhTakes(String name, String value) {
        return jmhTakes(name, List.of(value));
    }

    /** Whether JMH's own parser takes {@code values} for its option {@code name}, each given with the option. */
    private static boolean jmhTakes(String name, List<String> values) {
        try {
            new CommandLineOptions(values.stream().flatMap(v -> java.util.stream.Stream.of("-" + name, v))
                    .toArray(String[]::new));
            return true;
        } catch (CommandLineOptionException | IllegalStateException e) {
            return false; // IllegalStateException: JMH's refusal of a -bm value, which its parser lets through
        }
    }

    /**
     * A JMH option whose value is one of a list, an enum's or -tu's units (JMH's refusal of a unit lists none): its name,
     * what a value is, the values as JMH takes them (any case but -wm's), and whether JMH splits a value at commas into
     * several.
     */
    record Choice(String option, String noun, List<String> accepted, boolean commaSeparated) {}

    /** JMH's options that take one of a list's values; read on use, as {@link #declared()}. */
    static List<Choice> choices() {
        return List.of(
                new Choice("bm", "benchmark mode", Arrays.stream(Mode.values()).map(Mode::shortLabel).toList(), true),
                new Choice("rf", "result format", lowerCase(ResultFormatType.values()), false),
                new Choice("tu", "time unit", List.of("ns", "us", "ms", "s", "m", "h"), false),
                new Choice("v", "verbosity mode", lowerCase(VerboseMode.values()), false),
                new Choice("wm", "warmup mode", Arrays.stream(WarmupMode.values()).map(Enum::name).toList(), false));
    }

    private static List<String> lowerCase(Enum<?>[] values) {
        return Arrays.stream(values).map(v -> v.name().toLowerCase(Locale.ROOT)).toList();
    }

    /** Whether {@code name} (without dashes) is one of JMH's options: written with one dash, as JMH writes them. */
    public static boolean isJmhOption(String name) {
        return declared().stream().anyMatch(d -> d.options().contains(name));
    }

    /** JMH's options in {@code set}, parsed by {@link #parser}: each with its values in the order given, and the other arguments. */
    public Given given(OptionSet set) {
        Map<String, List<String>> options = new LinkedHashMap<>();
        for (OptionSpec<?> spec : set.specs()) {
            String name = declared.get(spec);
            if (name != null && !options.containsKey(name)) {
                options.put(name, set.valuesOf(spec).stream().map(String::valueOf).toList());
            }
        }
        return new Given(options, set.nonOptionArguments().stream().map(String::valueOf).toList());
    }

    /**
     * JMH's options of a command line.
     *
     * @param options  each option given, by name, with its values in the order given (none for one that takes none)
     * @param patterns the other arguments: JMH's benchmark patterns
     */
    public record Given(Map<String, List<String>> options, List<String> patterns) {
        public Given {
            options = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(options));
            patterns = List.copyOf(patterns);
        }

        /** The values of the option {@code name} (e.g. prof), in the order given; none when it is not given. */
        public List<String> values(String name) {
            return options.getOrDefault(name, List.of());
        }

        /**
         * Why {@code command} ("the sweep") refuses a JMH option that lists instead of running (-l, -lp, -lprof, -lrf),
         * in one line that names the plain launcher, which lists; null when none is given.
         */
        public String listRefusal(String command) {
            return options.keySet().stream().filter(LISTS::containsKey).findFirst()
                    .map(l -> "-" + l + ": " + command + " lists nothing; java -jar benchmarks.jar -" + l
                            + " lists " + LISTS.get(l))
                    .orElse(null);
        }

        /**
         * Why a command that runs one benchmark of its own refuses a JMH option that chooses benchmarks (-e, -wmb): an
         * -e matching it leaves every run without a benchmark, and JMH runs a -wmb benchmark without the command's
         * parameters, so every run fails. {@code runs} says what the command runs ("the sweep runs one benchmark, ...");
         * null when neither is given.
         */
        public String selectionRefusal(String runs) {
            return SELECTS.stream().filter(options::containsKey).findFirst()
                    .map(o -> "-" + o + " " + String.join(" ", values(o)) + ": " + runs + "; it takes no -" + o)
                    .orElse(null);
        }

        /** These options with {@code name}'s values replaced by {@code values}; none: without it. */
        public Given with(String name, List<String> values) {
            Map<String, List<String>> replaced = new LinkedHashMap<>(options);
            if (values.isEmpty()) {
                replaced.remove(name);
            } else {
                replaced.put(name, List.copyOf(values));
            }
            return new Given(replaced, patterns);
        }

        /** These options and then {@code more}'s, each option's values these first. */
        public Given plus(Given more) {
            Map<String, List<String>> all = new LinkedHashMap<>(options);
            more.options.forEach((name, values) -> {
                List<String> joined = new ArrayList<>(values(name));
                joined.addAll(values);
                all.put(name, joined);
            });
            List<String> allPatterns = new ArrayList<>(patterns);
            allPatterns.addAll(more.patterns);
            return new Given(all, allPatterns);
        }

        /** The arguments JMH reads as these options: {@code -NAME VALUE} for each value, then the patterns. */
        public List<String> arguments() {
            List<String> args = new ArrayList<>();
            options.forEach((name, values) -> {
                if (values.isEmpty()) {
                    args.add("-" + name);
                }
                values.forEach(v -> args.addAll(List.of("-" + name, v)));
            });
            if (!patterns.isEmpty()) {
                args.add("--"); // a pattern that starts with '-' stays a pattern
                args.addAll(patterns);
            }
            return args;
        }
    }

    /** Whether {@code spec} is one of JMH's options declared here, not the subcommand's own. */
    public boolean declares(OptionSpec<?> spec) {
        return declared.containsKey(spec);
    }

    /**
     * The parser of a CommandLineOptions, JMH's own: JMH keeps it private, and has no other list of its options (nor
     * of which take a value).
     *
     * @throws UnsupportedJmhException where {@code cmd} keeps none (another JMH than {@value #JMH_VERSION})
     */
    public static OptionParser parserOf(Object cmd) {
        try {
            Field f = cmd.getClass().getDeclaredField("parser");
            f.setAccessible(true);
            return (OptionParser) f.get(cmd);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw unsupported("JMH's options cannot be read: " + cmd.getClass().getName()
                    + " keeps no jopt-simple parser in a field 'parser'", e);
        }
    }

    /**
     * The one line for what the JMH on the classpath does not keep where JMH {@value #JMH_VERSION} does: {@code what},
     * why it cannot be read, and the JMH the suite needs.
     */
    private static UnsupportedJmhException unsupported(String what, Exception e) {
        return new UnsupportedJmhException(what + " (" + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "); this suite needs JMH " + JMH_VERSION
                + " (found " + foundVersion() + ")");
    }

    /** The JMH on the classpath, as it names itself. */
    private static String foundVersion() {
        try {
            return "JMH " + Version.getPlainVersion();
        } catch (RuntimeException | LinkageError e) {
            return "a JMH that does not name its version";
        }
    }

    /**
     * JMH's options as its parser declares them, each with its names and whether it takes a value; read for each use
     * (a parser of some 40 options), so that a JMH they cannot be read from fails the command that reads them in one
     * line, not the loading of this class.
     */
    private static List<OptionDescriptor> declared() {
        try {
            return parserOf(new CommandLineOptions()).recognizedOptions().values().stream().distinct()
                    .map(OptionDescriptor.class::cast).filter(d -> !d.representsNonOptions()).toList();
        } catch (CommandLineOptionException e) {
            throw new IllegalStateException(e); // an empty command line parses
        }
    }

    /**
     * The JMH on the classpath is not one whose options the suite can read. Its message is the one line shown: the
     * launcher prints it and exits 1, as for a run this machine cannot start.
     */
    public static final class UnsupportedJmhException extends RuntimeException {
        UnsupportedJmhException(String oneLine) {
            super(oneLine, null, false, false);
        }
    }
}
