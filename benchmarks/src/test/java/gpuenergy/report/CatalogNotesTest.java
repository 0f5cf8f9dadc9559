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
}
