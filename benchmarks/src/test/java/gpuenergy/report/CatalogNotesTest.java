package gpuenergy.report;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The figures that need the catalog (3 and 5) name the models they leave out, and why. */
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

    /** The row as one of this device ({@code cpu} for a result on the CPU) with this precision recorded. */
    static Row on(Row r, String gpu, String precision, int energyUnknownIterations) {
        return new Row(gpu, r.gpuUuid(), r.model(), r.engine(), r.batch(), r.imgPerSec(), r.imgPerSecLo(), r.imgPerSecHi(),
                r.joulesPerImage(), r.joulesPerImageLo(), r.joulesPerImageHi(), r.netJoulesPerImage(), r.averageWatts(),
                r.gpuBusyPercent(), r.limitPercent(), r.powerLimitW(), precision, r.tf32(), r.source(), r.iterations(),
                r.energyIterations(), energyUnknownIterations, r.plotted(), r.best());
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
}
