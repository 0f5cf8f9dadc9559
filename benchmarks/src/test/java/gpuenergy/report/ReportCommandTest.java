package gpuenergy.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import gpuenergy.results.NotRun;
import gpuenergy.results.NotRunList;
import gpuenergy.run.DirectoryLock;
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
import java.util.LinkedHashMap;
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

    /**
     * A result of energy:interleave=true has energy from its sampled windows only, and its img/s is of them too: the
     * row says so, and it is not listed as energy from fewer iterations than throughput.
     */
    @Test
    void anInterleavedResultSaysItsFiguresComeFromTheSampledWindows() throws Exception {
        Path dir = tmp.resolve("report");
        assertEquals(0, report("src/test/resources/h100/interleaved-tensorrt-fp16-b16.json", "--out", dir.toString()),
                err.toString(StandardCharsets.UTF_8));
        String md = Files.readString(dir.resolve("summary.md"));
        assertTrue(md.contains("| img/s and energy from the 8 sampled of 16 iterations |"), md);
        assertFalse(md.contains("Energy from fewer iterations than throughput"), md);
        assertTrue(Files.readString(dir.resolve("summary.csv")).contains(
                ",img/s and energy from the 8 sampled of 16 iterations"), md);
    }

    /** An engine is any text in a result: one with a '/' or a quote still names a figure file inside DIR. */
    @Test
    void anEngineNameThatIsNoFileNameStillGivesTheReductionFigure() throws Exception {
        Path odd = tmp.resolve("odd-engine.json");
        Files.writeString(odd, Files.readString(Path.of(F + "baseline.json")).replace("\"tensorrt-fp16\"",
                "\"../trt/\\\"fp16\\\"\""));
        Path dir = tmp.resolve("report");
        assertEquals(0, report(odd.toString(), "--out", dir.toString()), err.toString(StandardCharsets.UTF_8));
        assertTrue(Files.exists(dir.resolve("reduction-pytorch-fp32-to-___trt__fp16_.png")), String.join(", ",
                Files.readAllLines(dir.resolve("report-files.txt"))));
        String html = Files.readString(dir.resolve("index.html"));
        assertTrue(html.contains("<a href=\"reduction-pytorch-fp32-to-___trt__fp16_.png\">"), html);
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
        // a study this small has every figure drawn, its input files listed and every row in the summary table
        assertFalse(html.contains("data:image/png"), "no figure as an image");
        assertTrue(html.contains("<li>baseline.json</li>"), "the input file listed");
        assertTrue(html.contains("<th>img/s 99.9% CI</th>") && !html.contains("rows, more than"),
                "the summary table");
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
        assertTrue(md.contains("- no result has a J/img (not run with the energy profiler); only throughput is shown\n"), md);
        // as the sweep's summary picks it: the highest img/s, and the note says why
        assertTrue(md.contains("| **best** | no-energy.json | best batch: no energy measured (no energy.J/img; not run with "
                + "the energy profiler): ranked by img/s |"), md);
        assertTrue(Files.exists(dir.resolve("batch-throughput.png")));
    }

    /** no-energy.json as results of the CPU (device=cpu), written as tmp/cpu.json. */
    private Path resultsOfTheCpu() throws Exception {
        JsonArray all = JsonParser.parseString(Files.readString(Path.of(F + "no-energy.json"))).getAsJsonArray();
        all.forEach(e -> e.getAsJsonObject().getAsJsonObject("params").addProperty("device", "cpu"));
        return Files.writeString(tmp.resolve("cpu.json"), all.toString());
    }

    /**
     * Results of the CPU have no energy to measure, and the energy profiler does not load on a machine without a GPU:
     * the report says where they ran rather than telling to run the profiler.
     */
    @Test
    void throughputOnlyResultsOfTheCpuSayTheyRanOnTheCpu() throws Exception {
        Path cpu = resultsOfTheCpu();
        Path dir = tmp.resolve("r");
        assertEquals(0, report(cpu.toString(), "--out", dir.toString(), "--catalog", F + "catalog-fixture.csv"),
                err.toString(StandardCharsets.UTF_8));
        String md = Files.readString(dir.resolve("summary.md"));
        assertTrue(md.contains("- no result has a J/img (measured on the CPU); only throughput is shown\n"), md);
        String html = Files.readString(dir.resolve("index.html"));
        assertFalse(md.contains("with the energy profiler") || html.contains("with the energy profiler"), md);
    }

    /**
     * A report of results of the CPU marks the best batch the sweep's summary names (the highest img/s, no J/img being
     * measured there), with the sweep's note, in summary.csv, summary.md and index.html's best-batch table.
     */
    @Test
    void aReportOfTheCpuMarksTheFastestBatchBestAsTheSweepDoes() throws Exception {
        Path cpu = resultsOfTheCpu();
        Path dir = tmp.resolve("r");
        assertEquals(0, report(cpu.toString(), "--out", dir.toString()), err.toString(StandardCharsets.UTF_8));
        String note = "best batch: no energy measured (no energy.J/img; measured on the CPU): ranked by img/s";
        List<String> csv = Files.readAllLines(dir.resolve("summary.csv"));
        // the note, the last column, holds no comma: the row splits into its 17 columns
        Map<String, List<String[]>> groups = csv.subList(1, csv.size()).stream().map(l -> l.split(",", 17))
                .collect(Collectors.groupingBy(c -> c[1] + "/" + c[2]));
        assertEquals(8, groups.size());
        for (List<String[]> g : groups.values()) {
            List<String[]> best = g.stream().filter(c -> c[13].equals("true")).toList();
            assertEquals(1, best.size(), csv.toString());
            double rate = Double.parseDouble(best.get(0)[4]);
            assertTrue(g.stream().allMatch(c -> Double.parseDouble(c[4]) <= rate), csv.toString());
            assertEquals(note, best.get(0)[16]);
        }
        String md = Files.readString(dir.resolve("summary.md"));
        assertTrue(md.contains("## Best batch per model"), md);
        assertTrue(md.contains("| cpu | fixture-small | 64 (" + Ladders.NOT_FINISHED + ") | " + BestBatchTable.BY_IMG_PER_SEC
                + " | 64 (" + Ladders.NOT_FINISHED + ") | " + BestBatchTable.BY_IMG_PER_SEC + " |"), md);
        String html = Files.readString(dir.resolve("index.html"));
        assertTrue(html.contains("<section id=\"best-batch\">") && html.contains(BestBatchTable.BY_IMG_PER_SEC), html);
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

    /** The unreadable list's line names it as the input lines name the result beside it: as given, not absolute. */
    @Test
    void anUnreadableNotRunListIsNamedAsGiven() throws Exception {
        Path relative = Path.of("").toAbsolutePath().relativize(tmp);
        Files.copy(Path.of(F + "baseline.json"), tmp.resolve("r.json"));
        Files.writeString(tmp.resolve("r.notrun.json"), "{not json");
        err.reset();
        assertEquals(0, report(relative.resolve("r.json").toString(), "--out", tmp.resolve("rep").toString(),
                "--catalog", F + "catalog-fixture.csv"));
        String e = err.toString(StandardCharsets.UTF_8);
        assertTrue(e.startsWith("report: " + relative.resolve("r.notrun.json") + ": not "), e);
    }

    /**
     * An unreadable list of benchmarks not run is one line on the console as well as in the summary (the report must not
     * hide that something was not measured), and --strict refuses it, as an unusable result. The summary names it as it
     * names the inputs, relative to their directory, not by its path on this machine.
     */
    @Test
    void anUnreadableNotRunListIsSaidOnTheConsoleAndRefusedUnderStrict() throws Exception {
        Path run = Files.copy(Path.of(F + "baseline.json"), tmp.resolve("r.json"));
        Path list = Files.writeString(tmp.resolve("r.notrun.json"), "{not json");
        err.reset();
        Path dir = tmp.resolve("rep");
        assertEquals(0, report(run.toString(), "--out", dir.toString(), "--catalog", F + "catalog-fixture.csv"));
        String e = err.toString(StandardCharsets.UTF_8);
        assertEquals(1, e.lines().count(), e);
        assertTrue(e.startsWith("report: " + list + ": not "), e);
        assertTrue(e.strip().endsWith("; the summary lists it as unreadable"), e);
        String md = Files.readString(dir.resolve("summary.md"));
        assertTrue(md.contains("Inputs (under `" + tmp + "`): r.json\n"), md);
        assertTrue(md.contains("\n- r.notrun.json: unreadable list of benchmarks not run ("), md);
        assertFalse(md.contains(list.toString()), md);
        assertBad(list + ": not ", run.toString(), "--out", tmp.resolve("strict").toString(), "--catalog",
                F + "catalog-fixture.csv", "--strict");
        assertTrue(err.toString(StandardCharsets.UTF_8).strip().endsWith("(--strict)"), err.toString(StandardCharsets.UTF_8));
        assertFalse(Files.exists(tmp.resolve("strict").resolve("summary.md")), "nothing written under --strict");
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
        assertBad("--strict is given 2 times: give it once", F + "baseline.json", "--strict", "--out", outDir, "--strict");
        assertBad("no such catalog file", F + "baseline.json", "--out", outDir, "--catalog", F + "none.csv");
        assertBad("not a model catalog", F + "baseline.json", "--out", outDir, "--catalog", F + "baseline.json");
        assertBad("bad --engines", F + "baseline.json", "--out", outDir, "--engines", "onlyone");
        assertBad("--reference needs a value", F + "baseline.json", "--out", outDir, "--reference");
        // an unset shell variable (--reference "$REF") is refused, not read as the working directory
        assertBad("report: --reference is given empty: give a value", F + "baseline.json", "--out", outDir,
                "--reference", F + "baseline.json", "--reference", "");
        assertBad("report: --reference is given empty: give a value", F + "baseline.json", "--out", outDir, "--reference", " ");
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
     * A result file skipped as unusable (a torn file in a sweep's directory, a killed run's empty file) is listed under
     * "Not run" with its line, as an unreadable not-run list is: a reader of summary.md or index.html, not of the
     * console, must learn that a measured batch is not in the report.
     */
    @Test
    void aSkippedResultFileIsListedInTheSummary() throws Exception {
        Path sweep = Files.createDirectories(tmp.resolve("sweep"));
        Files.writeString(sweep.resolve("sweep.jsonl"), "");
        Files.copy(Path.of(ValidationTest.V + "resnet50-pytorch-fp32-b16.json"),
                sweep.resolve("resnet50-pytorch-fp32-b16.json"));
        Files.writeString(sweep.resolve("resnet50-pytorch-fp32-b32.json"), "[{\"benchmark\": \"x\", ");
        Path empty = Files.writeString(tmp.resolve("killed.json"), "");
        Path dir = tmp.resolve("r");
        assertEquals(0, report(sweep.toString(), empty.toString(), "--out", dir.toString()),
                err.toString(StandardCharsets.UTF_8));
        String md = Files.readString(dir.resolve("summary.md"));
        String torn = "- sweep/resnet50-pytorch-fp32-b32.json: skipped: not valid JSON at line 1";
        String killed = "- killed.json: skipped: is empty (0 bytes";
        assertTrue(md.contains("## Not run\n"), md);
        assertTrue(md.contains(torn), md);
        assertTrue(md.contains(killed), md);
        String html = Files.readString(dir.resolve("index.html"));
        assertTrue(html.contains("sweep/resnet50-pytorch-fp32-b32.json: skipped: not valid JSON"), html);
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
                "report: skipped " + directory + ": is a directory but not a sweep's (no sweep.jsonl, sweep-settings.json or "
                        + "shard-I-of-N parts); pass its result files, e.g. " + directory.resolve("*.json")), lines);
        assertTrue(Files.readString(outDir.resolve("summary.md")).contains("Inputs (under `"), "the rest is reported");
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("24 benchmarks from 1 file (4 skipped)"), out.toString());

        assertBad(empty + ": is empty", empty.toString(), "--out", outDir.toString());
        String alone = err.toString(StandardCharsets.UTF_8).strip();
        assertBad("killed.json: is empty (0 bytes", F + "baseline.json", empty.toString(), "--out", tmp.resolve("s").toString(),
                "--strict");
        assertTrue(err.toString(StandardCharsets.UTF_8).strip().endsWith(" (--strict)"), err.toString());
        err.reset();
        assertEquals(2, report(empty.toString(), none.toString(), "--out", outDir.toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).endsWith("report: no usable result file among the 2 inputs\n"),
                err.toString());
        // docs/report.md quotes the line of an empty file as it is skipped beside others and as it is refused alone
        String doc = String.join(" ", Files.readAllLines(gpuenergy.DocExamples.ROOT.resolve("docs/report.md")));
        for (String line : List.of(lines.get(0), alone)) {
            String quoted = line.replace(empty.toString(), "FILE");
            quoted = "`" + quoted.substring(0, quoted.indexOf("(0 bytes") + "(0 bytes".length()) + " ...)`";
            assertTrue(doc.contains(quoted), quoted);
        }
    }

    /**
     * A result whose figures no measurement gives (here a real H100 result with one throughput iteration NaN) is
     * unusable as any other: alone, one line and exit 2; beside others, skipped with one line.
     */
    @Test
    void aResultWithAFigureNoMeasurementGivesIsUnusable() throws Exception {
        JsonObject entry = JsonParser.parseString(Files.readString(Path.of("src/test/resources/h100/fp16-b128-on-1.json")))
                .getAsJsonArray().get(0).getAsJsonObject();
        entry.getAsJsonObject("primaryMetric").getAsJsonArray("rawData").get(0).getAsJsonArray()
                .set(1, new com.google.gson.JsonPrimitive("NaN"));
        Path nan = Files.writeString(tmp.resolve("nan.json"), "[" + entry + "]");
        String line = nan + ": gpuenergy.bench.InferenceBenchmark.infer {batchSize=128, device=auto, engine=pytorch-fp16, "
                + "model=resnet50}: primaryMetric.rawData[0][1] is NaN; an iteration's throughput is a finite number > 0";
        assertBad(line, nan.toString(), "--out", tmp.resolve("alone").toString());
        entry.add("secondaryMetrics", new com.google.gson.JsonArray());
        Path shape = Files.writeString(tmp.resolve("shape.json"), "[" + entry + "]");
        err.reset();
        assertEquals(0, report(F + "baseline.json", nan.toString(), shape.toString(), "--out", tmp.resolve("r").toString()));
        assertEquals(List.of("report: skipped " + line, "report: skipped " + shape + ": entry 0 is not a JMH result "
                + "(secondaryMetrics is an array, expected an object); expected the JSON array JMH writes with -rf json"),
                err.toString(StandardCharsets.UTF_8).lines().toList());
    }

    /**
     * A J/img the energy profiler could not measure in an iteration (NaN there, so NaN for the run, as it writes it) is
     * unknown, not absent: the row's note says in how many iterations, and the report does not tell to run the profiler
     * that measured it.
     */
    @Test
    void aJoulesPerImageTheProfilerCouldNotMeasureIsUnknownNotAbsent() throws Exception {
        Path nan = gpuenergy.RecordedResults.joulesPerImageUnmeasured(tmp);
        Path dir = tmp.resolve("report");
        assertEquals(0, report(nan.toString(), "--out", dir.toString()), err.toString(StandardCharsets.UTF_8));
        String md = Files.readString(dir.resolve("summary.md"));
        // its only batch is the best by img/s, and the note says why it has no J/img
        assertTrue(md.contains("| **best** | nan.json | J/img unknown (NaN) in 1 of 3 iterations: the energy profiler could not "
                + "measure them; best batch: no energy measured (no energy.J/img; the energy profiler could not measure it): "
                + "ranked by img/s |"), md);
        assertTrue(md.contains("- no result has a J/img (the energy profiler could not measure it); only throughput is "
                + "shown\n"), md);
        assertFalse(md.contains("with the energy profiler"), md);
        assertTrue(Files.readString(dir.resolve("summary.csv")).contains(",nan.json,true,J/img unknown (NaN) in 1 of 3"));
    }

    /**
     * A result of another JMH benchmark, without the suite's model and engine parameters, would be a row with no name:
     * its entries are left out with one line naming the file and the benchmark, as an unusable file is skipped (the
     * rest reported, exit 0; alone, exit 2; --strict refuses it).
     */
    @Test
    void entriesOfAnotherBenchmarkAreLeftOutWithOneLine() throws Exception {
        JsonArray entries = JsonParser.parseString(Files.readString(Path.of(F + "baseline.json"))).getAsJsonArray();
        JsonObject other = entries.get(0).getAsJsonObject().deepCopy();
        other.addProperty("benchmark", "org.example.HashBenchmark.hash");
        JsonObject params = new JsonObject();
        params.addProperty("size", "1024");
        other.add("params", params);
        entries.add(other);
        Path mixed = Files.writeString(tmp.resolve("mixed.json"), entries.toString());
        String leftOut = mixed + ": org.example.HashBenchmark.hash: no model, engine or batchSize parameter, as the suite's results "
                + "have (a result of another benchmark); 1 of 25 entries left out";
        Path dir = tmp.resolve("r");
        assertEquals(0, report(mixed.toString(), "--out", dir.toString()), err.toString(StandardCharsets.UTF_8));
        assertEquals(List.of("report: skipped " + leftOut), err.toString(StandardCharsets.UTF_8).lines().toList());
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("24 benchmarks from 1 file (1 skipped)"), out.toString());
        List<String> csv = Files.readAllLines(dir.resolve("summary.csv"));
        assertEquals(1 + 24, csv.size(), "the suite's entries reported, the other benchmark's not");
        assertTrue(csv.stream().allMatch(l -> !l.split(",", -1)[1].isEmpty() && !l.split(",", -1)[2].isEmpty()), csv.toString());
        assertBad(leftOut + " (--strict)", mixed.toString(), "--out", tmp.resolve("strict").toString(), "--strict");
        assertFalse(Files.exists(tmp.resolve("strict").resolve("summary.md")), "nothing written under --strict");

        // a file of such entries only: skipped beside others, refused alone; an entry with a model and no engine too
        JsonObject noEngine = entries.get(0).getAsJsonObject().deepCopy();
        noEngine.getAsJsonObject("params").remove("engine");
        JsonArray none = new JsonArray();
        none.add(other);
        none.add(noEngine);
        Path unnamed = Files.writeString(tmp.resolve("unnamed.json"), none.toString());
        String line = unnamed + ": org.example.HashBenchmark.hash, gpuenergy.bench.InferenceBenchmark.infer: no model, "
                + "engine or batchSize parameter, as the suite's results have (a result of another benchmark); all its 2 entries left out";
        err.reset();
        assertEquals(0, report(F + "baseline.json", unnamed.toString(), "--out", tmp.resolve("r2").toString()));
        assertEquals(List.of("report: skipped " + line), err.toString(StandardCharsets.UTF_8).lines().toList());
        assertBad("report: " + line + "\n", unnamed.toString(), "--out", tmp.resolve("r3").toString());
        none.remove(0);
        Files.writeString(unnamed, none.toString());
        assertBad(unnamed + ": gpuenergy.bench.InferenceBenchmark.infer: no engine parameter, as the suite's results have "
                + "(a result of another benchmark); its entry left out", unnamed.toString(), "--out", tmp.resolve("r3").toString());
    }

    /**
     * An entry with a model and an engine but no batchSize is not a known number of images an operation: read, its
     * ops/s would be shown as img/s at batch 1. It is left out with its line, as an entry of another benchmark is.
     */
    @Test
    void anEntryWithoutABatchSizeIsLeftOutWithOneLine() throws Exception {
        JsonArray entries = JsonParser.parseString(Files.readString(Path.of(F + "baseline.json"))).getAsJsonArray();
        entries.get(0).getAsJsonObject().getAsJsonObject("params").remove("batchSize");
        Path file = Files.writeString(tmp.resolve("no-batch.json"), entries.toString());
        Path dir = tmp.resolve("r");
        assertEquals(0, report(file.toString(), "--out", dir.toString()), err.toString(StandardCharsets.UTF_8));
        assertEquals(List.of("report: skipped " + file + ": gpuenergy.bench.InferenceBenchmark.infer: no batchSize "
                + "parameter, as the suite's results have (a result of another benchmark); 1 of 24 entries left out"),
                err.toString(StandardCharsets.UTF_8).lines().toList());
        assertEquals(1 + 23, Files.readAllLines(dir.resolve("summary.csv")).size());
    }

    @Test
    void helpIsUsageAndExitsZero() {
        assertEquals(0, report("-h"));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith(ReportCommand.USAGE + "\n"), out.toString());
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("--strict"), out.toString());
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("2 no usable result file, any unusable under --strict"),
                out.toString());
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }

    /** A JMH CSV result or a sweep's own summary.csv in --out is never written over: refused, nothing written. */
    @Test
    void neverWritesOverAFileNoReportWrote() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("m"));
        Path input = Files.copy(Path.of(F + "baseline.json"), dir.resolve("summary.json"));
        Path jmhCsv = Files.writeString(dir.resolve("summary.csv"), "\"Benchmark\",\"Mode\"\n");
        assertBad("--out " + dir + " holds summary.csv, not written by a report (no report-files.txt there lists it)",
                input.toString(), "--out", dir.toString());
        assertEquals("\"Benchmark\",\"Mode\"\n", Files.readString(jmhCsv));
        assertEquals(Set.of("summary.json", "summary.csv"), Files.list(dir).map(p -> p.getFileName().toString())
                .collect(Collectors.toSet()), "nothing written");

        Path sweep = Files.createDirectories(tmp.resolve("sweep"));
        Files.writeString(sweep.resolve("sweep.jsonl"), "");
        Files.copy(Path.of(F + "baseline.json"), sweep.resolve("m-pytorch-fp32-b1.json"));
        assertBad("--out " + sweep + " is a sweep's directory; give a directory of its own, e.g. --out "
                + sweep.resolve("report"), sweep.toString(), "--out", sweep.toString());
    }

    /**
     * A glob lists NAME.earlier.json (an earlier run's result, set aside by a later run of that name) before NAME.json:
     * the later run's is plotted all the same; a J/img neither run measured is said to be not measured, not printed
     * as n/a figures; no interval goes below 0.
     */
    @Test
    void anEarlierRunsResultIsNeverPlottedOverTheLaterOne() throws Exception {
        Path runs = Files.createDirectories(tmp.resolve("runs"));
        Path earlier = Files.copy(Path.of(F + "no-energy.json"), runs.resolve("run.earlier.json"));
        Path later = Files.copy(Path.of(F + "no-energy.json"), runs.resolve("run.json"));
        Path dir = tmp.resolve("r");
        assertEquals(0, report(earlier.toString(), later.toString(), "--out", dir.toString()), err.toString(StandardCharsets.UTF_8));
        String md = Files.readString(dir.resolve("summary.md"));
        assertTrue(md.contains(": plotted from run.json ("), md);
        assertFalse(md.contains(": plotted from run.earlier.json"), md);
        String line = md.lines().filter(l -> l.contains(": plotted from run.json (")).findFirst().orElseThrow();
        assertTrue(line.matches(".*: plotted from run\\.json \\([0-9.]+ img/s, J/img not measured\\); also measured in "
                + "run\\.earlier\\.json \\([0-9.]+ img/s, \\+0\\.0 %; J/img not measured\\): listed, not plotted, "
                + "not averaged"), line);
        assertTrue(Files.readString(dir.resolve("index.html")).contains("J/img not measured); also measured in"));
        assertEquals("[0, 10.00]", Summary.interval(-974.7, 10));
        assertEquals(0, Summary.atLeastZero(-974.7));
    }

    /**
     * A run with energy measured twice, once without: the J/img of the run without is said to be not measured, and no
     * change of J/img is given, whichever run is plotted.
     */
    @Test
    void aDuplicateWithoutEnergyHasItsJoulesPerImageSaidNotMeasured() throws Exception {
        List<Row> rows = new java.util.ArrayList<>();
        for (String f : List.of("baseline.json", "no-energy.json")) {
            gpuenergy.results.ResultFile.read(Path.of(F + f)).forEach(r -> rows.add(Row.of(r, f)));
        }
        String first = Summary.duplicates(Summary.rows(rows)).get(0);
        assertTrue(first.matches(".*: plotted from baseline\\.json \\([0-9.]+ img/s, [0-9.]+ J/img\\); also measured in "
                + "no-energy\\.json \\([0-9.]+ img/s, [-+][0-9.]+ %; J/img not measured\\): listed.*"), first);
        java.util.Collections.reverse(rows);
        String reversed = Summary.duplicates(Summary.rows(rows)).get(0);
        assertTrue(reversed.matches(".*: plotted from no-energy\\.json \\([0-9.]+ img/s, J/img not measured\\); also "
                + "measured in baseline\\.json \\([0-9.]+ img/s, [-+][0-9.]+ %; [0-9.]+ J/img\\): listed.*"), reversed);
    }

    /** A report written before manifests (its summary.md's title, no report-files.txt) is replaced, not refused. */
    @Test
    void aReportWithoutManifestIsReplacedAndOtherFilesKept() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("old"));
        Files.writeString(dir.resolve("summary.md"), ReportFiles.TITLE + "\n\nInputs: an older report\n");
        Files.writeString(dir.resolve("index.html"), "<html></html>");
        Path notes = Files.writeString(dir.resolve("notes.txt"), "mine");
        assertEquals(0, report(F + "baseline.json", "--out", dir.toString()), err.toString(StandardCharsets.UTF_8));
        assertEquals("report: --out " + dir + " holds a report without report-files.txt; its files of the names this"
                + " report writes are replaced, any other file is left\n", err.toString(StandardCharsets.UTF_8));
        assertFalse(Files.readString(dir.resolve("summary.md")).contains("an older report"));
        assertTrue(Files.exists(dir.resolve("report-files.txt")));
        assertEquals("mine", Files.readString(notes));

        // a summary.md of anyone else's is still refused
        Path other = Files.createDirectories(tmp.resolve("other"));
        Files.writeString(other.resolve("summary.md"), "# my notes\n");
        assertBad("--out " + other + " holds summary.md, not written by a report", F + "baseline.json", "--out", other.toString());
    }

    /** A rerun replaces the files its manifest lists and removes those it does not write again; no other file. */
    @Test
    void aRerunRemovesItsOwnStaleFilesAndNoOther() throws Exception {
        Path dir = tmp.resolve("r");
        assertEquals(0, report(F + "baseline.json", "--out", dir.toString(), "--reference",
                ValidationTest.V + ValidationTest.REFERENCES[0]), err.toString(StandardCharsets.UTF_8));
        assertTrue(Files.exists(dir.resolve("validation.csv")));
        assertTrue(Files.exists(dir.resolve("reduction-pytorch-fp32-to-tensorrt-fp16.png")));
        Path mine = Files.writeString(dir.resolve("notes.png"), "mine");
        assertEquals(0, report(ValidationTest.V + "resnet50-pytorch-fp32-b16.json", "--out", dir.toString()),
                err.toString(StandardCharsets.UTF_8));
        assertFalse(Files.exists(dir.resolve("validation.csv")), "stale validation removed");
        assertFalse(Files.exists(dir.resolve("reduction-pytorch-fp32-to-tensorrt-fp16.png")), "stale figure removed");
        assertEquals("mine", Files.readString(mine), "another's file kept");
        List<String> listed = Files.readAllLines(dir.resolve("report-files.txt"));
        assertEquals(Files.list(dir).map(p -> p.getFileName().toString()).filter(n -> !n.equals("notes.png")
                && !n.equals("report-files.txt")).collect(Collectors.toSet()), Set.copyOf(listed.subList(1, listed.size())));
    }

    /**
     * A rerun that cannot be written (here a file-size limit, ulimit -f, on a report of the H100 study's sweep whose
     * index.html is larger than it, as a full disk stops one) fails before any of its files replaces the earlier
     * report's: every one of those is left as it was, none torn and none beside a file of the new report, and the line
     * names the file that could not be written. Writing them one after another left the earlier summary.md replaced
     * and index.html cut at the limit.
     */
    @Test
    void aRerunThatCannotBeWrittenLeavesTheEarlierReportAsItWas() throws Exception {
        Path dir = tmp.resolve("r");
        assertEquals(0, report(ValidationTest.V + "resnet50-pytorch-fp32-b16.json", "--out", dir.toString()),
                err.toString(StandardCharsets.UTF_8));
        Map<String, byte[]> earlier = new java.util.TreeMap<>();
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                earlier.put(f.getFileName().toString(), Files.readAllBytes(f));
            }
        }
        assertTrue(earlier.get("index.html").length < 100 * 1024, "the earlier report fits under the limit");

        Process child = new ProcessBuilder("bash", "-c", "ulimit -f 100 && exec \"$@\"", "bash",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), gpuenergy.cli.Main.class.getName(), "report",
                "src/test/resources/h100/study/sweep", "--out", dir.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String stderr = new String(child.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(300, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(1, child.exitValue(), stderr);

        Map<String, byte[]> after = new java.util.TreeMap<>();
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                after.put(f.getFileName().toString(), Files.readAllBytes(f));
            }
        }
        assertEquals(earlier.keySet(), after.keySet(), "no copy left, no new file beside the earlier ones");
        earlier.forEach((name, bytes) -> {
            if (!name.equals("report-files.txt")) {
                assertArrayEquals(bytes, after.get(name), name);
            }
        });
        assertEquals("report: cannot write the report (file too large: " + dir.resolve("index.html") + ")\n", stderr);
        // the manifest lists the new report's names too: a rerun owns them whichever files it finds
        List<String> listed = Files.readAllLines(dir.resolve("report-files.txt"));
        assertTrue(listed.containsAll(List.of("summary.md", "index.html", "reduction-pytorch-fp32-to-pytorch-fp16.png")),
                listed.toString());
    }

    /**
     * A name the earlier report's manifest lists that has become a directory (here index.html, the last file a report
     * renames) is refused before anything is replaced: renaming a file over it fails, and failing there left the new
     * summary.md, summary.csv and figures beside the earlier index.html.
     */
    @Test
    void aListedNameThatIsNowADirectoryIsRefusedBeforeAnyFileIsReplaced() throws Exception {
        Path dir = tmp.resolve("r");
        assertEquals(0, report(F + "baseline.json", "--out", dir.toString()), err.toString(StandardCharsets.UTF_8));
        Files.delete(dir.resolve("index.html"));
        Files.writeString(Files.createDirectories(dir.resolve("index.html")).resolve("mine.txt"), "mine");
        Map<String, byte[]> earlier = new java.util.TreeMap<>();
        try (var files = Files.list(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                earlier.put(f.getFileName().toString(), Files.readAllBytes(f));
            }
        }
        assertBad("--out " + dir + " holds a directory index.html where the report writes a file; move it away or give"
                + " another --out", ValidationTest.V + "resnet50-pytorch-fp32-b16.json", "--out", dir.toString());
        try (var files = Files.list(dir)) {
            assertEquals(earlier.keySet(), files.filter(Files::isRegularFile).map(f -> f.getFileName().toString())
                    .collect(Collectors.toSet()), "no copy left, no new file");
        }
        for (Map.Entry<String, byte[]> f : earlier.entrySet()) {
            assertArrayEquals(f.getValue(), Files.readAllBytes(dir.resolve(f.getKey())), f.getKey());
        }
        assertEquals("mine", Files.readString(dir.resolve("index.html").resolve("mine.txt")));
    }

    @Test
    void enginesMustBeTwoDifferentMeasuredOnes() throws Exception {
        String outDir = tmp.resolve("x").toString();
        assertBad("bad --engines 'foo,bar': foo and bar in no result; engines measured: pytorch-fp32, tensorrt-fp16",
                F + "baseline.json", "--out", outDir, "--engines", "foo,bar");
        assertBad("bad --engines 'pytorch-fp32,pytorch-fp32': names pytorch-fp32 twice", F + "baseline.json", "--out",
                outDir, "--engines", "pytorch-fp32,pytorch-fp32");
        assertFalse(Files.exists(Path.of(outDir)));
    }

    /** A sharded sweep's part without shard.json is skipped as its line says: its results are not in the report. */
    @Test
    void aPartWithoutShardRecordIsSkippedWhole() throws Exception {
        Path sweep = tmp.resolve("sh");
        Files.copy(Path.of(F + "baseline.json"), Files.createDirectories(sweep.resolve("shard-1-of-2")).resolve("a.json"));
        Path part2 = Files.createDirectories(sweep.resolve("shard-2-of-2"));
        Files.writeString(part2.resolve("shard.json"), "{\"shard\": \"2/2\", \"partition\": [{\"model\": \"m\", "
                + "\"engine\": \"e\", \"shard\": 1, \"predictedSeconds\": 1}, {\"model\": \"n\", \"engine\": \"e\", "
                + "\"shard\": 2, \"predictedSeconds\": 1}]}");
        Files.copy(Path.of(ValidationTest.V + "resnet50-pytorch-fp32-b16.json"), part2.resolve("b.json"));
        Path dir = tmp.resolve("r");
        assertEquals(0, report(sweep.toString(), "--out", dir.toString()), err.toString(StandardCharsets.UTF_8));
        assertEquals("report: skipped " + sweep.resolve("shard-1-of-2") + ": no shard.json (a part's sweep writes it "
                + "first): its 1 result file(s) are not taken as the sweep's\n", err.toString(StandardCharsets.UTF_8));
        assertEquals(2, Files.readAllLines(dir.resolve("summary.csv")).size(), "part 2's one result only");
    }

    /**
     * A sharded sweep's part that is missing, or that has not started (no shard.json, no result), is one line on stderr
     * and the same line under "Not run" in summary.md, its path named as the inputs are: the report lacks its ladders,
     * and the summary, not only the console, must say so.
     */
    @Test
    void aPartMissingOrNotStartedIsListedUnderNotRun() throws Exception {
        String partition = "\"partition\": [{\"model\": \"m\", \"engine\": \"e\", \"shard\": 1, \"predictedSeconds\": 1}, "
                + "{\"model\": \"n\", \"engine\": \"e\", \"shard\": 2, \"predictedSeconds\": 1}]}";
        Path sweep = tmp.resolve("sh");
        Path part1 = Files.createDirectories(sweep.resolve("shard-1-of-2"));
        Files.writeString(part1.resolve("shard.json"), "{\"shard\": \"1/2\", " + partition);
        Files.copy(Path.of(ValidationTest.V + "resnet50-pytorch-fp32-b16.json"), part1.resolve("a.json"));
        Path dir = tmp.resolve("r");
        assertEquals(0, report(sweep.toString(), "--out", dir.toString()), err.toString(StandardCharsets.UTF_8));
        String missing = "part 2 of 2 missing (no shard-2-of-2): its ladders n / e are not in it";
        assertEquals("report: skipped " + sweep + ": " + missing + "\n", err.toString(StandardCharsets.UTF_8));
        String md = Files.readString(dir.resolve("summary.md"));
        assertTrue(md.contains("\n## Not run\n\n- sh: " + missing + "\n"), md);
        assertTrue(md.contains("Inputs (under `" + sweep.toAbsolutePath() + "`): shard-1-of-2/a.json"), md);

        Files.createDirectories(sweep.resolve("shard-2-of-2"));
        err.reset();
        assertEquals(0, report(sweep.toString(), "--out", dir.toString()), err.toString(StandardCharsets.UTF_8));
        String notStarted = "no shard.json (the part's sweep has not started): its ladders n / e are not in it";
        assertEquals("report: skipped " + sweep.resolve("shard-2-of-2") + ": " + notStarted + "\n",
                err.toString(StandardCharsets.UTF_8));
        md = Files.readString(dir.resolve("summary.md"));
        assertTrue(md.contains("\n## Not run\n\n- shard-2-of-2: " + notStarted + "\n"), md);
    }

    /**
     * A sweep run whole records its ladders (shard.json, part 1/1): one whose result file report skips as unusable
     * (torn) was reached by the sweep, and is not listed as "not reached"; one that holds only the unfinished file of a
     * run killed while it measured is listed as having nothing finished, naming that file; a ladder that holds no file
     * is listed as not reached.
     */
    @Test
    void aLadderWhoseResultIsUnusableOrUnfinishedIsNotSaidToBeUnreached() throws Exception {
        Path sweep = Files.createDirectories(tmp.resolve("whole"));
        Files.writeString(sweep.resolve("sweep.jsonl"), "");
        Files.writeString(sweep.resolve("shard.json"), "{\"shard\": \"1/1\", \"partition\": [{\"model\": \"resnet50\", "
                + "\"engine\": \"pytorch-fp32\", \"shard\": 1, \"predictedSeconds\": 1}, {\"model\": \"resnet50\", "
                + "\"engine\": \"tensorrt-fp16\", \"shard\": 1, \"predictedSeconds\": 1}, {\"model\": \"m\", "
                + "\"engine\": \"e\", \"shard\": 1, \"predictedSeconds\": 1}, {\"model\": \"k\", "
                + "\"engine\": \"e\", \"shard\": 1, \"predictedSeconds\": 1}]}");
        // ladder k / e: its sweep was killed while it measured batch 8, the iterations measured kept
        Files.writeString(sweep.resolve("k-e-b8.unfinished.json"), "[]");
        Files.copy(Path.of(ValidationTest.V + "resnet50-pytorch-fp32-b16.json"),
                sweep.resolve("resnet50-pytorch-fp32-b16.json"));
        Path torn = Files.writeString(sweep.resolve("resnet50-tensorrt-fp16-b4.json"), "[{\"benchmark\": \"x\", ");
        Path dir = tmp.resolve("r");
        assertEquals(0, report(sweep.toString(), "--out", dir.toString()), err.toString(StandardCharsets.UTF_8));
        String e = err.toString(StandardCharsets.UTF_8);
        assertTrue(e.startsWith("report: skipped " + torn + ": "), e);
        String md = Files.readString(dir.resolve("summary.md"));
        assertTrue(md.contains("m / e: nothing measured: its sweep has not reached this ladder"), md);
        assertTrue(md.contains("k / e: nothing finished: its sweep was stopped or killed while it measured "
                + "k-e-b8.unfinished.json (its measured iterations), or still measures it; sweep --resume runs it"), md);
        assertFalse(md.contains("k / e: nothing measured"), md);
        assertFalse(md.contains("tensorrt-fp16: nothing measured"), md);
        assertFalse(md.contains("pytorch-fp32: nothing measured"), md);
    }

    /**
     * A sweep run whole whose shard.json cannot be read (empty, torn, a directory) is reported with one line on stderr
     * naming the record and why, and saying that the ladders its sweep did not reach cannot be named; the summary lists
     * it under "Not run", as it does an unreadable not-run list, and --strict refuses it: without the line, the ladders
     * the sweep never reached would drop out of "Not run" without a word.
     */
    @Test
    void anUnreadableShardRecordOfASweepIsSaidAndRefusedUnderStrict() throws Exception {
        Map<String, String> why = new LinkedHashMap<>();
        why.put("", "is empty (0 bytes; a run killed before it wrote anything leaves such a file); expected the shard.json "
                + "a sweep with --shard I/N writes");
        why.put("{\"shard\": \"1/1\", \"partition\": [", "not valid JSON at line 1, column 32; expected the shard.json a "
                + "sweep with --shard I/N writes");
        why.put(null, "is a directory, not a shard file");
        int k = 0;
        for (Map.Entry<String, String> record : why.entrySet()) {
            Path sweep = Files.createDirectories(tmp.resolve("whole-" + ++k));
            Files.writeString(sweep.resolve("sweep.jsonl"), "");
            Files.copy(Path.of(ValidationTest.V + "resnet50-pytorch-fp32-b16.json"),
                    sweep.resolve("resnet50-pytorch-fp32-b16.json"));
            Path shard = sweep.resolve("shard.json");
            if (record.getKey() == null) {
                Files.createDirectories(shard);
            } else {
                Files.writeString(shard, record.getKey());
            }
            String line = shard + ": " + record.getValue() + "; the ladders its sweep did not reach cannot be named";
            err.reset();
            Path dir = tmp.resolve("r-" + k);
            assertEquals(0, report(sweep.toString(), "--out", dir.toString()), err.toString(StandardCharsets.UTF_8));
            assertEquals("report: " + line + "; the summary lists it as unreadable\n", err.toString(StandardCharsets.UTF_8));
            String md = Files.readString(dir.resolve("summary.md"));
            assertTrue(md.contains("\n- shard.json: unreadable record of the sweep's ladders (" + record.getValue()
                    + "; the ladders its sweep did not reach cannot be named)\n"), md);
            assertBad(line + " (--strict)", sweep.toString(), "--out", tmp.resolve("strict-" + k).toString(), "--strict");
            assertFalse(Files.exists(tmp.resolve("strict-" + k).resolve("summary.md")), "nothing written under --strict");
        }
    }

    /**
     * A part whose lock a running sweep holds is still being measured: one line on stderr and a section of the summary
     * say so, exit 0, read from directories report may not write, the lock neither taken nor its file touched; once the
     * sweep has let go, neither is there.
     */
    @Test
    void aPartARunningSweepHoldsIsSaidToBeStillMeasured() throws Exception {
        Path sweep = tmp.resolve("sh");
        String partition = "\"partition\": [{\"model\": \"m\", \"engine\": \"e\", \"shard\": 1, \"predictedSeconds\": 1}, "
                + "{\"model\": \"n\", \"engine\": \"e\", \"shard\": 2, \"predictedSeconds\": 1}]}";
        Path part1 = Files.createDirectories(sweep.resolve("shard-1-of-2"));
        Files.writeString(part1.resolve("shard.json"), "{\"shard\": \"1/2\", " + partition);
        Files.copy(Path.of(F + "baseline.json"), part1.resolve("a.json"));
        Path part2 = Files.createDirectories(sweep.resolve("shard-2-of-2"));
        Files.writeString(part2.resolve("shard.json"), "{\"shard\": \"2/2\", " + partition);
        Files.copy(Path.of(ValidationTest.V + "resnet50-pytorch-fp32-b16.json"), part2.resolve("b.json"));
        Path lockFile = part1.resolve(DirectoryLock.fileName("sweep"));
        Path dir = tmp.resolve("r");
        String line = "report: " + part1 + " is still being measured by a sweep (pid " + ProcessHandle.current().pid()
                + " on host ";
        try (DirectoryLock held = DirectoryLock.hold(part1, part1, "sweep", System.out)) {
            byte[] holder = Files.readAllBytes(lockFile);
            List<Path> readOnly = List.of(sweep, part1, part2);
            readOnly.forEach(d -> d.toFile().setWritable(false));
            try {
                assertEquals(0, report(sweep.toString(), "--out", dir.toString()), err.toString(StandardCharsets.UTF_8));
            } finally {
                readOnly.forEach(d -> d.toFile().setWritable(true));
            }
            String e = err.toString(StandardCharsets.UTF_8);
            assertEquals(1, e.lines().count(), e);
            assertTrue(e.startsWith(line), e);
            assertTrue(e.endsWith("): this report holds the results finished so far\n"), e);
            assertArrayEquals(holder, Files.readAllBytes(lockFile), "the lock file is the sweep's, untouched");
            assertFalse(Files.exists(part2.resolve(DirectoryLock.fileName("sweep"))), "no lock file made");
            String md = Files.readString(dir.resolve("summary.md"));
            assertTrue(md.contains("Still being measured"), md);
            assertTrue(md.contains(part1 + " is still being measured by a sweep (pid "), md);
            assertTrue(Files.readString(dir.resolve("index.html")).contains("Still being measured"));
        }
        err.reset();
        assertEquals(0, report(sweep.toString(), "--out", dir.toString()), err.toString(StandardCharsets.UTF_8));
        assertEquals("", err.toString(StandardCharsets.UTF_8));
        assertFalse(Files.readString(dir.resolve("summary.md")).contains("Still being measured"));
    }

    /** A shard-I-of-N name whose numbers no --shard takes (over six digits) names no part: one line, no trace. */
    @Test
    void aPartNameBeyondAnyShardIsNoPart() throws Exception {
        Path sweep = Files.createDirectories(tmp.resolve("big").resolve("shard-99999999999-of-2")).getParent();
        assertEquals(2, report(sweep.toString(), "--out", tmp.resolve("r").toString()));
        assertEquals("report: " + sweep + ": is a directory but not a sweep's (no sweep.jsonl, sweep-settings.json or "
                + "shard-I-of-N parts); pass its result files, e.g. " + sweep.resolve("*.json") + "\n",
                err.toString(StandardCharsets.UTF_8));
    }

    /** A part's shard.json whose numbers no --shard takes (over six digits) is no shard record: one line, no trace. */
    @Test
    void aShardRecordBeyondAnyShardIsOneLine() throws Exception {
        Path part = Files.createDirectories(tmp.resolve("big").resolve("shard-1-of-1"));
        Files.writeString(part.resolve("shard.json"), "{\"shard\": \"1/99999999999\", \"partition\": [{\"model\": "
                + "\"m\", \"engine\": \"e\", \"shard\": 1, \"predictedSeconds\": 1}]}");
        assertEquals(2, report(part.getParent().toString(), "--out", tmp.resolve("r").toString()));
        assertEquals("report: " + part.resolve("shard.json") + ": not a shard record (needs \"shard\": \"I/N\", numbers of "
                + "up to six digits, and a \"partition\" of {model, engine, shard}); expected the shard.json a sweep with "
                + "--shard I/N writes\n", err.toString(StandardCharsets.UTF_8));
    }

    /**
     * A part's directory that holds another part (--shard 1/2 run with --out .../shard-2-of-2) is skipped with one line:
     * merged, its ladders would count twice and the part its name promises would be silently absent.
     */
    @Test
    void aPartHoldingAnotherPartIsSkippedAndWhatIsMissingNamed() throws Exception {
        Path sweep = tmp.resolve("sh");
        String partOne = "{\"shard\": \"1/2\", \"partition\": [{\"model\": \"m\", \"engine\": \"e\", \"shard\": 1, "
                + "\"predictedSeconds\": 1}, {\"model\": \"n\", \"engine\": \"e\", \"shard\": 2, \"predictedSeconds\": 1}]}";
        for (String part : List.of("shard-1-of-2", "shard-2-of-2")) {
            Path dir = Files.createDirectories(sweep.resolve(part));
            Files.writeString(dir.resolve("shard.json"), partOne);
            Files.copy(Path.of(ValidationTest.V + "resnet50-pytorch-fp32-b16.json"), dir.resolve("b.json"));
        }
        Path dir = tmp.resolve("r");
        assertEquals(0, report(sweep.toString(), "--out", dir.toString()), err.toString(StandardCharsets.UTF_8));
        assertEquals("report: skipped " + sweep.resolve("shard-2-of-2") + ": holds part 1/2 (its shard.json), not part 2 "
                + "of 2 as its name says (a --shard and --out that do not match): its 1 result file(s) are not taken as "
                + "the sweep's, and part 2's ladders n / e are not in it\n", err.toString(StandardCharsets.UTF_8));
        assertEquals(2, Files.readAllLines(dir.resolve("summary.csv")).size(), "part 1's one result, once");
        assertEquals(2, report(sweep.toString(), "--out", tmp.resolve("r2").toString(), "--strict"));
    }

    /**
     * A sweep directory's glob (DIR/*.json) passes the measured iterations of its runs that did not finish, which stay
     * there (a configuration that failed after measuring is not made again): passed over as its records are, --strict
     * too. A plain run's, given by name, is skipped with its one line, and --strict refuses it.
     */
    @Test
    void aSweepsUnfinishedFilesArePassedOverAndAPlainRunsIsSkipped() throws Exception {
        com.google.gson.JsonArray entries = JsonParser.parseString(Files.readString(Path.of(F + "baseline.json")))
                .getAsJsonArray();
        com.google.gson.JsonArray unfinished = new com.google.gson.JsonArray();
        unfinished.add(entries.get(0).deepCopy());
        JsonObject env = new JsonObject();
        env.addProperty(gpuenergy.profile.EnvironmentKeys.UNFINISHED,
                "failed: it failed (see the not-run list); 2 of 5 measured iterations of fork 1 of 1 taken");
        unfinished.get(0).getAsJsonObject().add("environment", env);
        Path sweep = Files.createDirectories(tmp.resolve("sweep"));
        Files.writeString(sweep.resolve("sweep.jsonl"), "");
        Path result = sweepResult(sweep, F + "baseline.json", 0, "fixture-small-pytorch-fp32-b1.json");
        Path kept = Files.writeString(sweep.resolve("m-e-b2.unfinished.json"), unfinished.toString());
        Path aside = Files.writeString(sweep.resolve("m-e-b2.unfinished.earlier.json"), unfinished.toString());
        assertEquals(0, report(aside.toString(), result.toString(), kept.toString(), "--out", tmp.resolve("r").toString(),
                "--strict"), err.toString(StandardCharsets.UTF_8));
        assertEquals("", err.toString(StandardCharsets.UTF_8));
        assertEquals(1 + 1, Files.readAllLines(tmp.resolve("r/summary.csv")).size(), "the result's benchmark only");

        Path plain = Files.writeString(tmp.resolve("run.unfinished.json"), unfinished.toString());
        assertEquals(0, report(F + "baseline.json", plain.toString(), "--out", tmp.resolve("r2").toString()));
        assertEquals("report: skipped " + plain + ": entry 0 is a benchmark that did not finish (failed: it failed (see the "
                + "not-run list); 2 of 5 measured iterations of fork 1 of 1 taken): its measured iterations are kept there, "
                + "but they are no result\n", err.toString(StandardCharsets.UTF_8));
        assertBad(plain + ": entry 0 is a benchmark that did not finish", F + "baseline.json", plain.toString(), "--out",
                tmp.resolve("r3").toString(), "--strict");
        assertFalse(Files.exists(tmp.resolve("r3")));
        // a sweep's unfinished files alone: no result, and the line says what was given
        assertBad("no result file given, only the measured iterations of runs that did not finish (" + kept + "); ",
                kept.toString(), "--out", tmp.resolve("r4").toString());
    }

    /**
     * A summary table or a sweep's record given for a result is named as compare names it, with what to give instead:
     * a report's own summary.csv (beside its index.html) and a record copied out of its sweep are skipped with that line
     * (refused alone and under --strict); one of a sweep's directory, passed over where a glob gives it, is refused in it
     * given alone. The sweep's directory itself is reported.
     */
    @Test
    void aSummaryTableOrASweepsRecordIsNamedWithWhatToGiveInstead() throws Exception {
        Path rep = tmp.resolve("rep");
        assertEquals(0, report(F + "baseline.json", "--out", rep.toString()), err.toString(StandardCharsets.UTF_8));
        Path table = rep.resolve("summary.csv");
        String tableLine = table + ": a summary table (a sweep's or a report's), not a result file; give the sweep's "
                + "directory or the result files it was made from";
        assertBad("report: " + tableLine + "\n", table.toString(), "--out", tmp.resolve("r").toString());
        err.reset();
        assertEquals(0, report(F + "baseline.json", table.toString(), "--out", tmp.resolve("r").toString()));
        assertEquals("report: skipped " + tableLine + "\n", err.toString(StandardCharsets.UTF_8));
        assertBad("report: " + tableLine + " (--strict)\n", F + "baseline.json", table.toString(), "--out",
                tmp.resolve("r2").toString(), "--strict");

        Path sweep = Files.createDirectories(tmp.resolve("sweep"));
        Files.writeString(sweep.resolve("sweep.jsonl"), "");
        sweepResult(sweep, F + "baseline.json", 0, "fixture-small-pytorch-fp32-b1.json");
        Files.writeString(sweep.resolve("summary.csv"), "model,engine\n");
        Files.writeString(sweep.resolve("shard.json"), "{\"shard\": \"1/1\", \"partition\": []}\n");
        assertBad("report: " + sweep.resolve("summary.csv") + ": a sweep's summary table, not a result file; give the "
                + "sweep's directory\n", sweep.resolve("summary.csv").toString(), "--out", tmp.resolve("r3").toString());
        for (String record : List.of("sweep.jsonl", "shard.json")) {
            assertBad("report: " + sweep.resolve(record) + ": a sweep's record, not a result file; give the sweep's "
                    + "directory\n", sweep.resolve(record).toString(), "--out", tmp.resolve("r3").toString());
        }
        Path copied = Files.copy(sweep.resolve("shard.json"), Files.createDirectories(tmp.resolve("copied"))
                .resolve("shard.json"));
        err.reset();
        assertEquals(0, report(F + "baseline.json", copied.toString(), "--out", tmp.resolve("r4").toString()));
        assertEquals("report: skipped " + copied + ": a sweep's record, not a result file; give the sweep's directory\n",
                err.toString(StandardCharsets.UTF_8));
        err.reset();
        assertEquals(0, report(sweep.toString(), "--out", tmp.resolve("r5").toString()), err.toString(StandardCharsets.UTF_8));
        assertEquals(2, Files.readAllLines(tmp.resolve("r5/summary.csv")).size(), "the sweep's one result");
    }

    /**
     * A directory under a result's name in a sweep directory is skipped with its line, as a result that cannot be read:
     * not passed over as if that batch had never been measured.
     */
    @Test
    void aDirectoryUnderAResultsNameInASweepIsSkippedWithItsLine() throws Exception {
        Path sweep = Files.createDirectories(tmp.resolve("sweep"));
        Files.writeString(sweep.resolve("sweep.jsonl"), "");
        sweepResult(sweep, F + "baseline.json", 0, "fixture-small-pytorch-fp32-b1.json");
        Path directory = Files.createDirectories(sweep.resolve("fixture-small-pytorch-fp32-b2.json"));
        Files.createDirectories(sweep.resolve("unreadable"));
        assertEquals(0, report(sweep.toString(), "--out", tmp.resolve("r").toString()), err.toString(StandardCharsets.UTF_8));
        assertEquals("report: skipped " + directory + ": is a directory, not a file\n", err.toString(StandardCharsets.UTF_8));
        assertBad(directory + ": is a directory, not a file", sweep.toString(), "--out", tmp.resolve("r2").toString(),
                "--strict");
    }

    /**
     * A result in a sweep directory under another configuration's name (batch 8's saved as the b2 file, batch 1's as
     * another model's) is skipped with the line the sweep's summary and --resume give it: read, it would be shown as the
     * batch its name says is missing, or counted twice. So too where a glob gives the files; --strict refuses it.
     */
    @Test
    void aResultUnderAnotherConfigurationsNameInASweepIsSkippedWithItsLine() throws Exception {
        Path sweep = Files.createDirectories(tmp.resolve("sweep"));
        Files.writeString(sweep.resolve("sweep.jsonl"), "");
        Path b1 = sweepResult(sweep, F + "baseline.json", 0, "fixture-small-pytorch-fp32-b1.json");
        Path b2 = sweepResult(sweep, F + "baseline.json", 1, "fixture-small-pytorch-fp32-b2.json");
        Path other = sweepResult(sweep, F + "baseline.json", 0, "fixture-medium-pytorch-fp32-b1.json");
        String lines = "report: skipped " + other + " is not the result its name says: its parameters {batchSize=1, "
                + "device=cuda:0, engine=pytorch-fp32, model=fixture-small} name it fixture-small-pytorch-fp32-b1.json\n"
                + "report: skipped " + b2 + " is not the result of fixture-small / pytorch-fp32 batch 2: its parameters "
                + "{batchSize=8, device=cuda:0, engine=pytorch-fp32, model=fixture-small} are not {batchSize=2, "
                + "engine=pytorch-fp32, model=fixture-small}\n";
        assertEquals(0, report(sweep.toString(), "--out", tmp.resolve("r").toString()), err.toString(StandardCharsets.UTF_8));
        assertEquals(lines, err.toString(StandardCharsets.UTF_8));
        List<String> csv = Files.readAllLines(tmp.resolve("r/summary.csv"));
        assertEquals(2, csv.size(), "batch 1 only: " + csv);
        err.reset();
        assertEquals(0, report(other.toString(), b1.toString(), b2.toString(), "--out", tmp.resolve("r2").toString()));
        assertEquals(lines, err.toString(StandardCharsets.UTF_8));
        assertBad(b2 + " is not the result of fixture-small / pytorch-fp32 batch 2: its parameters", b1.toString(),
                b2.toString(), "--out", tmp.resolve("r3").toString(), "--strict");
        assertBad(other + " is not the result its name says", sweep.toString(), "--out", tmp.resolve("r4").toString(),
                "--strict");
    }

    /** Entry {@code k} of {@code fixture} alone, as a sweep writes each result, in {@code dir} as {@code name}. */
    static Path sweepResult(Path dir, String fixture, int k, String name) throws Exception {
        JsonArray one = new JsonArray();
        one.add(JsonParser.parseString(Files.readString(Path.of(fixture))).getAsJsonArray().get(k));
        return Files.writeString(dir.resolve(name), one.toString());
    }

    /**
     * A sweep that holds no result is refused in a line naming it; where it holds the measured iterations of runs that
     * did not end, the line says how many such files it holds and names one.
     */
    @Test
    void aSweepWithoutResultsSaysWhatItHolds() throws Exception {
        Path sweep = Files.createDirectories(tmp.resolve("sweep"));
        Files.writeString(sweep.resolve("sweep.jsonl"), "");
        assertBad("report: " + sweep + ": the sweep holds no result\n", sweep.toString(), "--out", tmp.resolve("r").toString());
        Path first = Files.copy(Path.of(F + "rerun.json"), sweep.resolve("m-e-b1.unfinished.json"));
        assertBad("report: " + sweep + ": the sweep holds no result, only 1 unfinished result(s) (the measured iterations "
                + "of runs that did not end, which are no result: docs/report.md), e.g. " + first + "\n", sweep.toString(),
                "--out", tmp.resolve("r").toString());
        assertFalse(Files.exists(tmp.resolve("r")));
        Path other = Files.createDirectories(tmp.resolve("other"));
        Files.writeString(other.resolve("sweep.jsonl"), "");
        assertBad("no result file given, only sweeps that hold no result (" + sweep + ", " + other + "); ", sweep.toString(),
                other.toString(), "--out", tmp.resolve("r").toString());
    }

    /** The same file given twice (or a sweep beside its DIR/*.json) is read once, with one line. */
    @Test
    void theSameInputTwiceIsReadOnce() throws Exception {
        Path dir = tmp.resolve("r");
        assertEquals(0, report(F + "baseline.json", "./" + F + "baseline.json", "--out", dir.toString()));
        assertEquals("report: 1 input(s) given more than once, read once: ./" + F + "baseline.json\n",
                err.toString(StandardCharsets.UTF_8));
        assertFalse(Files.readString(dir.resolve("summary.md")).contains("Measured twice"));
        assertEquals(1 + 24, Files.readAllLines(dir.resolve("summary.csv")).size());

        err.reset();
        Path sweep = Files.createDirectories(tmp.resolve("sweep"));
        Files.writeString(sweep.resolve("sweep.jsonl"), "");
        Path result = Files.copy(Path.of(F + "baseline.json"), sweep.resolve("m.json"));
        assertEquals(0, report(sweep.toString(), result.toString(), "--out", tmp.resolve("r2").toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("report: 1 input(s) given more than once"), err.toString());
        assertEquals(1 + 24, Files.readAllLines(tmp.resolve("r2/summary.csv")).size());
    }

    /**
     * The efficiency score ranks the configurations with a J/img and a top-1 only; summary.md names the others under
     * its table, and index.html under its two rankings, in the same line: the models without a top-1 with the reason
     * figure 3's note gives, a configuration measured on the CPU (no J/img), one a not-run list names and no result
     * measured.
     */
    @Test
    void theEfficiencyRankingsNameWhatTheyLeaveOut() throws Exception {
        String catalog = Files.readString(Path.of(F + "catalog-fixture.csv"))
                .replace("fixture-large,fixture/large,fixture,2024,224,88.0,15.4,83.0,", "fixture-large,fixture/large,fixture,2024,224,88.0,15.4,,")
                .replaceAll("(?m)^fixture-bloated,.*\n", "");
        Path c = Files.writeString(tmp.resolve("catalog.csv"), catalog);
        JsonArray all = JsonParser.parseString(Files.readString(Path.of(F + "baseline.json"))).getAsJsonArray();
        for (JsonElement e : all) {
            JsonObject o = e.getAsJsonObject();
            JsonObject params = o.getAsJsonObject("params");
            if (params.get("model").getAsString().equals("fixture-medium") && params.get("engine").getAsString().equals("tensorrt-fp16")) {
                o.getAsJsonObject("environment").addProperty("device", "cpu");
                o.add("secondaryMetrics", new JsonObject());
            }
        }
        Path results = Files.writeString(tmp.resolve("results.json"), all.toString());
        NotRunList.write(NotRunList.besides(results), List.of(new NotRun("gpuenergy.bench.InferenceBenchmark.infer",
                Map.of("model", "fixture-huge", "engine", "pytorch-fp32", "batchSize", "1"), NotRun.Kind.DID_NOT_FIT,
                "CUDA out of memory", null)));
        Path dir = tmp.resolve("report");
        assertEquals(0, report(results.toString(), "--out", dir.toString(), "--catalog", c.toString()),
                err.toString(StandardCharsets.UTF_8));
        String leftOut = "Left out: fixture-bloated (no top-1: not in the catalog), fixture-huge / pytorch-fp32 (not run: "
                + "did-not-fit), fixture-large (no top-1: top1 empty in the catalog), fixture-medium / tensorrt-fp16 / cpu "
                + "(no J/img: measured on the CPU).";
        String md = Files.readString(dir.resolve("summary.md"));
        String table = md.substring(md.indexOf("## Efficiency score"));
        assertTrue(table.contains("| fixture-small /"), table);
        assertFalse(table.contains("| fixture-large /") || table.contains("| fixture-bloated /")
                || table.contains("| fixture-medium / tensorrt-fp16"), table);
        assertTrue(table.contains("\n" + leftOut + "\n"), table);
        String html = Files.readString(dir.resolve("index.html"));
        assertTrue(html.contains("<tbody id=\"per-joule\"></tbody></table>\n<p id=\"unranked\">" + leftOut + "</p>"), html);
        assertTrue(html.contains("no top-1 for: fixture-bloated (not in the catalog), fixture-large (top1 empty in the catalog)"));
    }

    /**
     * The gpu column names the device a result ran on: cpu for a result on the CPU, from its environment's device or,
     * where that is not recorded, its device parameter; a result that records no device stays empty.
     */
    @Test
    void aResultOnTheCpuShowsCpuInTheGpuColumn() throws Exception {
        JsonArray all = JsonParser.parseString(Files.readString(Path.of(F + "baseline.json"))).getAsJsonArray();
        JsonArray three = new JsonArray();
        for (int i = 0; i < 3; i++) {
            JsonObject e = all.get(i).getAsJsonObject();
            JsonObject env = e.getAsJsonObject("environment");
            List.copyOf(env.keySet()).stream().filter(k -> k.startsWith("gpu.")).forEach(env::remove);
            three.add(e);
        }
        three.get(0).getAsJsonObject().getAsJsonObject("environment").addProperty("device", "cpu");
        three.get(1).getAsJsonObject().getAsJsonObject("params").addProperty("device", "cpu");
        three.get(2).getAsJsonObject().getAsJsonObject("params").remove("device");
        Path cpu = Files.writeString(tmp.resolve("cpu.json"), three.toString());
        Path dir = tmp.resolve("report");
        assertEquals(0, report(cpu.toString(), "--out", dir.toString()), err.toString(StandardCharsets.UTF_8));
        List<String> csv = Files.readAllLines(dir.resolve("summary.csv"));
        Map<String, String> gpuOfBatch = csv.subList(1, csv.size()).stream().map(l -> l.split(",", -1))
                .collect(Collectors.toMap(c -> c[3], c -> c[0]));
        List<String> batches = three.asList().stream()
                .map(e -> e.getAsJsonObject().getAsJsonObject("params").get("batchSize").getAsString()).toList();
        assertEquals(Map.of(batches.get(0), "cpu", batches.get(1), "cpu", batches.get(2), ""), gpuOfBatch, csv.toString());
        String md = Files.readString(dir.resolve("summary.md"));
        assertTrue(md.contains("| cpu | " + three.get(0).getAsJsonObject().getAsJsonObject("params").get("model").getAsString()
                + " |"), md);
    }

    /**
     * Two MIG instances of one board, of two profiles, are two GPU models, as the sweep keeps their ladders apart: two
     * groups of the best-batch table, each with its own best batch, and a did-not-fit of the smaller instance ends its
     * ladder only. Results without MIG keys keep their plain name (the other tests of this class).
     */
    @Test
    void twoMigProfilesOfOneBoardAreTwoGroupsOfTheBestBatchTable() throws Exception {
        JsonArray all = JsonParser.parseString(Files.readString(Path.of(F + "baseline.json"))).getAsJsonArray();
        String board = all.get(0).getAsJsonObject().getAsJsonObject("environment").get("gpu.name").getAsString();
        Path small = tmp.resolve("slice-1g.json");
        Path large = tmp.resolve("slice-3g.json");
        for (Path file : List.of(small, large)) {
            JsonArray slice = new JsonArray();
            for (JsonElement e : all) {
                JsonObject o = e.getAsJsonObject().deepCopy();
                JsonObject params = o.getAsJsonObject("params");
                String batch = params.get("batchSize").getAsString();
                if (params.get("model").getAsString().equals("fixture-small")
                        && (batch.equals("1") || batch.equals("8") && file == large)) {
                    JsonObject env = o.getAsJsonObject("environment");
                    env.addProperty("gpu.mig_mode", "enabled");
                    env.addProperty("gpu.mig_profile", file == small ? "1g.10gb" : "3g.40gb");
                    slice.add(o);
                }
            }
            Files.writeString(file, slice.toString());
        }
        // batch 2 did not fit in the 1g.10gb instance: its ladder ends at 1; the 3g.40gb one's has not gone past 8
        List<NotRun> didNotFit = List.of("pytorch-fp32", "tensorrt-fp16").stream().map(engine -> new NotRun("b",
                Map.of("model", "fixture-small", "engine", engine, "batchSize", "2"), NotRun.Kind.DID_NOT_FIT,
                "CUDA out of memory", board + " MIG 1g.10gb")).toList();
        NotRunList.write(NotRunList.besides(small), didNotFit);
        Path dir = tmp.resolve("report");
        assertEquals(0, report(small.toString(), large.toString(), "--out", dir.toString()),
                err.toString(StandardCharsets.UTF_8));
        String md = Files.readString(dir.resolve("summary.md"));
        int at = md.indexOf("## Best batch per model");
        String table = md.substring(at, md.indexOf("\n## ", at));
        List<String> rows = table.lines().filter(l -> l.startsWith("| ")).skip(1).toList(); // below the header
        assertEquals(List.of("| " + board + " MIG 1g.10gb | fixture-small | 1 | 0.01716 | 1 | 0.007036 | 2.44x |",
                "| " + board + " MIG 3g.40gb | fixture-small | 8 (" + Ladders.NOT_FINISHED + ") | 0.009397 | 8 ("
                        + Ladders.NOT_FINISHED + ") | 0.003835 | 2.45x (" + FactorSummary.NOT_IN_THE_MEAN + ") |",
                "|  | geometric mean |  |  |  |  | 2.44x (1 model; 1 " + FactorSummary.LEFT_OUT + ") |"), rows, table);
        // the 3g.40gb instance's results are its own, not duplicates of the 1g.10gb's
        assertFalse(md.contains("duplicate, not plotted"), md);
    }

    /**
     * A --reference row is matched to a result of its GPU model ({@link gpuenergy.results.GpuModel#of}), as the rest of
     * the report groups results: a result measured on a MIG instance is "NAME MIG 1g.10gb", paired with a reference
     * that names that instance and not with one of the whole board, whose row has no suite result.
     */
    @Test
    void aReferenceOfAMigInstanceIsPairedWithTheInstancesResultNotTheBoards() throws Exception {
        String result = "resnet50-pytorch-fp32-b16.json";
        JsonArray suite = JsonParser.parseString(Files.readString(Path.of(ValidationTest.V + result))).getAsJsonArray();
        JsonObject env = suite.get(0).getAsJsonObject().getAsJsonObject("environment");
        String board = env.get("gpu.name").getAsString();
        env.addProperty("gpu.mig_mode", "enabled");
        env.addProperty("gpu.mig_profile", "1g.10gb");
        Path onSlice = Files.writeString(tmp.resolve(result), suite.toString());
        String wholeBoard = ValidationTest.V + ValidationTest.REFERENCES[0];
        JsonObject reference = JsonParser.parseString(Files.readString(Path.of(wholeBoard))).getAsJsonObject();
        reference.getAsJsonObject("environment").addProperty("gpu", board + " MIG 1g.10gb");
        Path sliceReference = Files.writeString(tmp.resolve("python-eager-mig.json"), reference.toString());
        Path dir = tmp.resolve("r");
        assertEquals(0, report(onSlice.toString(), "--out", dir.toString(), "--reference", wholeBoard,
                "--reference", sliceReference.toString()), err.toString(StandardCharsets.UTF_8));
        List<String> rows = Files.readAllLines(dir.resolve("validation.csv")).stream()
                .filter(l -> l.contains(",resnet50,pytorch-fp32,16,")).toList();
        assertEquals(2, rows.size(), String.join("\n", rows));
        assertTrue(rows.get(0).startsWith(board + ",resnet50,pytorch-fp32,16,eager,,"), rows.get(0));
        assertTrue(rows.get(0).endsWith(",no suite result"), rows.get(0));
        assertTrue(rows.get(1).startsWith(board + " MIG 1g.10gb,resnet50,pytorch-fp32,16,eager,"
                + suite.get(0).getAsJsonObject().getAsJsonObject("primaryMetric").get("score").getAsDouble() * 16), rows.get(1));
        // compared: a verdict on its ratios, not "no suite result" nor "different boards"
        assertTrue(rows.get(1).endsWith(",differs; suite J/img CI ±2.7 % wider than 2 %; board not recorded"), rows.get(1));
    }

    /** A catalog value out of its range or a model listed twice is refused, naming the line. */
    @Test
    void badCatalogValuesAreRefusedNamingTheRow() throws Exception {
        String header = "name,timm_id,family,year,input_size,params_m,gmacs,top1,top1_source\n";
        String outDir = tmp.resolve("x").toString();
        Path top1 = Files.writeString(tmp.resolve("top1.csv"), header + "a,a,CNN,2019,224,1,0.5,172,x\n");
        assertBad(top1 + ": line 2 (a) has top1 172, expected a percent (0..100] or none", F + "baseline.json", "--out",
                outDir, "--catalog", top1.toString());
        Path gmacs = Files.writeString(tmp.resolve("gmacs.csv"), header + "a,a,CNN,2019,224,1,0.5,70,x\nb,b,CNN,2019,224,1,-2,70,x\n");
        assertBad(gmacs + ": line 3 (b) has gmacs -2, expected a positive number or none", F + "baseline.json", "--out",
                outDir, "--catalog", gmacs.toString());
        Path twice = Files.writeString(tmp.resolve("twice.csv"), header + "a,a,CNN,2019,224,1,0.5,70,x\na,a,CNN,2019,224,1,0.6,71,x\n");
        assertBad(twice + ": line 3 (a): a is listed twice", F + "baseline.json", "--out", outDir, "--catalog", twice.toString());
        Path text = Files.writeString(tmp.resolve("text.csv"), header + "a,a,CNN,2019,224,1,many,70,x\n");
        assertBad(text + ": line 2 (a) has gmacs 'many'", F + "baseline.json", "--out", outDir, "--catalog", text.toString());
        // Java's parser takes these; a catalog's numbers are decimals as written
        Path suffixed = Files.writeString(tmp.resolve("suffixed.csv"), header + "a,a,CNN,2019,224,1,0.5,70,x\nb,b,CNN,2019,224,1,3d,70,x\n");
        assertBad(suffixed + ": line 3 (b) has gmacs '3d', expected a number or an empty field", F + "baseline.json",
                "--out", outDir, "--catalog", suffixed.toString());
        Path hex = Files.writeString(tmp.resolve("hex.csv"), header + "a,a,CNN,2019,224,1,0.5,0x1p6,x\n");
        assertBad(hex + ": line 2 (a) has top1 '0x1p6', expected a number or an empty field", F + "baseline.json",
                "--out", outDir, "--catalog", hex.toString());
        Path infinite = Files.writeString(tmp.resolve("infinite.csv"), header + "a,a,CNN,2019,224,1,1e999,70,x\n");
        assertBad(infinite + ": line 2 (a) has gmacs '1e999', expected a number or an empty field", F + "baseline.json",
                "--out", outDir, "--catalog", infinite.toString());
        // empty: unknown, accepted
        Path unknown = Files.writeString(tmp.resolve("unknown.csv"), header + "a,a,CNN,2019,224,1,,,x\n");
        assertEquals(0, report(F + "baseline.json", "--out", outDir, "--catalog", unknown.toString()));
    }

    /** A reference row's batch must be a whole number >= 1 and its avg_w img/s x J/img; the line names row and field. */
    @Test
    void badReferenceRowsAreRefusedNamingRowAndField() throws Exception {
        String outDir = tmp.resolve("x").toString();
        String[][] cases = {{"batch", "\"abc\"", "results[1] has batch \"abc\", expected a whole number >= 1"},
            {"batch", "0", "results[1] has batch 0, expected a whole number >= 1"},
            {"batch", "16.5", "results[1] has batch 16.5, expected a whole number >= 1"},
            {"avg_w", "1000000", "results[1] has avg_w 1000000.0 but img_per_s x j_per_img = 542.0 W; expected them equal within 1 %"}};
        for (String[] c : cases) {
            JsonObject ref = JsonParser.parseString(Files.readString(Path.of(ValidationTest.V + ValidationTest.REFERENCES[0])))
                    .getAsJsonObject();
            ref.getAsJsonArray("results").get(1).getAsJsonObject().add(c[0], JsonParser.parseString(c[1]));
            Path bad = Files.writeString(tmp.resolve("bad-ref.json"), ref.toString());
            assertBad(bad + ": not a Python-eager reference file (" + c[2], F + "baseline.json", "--out", outDir,
                    "--reference", bad.toString());
        }
    }

    /** A '|' in a model name stays inside its cell of summary.md's tables. */
    @Test
    void aPipeInANameIsEscapedInTheMarkdownTables() throws Exception {
        List<String> table = summaryMdOfBaselineNaming("fixture|small").lines()
                .dropWhile(l -> !l.startsWith("| gpu | model | engine | batch |")).takeWhile(l -> l.startsWith("|")).toList();
        assertTrue(table.stream().anyMatch(l -> l.contains("fixture\\|small")), String.join("\n", table));
        long cells = Summary.HEADER.length + 1;
        for (String line : table) {
            assertEquals(cells, line.replace("\\|", "").chars().filter(ch -> ch == '|').count(), line);
        }
    }

    /** A '<' or '&' in a model name is text in summary.md, its tables and its lines, not HTML a Markdown viewer renders. */
    @Test
    void markupInANameIsTextInTheMarkdownTables() throws Exception {
        String md = summaryMdOfBaselineNaming("fixture<b>&small");
        assertTrue(md.contains("fixture&lt;b>&amp;small"), md);
        assertFalse(md.contains("<b>"), md);
    }

    /** summary.md of a report on the baseline fixture with its model fixture-small named {@code model}. */
    private String summaryMdOfBaselineNaming(String model) throws Exception {
        Path input = Files.writeString(tmp.resolve("renamed.json"), Files.readString(Path.of(F + "baseline.json"))
                .replace("fixture-small", model));
        Path dir = tmp.resolve("r");
        assertEquals(0, report(input.toString(), "--out", dir.toString()), err.toString(StandardCharsets.UTF_8));
        return Files.readString(dir.resolve("summary.md"));
    }

    /**
     * An --out that is a file is the machine's I/O error, not bad input: exit 1 and the line sweep and overhead print;
     * the file is kept.
     */
    @Test
    void anOutThatIsAFileIsOneLineAndExitOne() throws Exception {
        Path file = Files.writeString(tmp.resolve("afile"), "mine");
        err.reset();
        assertEquals(1, report(F + "baseline.json", "--out", file.toString(), "--catalog", F + "catalog-fixture.csv"));
        assertEquals("report: --out " + file + " is a file, not a directory\n", err.toString(StandardCharsets.UTF_8));
        assertEquals("mine", Files.readString(file));
    }

    /**
     * An --out below a file cannot be created: one line naming --out once and why, exit 1, as sweep and overhead say it;
     * the file is named, not the directory below it that Java names and that is not there.
     */
    @Test
    void anOutBelowAFileIsOneLineNamingTheOut() throws Exception {
        Path file = Files.writeString(tmp.resolve("afile"), "");
        Path out = file.resolve("sub");
        err.reset();
        assertEquals(1, report(F + "baseline.json", "--out", out.toString(), "--catalog", F + "catalog-fixture.csv"));
        assertEquals("report: cannot create the --out directory " + out + ": " + file + ": is a file, not a directory\n",
                err.toString(StandardCharsets.UTF_8));
        Path deeper = out.resolve("deeper");
        err.reset();
        assertEquals(1, report(F + "baseline.json", "--out", deeper.toString(), "--catalog", F + "catalog-fixture.csv"));
        assertEquals("report: cannot create the --out directory " + deeper + ": " + file + ": is a file, not a directory\n",
                err.toString(StandardCharsets.UTF_8));
        assertTrue(Files.isRegularFile(file));
    }

    /**
     * An --out that is a symbolic link leading to no directory (its target missing, or itself) cannot be created: one
     * line saying so, exit 1, where Java's error says the link "already exists"; so too a link further up, named as a
     * relative --out names it.
     */
    @Test
    void anOutThatIsADanglingSymbolicLinkIsNamedAsOne() throws Exception {
        Path dangling = Files.createSymbolicLink(tmp.resolve("dangling"), tmp.resolve("gone"));
        Path loop = Files.createSymbolicLink(tmp.resolve("loop"), Path.of("loop"));
        for (Path out : List.of(dangling, loop)) {
            err.reset();
            assertEquals(1, report(F + "baseline.json", "--out", out.toString(), "--catalog", F + "catalog-fixture.csv"));
            assertEquals("report: cannot create the --out directory " + out + ": is a symbolic link (to "
                    + Files.readSymbolicLink(out) + ") that leads to no directory\n", err.toString(StandardCharsets.UTF_8));
        }
        Path below = dangling.resolve("sub");
        err.reset();
        assertEquals(1, report(F + "baseline.json", "--out", below.toString(), "--catalog", F + "catalog-fixture.csv"));
        assertEquals("report: cannot create the --out directory " + below + ": " + dangling + ": is a symbolic link (to "
                + tmp.resolve("gone") + ") that leads to no directory\n", err.toString(StandardCharsets.UTF_8));
        // a relative --out: the link above it is named as --out names it, as the line's --out is
        Path relative = Path.of("").toAbsolutePath().relativize(below);
        err.reset();
        assertEquals(1, report(F + "baseline.json", "--out", relative.toString(), "--catalog", F + "catalog-fixture.csv"));
        assertEquals("report: cannot create the --out directory " + relative + ": " + relative.getParent() + ": is a symbolic "
                + "link (to " + tmp.resolve("gone") + ") that leads to no directory\n", err.toString(StandardCharsets.UTF_8));
        assertFalse(Files.exists(tmp.resolve("gone")));
    }

    private void assertBad(String expected, String... args) {
        err.reset();
        assertEquals(2, report(args));
        String e = err.toString(StandardCharsets.UTF_8);
        assertTrue(e.contains(expected), e);
        assertEquals(1, e.lines().count(), "one line, no stack trace: " + e);
    }
}
