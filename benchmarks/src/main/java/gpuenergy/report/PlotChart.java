package gpuenergy.report;

import gpuenergy.report.Plot.Dash;
import gpuenergy.report.Plot.Key;
import gpuenergy.report.Plot.Marker;
import gpuenergy.report.Plot.Pt;
import gpuenergy.report.Plot.Scale;
import gpuenergy.report.Plot.Series;
import gpuenergy.report.Plot.Style;
import gpuenergy.report.Plot.Tick;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.Shape;
import java.awt.Stroke;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.axis.AxisState;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTick;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.labels.ItemLabelAnchor;
import org.jfree.chart.labels.ItemLabelPosition;
import org.jfree.chart.plot.CrosshairState;
import org.jfree.chart.plot.PlotRenderingInfo;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYItemRendererState;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.text.TextUtils;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.HorizontalAlignment;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.chart.util.ShapeUtils;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYDataset;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.svg.SVGGraphics2D;
import org.jfree.svg.ViewBox;

/** Draws a {@link Plot} with JFreeChart: one chart gives the page's inline SVG (JFreeSVG) and the PNG. */
final class PlotChart {
    private PlotChart() {}

    private static final Color GRID = new Color(0xe4e4e4);
    private static final Color MUTED = new Color(0x555555);
    private static final String FONT = Font.SANS_SERIF;
    /** The markers' radius in pixels; squares and diamonds have a disc's area, so no engine's marker looks heavier. */
    private static final double R = 3.5;

    static {
        // rotated text (the y axis' label) as a text element in the SVG, not as glyph outlines: the workaround is
        // for old JDKs' rotated drawString
        TextUtils.setUseDrawRotatedStringWorkaround(false);
    }

