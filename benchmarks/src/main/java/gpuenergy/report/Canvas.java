package gpuenergy.report;

import java.awt.Color;

/** What a plot draws on: implemented for SVG (the page) and for a BufferedImage (the PNG). Pixel coordinates. */
interface Canvas {
    enum Anchor { START, MIDDLE, END }

    void line(double x1, double y1, double x2, double y2, Color color, double width, boolean dashed);

    void polyline(double[] xs, double[] ys, Color color, double width, boolean dashed);

    void circle(double x, double y, double r, Color fill);

    void rect(double x, double y, double w, double h, Color fill, Color stroke);

    /** Text with its baseline at y; vertical text reads bottom to top (for a y-axis label). */
    void text(double x, double y, String s, double size, Anchor anchor, boolean vertical, Color color);
}
