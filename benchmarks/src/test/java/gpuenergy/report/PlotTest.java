package gpuenergy.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gpuenergy.report.Plot.Dash;
import gpuenergy.report.Plot.Pt;
import gpuenergy.report.Plot.Scale;
import gpuenergy.report.Plot.Series;
import gpuenergy.report.Plot.Style;
import java.awt.BasicStroke;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.axis.AxisState;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.Tick;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.XYDataset;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/** A {@link Plot} as JFreeChart draws it: the chart's dataset, axes and legend, and the SVG and PNG written from it. */
class PlotTest {

    static Plot sample() {
        Plot p = new Plot("title <&>", "batch size", Scale.LOG2, "J/img", Scale.LOG10);
        p.series.add(new Series("a & b", Plot.PALETTE[0], Style.LINE_MARKERS,
                List.of(new Pt(64, 0.1, null), new Pt(8, 0.05, "best"), new Pt(1, 0.2, null))));
        p.series.add(new Series("guide", Plot.INK, Style.GUIDE, List.of(new Pt(0.01, 1e-3, null), new Pt(1e4, 1e6, null))));
        p.notes.add("a note");
        return p;
    }

    /** Labels that would cover one another are left out, counted in a note; labels far apart all stay. */
    @Test
    void overlappingLabelsAreLeftOutAndCounted() {
        Plot p = new Plot("t", "x", Scale.LOG10, "y", Scale.LOG10);
        p.series.add(new Series("a", Plot.PALETTE[0], Style.MARKERS, List.of(new Pt(0.02, 30000, "547 W"),
                new Pt(0.0201, 30100, "540 W"), new Pt(0.2, 3000, "692 W"))));
        p.series.add(new Series("b", Plot.PALETTE[1], Style.MARKERS, List.of(new Pt(0.0202, 29900, "510 W"),
                new Pt(0.02, 3000, "278 W"))));
        Plot shown = p.withoutOverlappingLabels();
        assertEquals(Arrays.asList("547 W", null, "692 W"), shown.series.get(0).points().stream().map(Pt::label).toList());
        assertEquals(Arrays.asList(null, "278 W"), shown.series.get(1).points().stream().map(Pt::label).toList());
        assertEquals(List.of("2 overlapping label(s) left out"), shown.notes);
        assertEquals("540 W", p.series.get(0).points().get(1).label(), "the figure's content keeps every label");
    }

    @Test
    void theChartIsBuiltFromThePlotsSeries() {
        JFreeChart chart = PlotChart.chart(sample());
        XYPlot plot = chart.getXYPlot();
        XYDataset data = plot.getDataset();
        assertEquals(2, data.getSeriesCount());
        assertEquals(List.of("a & b", "guide"), List.of(data.getSeriesKey(0), data.getSeriesKey(1)));
        // a line's points in x order, each with its label
        assertEquals(3, data.getItemCount(0));
        assertEquals(List.of(1.0, 8.0, 64.0), List.of(data.getXValue(0, 0), data.getXValue(0, 1), data.getXValue(0, 2)));
        assertEquals(0.05, data.getYValue(0, 1));
        XYLineAndShapeRenderer r = (XYLineAndShapeRenderer) plot.getRenderer();
        assertEquals("best", r.getItemLabelGenerator(0, 1).generateLabel(data, 0, 1));
        assertNull(r.getItemLabelGenerator(0, 0).generateLabel(data, 0, 0));
        // the data line with markers; the guide dashed, without markers
        assertTrue(r.getSeriesLinesVisible(0) && r.getSeriesShapesVisible(0));
        assertTrue(r.getSeriesLinesVisible(1) && !r.getSeriesShapesVisible(1));
        assertNull(((BasicStroke) r.getSeriesStroke(0)).getDashArray());
        assertArrayEquals(Dash.DASHED.pattern, ((BasicStroke) r.getSeriesStroke(1)).getDashArray());
        assertEquals(Plot.PALETTE[0], r.getSeriesPaint(0));

        // log axes of base 2 and 10 with their labels; the guide, from 0.01 to 10000, does not widen them
        LogAxis x = assertInstanceOf(LogAxis.class, plot.getDomainAxis());
        LogAxis y = assertInstanceOf(LogAxis.class, plot.getRangeAxis());
        assertEquals(List.of(2.0, 10.0), List.of(x.getBase(), y.getBase()));
        assertEquals(List.of("batch size", "J/img"), List.of(x.getLabel(), y.getLabel()));
        assertTrue(x.getLowerBound() > 0.5 && x.getLowerBound() < 1 && x.getUpperBound() > 64 && x.getUpperBound() < 1e3,
                x.getRange().toString());
        assertTrue(y.getLowerBound() > 0.04 && y.getUpperBound() < 0.3, y.getRange().toString());

        // the legend: one row per named series; the title and the note
        LegendItemCollection legend = plot.getLegendItems();
        assertEquals(List.of("a & b", "guide"), List.of(legend.get(0).getLabel(), legend.get(1).getLabel()));
        assertTrue(legend.get(0).isLineVisible() && legend.get(0).isShapeVisible());
        assertTrue(legend.get(1).isLineVisible() && !legend.get(1).isShapeVisible());
        assertEquals("title <&>", chart.getTitle().getText());
        assertTrue(chart.getSubtitles().stream().anyMatch(t -> t instanceof TextTitle tt && tt.getText().equals("a note")));
    }

