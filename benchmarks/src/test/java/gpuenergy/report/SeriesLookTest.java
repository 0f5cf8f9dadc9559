package gpuenergy.report;

import gpuenergy.results.NotRunList;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gpuenergy.report.Plot.Dash;
import gpuenergy.report.Plot.Marker;
import gpuenergy.report.Plot.Key;
import gpuenergy.report.Plot.Pt;
import gpuenergy.report.Plot.Scale;
import gpuenergy.report.Plot.Series;
import gpuenergy.report.Plot.Style;
import gpuenergy.results.NotRun;
import gpuenergy.results.ResultFile;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.junit.jupiter.api.Test;

/**
 * The batch and power figures colour by model and draw the engine by line and marker, so that 16 or more curves
 * stay apart: one colour per series from a palette of ten repeats colours at 16 curves.
 */
class SeriesLookTest {
    static final List<String> BY_MODEL = List.of("batch-energy", "batch-throughput", "power");

    /**
     * Real H100 ladders (src/test/resources/h100/study/sweep: two models in both precisions) under four names each:
     * the sixteen curves of a study of eight models.
     */
    static Charts study() throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.list(Path.of(LaddersTest.STUDY_SWEEP))) {
            files = s.filter(p -> p.toString().endsWith(".json") && !p.toString().endsWith(".notrun.json")).sorted().toList();
        }
        List<Row> real = LaddersTest.plotted(files.toArray(Path[]::new));
        List<Row> rows = new ArrayList<>();
        for (int copy = 0; copy < 4; copy++) {
            for (Row r : real) {
                rows.add(named(r, r.model() + "-" + copy));
            }
        }
        List<NotRun> notRun = NotRunList.read(Path.of(LaddersTest.STUDY_SWEEP + "sweep.notrun.json"));
        return new Charts(rows, notRun, Catalog.bundled(), null, null);
    }

    /** The row as a result of another model. */
    static Row named(Row r, String model) {
        return new Row(r.gpu(), r.gpuUuid(), model, r.engine(), r.batch(), r.imgPerSec(), r.imgPerSecLo(), r.imgPerSecHi(),
                r.joulesPerImage(), r.joulesPerImageLo(), r.joulesPerImageHi(), r.netJoulesPerImage(), r.averageWatts(),
                r.gpuBusyPercent(), r.limitPercent(), r.powerLimitW(), r.precision(), r.tf32(), r.source(), r.iterations(), r.windows(),
                r.energyIterations(), r.energyUnknownIterations(), r.plotted(), r.best());
    }

    static Plot figure(Charts charts, String id) {
        return charts.figures.stream().filter(f -> f.id().equals(id)).findFirst().orElseThrow().plot();
    }

    static String model(Series s) {
        return s.name().split(" / ")[0];
    }

    static String engine(Series s) {
        return s.name().split(" / ")[1];
    }

    @Test
    void eachModelHasOneColourInEveryFigureAndEachEngineItsLineAndMarker() throws Exception {
        Charts charts = study();
        Map<String, Color> modelColour = new TreeMap<>();
        for (String id : BY_MODEL) {
            Plot p = figure(charts, id);
            List<Series> data = p.series.stream().filter(s -> s.style() != Style.GUIDE).toList();
            // a model has one curve per engine measured (some have one engine's only), never two of one engine
            int models = (int) data.stream().map(SeriesLookTest::model).distinct().count();
            assertTrue(models >= 8, id + ": " + models + " models");
            assertEquals(data.size(), data.stream().map(Series::name).distinct().count(), id);
            assertTrue(data.size() > models && data.size() <= 2 * models, id + ": " + data.size() + " curves");
            for (Series s : data) {
                Color before = modelColour.putIfAbsent(model(s), s.color());
                assertEquals(before == null ? s.color() : before, s.color(), id + ": " + s.name() + " has its model's colour");
                // the report's engine order: pytorch-fp32 first (solid, discs), pytorch-fp16 second (dashed, rings)
                boolean fp32 = engine(s).equals("pytorch-fp32");
                assertEquals(fp32 ? Dash.SOLID : Dash.DASHED, s.dash(), s.name());
                assertEquals(fp32 ? Marker.DISC : Marker.RING, s.marker(), s.name());
            }
            // the legend: the models with their colours, then the engines with their line and marker, in ink
            List<Key> keys = p.keys();
            List<Key> modelKeys = keys.subList(1, 1 + models);
            assertEquals(List.copyOf(modelColour.keySet()), modelKeys.stream().map(Key::name).toList(), id);
            modelKeys.forEach(k -> assertEquals(modelColour.get(k.name()), k.color(), id + ": key " + k.name()));
            List<Key> engines = keys.subList(2 + models, 4 + models);
            assertEquals(List.of("pytorch-fp32", "pytorch-fp16"), engines.stream().map(Key::name).toList(), id);
            assertEquals(List.of(Marker.DISC, Marker.RING), engines.stream().map(Key::marker).toList(), id);
            assertTrue(engines.stream().allMatch(k -> k.color().equals(Plot.INK)), id);
        }
        assertEquals(modelColour.size(), new HashSet<>(modelColour.values()).size(), "no two models share a colour: " + modelColour);
        // the power figure's power-limit line keeps its own row after the keys
        List<Key> power = figure(charts, "power").keys();
        assertEquals(Dash.DASHED, power.get(power.size() - 1).dash());
        assertTrue(power.get(power.size() - 1).name().startsWith("power limit "), power.toString());
    }

    /** Up to the palette's size every model has a colour of its own; models are coloured in name order. */
    @Test
    void modelsUpToThePaletteSizeGetDistinctColours() throws Exception {
        assertTrue(Plot.PALETTE.length >= 16, "enough colours for sixteen models");
        assertEquals(Plot.PALETTE.length, new HashSet<>(List.of(Plot.PALETTE)).size(), "the palette repeats no colour");
        // the rows of one real model, relabelled as many models (the figures' colouring, not their values, is tested)
        List<Row> one;
        try (Stream<Path> s = Files.list(Path.of(LaddersTest.STUDY_SWEEP))) {
            one = LaddersTest.plotted(s.filter(p -> p.getFileName().toString().startsWith("deit_small_patch16_224-")).sorted()
                    .toArray(Path[]::new));
        }
        List<Row> rows = new ArrayList<>();
        for (int m = 0; m < Plot.PALETTE.length; m++) {
            String name = String.format("model%02d", m);
            one.forEach(r -> rows.add(named(r, name)));
        }
        Charts charts = new Charts(rows, List.of(), Catalog.bundled(), null, null);
        for (String id : BY_MODEL) {
            Map<String, Color> colour = new HashMap<>();
            figure(charts, id).series.stream().filter(s -> s.style() != Style.GUIDE).forEach(s -> colour.put(model(s), s.color()));
            assertEquals(Plot.PALETTE.length, colour.size(), id);
            for (int m = 0; m < Plot.PALETTE.length; m++) {
                assertEquals(Plot.PALETTE[m], colour.get(String.format("model%02d", m)), id + ": model " + m);
            }
        }
    }

    /**
     * A sweep of more models than colours has no key of models (colours repeat past the palette, and a row each makes a
     * figure of thousands of pixels): a note says how many models there are and where each one's figures are; the
     * engines keep their keys. A reduction figure of more than {@link Charts#MODELS_BY_NAME} models draws each at its
     * rank at the usual height, not a named row each, and says so; a figure of that many labelled points labels none.
     */
    @Test
    void aSweepOfManyModelsHasNotesInsteadOfARowPerModel() throws Exception {
        List<Row> one;
        try (Stream<Path> s = Files.list(Path.of(LaddersTest.STUDY_SWEEP))) {
            one = LaddersTest.plotted(s.filter(p -> p.getFileName().toString().startsWith("deit_small_patch16_224-")).sorted()
                    .toArray(Path[]::new));
        }
        int many = Charts.MODELS_BY_NAME + 1;
        assertTrue(many > Plot.PALETTE.length);
        List<Row> rows = new ArrayList<>();
        for (int m = 0; m < many; m++) {
            String name = String.format("model%02d", m);
            one.forEach(r -> rows.add(named(r, name)));
        }
        Charts charts = new Charts(rows, List.of(), Catalog.bundled(), null, null);
        for (String id : BY_MODEL) {
            Plot p = figure(charts, id);
            List<String> keys = p.keys().stream().map(Key::name).toList();
            assertTrue(keys.stream().noneMatch(k -> k.startsWith("model") || k.startsWith("colour")), id + ": " + keys);
            assertTrue(keys.containsAll(List.of("pytorch-fp32", "pytorch-fp16")), id + ": " + keys);
            assertTrue(p.notes.contains(Charts.manyModels(many)), id + ": " + p.notes);
            assertEquals(480, p.withoutOverlappingLabels().height(), id);
        }
        Plot reduction = figure(charts, "reduction-pytorch-fp32-to-pytorch-fp16");
        assertTrue(reduction.yCategories.isEmpty(), reduction.yCategories.toString());
        assertTrue(reduction.notes.contains(Charts.manyRows(many)), reduction.notes.toString());
        assertEquals(480, reduction.withoutOverlappingLabels().height());
        Plot power = figure(charts, "power").withoutOverlappingLabels();
        assertTrue(power.series.stream().flatMap(s -> s.points().stream()).allMatch(pt -> pt.label() == null));
        assertTrue(power.notes.contains(Plot.tooManyLabels(rows.size())), power.notes.toString());

        // up to the palette's size, a key of each model and no note
        Charts few = new Charts(rows.stream().filter(r -> r.model().compareTo(String.format("model%02d", Plot.PALETTE.length)) < 0)
                .toList(), List.of(), Catalog.bundled(), null, null);
        for (String id : BY_MODEL) {
            Plot p = figure(few, id);
            assertEquals(Plot.PALETTE.length, p.keys().stream().filter(k -> k.name().startsWith("model")).count(), id);
            assertTrue(p.notes.stream().noneMatch(n -> n.startsWith("colour: model")), id + ": " + p.notes);
        }
        assertEquals(Plot.PALETTE.length, figure(few, "reduction-pytorch-fp32-to-pytorch-fp16").yCategories.size());
    }

    /** Engines beyond two: each its own (line, marker) pair, twelve before one repeats. */
    @Test
    void engineLooksAreDistinctForTwelveEngines() {
        Set<String> looks = new HashSet<>();
        for (int v = 0; v < 12; v++) {
            assertTrue(looks.add(Charts.dash(v) + "/" + Charts.marker(v)), "look " + v + " repeats an earlier one");
        }
        assertEquals(Charts.dash(0) + "/" + Charts.marker(0), Charts.dash(12) + "/" + Charts.marker(12));
    }

    /** A plot with one series per look. */
    static Plot looks() {
        Plot p = new Plot("looks", "x", Scale.LINEAR, "y", Scale.LINEAR);
        for (int v = 0; v < 4; v++) {
            int y = 10 * v;
            p.series.add(new Series("engine " + v, Plot.PALETTE[3], Style.LINE_MARKERS,
                    List.of(new Pt(0, y, null), new Pt(100, y, null)), Charts.dash(v), Charts.marker(v)));
        }
        return p;
    }

    /** The chart draws each series with its dash and marker, hollow markers white inside, and shows both in the legend. */
    @Test
    void theChartDrawsEachDashAndMarker() {
        XYPlot plot = PlotChart.chart(looks()).getXYPlot();
        XYLineAndShapeRenderer r = (XYLineAndShapeRenderer) plot.getRenderer();
        List<float[]> dashes = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            dashes.add(((BasicStroke) r.getSeriesStroke(i)).getDashArray());
        }
        assertArrayEquals(new float[][] {null, {6, 4}, {1.5f, 3}, {7, 3, 1.5f, 3}}, dashes.toArray(float[][]::new));
        // discs and rings are circles, squares squares; rings and open squares white inside, outlined in the colour
        assertInstanceOf(Ellipse2D.class, r.getSeriesShape(0));
        assertInstanceOf(Ellipse2D.class, r.getSeriesShape(1));
        assertInstanceOf(Rectangle2D.class, r.getSeriesShape(2));
        assertInstanceOf(Rectangle2D.class, r.getSeriesShape(3));
        assertEquals(List.of(Plot.PALETTE[3], Color.WHITE, Plot.PALETTE[3], Color.WHITE),
                List.of(r.getSeriesFillPaint(0), r.getSeriesFillPaint(1), r.getSeriesFillPaint(2), r.getSeriesFillPaint(3)));
        for (int i = 0; i < 4; i++) {
            assertEquals(Plot.PALETTE[3], r.getSeriesOutlinePaint(i), "series " + i);
            assertTrue(r.getSeriesLinesVisible(i) && r.getSeriesShapesVisible(i), "series " + i);
        }
        // a square has a disc's area: no engine's marker looks heavier
        Rectangle2D square = (Rectangle2D) r.getSeriesShape(2);
        Ellipse2D disc = (Ellipse2D) r.getSeriesShape(0);
        assertEquals(Math.PI * disc.getWidth() * disc.getWidth() / 4, square.getWidth() * square.getHeight(), 1e-9);
        LegendItemCollection legend = plot.getLegendItems();
        assertEquals(4, legend.getItemCount());
        for (int i = 0; i < 4; i++) {
            assertEquals(r.getSeriesStroke(i), legend.get(i).getLineStroke(), "legend row " + i);
            assertEquals(r.getSeriesFillPaint(i), legend.get(i).getFillPaint(), "legend row " + i);
        }
    }

    /** The batch figures' legend as JFreeChart shows it: headings, a colour patch per model, line and marker per engine. */
    @Test
    void theChartsLegendHasTheKeysRows() throws Exception {
        Plot energy = figure(study(), "batch-energy");
        LegendItemCollection legend = PlotChart.chart(energy).getXYPlot().getLegendItems();
        List<Key> keys = energy.keys();
        assertEquals(keys.size(), legend.getItemCount());
        for (int i = 0; i < keys.size(); i++) {
            Key k = keys.get(i);
            assertEquals(k.name(), legend.get(i).getLabel());
            assertEquals(k.dash() != null, legend.get(i).isLineVisible(), k.name());
            assertEquals(k.color() != null && (k.marker() != null || k.dash() == null), legend.get(i).isShapeVisible(), k.name());
        }
        assertEquals("colour: model", legend.get(0).getLabel());
    }
}
