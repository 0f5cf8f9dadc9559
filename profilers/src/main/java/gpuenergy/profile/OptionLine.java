package gpuenergy.profile;

import joptsimple.HelpFormatter;
import joptsimple.OptionDescriptor;
import joptsimple.OptionException;
import joptsimple.OptionParser;
import joptsimple.OptionSet;
import org.openjdk.jmh.profile.ProfilerException;

import java.io.IOException;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Profiler options the way JMH's own profilers take them: "-prof name:key=value;key=value", parsed with
 * jopt-simple; "help" ends in a ProfilerException holding the help text, which JMH prints, a bad option in one line.
 */
final class OptionLine {
    private OptionLine() {}

    /**
     * @param profilerName as -prof names the profiler, for the help
     * @param messagePrefix what the profiler's one-line messages start with, e.g. "gpu energy"
     */
    static OptionSet parse(String initLine, OptionParser parser, String profilerName, String messagePrefix)
            throws ProfilerException {
        parser.formatHelpWith(new Help(profilerName));
        parser.accepts("help", "Print this help.");
        // "--": a single dash would read "foo=1" as the short options f, o, o
        String[] args = Arrays.stream(initLine.split(";")).map(String::trim).filter(a -> !a.isEmpty())
                .map(a -> "--" + a).toArray(String[]::new);
        OptionSet set;
        try {
            set = parser.parse(args);
        } catch (OptionException e) {
            // one line, as every bad input gets; the help is one "help" away
            String names = parser.recognizedOptions().keySet().stream().filter(k -> !k.startsWith("[") && !k.equals("help"))
                    .collect(Collectors.joining(", "));
            throw new ProfilerException(messagePrefix + ": " + e.getMessage() + " in '" + initLine + "'; the options are " + names
                    + " ('help' describes them)");
        }
        if (set.has("help")) {
            throw new ProfilerException(help(parser));
        }
        if (!set.nonOptionArguments().isEmpty()) {
            throw new ProfilerException(messagePrefix + ": unhandled options " + set.nonOptionArguments() + " in '" + initLine + "'");
        }
        return set;
    }

    private static String help(OptionParser parser) {
        StringWriter sw = new StringWriter();
        try {
            parser.printHelpOn(sw);
        } catch (IOException e) {
            throw new IllegalStateException(e); // a StringWriter does not fail
        }
        return sw.toString();
    }

    private record Help(String profilerName) implements HelpFormatter {
        @Override
        public String format(Map<String, ? extends OptionDescriptor> options) {
            StringBuilder sb = new StringBuilder("Usage: -prof ").append(profilerName).append(":opt1=value1;opt2=value2\n\n")
                    .append("Options accepted by ").append(profilerName).append(":\n");
            for (OptionDescriptor d : options.values()) {
                if (d.representsNonOptions()) {
                    continue;
                }
                String name = d.options().iterator().next() + (d.acceptsArguments() ? "=<" + d.argumentDescription() + ">" : "");
                String text = d.description() + (d.defaultValues().isEmpty() ? "" : " (default: " + d.defaultValues().get(0) + ")");
                sb.append(String.format("  %-26s %s%n", name, text));
            }
            return sb.toString();
        }
    }
}
