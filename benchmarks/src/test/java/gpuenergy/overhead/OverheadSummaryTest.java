package gpuenergy.overhead;

import gpuenergy.results.InterleavedRun;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import gpuenergy.DocExamples;
import gpuenergy.profile.EnergyLabels;
import gpuenergy.profile.Interleave;
import gpuenergy.results.Numbers;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The overhead table from run files: what it leaves out, it counts and says. */
class OverheadSummaryTest {
    private static final Path RUN = Path.of("src/test/resources/h100/fp16-b128-on-1.json");
    private static final Map<String, String> CONFIG = Map.of("batchSize", "128");
    private static final Variant OFF = new Variant("off", "");
    private static final Variant ON = new Variant("on", "energy");

    /** docs/overhead.md's column table names every column of overhead.csv after the configuration's, and no other. */
    @Test
    void theDocumentedColumnsAreTheFilesColumns() {
        List<String> header = List.of(OverheadSummary.csv(List.of()).strip().split(","));
        List<String> documented = DocExamples.tableNames("docs/overhead.md", "## Reading the table").stream()
                .filter(n -> !n.equals("-p")).toList();
        assertEquals(new TreeSet<>(header), new TreeSet<>(documented));
        assertEquals(header.size(), documented.size(), "each column once: " + documented);
    }

    /** A J/img the profiler could not measure (NaN) is left out of the median, counted in the file and said on the console. */
    @Test
    void anUnknownJoulesPerImageIsLeftOutAndCounted(@TempDir Path dir) throws Exception {
        JsonArray run = JsonParser.parseString(Files.readString(RUN)).getAsJsonArray();
        Files.writeString(dir.resolve(OverheadCommand.resultName(CONFIG, 1, OFF)), run.toString());
        run.get(0).getAsJsonObject().getAsJsonObject("secondaryMetrics").getAsJsonObject(EnergyLabels.J_PER_IMG)
                .getAsJsonArray("rawData").get(0).getAsJsonArray().set(1, new JsonPrimitive("NaN"));
        Files.writeString(dir.resolve(OverheadCommand.resultName(CONFIG, 1, ON)), run.toString());

        List<OverheadSummary.Row> rows = OverheadSummary.rows(dir, List.of(CONFIG), List.of(OFF, ON), new TreeSet<>(List.of(1)), Map.of(), 0.01);
        OverheadSummary.Row on = rows.get(1);
        assertEquals(1, on.jPerImgUnknown());
        assertEquals(0, rows.get(0).jPerImgUnknown());
        // the median of the two known iterations, 0.042194 and 0.042327
        assertEquals((0.04219375222151518 + 0.04232699569575489) / 2, on.jPerImg().value(), 1e-15);

        List<String> csv = OverheadSummary.csv(rows).lines().toList();
        List<String> header = List.of(csv.get(0).split(","));
        assertEquals("1", csv.get(2).split(",")[header.indexOf("j_per_img_unknown")]);
        assertEquals("0", csv.get(1).split(",")[header.indexOf("j_per_img_unknown")]);
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        OverheadSummary.print(new PrintStream(console, true, StandardCharsets.UTF_8), rows, 0.01);
        assertTrue(console.toString(StandardCharsets.UTF_8).contains("J/img unknown in 1 iteration(s) (the profiler could not "
                + "measure them; its warnings in the run's output say why): left out of its median"), console.toString());
    }

    /** The header gives the tolerance as given: 7 %, not 7.000000000000001 % (0.07 x 100 in floating point). */
    @Test
    void theHeaderGivesTheToleranceAsGiven() {
        for (Map.Entry<Double, String> t : Map.of(0.07, "7", 0.14, "14", 0.005, "0.5", 0.57, "57").entrySet()) {
            ByteArrayOutputStream console = new ByteArrayOutputStream();
            OverheadSummary.print(new PrintStream(console, true, StandardCharsets.UTF_8), List.of(), t.getKey());
            assertTrue(console.toString(StandardCharsets.UTF_8).contains("; verdict at +-" + t.getValue() + "%):"),
                    console.toString(StandardCharsets.UTF_8));
        }
    }

    /**
     * The sampler's busy share of a window over a variant's runs (0.31, unknown and 0.47 in one run, 0.12, 0.25 and 0.2
     * in the other: median 0.25 of the five known, largest 0.47), in the file and on the console; a variant without the
     * figure (no profiler, or a result from before it) has none, and says nothing.
     */
    @Test
    void theSamplersLargestBusyShareIsKeptAndSaid(@TempDir Path dir) throws Exception {
        String run = Files.readString(RUN);
        for (int round = 1; round <= 2; round++) {
            Files.writeString(dir.resolve(OverheadCommand.resultName(CONFIG, round, OFF)), run);
            JsonArray on = JsonParser.parseString(run).getAsJsonArray();
            var secondary = on.get(0).getAsJsonObject().getAsJsonObject("secondaryMetrics");
            var busy = secondary.getAsJsonObject(EnergyLabels.J_PER_IMG).deepCopy();
            busy.addProperty("scoreUnit", "%");
            JsonArray fork = new JsonArray();
            for (String x : round == 1 ? List.of("0.31", "NaN", "0.47") : List.of("0.12", "0.25", "0.2")) {
                fork.add(x.equals("NaN") ? new JsonPrimitive("NaN") : new JsonPrimitive(Double.parseDouble(x)));
            }
            JsonArray rawData = new JsonArray();
            rawData.add(fork);
            busy.add("rawData", rawData);
            secondary.add(EnergyLabels.SAMPLER_BUSY_PCT, busy);
            Files.writeString(dir.resolve(OverheadCommand.resultName(CONFIG, round, ON)), on.toString());
        }
        List<OverheadSummary.Row> rows = OverheadSummary.rows(dir, List.of(CONFIG), List.of(OFF, ON), new TreeSet<>(List.of(1, 2)), Map.of(), 0.01);
        assertTrue(!rows.get(0).samplerBusy().known(), "no sampler without the profiler");
        assertEquals(0.25, rows.get(1).samplerBusy().median(), 0.0);
        assertEquals(0.47, rows.get(1).samplerBusy().max(), 0.0);

        List<String> csv = OverheadSummary.csv(rows).lines().toList();
        List<String> header = List.of(csv.get(0).split(","));
        assertEquals("", csv.get(1).split(",", -1)[header.indexOf("sampler_busy_pct_max")]);
        assertEquals("0.25", csv.get(2).split(",", -1)[header.indexOf("sampler_busy_pct_median")]);
        assertEquals("0.47", csv.get(2).split(",", -1)[header.indexOf("sampler_busy_pct_max")]);
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        OverheadSummary.print(new PrintStream(console, true, StandardCharsets.UTF_8), rows, 0.01);
        String printed = console.toString(StandardCharsets.UTF_8);
        assertEquals(1, printed.lines().filter(l -> l.contains("sampler at work in 0.25 % of the median window, 0.47 % at "
                + "most (energy.sampler-busy-%): the most it can have taken by holding a CPU or the driver")).count(), printed);
        assertEquals(1, printed.lines().filter(l -> l.contains("sampler at work")).count(), printed);
    }

