package gpuenergy.report;

import gpuenergy.report.Canvas.Anchor;
import gpuenergy.report.Canvas.Dash;
import gpuenergy.report.Canvas.Marker;
import java.awt.Color;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * A plot in data coordinates (series of points, reference curves, notes) and how to draw it on a
 * {@link Canvas}: the same drawing goes to the page's SVG and to the PNG.
 */
final class Plot {
    enum Scale { LINEAR, LOG2, LOG10 }

    enum Style { MARKERS, LINE_MARKERS, GUIDE }

    record Pt(double x, double y, String label) {}

    /** A named series; GUIDE series (reference curves) do not widen the axes, and are clipped. */
    record Series(String name, Color color, Style style, List<Pt> points, Dash dash, Marker marker) {
        /** Solid lines (dashed for a guide) and discs. */
        Series(String name, Color color, Style style, List<Pt> points) {
            this(name, color, style, points, style == Style.GUIDE ? Dash.DASHED : Dash.SOLID, Marker.DISC);
        }
    }

    /**
     * A row of the legend: a sample of line (none when dash is null) and marker (none when null) with its name; with
     * neither, a patch of the colour (a key that tells a colour alone, whatever line and marker go with it).
     */
    record Key(String name, Color color, Dash dash, Marker marker) {
        /** A row of text only, heading the rows under it. */
        static Key heading(String text) {
            return new Key(text, null, null, null);
        }
    }

    record Tick(double value, String label) {}

    /** A point's label at its pixel position, placed after all markers are drawn. */
    private record Label(double[] at, String text) {}

