package gpuenergy.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gpuenergy.results.NotRun;
import java.io.StringReader;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The figures that need the catalog (3 and 5) name the models they leave out, and why; so do the efficiency rankings
 * of plot 3's points, of everything they leave out.
 */
class CatalogNotesTest {

    /**
     * A model the catalog lists with an empty gmacs or top1 (unknown) is in the catalog: the figures that leave it out
     * say which field is empty, and "not in the catalog" only of a model it does not list.
     */
    @Test
    void aModelWithAnEmptyCatalogFieldIsNotCalledAbsentFromTheCatalog() throws Exception {
        Catalog catalog = Catalog.parse(new StringReader("name,gmacs,top1\nm,,\n"), "c.csv");
        Row m = SeriesLookTest.named(PowerChartTest.row(1, 0.2, 400), "m").with(true, true);
        Row other = SeriesLookTest.named(PowerChartTest.row(1, 0.1, 400), "x").with(true, true);
        Charts charts = new Charts(List.of(m, other), List.of(), catalog, null, null);
        assertTrue(SeriesLookTest.figure(charts, "accuracy").notes
                .contains("no top-1 for: m (top1 empty in the catalog), x (not in the catalog)"),
                SeriesLookTest.figure(charts, "accuracy").notes.toString());
        assertTrue(SeriesLookTest.figure(charts, "naive").notes
                .contains("no estimate for: m (gmacs empty in the catalog), x (not in the catalog)"),
                SeriesLookTest.figure(charts, "naive").notes.toString());
    }

    /**
     * A note of a figure names at most {@link Charts#NAMES_IN_A_NOTE} models and says how many more it leaves out: a
     * sweep of thousands of models would otherwise draw a note of thousands of names that no reader can use.
     */
    @Test
    void aFigureNoteOfManyModelsNamesTheFirstAndCountsTheRest() throws Exception {
        Catalog catalog = Catalog.parse(new StringReader("name,gmacs,top1\n"), "c.csv");
        List<Row> rows = new java.util.ArrayList<>();
        for (int i = 0; i < Charts.NAMES_IN_A_NOTE + 5; i++) {
            rows.add(SeriesLookTest.named(PowerChartTest.row(1, 0.1, 400), String.format("m%02d", i)).with(true, true));
        }
        Charts charts = new Charts(rows, List.of(), catalog, null, null);
        String first = java.util.stream.IntStream.range(0, Charts.NAMES_IN_A_NOTE)
                .mapToObj(i -> String.format("m%02d (not in the catalog)", i)).collect(java.util.stream.Collectors.joining(", "));
        assertTrue(SeriesLookTest.figure(charts, "accuracy").notes.contains("no top-1 for: " + first + " and 5 more"),
                SeriesLookTest.figure(charts, "accuracy").notes.toString());
        assertTrue(SeriesLookTest.figure(charts, "naive").notes.contains("no estimate for: " + first + " and 5 more"),
                SeriesLookTest.figure(charts, "naive").notes.toString());
    }

    /** The row as one of this device ({@code cpu} for a result on the CPU) with this precision recorded. */
    static Row on(Row r, String gpu, String precision, int energyUnknownIterations) {
        return new Row(gpu, r.gpuUuid(), r.model(), r.engine(), r.batch(), r.imgPerSec(), r.imgPerSecLo(), r.imgPerSecHi(),
                r.joulesPerImage(), r.joulesPerImageLo(), r.joulesPerImageHi(), r.netJoulesPerImage(), r.averageWatts(),
                r.gpuBusyPercent(), r.limitPercent(), r.powerLimitW(), precision, r.tf32(), r.source(), r.iterations(), r.windows(),
                r.energyIterations(), energyUnknownIterations, r.plotted(), r.best());
    }

    /**
     * The efficiency rankings (summary.md's table, index.html's two) say in one line what they leave out and why: a
     * model without a top-1, a configuration without a J/img at any batch (measured on the CPU, J/img the profiler
     * could not measure, no energy metrics), and one that a not-run list names and no result measured; a not-run
     * entry of a configuration that has results leaves nothing out.
     */
    @Test
    void theEfficiencyRankingsSayWhatTheyLeaveOut() throws Exception {
        Catalog catalog = Catalog.parse(new StringReader("name,gmacs,top1\nm,1,80\nc,1,70\nu,1,70\nn,1,70\n"), "c.csv");
        String gpu = PowerChartTest.row(1, 0.2, 400).gpu();
        Row ranked = SeriesLookTest.named(PowerChartTest.row(1, 0.2, 400), "m").with(true, true);
        Row noTop1 = SeriesLookTest.named(PowerChartTest.row(1, 0.1, 400), "x").with(true, true);
        Row onCpu = on(SeriesLookTest.named(PowerChartTest.row(1, Double.NaN, Double.NaN), "c"), "cpu", "", 0);
        Row unknown = on(SeriesLookTest.named(PowerChartTest.row(1, Double.NaN, Double.NaN), "u"), gpu, "", 1);
        Row absent = SeriesLookTest.named(PowerChartTest.row(1, Double.NaN, Double.NaN), "n");
        NotRun bigDidNotFit = new NotRun("b", Map.of("model", "big", "engine", "pytorch-fp32", "batchSize", "1"),
                NotRun.Kind.DID_NOT_FIT, "CUDA out of memory", gpu);
        NotRun mAboveMaxBatch = new NotRun("b", Map.of("model", "m", "engine", "pytorch-fp32", "batchSize", "2"),
                NotRun.Kind.ABOVE_MAX_BATCH, "not measured: above the sweep's --max-batch 1", gpu);
        Charts charts = new Charts(List.of(ranked, noTop1, onCpu, unknown, absent), List.of(bigDidNotFit, mAboveMaxBatch),
                catalog, null, null);
        String suffix = " / " + gpu;
        assertEquals("Left out: big / pytorch-fp32" + suffix + " (not run: did-not-fit), c / pytorch-fp32 / cpu (no J/img: "
                + "measured on the CPU), n / pytorch-fp32" + suffix + " (no J/img: not run with the energy profiler), u / pytorch-fp32"
                + suffix + " (no J/img: the energy profiler could not measure it), x (no top-1: not in the catalog).",
                charts.unrankedLine());
        assertEquals(List.of("m / pytorch-fp32" + suffix), charts.accuracyPoints.stream().map(Efficiency.Point::name).toList());
        assertEquals(null, new Charts(List.of(ranked), List.of(mAboveMaxBatch), catalog, null, null).unrankedLine());
    }

