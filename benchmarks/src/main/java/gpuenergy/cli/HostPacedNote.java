package gpuenergy.cli;

import gpuenergy.compare.Change;
import gpuenergy.results.BenchmarkResult;
import gpuenergy.results.Numbers;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The line a run ends with where a benchmark may have run at the host's pace ({@link BenchmarkResult#hostPaced}) in
 * too few forks to show how far forks differ: there one fork can settle far from the next, in img/s and J/img alike,
 * and JMH's interval treats the iterations as independent. The note is advice: a benchmark without a busy figure (no
 * energy profiler, a CPU run) is not named.
 */
final class HostPacedNote {
    /** How many benchmarks the line names; it counts the rest. */
    static final int NAMED = 3;

    private HostPacedNote() {}

    static Optional<String> line(List<BenchmarkResult> results) {
        List<BenchmarkResult> hostPaced = results.stream()
                .filter(r -> r.primary().rawData().size() < Change.MIN_FORKS && r.hostPaced())
                .toList();
        if (hostPaced.isEmpty()) {
            return Optional.empty();
        }
        String named = hostPaced.stream().limit(NAMED)
                .map(r -> BenchmarkResult.consoleName(r.benchmark(), r.params()) + " GPU busy " + r.gpuBusyShown())
                .collect(Collectors.joining(", "))
                + (hostPaced.size() > NAMED ? " and " + (hostPaced.size() - NAMED) + " more" : "");
        return Optional.of(String.format(Locale.ROOT, "note: %s ran in fewer than %d forks with the GPU busy "
                + "under %.0f %% of the time, a sign that the host set their pace: %s. Forks of such benchmarks can lie up "
                + "to tens of percent apart in img/s and J/img, which JMH's interval leaves out (it treats the iterations "
                + "as independent); -f %d or more measures that spread, and compare passes such benchmarks only then",
                Numbers.count(hostPaced.size(), "benchmark"), Change.MIN_FORKS, BenchmarkResult.HOST_PACED_BUSY_PCT, named, Change.MIN_FORKS));
    }
}
