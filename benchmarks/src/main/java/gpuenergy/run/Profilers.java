package gpuenergy.run;

import gpuenergy.options.ProfilerNames;
import org.openjdk.jmh.profile.ProfilerException;
import org.openjdk.jmh.profile.ProfilerFactory;
import org.openjdk.jmh.runner.options.ProfilerConfig;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Whether the profilers a command hands to JMH load on this machine, asked before anything runs (a plain run's and
 * sweep's -prof, overhead's --variant): a profiler that cannot load fails every run the same way, so it is one line up
 * front, not JMH's report of an exception, a table of failed runs or a directory to resume.
 */
public final class Profilers {
    /** JMH's profilers' line for an option they do not take, which names its first letter only. */
    private static final Pattern OPTION_LETTER = Pattern.compile("\\S is not a recognized option");

    private Profilers() {}

    /**
     * The first of {@code profilers} that does not load, in one line naming it as -prof takes it; null when all
     * load.
     */
    public static String refusal(List<ProfilerConfig> profilers) {
        for (ProfilerConfig p : profilers) {
            String why = whyNotLoading(p);
            if (why != null) {
                return "-prof " + ProfilerNames.named(p.getKlass(), p.getOpts()) + ": the profiler does not load: " + why;
            }
        }
        return null;
    }

    /**
     * The help of the first of {@code profilers} given with the option {@code help} ({@code -prof energy:help}), whole, as
     * the profiler writes it; null when none asks for it. Its many lines are the answer asked for, not a failure to
     * shorten to one.
     */
    public static String help(List<ProfilerConfig> profilers) {
        for (ProfilerConfig p : profilers) {
            if (Arrays.stream(p.getOpts().split(";")).map(String::trim).anyMatch("help"::equals)) {
                try {
                    ProfilerFactory.getProfilerOrException(p);
                } catch (ProfilerException e) {
                    // JMH's profilers and this suite's begin their help so; anything else is why it did not load
                    return e.getMessage() != null && e.getMessage().startsWith("Usage: ") ? e.getMessage() : null;
                }
            }
        }
        return null;
    }

    /**
     * Why {@code p} does not load, in one line: JMH's own check, which makes the profiler (its class, its options,
     * and what its constructor needs of this machine, such as the energy profiler's NVIDIA GPU); null when it loads.
     */
    public static String whyNotLoading(ProfilerConfig p) {
        try {
            ProfilerFactory.getProfilerOrException(p);
            return null;
        } catch (ProfilerException e) {
            String why = Failure.oneLine(e.getMessage());
            if (why.contains("ClassNotFoundException")) {
                return "no profiler of that name (-lprof lists them)";
            }
            if (!p.getOpts().isEmpty() && OPTION_LETTER.matcher(why).matches()) {
                // JMH hands its profilers each option after a single '-', which their parser, not knowing the name,
                // reads as one-letter options: gc:interleave=true is "i is not a recognized option"
                return "an option in '" + p.getOpts() + "' is not one it takes (JMH reads it as: " + why + "); "
                        + ProfilerNames.named(p.getKlass(), "help") + " lists those it takes";
            }
            return why;
        }
    }
}
