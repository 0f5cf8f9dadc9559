package gpuenergy.run;

import org.openjdk.jmh.profile.ProfilerException;
import org.openjdk.jmh.profile.ProfilerFactory;
import org.openjdk.jmh.runner.options.ProfilerConfig;

/**
 * Whether the profilers a command hands to JMH load on this machine, asked before anything runs (sweep's -prof,
 * overhead's --variant): a profiler that cannot load fails every run the same way, so it is one line up front, not a
 * table of failed runs and a directory to resume.
 */
public final class Profilers {
    private Profilers() {}

    /**
     * Why {@code p} does not load here, in one line: JMH's own check, which makes the profiler (its class, its options,
     * and what its constructor needs of this machine, such as the energy profiler's NVIDIA GPU); null when it loads.
     */
    public static String whyNotLoading(ProfilerConfig p) {
        try {
            ProfilerFactory.getProfilerOrException(p);
            return null;
        } catch (ProfilerException e) {
            String why = Failure.oneLine(e.getMessage());
            return why.contains("ClassNotFoundException") ? "no profiler of that name (-lprof lists them)" : why;
        }
    }
}
