package gpuenergy.cli;

import gpuenergy.compare.Change;
import gpuenergy.profile.EnergyLabels;
import gpuenergy.results.BenchmarkResult;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The line a run ends with where a benchmark ran at the host's pace in too few forks to show how far forks differ. A
 * GPU kept busy less than {@link #BUSY_PCT} of its windows waits for the host (launch-bound batches), and then each
 * fork can settle tens of percent from the next, in img/s and J/img alike: JMH's interval over one fork's iterations
 * leaves that out. A run without the energy profiler has no busy figure and gets no line.
 */
final class HostBoundNote {
    /** Under this GPU busy %, the GPU waits for the host between kernels: the host sets the pace. */
    static final double BUSY_PCT = 95;
    private HostBoundNote() {}

    static Optional<String> line(List<BenchmarkResult> results) {
        List<BenchmarkResult> hostBound = results.stream()
                .filter(r -> r.primary().rawData().size() < Change.MIN_FORKS && r.secondaryScore(EnergyLabels.GPU_BUSY_PCT) < BUSY_PCT)
                .toList();
        if (hostBound.isEmpty()) {
            return Optional.empty();
        }
        String shown = hostBound.stream().limit(3).map(r -> String.format(Locale.ROOT, "%s (GPU busy %.0f %%)",
                r.params().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" ")),
                r.secondaryScore(EnergyLabels.GPU_BUSY_PCT))).collect(Collectors.joining(", "))
                + (hostBound.size() > 3 ? ", ..." : "");
        return Optional.of(String.format(Locale.ROOT, "note: %d benchmark(s) kept the GPU busy under %.0f %% of the time, "
                + "so the host set their pace, and ran in fewer than %d forks: %s. Forks of such a benchmark can lie tens of "
                + "percent apart in img/s and J/img, which JMH's interval over one fork leaves out; -f %d or more (where compare judges over forks) measures "
                + "that spread", hostBound.size(), BUSY_PCT, Change.MIN_FORKS, shown, Change.MIN_FORKS));
    }
}
