package gpuenergy.overhead;

import gpuenergy.options.JmhOptions;
import gpuenergy.options.Subcommand;
import gpuenergy.profile.NvmlEnergyProfiler;
import gpuenergy.results.BadInputException;
import gpuenergy.results.ResultFile;

import org.openjdk.jmh.profile.ProfilerException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One named way to run every configuration: a profiler spec as {@code -prof} takes it ({@code energy[:opts]}, {@code gc},
 * a class name), handed to JMH as the launcher hands a plain run's (short names expanded, the energy profiler after
 * the others); none; or, where the spec starts with '-', the JMH options this variant adds to
 * every run: {@code -prof} and the forked VM's ({@code -jvm}, {@code -jvmArgs}, {@code -jvmArgsAppend},
 * {@code -jvmArgsPrepend}), words separated by spaces, without quoting (a value holds no space). The last compares a JVM
 * setting, a CPU placement (a {@code -jvm} that runs java under taskset) or a set of profilers in the same interleaved
 * rounds; its VM arguments are added to the command's.
 *
 * @param name what its files and rows are called
 * @param spec the -prof value, or JMH options starting with '-'; empty for no profiler and nothing added
 */
record Variant(String name, String spec) {
    /** Without --variant: no profiler against the suite's energy profiler with its defaults. */
    static final List<Variant> DEFAULTS = List.of(new Variant("off", ""), new Variant("on", "energy"));

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.+-]+");

    /** The JMH options a variant may add: a profiler, and what the forked VM is and gets. */
    static final Set<String> OPTIONS = Set.of("prof", "jvm", "jvmArgs", "jvmArgsAppend", "jvmArgsPrepend");

    /** The JMH options this variant adds to every run, as words; none for no profiler. */
    List<String> jmhOptions() {
        if (spec.isEmpty()) {
            return List.of();
        }
        return spec.startsWith("-") ? List.of(spec.trim().split("\\s+")) : List.of("-prof", spec);
    }

    /**
     * {@link #jmhOptions} as JMH reads them; bad input where JMH would not read them, or where they are more than
     * {@link #OPTIONS}.
     */
    JmhOptions.Given options() throws BadInputException {
        String adds = "; a variant adds " + String.join(", ", OPTIONS.stream().sorted().map(o -> "-" + o).toList())
                + ", e.g. --variant \"pinned=-jvm /opt/pinned-java -prof energy\"";
        JmhOptions jmh = JmhOptions.alone();
        JmhOptions.Given given;
        try {
            given = jmh.given(Subcommand.parse(jmh.parser(), null, jmhOptions().toArray(new String[0])));
        } catch (BadInputException e) {
            throw new BadInputException("--variant " + name + "=" + spec + ": " + e.getMessage() + adds);
        }
        List<String> other = new ArrayList<>(given.options().keySet().stream().filter(o -> !OPTIONS.contains(o))
                .map(o -> "-" + o).toList());
        other.addAll(given.patterns());
        if (!other.isEmpty()) {
            throw new BadInputException("--variant " + name + "=" + spec + ": " + other.get(0) + " is not an option a variant adds" + adds);
        }
        return given;
    }

    /**
     * This variant as its directory's settings record it: {@link #options} written back in one spelling, so that the
     * spellings JMH reads alike ({@code gc}, {@code -prof gc}, {@code -prof=gc}, {@code --prof gc}, {@code -pro gc})
     * are one and a real difference is not: each option as {@code -NAME VALUE}, the options in alphabetical order, the
     * values of each in the order given (the order of -prof is the order of the profilers' hooks); a lone profiler as
     * its spec, empty for none.
     */
    String canonicalSpec() throws BadInputException {
        JmhOptions.Given given = options();
        if (given.options().keySet().equals(Set.of("prof")) && given.values("prof").size() == 1) {
            return given.values("prof").get(0);
        }
        return String.join(" ", new JmhOptions.Given(new TreeMap<>(given.options()), List.of()).arguments());
    }

    /**
     * Whether this variant's energy profiler sits out windows ({@code interleave=true}), so that its runs compare the
     * benchmark with the sampler and without it inside themselves: such a variant may stand alone.
     */
    boolean interleaves() throws BadInputException {
        for (String prof : options().values("prof")) {
            int colon = prof.indexOf(':');
            String profiler = colon < 0 ? prof : prof.substring(0, colon);
            if (colon < 0 || !(profiler.equals("energy") || profiler.equals(NvmlEnergyProfiler.class.getName()))) {
                continue;
            }
            try {
                if (NvmlEnergyProfiler.interleaves(prof.substring(colon + 1))) {
                    return true;
                }
            } catch (ProfilerException e) {
                throw new BadInputException("--variant " + name + "=" + spec + ": " + e.getMessage());
            }
        }
        return false;
    }

    /** "name (-prof spec)", "name (options)" or "name (no profiler)". */
    @Override
    public String toString() {
        return name + (spec.isEmpty() ? " (no profiler)" : " (" + String.join(" ", jmhOptions()) + ")");
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
                        + "SPEC a -prof value, JMH options starting with '-', or empty for no profiler), e.g. --variant off= "
                        + "--variant on=energy");
            }
            // lower-cased: where the file system ignores case, off.Unfinished's run files are off's unfinished files.
            // A name the suite gives its own files (off.notrun.json) is read as that file by report and compare
            Variant lower = new Variant(name.toLowerCase(Locale.ROOT), "");
            String reserved = ResultFile.reservedFor(Path.of(OverheadCommand.resultName(Map.of(), 1, lower)));
            if (reserved != null) {
                throw new BadInputException("--variant " + v + ": its run files, <config>.r<round>." + name + ".json, "
                        + "would be taken for " + reserved + "; choose another name");
            }
            String earlier = names.putIfAbsent(name.toLowerCase(Locale.ROOT), name);
            if (earlier != null) {
                throw new BadInputException("--variant " + v + ": the name " + name + " is given twice"
                        + (earlier.equals(name) ? "" : " (as " + earlier + "; run files are named by it, and file systems "
                        + "that ignore case would mix the two)"));
            }
            Variant variant = new Variant(name, v.substring(eq + 1).strip());
            variant.options(); // refused here, before anything runs
            variants.add(variant);
        }
        if (variants.size() < 2 && !variants.get(0).interleaves()) {
            throw new BadInputException("--variant: give at least two, the first the baseline the others are compared "
                    + "with, e.g. --variant off= --variant on=energy; or one whose energy profiler sits out windows, "
                    + "compared inside its runs, e.g. --variant 'ends=energy:interleave=true'");
        }
        return List.copyOf(variants);
    }
}