    /** Ticks a reader can name: powers of two for batch sizes, 1-2-5 in a short span of decades, labelled as text. */
    @Test
    void logAxesTickAtRoundValues() {
        XYPlot plot = PlotChart.chart(sample()).getXYPlot();
        assertEquals(List.of("1", "2", "4", "8", "16", "32", "64"), ticks(plot.getDomainAxis(), RectangleEdge.BOTTOM).subList(0, 7));
        assertEquals(List.of("0.05", "0.1", "0.2"), ticks(plot.getRangeAxis(), RectangleEdge.LEFT));
        Plot wide = new Plot("wide", "x", Scale.LOG10, "y", Scale.LINEAR);
        wide.series.add(new Series("s", Plot.PALETTE[0], Style.MARKERS, List.of(new Pt(0.01, 1, null), new Pt(100, 2, null))));
        assertEquals(List.of("0.01", "0.1", "1", "10", "100"), ticks(PlotChart.chart(wide).getXYPlot().getDomainAxis(),
                RectangleEdge.BOTTOM));
    }

    /**
     * A log10 axis labels at least three values however little of a decade its data span: a CPU run at 157 to 217
     * img/s (no 1-2-5 value but 200 in range) is labelled at a round step, as is a span of just over two decades
     * (two powers of ten in range) by 1-2-5.
     */
    @Test
    void logAxesLabelThreeValuesAtLeast() {
        Plot narrow = new Plot("narrow", "batch size", Scale.LOG2, "img/s", Scale.LOG10);
        narrow.series.add(new Series("cpu", Plot.PALETTE[0], Style.LINE_MARKERS,
                List.of(new Pt(1, 157, null), new Pt(2, 190, null), new Pt(4, 217, null))));
        assertEquals(List.of("160", "180", "200", "220"),
                ticks(PlotChart.chart(narrow).getXYPlot().getRangeAxis(), RectangleEdge.LEFT));
        Plot tiny = new Plot("tiny", "x", Scale.LOG10, "y", Scale.LOG10);
        tiny.series.add(new Series("s", Plot.PALETTE[0], Style.MARKERS,
                List.of(new Pt(0.0412, 15, null), new Pt(0.0418, 1600, null))));
        assertEquals(List.of("0.0412", "0.0414", "0.0416", "0.0418"),
                ticks(PlotChart.chart(tiny).getXYPlot().getDomainAxis(), RectangleEdge.BOTTOM));
        assertEquals(List.of("20", "50", "100", "200", "500", "1000", "2000"),
                ticks(PlotChart.chart(tiny).getXYPlot().getRangeAxis(), RectangleEdge.LEFT));
    }

    static List<String> ticks(ValueAxis axis, RectangleEdge edge) {
        BufferedImage image = new BufferedImage(10, 10, BufferedImage.TYPE_INT_RGB);
        List<String> labels = new ArrayList<>();
        for (Object t : axis.refreshTicks(image.createGraphics(), new AxisState(), new Rectangle(0, 0, 560, 400), edge)) {
            labels.add(((Tick) t).getText());
        }
        return labels;
    }

