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
                Double.NaN, "", false, "hand-made", 1, 1, 1, 0, true, false);
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

    /**
     * ResNet-50 FP16 batch 1 on an H200 (h200/b1-runs, real runs) draws 133 W of its 700 W limit: at its J/img the
     * power-limit line runs at about 1600 img/s, five times above the points (250 to 304 img/s). The y axis takes the
     * line above every point in, so that the figure shows what its note says: the dashed line, and each point's
     * distance below it.
     */
    @Test
    void thePowerLimitLineIsInViewAbovePointsFarBelowIt() throws Exception {
        List<Row> rows = new java.util.ArrayList<>();
        for (String run : List.of("r1", "r2")) {
            for (String sampling : List.of("continuous", "lean")) {
                String f = "pytorch-fp16-b1." + run + "." + sampling + ".json";
                gpuenergy.results.ResultFile.read(java.nio.file.Path.of("src/test/resources/h200/b1-runs/" + f))
                        .forEach(b -> rows.add(Row.of(b, f)));
            }
        }
        Charts charts = new Charts(rows, List.of(), Catalog.empty("none"), null, null);
        Plot power = SeriesLookTest.figure(charts, "power");
        double[] y = power.range(false);
        double[] x = power.range(true);
        assertEquals(1, power.series.stream().filter(s -> s.name().equals("power limit 700 W")).count());
        for (Row r : rows) {
            assertTrue(r.averageWatts() < 0.25 * 700, r.source() + ": " + r.averageWatts() + " W");
            double line = 700 / r.joulesPerImage();
            assertTrue(x[0] < r.joulesPerImage() && r.joulesPerImage() < x[1], r.source());
            assertTrue(y[0] < r.imgPerSec() && line < y[1], r.source() + ": line at " + line + " img/s, y axis "
                    + y[0] + " to " + y[1]);
        }
    }

    /** A row of a time mode: J/img and avg W, no img/s (Row.of). */
    static Row timeMode(int batch, double joulesPerImage) {
        Row r = row(batch, joulesPerImage, 400);
        return new Row(r.gpu(), r.gpuUuid(), r.model(), r.engine(), batch, Double.NaN, Double.NaN, Double.NaN,
                joulesPerImage, joulesPerImage, joulesPerImage, Double.NaN, 400, Double.NaN, Double.NaN, 700, "", false,
                "avgt.json", 1, 1, 1, 0, true, false);
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
            assertFalse(p.notes.stream().anyMatch(n -> n.contains("no result has a J/img")), id + ": " + p.notes);
        }
    }
}
