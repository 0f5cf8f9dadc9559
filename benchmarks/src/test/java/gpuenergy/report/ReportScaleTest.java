package gpuenergy.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report of a study of 1,200 models x 3 engines x 2 batch sizes: 7,200 result files. */
class ReportScaleTest {
    static final int MODELS = 1200;
    static final String[] ENGINES = {"pytorch-fp32", "pytorch-fp16", "tensorrt-fp16"};
    static final int[] BATCHES = {128, 256};
    static final String REAL = "deit_small_patch16_224";

    @TempDir
    Path tmp;

    /**
     * Real H100 results (the study sweep's deit_small at batch 128 and 256) under 1,200 model names, three engines
     * (tensorrt-fp16 is the fp16 result, faster by a model's factor), each model faster or slower by its own factor,
     * and a catalog naming every model; returns the result files.
     */
    static List<Path> study(Path dir, int models) throws Exception {
        Files.createDirectories(dir);
        List<Path> files = new ArrayList<>();
        StringBuilder catalog = new StringBuilder("name,timm_id,family,year,input_size,params_m,gmacs,top1,top1_source\n");
        for (int m = 0; m < models; m++) {
            String model = String.format(Locale.ROOT, "study%04d_patch16_224", m);
            double k = 0.5 + (m * 37 % 101) / 50.0;
            catalog.append(String.format(Locale.ROOT, "%s,%s.in1k,ViT,2021,224,22.05,4.61,%.3f,fixture\n", model, model,
                    70 + (m * 13 % 97) / 10.0));
            for (String engine : ENGINES) {
                double factor = k * (engine.equals("tensorrt-fp16") ? 0.6 + (m % 7) / 20.0 : 1);
                for (int b : BATCHES) {
                    String real = LaddersTest.STUDY_SWEEP + REAL + "-" + (engine.equals("pytorch-fp32") ? "pytorch-fp32"
                            : "pytorch-fp16") + "-b" + b + ".json";
                    JsonArray a = JsonParser.parseString(Files.readString(Path.of(real)).replace(REAL, model)).getAsJsonArray();
                    JsonObject r = a.get(0).getAsJsonObject();
                    r.getAsJsonObject("params").addProperty("engine", engine);
                    // J/img up by the factor, img/s down by it: the average power stays the measured one
                    scale(r.getAsJsonObject("primaryMetric"), x -> x / factor);
                    for (Map.Entry<String, JsonElement> e : r.getAsJsonObject("secondaryMetrics").entrySet()) {
                        if (e.getKey().contains("J/")) {
                            scale(e.getValue().getAsJsonObject(), x -> x * factor);
                        }
                    }
                    Path file = dir.resolve(model + "-" + engine + "-b" + b + ".json");
                    Files.writeString(file, a.toString());
                    files.add(file);
                }
            }
        }
        Files.writeString(dir.resolve("catalog.csv"), catalog);
        return files;
    }

    private static void scale(JsonObject metric, DoubleUnaryOperator f) {
        metric.addProperty("score", f.applyAsDouble(metric.get("score").getAsDouble()));
        metric.add("scoreConfidence", scaled(metric.getAsJsonArray("scoreConfidence"), f));
        metric.add("rawData", scaled(metric.getAsJsonArray("rawData"), f));
        JsonObject p = metric.getAsJsonObject("scorePercentiles");
        p.keySet().forEach(key -> p.addProperty(key, f.applyAsDouble(p.get(key).getAsDouble())));
    }

    private static JsonArray scaled(JsonArray a, DoubleUnaryOperator f) {
        JsonArray s = new JsonArray();
        for (JsonElement e : a) {
            s.add(e.isJsonArray() ? scaled(e.getAsJsonArray(), f) : new JsonPrimitive(f.applyAsDouble(e.getAsDouble())));
        }
        return s;
    }

