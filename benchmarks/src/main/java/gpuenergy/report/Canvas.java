package gpuenergy.report;

import java.awt.Color;

/** What a plot draws on: implemented for SVG (the page) and for a BufferedImage (the PNG). Pixel coordinates. */
interface Canvas {
    enum Anchor { START, MIDDLE, END }

    /** A line's dash pattern: lengths of dash and gap in pixels, alternating; empty = solid. */
    enum Dash {
        SOLID(), DASHED(6, 4), DOTTED(1.5, 3), DASH_DOT(7, 3, 1.5, 3);

        final double[] pattern;

        Dash(double... pattern) {
            this.pattern = pattern;
        }
    }

    /** A point's marker: filled, or hollow (a white inside with a coloured outline, so a line under it is hidden). */
    enum Marker {
        DISC, RING, SQUARE, OPEN_SQUARE, DIAMOND, OPEN_DIAMOND;

        boolean hollow() {
            return this == RING || this == OPEN_SQUARE || this == OPEN_DIAMOND;
        }

        /**
         * The corners {xs, ys} of a square or diamond marker of radius r at (x, y), of the area of a circle of radius r
         * (so no engine's marker looks heavier); null for a circle. Both canvases draw these same corners.
         */
        double[][] corners(double x, double y, double r) {
            double s = r * Math.sqrt(Math.PI) / 2; // half the side of a square of area pi r^2
            double d = r * Math.sqrt(Math.PI / 2); // half the diagonal of a diamond of area pi r^2
            return switch (this) {
                case SQUARE, OPEN_SQUARE -> new double[][] {{x - s, x + s, x + s, x - s}, {y - s, y - s, y + s, y + s}};
                case DIAMOND, OPEN_DIAMOND -> new double[][] {{x, x + d, x, x - d}, {y - d, y, y + d, y}};
                case DISC, RING -> null;
            };
        }
    }

    /** The outline width of a hollow marker. */
    double HOLLOW_WIDTH = 1.5;

    void line(double x1, double y1, double x2, double y2, Color color, double width, Dash dash);

    void polyline(double[] xs, double[] ys, Color color, double width, Dash dash);

    /** A marker of radius r centred on (x, y): a circle of radius r, or a square or diamond of about its area. */
    void marker(double x, double y, double r, Marker shape, Color color);

    void rect(double x, double y, double w, double h, Color fill, Color stroke);

    /** Text with its baseline at y; vertical text reads bottom to top (for a y-axis label). */
    void text(double x, double y, String s, double size, Anchor anchor, boolean vertical, Color color);
}
