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
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens index.html in headless Chromium (--dump-dom: the DOM after the page's script ran) and checks that the
 * script finished without errors, all plots are there, and the script's ranking agrees with the Java one.
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

    @Test
    void pageRendersAllPlotsWithoutScriptErrors() throws Exception {
        String browser = chromium();
        if (browser == null) {
            if (Boolean.getBoolean("requireBrowser") || "true".equals(System.getenv("CI"))) {
                fail("CI or -DrequireBrowser=true, but no chromium, chromium-browser or google-chrome on PATH "
                        + "(Debian: apt-get install -y chromium)");
            }
            Assumptions.abort("no chromium on PATH; run with -DrequireBrowser=true to make this a failure");
        }
        Path dir = tmp.resolve("report");
        String f = ReportCommandTest.F;
        ReportCommandTest r = new ReportCommandTest();
        assertEquals(0, r.report(f + "baseline.json", f + "no-energy.json", "--out", dir.toString(),
                "--catalog", f + "catalog-fixture.csv"), r.err.toString(StandardCharsets.UTF_8));

        Process p = new ProcessBuilder(browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + tmp.resolve("profile"), "--dump-dom", dir.resolve("index.html").toUri().toString())
                .redirectError(tmp.resolve("chromium.log").toFile())
                .redirectOutput(tmp.resolve("dom.html").toFile())
                .start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("chromium did not finish within 120 s");
        }
        String dom = Files.readString(tmp.resolve("dom.html"));
        assertEquals(0, p.exitValue(), "chromium failed: " + Files.readString(tmp.resolve("chromium.log")));

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
    }

    private static String between(String s, String a, String b) {
        int i = s.indexOf(a);
        return i < 0 ? "" : s.substring(i + a.length(), s.indexOf(b, i));
    }

    private static int count(String s, String what) {
        return s.split(Pattern.quote(what), -1).length - 1;
    }
}
