package gpuenergy.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import gpuenergy.profile.EnergyLabels;
import gpuenergy.results.BenchmarkResult;
import gpuenergy.results.Metric;
import gpuenergy.results.ParamNames;
import gpuenergy.results.ResultFile;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * compare on real H100 measurements (src/test/resources/h100/README.md): repeat runs pass where their intervals are
 * narrow enough for the threshold and are not judged where not; FP32 vs FP16 fails; a run with interleave=true is
 * judged over its sampled windows.
 */
class CompareH100Test {
    static final String H = "src/test/resources/h100/";
    static final String INTERLEAVED = H + "interleaved-tensorrt-fp16-b16.json";

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
        assertTrue(out().contains("exit 3: nothing regressed, but 1 metric could not be judged"), out());

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
        assertTrue(out().contains("2 regressions"), out());

        assertEquals(0, compare(fp32AsFp16.toString(), fp16.toString()), out());
        assertEquals(2, out().split("  improvement", -1).length - 1, out());
        assertTrue(out().contains("0 regressions"), out());
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

    // the recorded run with energy:interleave=true (16 windows, 8 sampled, whose img/s average 10880 where all 16
    // average 10884): img/s and J/img are judged over the sampled windows, the profiler as it runs without interleave;
    // inputs derived from the run in memory stand for the other cases

    /** The recorded run's one entry, changed by {@code edit}, written to {@code name}. */
    private String derived(String name, Consumer<JsonObject> edit) throws Exception {
        JsonArray file = JsonParser.parseString(Files.readString(Path.of(INTERLEAVED))).getAsJsonArray();
        edit.accept(file.get(0).getAsJsonObject());
        return Files.writeString(tmp.resolve(name), new Gson().toJson(file)).toString();
    }

    private static JsonArray fork(JsonObject metric) {
        return metric.getAsJsonArray("rawData").get(0).getAsJsonArray();
    }

    private static void reverse(JsonObject metric) {
        JsonArray windows = fork(metric);
        JsonArray reversed = new JsonArray();
        for (int i = windows.size() - 1; i >= 0; i--) {
            reversed.add(windows.get(i));
        }
        metric.add("rawData", wrap(reversed));
    }

    private static JsonObject secondary(JsonObject entry) {
        return entry.getAsJsonObject("secondaryMetrics");
    }

    /** The run as the profiler without interleave would record it: its sampled windows only, no energy.sampled. */
    private static void sampledOnly(JsonObject entry) {
        JsonArray windows = fork(entry.getAsJsonObject("primaryMetric"));
        JsonArray kinds = fork(secondary(entry).getAsJsonObject(EnergyLabels.SAMPLED));
        JsonArray kept = new JsonArray();
        for (int i = 0; i < windows.size(); i++) {
            if (kinds.get(i).getAsDouble() == 1) {
                kept.add(windows.get(i));
            }
        }
        entry.getAsJsonObject("primaryMetric").add("rawData", wrap(kept));
        secondary(entry).remove(EnergyLabels.SAMPLED);
    }

    private static JsonArray wrap(JsonArray fork) {
        JsonArray forks = new JsonArray();
        forks.add(fork);
        return forks;
    }

    @Test
    void bothSidesInterleavedAreJudgedOverTheirSampledWindows() throws Exception {
        // another entry of the same figures (a copy of the run would be refused): its windows in reverse order, which
        // keeps the ABBA pattern of sampled windows
        String again = derived("again.json", e -> {
            reverse(e.getAsJsonObject("primaryMetric"));
            secondary(e).entrySet().forEach(m -> reverse(m.getValue().getAsJsonObject()));
        });
        assertEquals(0, compare(INTERLEAVED, again), out());
        assertTrue(out().contains("energy profiler with interleave=true on both sides for 1 of the 1 compared benchmark(s): "
                + "img/s and J/img over the windows it sampled (energy.sampled = 1) only"), out());
        assertTrue(out().contains("img/s  10880 -> 10880  +0.00%"), out());
        assertTrue(out().contains("J/img  0.03517 -> 0.03517  +0.00%"), out());
        assertFalse(out().contains("not judged"), out());
    }

    @Test
    void anInterleavedSideIsJudgedOverItsSampledWindowsAgainstAllWindowsOfTheOther() throws Exception {
        String plain = derived("plain.json", CompareH100Test::sampledOnly);
        assertEquals(0, compare(INTERLEAVED, plain), out());
        assertTrue(out().contains("energy profiler with interleave=true in the baseline only for 1 of the 1 compared "
                + "benchmark(s): its sampled windows (energy.sampled = 1), the profiler as it runs without interleave, "
                + "against all windows of the candidate"), out());
        // the same windows on both sides: the sat-out ones would make the baseline's 10884
        assertTrue(out().contains("img/s  10880 -> 10880  +0.00%"), out());
        assertTrue(out().contains("J/img  0.03517 -> 0.03517  +0.00%"), out());

        assertEquals(0, compare(plain, INTERLEAVED), out());
        assertTrue(out().contains("interleave=true in the candidate only for 1 of the 1 compared benchmark(s): its "
                + "sampled windows (energy.sampled = 1), the profiler as it runs without interleave, against all windows "
                + "of the baseline"), out());
    }

