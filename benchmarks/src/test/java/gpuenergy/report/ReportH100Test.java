package gpuenergy.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import gpuenergy.profile.EnergyLabels;
import gpuenergy.profile.EnvironmentKeys;
import gpuenergy.results.BenchmarkResult;
import gpuenergy.results.ResultFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report on real H100 measurements (src/test/resources/h100/README.md). */
class ReportH100Test {
    static final String H = "src/test/resources/h100/";

    @TempDir
    Path tmp;

    static List<Row> rows(String... files) throws Exception {
        List<Row> rows = new ArrayList<>();
        for (String f : files) {
            ResultFile.read(Path.of(H + f)).forEach(r -> rows.add(Row.of(r, f)));
        }
        return Summary.rows(rows);
    }

    @Test
    void theSameBenchmarkInTwoFilesIsPlottedOnceFromTheFirstAndListedNotAveraged() throws Exception {
        List<Row> rows = rows("fp16-b128-on-1.json", "suite.json");
        List<Row> b128 = rows.stream().filter(r -> r.engine().equals("pytorch-fp16") && r.batch() == 128).toList();
        assertEquals(2, b128.size(), "both measurements stay in the table");
        assertEquals("fp16-b128-on-1.json", b128.get(0).source());
        assertTrue(b128.get(0).plotted() && b128.get(0).best());
        // a run's own energy over its images (its iterations' J/img x rate over their rates), not an average of runs
        assertEquals(0.042274408720018565, b128.get(0).joulesPerImage(), 1e-15);
        assertFalse(b128.get(1).plotted() || b128.get(1).best());
        assertEquals(0.04159083138804331, b128.get(1).joulesPerImage(), 1e-15);
        assertEquals(List.of("resnet50 / pytorch-fp16 / batch 128: plotted from fp16-b128-on-1.json (12981 img/s, "
                + "0.04227 J/img); also measured in suite.json (12927 img/s, -0.4 %; 0.04159 J/img, -1.6 %): listed, "
                + "not plotted, not averaged"), Summary.duplicates(rows));
        // the other order plots the other run
        assertEquals("suite.json", rows("suite.json", "fp16-b128-on-1.json").stream()
                .filter(r -> r.engine().equals("pytorch-fp16") && r.batch() == 128 && r.plotted()).findFirst().orElseThrow().source());
    }

    /**
     * These files hold J/img as the mean of their iterations' own J/img (the profiler's figure before it reported sum of
     * powers over sum of rates): at ResNet-50 FP16 batch 1 that is 0.4956 where the run's energy over its images is
     * 0.4915, and 277.1 img/s x 0.4956 J/img is 137.3 W beside an avg W of 136.2. The report shows the run's energy
     * over its images, as compare does, so that every row multiplies out to its avg W (and net J/img to avg W less
     * idle W).
     */
    @Test
    void jPerImgIsTheRunsEnergyOverItsImagesSoThatImgPerSecondTimesJPerImgIsAvgW() throws Exception {
        String regnet = "study/other-board/regnety_008-pytorch-fp16-b128.json";
        List<BenchmarkResult> results = new ArrayList<>(ResultFile.read(Path.of(H + "suite.json")));
        results.addAll(ResultFile.read(Path.of(H + regnet)));
        int meanOfIterations = 0;
        for (BenchmarkResult b : results) {
            Row r = Row.of(b, "f");
            String name = r.name();
            double fileScore = b.secondaryScore(EnergyLabels.J_PER_IMG);
            if (Math.abs(fileScore * r.imgPerSec() / r.averageWatts() - 1) > 0.005) {
                meanOfIterations++; // the file's own J/img does not multiply out
            }
            assertEquals(1, r.imgPerSec() * r.joulesPerImage() / r.averageWatts(), 1e-9, name);
            assertEquals(1, r.imgPerSec() * r.netJoulesPerImage() / (r.averageWatts()
                    - b.secondaryScore(EnergyLabels.IDLE_W)), 1e-9, name);
            // compare's J/img: the mean of the linearised iterations, whose interval is the ratio's
            double[] z = b.joulesPerImageSamples();
            assertEquals(java.util.Arrays.stream(z).average().orElseThrow(), r.joulesPerImage(), 1e-12 * r.joulesPerImage(), name);
            assertTrue(r.joulesPerImageLo() < r.joulesPerImage() && r.joulesPerImage() < r.joulesPerImageHi(), name);
        }
        assertEquals(2, meanOfIterations, "resnet50 fp16 batch 1 (+0.83 %) and regnety_008 fp16 (+0.90 %)");
        assertEquals("0.4915", Summary.num(rows("suite.json").stream()
                .filter(r -> r.engine().equals("pytorch-fp16") && r.batch() == 1).findFirst().orElseThrow().joulesPerImage()));
    }

