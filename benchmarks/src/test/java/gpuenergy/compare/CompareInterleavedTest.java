package gpuenergy.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import gpuenergy.profile.EnergyLabels;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * compare on the recorded H100 run with {@code energy:interleave=true} (src/test/resources/h100/README.md: 16 windows,
 * 8 sampled, whose img/s average 10880 where all 16 average 10884): img/s and J/img are judged over the sampled windows,
 * the profiler as it runs without interleave, and inputs derived from the run in memory stand for the other cases.
 */
class CompareInterleavedTest {
    static final String RUN = "src/test/resources/h100/interleaved-tensorrt-fp16-b16.json";

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

    /** The recorded run's one entry, changed by {@code edit}, written to {@code name}. */
    private String derived(String name, Consumer<JsonObject> edit) throws Exception {
        JsonArray file = JsonParser.parseString(Files.readString(Path.of(RUN))).getAsJsonArray();
        edit.accept(file.get(0).getAsJsonObject());
        return Files.writeString(tmp.resolve(name), new Gson().toJson(file)).toString();
    }

    private static JsonArray fork(JsonObject metric) {
        return metric.getAsJsonArray("rawData").get(0).getAsJsonArray();
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
        String again = derived("again.json", e -> {});
        assertEquals(0, compare(RUN, again), out());
        assertTrue(out().contains("energy profiler with interleave=true on both sides for 1 of the 1 compared benchmark(s): "
                + "img/s and J/img over the windows it sampled (energy.sampled = 1) only"), out());
        assertTrue(out().contains("img/s  10880 -> 10880  +0.00%"), out());
        assertTrue(out().contains("J/img  0.03517 -> 0.03517  +0.00%"), out());
        assertFalse(out().contains("not judged"), out());
    }

    @Test
    void anInterleavedSideIsJudgedOverItsSampledWindowsAgainstAllWindowsOfTheOther() throws Exception {
        String plain = derived("plain.json", CompareInterleavedTest::sampledOnly);
        assertEquals(0, compare(RUN, plain), out());
        assertTrue(out().contains("energy profiler with interleave=true in the baseline only for 1 of the 1 compared "
                + "benchmark(s): its sampled windows (energy.sampled = 1), the profiler as it runs without interleave, "
                + "against all windows of the candidate"), out());
        // the same windows on both sides: the sat-out ones would make the baseline's 10884
        assertTrue(out().contains("img/s  10880 -> 10880  +0.00%"), out());
        assertTrue(out().contains("J/img  0.03517 -> 0.03517  +0.00%"), out());

        assertEquals(0, compare(plain, RUN), out());
        assertTrue(out().contains("interleave=true in the candidate only for 1 of the 1 compared benchmark(s): its "
                + "sampled windows (energy.sampled = 1), the profiler as it runs without interleave, against all windows "
                + "of the baseline"), out());
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
        assertEquals(CompareCommand.NOT_JUDGED, compare(RUN, satOut), out());
        assertTrue(out().contains("  J/img  not judged: the candidate ran interleave=true and the profiler sampled none "
                + "of its 1 window(s) (energy.sampled = 1 in none): it has no J/img (img/s is over all its windows)\n"), out());
        assertEquals(1, out().lines().filter(l -> l.contains("J/img")).count(), out()); // this line alone

        String unreadable = derived("unreadable.json", e ->
                fork(secondary(e).getAsJsonObject(EnergyLabels.SAMPLED)).set(3, new JsonPrimitive(2)));
        assertEquals(CompareCommand.NOT_JUDGED, compare(unreadable, RUN), out());
        assertTrue(out().contains("  J/img  not judged: the baseline's energy.sampled is not one 0, 1 or NaN per window "
                + "of each fork: which windows the profiler sampled is not known (img/s is over all its windows)"), out());
        assertTrue(out().contains("img/s  10884 -> 10880"), out());
    }
}