    static JFreeChart chart(Plot p) {
        XYSeriesCollection data = new XYSeriesCollection();
        List<List<Pt>> points = new ArrayList<>();
        ItemLabelPosition leftOfPoint = new ItemLabelPosition(ItemLabelAnchor.OUTSIDE10, TextAnchor.BOTTOM_RIGHT);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer() {
            /** Set while the last pass draws the labels. */
            private boolean labelPass;

            @Override
            public ItemLabelPosition getPositiveItemLabelPosition(int series, int item) {
                return points.get(series).get(item).labelLeft() ? leftOfPoint
                        : super.getPositiveItemLabelPosition(series, item);
            }

            /** Lines, markers, then every label: a later series' marker never covers an earlier series' label. */
            @Override
            public int getPassCount() {
                return 3;
            }

            @Override
            public boolean isItemLabelVisible(int series, int item) {
                return labelPass && super.isItemLabelVisible(series, item);
            }

            @Override
            public void drawItem(Graphics2D g2, XYItemRendererState state, Rectangle2D dataArea, PlotRenderingInfo info,
                    XYPlot plot, ValueAxis domainAxis, ValueAxis rangeAxis, XYDataset dataset, int series, int item,
                    CrosshairState crosshairState, int pass) {
                if (pass < 2) {
                    super.drawItem(g2, state, dataArea, info, plot, domainAxis, rangeAxis, dataset, series, item,
                            crosshairState, pass);
                    return;
                }
                double x = dataset.getXValue(series, item);
                double y = dataset.getYValue(series, item);
                if (!getItemVisible(series, item) || !Double.isFinite(x) || !Double.isFinite(y)) {
                    return;
                }
                labelPass = true;
                try {
                    drawItemLabel(g2, plot.getOrientation(), dataset, series, item,
                            domainAxis.valueToJava2D(x, dataArea, plot.getDomainAxisEdge()),
                            rangeAxis.valueToJava2D(y, dataArea, plot.getRangeAxisEdge()), y < 0);
                } finally {
                    labelPass = false;
                }
            }
        };
        // hollow markers: filled white and outlined in the series' colour
        renderer.setUseFillPaint(true);
        renderer.setUseOutlinePaint(true);
        renderer.setDrawOutlines(true);
        // without data points only the no-data message is drawn, not a guide alone on made-up axes
        for (Series s : p.hasData() ? p.series : List.<Series>of()) {
            int i = data.getSeriesCount();
            List<Pt> pts = s.style() == Style.MARKERS ? s.points()
                    : s.points().stream().sorted(Comparator.comparingDouble(Pt::x)).toList();
            XYSeries xy = new XYSeries(s.name() == null ? "series " + i : s.name(), false, true);
            pts.forEach(pt -> xy.add(pt.x(), pt.y()));
            data.addSeries(xy);
            points.add(pts);
            renderer.setSeriesPaint(i, s.color());
            renderer.setSeriesOutlinePaint(i, s.color());
            renderer.setSeriesFillPaint(i, s.marker().hollow() ? Color.WHITE : s.color());
            renderer.setSeriesOutlineStroke(i, new BasicStroke(1.5f));
            renderer.setSeriesStroke(i, stroke(s.dash()));
            renderer.setSeriesShape(i, shape(s.marker()));
            renderer.setSeriesLinesVisible(i, s.style() != Style.MARKERS);
            renderer.setSeriesShapesVisible(i, s.style() != Style.GUIDE);
        }
        renderer.setDefaultItemLabelGenerator((dataset, series, item) -> points.get(series).get(item).label());
        renderer.setDefaultItemLabelsVisible(true);
        renderer.setDefaultItemLabelFont(new Font(FONT, Font.PLAIN, 9));
        renderer.setDefaultItemLabelPaint(MUTED);
        renderer.setDefaultPositiveItemLabelPosition(new ItemLabelPosition(ItemLabelAnchor.OUTSIDE3, TextAnchor.CENTER_LEFT));
        renderer.setItemLabelAnchorOffset(4);

        XYPlot plot = new XYPlot(data, axis(p.xLabel, p.xScale, p.range(true), List.of()),
                axis(p.yLabel, p.yScale, p.range(false), p.yCategories), renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setOutlinePaint(Plot.INK);
        plot.setDomainGridlinePaint(GRID);
        plot.setRangeGridlinePaint(GRID);
        plot.setDomainGridlineStroke(new BasicStroke(1));
        plot.setRangeGridlineStroke(new BasicStroke(1));
        plot.setNoDataMessage("no data to plot (see the note above)");
        plot.setNoDataMessageFont(new Font(FONT, Font.PLAIN, 13));
        plot.setFixedLegendItems(legend(p.keys()));

        JFreeChart chart = new JFreeChart(p.title, new Font(FONT, Font.PLAIN, 15), plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        chart.setPadding(new RectangleInsets(6, 6, 6, 10));
        chart.getTitle().setHorizontalAlignment(HorizontalAlignment.LEFT);
        chart.getTitle().setPaint(Plot.INK);
        chart.getLegend().setPosition(RectangleEdge.RIGHT);
        chart.getLegend().setFrame(BlockBorder.NONE);
        chart.getLegend().setItemFont(new Font(FONT, Font.PLAIN, 10));
        for (String note : p.notes) {
            TextTitle t = new TextTitle(note, new Font(FONT, Font.PLAIN, 11));
            t.setHorizontalAlignment(HorizontalAlignment.LEFT);
            t.setTextAlignment(HorizontalAlignment.LEFT);
            t.setPaint(MUTED);
            chart.addSubtitle(t);
        }
        return chart;
    }

    /**
     * The figure as an SVG element with this id (labels that would overlap left out); the id also prefixes its clip
     * paths, unique within the page.
     */
    static String svg(Plot figure, String id) {
        Plot p = figure.withoutOverlappingLabels();
        int w = p.width();
        int h = p.height();
        SVGGraphics2D g = new SVGGraphics2D(w, h);
        g.setDefsKeyPrefix(id + "-");
        // a tenth of a pixel is finer than any screen shows; full doubles make the page several times larger
        g.setGeomDoubleConverter(v -> String.valueOf(Math.round(v * 10) / 10.0));
        g.setTransformDoubleConverter(v -> String.valueOf(Math.round(v * 1000) / 1000.0));
        chart(p).draw(g, new Rectangle(w, h));
        return g.getSVGElement(id, true, new ViewBox(0, 0, w, h), null, null);
    }

    /** The figure as a PNG file's bytes. */
    static byte[] png(Plot figure) throws IOException {
        Plot p = figure.withoutOverlappingLabels();
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ChartUtils.writeChartAsPNG(png, chart(p), p.width(), p.height());
        return png.toByteArray();
    }

    /** Tick labels: plain numbers, no grouping, no exponent (batch 8192, 12927 img/s, 0.0398 J/img). */
    private static DecimalFormat tickFormat() {
        return new DecimalFormat("0.########", DecimalFormatSymbols.getInstance(Locale.ROOT));
    }

    private static ValueAxis axis(String label, Scale scale, double[] range, List<Tick> categories) {
        ValueAxis axis;
        if (!categories.isEmpty()) {
            axis = new SymbolAxis(label, categories.stream().map(Tick::label).toArray(String[]::new));
            ((SymbolAxis) axis).setGridBandsVisible(false);
        } else if (scale == Scale.LINEAR) {
            NumberAxis a = new NumberAxis(label);
            a.setAutoRangeIncludesZero(false);
            a.setNumberFormatOverride(tickFormat());
            axis = a;
        } else {
            axis = new ReadableLogAxis(label, scale == Scale.LOG2 ? 2 : 10);
        }
        axis.setLabelFont(new Font(FONT, Font.PLAIN, 12));
        axis.setTickLabelFont(new Font(FONT, Font.PLAIN, 10));
        axis.setLabelPaint(Plot.INK);
        axis.setTickLabelPaint(Plot.INK);
        axis.setRange(range[0], range[1]);
        return axis;
    }

    /**
     * A log axis with ticks a reader can name: each power of two (batch sizes, whose values lie on those ticks); on a
     * log10 axis the coarsest of these that labels at least {@value #MIN_TICKS} values in the shown range: each power
     * of ten, then 1, 2 and 5 in each decade (J/img from 0.03 to 0.2), then multiples of one round step (1, 2 or 5
     * times a power of ten: 160, 180, 200, 220 img/s for a range of 157 to 217), so that a value can be read off the
     * axis however little of a decade the data span. The labels are plain text: LogAxis's own are attributed
     * strings, which JFreeSVG draws as glyph outlines of kilobytes each.
     */
    private static final class ReadableLogAxis extends LogAxis {
        static final int MIN_TICKS = 3;

        ReadableLogAxis(String label, int base) {
            super(label);
            setBase(base);
        }

        @Override
        @SuppressWarnings("rawtypes")
        public List refreshTicks(Graphics2D g2, AxisState state, Rectangle2D dataArea, RectangleEdge edge) {
            TextAnchor anchor = RectangleEdge.isLeftOrRight(edge) ? TextAnchor.CENTER_RIGHT : TextAnchor.TOP_CENTER;
            List<NumberTick> ticks = new ArrayList<>();
            for (double v : values(getBase(), getLowerBound(), getUpperBound())) {
                ticks.add(new NumberTick(v, tickFormat().format(v), anchor, anchor, 0));
            }
            return ticks;
        }

        static List<Double> values(double base, double lo, double hi) {
            if (base != 10) {
                return perDecade(base, lo, hi, new int[] {1});
            }
            for (int[] mantissas : new int[][] {{1}, {1, 2, 5}}) {
                List<Double> v = perDecade(base, lo, hi, mantissas);
                if (v.size() >= MIN_TICKS) {
                    return v;
                }
            }
            // the largest round step with MIN_TICKS multiples in [lo, hi]; steps 10x finer than the span always have
            for (int e = (int) Math.floor(Math.log10(hi - lo)); ; e--) {
                for (int m : new int[] {5, 2, 1}) {
                    List<Double> v = multiples(m, e, lo, hi);
                    if (v.size() >= MIN_TICKS) {
                        return v;
                    }
                }
            }
        }

        private static List<Double> perDecade(double base, double lo, double hi, int[] mantissas) {
            List<Double> values = new ArrayList<>();
            for (int e = (int) Math.floor(Math.log(lo) / Math.log(base)); e <= Math.ceil(Math.log(hi) / Math.log(base)); e++) {
                for (int m : mantissas) {
                    double v = m * Math.pow(base, e);
                    if (v >= lo && v <= hi) {
                        values.add(v);
                    }
                }
            }
            return values;
        }

        /** The multiples of m × 10^e in [lo, hi], each computed from whole numbers (0.06, not 0.060000000000000005). */
        private static List<Double> multiples(int m, int e, double lo, double hi) {
            double step = m * Math.pow(10, e);
            List<Double> values = new ArrayList<>();
            for (long k = (long) Math.ceil(lo / step); k * step <= hi; k++) {
                values.add(e >= 0 ? k * m * Math.pow(10, e) : k * m / Math.pow(10, -e));
            }
            return values;
        }
    }

    private static LegendItemCollection legend(List<Key> keys) {
        LegendItemCollection items = new LegendItemCollection();
        Shape line = new Line2D.Double(-12, 0, 12, 0);
        for (Key k : keys) {
            LegendItem item;
            if (k.color() == null) {
                item = new LegendItem(k.name(), null, null, null, false, line, false, Color.WHITE, false, Color.WHITE,
                        new BasicStroke(), false, line, new BasicStroke(), Color.WHITE);
                item.setLabelPaint(MUTED);
            } else if (k.dash() == null && k.marker() == null) {
                item = new LegendItem(k.name(), null, null, null, new Rectangle2D.Double(-8, -4, 16, 8), k.color());
            } else {
                Marker m = k.marker() == null ? Marker.DISC : k.marker();
                item = new LegendItem(k.name(), null, null, null, k.marker() != null, shape(m), true,
                        m.hollow() ? Color.WHITE : k.color(), true, k.color(), new BasicStroke(1.5f), k.dash() != null, line,
                        stroke(k.dash() == null ? Dash.SOLID : k.dash()), k.color());
            }
            items.add(item);
        }
        return items;
    }

    static Stroke stroke(Dash dash) {
        return dash.pattern.length == 0 ? new BasicStroke(1.5f)
                : new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 4f, dash.pattern, 0f);
    }

    /** A marker centred on (0, 0): a disc of radius R, or a square or diamond of the same area. */
    static Shape shape(Marker m) {
        double s = R * Math.sqrt(Math.PI) / 2; // half the side of a square of area pi R^2
        double d = R * Math.sqrt(Math.PI / 2); // half the diagonal of a diamond of area pi R^2
        return switch (m) {
            case DISC, RING -> new Ellipse2D.Double(-R, -R, 2 * R, 2 * R);
            case SQUARE, OPEN_SQUARE -> new Rectangle2D.Double(-s, -s, 2 * s, 2 * s);
            case DIAMOND, OPEN_DIAMOND -> ShapeUtils.createDiamond((float) d);
        };
    }
}