    /**
     * With energy:interleave=true J/img is of the 8 windows the profiler sampled; img/s over all 16 (10883.7) is 0.03 %
     * above the sampled windows' (10880.3), and img/s x J/img would miss avg W by as much. The row's img/s is over the
     * sampled windows, as compare judges it, so that the row multiplies out.
     */
    @Test
    void anInterleavedRowsImgPerSecondIsOverTheWindowsItsEnergyIsOf() throws Exception {
        BenchmarkResult b = ResultFile.read(Path.of(H + "interleaved-tensorrt-fp16-b16.json")).get(0);
        Row r = Row.of(b, "f");
        assertEquals(b.sampledWindows().imagesPerSecond().score(), r.imgPerSec(), 1e-9);
        assertEquals(10880.26, r.imgPerSec(), 0.01);
        assertEquals(1, r.imgPerSec() * r.joulesPerImage() / r.averageWatts(), 1e-9);
        assertEquals(1, r.imgPerSec() * r.netJoulesPerImage() / (r.averageWatts()
                - b.secondaryScore(EnergyLabels.IDLE_W)), 1e-9);
        assertEquals(List.of(8, 16, 8), List.of(r.iterations(), r.windows(), r.energyIterations()));
    }

    @Test
    void reductionFiguresArePairsThatExistAndTensorRtIsSaidAbsent() throws Exception {
        List<Row> plotted = rows("suite.json", "opt-engines-deit_small.json").stream().filter(Row::plotted).toList();
        List<Row> best = plotted.stream().filter(Row::best).toList();
        List<String[]> pairs = Charts.enginePairs(best, null, null);
        assertEquals(List.of("pytorch-fp32 -> pytorch-fp16", "pytorch-fp16 -> pytorch-opt-fp16"),
                pairs.stream().map(p -> p[0] + " -> " + p[1]).toList());
        Charts charts = new Charts(plotted, List.of(), Catalog.bundled(), null, null);
        assertEquals(List.of("batch-energy", "batch-throughput", "power", "accuracy",
                "reduction-pytorch-fp32-to-pytorch-fp16", "reduction-pytorch-fp16-to-pytorch-opt-fp16", "naive"),
                charts.figures.stream().map(Charts.Figure::id).toList());
        // resnet50 (batch 1, 16, 128) and deit_small (batch 128) have their lowest J/img at the largest batch measured
        // and no did-not-fit is listed: their ladders may go on, so no factor is stated (LaddersTest has finished ones)
        assertTrue(charts.findings.contains("ours: pytorch-fp32 -> pytorch-fp16: no factor with a final best batch; "
                + "resnet50 left out: best batch not final"), charts.findings.toString());
        assertTrue(charts.findings.contains("ours: pytorch-fp16 -> pytorch-opt-fp16: no factor with a final best batch; "
                + "deit_small_patch16_224 left out: best batch not final"), charts.findings.toString());
        assertTrue(charts.findings.stream().anyMatch(f -> f.startsWith("no model has J/img for both pytorch-fp32 and "
                + "tensorrt-fp16 (tensorrt-fp16 absent)")), charts.findings.toString());
        // deit_small was measured at batch 128 only: no curve, said so
        Plot energy = charts.figures.get(0).plot();
        assertEquals(List.of("resnet50 / pytorch-fp16", "resnet50 / pytorch-fp32"), energy.series.stream().map(Plot.Series::name).toList());
        assertTrue(energy.notes.get(0).startsWith("no curve for 2 configuration(s) measured at one batch size only (batch 128)"),
                energy.notes.toString());
    }

    @Test
    void bestBatchTableHasEachEnginesLowestJPerImgAndLeavesUnfinishedLaddersOutOfTheMean() throws Exception {
        List<Row> plotted = rows("suite.json", "opt-engines-deit_small.json").stream().filter(Row::plotted).toList();
        Charts charts = new Charts(plotted, List.of(), Catalog.bundled(), null, null);
        assertEquals(List.of("gpu", "model", "pytorch-fp32 best batch", "pytorch-fp32 J/img", "pytorch-fp16 best batch",
                "pytorch-fp16 J/img", "pytorch-opt-fp16 best batch", "pytorch-opt-fp16 J/img", "pytorch-fp32 / pytorch-fp16",
                "pytorch-fp16 / pytorch-opt-fp16"), charts.bestBatchHeader());
        // each engine's lowest J/img, found here from the rows themselves
        java.util.function.BiFunction<String, String, Row> lowest = (model, engine) -> plotted.stream()
                .filter(r -> r.model().equals(model) && r.engine().equals(engine) && r.hasEnergy())
                .min(java.util.Comparator.comparingDouble(Row::joulesPerImage)).orElseThrow();
        Row fp32 = lowest.apply("resnet50", "pytorch-fp32");
        Row fp16 = lowest.apply("resnet50", "pytorch-fp16");
        Row deit = lowest.apply("deit_small_patch16_224", "pytorch-fp16");
        Row deitOpt = lowest.apply("deit_small_patch16_224", "pytorch-opt-fp16");
        List<String[]> cells = charts.bestBatchCells();
        assertEquals(3, cells.size(), "two models and the geometric-mean line");
        // every best batch here is the largest measured, with no did-not-fit: marked, and its factor not in the mean
        String notFinished = " (largest measured; ladder not finished)";
        assertEquals(List.of("NVIDIA H100 80GB HBM3", "deit_small_patch16_224", "", "", "128" + notFinished,
                Summary.num(deit.joulesPerImage()), "128" + notFinished, Summary.num(deitOpt.joulesPerImage()), "",
                String.format(java.util.Locale.ROOT, "%.2fx (not in the mean)", deit.joulesPerImage() / deitOpt.joulesPerImage())),
                List.of(cells.get(0)));
        double factor = fp32.joulesPerImage() / fp16.joulesPerImage();
        assertEquals(List.of("NVIDIA H100 80GB HBM3", "resnet50", fp32.batch() + notFinished, Summary.num(fp32.joulesPerImage()),
                fp16.batch() + notFinished, Summary.num(fp16.joulesPerImage()), "", "",
                String.format(java.util.Locale.ROOT, "%.2fx (not in the mean)", factor), ""), List.of(cells.get(1)));
        assertEquals("none (1 left out: best batch not final)", cells.get(2)[8]);
    }

