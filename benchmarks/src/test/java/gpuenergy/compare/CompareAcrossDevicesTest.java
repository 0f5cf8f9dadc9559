package gpuenergy.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import gpuenergy.profile.EnvironmentKeys;
import gpuenergy.results.NotRun;
import gpuenergy.results.NotRunList;
import gpuenergy.results.ParamNames;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Results of one configuration measured on another device index of one GPU model (a multi-GPU box runs it on the board
 * that is free) pair, with one line naming the values; results of other GPU models, and results that record no GPU,
 * stay unpaired, and a configuration on several device values of one model on a side pairs none but the exact ones.
 */
class CompareAcrossDevicesTest {
    private static final String F = CompareCommandTest.F;
    private static final String H100 = "FIXTURE (hand-made test input) H100 80GB HBM3";
    private static final String KEY = "gpuenergy.bench.InferenceBenchmark.infer {batchSize=8, device=%s, "
            + "engine=tensorrt-fp16, model=fixture-medium}";

    @TempDir
    Path tmp;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int compare(Object... args) {
        String[] a = new String[args.length];
        for (int i = 0; i < args.length; i++) {
            a[i] = args[i].toString();
        }
        return CompareCommand.run(a, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    /** A fixture's entries run with {@code -p device=param} on the device the engine records as {@code ran}. */
    private static JsonArray on(String fixture, String param, String ran) throws Exception {
        JsonArray entries = JsonParser.parseString(Files.readString(Path.of(F + fixture))).getAsJsonArray();
        for (var e : entries) {
            e.getAsJsonObject().getAsJsonObject("params").addProperty(ParamNames.DEVICE, param);
            e.getAsJsonObject().getAsJsonObject("environment").addProperty(EnvironmentKeys.DEVICE, ran);
        }
        return entries;
    }

    private Path write(String name, JsonArray... parts) throws Exception {
        JsonArray all = new JsonArray();
        for (JsonArray part : parts) {
            all.addAll(part);
        }
        return Files.writeString(tmp.resolve(name), all.toString());
    }

    @Test
    void anotherIndexOfOneGpuModelPairsAndOneLineSaysSo() throws Exception {
        Path base = write("base.json", on("baseline.json", "gpu:0", "gpu:0"));
        Path cand = write("cand.json", on("rerun.json", "gpu:1", "gpu:1"));
        assertEquals(0, compare(base, cand), out());
        String line = "paired across device values (all other parameters equal, each side on the GPU its environment "
                + "records): gpu:0 -> gpu:1 on " + H100 + " (24 benchmarks)\n";
        assertTrue(out().contains(line), out());
        assertEquals(1, out().lines().filter(l -> l.startsWith("paired across")).count(), out());
        assertTrue(out().contains("\n" + KEY.formatted("gpu:0 -> gpu:1") + "\n  img/s"), out());
        assertTrue(out().contains("24 benchmarks compared"), out());
        assertFalse(out().contains("only in") || out().contains("missing"), out());

        // gpu is gpu:0, and auto ran on device 0 too: each its own value, as given
        for (String[] values : new String[][] {{"gpu", "gpu:0"}, {"auto", "gpu:0"}}) {
            out.reset();
            Path b = write("b.json", on("baseline.json", values[0], "gpu:0"));
            Path c = write("c.json", on("rerun.json", values[1], "gpu:0"));
            assertEquals(0, compare(b, c), out());
            assertTrue(out().contains(values[0] + " -> " + values[1] + " on " + H100 + " (24 benchmarks)"), out());
        }
    }

    @Test
    void aRegressionAcrossIndicesFailsTheGate() throws Exception {
        Path base = write("base.json", on("baseline.json", "gpu:0", "gpu:0"));
        Path cand = write("cand.json", on("slower.json", "gpu:1", "gpu:1"));
        assertEquals(1, compare(base, cand), out());
        String block = out().substring(out().indexOf(KEY.formatted("gpu:0 -> gpu:1") + "\n"));
        String[] lines = block.split("\n");
        assertTrue(lines[1].startsWith("  img/s") && lines[1].endsWith("REGRESSION"), lines[1]);
        assertTrue(lines[2].startsWith("  J/img") && lines[2].endsWith("REGRESSION"), lines[2]);
        assertTrue(out().contains("2 regressions"), out());
    }

    private static final String A100 = "FIXTURE (hand-made test input) A100-SXM4-40GB";

    /** The fixture's entry of fixture-medium / tensorrt-fp16 at batch 8, alone. */
    private static JsonArray medium(JsonArray entries) {
        JsonArray one = new JsonArray();
        for (var e : entries) {
            JsonObject params = e.getAsJsonObject().getAsJsonObject("params");
            if (params.get("batchSize").getAsString().equals("8") && params.get("engine").getAsString().equals("tensorrt-fp16")
                    && params.get("model").getAsString().equals("fixture-medium")) {
                one.add(e);
            }
        }
        assertEquals(1, one.size());
        return one;
    }

    /** The entries but fixture-medium / tensorrt-fp16 at batch 8. */
    private static JsonArray allButMedium(JsonArray entries) {
        JsonArray rest = entries.deepCopy();
        rest.remove(medium(entries).get(0));
        return rest;
    }

    private static JsonArray onA100(JsonArray entries) {
        entries.forEach(e -> e.getAsJsonObject().getAsJsonObject("environment").addProperty(EnvironmentKeys.GPU_NAME, A100));
        return entries;
    }

    /**
     * A box with an H100 and an A100: a configuration the candidate ran on the A100 on another device value pairs with
     * no H100 result. Its baseline is missing in the candidate (exit 3), and every other benchmark is judged, rather than
     * the whole comparison refused as different devices; --allow-different-devices pairs no more.
     */
    @Test
    void anotherGpuModelOnAnotherIndexDoesNotPair() throws Exception {
        Path base = write("base.json", on("baseline.json", "gpu:0", "gpu:0"));
        Path cand = write("cand.json", allButMedium(on("rerun.json", "gpu:1", "gpu:1")), onA100(medium(on("rerun.json", "gpu:2", "gpu:2"))));
        for (String allow : new String[] {"--threshold=3%", "--allow-different-devices"}) {
            out.reset();
            assertEquals(3, compare(base, cand, allow), out() + err);
            assertTrue(out().contains("missing in the candidate (not judged): " + KEY.formatted("gpu:0")
                    + ": no result, and not in the candidate's list of benchmarks not run (it has none)\n"), out());
            assertTrue(out().contains("only in candidate (not compared): " + KEY.formatted("gpu:2") + "\n"), out());
            assertTrue(out().contains("gpu:0 -> gpu:1 on " + H100 + " (23 benchmarks)\n"), out());
            assertTrue(out().contains("23 benchmarks compared; threshold 3.00%; 99.9% Welch interval; 0 regressions; "
                    + "1 benchmark of the baseline missing in the candidate\n"), out());
            assertFalse(out().contains("devices differ") || out().contains(A100 + " ("), out());
        }

        // every result on the A100: none pairs
        out.reset();
        assertEquals(2, compare(base, write("a100.json", onA100(on("rerun.json", "gpu:1", "gpu:1")))), out());
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("no benchmark (name + params) is in both"),
                err.toString(StandardCharsets.UTF_8));
        assertEquals(24, out().lines().filter(l -> l.startsWith("missing in the candidate")).count(), out());
    }

    /**
     * The candidate's list of benchmarks not run names the missing configuration on another device value of the GPU
     * model the baseline ran on: the missing line gives its reason and value, as a result there would have paired. One
     * on another GPU model is not its reason.
     */
    @Test
    void aMissingBenchmarkNotRunOnAnotherIndexSaysWhy() throws Exception {
        Path base = write("base.json", on("baseline.json", "gpu:0", "gpu:0"));
        Path cand = write("cand.json", allButMedium(on("rerun.json", "gpu:1", "gpu:1")));
        JsonObject medium = medium(on("rerun.json", "gpu:1", "gpu:1")).get(0).getAsJsonObject();
        Map<String, String> params = new TreeMap<>();
        medium.getAsJsonObject("params").entrySet().forEach(e -> params.put(e.getKey(), e.getValue().getAsString()));
        NotRun didNotFit = new NotRun(medium.get("benchmark").getAsString(), params, NotRun.Kind.DID_NOT_FIT,
                "CUDA out of memory", H100);
        NotRunList.write(NotRunList.besides(cand), List.of(didNotFit));
        assertEquals(3, compare(base, cand), out());
        assertTrue(out().contains("missing in the candidate (not judged): " + KEY.formatted("gpu:0")
                + ": not run on device=gpu:1: did-not-fit: CUDA out of memory\n"), out());

        out.reset();
        NotRunList.write(NotRunList.besides(cand), List.of(new NotRun(didNotFit.benchmark(), params, NotRun.Kind.DID_NOT_FIT,
                "CUDA out of memory", A100)));
        assertEquals(3, compare(base, cand), out());
        assertTrue(out().contains("missing in the candidate (not judged): " + KEY.formatted("gpu:0")
                + ": no result, and not in the candidate's list of benchmarks not run\n"), out());
    }

    /** Without the GPU a side ran on, another device value may be another board or model: such results do not pair. */
    @Test
    void aSideThatRecordsNoGpuDoesNotPairAcrossValues() throws Exception {
        Path base = write("base.json", on("baseline.json", "gpu:0", "gpu:0"));
        JsonArray plain = on("rerun.json", "gpu:1", "gpu:1");
        plain.forEach(e -> e.getAsJsonObject().remove("environment"));
        assertEquals(2, compare(base, write("plain.json", plain)), out());
        assertEquals(24, out().lines().filter(l -> l.startsWith("missing in the candidate")).count(), out());
        assertFalse(out().contains("paired across"), out());
    }

    /**
     * A file holding one configuration on gpu:0 and gpu:1 against one on gpu:2: pairing either would be a guess, so
     * neither is, and one line says so (exit 3, --allow-missing or not); exact values pair first, the one left pairs.
     */
    @Test
    void severalDeviceValuesOfAConfigurationPairExactlyFirstAndNeverByGuess() throws Exception {
        JsonArray onOne = on("baseline.json", "gpu:1", "gpu:1");
        JsonArray oneConfiguration = medium(onOne);
        assertEquals(1, oneConfiguration.size());
        Path base = write("base.json", on("baseline.json", "gpu:0", "gpu:0"), oneConfiguration);
        Path cand = write("cand.json", on("slower.json", "gpu:2", "gpu:2"));
        String ambiguous = "device values ambiguous (not judged): gpuenergy.bench.InferenceBenchmark.infer {batchSize=8, "
                + "engine=tensorrt-fp16, model=fixture-medium} on " + H100 + ": baseline device=gpu:0, gpu:1, candidate device=gpu:2 (left "
                + "after pairing equal values): which pairs with which is ambiguous; give each side one device value of "
                + "it, or the same values\n";
        for (String allowMissing : new String[] {"--threshold=3%", "--allow-missing"}) {
            out.reset();
            // the slowed configuration is the ambiguous one: not judged, and nothing else regressed
            assertEquals(3, compare(base, cand, allowMissing), out());
            assertTrue(out().contains(ambiguous), out());
            assertTrue(out().contains("gpu:0 -> gpu:2 on " + H100 + " (23 benchmarks)"), out());
            assertTrue(out().contains("23 benchmarks compared; threshold 3.00%; 99.9% Welch interval; 0 regressions; "
                    + "1 configuration ambiguous across device values\n"), out());
            assertTrue(out().contains("exit 3: nothing regressed, but 1 configuration ambiguous across device values;"),
                    out());
            assertFalse(out().contains("only in") || out().contains("missing") || out().contains("REGRESSION"), out());
        }

        // gpu:1 pairs with gpu:1; gpu:0, left alone on its side, with the candidate's one left, gpu:2
        out.reset();
        JsonArray candOne = new JsonArray();
        candOne.add(on("slower.json", "gpu:1", "gpu:1").get(onOne.asList().indexOf(oneConfiguration.get(0))));
        Path both = write("both.json", on("slower.json", "gpu:2", "gpu:2"), candOne);
        assertEquals(1, compare(base, both), out());
        assertTrue(out().contains("\n" + KEY.formatted("gpu:1") + "\n"), out());
        assertTrue(out().contains("\n" + KEY.formatted("gpu:0 -> gpu:2") + "\n"), out());
        assertTrue(out().contains("gpu:0 -> gpu:2 on " + H100 + " (24 benchmarks)"), out());
        assertTrue(out().contains("25 benchmarks compared"), out());
        assertTrue(out().contains("4 regressions"), out());
        assertFalse(out().contains("ambiguous"), out());

        // the one configuration and nothing else on each side: nothing is compared, exit 2 with the count
        out.reset();
        Path onlyIt = write("only.json", medium(on("baseline.json", "gpu:0", "gpu:0")), oneConfiguration);
        assertEquals(2, compare(onlyIt, write("it.json", medium(on("slower.json", "gpu:2", "gpu:2")))), out());
        assertTrue(out().contains(ambiguous), out());
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("is in both " + onlyIt + " and " + tmp.resolve("it.json")
                + " (1 configuration ambiguous across device values, above)"), err.toString(StandardCharsets.UTF_8));
    }

    /**
     * A side that holds one configuration on an H100 (gpu:0) and on an A100 (gpu:1), against one H100 result on gpu:2:
     * the GPU model says which pairs, and the A100's is missing in the candidate rather than the configuration ambiguous.
     */
    @Test
    void theGpuModelSettlesWhichDeviceValuePairs() throws Exception {
        Path base = write("base.json", on("baseline.json", "gpu:0", "gpu:0"), onA100(medium(on("baseline.json", "gpu:1", "gpu:1"))));
        Path cand = write("cand.json", on("rerun.json", "gpu:2", "gpu:2"));
        assertEquals(3, compare(base, cand), out());
        assertTrue(out().contains("gpu:0 -> gpu:2 on " + H100 + " (24 benchmarks)\n"), out());
        assertTrue(out().contains("\n" + KEY.formatted("gpu:0 -> gpu:2") + "\n"), out());
        assertTrue(out().contains("missing in the candidate (not judged): " + KEY.formatted("gpu:1")), out());
        assertTrue(out().contains("24 benchmarks compared; threshold 3.00%; 99.9% Welch interval; 0 regressions; "
                + "1 benchmark of the baseline missing in the candidate\n"), out());
        assertFalse(out().contains("ambiguous"), out());
    }
}
