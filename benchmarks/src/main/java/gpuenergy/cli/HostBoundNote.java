package gpuenergy.cli;

import gpuenergy.compare.Change;
import gpuenergy.profile.EnergyLabels;
import gpuenergy.results.BenchmarkResult;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The line a run ends with where a benchmark may have run at the host's pace in too few forks to show how far forks
 * differ. A GPU kept busy less than {@link BenchmarkResult#HOST_PACED_BUSY_PCT} of its windows waits for the host
 * between kernels (launch-bound batches), and there one fork can settle far from the next, in img/s and J/img alike: JMH's interval treats the
 * iterations as independent and leaves that out. The note is advice: a benchmark without a busy figure (no energy
 * profiler, a CPU run, a window the driver gave none for) is not named.
 */
final class HostBoundNote {
    /** How many benchmarks the line names; it counts the rest. */
    static final int NAMED = 3;

    private HostBoundNote() {}

    static Optional<String> line(List<BenchmarkResult> results) {
        List<BenchmarkResult> hostBound = results.stream()
                .filter(r -> r.primary().rawData().size() < Change.MIN_FORKS && r.hostPaced())
                .toList();
        if (hostBound.isEmpty()) {
            return Optional.empty();
        }
        String named = hostBound.stream().limit(NAMED)
                .map(r -> BenchmarkResult.consoleName(r.benchmark(), r.params()) + " GPU busy " + busy(r) + " %")
                .collect(Collectors.joining(", "))
                + (hostBound.size() > NAMED ? " and " + (hostBound.size() - NAMED) + " more" : "");
        return Optional.of(String.format(Locale.ROOT, "note: %d benchmark(s) ran in fewer than %d forks with the GPU busy "
                + "under %.0f %% of the time, a sign that the host set their pace: %s. Forks of such benchmarks can lie up "
                + "to tens of percent apart in img/s and J/img, which JMH's interval leaves out (it treats the iterations "
                + "as independent); -f %d or more measures that spread, and compare then judges over forks",
                hostBound.size(), Change.MIN_FORKS, BenchmarkResult.HOST_PACED_BUSY_PCT, named,
                Change.MIN_FORKS));
    }

    /** One decimal, rounded down: a busy figure just under the bound never reads as the bound. */
    private static String busy(BenchmarkResult r) {
        return String.format(Locale.ROOT, "%.1f", Math.floor(r.secondaryScore(EnergyLabels.GPU_BUSY_PCT) * 10) / 10);
    }
}
