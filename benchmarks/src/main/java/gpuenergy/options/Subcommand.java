package gpuenergy.options;

import gpuenergy.results.BadInputException;
import gpuenergy.results.FileNames;
import joptsimple.HelpFormatter;
import joptsimple.OptionDescriptor;
import joptsimple.OptionException;
import joptsimple.OptionParser;
import joptsimple.OptionSet;
import joptsimple.OptionSpec;

import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A subcommand (report, compare; the sweep parses with the same helpers) and its command line, parsed by jopt-simple as
 * JMH parses its own: options spelled out in full (no abbreviations: --out never stands for --outdir),
 * {@code -h}/{@code --help} in each, and every bad option or input one line and exit status 2.
 */
public abstract class Subcommand {
    private static final String HELP = "help";

    /** The subcommand's options; a subclass declares them as it is built. */
    protected final OptionParser parser = parser();
    private final String name;
    private final String usage;
    private final String[] notes;

    /**
     * @param name  what its error lines start with
     * @param usage its usage line, printed first by -h and after a bad option
     * @param notes what -h prints after the options
     */
    protected Subcommand(String name, String usage, String... notes) {
        this.name = name;
        this.usage = usage;
        this.notes = notes;
    }

    /** Runs it: -h prints its help; a bad option or input is one line on {@code err} and exit status 2. */
    public final int run(String[] args, PrintStream out, PrintStream err) {
        try {
            OptionSet options = parse(parser, usage, args);
            if (helpAsked(options)) {
                out.println(help(usage, parser, notes));
                return 0;
            }
            return run(options, out, err);
        } catch (BadInputException e) {
            err.println(name + ": " + e.getMessage());
            return 2;
        }
    }

    /** Does the work on the parsed options; returns the exit status. */
    protected abstract int run(OptionSet options, PrintStream out, PrintStream err) throws BadInputException;

    /** A parser with -h and --help. */
    public static OptionParser parser() {
        OptionParser parser = new OptionParser(false);
        parser.acceptsAll(List.of("h", HELP), "this help").forHelp();
        return parser;
    }

    /**
     * The parsed command line; a {@link BadInputException} for an option it does not know ("unknown option -zzz", the
     * argument as typed), one without its value ("--x needs a value") or an empty argument, followed by the usage line
     * when one is given. Values are the caller's to check.
     */
    public static OptionSet parse(OptionParser parser, String usage, String... args) throws BadInputException {
        try {
            OptionSet set = parser.parse(args);
            refuseValueOfFlag(parser, usage, args);
            // as each() refuses an empty option's value: an empty path is the working directory, which no one names so
            if (set.nonOptionArguments().stream().anyMatch(a -> String.valueOf(a).isBlank())) {
                throw new BadInputException("an argument is given empty: give a value" + (usage == null ? "" : "; " + usage));
            }
            return set;
        } catch (OptionException e) {
            String name = e.options().isEmpty() ? "" : e.options().iterator().next();
            String option = (name.length() == 1 || JmhOptions.isJmhOption(name) ? "-" : "--") + name;
            throw new BadInputException((parser.recognizedOptions().containsKey(name) ? option + " needs a value"
                    : unknown(unknownArgument(parser, args, option))) + (usage == null ? "" : "; " + usage));
        }
    }

    /**
     * Refuses an option that takes no value given one (--strict=no, --allow-missing=false): jopt-simple takes it for the
     * option and drops the value, so the command would do what the words say it should not. An argument that is another
     * option's value (--out --strict=x) is that value.
     */
    private static void refuseValueOfFlag(OptionParser parser, String usage, String... args) throws BadInputException {
        Map<String, OptionSpec<?>> known = parser.recognizedOptions();
        for (int i = 0; i < args.length && !args[i].equals("--"); i++) {
            String body = args[i].startsWith("--") ? args[i].substring(2) : args[i].startsWith("-") ? args[i].substring(1) : null;
            if (body == null) {
                continue;
            }
            int eq = body.indexOf('=');
            if (!(known.get(eq < 0 ? body : body.substring(0, eq)) instanceof OptionDescriptor d)) {
                continue;
            }
            if (eq < 0 && d.requiresArgument()) {
                i++; // its value, whatever it looks like
            } else if (eq >= 0 && !d.acceptsArguments()) {
                String option = args[i].substring(0, args[i].indexOf('='));
                throw new BadInputException(args[i] + ": " + option + " takes no value; give " + option
                        + " alone, or leave it out" + (usage == null ? "" : "; " + usage));
            }
        }
    }

