package gpuenergy.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End to end on the hand-made fixtures (see src/test/resources/fixtures/README.md). */
class ReportCommandTest {
    static final String F = "src/test/resources/fixtures/";
    static final String[] FIGURES = {"batch-energy", "batch-throughput", "power", "accuracy", "reduction-pytorch-fp32-to-tensorrt-fp16", "naive"};

    @TempDir
    Path tmp;

    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    int report(String... args) {
        return ReportCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void writesSummaryPlotsAndPage() throws Exception {
        Path dir = tmp.resolve("report");
        assertEquals(0, report(F + "baseline.json", "--out", dir.toString(), "--catalog", F + "catalog-fixture.csv"),
                err.toString(StandardCharsets.UTF_8));

        List<String> csv = Files.readAllLines(dir.resolve("summary.csv"));
        assertEquals(1 + 24, csv.size());
        assertTrue(csv.get(0).startsWith("gpu,model,engine,batch,img_per_s,img_per_s_lo,img_per_s_hi,j_per_img"), csv.get(0));
        // exactly one best batch per model and engine, and it is the lowest J/img of its group
        Map<String, List<String[]>> groups = csv.subList(1, csv.size()).stream().map(l -> l.split(","))
                .collect(Collectors.groupingBy(c -> c[1] + "/" + c[2]));
        assertEquals(8, groups.size());
        for (List<String[]> g : groups.values()) {
            List<String[]> best = g.stream().filter(c -> c[13].equals("true")).toList();
            assertEquals(1, best.size());
            double bestJ = Double.parseDouble(best.get(0)[7]);
            assertTrue(g.stream().allMatch(c -> Double.parseDouble(c[7]) >= bestJ));
        }

        String md = Files.readString(dir.resolve("summary.md"));
        assertTrue(md.contains("| gpu | model | engine | batch | img/s | img/s 99.9% CI | J/img | J/img 99.9% CI | net J/img "
                + "| avg W | % of power limit | best batch | source | note |"), md);
        assertTrue(md.contains("geometric mean") && md.contains("4.02x, geometric std 1.55"), md);
        assertTrue(md.contains("naive estimate underestimates measured J/img by"), md);
        assertTrue(md.contains("## Efficiency score"), md);

        String html = Files.readString(dir.resolve("index.html"));
        for (String f : FIGURES) {
            assertTrue(html.contains("<div class=\"plot\"><svg id='" + f + "'"), f);
            byte[] bytes = Files.readAllBytes(dir.resolve(f + ".png"));
            assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(bytes, 4), f);
            BufferedImage png = ImageIO.read(dir.resolve(f + ".png").toFile());
            assertTrue(png.getWidth() > 500 && png.getHeight() > 250, f);
            assertTrue(distinctColours(png) > 5, f + ".png is not blank");
        }
        // namespace names (xmlns="http://www.w3.org/2000/svg", xmlns:xlink=...) are identifiers, never fetched
        assertFalse(html.replaceAll("xmlns(:\\w+)?='[^']*'", "").contains("http://"), "offline: no external references");
        assertFalse(html.contains("<script src"), "no external scripts");
    }