    /**
     * A not-run entry of another GPU than the results' one, for a configuration those results rank, names its GPU: the
     * line would otherwise leave out the model / engine that the ranking above it holds.
     */
    @Test
    void aConfigurationNotRunOnAnotherGpuIsNamedWithThatGpu() throws Exception {
        Catalog catalog = Catalog.parse(new StringReader("name,gmacs,top1\nm,1,80\n"), "c.csv");
        Row ranked = SeriesLookTest.named(PowerChartTest.row(1, 0.2, 400), "m").with(true, true);
        NotRun elsewhere = new NotRun("b", Map.of("model", "m", "engine", "pytorch-fp32", "batchSize", "1"),
                NotRun.Kind.DID_NOT_FIT, "CUDA out of memory", "NVIDIA A2");
        Charts charts = new Charts(List.of(ranked), List.of(elsewhere), catalog, null, null);
        assertEquals(List.of("m / pytorch-fp32"), charts.accuracyPoints.stream().map(Efficiency.Point::name).toList());
        assertEquals("Left out: m / pytorch-fp32 / NVIDIA A2 (not run: did-not-fit).", charts.unrankedLine());
    }

    /**
     * Figure 5 has no estimate for a result measured on the CPU (the peak FLOP/s table holds GPUs): its note names
     * results measured on the CPU, not a GPU called 'cpu'.
     */
    @Test
    void theNaiveEstimateNamesTheCpuAsTheCpu() throws Exception {
        Catalog catalog = Catalog.parse(new StringReader("name,gmacs,top1\nm,1,80\n"), "c.csv");
        Row onCpu = on(SeriesLookTest.named(PowerChartTest.row(1, 0.2, 40), "m"), "cpu", "fp32", 0).with(true, true);
        Charts charts = new Charts(List.of(onCpu), List.of(), catalog, null, null);
        List<String> notes = SeriesLookTest.figure(charts, "naive").notes;
        assertTrue(notes.contains("no estimate for: results measured on the CPU (no peak FLOP/s: the table holds GPUs only)"),
                notes.toString());
        assertTrue(notes.stream().noneMatch(n -> n.contains("GPU 'cpu'")), notes.toString());
    }

    /** Figure 5's factor says over how many model-engine pairs it is taken: one pair is one, not "1 ... pairs". */
    @Test
    void theNaiveFactorCountsItsPairs() throws Exception {
        for (int files = 1; files <= 2; files++) {
            List<Row> rows = ReportH100Test.rows(List.of("fp16-b128-on-1.json", "compare/resnet50-pytorch-fp32-b128.json")
                    .subList(0, files).toArray(new String[0]));
            Charts charts = new Charts(rows.stream().filter(Row::plotted).toList(), List.of(), Catalog.bundled(), null, null);
            String factor = SeriesLookTest.figure(charts, "naive").notes.get(0);
            assertTrue(factor.endsWith(files == 1 ? ", 1 model-engine pair)" : ", 2 model-engine pairs)"), factor);
        }
    }

    /**
     * A result that records neither a GPU's name nor a device gets no estimate either, and the note says that it names
     * no GPU, not that a GPU called '' is missing from the table.
     */
    @Test
    void theNaiveEstimateSaysWhenAResultNamesNoGpu() throws Exception {
        Catalog catalog = Catalog.parse(new StringReader("name,gmacs,top1\nm,1,80\n"), "c.csv");
        Row noGpu = on(SeriesLookTest.named(PowerChartTest.row(1, 0.2, 40), "m"), "", "fp32", 0).with(true, true);
        List<String> notes = SeriesLookTest.figure(new Charts(List.of(noGpu), List.of(), catalog, null, null), "naive").notes;
        assertTrue(notes.contains("no estimate for: results that name no GPU (no gpu.name recorded)"), notes.toString());
        assertTrue(notes.stream().noneMatch(n -> n.contains("GPU ''")), notes.toString());
    }
}