    /**
     * J/img's intervals resample the runs with a known J/img: two runs a side, one of them with no J/img known, are over
     * runs for img/s and over iterations for J/img, and each is marked so, in the file and on the console.
     */
    @Test
    void theJoulesPerImageIntervalIsMarkedOnItsOwn(@TempDir Path dir) throws Exception {
        String run = Files.readString(RUN);
        JsonArray unmeasured = JsonParser.parseString(run).getAsJsonArray();
        JsonArray rawData = unmeasured.get(0).getAsJsonObject().getAsJsonObject("secondaryMetrics")
                .getAsJsonObject(EnergyLabels.J_PER_IMG).getAsJsonArray("rawData").get(0).getAsJsonArray();
        for (int i = 0; i < rawData.size(); i++) {
            rawData.set(i, new JsonPrimitive("NaN"));
        }
        for (int round = 1; round <= 2; round++) {
            Files.writeString(dir.resolve(OverheadCommand.resultName(CONFIG, round, OFF)), run);
            Files.writeString(dir.resolve(OverheadCommand.resultName(CONFIG, round, ON)), round == 1 ? run : unmeasured.toString());
        }
        List<OverheadSummary.Row> rows = OverheadSummary.rows(dir, List.of(CONFIG), List.of(OFF, ON), new TreeSet<>(List.of(1, 2)), Map.of(), 0.01);
        OverheadSummary.Row on = rows.get(1);
        assertTrue(on.overRuns(), "img/s: two runs a side");
        assertTrue(on.jPerImgRatio().known());

        List<String> csv = OverheadSummary.csv(rows).lines().toList();
        List<String> header = List.of(csv.get(0).split(","));
        List<String> offCells = List.of(csv.get(1).split(","));
        List<String> onCells = List.of(csv.get(2).split(","));
        assertTrue(header.contains("j_per_img_interval_over"), csv.get(0));
        assertEquals("runs", onCells.get(header.indexOf("interval_over")));
        assertEquals("iterations", onCells.get(header.indexOf("j_per_img_interval_over")));
        assertEquals("runs", offCells.get(header.indexOf("j_per_img_interval_over")));
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        OverheadSummary.print(new PrintStream(console, true, StandardCharsets.UTF_8), rows, 0.01);
        List<String> lines = console.toString(StandardCharsets.UTF_8).lines().toList();
        int onRow = lines.indexOf(lines.stream().filter(l -> l.startsWith("on ")).findFirst().orElseThrow());
        assertTrue(lines.get(onRow + 1).contains("J/img interval over iterations"), String.join("\n", lines));
        assertEquals(1, lines.stream().filter(l -> l.contains("J/img interval over")).count(), String.join("\n", lines));
    }

    /**
     * The console shows figures as every command does (Numbers.plain: at least 4 significant digits, never fewer than the
     * integer part, never in scientific notation); the file keeps them at full precision.
     */
    @Test
    void theConsoleShowsPlainFiguresAndTheFileFullOnes(@TempDir Path dir) throws Exception {
        String run = Files.readString(RUN);
        Files.writeString(dir.resolve(OverheadCommand.resultName(CONFIG, 1, OFF)), run);
        Files.writeString(dir.resolve(OverheadCommand.resultName(CONFIG, 1, ON)), run);
        List<OverheadSummary.Row> rows = OverheadSummary.rows(dir, List.of(CONFIG), List.of(OFF, ON), new TreeSet<>(List.of(1)), Map.of(), 0.01);
        OverheadSummary.Row on = rows.get(1);

        ByteArrayOutputStream console = new ByteArrayOutputStream();
        OverheadSummary.print(new PrintStream(console, true, StandardCharsets.UTF_8), rows, 0.01);
        String row = console.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("on ")).findFirst().orElseThrow();
        List<String> cells = List.of(row.split("\\s+"));
        assertTrue(cells.contains(Numbers.plain(on.imgPerSecond().value())), row);
        assertTrue(cells.contains(Numbers.plain(on.jPerImg().value())), row);

