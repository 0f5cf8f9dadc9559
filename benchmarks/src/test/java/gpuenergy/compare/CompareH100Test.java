package gpuenergy.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import gpuenergy.results.ParamNames;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * compare on real H100 measurements (src/test/resources/h100/README.md): repeat runs pass where their intervals are
 * narrow enough for the threshold and are not judged where not; FP32 vs FP16 fails.
 */
class CompareH100Test {
    static final String H = "src/test/resources/h100/";

    @TempDir
    Path tmp;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private int compare(String... args) {
        out.reset();
        return CompareCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    /**
     * Three 10 s iterations a run: J/img's interval lies within 1.5 %, img/s's spans 11 % either side (Student's t at
     * 99.9 % with a few degrees of freedom), so a 3 % fall in img/s is neither shown nor ruled out.
     */
    @Test
    void twoRunsOfTheSameConfigurationAreNoRegressionAtTheThresholdTheirIntervalsDecide() {
        assertEquals(CompareCommand.NOT_JUDGED, compare(H + "fp16-b128-on-1.json", H + "fp16-b128-on-2.json"), out());
        assertTrue(out().contains("img/s  12981 -> 12898  -0.64% [-11.48%, +10.20%]  not judged: too noisy to rule out a "
                + "fall over 3.00%"), out());
        assertTrue(out().contains("J/img  0.04227 -> 0.04234  +0.16% [-1.15%, +1.46%]  ok (within noise)"), out());
        assertTrue(out().contains("exit 3: nothing regressed, but 1 metric(s) could not be judged"), out());

        assertEquals(0, compare(H + "fp16-b128-on-1.json", H + "fp16-b128-on-2.json", "--threshold", "12%"), out());
        assertEquals(2, out().split("ok \\(within noise\\)", -1).length - 1, out());
        assertEquals(0, compare(H + "fp16-b128-on-2.json", H + "fp16-b128-on-1.json", "--threshold", "12%"), out());
    }

    /**
     * Runs of one configuration in two sessions differ by about 2 % in J/img, more than 3 iterations'
     * interval allows: the interval alone would call that a change. The threshold is what keeps J/img from failing
     * the gate; below the session-to-session drift, the gate fails on noise. (img/s, three iterations a side, spans
     * -3.8 % to +5.1 %: not judged at 3 %, so the gate exits 3.)
     */
    @Test
    void sessionToSessionDriftInJoulesPerImageIsSignificantButWithinTheDefaultThreshold() {
        assertEquals(CompareCommand.NOT_JUDGED, compare(H + "len-10s-a.json", H + "fp16-b128-on-2.json"), out());
        assertTrue(out().contains("img/s  12816 -> 12898  +0.64% [-3.84%, +5.12%]  not judged: too noisy"), out());
        assertTrue(out().contains("J/img  0.04139 -> 0.04234  +2.29% [+1.59%, +2.99%]  ok (significant, within threshold)"),
                out());
        assertEquals(1, compare(H + "len-10s-a.json", H + "fp16-b128-on-2.json", "--threshold", "1%"), out());
    }

    @Test
    void fp32UnderTheNameOfFp16IsARegressionAndTheReverseAnImprovement() throws Exception {
        Path fp16 = entry("pytorch-fp16", "pytorch-fp16");
        Path fp32AsFp16 = entry("pytorch-fp32", "pytorch-fp16");

        assertEquals(1, compare(fp16.toString(), fp32AsFp16.toString()), out());
        assertTrue(out().contains("img/s  12927 -> 5925  -54.17%"), out());
        // J/img as the profiler aggregates it (sum of powers / sum of rates): 0.090365 as the mean of the iterations
        assertTrue(out().contains("J/img  0.04159 -> 0.09037  +117.27%"), out());
        assertEquals(2, out().split("REGRESSION", -1).length - 1, out());
        assertTrue(out().contains("2 regression(s)"), out());

        assertEquals(0, compare(fp32AsFp16.toString(), fp16.toString()), out());
        assertEquals(2, out().split("  improvement", -1).length - 1, out());
        assertTrue(out().contains("0 regression(s)"), out());
    }

    /** suite.json's batch-128 entry of {@code engine}, unchanged except that its engine parameter reads {@code as}. */
    private Path entry(String engine, String as) throws Exception {
        JsonArray suite = JsonParser.parseString(Files.readString(Path.of(H + "suite.json"))).getAsJsonArray();
        JsonArray one = new JsonArray();
        for (JsonElement e : suite) {
            JsonObject params = e.getAsJsonObject().getAsJsonObject("params");
            if (params.get(ParamNames.ENGINE).getAsString().equals(engine)
                    && params.get(ParamNames.BATCH_SIZE).getAsString().equals("128")) {
                params.addProperty("engine", as);
                one.add(e);
            }
        }
        assertEquals(1, one.size());
        return Files.writeString(tmp.resolve(engine + "-as-" + as + ".json"), new Gson().toJson(one));
    }
}
