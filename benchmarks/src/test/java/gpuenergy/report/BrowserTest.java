package gpuenergy.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import gpuenergy.report.Efficiency.Point;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens index.html in headless Chromium (--dump-dom: the DOM after the page's script ran) and checks that the
 * script finished without errors, all plots are there, and the script's ranking agrees with the Java one. A page
 * given an extra script at its end shows the state after that script moved a control.
 * Skipped only when no Chromium is installed, outside CI (environment CI=true, which .ci/run has) and
 * without -DrequireBrowser=true.
 */
class BrowserTest {

    @TempDir
    Path tmp;

    static String chromium() {
        for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
            for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
                if (Files.isExecutable(Path.of(dir, name))) {
                    return Path.of(dir, name).toString();
                }
            }
        }
        return null;
    }

    /** The browser, or the test is skipped (a failure in CI or with -DrequireBrowser=true). */
    static String browser() {
        String browser = chromium();
        if (browser == null) {
            if (Boolean.getBoolean("requireBrowser") || "true".equals(System.getenv("CI"))) {
                fail("CI or -DrequireBrowser=true, but no chromium, chromium-browser or google-chrome on PATH "
                        + "(Debian: apt-get install -y chromium)");
            }
            Assumptions.abort("no chromium on PATH; run with -DrequireBrowser=true to make this a failure");
        }
        return browser;
    }

    /** The DOM of the page after its scripts ran. */
    private String dom(String browser, Path page) throws Exception {
        Path dom = tmp.resolve(page.getFileName() + ".dom.html");
        Path log = tmp.resolve(page.getFileName() + ".chromium.log");
        Process p = new ProcessBuilder(browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + tmp.resolve("profile"), "--dump-dom", page.toUri().toString())
                .redirectError(log.toFile())
                .redirectOutput(dom.toFile())
                .start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("chromium did not finish within 120 s");
        }
        assertEquals(0, p.exitValue(), "chromium failed: " + Files.readString(log));
        return Files.readString(dom);
    }

    @Test
    void pageRendersAllPlotsWithoutScriptErrors() throws Exception {
        String browser = browser();
        Path dir = tmp.resolve("report");
        String f = ReportCommandTest.F;
        ReportCommandTest r = new ReportCommandTest();
        assertEquals(0, r.report(f + "baseline.json", f + "no-energy.json", "--out", dir.toString(),
                "--catalog", f + "catalog-fixture.csv"), r.err.toString(StandardCharsets.UTF_8));

        String dom = dom(browser, dir.resolve("index.html"));

        assertTrue(dom.contains("<body data-rendered=\"6\""), "script did not finish drawing: "
                + dom.substring(0, Math.min(600, dom.length())));
        assertFalse(Pattern.compile("<html[^>]*data-errors").matcher(dom).find(), "script errors: " + between(dom, "<ul id=\"errors\">", "</ul>"));
        assertEquals("", between(dom, "<ul id=\"errors\">", "</ul>").trim());
        assertEquals(6, count(dom, "<div class=\"plot\"><svg id=\""));

        // the page's JavaScript ranking (default W = 0.5, min top-1 0) equals the Java implementation
        Matcher m = Pattern.compile("<tbody id=\"ranking\"><tr data-name=\"([^\"]+)\"").matcher(dom);
        assertTrue(m.find(), "ranking table empty");
        List<Point> points = new Charts(Summary.rows(gpuenergy.results.ResultFile.read(Path.of(f + "baseline.json")).stream()
                        .map(b -> Row.of(b, "baseline.json")).toList()), List.of(),
                Catalog.read(Path.of(f + "catalog-fixture.csv")), null, null).accuracyPoints;
        assertEquals(Efficiency.rankByEfficiency(points, 0.5).get(0).point().name(), m.group(1));
        Matcher pj = Pattern.compile("<tbody id=\"per-joule\"><tr data-name=\"([^\"]+)\"").matcher(dom);
        assertTrue(pj.find(), "accuracy-per-joule table empty");
        assertEquals(Efficiency.rankByAccuracyPerJoule(points, 0).get(0).point().name(), pj.group(1));
        assertEquals(points.size(), count(dom, "<tr data-name=") / 2);
        assertFalse(dom.contains("-shown\""), "a ranking of fewer points than RANKED has no note of how many it shows");
    }

    /**
     * A ranking of more than {@link HtmlPage#RANKED} points (60 models x 3 engines: 180) shows its top RANKED rows, the
     * same as the Java ranking's, with a line under each table saying how many of how many; moving the weight re-ranks
     * them, and a minimum top-1 counts only the points at or above it and drops the line when RANKED or fewer remain.
     */
    @Test
    void eachRankingShowsItsTopPointsAndSaysHowManyOfHowMany() throws Exception {
        String browser = browser();
        Path in = tmp.resolve("study");
        List<Path> files = ReportScaleTest.study(in, 60);
        List<String> args = new ArrayList<>(files.stream().map(Path::toString).toList());
        Path dir = tmp.resolve("report");
        args.addAll(List.of("--out", dir.toString(), "--catalog", in.resolve("catalog.csv").toString()));
        ReportCommandTest r = new ReportCommandTest();
        assertEquals(0, r.report(args.toArray(String[]::new)), r.err.toString(StandardCharsets.UTF_8));
        List<Row> rows = new ArrayList<>();
        for (Path file : files) {
            gpuenergy.results.ResultFile.read(file).forEach(b -> rows.add(Row.of(b, file.getFileName().toString())));
        }
        List<Point> points = new Charts(Summary.rows(rows), List.of(), Catalog.read(in.resolve("catalog.csv")), null,
                null).accuracyPoints;
        int n = HtmlPage.RANKED;
        assertEquals(180, points.size());

        String html = Files.readString(dir.resolve("index.html"));
        String dom = dom(browser, dir.resolve("index.html"));
        assertNoErrors(dom, html);
        assertTop(Efficiency.rankByEfficiency(points, 0.5), dom, "ranking");
        assertTop(Efficiency.rankByAccuracyPerJoule(points, 0), dom, "per-joule");
        assertTrue(dom.contains("<p id=\"ranking-shown\">top " + n + " of <span>180</span> shown, the most a ranking "
                + "on this page shows: <a href=\"summary.md\">summary.md</a> ranks every point at W = 0.5.</p>"), dom);
        assertTrue(dom.contains("<p id=\"per-joule-shown\">" + HtmlPage.rankingCut(180, false) + "</p>"), dom);

        // the weight moved to 0.8 and a minimum top-1 of 73, which leaves 120 points
        Path moved = dir.resolve("moved.html");
        Files.writeString(moved, html.replace("</body>", "<script>" + set("weight", "0.8") + set("min-top1", "73")
                + "</script>\n</body>"));
        List<String> byWeight = top(Efficiency.rankByEfficiency(points, 0.8));
        assertFalse(byWeight.equals(top(Efficiency.rankByEfficiency(points, 0.5))), "the weight changes the ranking");
        List<Efficiency.Scored> above = Efficiency.rankByAccuracyPerJoule(points, 73);
        assertEquals(120, above.size());
        dom = dom(browser, moved);
        assertNoErrors(dom, html);
        assertTop(Efficiency.rankByEfficiency(points, 0.8), dom, "ranking");
        assertTop(above, dom, "per-joule");
        assertTrue(dom.contains("<p id=\"ranking-shown\">" + HtmlPage.rankingCut(180, true) + "</p>"), dom);
        assertTrue(dom.contains("<p id=\"per-joule-shown\">" + HtmlPage.rankingCut(120, false) + "</p>"), dom);

        // a minimum top-1 of 76 leaves 69 points: all are shown, and the line is hidden
        Files.writeString(moved, html.replace("</body>", "<script>" + set("min-top1", "76") + "</script>\n</body>"));
        List<Efficiency.Scored> few = Efficiency.rankByAccuracyPerJoule(points, 76);
        assertEquals(69, few.size());
        dom = dom(browser, moved);
        assertNoErrors(dom, html);
        assertTop(few, dom, "per-joule");
        assertEquals(n, names(dom, "ranking").size());
        assertTrue(dom.contains("<p id=\"per-joule-shown\" hidden=\"\">"), dom);
    }

    /** A script that sets the control's value and tells the page, as a user's move does. */
    private static String set(String id, String value) {
        return "(function(){var c=document.getElementById('" + id + "');c.value='" + value + "';"
                + "c.dispatchEvent(new Event('input'));})();";
    }

    /** The script finished drawing each of the page's plots, without an error. */
    private static void assertNoErrors(String dom, String html) {
        assertTrue(dom.contains("<body data-rendered=\"" + count(html, "<div class=\"plot\"><svg") + "\""), "script did not finish drawing: "
                + dom.substring(0, Math.min(600, dom.length())));
        assertFalse(Pattern.compile("<html[^>]*data-errors").matcher(dom).find(), "script errors: "
                + between(dom, "<ul id=\"errors\">", "</ul>"));
    }

    /** The table's rows are the first {@link HtmlPage#RANKED} ranked points, in order. */
    private static void assertTop(List<Efficiency.Scored> ranked, String dom, String tbody) {
        List<String> shown = names(dom, tbody);
        assertEquals(Math.min(HtmlPage.RANKED, ranked.size()), shown.size(), tbody + " rows");
        assertEquals(top(ranked), shown, tbody);
    }

    /** The names of the first {@link HtmlPage#RANKED} ranked points. */
    private static List<String> top(List<Efficiency.Scored> ranked) {
        return ranked.stream().limit(HtmlPage.RANKED).map(s -> s.point().name()).toList();
    }

    /** The names of the rows of a table body, in order. */
    private static List<String> names(String dom, String tbody) {
        Matcher m = Pattern.compile("<tr data-name=\"([^\"]+)\"").matcher(between(dom, "<tbody id=\"" + tbody + "\">", "</tbody>"));
        List<String> names = new ArrayList<>();
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    private static String between(String s, String a, String b) {
        int i = s.indexOf(a);
        return i < 0 ? "" : s.substring(i + a.length(), s.indexOf(b, i));
    }

    private static int count(String s, String what) {
        return s.split(Pattern.quote(what), -1).length - 1;
    }
}
