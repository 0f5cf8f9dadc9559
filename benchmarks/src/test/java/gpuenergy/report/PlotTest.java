package gpuenergy.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gpuenergy.report.Plot.Pt;
import gpuenergy.report.Plot.Scale;
import gpuenergy.report.Plot.Series;
import gpuenergy.report.Plot.Style;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

class PlotTest {

    static Plot sample() {
        Plot p = new Plot("title <&>", "x", Scale.LOG2, "y", Scale.LOG10);
        p.series.add(new Series("a & b", Plot.PALETTE[0], Style.LINE_MARKERS,
                List.of(new Pt(1, 10, null), new Pt(8, 100, "best"), new Pt(64, 1000, null))));
        p.series.add(new Series("guide", Plot.INK, Style.GUIDE, List.of(new Pt(0.01, 1e-3, null), new Pt(1e4, 1e6, null))));
        p.notes.add("a note");
        return p;
    }

    @Test
    void svgIsWellFormedAndHasTheData() throws Exception {
        SvgCanvas c = new SvgCanvas();
        sample().draw(c);
        String svg = c.svg("id1", 820, 480);
        Document d = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        assertEquals("svg", d.getDocumentElement().getTagName());
        assertEquals(3 + 1, d.getElementsByTagName("circle").getLength(), "3 points + 1 legend marker");
        assertTrue(svg.contains("title &lt;&amp;&gt;"));
        assertTrue(svg.contains(">best</text>"));
    }

    @Test
    void pngHasContent() {
        ImageCanvas c = new ImageCanvas(820, 480);
        sample().draw(c);
        assertTrue(distinctColours(c.image()) > 5);
    }

    static int distinctColours(BufferedImage img) {
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 3) {
            for (int x = 0; x < img.getWidth(); x += 3) {
                colours.add(img.getRGB(x, y));
            }
        }
        return colours.size();
    }

    @Test
    void ticks() {
        assertEquals(List.of("1", "2", "4", "8"), Plot.ticks(-0.2, 3.2, Scale.LOG2).stream().map(Plot.Tick::label).toList());
        assertEquals(List.of("0.01", "0.1", "1"), Plot.ticks(-2.1, 0.2, Scale.LOG10).stream().map(Plot.Tick::label).toList());
        assertEquals(List.of("0", "20", "40", "60", "80", "100"),
                Plot.ticks(-1, 101, Scale.LINEAR).stream().map(Plot.Tick::label).toList());
        assertEquals(List.of("2.4", "2.42", "2.44", "2.46", "2.48", "2.5"),
                Plot.ticks(2.39, 2.51, Scale.LINEAR).stream().map(Plot.Tick::label).toList());
    }

    @Test
    void clipKeepsThePartInsideTheRectangle() {
        assertArrayEquals(new double[] {0, 5, 10, 5}, Plot.clip(new double[] {-10, 5}, new double[] {20, 5}, 0, 0, 10, 10), 1e-12);
        assertArrayEquals(new double[] {2, 2, 3, 3}, Plot.clip(new double[] {2, 2}, new double[] {3, 3}, 0, 0, 10, 10), 1e-12);
        assertNull(Plot.clip(new double[] {-5, -5}, new double[] {-1, 20}, 0, 0, 10, 10));
    }
}
