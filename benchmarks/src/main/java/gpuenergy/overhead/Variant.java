package gpuenergy.overhead;

import gpuenergy.results.BadInputException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One named way to run every configuration: a profiler spec as {@code -prof} takes it ({@code energy[:opts]}, {@code gc},
 * a class name), handed to JMH verbatim, or none.
 *
 * @param name what its files and rows are called
 * @param spec the -prof value; empty for no profiler
 */
record Variant(String name, String spec) {
    /** Without --variant: no profiler against the suite's energy profiler with its defaults. */
    static final List<Variant> DEFAULTS = List.of(new Variant("off", ""), new Variant("on", "energy"));

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.+-]+");

    boolean hasProfiler() {
        return !spec.isEmpty();
    }

    /** "name (-prof spec)" or "name (no profiler)". */
    @Override
    public String toString() {
        return name + (hasProfiler() ? " (-prof " + spec + ")" : " (no profiler)");
    }

    /** The variants of {@code --variant NAME=SPEC} options in their order; the defaults when none is given. */
    static List<Variant> parse(List<String> given) throws BadInputException {
        if (given.isEmpty()) {
            return DEFAULTS;
        }
        List<Variant> variants = new ArrayList<>();
        // by lower case: where the file system ignores case, a and A would share their run files
        Map<String, String> names = new HashMap<>();
        for (String v : given) {
            int eq = v.indexOf('=');
            String name = eq < 0 ? v : v.substring(0, eq);
            if (eq < 0 || !NAME.matcher(name).matches()) {
                throw new BadInputException("--variant " + v + ": expected NAME=SPEC (NAME of letters, digits and ._+-; "
                        + "SPEC a -prof value, empty for no profiler), e.g. --variant off= --variant on=energy");
            }
            String earlier = names.putIfAbsent(name.toLowerCase(Locale.ROOT), name);
            if (earlier != null) {
                throw new BadInputException("--variant " + v + ": the name " + name + " is given twice"
                        + (earlier.equals(name) ? "" : " (as " + earlier + "; run files are named by it, and file systems "
                        + "that ignore case would mix the two)"));
            }
            variants.add(new Variant(name, v.substring(eq + 1).strip()));
        }
        if (variants.size() < 2) {
            throw new BadInputException("--variant: give at least two, the first the baseline the others are compared "
                    + "with, e.g. --variant off= --variant on=energy");
        }
        return List.copyOf(variants);
    }
}
