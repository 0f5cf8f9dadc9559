package gpuenergy.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;

/** Draws into a BufferedImage with Java2D (headless), saved as the PNG next to each SVG. */
final class ImageCanvas implements Canvas {
    private final BufferedImage image;
    private final Graphics2D g;

    ImageCanvas(int width, int height) {
        image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
    }

    BufferedImage image() {
        return image;
    }

    @Override
    public void line(double x1, double y1, double x2, double y2, Color color, double width, Dash dash) {
        stroke(color, width, dash);
        g.draw(new Line2D.Double(x1, y1, x2, y2));
    }

    @Override
    public void polyline(double[] xs, double[] ys, Color color, double width, Dash dash) {
        Path2D.Double p = new Path2D.Double();
        p.moveTo(xs[0], ys[0]);
        for (int i = 1; i < xs.length; i++) {
            p.lineTo(xs[i], ys[i]);
        }
        stroke(color, width, dash);
        g.draw(p);
    }

    @Override
    public void marker(double x, double y, double r, Marker shape, Color color) {
        double[][] corners = shape.corners(x, y, r);
        Shape s;
        if (corners == null) {
            s = new Ellipse2D.Double(x - r, y - r, 2 * r, 2 * r);
        } else {
            Path2D.Double p = new Path2D.Double();
            p.moveTo(corners[0][0], corners[1][0]);
            for (int i = 1; i < corners[0].length; i++) {
                p.lineTo(corners[0][i], corners[1][i]);
            }
            p.closePath();
            s = p;
        }
        g.setColor(shape.hollow() ? Color.WHITE : color);
        g.fill(s);
        if (shape.hollow()) {
            stroke(color, HOLLOW_WIDTH, Dash.SOLID);
            g.draw(s);
        }
    }

    @Override
    public void rect(double x, double y, double w, double h, Color fill, Color stroke) {
        Rectangle2D.Double r = new Rectangle2D.Double(x, y, w, h);
        if (fill != null) {
            g.setColor(fill);
            g.fill(r);
        }
        if (stroke != null) {
            stroke(stroke, 1, Dash.SOLID);
            g.draw(r);
        }
    }

    @Override
    public void text(double x, double y, String s, double size, Anchor anchor, boolean vertical, Color color) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, (int) Math.round(size)));
        g.setColor(color);
        double w = g.getFontMetrics().stringWidth(s);
        double shift = switch (anchor) { case START -> 0; case MIDDLE -> -w / 2; case END -> -w; };
        AffineTransform saved = g.getTransform();
        g.translate(x, y);
        if (vertical) {
            g.rotate(-Math.PI / 2);
        }
        g.drawString(s, (float) shift, 0f);
        g.setTransform(saved);
    }

    private void stroke(Color c, double width, Dash dash) {
        g.setColor(c);
        float[] pattern = new float[dash.pattern.length];
        for (int i = 0; i < pattern.length; i++) {
            pattern[i] = (float) dash.pattern[i];
        }
        // the SVG's defaults (butt caps, miter joins limited at 4), so that both canvases draw the same lines
        g.setStroke(pattern.length > 0
                ? new BasicStroke((float) width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 4f, pattern, 0f)
                : new BasicStroke((float) width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 4f));
    }
}
