package gpuenergy.report;

import java.awt.Color;
import java.util.Locale;

/** Draws into an SVG string for inline use in index.html. */
final class SvgCanvas implements Canvas {
    private final StringBuilder body = new StringBuilder();

    @Override
    public void line(double x1, double y1, double x2, double y2, Color color, double width, Dash dash) {
        body.append(f("<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"", x1, y1, x2, y2))
                .append(stroke(color, width, dash)).append("/>\n");
    }

    @Override
    public void polyline(double[] xs, double[] ys, Color color, double width, Dash dash) {
        body.append("<polyline fill=\"none\" points=\"");
        for (int i = 0; i < xs.length; i++) {
            body.append(f("%.1f,%.1f ", xs[i], ys[i]));
        }
        body.append('"').append(stroke(color, width, dash)).append("/>\n");
    }

    @Override
    public void marker(double x, double y, double r, Marker shape, Color color) {
        double[][] corners = shape.corners(x, y, r);
        if (corners == null) {
            body.append(f("<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\"", x, y, r));
        } else {
            body.append("<polygon points=\"");
            for (int i = 0; i < corners[0].length; i++) {
                body.append(f("%.1f,%.1f ", corners[0][i], corners[1][i]));
            }
            body.append('"');
        }
        body.append(shape.hollow() ? " fill=\"#ffffff\"" + stroke(color, HOLLOW_WIDTH, Dash.SOLID) : " fill=\"" + hex(color) + "\"")
                .append("/>\n");
    }

    @Override
    public void rect(double x, double y, double w, double h, Color fill, Color stroke) {
        body.append(f("<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"", x, y, w, h,
                fill == null ? "none" : hex(fill)));
        body.append(stroke == null ? "" : stroke(stroke, 1, Dash.SOLID)).append("/>\n");
    }

    @Override
    public void text(double x, double y, String s, double size, Anchor anchor, boolean vertical, Color color) {
        String a = switch (anchor) { case START -> "start"; case MIDDLE -> "middle"; case END -> "end"; };
        body.append(f("<text x=\"%.1f\" y=\"%.1f\" font-size=\"%.0f\" text-anchor=\"%s\" fill=\"%s\"", x, y, size, a, hex(color)));
        if (vertical) {
            body.append(f(" transform=\"rotate(-90 %.1f %.1f)\"", x, y));
        }
        body.append('>').append(escape(s)).append("</text>\n");
    }

    /** The finished element; class "plot" and the id let the page's script and the browser test find it. */
    String svg(String id, int width, int height) {
        return f("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"plot\" id=\"%s\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"DejaVu Sans, Arial, sans-serif\">\n", id, width, height, width, height)
                + body + "</svg>";
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String stroke(Color c, double width, Dash dash) {
        StringBuilder s = new StringBuilder(f(" stroke=\"%s\" stroke-width=\"%.1f\"", hex(c), width));
        for (int i = 0; i < dash.pattern.length; i++) {
            s.append(i == 0 ? " stroke-dasharray=\"" : ",").append(f("%s", Plot.num(dash.pattern[i])));
        }
        return s.append(dash.pattern.length > 0 ? "\"" : "").toString();
    }

    private static String hex(Color c) {
        return String.format("#%02x%02x%02x", c.getRed(), c.getGreen(), c.getBlue());
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