    /**
     * index.html of 7,200 result files would take 24 MB with everything in it: 20.7 MB of figures drawn as SVG (about
     * 0.6 kB a point), the summary table (2.1 MB) and the list of input files (0.4 MB). It holds the figures as PNG
     * images, no summary table and no list of files, each with a note saying what it leaves out and where that is; what stays grows with the models,
     * not the result files: the best batch per model (0.45 MB), the accuracy figure's points for its ranking (0.3 MB)
     * and eight figures' PNG of at most 0.4 MB each (1.9 MB in all). The bound leaves a third for the PNGs, whose bytes
     * vary with the fonts drawn.
     */
    @Test
    void theReportOfAStudyOf1200ModelsIsAPageABrowserOpens() throws Exception {
        Path in = tmp.resolve("study");
        List<Path> files = study(in, MODELS);
        List<String> args = new ArrayList<>(files.stream().map(Path::toString).toList());
        Path dir = tmp.resolve("report");
        args.addAll(List.of("--out", dir.toString(), "--catalog", in.resolve("catalog.csv").toString()));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(0, ReportCommand.run(args.toArray(String[]::new), new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)), err.toString(StandardCharsets.UTF_8));
        byte[] page = Files.readAllBytes(dir.resolve("index.html"));
        assertTrue(page.length < 2_500_000, page.length + " bytes");
        String html = new String(page, StandardCharsets.UTF_8);

        // each figure is its PNG, in the page, and says so
        for (String id : List.of("batch-energy", "batch-throughput", "power", "accuracy", "naive",
                "reduction-pytorch-fp32-to-tensorrt-fp16")) {
            int at = html.indexOf("<div class=\"plot\"><svg id='" + id + "'");
            assertTrue(at > 0, id);
            String section = html.substring(at, html.indexOf("</section>", at));
            assertTrue(section.contains("<image width='820' height='") && section.contains("href='data:image/png;base64,"), id);
            assertTrue(section.contains("<p>Drawn as an image (its PNG): "), id);
        }
        assertTrue(html.contains("<p>" + HtmlPage.esc(HtmlPage.asImage(MODELS * ENGINES.length * BATCHES.length)) + "</p>"), html);
        // the summary table and the list of files are left to summary.md and summary.csv, which hold them
        assertFalse(html.contains("<th>img/s 99.9% CI</th>"), "no summary table");
        assertTrue(html.contains("<p>" + HtmlPage.summaryLeftOut(files.size(), true) + "</p>"), "the summary's note");
        assertTrue(html.contains(files.size() + " rows, more than the 1000 a table on this page shows: <a href=\"summary.csv\">"
                + "summary.csv</a> and <a href=\"summary.md\">summary.md</a> give every row"), "the note links both files");
        assertTrue(html.contains("<li>" + HtmlPage.inputsLeftOut(files.size()) + "</li>"), "the inputs' note");
        String last = files.get(files.size() - 1).getFileName().toString();
        assertFalse(html.contains(last), "no list of files");
        assertTrue(Files.readString(dir.resolve("summary.md")).contains(", " + last + "\n"), "summary.md lists each file");
        assertEquals(1 + files.size(), Files.readAllLines(dir.resolve("summary.csv")).size(), "summary.csv has each row");
        // each ranking shows its top points and says so; summary.md ranks them all
        int ranked = MODELS * ENGINES.length;
        assertTrue(html.contains("<p id=\"ranking-shown\">" + HtmlPage.rankingCut(ranked, true) + "</p>"), "the ranking's note");
        assertTrue(html.contains("<p id=\"per-joule-shown\">" + HtmlPage.rankingCut(ranked, false) + "</p>"), "the per-joule note");
        String summary = Files.readString(dir.resolve("summary.md"));
        int perJoule = summary.indexOf("\n## Accuracy per joule");
        assertTrue(perJoule > 0, "summary.md ranks by accuracy per joule");
        assertTrue(summary.substring(0, perJoule).contains("\n| " + ranked + " | study"), "summary.md ranks every point at W = 0.5");
        assertTrue(summary.substring(perJoule).contains("\n| " + ranked + " | study"), "and every point by accuracy per joule");
        // the headline stays: the best batch of each model
        assertEquals(MODELS, html.split("<tr><td>NVIDIA H100 80GB HBM3</td><td>study", -1).length - 1);
    }
}