    @Test
    void endToEndOnRealResults() throws Exception {
        Path dir = tmp.resolve("report");
        ReportCommandTest r = new ReportCommandTest();
        assertEquals(0, r.report(H + "opt-engines-deit_small.json", H + "suite.json", H + "fp16-b128-on-1.json",
                "--out", dir.toString()), r.err.toString(StandardCharsets.UTF_8));
        String md = Files.readString(dir.resolve("summary.md"));
        assertTrue(md.contains("Inputs (under `src/test/resources/h100`): opt-engines-deit_small.json, suite.json, "
                + "fp16-b128-on-1.json"), md);
        assertTrue(md.contains("## Measured twice: the file given first is plotted"), md);
        assertTrue(md.contains("## Energy from fewer iterations than throughput\n\n- deit_small_patch16_224 / pytorch-fp16 / "
                + "batch 128 (opt-engines-deit_small.json): energy from 1 of 2 iterations"), md);
        // JMH's own intervals (img/s = batches/s x 128), rounded to 4 significant digits
        assertTrue(md.contains("| resnet50 | pytorch-fp16 | 128 | 12927 | [12465, 13389] | 0.04159 | [0.03864, 0.04454] | "
                + "0.03199 | 537.6 | 76.81 | **best** | suite.json | J/img ±7.1 % (99.9 % CI) |"), md);
        assertTrue(md.contains("| resnet50 | pytorch-fp16 | 128 | 12981 | [12892, 13070] | 0.04227 | [0.04098, 0.04357] | "
                + "0.03291 | 548.8 | 78.40 |  | fp16-b128-on-1.json | duplicate, not plotted; J/img ±3.1 % (99.9 % CI) |"), md);
        // each result's board and VBIOS, read from the files themselves; these runs predate the host and MIG records
        java.util.Map<String, Integer> boards = new java.util.TreeMap<>();
        for (String f : List.of("opt-engines-deit_small.json", "suite.json", "fp16-b128-on-1.json")) {
            for (var e : com.google.gson.JsonParser.parseString(Files.readString(Path.of(H + f))).getAsJsonArray()) {
                JsonObject env = e.getAsJsonObject().getAsJsonObject("environment");
                boards.merge(env.get(EnvironmentKeys.GPU_UUID).getAsString() + " | "
                        + env.get(EnvironmentKeys.GPU_VBIOS).getAsString(), 1, Integer::sum);
            }
        }
        String record = md.substring(md.indexOf("## " + EnvironmentRecord.HEADING), md.indexOf("## Results"));
        assertTrue(record.contains("- gpu.name: NVIDIA H100 80GB HBM3\n") && record.contains("- driver: 580.159.04\n"), record);
        assertTrue(record.contains("Recorded by no result: gpu.mig_mode, gpu.mig_profile, tool.version, tool.commit, host.cpu, host.cpus."), record);
        assertTrue(record.contains("| gpu.uuid | gpu.vbios | results |"), record);
        assertEquals(boards.size(), record.lines().filter(l -> l.startsWith("| GPU-")).count(), record);
        boards.forEach((board, n) -> assertTrue(record.contains("| " + board + " | " + n + " |"), board + " in " + record));
        for (String png : List.of("reduction-pytorch-fp32-to-pytorch-fp16", "reduction-pytorch-fp16-to-pytorch-opt-fp16")) {
            assertTrue(Files.size(dir.resolve(png + ".png")) > 5000, png);
        }
    }

    @Test
    void numbersKeepFourSignificantDigitsAndTheIntegerPart() {
        assertEquals("12927", Summary.num(12926.98));
        assertEquals("544.9", Summary.num(544.89));
        assertEquals("0.09432", Summary.num(0.094316485));
        assertEquals("-0.4433", Summary.num(-0.44330));
        assertEquals("0", Summary.num(0));
        assertEquals("", Summary.num(Double.NaN));
    }
}
