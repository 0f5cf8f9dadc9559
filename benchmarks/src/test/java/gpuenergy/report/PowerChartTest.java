package gpuenergy.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gpuenergy.report.Plot.Pt;
import gpuenergy.report.Plot.Style;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Figure 2 labels each point with its average power: a power the result does not record is not drawn as 0 W. */
class PowerChartTest {

    static Row row(int batch, double joulesPerImage, double averageWatts) {
        return new Row("hand-made", "", "m", "pytorch-fp32", batch, 1000.0 * batch, 1000.0 * batch, 1000.0 * batch,
                joulesPerImage, joulesPerImage, joulesPerImage, Double.NaN, averageWatts, Double.NaN, Double.NaN,
                Double.NaN, "", false, "hand-made", 1, 1, 0, true, false);
    }

    @Test
    void anUnknownAveragePowerIsNotLabelledZeroWatts() throws Exception {
        Charts charts = new Charts(List.of(row(1, 0.2, Double.NaN), row(8, 0.1, 400.4)), List.of(), Catalog.empty("none"),
                null, null);
        Plot power = SeriesLookTest.figure(charts, "power");
        List<String> labels = power.series.stream().filter(s -> s.style() != Style.GUIDE)
                .flatMap(s -> s.points().stream()).map(Pt::label).toList();
        assertEquals(2, labels.size(), labels.toString());
        assertFalse(labels.contains("0 W"), labels.toString());
        assertEquals("avg W n/a", labels.get(0));
        assertEquals("400 W", labels.get(1));
    }

    /** A row of a time mode: J/img and avg W, no img/s (Row.of). */
    static Row timeMode(int batch, double joulesPerImage) {
        Row r = row(batch, joulesPerImage, 400);
        return new Row(r.gpu(), r.gpuUuid(), r.model(), r.engine(), batch, Double.NaN, Double.NaN, Double.NaN,
                joulesPerImage, joulesPerImage, joulesPerImage, Double.NaN, 400, Double.NaN, Double.NaN, 700, "", false,
                "avgt.json", 1, 1, 0, true, false);
    }

    @Test
    void resultsOfATimeModeAreNotDrawnWithoutImagesPerSecondAndTheFiguresSaySo() throws Exception {
        Charts charts = new Charts(List.of(timeMode(1, 0.2), timeMode(8, 0.1)), List.of(), Catalog.empty("none"), null,
                null);
        for (String id : List.of("power", "batch-throughput")) {
            Plot p = SeriesLookTest.figure(charts, id);
            assertTrue(p.series.stream().filter(s -> s.style() != Style.GUIDE).flatMap(s -> s.points().stream())
                    .allMatch(pt -> Double.isFinite(pt.y())), id + ": no point without img/s");
            assertTrue(p.notes.stream().anyMatch(n -> n.contains("time mode")), id + ": " + p.notes);
            assertFalse(p.notes.stream().anyMatch(n -> n.contains("energy absent")), id + ": " + p.notes);
        }
    }
}
