package gpuenergy.report;

import java.awt.Color;
import java.util.ArrayList;
import java.util.List;

/**
 * What a figure shows, in data coordinates: series of points, reference curves, notes and the legend's rows.
 * {@link PlotChart} draws it with JFreeChart; the content stays here, where tests can read it.
 */
final class Plot {
    enum Scale { LINEAR, LOG2, LOG10 }

    enum Style { MARKERS, LINE_MARKERS, GUIDE }

    /** A line's dash pattern: lengths of dash and gap in pixels, alternating; empty = solid. */
    enum Dash {
        SOLID(), DASHED(6, 4), DOTTED(1.5f, 3), DASH_DOT(7, 3, 1.5f, 3);

        final float[] pattern;

        Dash(float... pattern) {
            this.pattern = pattern;
        }
    }

    /** A point's marker: filled, or hollow (a white inside with a coloured outline, so a line under it is hidden). */
    enum Marker {
        DISC, RING, SQUARE, OPEN_SQUARE, DIAMOND, OPEN_DIAMOND;

        boolean hollow() {
            return this == RING || this == OPEN_SQUARE || this == OPEN_DIAMOND;
        }
    }

    /**
     * A point; its label is drawn right of it, or above and left of it where {@code labelLeft} (a label that would leave
     * the plot or cover a marker on the right).
     */
    record Pt(double x, double y, String label, boolean labelLeft) {
        Pt(double x, double y, String label) {
            this(x, y, label, false);
        }
    }

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

    /** A named position on a categorical axis. */
    record Tick(double value, String label) {}

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

    final String title;
    final String xLabel;
    final String yLabel;
    final Scale xScale;
    final Scale yScale;
    final List<Series> series = new ArrayList<>();
    final List<String> notes = new ArrayList<>();
    /** Values the x axis must show even without a data point there (e.g. 1 for "no change"). */
    final List<Double> xInclude = new ArrayList<>();
    /** Values the y axis must show beside the data points (e.g. where a guide runs above them). */
    final List<Double> yInclude = new ArrayList<>();
    /** Named y positions (a categorical axis, e.g. one row per model); empty = numeric ticks. */
    final List<Tick> yCategories = new ArrayList<>();
    /** The legend's rows; empty = one row per named series. */
    final List<Key> legend = new ArrayList<>();
    /** The least height in pixels; {@link #height()} is taller where the notes and the legend need it. */
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