    @Test
    void theSvgIsWellFormedWithItsTextAsText() throws Exception {
        String svg = PlotChart.svg(sample(), "id1");
        Document d = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        assertEquals("svg", d.getDocumentElement().getTagName());
        assertEquals("id1", d.getDocumentElement().getAttribute("id"));
        // clip paths named after the figure, so that several figures in one page do not share ids
        assertTrue(d.getElementsByTagName("clipPath").getLength() > 0);
        assertTrue(svg.contains("id='id1-clip-0'"), svg.substring(0, 600));
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < d.getElementsByTagName("text").getLength(); i++) {
            texts.add(d.getElementsByTagName("text").item(i).getTextContent());
        }
        assertTrue(texts.containsAll(List.of("title <&>", "a note", "best", "a & b", "64", "0.1", "batch size", "J/img")),
                texts.toString());
    }

    @Test
    void thePngIsAPngOfTheFiguresSize() throws Exception {
        Plot p = sample();
        byte[] bytes = PlotChart.png(p);
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(bytes, 4));
        BufferedImage image = ImageIO.read(new java.io.ByteArrayInputStream(bytes));
        assertEquals(List.of(p.width(), p.height()), List.of(image.getWidth(), image.getHeight()));
    }

    @Test
    void withoutDataPointsTheChartHasNoSeriesAndSaysSo() {
        Plot p = new Plot("empty", "x", Scale.LOG10, "y", Scale.LOG10);
        p.series.add(new Series("guide", Plot.INK, Style.GUIDE, List.of(new Pt(1, 1, null), new Pt(10, 10, null))));
        assertFalse(p.hasData());
        XYPlot plot = PlotChart.chart(p).getXYPlot();
        assertEquals(0, plot.getDataset().getSeriesCount());
        assertEquals("no data to plot (see the note above)", plot.getNoDataMessage());
    }

    @Test
    void theRangeIsTheDataPaddedWithXInclude() {
        Plot p = new Plot("r", "x", Scale.LINEAR, "y", Scale.LINEAR);
        p.series.add(new Series("s", Plot.PALETTE[0], Style.MARKERS, List.of(new Pt(2, 10, null), new Pt(4, 20, null))));
        p.series.add(new Series("g", Plot.INK, Style.GUIDE, List.of(new Pt(-100, -100, null), new Pt(100, 100, null))));
        assertArrayEquals(new double[] {10 - 0.8, 20 + 0.8}, p.range(false), 1e-12);
        p.xInclude.add(1.0);
        assertArrayEquals(new double[] {1 - 0.24, 4 + 0.24}, p.range(true), 1e-12);
        // a labelled point does not widen the axis: a label that would leave the plot is drawn left of its point
        p.series.add(new Series("l", Plot.PALETTE[1], Style.MARKERS, List.of(new Pt(3, 15, "a label of 24 characters"))));
        assertArrayEquals(new double[] {1 - 0.24, 4 + 0.24}, p.range(true), 1e-12);
    }

    /** Batch sizes 64..8192 with labels: the log2 axis ends within half a step of the data, no empty 16384 or 32768. */
    @Test
    void aBatchAxisEndsAtItsData() {
        Plot p = new Plot("b", "batch size", Scale.LOG2, "J/img", Scale.LOG10);
        List<Pt> pts = new ArrayList<>();
        for (int b = 64; b <= 8192; b *= 2) {
            pts.add(new Pt(b, 0.03, b == 8192 ? "best at --max-batch" : null));
        }
        p.series.add(new Series("s", Plot.PALETTE[0], Style.LINE_MARKERS, pts));
        double[] x = p.range(true);
        assertTrue(x[0] > 32 && x[0] < 64 && x[1] > 8192 && x[1] < 16384, Arrays.toString(x));
    }

    /**
     * A label that would leave the plot on the right, or cover another point's marker, is drawn left of and above its
     * point where it fits there; the chart draws it so.
     */
    @Test
    void aLabelThatWouldLeaveThePlotOrCoverAMarkerGoesLeft() {
        Plot p = new Plot("b", "batch size", Scale.LOG2, "J/img", Scale.LOG10);
        p.series.add(new Series("a", Plot.PALETTE[0], Style.LINE_MARKERS, List.of(new Pt(64, 0.03, "best so far"),
                new Pt(1024, 0.03, null), new Pt(8192, 0.031, "best at --max-batch"))));
        // a marker under the right side of the label at 512, none on its left
        p.series.add(new Series("b", Plot.PALETTE[1], Style.LINE_MARKERS, List.of(new Pt(64, 0.5, null),
                new Pt(512, 0.1, "best"), new Pt(600, 0.1, null))));
        Plot shown = p.withoutOverlappingLabels();
        List<Boolean> left = shown.series.stream().flatMap(s -> s.points().stream()).filter(pt -> pt.label() != null)
                .map(Pt::labelLeft).toList();
        assertEquals(List.of(false, true, true), left, "64: room on the right; 8192: at the edge; 512: a marker at 600");
        XYLineAndShapeRenderer r = (XYLineAndShapeRenderer) PlotChart.chart(shown).getXYPlot().getRenderer();
        assertEquals(org.jfree.chart.labels.ItemLabelAnchor.OUTSIDE10, r.getPositiveItemLabelPosition(0, 2).getItemLabelAnchor());
        assertEquals(org.jfree.chart.labels.ItemLabelAnchor.OUTSIDE3, r.getPositiveItemLabelPosition(0, 0).getItemLabelAnchor());
        assertEquals(3, r.getPassCount(), "lines, markers, then the labels over every marker");
    }

    /**
     * A figure of more than {@link Plot#LABELLED_POINTS} labelled points labels none and says so (more labels than a plot
     * area holds, and placing each compares it with every marker); one of that many keeps its labels.
     */
    @Test
    void aFigureOfTooManyLabelledPointsLabelsNone() {
        for (int n : new int[] {Plot.LABELLED_POINTS, Plot.LABELLED_POINTS + 1}) {
            Plot p = new Plot("many", "x", Scale.LINEAR, "y", Scale.LINEAR);
            List<Pt> pts = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                pts.add(new Pt(i % 10, i / 10, "p" + i));
            }
            p.series.add(new Series("s", Plot.PALETTE[0], Style.MARKERS, pts));
            Plot shown = p.withoutOverlappingLabels();
            long labels = shown.series.get(0).points().stream().filter(pt -> pt.label() != null).count();
            boolean tooMany = n > Plot.LABELLED_POINTS;
            assertEquals(tooMany, labels == 0, n + " points: " + labels + " labels");
            assertEquals(tooMany, shown.notes.contains(Plot.tooManyLabels(n)), shown.notes.toString());
        }
    }
}
