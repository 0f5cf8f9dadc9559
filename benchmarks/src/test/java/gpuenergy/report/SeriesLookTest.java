package gpuenergy.report;

import gpuenergy.results.NotRunList;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gpuenergy.report.Canvas.Dash;
import gpuenergy.report.Canvas.Marker;
import gpuenergy.report.Plot.Key;
import gpuenergy.report.Plot.Pt;
import gpuenergy.report.Plot.Scale;
import gpuenergy.report.Plot.Series;
import gpuenergy.report.Plot.Style;
import gpuenergy.results.NotRun;
import gpuenergy.results.ResultFile;
import java.awt.Color;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
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
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

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
        List<NotRun> notRun = NotRunList.entries(Path.of(LaddersTest.STUDY_SWEEP + "sweep.notrun.json"));
        return new Charts(rows, notRun, Catalog.bundled(), null, null);
    }

    /** The row as a result of another model. */
    static Row named(Row r, String model) {
        return new Row(r.gpu(), r.gpuUuid(), model, r.engine(), r.batch(), r.imgPerSec(), r.imgPerSecLo(), r.imgPerSecHi(),
                r.joulesPerImage(), r.joulesPerImageLo(), r.joulesPerImageHi(), r.netJoulesPerImage(), r.averageWatts(),
                r.gpuBusyPercent(), r.limitPercent(), r.powerLimitW(), r.tf32(), r.source(), r.iterations(),
                r.energyIterations(), r.plotted(), r.best());
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

    /** Engines beyond two: each its own (line, marker) pair, twelve before one repeats. */
    @Test
    void engineLooksAreDistinctForTwelveEngines() {
        Set<String> looks = new HashSet<>();
        for (int v = 0; v < 12; v++) {
            assertTrue(looks.add(Charts.dash(v) + "/" + Charts.marker(v)), "look " + v + " repeats an earlier one");
        }
        assertEquals(Charts.dash(0) + "/" + Charts.marker(0), Charts.dash(12) + "/" + Charts.marker(12));
    }

    /** A plot with one series per look, as both canvases draw it. */
    static Plot looks() {
        Plot p = new Plot("looks", "x", Scale.LINEAR, "y", Scale.LINEAR);
        for (int v = 0; v < 4; v++) {
            int y = 10 * v;
            p.series.add(new Series("engine " + v, Plot.PALETTE[3], Style.LINE_MARKERS,
                    List.of(new Pt(0, y, null), new Pt(100, y, null)), Charts.dash(v), Charts.marker(v)));
        }
        return p;
    }

    @Test
    void theSvgDrawsEachDashAndMarker() throws Exception {
        SvgCanvas c = new SvgCanvas();
        Plot p = looks();
        p.draw(c);
        Document d = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(c.svg("looks", p.width(), p.height()).getBytes(StandardCharsets.UTF_8)));
        List<String> dashes = new ArrayList<>();
        NodeList lines = d.getElementsByTagName("polyline");
        for (int i = 0; i < lines.getLength(); i++) {
            dashes.add(((Element) lines.item(i)).getAttribute("stroke-dasharray"));
        }
        assertEquals(List.of("", "6,4", "1.5,3", "7,3,1.5,3"), dashes);
        // per series 2 points and 1 legend sample: discs and rings are circles (rings white inside), squares polygons
        NodeList circles = d.getElementsByTagName("circle");
        int rings = 0;
        for (int i = 0; i < circles.getLength(); i++) {
            rings += ((Element) circles.item(i)).getAttribute("fill").equals("#ffffff") ? 1 : 0;
        }
        assertEquals(6, circles.getLength());
        assertEquals(3, rings);
        NodeList polygons = d.getElementsByTagName("polygon");
        assertEquals(6, polygons.getLength());
        Element openSquare = (Element) polygons.item(polygons.getLength() - 1);
        assertEquals("#ffffff", openSquare.getAttribute("fill"));
        assertEquals("#d62728", openSquare.getAttribute("stroke"));
    }

    @Test
    void theImageDrawsHollowMarkersHollowAndDashedLinesWithGaps() {
        int red = Plot.PALETTE[3].getRGB();
        ImageCanvas c = new ImageCanvas(200, 100);
        c.marker(20, 20, 3.5, Marker.RING, Plot.PALETTE[3]);
        c.marker(40, 20, 3.5, Marker.DISC, Plot.PALETTE[3]);
        c.marker(60, 20, 3.5, Marker.OPEN_SQUARE, Plot.PALETTE[3]);
        c.marker(80, 20, 3.5, Marker.SQUARE, Plot.PALETTE[3]);
        assertEquals(Color.WHITE.getRGB(), c.image().getRGB(20, 20), "a ring is white inside");
        assertEquals(red, c.image().getRGB(40, 20), "a disc is filled");
        assertEquals(Color.WHITE.getRGB(), c.image().getRGB(60, 20), "an open square is white inside");
        assertEquals(red, c.image().getRGB(80, 20), "a square is filled");
        // a square fills the pixel at its corner, a disc of the same radius only part of it
        assertEquals(red, c.image().getRGB(77, 17));
        assertNotEquals(red, c.image().getRGB(37, 17));
        // along a dashed line of 100 px (6 on, 4 off) about 40 px are gaps (less their antialiased ends); a solid one has none
        c.polyline(new double[] {50, 150}, new double[] {60.5, 60.5}, Color.BLACK, 1, Dash.DASHED);
        c.polyline(new double[] {50, 150}, new double[] {80.5, 80.5}, Color.BLACK, 1, Dash.SOLID);
        int dashedGaps = 0;
        int solidGaps = 0;
        for (int x = 51; x < 149; x++) {
            dashedGaps += c.image().getRGB(x, 60) == Color.WHITE.getRGB() ? 1 : 0;
            solidGaps += c.image().getRGB(x, 80) == Color.WHITE.getRGB() ? 1 : 0;
        }
        assertTrue(dashedGaps >= 25 && dashedGaps <= 45, "gaps in the dashed line: " + dashedGaps);
        assertEquals(0, solidGaps);
    }
}
