package gpuenergy.options;

import gpuenergy.results.BadInputException;
import joptsimple.OptionDescriptor;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Which of JMH's options a subcommand refuses, found by giving it each option alone with every value of
 * {@link #SAMPLES} that JMH takes, and which its help and its document list as refused: so that a test holds the
 * lists to the code without a copy of them.
 */
public final class RefusedJmhOptions {
    /** Values JMH's options take between them: a count, none, a time, a boolean, one of each enum, a profiler, a name. */
    private static final List<String> SAMPLES = List.of("0", "2", "1s", "true", "thrpt", "json", "s", "NORMAL", "INDI",
            "gc", "x");
    /** JMH's options that sweep and overhead declare as their own. */
    private static final Set<String> OWN = Set.of("p", "h");
    /** An option as a help or a document writes it: -name, not inside a word or another option. */
    private static final Pattern OPTION = Pattern.compile("(?<![\\w-])-([A-Za-z]+)");

    private RefusedJmhOptions() {}

    /**
     * The options {@code help} lists as refused, in the "(not ...)" after {@code intro}, are those {@code refuses}
     * refuses: each for some value, and every one it refuses for a value the plain launcher takes; and {@code doc}
     * names each in its paragraph that starts with {@code docStart}.
     */
    public static void assertListedAsRefused(Predicate<List<String>> refuses, String help, String intro, Path doc,
                                             String docStart) {
        Set<String> listed = listedInHelp(help, intro);
        Set<String> unlisted = refused(refuses, true);
        unlisted.removeAll(listed);
        assertEquals(Set.of(), unlisted, "refused but not listed in the help's " + listed);
        Set<String> taken = new TreeSet<>(listed);
        taken.removeAll(refused(refuses, false));
        assertEquals(Set.of(), taken, "listed in the help but taken");
        Set<String> undocumented = new TreeSet<>(listed);
        undocumented.removeAll(listedInDoc(doc, docStart));
        assertEquals(Set.of(), undocumented, "listed in the help but not in " + doc);
    }

    /**
     * JMH's options that {@code refuses} refuses with a value JMH takes; with {@code launcherTakes}, only values the
     * plain launcher takes too (not -w 0, -opi 2: values no command takes).
     */
    public static Set<String> refused(Predicate<List<String>> refuses, boolean launcherTakes) {
        Set<String> refused = new TreeSet<>();
        for (OptionDescriptor d : jmhOptions()) {
            String name = d.options().get(0);
            List<List<String>> lines = new ArrayList<>();
            if (!d.acceptsArguments()) {
                lines.add(List.of("-" + name));
            }
            for (String value : d.acceptsArguments() ? SAMPLES : List.<String>of()) {
                lines.add(List.of("-" + name, value));
            }
            for (List<String> line : lines) {
                if (jmhTakes(line) && (!launcherTakes || launcherTakes(line)) && refuses.test(line)) {
                    refused.add(name);
                }
            }
        }
        return refused;
    }

    /** The options {@code help} lists in the "(not ...)" that follows {@code intro}. */
    public static Set<String> listedInHelp(String help, String intro) {
        int from = help.indexOf(intro);
        if (from < 0) {
            throw new AssertionError("no '" + intro + "' in " + help);
        }
        int open = help.indexOf("(not ", from);
        return options(help.substring(open, help.indexOf(')', open)));
    }

    /** The options written in backquotes in the paragraph or list item of {@code doc} that starts with {@code start}. */
    public static Set<String> listedInDoc(Path doc, String start) {
        String text;
        try {
            text = Files.readString(doc);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int from = text.indexOf(start);
        if (from < 0) {
            throw new AssertionError("no '" + start + "' in " + doc);
        }
        int end = text.length();
        for (String next : List.of("\n\n", "\n- ")) {
            int at = text.indexOf(next, from);
            end = at < 0 ? end : Math.min(end, at);
        }
        Set<String> options = new TreeSet<>();
        Matcher code = Pattern.compile("`([^`]*)`").matcher(text.substring(from, end));
        while (code.find()) {
            options.addAll(options(code.group(1)));
        }
        return options;
    }

    private static Set<String> options(String text) {
        Set<String> options = new TreeSet<>();
        Matcher m = OPTION.matcher(text);
        while (m.find()) {
            options.add(m.group(1));
        }
        return options;
    }

    private static List<OptionDescriptor> jmhOptions() {
        return JmhOptions.alone().parser().recognizedOptions().values().stream().distinct()
                .map(OptionDescriptor.class::cast)
                .filter(d -> !d.representsNonOptions() && d.options().stream().noneMatch(OWN::contains)).toList();
    }

    private static boolean jmhTakes(List<String> line) {
        try {
            new CommandLineOptions(line.toArray(new String[0]));
            return true;
        } catch (CommandLineOptionException | RuntimeException e) {
            return false;
        }
    }

    private static boolean launcherTakes(List<String> line) {
        try {
            JmhOptions.parse(JmhOptions.read(line));
            return true;
        } catch (BadInputException e) {
            return false;
        }
    }
}