    /**
     * The line for an argument no option takes. A -DNAME=VALUE after -jar reaches the program, not java: -h lists the
     * suite's settings in that form, and the line says where they go, before -jar. (-jvmArgsAppend is no general
     * remedy: it reaches only the forked VMs, and most settings are read where the suite is launched.)
     */
    private static String unknown(String argument) {
        return "unknown option " + argument + (argument.startsWith("-D") && argument.length() > 2
                ? ": a -D setting is java's, given before -jar: java " + argument + " -jar benchmarks.jar ..." : "");
    }

    /**
     * The argument {@code parser} does not know, as typed: jopt-simple reads an unknown -zzz as the short options -z -z
     * -z and names only the first it does not know. It is the last of the shortest start of {@code args} refused for an
     * unknown option (the arguments before it parse alike, each taken as an option or as an option's value);
     * {@code named} where none is.
     */
    private static String unknownArgument(OptionParser parser, String[] args, String named) {
        for (int n = 1; n <= args.length; n++) {
            try {
                parser.parse(Arrays.copyOf(args, n));
            } catch (OptionException e) {
                if (e.options().stream().noneMatch(parser.recognizedOptions()::containsKey)) {
                    return args[n - 1];
                }
            }
        }
        return named;
    }

    public static boolean helpAsked(OptionSet options) {
        return options.has(HELP);
    }

    /**
     * The value of an option that takes one; null when it is not given. Given twice it is refused in one line, as JMH
     * refuses its own options given twice: the last silently winning would hide a mistake (--max-batch 2 ... --max-batch 4).
     * An empty value is refused as {@link #each} refuses it.
     */
    public static <T> T once(OptionSet options, OptionSpec<T> spec) throws BadInputException {
        List<T> values = each(options, spec);
        if (values.size() > 1) {
            throw givenTwice(optionName(spec), values);
        }
        return values.isEmpty() ? null : values.get(0);
    }

    /** An option taken once given several times, {@code values}: "--max-batch is given 2 times (2, 4): give it once". */
    public static BadInputException givenTwice(String option, List<?> values) {
        return new BadInputException(option + " is given " + values.size() + " times ("
                + values.stream().map(String::valueOf).collect(Collectors.joining(", ")) + "): give it once");
    }

    /**
     * Whether an option that takes no value is given. Given more than once it is refused in one line, as {@link #once}
     * refuses an option with a value: a command line that repeats an option was put together wrong somewhere (a script's
     * options joined with a user's), which the commands say rather than guess at.
     */
    public static boolean flag(OptionSet options, OptionSpec<Void> spec) throws BadInputException {
        long given = options.specs().stream().filter(spec::equals).count();
        if (given > 1) {
            throw new BadInputException(optionName(spec) + " is given " + given + " times: give it once");
        }
        return given == 1;
    }

    /**
     * Every value of an option, in the order given; an empty or blank one is refused in one line: an unset shell variable
     * (--out "$DIR") gives it, and an empty path is the working directory, which no one names so.
     */
    public static <T> List<T> each(OptionSet options, OptionSpec<T> spec) throws BadInputException {
        List<T> values = options.valuesOf(spec);
        if (values.stream().anyMatch(v -> String.valueOf(v).isBlank())) {
            throw givenEmpty(optionName(spec));
        }
        return values;
    }

    /** An option given an empty or blank value: "--out is given empty: give a value". */
    public static BadInputException givenEmpty(String option) {
        return new BadInputException(option + " is given empty: give a value");
    }

    /**
     * The inputs with each file or directory once: one given twice (X X, or DIR beside DIR/*.json, or by two spellings
     * of its path) would be read twice, reported twice or listed as measured twice by itself. One line on {@code err},
     * starting with {@code command}, says how many were dropped, of {@code what} ("input(s)").
     *
     * @param file an input's file; null for one that names none (a sweep directory's problem), which is kept
     */
    public static <T> List<T> onceEach(String command, List<T> inputs, Function<T, String> file, String what,
                                       PrintStream err) {
        Set<Path> seen = new HashSet<>();
        List<T> once = new ArrayList<>();
        List<String> dropped = new ArrayList<>();
        for (T input : inputs) {
            String f = file.apply(input);
            if (f == null || seen.add(FileNames.canonical(Path.of(f)))) {
                once.add(input);
            } else {
                dropped.add(f);
            }
        }
        if (!dropped.isEmpty()) {
            err.println(command + ": " + dropped.size() + " " + what + " given more than once, read once: "
                    + String.join(", ", dropped.subList(0, Math.min(3, dropped.size())))
                    + (dropped.size() > 3 ? ", ..." : ""));
        }
        return once;
    }

