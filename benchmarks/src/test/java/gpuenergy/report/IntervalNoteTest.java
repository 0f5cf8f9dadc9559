package gpuenergy.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import gpuenergy.profile.EnergyLabels;
import gpuenergy.results.ParamNames;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The study trusts a J/img to 2 % only where JMH's 99.9 % interval half-width is at most 2 % of it; the Results table
 * notes every other row. On real H100 results (src/test/resources/h100/README.md): suite.json (ResNet-50 at batch 1,
 * 16 and 128, 3 iterations: wide intervals) and the sweep's ViT-B/16 fp32 batch 16 (±1.3 %).
 */
class IntervalNoteTest {
    static final String[] FILES = {ReportH100Test.H + "suite.json",
        ValidationTest.V + "vit_base_patch16_224-pytorch-fp32-b16.json"};

    @TempDir
    Path tmp;

    /** "model / engine / batch" -> J/img's interval half-width / J/img, from the files' scoreConfidence directly. */
    static Map<String, Double> halfWidths() throws Exception {
        Map<String, Double> m = new TreeMap<>();
        for (String f : FILES) {
            for (JsonElement el : JsonParser.parseString(Files.readString(Path.of(f))).getAsJsonArray()) {
                JsonObject e = el.getAsJsonObject();
                JsonObject p = e.getAsJsonObject("params");
                JsonObject j = e.getAsJsonObject("secondaryMetrics").getAsJsonObject(EnergyLabels.J_PER_IMG);
                JsonArray ci = j.getAsJsonArray("scoreConfidence");
                m.put(p.get(ParamNames.MODEL).getAsString() + " / " + p.get(ParamNames.ENGINE).getAsString() + " / batch "
                        + p.get(ParamNames.BATCH_SIZE).getAsString(),
                        (ci.get(1).getAsDouble() - ci.get(0).getAsDouble()) / 2 / j.get("score").getAsDouble());
            }
        }
        return m;
    }

    @Test
    void theNoteColumnNamesEveryJPerImgWhoseIntervalIsWiderThanTwoPercent() throws Exception {
        Path out = tmp.resolve("report");
        ReportCommandTest r = new ReportCommandTest();
        assertEquals(0, r.report(FILES[0], FILES[1], "--out", out.toString()), r.err.toString(StandardCharsets.UTF_8));
        List<String> csv = Files.readAllLines(out.resolve("summary.csv"));
        assertTrue(csv.get(0).endsWith(",note"), csv.get(0));
        Map<String, Double> halfWidths = halfWidths();
        assertEquals(7, halfWidths.size());
        Map<String, String> notes = new TreeMap<>();
        for (String line : csv.subList(1, csv.size())) {
            String[] c = line.split(",", -1);
            notes.put(c[1] + " / " + c[2] + " / batch " + c[3], c[c.length - 1]);
        }
        assertEquals(halfWidths.keySet(), notes.keySet());
        halfWidths.forEach((k, h) -> assertEquals(h > 0.02, notes.get(k).startsWith("J/img ±"), k + ": " + h + " / " + notes.get(k)));
        // JMH's interval [0.038640, 0.044542] around 0.041591 J/img is ±7.09 %: written rounded up, to 0.1 %
        assertEquals("J/img ±7.1 % (99.9 % CI)", notes.get("resnet50 / pytorch-fp16 / batch 128"));
        assertEquals("", notes.get("vit_base_patch16_224 / pytorch-fp32 / batch 16"), "±1.3 %: trusted to 2 %");

        String md = Files.readString(out.resolve("summary.md"));
        assertTrue(md.contains("\n## Results\n\n" + Summary.INTRO + "\n\n"), md);
        assertTrue(md.contains("| 0.04159 | [0.03864, 0.04454] | 0.03199 | 537.6 | 76.81 | **best** | suite.json | "
                + "J/img ±7.1 % (99.9 % CI) |"), md);
        String html = Files.readString(out.resolve("index.html"));
        assertTrue(html.contains("<td>suite.json</td><td>J/img ±7.1 % (99.9 % CI)</td>"), html);
    }
}