        List<String> csv = OverheadSummary.csv(rows).lines().toList();
        List<String> header = List.of(csv.get(0).split(","));
        List<String> onCells = List.of(csv.get(2).split(","));
        assertEquals(String.valueOf(on.imgPerSecond().value()), onCells.get(header.indexOf("img_per_s_median")));
        assertEquals(String.valueOf(on.jPerImg().value()), onCells.get(header.indexOf("j_per_img_median")));
    }

    /**
     * Recorded H200 runs of ResNet-50 pytorch-fp16 at batch 1 (src/test/resources/h200/b1-runs): the two runs without a
     * profiler have medians 231 and 356 img/s. The table says how far runs of one variant lie apart, in the file and on
     * the console.
     */
    @Test
    void howFarRunsOfOneVariantLieApartIsSaid(@TempDir Path dir) throws Exception {
        Map<String, String> config = Map.of("model", "resnet50", "engine", "pytorch-fp16", "batchSize", "1");
        List<Variant> variants = List.of(OFF, new Variant("lean", "energy:sampling=lean;settle=5"),
                new Variant("continuous", "energy:sampling=continuous;settle=5"));
        for (Variant v : variants) {
            for (int round = 1; round <= 2; round++) {
                Files.copy(Path.of("src/test/resources/h200/b1-runs/pytorch-fp16-b1.r" + round + "." + v.name() + ".json"),
                        dir.resolve(OverheadCommand.resultName(config, round, v)));
            }
        }
        List<OverheadSummary.Row> rows = OverheadSummary.rows(dir, List.of(config), variants, new TreeSet<>(List.of(1, 2)),
                Map.of(), 0.01);
        OverheadSummary.Row off = rows.get(0);
        assertEquals(2, off.runMedians().length);
        assertEquals(356.4 / 230.6 - 1, off.runSpread(), 0.002);
        assertTrue(rows.stream().allMatch(r -> r.runSpread() <= off.runSpread()), "off's runs lie furthest apart");

        List<String> csv = OverheadSummary.csv(rows).lines().toList();
        List<String> header = List.of(csv.get(0).split(","));
        String[] medians = csv.get(1).split(",")[header.indexOf("img_per_s_run_medians")].split(";");
        assertEquals(2, medians.length);
        assertEquals(off.runMedians()[0], Double.parseDouble(medians[0]));

        ByteArrayOutputStream console = new ByteArrayOutputStream();
        OverheadSummary.print(new PrintStream(console, true, StandardCharsets.UTF_8), rows, 0.01);
        String printed = console.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("runs of one variant lie up to 55 % apart (off: median img/s 230.6, 356.4 by run): the "
                + "spread is between runs"), printed);
        assertEquals(1, printed.lines().filter(l -> l.contains("runs of one variant")).count(), "once per configuration");
        // the runs' spread, pooled over the three variants (3 degrees of freedom), asks for far more runs than two
        MedianRatio.RunsForSame n = MedianRatio.runsForSame(rows.stream().map(OverheadSummary.Row::runMedians).toList(), 0.01);
        assertEquals(3, n.degreesOfFreedom());
        assertTrue(n.runsASide() > 1000, "runs 55 % apart: " + n);
        assertTrue(printed.contains(String.format(Locale.ROOT, "were the variants alike, about %,d runs a side would give "
                + "\"same\" with a chance of 80 %% at this spread (a run's median varies by %.1f %%, estimated from 3 degrees of "
                + "freedom)", OverheadSummary.twoSignificantDigits(n.runsASide()), n.sd() * 100)), printed);

        // within the tolerance nothing is said
        ByteArrayOutputStream wide = new ByteArrayOutputStream();
        OverheadSummary.print(new PrintStream(wide, true, StandardCharsets.UTF_8), rows, 0.60);
        assertTrue(!wide.toString(StandardCharsets.UTF_8).contains("runs of one variant"), wide.toString());
    }

    /**
     * The recorded tensorrt-fp16 batch-1 iterations (MedianRatioTest) as run files: over 42 rounds lean's runs vary
     * inside four times as much as those without a profiler, and the console says so under the configuration; over 8
     * rounds the change is not clear, and nothing is said. The file holds each variant's within-run CV and, for lean,
     * its p.
     */
    @Test
    void aChangeOfHowSteadyRunsAreIsSaid(@TempDir Path dir) throws Exception {
        for (int rounds : new int[] {42, 8}) {
            Path runs = Files.createDirectories(dir.resolve("r" + rounds));
            Map<String, List<double[]>> recorded = MedianRatioTest.recordedTensorRtBatchOne(rounds);
            for (Variant v : List.of(OFF, ON)) {
                List<double[]> iterations = recorded.get(v == OFF ? "off" : "lean");
                for (int round = 1; round <= rounds; round++) {
                    JsonArray run = JsonParser.parseString(Files.readString(RUN)).getAsJsonArray();
                    var primary = run.get(0).getAsJsonObject().getAsJsonObject("primaryMetric");
                    JsonArray fork = new JsonArray();
                    Arrays.stream(iterations.get(round - 1)).forEach(fork::add);
                    JsonArray rawData = new JsonArray();
                    rawData.add(fork);
                    primary.add("rawData", rawData);
                    primary.addProperty("score", Arrays.stream(iterations.get(round - 1)).average().getAsDouble());
                    Files.writeString(runs.resolve(OverheadCommand.resultName(CONFIG, round, v)), run.toString());
                }
            }
            List<OverheadSummary.Row> rows = OverheadSummary.rows(runs, List.of(CONFIG), List.of(OFF, ON),
                    new TreeSet<>(java.util.stream.IntStream.rangeClosed(1, rounds).boxed().toList()), Map.of(), 0.01);
            ByteArrayOutputStream console = new ByteArrayOutputStream();
            OverheadSummary.print(new PrintStream(console, true, StandardCharsets.UTF_8), rows, 0.01);
            String said = console.toString(StandardCharsets.UTF_8);
            String line = "on's iterations inside a run vary more than off's: CV 8.6 % against 2.1 % (median over runs;"
                    + " Mann-Whitney p = 0.00025): the variant changes how steady a run's pace is, whatever the medians";
            if (rounds == 42) {
                assertTrue(said.contains(line), said);
                List<String> csv = OverheadSummary.csv(rows).lines().toList();
                List<String> header = List.of(csv.get(0).split(","));
                assertEquals(0.0856781927897558, Double.parseDouble(csv.get(2).split(",")[header.indexOf("img_per_s_within_run_cv")]), 1e-12);
                assertEquals(0.02059315623939406, Double.parseDouble(csv.get(1).split(",")[header.indexOf("img_per_s_within_run_cv")]), 1e-12);
                assertEquals("", csv.get(1).split(",", -1)[header.indexOf("within_run_cv_p")], "the baseline has no p");
                assertEquals(0.0002503383485158704, Double.parseDouble(csv.get(2).split(",")[header.indexOf("within_run_cv_p")]), 1e-9);
            } else {
                assertTrue(!said.contains("inside a run vary"), said);
            }
        }
    }

    private static final Variant ENDS = new Variant("ends", "energy:interleave=true");

    /**
     * An interleaved run's img/s (batch 128): 16 iterations at {@code level} batches/s, each 0.3 % or less either side
     * of it, those the profiler sampled ({@link Interleave#sampled}) 1 % slower; index 0 holds the sat-out ones, 1 the
     * sampled ones.
     */
    private static double[][] interleavedImgPerSecond(double level) {
        return interleavedImgPerSecond(level, 0.99);
    }

    /** As {@link #interleavedImgPerSecond(double)}, the sampled windows {@code factor} times the sat-out ones. */
    private static double[][] interleavedImgPerSecond(double level, double factor) {
        double[][] sides = {new double[8], new double[8]};
        int[] n = new int[2];
        for (int i = 0; i < 16; i++) {
            int side = Interleave.sampled(i) ? 1 : 0;
            sides[side][n[side]++] = 128 * level * (side == 1 ? factor : 1) * (1 + 0.001 * (i * 3 % 7 - 3));
        }
        return sides;
    }

    /**
     * {@link #RUN} with the 16 iterations of {@link #interleavedImgPerSecond} in ABBA order, and {@code sampledValues}
     * of them as its {@link EnergyLabels#SAMPLED} values (16 for a profiler that ran through).
     */
    private static String interleavedRun(double level, int sampledValues) throws Exception {
        return interleavedRun(level, sampledValues, 0.99);
    }

    private static String interleavedRun(double level, int sampledValues, double factor) throws Exception {
        double[][] sides = interleavedImgPerSecond(level, factor);
        double[] windows = new double[16];
        int[] n = new int[2];
        for (int i = 0; i < 16; i++) {
            int side = Interleave.sampled(i) ? 1 : 0;
            windows[i] = sides[side][n[side]++] / 128;
        }
        return interleavedRun(windows, sampledValues);
    }

    /**
     * {@link #RUN} with these windows' batches/s in ABBA order, and the first {@code sampledValues} of their {@link
     * EnergyLabels#SAMPLED} values.
     */
    private static String interleavedRun(double[] windows, int sampledValues) throws Exception {
        JsonArray iterations = new JsonArray();
        JsonArray sampled = new JsonArray();
        for (int i = 0; i < windows.length; i++) {
            iterations.add(windows[i]);
            if (i < sampledValues) {
                sampled.add(Interleave.sampled(i) ? 1 : 0);
            }
        }
        JsonArray run = JsonParser.parseString(Files.readString(RUN)).getAsJsonArray();
        var entry = run.get(0).getAsJsonObject();
        JsonArray rawData = new JsonArray();
        rawData.add(iterations);
        entry.getAsJsonObject("primaryMetric").add("rawData", rawData);
        var secondary = entry.getAsJsonObject("secondaryMetrics");
        var label = secondary.getAsJsonObject(EnergyLabels.J_PER_IMG).deepCopy();
        label.addProperty("scoreUnit", "");
        JsonArray sampledData = new JsonArray();
        sampledData.add(sampled);
        label.add("rawData", sampledData);
        secondary.add(EnergyLabels.SAMPLED, label);
        return run.toString();
    }

    /**
     * Three interleaved runs that settled at 100, 150 and 120 batches/s, their sampled windows 1 % slower than their
     * sat-out windows in each: inside the runs the ratio is 0.99 with a narrow interval, slower at ±0.5 %, in the file
     * and in one line under the row; the row's img/s figures are those of the sampled windows alone. The baseline, run
     * without the label, has none of it.
     */
    @Test
    void anInterleavedVariantIsComparedInsideItsRuns(@TempDir Path dir) throws Exception {
        double[] levels = {100, 150, 120};
        for (int round = 1; round <= 3; round++) {
            Files.writeString(dir.resolve(OverheadCommand.resultName(CONFIG, round, OFF)), Files.readString(RUN));
            Files.writeString(dir.resolve(OverheadCommand.resultName(CONFIG, round, ENDS)), interleavedRun(levels[round - 1], 16));
        }
        List<OverheadSummary.Row> rows = OverheadSummary.rows(dir, List.of(CONFIG), List.of(OFF, ENDS),
                new TreeSet<>(List.of(1, 2, 3)), Map.of(), 0.005);
        OverheadSummary.Row off = rows.get(0);
        OverheadSummary.Row ends = rows.get(1);
        assertEquals(OverheadSummary.Interleaved.NONE, off.interleaved());
        OverheadSummary.Interleaved in = ends.interleaved();
        assertEquals(List.of(3, 24, 24), List.of(in.runs(), in.satOutIterations(), in.sampledIterations()));
        List<double[]> sampled = Arrays.stream(levels).mapToObj(l -> interleavedImgPerSecond(l)[1]).toList();
        double logs = 0;
        for (double level : levels) {
            logs += MedianRatio.runLogRatio(MedianRatioTest.abba(abbaOrder(interleavedImgPerSecond(level))));
        }
        assertEquals(Math.exp(logs / levels.length), in.ratio().value(), 1e-12, "the geometric mean of the runs' ratios");
        assertEquals(0.99, in.ratio().value(), 0.002);
        assertTrue(in.ratio().lo() > 0.985 && in.ratio().hi() < 0.995, "the runs' levels cancel: " + in.ratio());
        assertEquals(MedianRatio.Verdict.SLOWER, in.verdict());
        assertEquals(24, ends.iterations(), "the sampled windows");
        assertEquals(MedianRatio.median(sampled.stream().flatMapToDouble(Arrays::stream).toArray()),
                ends.imgPerSecond().value(), 1e-9);
        assertEquals(MedianRatio.median(sampled.get(1)), ends.runMedians()[1], 1e-9);
        assertEquals(MedianRatio.withinRunCv(sampled), ends.withinRunCv(), 1e-12, "the sampled windows' CV");
        assertTrue(ends.withinRunCv() < 0.003, "without the sat-out windows' 1 % step: " + ends.withinRunCv());

        List<String> csv = OverheadSummary.csv(rows).lines().toList();
        List<String> header = List.of(csv.get(0).split(","));
        assertEquals(List.of("interleaved_runs", "interleaved_sat_out_iterations", "interleaved_sampled_iterations",
                "interleaved_ratio", "interleaved_ratio_lo", "interleaved_ratio_hi", "interleaved_verdict",
                "interleaved_mean_pair_ratio", "not_run"), header.subList(header.size() - 9, header.size()));
        List<String> offCells = List.of(csv.get(1).split(",", -1));
        List<String> endsCells = List.of(csv.get(2).split(",", -1));
        int first = header.indexOf("interleaved_runs");
        assertEquals(List.of("", "", "", "", "", "", "", ""), offCells.subList(first, first + 8), "no interleaved run");
        assertEquals(List.of("3", "24", "24", String.valueOf(in.ratio().value()), String.valueOf(in.ratio().lo()),
                String.valueOf(in.ratio().hi()), "slower", String.valueOf(in.meanPairRatio())),
                endsCells.subList(first, first + 8));

        ByteArrayOutputStream console = new ByteArrayOutputStream();
        OverheadSummary.print(new PrintStream(console, true, StandardCharsets.UTF_8), rows, 0.005);
        List<String> lines = console.toString(StandardCharsets.UTF_8).lines().toList();
        int endsRow = lines.indexOf(lines.stream().filter(l -> l.startsWith("ends ")).findFirst().orElseThrow());
        assertEquals(String.format(Locale.ROOT, "             within its runs (energy:interleave=true): sampled windows' "
                + "img/s over sat-out windows' %.4f [%.4f, %.4f], 3 runs, 24 sampled + 24 sat-out iterations: slower",
                in.ratio().value(), in.ratio().lo(), in.ratio().hi()), lines.get(endsRow + 1));
        assertEquals(1, lines.stream().filter(l -> l.contains("within its runs")).count(), String.join("\n", lines));
    }

    /**
     * The mean-based check speaks wherever it lies outside the ratio's interval, over one run too (its interval is of its
     * estimate over the same pairs); not where one run of too few pairs has no interval.
     */
    @Test
    void theMeanCheckSpeaksOutsideTheInterval() {
        MedianRatio.Estimate ratio = new MedianRatio.Estimate(0.999, 0.995, 1.004);
        OverheadSummary.Interleaved one = new OverheadSummary.Interleaved(1, 8, 8, ratio, MedianRatio.Verdict.TOO_NOISY, 0, 0, Double.NaN,
                0, 0.98);
        assertTrue(one.meanOutsideInterval(), "one run's interval is of its pairs, as their mean is");
        OverheadSummary.Interleaved two = new OverheadSummary.Interleaved(2, 16, 16, ratio, MedianRatio.Verdict.TOO_NOISY, 0, 0, 0.002,
                2, 0.98);
        assertTrue(two.meanOutsideInterval(), "over runs a mean below the interval is said");
        assertFalse(new OverheadSummary.Interleaved(2, 16, 16, ratio, MedianRatio.Verdict.TOO_NOISY, 0, 0, 0.002, 2, 1.0)
                .meanOutsideInterval(), "inside the interval nothing is said");
        assertFalse(new OverheadSummary.Interleaved(1, 4, 4, new MedianRatio.Estimate(0.999, Double.NaN, Double.NaN),
                MedianRatio.Verdict.TOO_NOISY, 0, 0, Double.NaN, 0, 0.98).meanOutsideInterval(), "no interval, 4 pairs");
    }

    /**
     * A recorded H100 run (tensorrt-fp16 batch 16, 16 windows of 1 s in ABBA order): its ratio is the Hodges-Lehmann
     * estimate of its 8 pairs' log ratios, 0.99933817 (the study's own estimator, est.py's phl, gives the same), where the
     * ratio of its two kinds' medians is 1.00161262 and the mean over its pairs 0.99936440.
     */
    @Test
    void aRecordedRunsRatioIsTheHodgesLehmannEstimateOfItsPairs(@TempDir Path dir) throws Exception {
        Path recorded = Path.of("src/test/resources/h100/interleaved-tensorrt-fp16-b16.json");
        Files.copy(recorded, dir.resolve(OverheadCommand.resultName(CONFIG, 1, ENDS)));
        OverheadSummary.Interleaved one = OverheadSummary.rows(dir, List.of(CONFIG), List.of(ENDS), new TreeSet<>(List.of(1)),
                Map.of(), 0.01).get(0).interleaved();
        assertEquals(List.of(1, 8, 8), List.of(one.runs(), one.satOutIterations(), one.sampledIterations()));
        assertEquals(0.9993381675260818, one.ratio().value(), 1e-12);
        assertEquals(0.9993643978833998, one.meanPairRatio(), 1e-12);
        var result = gpuenergy.results.ResultFile.read(recorded).get(0);
        InterleavedRun run = InterleavedRun.of(result.imagesPerSecond().samples(),
                result.secondary().get(EnergyLabels.SAMPLED).samples());
        double medians = MedianRatio.median(run.ofKind(InterleavedRun.SAMPLED)) / MedianRatio.median(run.ofKind(InterleavedRun.SAT_OUT));
        assertEquals(1.0016126228870037, medians, 1e-12, "the two kinds' medians say otherwise");
        Files.copy(recorded, dir.resolve(OverheadCommand.resultName(CONFIG, 2, ENDS)));
        OverheadSummary.Interleaved two = OverheadSummary.rows(dir, List.of(CONFIG), List.of(ENDS), new TreeSet<>(List.of(1, 2)),
                Map.of(), 0.01).get(0).interleaved();
        assertEquals(0.9993381675260818, two.ratio().value(), 1e-12, "the geometric mean of two alike");
    }

    /**
     * The recorded H100 run less its last window (an odd -i: 15 windows, the last one sampled, without a partner), and
     * the run with a sampled window of neither kind (the sampler did not park before it in time): each compares the
     * windows of its pairs only, as the run without those windows does, in its ratio, its interval and the iterations
     * its line says it rests on, 7 and 7.
     */
    @Test
    void theComparisonInsideARunRestsOnTheWindowsOfItsPairs() throws Exception {
        var result = gpuenergy.results.ResultFile.read(Path.of("src/test/resources/h100/interleaved-tensorrt-fp16-b16.json")).get(0);
        double[] windows = result.imagesPerSecond().samples();
        double[] sampled = result.secondary().get(EnergyLabels.SAMPLED).samples();
        OverheadSummary.Interleaved odd = interleavedOf(Arrays.copyOf(windows, 15), Arrays.copyOf(sampled, 15));
        OverheadSummary.Interleaved fourteen = interleavedOf(Arrays.copyOf(windows, 14), Arrays.copyOf(sampled, 14));
        assertEquals(List.of(1, 7, 7), List.of(odd.runs(), odd.sampledIterations(), odd.satOutIterations()));
        assertEquals(fourteen, odd);

        double[] notParked = sampled.clone();
        notParked[5] = Double.NaN; // the second window of the pair (4, 5)
        double[] withoutPair = concat(Arrays.copyOf(windows, 4), Arrays.copyOfRange(windows, 6, 16));
        double[] itsKinds = concat(Arrays.copyOf(sampled, 4), Arrays.copyOfRange(sampled, 6, 16));
        OverheadSummary.Interleaved neither = interleavedOf(windows, notParked);
        assertEquals(List.of(1, 7, 7), List.of(neither.runs(), neither.sampledIterations(), neither.satOutIterations()));
        assertEquals(interleavedOf(withoutPair, itsKinds), neither);
    }

    /**
     * The recorded H100 interleaved run as three runs of the variant: round 1 cut to its first window (-i 1: it sits
     * out, no window sampled), round 2 as recorded, round 3 with every window 10 % faster; beside runs without a profiler.
     * The run of round 1 compares nothing: the row counts 2 runs, whose medians lie 10 % apart, and says so as for any
     * variant; one line says the run without a sampled window is not counted.
     */
    @Test
    void aRunWithoutASampledWindowIsNoRunOfTheComparison(@TempDir Path dir) throws Exception {
        Path recorded = Path.of("src/test/resources/h100/interleaved-tensorrt-fp16-b16.json");
        Files.writeString(dir.resolve(OverheadCommand.resultName(CONFIG, 1, ENDS)), recordedInterleavedCutTo(1));
        Files.copy(recorded, dir.resolve(OverheadCommand.resultName(CONFIG, 2, ENDS)));
        JsonArray faster = JsonParser.parseString(Files.readString(recorded)).getAsJsonArray();
        JsonArray windows = faster.get(0).getAsJsonObject().getAsJsonObject("primaryMetric").getAsJsonArray("rawData")
                .get(0).getAsJsonArray();
        for (int i = 0; i < windows.size(); i++) {
            windows.set(i, new JsonPrimitive(windows.get(i).getAsDouble() * 1.1));
        }
        Files.writeString(dir.resolve(OverheadCommand.resultName(CONFIG, 3, ENDS)), faster.toString());
        for (int round = 1; round <= 3; round++) {
            Files.copy(RUN, dir.resolve(OverheadCommand.resultName(CONFIG, round, OFF)));
        }
        List<OverheadSummary.Row> rows = OverheadSummary.rows(dir, List.of(CONFIG), List.of(OFF, ENDS),
                new TreeSet<>(List.of(1, 2, 3)), Map.of(), 0.01);
        OverheadSummary.Row ends = rows.get(1);
        assertEquals(2, ends.runs());
        assertEquals(16, ends.iterations(), "the sampled windows of rounds 2 and 3");
        assertEquals(0.1, ends.runSpread(), 1e-12);
        OverheadSummary.Interleaved in = ends.interleaved();
        assertEquals(List.of(2, 0, 1), List.of(in.runs(), in.leftOut(), in.withoutSampled()));

        List<String> lines = printed(rows).lines().toList();
        assertEquals(1, lines.stream().filter(l -> l.equals("             1 run(s) without a sampled window (energy.sampled "
                + "0 or NaN in each window, as with -i 1): not counted in runs, as nothing in them compares")).count(),
                String.join("\n", lines));
        assertFalse(lines.stream().anyMatch(l -> l.contains("left out")), String.join("\n", lines));
        assertEquals(1, lines.stream().filter(l -> l.startsWith("             runs of one variant lie up to 10 % apart "
                + "(ends: median img/s ")).count(), String.join("\n", lines));
    }

    /**
     * The recorded H100 interleaved run as if measured with -i {@code windows}: its first windows, their {@link
     * EnergyLabels#SAMPLED} values, and the energy figures of the sampled ones among them (none: no such figure).
     */
    private static String recordedInterleavedCutTo(int windows) throws Exception {
        JsonArray run = JsonParser.parseString(Files.readString(
                Path.of("src/test/resources/h100/interleaved-tensorrt-fp16-b16.json"))).getAsJsonArray();
        var entry = run.get(0).getAsJsonObject();
        var secondary = entry.getAsJsonObject("secondaryMetrics");
        int sampled = 0;
        for (int i = 0; i < windows; i++) {
            sampled += Interleave.sampled(i) ? 1 : 0;
        }
        cut(entry.getAsJsonObject("primaryMetric"), windows);
        for (String label : List.copyOf(secondary.keySet())) {
            int kept = label.equals(EnergyLabels.SAMPLED) ? windows : sampled;
            if (kept == 0) {
                secondary.remove(label);
            } else {
                cut(secondary.getAsJsonObject(label), kept);
            }
        }
        return run.toString();
    }

    /** A metric with the first {@code n} values of its one fork. */
    private static void cut(com.google.gson.JsonObject metric, int n) {
        JsonArray all = metric.getAsJsonArray("rawData").get(0).getAsJsonArray();
        JsonArray first = new JsonArray();
        for (int i = 0; i < n; i++) {
            first.add(all.get(i));
        }
        JsonArray fork = new JsonArray();
        fork.add(first);
        metric.add("rawData", fork);
    }

    /**
     * The recorded H100 run cut to 8 windows: one run of 4 pairs, too few for a 95 % interval of its estimate; the ratio
     * is given alone, and its line says why.
     */
    @Test
    void oneRunOfFewPairsHasNoInterval(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve(OverheadCommand.resultName(CONFIG, 1, ENDS)), recordedInterleavedCutTo(8));
        OverheadSummary.Row row = OverheadSummary.rows(dir, List.of(CONFIG), List.of(ENDS), new TreeSet<>(List.of(1)),
                Map.of(), 0.01).get(0);
        OverheadSummary.Interleaved in = row.interleaved();
        assertTrue(in.ratio().known() && Double.isNaN(in.ratio().lo()) && Double.isNaN(in.ratio().hi()), in.ratio().toString());
        assertEquals(String.format(Locale.ROOT, "             within its runs (energy:interleave=true): sampled windows' "
                + "img/s over sat-out windows' %.4f (no 95 %% interval from fewer than 6 pairs), 1 run, 4 sampled + 4 "
                + "sat-out iterations: too-noisy (a verdict takes 2 runs or more, so that how the profiler's cost varies "
                + "between forks is in the interval)", in.ratio().value()), OverheadSummary.interleavedLines(row).get(0));
        List<String> csv = OverheadSummary.csv(List.of(row)).lines().toList();
        List<String> header = List.of(csv.get(0).split(","));
        List<String> cells = List.of(csv.get(1).split(",", -1));
        assertEquals(List.of("", ""), List.of(cells.get(header.indexOf("interleaved_ratio_lo")),
                cells.get(header.indexOf("interleaved_ratio_hi"))), "unknown: empty, never 0");
    }

    private static OverheadSummary.Interleaved interleavedOf(double[] windows, double[] sampled) {
        return OverheadSummary.Interleaved.of(List.of(InterleavedRun.of(windows, sampled)), 0, 0, 0.01);
    }

    /**
     * Three runs whose windows vary 0.3 % or less, the same for both kinds: the mean pace ratio over the pairs lies
     * inside the ratio's interval and nothing more is said. The same runs with one sampled window in 8 at 0.7 of its
     * pace (a stall now and then): the mean over the pairs falls by about log(0.7) / 8, outside the interval, while the
     * ratio barely moves; a line under the ratio says so, and the file has the mean either way.
     */
    @Test
    void aMeanOutsideTheIntervalIsSaidUnderTheRatio(@TempDir Path dir) throws Exception {
        for (boolean stalls : new boolean[] {false, true}) {
            double[] levels = {100, 150, 120};
            for (int round = 1; round <= 3; round++) {
                double[] windows = new double[16];
                for (int i = 0; i < 16; i++) {
                    windows[i] = levels[round - 1] * (1 + 0.001 * ((i * 3 + round * 2) % 7 - 3));
                }
                if (stalls) {
                    windows[5] *= 0.7; // a sampled window
                }
                Files.writeString(dir.resolve(OverheadCommand.resultName(CONFIG, round, ENDS)), interleavedRun(windows, 16));
            }
            List<OverheadSummary.Row> rows = OverheadSummary.rows(dir, List.of(CONFIG), List.of(ENDS),
                    new TreeSet<>(List.of(1, 2, 3)), Map.of(), 0.01);
            OverheadSummary.Interleaved in = rows.get(0).interleaved();
            List<String> lines = OverheadSummary.interleavedLines(rows.get(0));
            List<String> csv = OverheadSummary.csv(rows).lines().toList();
            List<String> header = List.of(csv.get(0).split(","));
            assertEquals(String.valueOf(in.meanPairRatio()),
                    csv.get(1).split(",", -1)[header.indexOf("interleaved_mean_pair_ratio")]);
            assertTrue(in.ratio().lo() > 0.99 && in.ratio().hi() < 1.01, "the ratio barely moves: " + in.ratio());
            if (!stalls) {
                assertTrue(in.ratio().lo() <= in.meanPairRatio() && in.meanPairRatio() <= in.ratio().hi(),
                        in.meanPairRatio() + " in " + in.ratio());
                assertTrue(lines.stream().noneMatch(l -> l.contains("mean pace ratio")), String.join("\n", lines));
            } else {
                assertEquals(Math.exp(Math.log(0.7) / 8), in.meanPairRatio(), 0.001);
                // the figures docs/overhead.md quotes for this example
                assertEquals("0.9567 0.9994 [0.9969, 1.0019]", String.format(Locale.ROOT, "%.4f %.4f [%.4f, %.4f]",
                        in.meanPairRatio(), in.ratio().value(), in.ratio().lo(), in.ratio().hi()));
                assertTrue(in.meanPairRatio() < in.ratio().lo(), in.meanPairRatio() + " below " + in.ratio());
                assertEquals(String.format(Locale.ROOT, "             the mean pace ratio over the pairs of windows is "
                        + "%.4f and lies outside that interval, so a few much slower sampled windows may hide from the "
                        + "ratio above (a median-type figure)", in.meanPairRatio()), lines.get(1));
            }
        }
    }

    /**
     * Each run's own ratio, weighed alike: two runs that settled at 100 and 300 batches/s, their sampled windows 4 %
     * slower in the first and as fast in the second, compare at the geometric mean of 0.96 and 1, where the ratio of the
     * pooled medians (each kind's median among one run's windows) would say otherwise.
     */
    @Test
    void eachRunsOwnRatioCountsAlike(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve(OverheadCommand.resultName(CONFIG, 1, ENDS)), interleavedRun(100, 16, 0.96));
        Files.writeString(dir.resolve(OverheadCommand.resultName(CONFIG, 2, ENDS)), interleavedRun(300, 16, 1.0));
        OverheadSummary.Interleaved in = OverheadSummary.rows(dir, List.of(CONFIG), List.of(ENDS),
                new TreeSet<>(List.of(1, 2)), Map.of(), 0.01).get(0).interleaved();
        assertEquals(Math.sqrt(0.96), in.ratio().value(), 0.001);
        double[][] slow = interleavedImgPerSecond(100, 0.96);
        double[][] fast = interleavedImgPerSecond(300, 1.0);
        double pooled = MedianRatio.median(concat(slow[1], fast[1])) / MedianRatio.median(concat(slow[0], fast[0]));
        assertTrue(Math.abs(pooled - in.ratio().value()) > 0.005, "pooled " + pooled + " against " + in.ratio().value());
        // two runs 4 % apart in their own ratios: too noisy, and the spread plans for many more
        assertEquals(MedianRatio.Verdict.TOO_NOISY, in.verdict());
        double sd = Math.abs(MedianRatio.runLogRatio(MedianRatioTest.abba(abbaOrder(slow)))
                - MedianRatio.runLogRatio(MedianRatioTest.abba(abbaOrder(fast)))) / Math.sqrt(2);
        assertEquals(sd, in.runSd(), 1e-12);
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        OverheadSummary.print(new PrintStream(console, true, StandardCharsets.UTF_8), OverheadSummary.rows(dir,
                List.of(CONFIG), List.of(ENDS), new TreeSet<>(List.of(1, 2)), Map.of(), 0.01), 0.01);
        String printed = console.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("were the windows alike, about " + OverheadSummary.twoSignificantDigits(
                MedianRatio.pairedRunsForSame(sd, 0.01)) + " runs would give \"same\" inside them"), printed);
        assertFalse(printed.contains("runs of one variant lie"), "runs 200 % apart whose levels cancel inside each: " + printed);
    }

    /**
     * A lone interleaved variant of one run (the recorded H100 run) compares nothing over runs: its line says a verdict
     * takes 2 runs, and no note under the table sends the user to 6 rounds for a verdict over runs that none of its rows
     * has. Beside a baseline of one run, the note stays: that comparison over runs is too noisy whatever its interval.
     */
    @Test
    void aLoneInterleavedVariantIsNotSentToTheRoundsAVerdictOverRunsTakes(@TempDir Path dir) throws Exception {
        Files.copy(Path.of("src/test/resources/h100/interleaved-tensorrt-fp16-b16.json"),
                dir.resolve(OverheadCommand.resultName(CONFIG, 1, ENDS)));
        List<OverheadSummary.Row> lone = OverheadSummary.rows(dir, List.of(CONFIG), List.of(ENDS), new TreeSet<>(List.of(1)),
                Map.of(), 0.01);
        String printed = printed(lone);
        assertTrue(printed.contains(", 1 run, 8 sampled + 8 sat-out iterations: too-noisy (a verdict takes 2 runs or more"),
                printed);
        assertFalse(printed.contains("--rounds"), printed);
        assertFalse(printed.contains("interval over iterations:"), printed);

        Files.copy(RUN, dir.resolve(OverheadCommand.resultName(CONFIG, 1, OFF)));
        String beside = printed(OverheadSummary.rows(dir, List.of(CONFIG), List.of(OFF, ENDS), new TreeSet<>(List.of(1)),
                Map.of(), 0.01));
        assertTrue(beside.contains("interval over iterations: one run of this variant or the baseline leaves out how much "
                + "runs differ"), beside);
    }

    private static String printed(List<OverheadSummary.Row> rows) {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        OverheadSummary.print(new PrintStream(console, true, StandardCharsets.UTF_8), rows, 0.01);
        return console.toString(StandardCharsets.UTF_8);
    }

    /**
     * Two runs whose own ratios nearly tie: the spread alone plans for no more runs than these, yet t over one degree of
     * freedom leaves the verdict open; the console says so rather than falling silent.
     */
    @Test
    void aNearTieOfTwoRunsStillSaysWhatWouldDecide(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve(OverheadCommand.resultName(CONFIG, 1, ENDS)), interleavedRun(100, 16, 1.003));
        Files.writeString(dir.resolve(OverheadCommand.resultName(CONFIG, 2, ENDS)), interleavedRun(300, 16, 1.004));
        List<OverheadSummary.Row> rows = OverheadSummary.rows(dir, List.of(CONFIG), List.of(ENDS),
                new TreeSet<>(List.of(1, 2)), Map.of(), 0.01);
        OverheadSummary.Interleaved in = rows.get(0).interleaved();
        assertEquals(MedianRatio.Verdict.TOO_NOISY, in.verdict());
        assertTrue(OverheadSummary.twoSignificantDigits(in.runsForSame()) <= 2, "the spread alone plans for two runs");
        List<String> lines = OverheadSummary.interleavedLines(rows.get(0));
        assertEquals(2, lines.size(), String.join("\n", lines));
        assertTrue(in.ratio().value() > 1.002 && in.ratio().value() < 1.008, "a ratio inside the tolerance: " + in.ratio());
        assertTrue(lines.get(1).contains(String.format(java.util.Locale.ROOT, "these runs would do were the windows alike; "
                + "Student's t over so few runs, or a ratio %+.2f %% from 1, leaves it open: more runs narrow the interval",
                (in.ratio().value() - 1) * 100)), lines.get(1));
    }

    /** The windows of {sat-out, sampled} paces (as {@link #interleavedImgPerSecond} gives them) in ABBA order. */
    private static double[] abbaOrder(double[][] sides) {
        double[] windows = new double[sides[0].length + sides[1].length];
        int[] n = new int[2];
        for (int i = 0; i < windows.length; i++) {
            int side = Interleave.sampled(i) ? 1 : 0;
            windows[i] = sides[side][n[side]++];
        }
        return windows;
    }

    private static double[] concat(double[] a, double[] b) {
        double[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /**
     * A run whose {@link EnergyLabels#SAMPLED} has fewer values than it has iterations (a profiler that failed midway)
     * is left out of the comparison inside runs, said in one line, and all its iterations count in the row's img/s; the
     * one run left is under the runs a verdict takes. A variant whose every run is so has no ratio: not compared.
     */
    @Test
    void aRunWhoseSampledWindowsDoNotMatchItsIterationsIsLeftOut(@TempDir Path dir) throws Exception {
        Variant broken = new Variant("broken", "energy:interleave=true;hz=500");
        for (int round = 1; round <= 3; round++) {
            Files.writeString(dir.resolve(OverheadCommand.resultName(CONFIG, round, OFF)), Files.readString(RUN));
            Files.writeString(dir.resolve(OverheadCommand.resultName(CONFIG, round, ENDS)), interleavedRun(100, round >= 2 ? 5 : 16));
            Files.writeString(dir.resolve(OverheadCommand.resultName(CONFIG, round, broken)), interleavedRun(100, 15));
        }
        List<OverheadSummary.Row> rows = OverheadSummary.rows(dir, List.of(CONFIG), List.of(OFF, ENDS, broken),
                new TreeSet<>(List.of(1, 2, 3)), Map.of(), 0.01);
        OverheadSummary.Interleaved in = rows.get(1).interleaved();
        assertEquals(List.of(1, 8, 8, 2), List.of(in.runs(), in.satOutIterations(), in.sampledIterations(), in.leftOut()));
        assertEquals(8 + 16 + 16, rows.get(1).iterations(), "one run's sampled windows and every iteration of the others");
        assertEquals(MedianRatio.Verdict.TOO_NOISY, in.verdict(), "1 run: " + in.ratio());
        assertTrue(in.ratio().known());
        OverheadSummary.Interleaved none = rows.get(2).interleaved();
        assertEquals(List.of(0, 3), List.of(none.runs(), none.leftOut()));
        assertEquals(MedianRatio.Verdict.NOT_COMPARED, none.verdict());

        List<String> csv = OverheadSummary.csv(rows).lines().toList();
        List<String> header = List.of(csv.get(0).split(","));
        int first = header.indexOf("interleaved_runs");
        assertEquals(List.of("1", "8", "8"), List.of(csv.get(2).split(",", -1)).subList(first, first + 3));
        assertEquals("too-noisy", csv.get(2).split(",", -1)[header.indexOf("interleaved_verdict")]);
        assertEquals(List.of("0", "0", "0", "", "", "", "not-compared", ""), List.of(csv.get(3).split(",", -1)).subList(first, first + 8),
                "runs with the label, none compared: no ratio, never 0");

        ByteArrayOutputStream console = new ByteArrayOutputStream();
        OverheadSummary.print(new PrintStream(console, true, StandardCharsets.UTF_8), rows, 0.01);
        List<String> lines = console.toString(StandardCharsets.UTF_8).lines().toList();
        int endsRow = lines.indexOf(lines.stream().filter(l -> l.startsWith("ends ")).findFirst().orElseThrow());
        assertTrue(lines.get(endsRow + 1).endsWith(", 1 run, 8 sampled + 8 sat-out iterations: too-noisy (a verdict "
                + "takes 2 runs or more, so that how the profiler's cost varies between forks is in the interval)"),
                lines.get(endsRow + 1));
        String leftOut = "             within its runs: 2 run(s) left out, their energy.sampled not one value per "
                + "iteration (a profiler that failed midway; its warnings in the run's output say why; all their "
                + "iterations count in img/s) or without a pair of a sat-out and a sampled window";
        assertEquals(leftOut, lines.get(endsRow + 2));
        int brokenRow = lines.indexOf(lines.stream().filter(l -> l.startsWith("broken ")).findFirst().orElseThrow());
        assertEquals(leftOut.replace("2 run(s)", "3 run(s)") + ": not-compared", lines.get(brokenRow + 1), "no ratio line without a run compared, and its verdict");

        // the sampler stopped after the first block: the windows after it had none, and are in neither kind nor pair
        InterleavedRun stopped = InterleavedRun.of(new double[] {1, 2, 3, 4, 5, 6, 7, 8},
                new double[] {0, 1, 1, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN});
        assertArrayEquals(new double[] {1, 4}, stopped.ofKind(InterleavedRun.SAT_OUT), "sat out before the stop");
        assertArrayEquals(new double[] {2, 3}, stopped.ofKind(InterleavedRun.SAMPLED), "sampled before the stop");
        assertArrayEquals(new double[] {Math.log(2.0 / 1), Math.log(3.0 / 4)}, stopped.pairLogRatios(), 1e-12,
                "only the pairs before the stop");
    }

    /** One row of a configuration for {@link OverheadSummary#runsForSameLine}: what it reads are these fields. */
    private static OverheadSummary.Row row(Variant v, MedianRatio.Verdict verdict, boolean overRuns, double... runMedians) {
        MedianRatio.Estimate any = new MedianRatio.Estimate(1, 0.9, 1.1);
        return new OverheadSummary.Row(CONFIG, v, runMedians.length, 8 * runMedians.length, any, any, overRuns, verdict,
                false, MedianRatio.Estimate.UNKNOWN, MedianRatio.Estimate.UNKNOWN, false, 0, "", runMedians, Double.NaN,
                Double.NaN, OverheadSummary.SamplerBusy.UNKNOWN, OverheadSummary.Interleaved.NONE);
    }

    /**
     * The runs-a-side line: said only where a variant is too noisy over runs and more runs a side are needed than the
     * fewest measured; where the spread asks for fewer than a verdict takes, that a verdict takes 5, with no chance
     * claimed. Runs 100/110 and 100/90 a side: log SD 0.0710 from 2 degrees of freedom; "same" with a chance of 80 %
     * takes π/2 x 2 x 0.0710² x 3.2415² / t² runs a side: 1665.8 at ±1 % (said as 1,700), 2.67 at ±25 % (3: a verdict
     * takes 5). The same runs three times a side: log SD 0.0550 from 10 degrees of freedom, 999.5 at ±1 % (1,000), 4.44
     * runs at ±15 %, under the 6 measured. Five runs a side (100 110 100 110 100, 100 90 100 90 100): log SD 0.0550 from
     * 8 degrees of freedom, 4.44 runs at ±15 % (5: a verdict takes 5), 4.96 at ±14.2 % (5): no more than the 5 measured;
     * 5.48 at ±13.5 % (6).
     */
    @Test
    void theRunsForSameLineIsSaidOnlyWhereMoreRunsAreWhatIsMissing() {
        OverheadSummary.Row base = row(OFF, MedianRatio.Verdict.BASELINE, true, 100, 110);
        OverheadSummary.Row noisy = row(ON, MedianRatio.Verdict.TOO_NOISY, true, 100, 90);
        String line = OverheadSummary.runsForSameLine(List.of(base, noisy), 0.01).orElseThrow();
        assertTrue(line.contains("about 1,700 runs a side would give \"same\" with a chance of 80 % at this spread (a run's median "
                + "varies by 7.1 %, estimated from 2 degrees of freedom)"), line);
        assertEquals("             a verdict takes 5 runs a side; this spread alone asks for fewer (a run's median "
                + "varies by 7.1 %, estimated from 2 degrees of freedom)",
                OverheadSummary.runsForSameLine(List.of(base, noisy), 0.25).orElseThrow(),
                "3 by the spread, but under " + MedianRatio.MIN_RUNS_FOR_VERDICT + " a side the verdict is too-noisy");
        OverheadSummary.Row fiveBase = row(OFF, MedianRatio.Verdict.BASELINE, true, 100, 110, 100, 110, 100);
        OverheadSummary.Row five = row(ON, MedianRatio.Verdict.TOO_NOISY, true, 100, 90, 100, 90, 100);
        for (double t : new double[] {0.15, 0.142}) {
            assertTrue(OverheadSummary.runsForSameLine(List.of(fiveBase, five), t).isEmpty(),
                    "5 for a verdict, no more than the 5 measured, at " + t);
        }
        assertTrue(OverheadSummary.runsForSameLine(List.of(fiveBase, five), 0.135).orElseThrow()
                .contains("about 6 runs a side"), "6 at ±13.5 %: more than the 5 measured");
        OverheadSummary.Row sixBase = row(OFF, MedianRatio.Verdict.BASELINE, true, 100, 110, 100, 110, 100, 110);
        OverheadSummary.Row six = row(ON, MedianRatio.Verdict.TOO_NOISY, true, 100, 90, 100, 90, 100, 90);
        assertTrue(OverheadSummary.runsForSameLine(List.of(sixBase, six), 0.01).orElseThrow()
                .contains("about 1,000 runs a side"));
        assertTrue(OverheadSummary.runsForSameLine(List.of(sixBase, six), 0.15).isEmpty(),
                "3 by the spread, 5 for a verdict: no more than the 6 measured");
        assertEquals(List.of(15L, 99L, 100L, 110L, 4300L), List.of(15L, 99L, 100L, 101L, 4203L).stream()
                .map(OverheadSummary::twoSignificantDigits).toList(), "two significant digits, rounded up");

        assertTrue(OverheadSummary.runsForSameLine(List.of(base, row(ON, MedianRatio.Verdict.SAME, true, 100, 90)), 0.01)
                .isEmpty(), "no variant too noisy");
        assertTrue(OverheadSummary.runsForSameLine(List.of(row(OFF, MedianRatio.Verdict.BASELINE, false, 100),
                row(ON, MedianRatio.Verdict.TOO_NOISY, false, 100, 90, 110)), 0.01).isEmpty(),
                "one baseline run, so too noisy over iterations only: the table asks for more --rounds instead");
    }
}