    /**
     * Qualitative colours: the usual ten (matplotlib's), then ten more of other hues or much darker, all readable
     * on white as a 1.5 px line; a report's batch figures give one to each model.
     */
    static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728),
        new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf),
        new Color(0x000080), new Color(0x800000), new Color(0x008080), new Color(0xf032e6), new Color(0xe6ac00),
        new Color(0x556b2f), new Color(0xb15928), new Color(0xfa8072), new Color(0x6a3d9a), new Color(0x7cb342)};
    /** Line patterns and markers told apart without colour; the i-th look is (DASHES[i % 4], MARKERS[i % 6]): 12 distinct. */
    static final Dash[] DASHES = {Dash.SOLID, Dash.DASHED, Dash.DOTTED, Dash.DASH_DOT};
    static final Marker[] MARKERS = {Marker.DISC, Marker.RING, Marker.SQUARE, Marker.OPEN_SQUARE, Marker.DIAMOND,
        Marker.OPEN_DIAMOND};
    static final Color INK = new Color(0x222222);
    static final Color GRID = new Color(0xe4e4e4);

    final String title;
    final String xLabel;
    final String yLabel;
    final Scale xScale;
    final Scale yScale;
    final List<Series> series = new ArrayList<>();
    final List<String> notes = new ArrayList<>();
    /** Values the x axis must show even without a data point there (e.g. 1 for "no change"). */
    final List<Double> xInclude = new ArrayList<>();
    /** Named y positions (a categorical axis, e.g. one row per model); empty = numeric ticks. */
    final List<Tick> yCategories = new ArrayList<>();
    /** The legend's rows; empty = one row per named series. */
    final List<Key> legend = new ArrayList<>();
    /** The least height; {@link #height()} is taller where the legend needs it. */
    int height = 480;

    Plot(String title, String xLabel, Scale xScale, String yLabel, Scale yScale) {
        this.title = title;
        this.xLabel = xLabel;
        this.xScale = xScale;
        this.yLabel = yLabel;
        this.yScale = yScale;
    }

    boolean hasData() {
        return series.stream().anyMatch(s -> s.style() != Style.GUIDE && !s.points().isEmpty());
    }

    /** [min, max] of the data points (not guides) on one axis, padded, in the axis' transformed space. */
    private double[] range(boolean x, Scale scale) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            if (s.style() == Style.GUIDE) {
                continue;
            }
            for (Pt p : s.points()) {
                double v = transform(x ? p.x() : p.y(), scale);
                if (Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        if (x && lo <= hi) {
            for (double v : xInclude) {
                lo = Math.min(lo, transform(v, scale));
                hi = Math.max(hi, transform(v, scale));
            }
        }
        if (lo > hi) {
            return new double[] {0, 1};
        }
        double pad = hi > lo ? (hi - lo) * 0.08 : (scale == Scale.LINEAR ? Math.max(Math.abs(lo) * 0.1, 1) : 0.3);
        return new double[] {lo - pad, hi + pad};
    }

    static double transform(double v, Scale s) {
        return switch (s) {
            case LINEAR -> v;
            case LOG2 -> v > 0 ? Math.log(v) / Math.log(2) : Double.NaN;
            case LOG10 -> v > 0 ? Math.log10(v) : Double.NaN;
        };
    }

    static List<Tick> ticks(double lo, double hi, Scale s) {
        List<Tick> t = new ArrayList<>();
        if (s == Scale.LOG2) {
            for (int e = (int) Math.ceil(lo); e <= hi; e++) {
                t.add(new Tick(e, num(Math.pow(2, e))));
            }
        } else if (s == Scale.LOG10) {
            boolean fewDecades = hi - lo < 2;
            for (int e = (int) Math.floor(lo); e <= Math.ceil(hi); e++) {
                for (int m : fewDecades ? new int[] {1, 2, 5} : new int[] {1}) {
                    double v = Math.log10(m * Math.pow(10, e));
                    if (v >= lo && v <= hi) {
                        t.add(new Tick(v, num(m * Math.pow(10, e))));
                    }
                }
            }
        } else {
            double raw = (hi - lo) / 6;
            double mag = Math.pow(10, Math.floor(Math.log10(raw)));
            double step = raw / mag < 2 ? 2 * mag : raw / mag < 5 ? 5 * mag : 10 * mag;
            for (long k = (long) Math.ceil(lo / step); k * step <= hi; k++) {
                // k * step, not a running sum: no drift; rounded to the step so labels stay distinct.
                t.add(new Tick(k * step, new BigDecimal(k).multiply(new BigDecimal(step).round(new MathContext(1)))
                        .stripTrailingZeros().toPlainString()));
            }
        }
        return t;
    }

    /** A tick or label number: 3 significant digits, no trailing zeros, no exponent below 1e7. */
    static String num(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e7) {
            return String.format(Locale.ROOT, "%d", (long) v);
        }
        return new BigDecimal(v).round(new MathContext(3)).stripTrailingZeros().toPlainString();
    }

    /** Approximate text width in pixels (DejaVu Sans, the fonts both canvases use, is about 0.6 em per character). */
    static double textWidth(String s, double size) {
        return s.length() * size * 0.6;
    }

    /** Splits a note into lines of at most {@code chars} characters, at spaces. */
    static List<String> wrap(String note, int chars) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : note.split(" ")) {
            if (line.length() > 0 && line.length() + 1 + word.length() > chars) {
                lines.add(line.toString());
                line.setLength(0);
            }
            line.append(line.length() > 0 ? " " : "").append(word);
        }
        lines.add(line.toString());
        return lines;
    }

    private double left() {
        int longestCategory = yCategories.stream().mapToInt(t -> t.label().length()).max().orElse(0);
        return Math.max(70, 12 + textWidth("x".repeat(longestCategory), 10));
    }

    /**
     * The legend's rows: each named series with the line and marker it is drawn with; where {@link #legend} is set,
     * its rows instead of the data series' (the guides' rows follow them).
     */
    List<Key> keys() {
        List<Key> keys = new ArrayList<>(legend);
        series.stream().filter(s -> s.name() != null && (legend.isEmpty() || s.style() == Style.GUIDE))
                .forEach(s -> keys.add(new Key(s.name(), s.color(), s.style() == Style.MARKERS ? null : s.dash(),
                        s.style() == Style.GUIDE ? null : s.marker())));
        return keys;
    }

    /** The legend's column: its sample and its longest name. */
    private double right() {
        return 12 + SAMPLE + 6 + keys().stream().mapToDouble(k -> textWidth(k.name(), 10)).max().orElse(60) + 8;
    }

    /** The width of a legend row's sample: long enough to show a dash pattern. */
    private static final double SAMPLE = 24;

    /** 820 px, wider where the category labels and the legend would leave the plot area under 520 px. */
    int width() {
        return (int) Math.max(820, left() + 520 + right());
    }

    /** The notes wrapped to the figure's width, one line each. */
    private List<String> noteLines() {
        List<String> lines = new ArrayList<>();
        notes.forEach(n -> lines.addAll(wrap(n, (int) ((width() - left() - 10) / (11 * 0.6)))));
        return lines;
    }

    /** {@link #height}, or taller so that every legend row fits above the bottom margin. */
    int height() {
        return (int) Math.max(height, 40 + 15 * noteLines().size() + 8 + 16 * (keys().size() - 1) + 30);
    }

    void draw(Canvas c) {
        double left = left();
        double right = right();
        int width = width();
        int height = height();
        List<String> noteLines = noteLines();
        double top = 40 + 15 * noteLines.size();
        double bottom = 50;
        double pw = width - left - right;
        double ph = height - top - bottom;
        double[] xr = range(true, xScale);
        double[] yr = range(false, yScale);

        c.rect(0, 0, width, height, Color.WHITE, null);
        c.text(left, 22, title, 15, Anchor.START, false, INK);
        for (int i = 0; i < noteLines.size(); i++) {
            c.text(left, 40 + 15 * i, noteLines.get(i), 11, Anchor.START, false, new Color(0x444444));
        }
        List<Tick> yTicks = yCategories.isEmpty() ? ticks(yr[0], yr[1], yScale) : yCategories;
        for (Tick t : ticks(xr[0], xr[1], xScale)) {
            double px = left + (t.value() - xr[0]) / (xr[1] - xr[0]) * pw;
            c.line(px, top, px, top + ph, GRID, 1, Dash.SOLID);
            c.text(px, top + ph + 15, t.label(), 10, Anchor.MIDDLE, false, INK);
        }
        for (Tick t : yTicks) {
            double py = top + ph - (t.value() - yr[0]) / (yr[1] - yr[0]) * ph;
            c.line(left, py, left + pw, py, GRID, 1, Dash.SOLID);
            c.text(left - 5, py + 3.5, t.label(), 10, Anchor.END, false, INK);
        }
        c.rect(left, top, pw, ph, null, INK);
        c.text(left + pw / 2, height - 12, xLabel, 12, Anchor.MIDDLE, false, INK);
        if (yCategories.isEmpty()) {
            c.text(16, top + ph / 2, yLabel, 12, Anchor.MIDDLE, true, INK);
        }
        if (!hasData()) {
            c.text(left + pw / 2, top + ph / 2, "no data to plot (see the note above)", 13, Anchor.MIDDLE, false, INK);
        }

        List<double[]> markers = new ArrayList<>();
        List<Label> labels = new ArrayList<>();
        for (Series s : series) {
            List<double[]> px = new ArrayList<>();
            List<Pt> pts = new ArrayList<>(s.points());
            if (s.style() != Style.MARKERS) {
                pts.sort(Comparator.comparingDouble(Pt::x));
            }
            for (Pt p : pts) {
                double tx = transform(p.x(), xScale);
                double ty = transform(p.y(), yScale);
                px.add(new double[] {left + (tx - xr[0]) / (xr[1] - xr[0]) * pw, top + ph - (ty - yr[0]) / (yr[1] - yr[0]) * ph});
            }
            if (s.style() == Style.GUIDE) {
                drawClipped(c, px, s.color(), s.dash(), left, top, pw, ph);
            } else if (s.style() == Style.LINE_MARKERS && px.size() > 1) {
                c.polyline(px.stream().mapToDouble(a -> a[0]).toArray(), px.stream().mapToDouble(a -> a[1]).toArray(), s.color(), 1.5,
                        s.dash());
            }
            for (int i = 0; i < px.size() && s.style() != Style.GUIDE; i++) {
                double[] p = px.get(i);
                c.marker(p[0], p[1], 3.5, s.marker(), s.color());
                markers.add(new double[] {p[0] - 3.5, p[1] - 3.5, p[0] + 3.5, p[1] + 3.5});
                if (pts.get(i).label() != null) {
                    labels.add(new Label(p, pts.get(i).label()));
                }
            }
        }
        List<Key> keys = keys();
        for (int row = 0; row < keys.size(); row++) {
            Key k = keys.get(row);
            double ly = top + 8 + 16 * row;
            double lx = left + pw + 12;
            if (k.color() == null) {
                c.text(lx, ly + 4, k.name(), 10, Anchor.START, false, new Color(0x555555));
                continue;
            }
            if (k.dash() == null && k.marker() == null) {
                c.rect(lx + 4, ly - 4, SAMPLE - 8, 8, k.color(), null);
            }
            if (k.dash() != null) {
                c.line(lx, ly, lx + SAMPLE, ly, k.color(), 1.5, k.dash());
            }
            if (k.marker() != null) {
                c.marker(lx + SAMPLE / 2, ly, 3.5, k.marker(), k.color());
            }
            c.text(lx + SAMPLE + 6, ly + 4, k.name(), 10, Anchor.START, false, INK);
        }
        // Point labels after all markers: each takes the first free place around its point, or is left out.
        List<double[]> taken = new ArrayList<>(markers);
        int hidden = 0;
        for (Label l : labels) {
            double[] box = labelBox(l.at(), l.text(), taken, left, top, left + pw, top + ph);
            if (box == null) {
                hidden++;
                continue;
            }
            taken.add(box);
            c.text(box[0], box[3] - 2, l.text(), 9, Anchor.START, false, new Color(0x555555));
        }
        if (hidden > 0) {
            c.text(width - 6, height - 12, hidden + " overlapping label(s) left out", 9, Anchor.END, false, new Color(0x555555));
        }
    }

    /**
     * The box {x0, y0, x1, y1} of a 9 px label beside point p: right-above, right-below, left-above or
     * left-below, the first inside the plot area that overlaps no marker and no earlier label; null if none.
     */
    static double[] labelBox(double[] p, String label, List<double[]> taken, double x0, double y0, double x1, double y1) {
        double w = textWidth(label, 9);
        double h = 10;
        double[][] places = {{p[0] + 5, p[1] - 4 - h}, {p[0] + 5, p[1] + 4}, {p[0] - 5 - w, p[1] - 4 - h}, {p[0] - 5 - w, p[1] + 4}};
        for (double[] at : places) {
            double[] box = {at[0], at[1], at[0] + w, at[1] + h};
            boolean inside = box[0] >= x0 && box[1] >= y0 && box[2] <= x1 && box[3] <= y1;
            if (inside && taken.stream().noneMatch(t -> box[0] < t[2] && t[0] < box[2] && box[1] < t[3] && t[1] < box[3])) {
                return box;
            }
        }
        return null;
    }

    /** A reference curve drawn only inside the plot area: each segment is clipped to it (Liang-Barsky). */
    private static void drawClipped(Canvas c, List<double[]> px, Color color, Dash dash, double left, double top, double pw,
            double ph) {
        List<double[]> run = new ArrayList<>();
        for (int i = 1; i < px.size(); i++) {
            double[] seg = clip(px.get(i - 1), px.get(i), left, top, left + pw, top + ph);
            if (seg == null || (seg[0] != px.get(i - 1)[0] || seg[1] != px.get(i - 1)[1])) {
                flush(c, run, color, dash); // the curve left the area: start a new piece
            }
            if (seg != null) {
                if (run.isEmpty()) {
                    run.add(new double[] {seg[0], seg[1]});
                }
                run.add(new double[] {seg[2], seg[3]});
            }
        }
        flush(c, run, color, dash);
    }

    private static void flush(Canvas c, List<double[]> run, Color color, Dash dash) {
        if (run.size() > 1) {
            c.polyline(run.stream().mapToDouble(a -> a[0]).toArray(), run.stream().mapToDouble(a -> a[1]).toArray(), color, 1.5, dash);
        }
        run.clear();
    }

    /** The part of segment p-q inside the rectangle as {x1, y1, x2, y2}, or null when none is. */
    static double[] clip(double[] p, double[] q, double x0, double y0, double x1, double y1) {
        if (!(Double.isFinite(p[0]) && Double.isFinite(p[1]) && Double.isFinite(q[0]) && Double.isFinite(q[1]))) {
            return null;
        }
        double dx = q[0] - p[0];
        double dy = q[1] - p[1];
        double t0 = 0;
        double t1 = 1;
        double[][] edges = {{-dx, p[0] - x0}, {dx, x1 - p[0]}, {-dy, p[1] - y0}, {dy, y1 - p[1]}};
        for (double[] e : edges) {
            if (e[0] == 0) {
                if (e[1] < 0) {
                    return null;
                }
            } else {
                double t = e[1] / e[0];
                if (e[0] < 0) {
                    t0 = Math.max(t0, t);
                } else {
                    t1 = Math.min(t1, t);
                }
            }
        }
        if (t0 > t1) {
            return null;
        }
        return new double[] {p[0] + t0 * dx, p[1] + t0 * dy, p[0] + t1 * dx, p[1] + t1 * dy};
    }
}