    /**
     * report and sweep read a run's J/img as {@link BenchmarkResult#perImage}, compare as its iterations: for a run
     * with interleave=true both are the sampled windows' energy over their images, whatever score the file stores (here
     * 0.04, as a file whose score is not the ratio). On the recorded run that is the profiler's own figure and interval.
     */
    @Test
    void anInterleavedRunsJPerImgIsItsSampledWindowsRatioInReportAndCompareAlike() throws Exception {
        BenchmarkResult recorded = ResultFile.read(Path.of(INTERLEAVED)).get(0);
        Metric stored = recorded.secondary().get(EnergyLabels.J_PER_IMG);
        Metric read = recorded.perImage(EnergyLabels.J_PER_IMG);
        assertEquals(stored.score(), read.score(), 1e-17);
        assertEquals(stored.lo(), read.lo(), 1e-15);
        assertEquals(stored.hi(), read.hi(), 1e-15);
        assertEquals(recorded.secondaryScore(EnergyLabels.NET_J_PER_IMG),
                recorded.perImageScore(EnergyLabels.NET_J_PER_IMG), 1e-15);

        String other = derived("other-score.json", e -> {
            secondary(e).getAsJsonObject(EnergyLabels.J_PER_IMG).addProperty("score", 0.04);
            secondary(e).getAsJsonObject(EnergyLabels.NET_J_PER_IMG).addProperty("score", 0.03);
        });
        BenchmarkResult r = ResultFile.read(Path.of(other)).get(0);
        assertEquals(0.04, r.secondaryScore(EnergyLabels.J_PER_IMG), 1e-17, "the file's score, as it stands");
        // the sampled windows' energy (J/img x rate) over their rates, worked out here from the file's iterations
        double[] windows = r.primary().samples();
        double[] kinds = r.secondary().get(EnergyLabels.SAMPLED).samples();
        double[] j = r.secondary().get(EnergyLabels.J_PER_IMG).samples();
        double[] net = r.secondary().get(EnergyLabels.NET_J_PER_IMG).samples();
        double joules = 0;
        double netJoules = 0;
        double images = 0;
        for (int i = 0, k = 0; i < windows.length; i++) {
            if (kinds[i] == 1) {
                joules += j[k] * windows[i];
                netJoules += net[k++] * windows[i];
                images += windows[i];
            }
        }
        assertEquals(joules / images, r.perImageScore(EnergyLabels.J_PER_IMG), 1e-15);
        assertEquals(stored.score(), r.perImageScore(EnergyLabels.J_PER_IMG), 1e-15);
        assertEquals(netJoules / images, r.perImageScore(EnergyLabels.NET_J_PER_IMG), 1e-15);
        assertEquals(0, compare(other, INTERLEAVED), out());
        assertTrue(out().contains("J/img  0.03517 -> 0.03517  +0.00%"), out());
    }

    /** -i 1 with interleave=true: its one window is sat out, and the profiler reports no energy figure. */
    @Test
    void aSideWithoutASampledWindowHasItsJPerImgNotJudgedInOneLine() throws Exception {
        String satOut = derived("sat-out.json", e -> {
            JsonArray first = new JsonArray();
            first.add(fork(e.getAsJsonObject("primaryMetric")).get(0));
            e.getAsJsonObject("primaryMetric").add("rawData", wrap(first));
            JsonObject sampled = secondary(e).getAsJsonObject(EnergyLabels.SAMPLED);
            JsonArray zero = new JsonArray();
            zero.add(0.0);
            sampled.add("rawData", wrap(zero));
            JsonObject only = new JsonObject();
            only.add(EnergyLabels.SAMPLED, sampled);
            e.add("secondaryMetrics", only);
        });
        assertEquals(CompareCommand.NOT_JUDGED, compare(INTERLEAVED, satOut), out());
        assertTrue(out().contains("  J/img  not judged: the candidate ran interleave=true and the profiler sampled none "
                + "of its 1 window(s) (energy.sampled = 1 in none): it has no J/img (img/s is over all its windows)\n"), out());
        assertEquals(1, out().lines().filter(l -> l.contains("J/img")).count(), out()); // this line alone

        String unreadable = derived("unreadable.json", e ->
                fork(secondary(e).getAsJsonObject(EnergyLabels.SAMPLED)).set(3, new JsonPrimitive(2)));
        assertEquals(CompareCommand.NOT_JUDGED, compare(unreadable, INTERLEAVED), out());
        assertTrue(out().contains("  J/img  not judged: the baseline's energy.sampled is not one 0, 1 or NaN per window "
                + "of each fork: which windows the profiler sampled is not known (img/s is over all its windows)"), out());
        assertTrue(out().contains("img/s  10884 -> 10880"), out());
    }
}