    /** The number of colours on a grid of every third pixel: a blank or one-colour image has one or two. */
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
    void throughputOnlyResultsStillReportAndSaySo() throws Exception {
        Path dir = tmp.resolve("r");
        assertEquals(0, report(F + "no-energy.json", "--out", dir.toString(), "--catalog", F + "catalog-fixture.csv"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("energy absent"), out.toString(StandardCharsets.UTF_8));
        String md = Files.readString(dir.resolve("summary.md"));
        assertTrue(md.contains("energy absent: the results have no energy metrics"), md);
        assertFalse(md.contains("**best**"), "no best batch without energy");
        assertTrue(Files.exists(dir.resolve("batch-throughput.png")));
    }

    @Test
    void aSweepDirectoryGlobWithItsNotRunListReports() throws Exception {
        // `report sweep/*.json` also matches sweep.notrun.json: read as the not-run list, listed once, not refused
        Path sweep = Files.createDirectories(tmp.resolve("sweep"));
        Files.copy(Path.of(F + "baseline.json"), sweep.resolve("m-pytorch-fp32-b1.json"));
        Path notRun = Files.writeString(sweep.resolve("sweep.notrun.json"), "[{\"benchmark\":\"b\",\"params\":"
                + "{\"batchSize\":\"8192\"},\"reason\":\"CUDA out of memory\",\"kind\":\"did-not-fit\"}]");
        Path dir = tmp.resolve("r");
        assertEquals(0, report(sweep.resolve("m-pytorch-fp32-b1.json").toString(), notRun.toString(), "--out", dir.toString(),
                "--catalog", F + "catalog-fixture.csv"), err.toString(StandardCharsets.UTF_8));
        String md = Files.readString(dir.resolve("summary.md"));
        String line = "b {batchSize=8192}: did-not-fit: CUDA out of memory";
        assertEquals(md.indexOf(line), md.lastIndexOf(line), md);
        assertTrue(md.contains(line), md);
    }

    @Test
    void badInputExitsTwoWithOneLine() throws Exception {
        Path notJmh = Files.writeString(tmp.resolve("not-jmh.json"), "[1, 2]");
        String outDir = tmp.resolve("x").toString();
        assertBad("no such file", F + "missing.json", "--out", outDir);
        assertBad("entry 0 is not a JMH result", notJmh.toString(), "--out", outDir);
        assertBad("no --out DIR given", F + "baseline.json");
        assertBad("no result file given", "--out", outDir);
        Path notRunOnly = Files.writeString(tmp.resolve("sweep.notrun.json"), "[]");
        assertBad("no result file given, only lists of benchmarks not run (" + notRunOnly + ")", notRunOnly.toString(),
                "--out", outDir);
        assertBad("missing.notrun.json: no such file (--strict)", F + "baseline.json", F + "missing.notrun.json", "--out", outDir,
                "--strict");
        assertBad("no such catalog file", F + "baseline.json", "--out", outDir, "--catalog", F + "none.csv");
        assertBad("not a model catalog", F + "baseline.json", "--out", outDir, "--catalog", F + "baseline.json");
        assertBad("bad --engines", F + "baseline.json", "--out", outDir, "--engines", "onlyone");
        assertBad("--reference needs a value", F + "baseline.json", "--out", outDir, "--reference");
        assertBad("missing-reference.json: no such reference file", F + "baseline.json", "--out", outDir,
                "--reference", F + "missing-reference.json");
        assertBad("baseline.json: not a Python-eager reference file (the top level is not a JSON object); expected the "
                + "JSON python_eager_reference.py writes", F + "baseline.json", "--out", outDir, "--reference", F + "baseline.json");
        Path bf16 = Files.writeString(tmp.resolve("bf16.json"), "{\"environment\": {\"gpu\": \"NVIDIA H100 80GB HBM3\"}, "
                + "\"results\": [{\"error\": \"out of memory\", \"model\": \"resnet50\", \"precision\": \"bf16\", \"batch\": 16}]}");
        assertBad("results[0] has precision 'bf16', accepted: fp32, fp16", F + "baseline.json", "--out", outDir,
                "--reference", bf16.toString());
        // a real reference file with one measured field taken out
        JsonObject ref = JsonParser.parseString(Files.readString(Path.of(ValidationTest.V + ValidationTest.REFERENCES[0])))
                .getAsJsonObject();
        ref.getAsJsonArray("results").get(1).getAsJsonObject().remove("j_per_img");
        Path noJ = Files.writeString(tmp.resolve("no-j.json"), ref.toString());
        assertBad("no-j.json: not a Python-eager reference file (results[1] has no \"j_per_img\")", F + "baseline.json",
                "--out", outDir, "--reference", noJ.toString());
        assertFalse(Files.exists(tmp.resolve("x")), "nothing written for bad input");
    }

    /**
     * A study's directory may hold the file of a killed run or of a run that measured nothing: the report skips each
     * unusable input with one line naming it and reports the rest; --strict refuses instead.
     */
    @Test
    void unusableInputsAreSkippedWithOneLineEachAndTheRestIsReported() throws Exception {
        Path empty = Files.writeString(tmp.resolve("killed.json"), "");
        Path none = Files.writeString(tmp.resolve("nothing.json"), "[]");
        Path torn = Files.writeString(tmp.resolve("torn.json"), "[{\"benchmark\": \"x\",\n  \"params\": {");
        Path directory = Files.createDirectories(tmp.resolve("adir.json"));
        Path outDir = tmp.resolve("report");
        assertEquals(0, report(F + "baseline.json", empty.toString(), none.toString(), torn.toString(), directory.toString(),
                "--out", outDir.toString()));
        List<String> lines = err.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(List.of(
                "report: skipped " + empty + ": is empty (0 bytes; a run killed before it wrote anything leaves such a file); "
                        + "expected the JSON array JMH writes with -rf json",
                "report: skipped " + none + ": contains no benchmark results (empty array)",
                "report: skipped " + torn + ": not valid JSON at line 2, column 14; expected the JSON array JMH writes with -rf json",
                "report: skipped " + directory + ": is a directory, not a file"), lines);
        assertTrue(Files.readString(outDir.resolve("summary.md")).contains("Inputs (under `"), "the rest is reported");
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("24 benchmark(s) from 1 file(s) (4 skipped)"), out.toString());

        assertBad(empty + ": is empty", empty.toString(), "--out", outDir.toString());
        assertBad("killed.json: is empty (0 bytes", F + "baseline.json", empty.toString(), "--out", tmp.resolve("s").toString(),
                "--strict");
        err.reset();
        assertEquals(2, report(empty.toString(), none.toString(), "--out", outDir.toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).endsWith("report: no usable result file among the 2 inputs\n"),
                err.toString());
    }

    @Test
    void helpIsUsageAndExitsZero() {
        assertEquals(0, report("-h"));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith(ReportCommand.USAGE + "\n"), out.toString());
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("--strict"), out.toString());
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }

    /** An --out the report cannot be written to is the machine's I/O error, not bad input: exit 1, as sweep and overhead. */
    @Test
    void anUnwritableOutIsOneLineAndExitOne() throws Exception {
        Path file = Files.writeString(tmp.resolve("afile"), "");
        err.reset();
        assertEquals(1, report(F + "baseline.json", "--out", file.toString(), "--catalog", F + "catalog-fixture.csv"));
        String e = err.toString(StandardCharsets.UTF_8);
        assertTrue(e.startsWith("report: cannot write the report ("), e);
        assertTrue(e.contains(file.toString()), e);
        assertEquals(1, e.lines().count(), "one line, no stack trace: " + e);
    }

    private void assertBad(String expected, String... args) {
        err.reset();
        assertEquals(2, report(args));
        String e = err.toString(StandardCharsets.UTF_8);
        assertTrue(e.contains(expected), e);
        assertEquals(1, e.lines().count(), "one line, no stack trace: " + e);
    }
}
