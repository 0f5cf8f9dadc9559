package gpuenergy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gpuenergy.compare.Change;
import gpuenergy.profile.EnergyLabels;
import gpuenergy.results.BenchmarkResult;
import gpuenergy.results.Metric;
import gpuenergy.results.ResultFile;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Recorded H200 runs of ResNet-50 pytorch-fp16, one fork each: at batch 1 with the energy profiler the GPU was busy
 * about a third of each window (the host's pace), at batch 128 nearly all of it; the run without a profiler has no busy
 * figure.
 */
class HostPacedNoteTest {
    private static BenchmarkResult recorded(String file) throws Exception {
        return ResultFile.read(Path.of("src/test/resources/h200/" + file)).get(0);
    }

    /** {@code r} as if run in {@code forks} forks of the same iterations, with GPU busy {@code busy} where not NaN. */
    private static BenchmarkResult as(BenchmarkResult r, int forks, double busy) {
        Metric p = r.primary();
        Map<String, Metric> secondary = new HashMap<>(r.secondary());
        if (!Double.isNaN(busy)) {
            Metric b = secondary.get(EnergyLabels.GPU_BUSY_PCT);
            secondary.put(EnergyLabels.GPU_BUSY_PCT, new Metric(busy, busy, busy, b.unit(), List.of(List.of(busy))));
        }
        return new BenchmarkResult(r.benchmark(), r.mode(), r.params(),
                new Metric(p.score(), p.lo(), p.hi(), p.unit(), Collections.nCopies(forks, p.rawData().get(0))),
                secondary, r.environment(), r.measurementMillis(), r.threads());
    }

    @Test
    void aHostBoundBenchmarkInOneForkIsNamed() throws Exception {
        BenchmarkResult b1 = recorded("b1-runs/pytorch-fp16-b1.r1.lean.json");
        BenchmarkResult b128 = recorded("b128-runs/pytorch-fp16-b128.r1.lean.json");
        BenchmarkResult off = recorded("b1-runs/pytorch-fp16-b1.r1.off.json");
        assertTrue(b1.secondaryScore(EnergyLabels.GPU_BUSY_PCT) < BenchmarkResult.HOST_PACED_BUSY_PCT);
        assertTrue(b128.secondaryScore(EnergyLabels.GPU_BUSY_PCT) >= BenchmarkResult.HOST_PACED_BUSY_PCT);

        String line = HostPacedNote.line(List.of(b128, b1, off)).orElseThrow();
        assertTrue(line.startsWith("note: 1 benchmark ran in fewer than 3 forks with the GPU busy under 95 % of the "
                + "time, a sign that the host set their pace: InferenceBenchmark.infer (batchSize=1, device=auto, "
                + "engine=pytorch-fp16, model=resnet50) GPU busy 34 %. "), line);
        assertFalse(line.contains("batchSize=128"), "the GPU-bound one is not named");
        assertTrue(line.endsWith("-f 3 or more measures that spread, and compare passes such benchmarks only then"), line);
        assertFalse(line.contains("\n"));

        assertEquals(Optional.empty(), HostPacedNote.line(List.of(b128, off)), "GPU-bound, or no busy figure: no line");
    }

    /** Two forks show too little of how forks differ; three are where the spread is measured and nothing is said. */
    @Test
    void underThreeForksTheNoteStands() throws Exception {
        BenchmarkResult b1 = recorded("b1-runs/pytorch-fp16-b1.r1.lean.json");
        assertTrue(HostPacedNote.line(List.of(as(b1, 2, Double.NaN))).isPresent(), "two forks");
        assertEquals(Optional.empty(), HostPacedNote.line(List.of(as(b1, Change.MIN_FORKS, Double.NaN))));
        assertTrue(HostPacedNote.line(List.of(as(b1, 3, Double.NaN), b1, b1, b1, b1)).orElseThrow()
                .contains("note: 4 benchmarks"));
        assertTrue(HostPacedNote.line(List.of(b1, b1, b1, b1, b1)).orElseThrow()
                .contains("GPU busy 34 % and 2 more. "), "three named, then the rest counted");
    }

    /** A busy figure just under the bound reads under it; the bound itself is not named. */
    @Test
    void theBusyFigureReadsUnderTheBound() throws Exception {
        BenchmarkResult b1 = recorded("b1-runs/pytorch-fp16-b1.r1.lean.json");
        assertTrue(HostPacedNote.line(List.of(as(b1, 1, 94.96))).orElseThrow().contains("GPU busy 94 %."));
        assertEquals(Optional.empty(), HostPacedNote.line(List.of(as(b1, 1, 95.0))));
    }
}