    /** The option as typed, by its longest name: "--out", "-p". */
    private static String optionName(OptionSpec<?> spec) {
        String name = spec.options().stream().max(java.util.Comparator.comparingInt(String::length)).orElse("?");
        return (name.length() == 1 ? "-" : "--") + name;
    }

    /** {@code s} as a whole number >= 1 that fits an int; {@code dflt} when the option is not given. */
    public static int positiveInt(String s, String option, int dflt) throws BadInputException {
        return positiveInt(s, option, dflt, Integer.MAX_VALUE);
    }

    /** {@code s} as a whole number from 1 to {@code max}; {@code dflt} when the option is not given. */
    public static int positiveInt(String s, String option, int dflt, int max) throws BadInputException {
        if (s == null) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(s.strip());
            if (n > max) {
                throw tooLarge(s, option, max);
            }
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            if (s.strip().matches("\\+?[0-9]+")) {
                throw tooLarge(s, option, max);
            }
        }
        throw new BadInputException(option + " " + s + ": expected a whole number >= 1");
    }

    private static BadInputException tooLarge(String s, String option, int max) {
        return new BadInputException(option + " " + s + ": too large (at most " + max + ")");
    }

    private static final Pattern DECIMAL = Pattern.compile("\\+?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?");

    /**
     * {@code s} as the decimal number it is written as (digits with an optional point, sign and exponent, blanks around);
     * null for anything else. Java's parser also takes 3d, 3f and 0x1p1, which no one means as an option's number.
     */
    public static Double decimal(String s) {
        String t = s.strip();
        return DECIMAL.matcher(t).matches() ? Double.valueOf(t) : null;
    }

    /**
     * "3%", "2.5%" or "0.5 %" as the fraction it means, from 0 to below {@code maxPercent} %; {@code dflt} when the option
     * is not given.
     */
    public static double percent(String s, String option, double maxPercent, double dflt) throws BadInputException {
        if (s == null) {
            return dflt;
        }
        String t = s.strip();
        Double v = t.endsWith("%") ? decimal(t.substring(0, t.length() - 1)) : null;
        if (v != null && v >= 0 && v < maxPercent) {
            return v / 100;
        }
        throw new BadInputException(option + " " + s + ": expected a percentage from 0% to below "
                + (maxPercent == Math.rint(maxPercent) ? String.valueOf((long) maxPercent) : String.valueOf(maxPercent))
                + "%, e.g. 3% or 0.5%");
    }

    /**
     * A fraction that {@link #percent} gave, as the percentage it was given, with at least {@code digits} significant
     * digits (0.03 -> "3.00" at 3 digits, "3" at 1; 0.02999 -> "2.999"): to 12 significant digits, which no typed
     * percentage exceeds and which drop the float's error (0.07 x 100 = 7.000000000000001), never to a fixed precision
     * that shows another value (99.99 as 100).
     */
    public static String percentShown(double fraction, int digits) {
        BigDecimal p = BigDecimal.valueOf(fraction * 100).round(new MathContext(12)).stripTrailingZeros();
        return (p.precision() < digits ? p.setScale(p.scale() + digits - p.precision()) : p).toPlainString();
    }

    /** The usage line, one line per option (its names, value and what it does; none without a description), then the notes. */
    public static String help(String usage, OptionParser parser, String... notes) {
        StringWriter text = new StringWriter();
        parser.formatHelpWith(new Lines());
        try {
            parser.printHelpOn(text);
        } catch (IOException e) {
            throw new IllegalStateException(e); // a StringWriter does not fail
        }
        return usage + "\n" + text + String.join("\n", notes);
    }

    private static final class Lines implements HelpFormatter {
        @Override
        public String format(Map<String, ? extends OptionDescriptor> options) {
            StringBuilder sb = new StringBuilder();
            for (OptionDescriptor d : options.values().stream().distinct().toList()) {
                if (d.representsNonOptions() || d.description().isEmpty()) {
                    continue;
                }
                String names = d.options().stream().map(n -> (n.length() == 1 ? "-" : "--") + n)
                        .collect(Collectors.joining(", "));
                String value = d.acceptsArguments() ? " " + d.argumentDescription() : "";
                sb.append(String.format("  %-28s %s%n", names + value, d.description()));
            }
            return sb.toString();
        }
    }
}
