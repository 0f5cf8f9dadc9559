package gpuenergy.options;

import gpuenergy.profile.NvmlEnergyProfiler;
import gpuenergy.profile.SchedulingProfiler;

import java.util.List;

/** The names -prof takes for this suite's profilers, and how a line names a profiler JMH was given. */
public final class ProfilerNames {
    private ProfilerNames() {}

    /** A name -prof takes for one of this suite's profilers: the profiler's class, and what it measures. */
    public record ShortName(String name, String profiler, String what) {}

    /** This suite's short names for its profilers, which -prof takes and JMH does not know. */
    public static final List<ShortName> SHORT_NAMES = List.of(
            new ShortName("energy", NvmlEnergyProfiler.class.getName(), "the GPU's energy through NVML; listed as "
                    + "unsupported where no NVIDIA GPU can be measured"),
            new ShortName("sched", SchedulingProfiler.class.getName(), "how the host's CPUs served the benchmark thread"));

    /** A value of -prof as JMH takes it: a short name expanded to its class ({@code sched:probe=true} -> {@code CLASS:probe=true}). */
    public static String expand(String value) {
        for (ShortName alias : SHORT_NAMES) {
            if (value.equals(alias.name()) || value.startsWith(alias.name() + ":")) {
                return alias.profiler() + value.substring(alias.name().length());
            }
        }
        return value;
    }

    /**
     * A profiler JMH was given, {@code klass} with its {@code opts}, as a line names it: by its short name where it has
     * one, as it is given (the class is a Java name the user seldom types), with its options.
     */
    public static String named(String klass, String opts) {
        String name = SHORT_NAMES.stream().filter(s -> s.profiler().equals(klass)).map(ShortName::name).findFirst()
                .orElse(klass);
        return opts.isEmpty() ? name : name + ":" + opts;
    }
}