    /**
     * The shown {min, max} of one axis: the data points' (not the guides', which are clipped to it) and
     * {@link #xInclude} or {@link #yInclude}, padded by 8 % of the span on the axis' scale, on a log2 axis by half a step at most (no tick
     * of a batch size beyond the data); {1, 10} without data. Labels need no room: one that would leave the plot is
     * drawn left of its point ({@link #withoutOverlappingLabels}).
     */
    double[] range(boolean x) {
        Scale scale = x ? xScale : yScale;
        List<Double> values = new ArrayList<>();
        series.stream().filter(s -> s.style() != Style.GUIDE).flatMap(s -> s.points().stream())
                .forEach(p -> values.add(x ? p.x() : p.y()));
        if (!values.isEmpty()) {
            values.addAll(x ? xInclude : yInclude);
        }
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            double t = scale == Scale.LINEAR ? v : v > 0 ? Math.log(v) : Double.NaN;
            if (Double.isFinite(t)) {
                lo = Math.min(lo, t);
                hi = Math.max(hi, t);
            }
        }
        if (lo > hi) {
            return new double[] {1, 10};
        }
        double pad = hi > lo ? (hi - lo) * 0.08 : scale == Scale.LINEAR ? Math.max(Math.abs(lo) * 0.1, 1) : 0.7;
        if (scale == Scale.LOG2) {
            pad = Math.min(pad, Math.log(2) / 2);
        }
        return scale == Scale.LINEAR ? new double[] {lo - pad, hi + pad}
                : new double[] {Math.exp(lo - pad), Math.exp(hi + pad)};
    }

    /**
     * This figure as drawn: each point label right of its point, or left of and above it where on the right it would leave the
     * plot or cover another point's marker and on the left it does neither, or where only the left keeps it inside the
     * plot; a label that would cover one kept before it, in series order, on both sides left out, and a note saying
     * how many. A label is about 5.5 px a character and 12 px high, 8 px from its point, in a plot area of about 560 px
     * by the figure's height less 150 px; JFreeChart draws every label it is given. A figure of more than
     * {@link #LABELLED_POINTS} labelled points draws no label, and a note says so.
     */
    Plot withoutOverlappingLabels() {
        Plot shown = new Plot(title, xLabel, xScale, yLabel, yScale);
        shown.notes.addAll(notes);
        shown.xInclude.addAll(xInclude);
        shown.yInclude.addAll(yInclude);
        shown.yCategories.addAll(yCategories);
        shown.legend.addAll(legend);
        shown.height = height;
        double[] xRange = range(true);
        double[] yRange = range(false);
        double areaHeight = Math.max(200, height() - 150);
        long labelled = series.stream().flatMap(s -> s.points().stream()).filter(p -> p.label() != null).count();
        boolean labels = labelled <= LABELLED_POINTS;
        List<double[]> kept = new ArrayList<>(); // left, middle, right in pixels
        List<double[]> markers = new ArrayList<>(); // centre x, centre y in pixels
        series.stream().filter(s -> labels && s.style() != Style.GUIDE).flatMap(s -> s.points().stream())
                .forEach(p -> markers.add(new double[] {560 * share(p.x(), xRange, xScale),
                        areaHeight * (1 - share(p.y(), yRange, yScale))}));
        int leftOut = 0;
        for (Series s : series) {
            List<Pt> points = new ArrayList<>();
            for (Pt p : s.points()) {
                if (p.label() == null || !labels) {
                    points.add(new Pt(p.x(), p.y(), null));
                    continue;
                }
                double at = 560 * share(p.x(), xRange, xScale);
                double middle = areaHeight * (1 - share(p.y(), yRange, yScale));
                double width = 5.5 * p.label().length();
                double[] right = {at + 8, middle, at + 8 + width};
                // on the left a label sits above its point, clear of its own line and the marker before
                double[] left = {at - 8 - width, middle - 10, at - 8};
                boolean rightInside = right[2] <= 560;
                boolean leftInside = left[0] >= 0;
                boolean rightClear = rightInside && markers.stream().noneMatch(m -> covers(right, m));
                boolean leftClear = leftInside && markers.stream().noneMatch(m -> covers(left, m));
                boolean onLeft = !rightClear && (leftClear || !rightInside && leftInside);
                double[] box = onLeft ? left : right;
                if (kept.stream().anyMatch(k -> box[0] < k[2] && k[0] < box[2] && Math.abs(box[1] - k[1]) < 12)) {
                    points.add(new Pt(p.x(), p.y(), null));
                    leftOut++;
                } else {
                    kept.add(box);
                    points.add(new Pt(p.x(), p.y(), p.label(), onLeft));
                }
            }
            shown.series.add(new Series(s.name(), s.color(), s.style(), points, s.dash(), s.marker()));
        }
        if (!labels) {
            shown.notes.add(tooManyLabels(labelled));
        } else if (leftOut > 0) {
            shown.notes.add(leftOut + " overlapping label(s) left out");
        }
        return shown;
    }

    /**
     * The most labelled points a figure labels: a plot area of about 560 by 330 px holds fewer labels than this side by
     * side, so past it the labels kept would be an accident of series order, and placing them compares each label with
     * every marker.
     */
    static final int LABELLED_POINTS = 200;

    /** The note of a figure of more than {@link #LABELLED_POINTS} labelled points. */
    static String tooManyLabels(long labelled) {
        return "no point labels: " + labelled + " points, more than the " + LABELLED_POINTS
                + " a figure labels; summary.csv and summary.md give each point's figures";
    }

    /** Whether a label's box (left, middle, right) lies over a marker centred at {x, y} (markers are about 8 px). */
    private static boolean covers(double[] label, double[] marker) {
        return label[0] < marker[0] + 4 && marker[0] - 4 < label[2] && Math.abs(label[1] - marker[1]) < 10;
    }

    /** Where v lies along the shown range of an axis, 0 at its start and 1 at its end. */
    private static double share(double v, double[] range, Scale scale) {
        return scale == Scale.LINEAR ? (v - range[0]) / (range[1] - range[0])
                : Math.log(v / range[0]) / Math.log(range[1] / range[0]);
    }

    /** 820 px, wider where long category labels and legend rows would leave the plot area under about 520 px. */
    int width() {
        int category = yCategories.stream().mapToInt(t -> t.label().length()).max().orElse(0);
        int key = keys().stream().mapToInt(k -> k.name().length()).max().orElse(0);
        return Math.max(820, 80 + 6 * category + 520 + 60 + 6 * key);
    }

    /** {@link #height}, or taller so that the wrapped notes and every legend row fit beside the plot area. */
    int height() {
        int charsPerLine = (width() - 40) / 6;
        int noteLines = notes.stream().mapToInt(n -> 1 + n.length() / charsPerLine).sum();
        return Math.max(height, 110 + 15 * noteLines + 17 * keys().size());
    }
}
