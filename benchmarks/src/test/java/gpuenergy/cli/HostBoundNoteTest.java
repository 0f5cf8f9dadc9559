package gpuenergy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gpuenergy.compare.Change;
import gpuenergy.profile.EnergyLabels;
import gpuenergy.results.BenchmarkResult;
import gpuenergy.results.Metric;
import gpuenergy.results.ResultFile;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Recorded H200 runs of ResNet-50 pytorch-fp16, one fork each: at batch 1 with the energy profiler the GPU was busy
 * about a third of each window (the host's pace), at batch 128 nearly all of it; the run without a profiler has no busy
 * figure.
 */
class HostBoundNoteTest {
    private static BenchmarkResult recorded(String file) throws Exception {
        return ResultFile.read(Path.of("src/test/resources/h200/" + file)).get(0);
    }

    @Test
    void aHostBoundBenchmarkInOneForkIsNamed() throws Exception {
        BenchmarkResult b1 = recorded("b1-runs/pytorch-fp16-b1.r1.lean.json");
        BenchmarkResult b128 = recorded("b128-runs/pytorch-fp16-b128.r1.lean.json");
        BenchmarkResult off = recorded("b1-runs/pytorch-fp16-b1.r1.off.json");
        assertTrue(b1.secondaryScore(EnergyLabels.GPU_BUSY_PCT) < HostBoundNote.BUSY_PCT);
        assertTrue(b128.secondaryScore(EnergyLabels.GPU_BUSY_PCT) >= HostBoundNote.BUSY_PCT);

        String line = HostBoundNote.line(List.of(b128, b1, off)).orElseThrow();
        assertTrue(line.startsWith("note: 1 benchmark(s) kept the GPU busy under 95 % of the time"), line);
        assertTrue(line.contains("batchSize=1 device=auto engine=pytorch-fp16 model=resnet50 (GPU busy 34 %)"), line);
        assertTrue(!line.contains("batchSize=128"), "the GPU-bound one is not named");
        assertTrue(line.endsWith("-f 3 or more (where compare judges over forks) measures that spread"), line);
        assertTrue(!line.contains("\n"));

        assertEquals(Optional.empty(), HostBoundNote.line(List.of(b128, off)), "GPU-bound, or no busy figure: no line");
    }

    /** The same batch-1 iterations as three forks: the spread between forks is then measured, and nothing is said. */
    @Test
    void threeForksNeedNoNote() throws Exception {
        BenchmarkResult b1 = recorded("b1-runs/pytorch-fp16-b1.r1.lean.json");
        Metric p = b1.primary();
        List<List<Double>> threeForks = Collections.nCopies(Change.MIN_FORKS, p.rawData().get(0));
        BenchmarkResult forked = new BenchmarkResult(b1.benchmark(), b1.mode(), b1.params(),
                new Metric(p.score(), p.lo(), p.hi(), p.unit(), threeForks), b1.secondary(), b1.environment(),
                b1.measurementMillis());
        assertEquals(Optional.empty(), HostBoundNote.line(List.of(forked)));
        assertTrue(HostBoundNote.line(List.of(forked, b1, b1, b1, b1)).orElseThrow().contains("note: 4 benchmark(s)"));
        assertTrue(HostBoundNote.line(List.of(b1, b1, b1, b1)).orElseThrow().contains("(GPU busy 34 %), ..."),
                "three named, then the rest counted");
    }
}
