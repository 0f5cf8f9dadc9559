package gpuenergy.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gpuenergy.profile.EnvironmentKeys;
import gpuenergy.results.BadInputException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End to end on the hand-made fixtures (see src/test/resources/fixtures/README.md). */
class CompareCommandTest {
    static final String F = "src/test/resources/fixtures/";

    @TempDir
    Path tmp;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int compare(String... args) {
        return CompareCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void sameConfigurationTwiceIsNoRegression() {
        assertEquals(0, compare(F + "baseline.json", F + "rerun.json"), out());
        assertTrue(out().contains("24 benchmarks compared"), out());
        assertTrue(out().contains("0 regressions"), out());
        assertFalse(out().contains("REGRESSION"), out());
    }

    @Test
    void slowerCandidateIsARegressionWithTheChangeReported() {
        assertEquals(1, compare(F + "baseline.json", F + "slower.json", "--threshold", "3%"), out());
        String o = out();
        // environment diff first
        assertTrue(o.indexOf("driver: 550.00-fixture -> 560.00-fixture") < o.indexOf("InferenceBenchmark"), o);
        assertTrue(o.contains("cuda_driver: 12.4 -> 12.6"), o);
        // exactly the slowed benchmark, on both metrics
        String block = o.substring(o.indexOf("engine=tensorrt-fp16, model=fixture-medium}\n",
                o.indexOf("batchSize=8, device=cuda:0, engine=tensorrt-fp16, model=fixture-medium")));
        String[] lines = block.split("\n");
        assertTrue(lines[1].startsWith("  img/s") && lines[1].endsWith("REGRESSION"), lines[1]);
        assertTrue(lines[2].startsWith("  J/img") && lines[2].endsWith("REGRESSION"), lines[2]);
        assertTrue(lines[1].contains("-9."), "about 10 % fewer img/s: " + lines[1]);
        assertEquals(2, o.split("REGRESSION", -1).length - 1, o);
        assertTrue(o.contains("2 regressions"), o);
    }

    @Test
    void aHighThresholdLetsTheSameChangePass() {
        assertEquals(0, compare(F + "baseline.json", F + "slower.json", "--threshold=15%"), out());
    }

    /** A run whose energy was lost is not shown unchanged: its J/img is not judged, and the gate does not pass. */
    @Test
    void energyOnOneSideOnlyIsNotJudged() {
        assertEquals(3, compare(F + "baseline.json", F + "no-energy.json"), out());
        assertTrue(out().contains("energy absent in the candidate: J/img not judged, throughput only"), out());
        assertTrue(out().contains("  J/img  not judged: energy absent in the candidate\n"), out());
        assertTrue(out().contains("0 regressions; 24 metrics not judged"), out());
        out.reset();
        assertEquals(3, compare(F + "no-energy.json", F + "baseline.json"), out());
        assertTrue(out().contains("  J/img  not judged: energy absent in the baseline\n"), out());
    }

    /**
     * Two runs without energy (on the CPU, say) have no J/img to judge: throughput alone decides, and one line says so,
     * in words true of result files and of sweeps' directories alike.
     */
    @Test
    void energyOnNeitherSideIsNotMeasuredAndThroughputDecides() throws Exception {
        com.google.gson.JsonArray entries = com.google.gson.JsonParser.parseString(Files.readString(Path.of(F + "rerun.json")))
                .getAsJsonArray();
        entries.forEach(e -> e.getAsJsonObject().remove("secondaryMetrics"));
        Path again = Files.writeString(tmp.resolve("rerun-no-energy.json"), entries.toString());
        String line = "energy measured in neither the baseline nor the candidate (runs without the energy profiler, e.g. "
                + "on the CPU): J/img not compared, throughput only";
        assertEquals(0, compare(F + "no-energy.json", again.toString()), out());
        assertEquals(1, out().lines().filter(l -> l.contains("J/img")).count(), out());
        assertTrue(out().contains(line), out());
        assertFalse(out().contains("not judged"), out());

        Path base = Files.createDirectories(tmp.resolve("base"));
        Files.writeString(base.resolve("sweep.jsonl"), "");
        Files.copy(Path.of(F + "no-energy.json"), base.resolve("no-energy.json"));
        Path cand = Files.createDirectories(tmp.resolve("cand"));
        Files.writeString(cand.resolve("sweep.jsonl"), "");
        Files.copy(again, cand.resolve("rerun-no-energy.json"));
        out.reset();
        assertEquals(0, compare(base.toString(), cand.toString()), out() + err());
        assertTrue(out().contains(line), out());
    }

    /** Energy of one benchmark lost beside others measured: that benchmark's J/img is not judged. */
    @Test
    void aBenchmarkWithoutEnergyBesideOthersWithItIsNotJudged() throws Exception {
        com.google.gson.JsonArray entries = com.google.gson.JsonParser.parseString(Files.readString(Path.of(F + "rerun.json")))
                .getAsJsonArray();
        entries.get(0).getAsJsonObject().remove("secondaryMetrics");
        Path candidate = Files.writeString(tmp.resolve("candidate.json"), entries.toString());
        assertEquals(3, compare(F + "baseline.json", candidate.toString()), out());
        assertFalse(out().contains("energy absent in the candidate: J/img"), "the file has energy: " + out());
        assertTrue(out().contains("  J/img  not judged: energy absent in the candidate\n"), out());
        assertTrue(out().contains("1 metric not judged"), out());
    }

    /**
     * Energy is judged of the compared results only: a baseline whose one result with energy has no pair in the candidate
     * measured energy on neither compared side, so throughput alone decides, in one line; a benchmark without energy on
     * either side beside others with it says so on its own line.
     */
    @Test
    void energyOfAnUnpairedResultIsNotCountedAsMeasured() throws Exception {
        com.google.gson.JsonArray base = com.google.gson.JsonParser.parseString(Files.readString(Path.of(F + "baseline.json")))
                .getAsJsonArray();
        String unpaired = base.get(0).getAsJsonObject().get("params").toString();
        for (int i = 1; i < base.size(); i++) {
            base.get(i).getAsJsonObject().remove("secondaryMetrics");
        }
        com.google.gson.JsonArray cand = new com.google.gson.JsonArray();
        for (com.google.gson.JsonElement e : com.google.gson.JsonParser.parseString(Files.readString(Path.of(F + "rerun.json")))
                .getAsJsonArray()) {
            e.getAsJsonObject().remove("secondaryMetrics");
            if (!e.getAsJsonObject().get("params").toString().equals(unpaired)) {
                cand.add(e);
            }
        }
        Path baseDir = Files.createDirectories(tmp.resolve("base"));
        Files.writeString(baseDir.resolve("sweep.jsonl"), "");
        Files.writeString(baseDir.resolve("base.json"), base.toString());
        Path candDir = Files.createDirectories(tmp.resolve("cand"));
        Files.writeString(candDir.resolve("sweep.jsonl"), "");
        Files.writeString(candDir.resolve("cand.json"), cand.toString());
        assertEquals(0, compare(baseDir.toString(), candDir.toString(), "--allow-missing"), out() + err());
        assertTrue(out().contains("energy measured in neither the baseline nor the candidate"), out());
        assertEquals(1, out().lines().filter(l -> l.contains("J/img")).count(), out());
        assertFalse(out().contains("energy absent"), out());
        assertFalse(out().contains("not judged"), out());

        // the same baseline beside a candidate whose result with energy pairs with it: the others' J/img is not measured
        com.google.gson.JsonArray rerun = com.google.gson.JsonParser.parseString(Files.readString(Path.of(F + "rerun.json")))
                .getAsJsonArray();
        for (com.google.gson.JsonElement e : rerun) {
            if (!e.getAsJsonObject().get("params").toString().equals(unpaired)) {
                e.getAsJsonObject().remove("secondaryMetrics");
            }
        }
        Files.writeString(candDir.resolve("cand.json"), rerun.toString());
        out.reset();
        assertEquals(0, compare(baseDir.toString(), candDir.toString()), out() + err());
        assertFalse(out().contains("energy measured in neither"), out());
        assertEquals(base.size() - 1, out().lines().filter(l -> l.equals("  J/img  not measured on either side")).count(),
                out());
    }

    /** J/img iterations that do not pair with the throughput's (an iteration without J/img) are not judged. */
    @Test
    void joulesPerImageIterationsThatDoNotPairAreNotJudged() throws Exception {
        com.google.gson.JsonArray entries = com.google.gson.JsonParser.parseString(Files.readString(Path.of(F + "rerun.json")))
                .getAsJsonArray();
        entries.get(0).getAsJsonObject().getAsJsonObject("secondaryMetrics").getAsJsonObject(gpuenergy.profile.EnergyLabels.J_PER_IMG)
                .getAsJsonArray("rawData").get(0).getAsJsonArray().remove(0);
        Path candidate = Files.writeString(tmp.resolve("candidate.json"), entries.toString());
        assertEquals(3, compare(F + "baseline.json", candidate.toString()), out());
        assertTrue(out().contains("  J/img  not judged: its iterations do not pair with the throughput's in the candidate\n"),
                out());
        assertTrue(out().contains("1 metric not judged"), out());
    }

    /** A throughput against a time per operation (or another unit) is not one metric: refused, not compared backwards. */
    @Test
    void aBenchmarkInAnotherModeOrUnitIsRefused() throws Exception {
        com.google.gson.JsonArray entries = com.google.gson.JsonParser.parseString(Files.readString(Path.of(F + "rerun.json")))
                .getAsJsonArray();
        com.google.gson.JsonObject first = entries.get(0).getAsJsonObject();
        first.addProperty("mode", "avgt");
        first.getAsJsonObject("primaryMetric").addProperty("scoreUnit", "ms/op");
        assertBad("model=fixture-small}: baseline measured in mode thrpt (ops/s), candidate in mode avgt (ms/op): not one "
                + "metric", F + "baseline.json", Files.writeString(tmp.resolve("avgt.json"), entries.toString()).toString());
        first.addProperty("mode", "thrpt");
        first.getAsJsonObject("primaryMetric").addProperty("scoreUnit", "ops/ms");
        assertBad("candidate in mode thrpt (ops/ms): not one metric", F + "baseline.json",
                Files.writeString(tmp.resolve("ops-ms.json"), entries.toString()).toString());
        // -t 2 sums two threads' batches in one score: another configuration under the same name and parameters
        first.getAsJsonObject("primaryMetric").addProperty("scoreUnit", "ops/s");
        first.addProperty("threads", 2);
        assertBad("model=fixture-small}: baseline ran 1 thread(s), candidate 2 (-t): not one configuration",
                F + "baseline.json", Files.writeString(tmp.resolve("t2.json"), entries.toString()).toString());
    }

    /** An iteration the profiler could not measure has a NaN J/img: not judged, said so, exit 3 when nothing regressed. */
    @Test
    void aJoulesPerImageUnknownInAnIterationIsNotJudgedAndSaysWhy() throws Exception {
        com.google.gson.JsonArray entries = com.google.gson.JsonParser.parseString(Files.readString(Path.of(F + "rerun.json")))
                .getAsJsonArray();
        com.google.gson.JsonObject j = entries.get(0).getAsJsonObject().getAsJsonObject("secondaryMetrics")
                .getAsJsonObject(gpuenergy.profile.EnergyLabels.J_PER_IMG);
        j.addProperty("score", "NaN");
        j.getAsJsonArray("rawData").get(0).getAsJsonArray().set(0, new com.google.gson.JsonPrimitive("NaN"));
        Path candidate = Files.writeString(tmp.resolve("candidate.json"), entries.toString());
        assertEquals(3, compare(F + "baseline.json", candidate.toString()), out());
        assertTrue(out().contains("  J/img  not judged: unknown in 1 iteration(s) of the candidate (the profiler could not "
                + "measure them; its warnings in that run's output say why)"), out());
        assertTrue(out().contains("1 metric not judged"), out());
    }

    @Test
    void benchmarksInOneFileOnlyAreListed() throws Exception {
        String all = Files.readString(Path.of(F + "baseline.json"));
        // keep the first entry only: a valid JMH file with 1 of the 24 benchmarks
        String first = all.substring(0, all.indexOf("\n    },\n    {") + 6) + "\n]";
        Path one = Files.writeString(tmp.resolve("one.json"), first);
        assertEquals(0, compare(one.toString(), F + "rerun.json"), out() + err());
        assertEquals(23, out().split("only in candidate \\(not compared\\)", -1).length - 1, out());
        assertTrue(out().contains("1 benchmark compared"), out());
    }

    @Test
    void unusableInputExitsTwoWithOneLine() throws Exception {
        Path notJmh = Files.writeString(tmp.resolve("not-jmh.json"), "{\"hello\": 1}");
        assertBad("no such file", F + "missing.json", F + "rerun.json");
        assertBad("not a JMH result file", notJmh.toString(), F + "rerun.json");
        assertBad("expected 2 result files", F + "baseline.json");
        assertBad("--threshold 3: expected a percentage", F + "baseline.json", F + "rerun.json", "--threshold", "3");
        assertBad("unknown option --fast", F + "baseline.json", F + "rerun.json", "--fast");
        assertBad(tmp + ": is a directory but not a sweep's (no sweep.jsonl, sweep-settings.json or shard-I-of-N parts); "
                + "compare takes a result file or a sweep's directory on each side", tmp.toString(), F + "rerun.json");
        Path torn = Files.writeString(tmp.resolve("torn.json"), "[{\"benchmark\": 1,");
        assertBad("torn.json: not valid JSON at line 1, column 18; expected the JSON array JMH writes", torn.toString(),
                F + "rerun.json");
        assertBad("killed.json: is empty (0 bytes", Files.writeString(tmp.resolve("killed.json"), "").toString(), F + "rerun.json");
        assertFalse(err().contains("Exception") || err().contains("JsonReader"), err());
        String other = Files.readString(Path.of(F + "baseline.json")).replace("InferenceBenchmark.infer", "Other.run");
        assertBad("no benchmark (name + params) is in both", Files.writeString(tmp.resolve("o.json"), other).toString(),
                F + "rerun.json");
    }

    /**
     * A figure no measurement gives (a throughput NaN, infinite, negative, or no iteration at all; an infinite J/img) in
     * either file is unusable input, exit 2 with one line naming the file, the benchmark and the value: never exit 1, which
     * a gate reads as a regression, nor a comparison of NaN.
     */
    @Test
    void aFigureNoMeasurementGivesIsUnusableInputInEitherFile() throws Exception {
        String base = "src/test/resources/h100/fp16-b128-on-1.json";
        String other = "src/test/resources/h100/fp16-b128-on-2.json";
        int rc = compare(base, other);
        assertTrue(rc != 2, "the recorded pair is compared: " + rc + " " + err());
        String key = "gpuenergy.bench.InferenceBenchmark.infer {batchSize=128, device=auto, engine=pytorch-fp16, model=resnet50}";
        java.util.Map<String, java.util.function.Consumer<com.google.gson.JsonObject>> edits = new java.util.LinkedHashMap<>();
        edits.put("primaryMetric.rawData[0][1] is NaN; an iteration's throughput is a finite number > 0",
                e -> raw(e.getAsJsonObject("primaryMetric")).set(1, new com.google.gson.JsonPrimitive("NaN")));
        edits.put("primaryMetric.rawData[0][1] is Infinity; an iteration's throughput is a finite number > 0",
                e -> raw(e.getAsJsonObject("primaryMetric")).set(1, new com.google.gson.JsonPrimitive("Infinity")));
        edits.put("secondaryMetrics[\"energy.J/img\"].rawData[0][1] is Infinity; a measured figure is never infinite",
                e -> raw(e.getAsJsonObject("secondaryMetrics").getAsJsonObject(gpuenergy.profile.EnergyLabels.J_PER_IMG))
                        .set(1, new com.google.gson.JsonPrimitive("Infinity")));
        edits.put("secondaryMetrics[\"energy.J/img\"].rawData[0][1] is 0; a measured energy per image is a number > 0",
                e -> raw(e.getAsJsonObject("secondaryMetrics").getAsJsonObject(gpuenergy.profile.EnergyLabels.J_PER_IMG))
                        .set(1, new com.google.gson.JsonPrimitive(0)));
        edits.put("primaryMetric.rawData holds no measured iteration",
                e -> e.getAsJsonObject("primaryMetric").add("rawData", new com.google.gson.JsonArray()));
        edits.put("primaryMetric.rawData[0][0] is -101.4; an iteration's throughput is a finite number > 0",
                e -> raw(e.getAsJsonObject("primaryMetric")).set(0, new com.google.gson.JsonPrimitive(-101.4)));
        // figures whose statistics leave a double's range (the Welch interval's degrees of freedom), shown as Java spells
        // them rather than in hundreds of digits
        double first = raw(com.google.gson.JsonParser.parseString(Files.readString(Path.of(other))).getAsJsonArray().get(0)
                .getAsJsonObject().getAsJsonObject("primaryMetric")).get(0).getAsDouble();
        String range = "; a measured figure other than 0 lies from 1e-30 to 1e30 in size: no run comes near either end";
        edits.put("primaryMetric.rawData[0][0] is " + first * 1e152 + range, e -> scaleThroughput(e, 1e152));
        edits.put("primaryMetric.rawData[0][0] is " + first * 1e-323 + range, e -> scaleThroughput(e, 1e-323));
        edits.put("secondaryMetrics[\"energy.avg-W\"].rawData[0][1] is 1.0E-320" + range,
                e -> raw(e.getAsJsonObject("secondaryMetrics").getAsJsonObject(gpuenergy.profile.EnergyLabels.AVG_W))
                        .set(1, new com.google.gson.JsonPrimitive(1e-320)));
        int n = 0;
        for (var edit : edits.entrySet()) {
            com.google.gson.JsonArray entries = com.google.gson.JsonParser.parseString(Files.readString(Path.of(other)))
                    .getAsJsonArray();
            edit.getValue().accept(entries.get(0).getAsJsonObject());
            Path edited = Files.writeString(tmp.resolve("edited-" + n++ + ".json"), entries.toString());
            assertBad(edited + ": " + key + ": " + edit.getKey(), base, edited.toString());
            assertBad(edited + ": " + key + ": " + edit.getKey(), edited.toString(), base);
        }
        assertFalse(err().contains("Exception"), err());
    }

    /** Every iteration's throughput and the score times {@code factor}, as a hand-edited or corrupt file could hold them. */
    private static void scaleThroughput(com.google.gson.JsonObject entry, double factor) {
        com.google.gson.JsonObject primary = entry.getAsJsonObject("primaryMetric");
        primary.addProperty("score", primary.get("score").getAsDouble() * factor);
        for (com.google.gson.JsonElement fork : primary.getAsJsonArray("rawData")) {
            com.google.gson.JsonArray values = fork.getAsJsonArray();
            for (int i = 0; i < values.size(); i++) {
                values.set(i, new com.google.gson.JsonPrimitive(values.get(i).getAsDouble() * factor));
            }
        }
    }

    private static com.google.gson.JsonArray raw(com.google.gson.JsonObject metric) {
        return metric.getAsJsonArray("rawData").get(0).getAsJsonArray();
    }

    /** A field of another shape than JMH writes is named in the user's terms, exit 2: no Java class in the line. */
    @Test
    void aFieldOfAnotherShapeIsNamedWithoutJavaClasses() throws Exception {
        for (String field : new String[] {"secondaryMetrics", "environment", "params"}) {
            com.google.gson.JsonArray entries = com.google.gson.JsonParser.parseString(Files.readString(Path.of(F + "rerun.json")))
                    .getAsJsonArray();
            entries.get(3).getAsJsonObject().add(field, field.equals("params") ? com.google.gson.JsonNull.INSTANCE
                    : com.google.gson.JsonParser.parseString(field.equals("environment") ? "[1]" : "[]"));
            Path edited = Files.writeString(tmp.resolve(field + ".json"), entries.toString());
            assertBad(edited + ": entry 3 is not a JMH result (" + field + " is "
                    + (field.equals("params") ? "null" : "an array") + ", expected an object); expected the JSON array JMH "
                    + "writes with -rf json", F + "baseline.json", edited.toString());
            assertFalse(err().contains("class") || err().contains("com.google"), err());
        }
    }

    private void assertBad(String expected, String... args) {
        err.reset();
        assertEquals(2, compare(args));
        String e = err();
        assertTrue(e.contains(expected), e);
        assertEquals(1, e.lines().count(), "one line, no stack trace: " + e);
    }

    /** A GPU result against a CPU one (or another GPU model) is no regression test: refused unless asked for. */
    @Test
    void differentDevicesAreRefusedUnlessAllowed() throws Exception {
        com.google.gson.JsonArray cpu = com.google.gson.JsonParser.parseString(Files.readString(Path.of(F + "rerun.json")))
                .getAsJsonArray();
        for (var e : cpu) {
            var env = e.getAsJsonObject().getAsJsonObject("environment");
            env.remove("gpu.name"); // as a run on a machine without a GPU records it
            env.addProperty("device", "cpu");
        }
        Path onCpu = Files.writeString(tmp.resolve("cpu.json"), cpu.toString());
        assertBad("baseline measured on FIXTURE (hand-made test input) H100 80GB HBM3, candidate on the CPU (", F + "baseline.json",
                onCpu.toString());
        assertTrue(err().contains("pass --allow-different-devices to compare them anyway"), err());
        out.reset();
        int rc = compare(F + "baseline.json", onCpu.toString(), "--allow-different-devices");
        assertTrue(rc == 0 || rc == 1, "compared: " + rc);
        assertTrue(out().contains("devices differ: baseline measured on FIXTURE"), out());
        String otherGpu = Files.readString(Path.of(F + "rerun.json")).replace("H100 80GB HBM3", "A100-SXM4-40GB");
        assertBad("candidate on FIXTURE (hand-made test input) A100-SXM4-40GB", F + "baseline.json",
                Files.writeString(tmp.resolve("a100.json"), otherGpu).toString());
        // a MIG instance of the board is another GPU model, as the sweep and the report tell them apart
        com.google.gson.JsonArray slice = com.google.gson.JsonParser.parseString(Files.readString(Path.of(F + "rerun.json")))
                .getAsJsonArray();
        for (var e : slice) {
            var env = e.getAsJsonObject().getAsJsonObject("environment");
            env.addProperty("gpu.mig_mode", "enabled");
            env.addProperty("gpu.mig_profile", "1g.10gb");
        }
        assertBad("baseline measured on FIXTURE (hand-made test input) H100 80GB HBM3, candidate on FIXTURE (hand-made "
                + "test input) H100 80GB HBM3 MIG 1g.10gb (", F + "baseline.json",
                Files.writeString(tmp.resolve("slice.json"), slice.toString()).toString());
    }

    /** A change of the energy profiler's sampling mode shows in the environment diff, as a driver change does. */
    @Test
    void aChangeOfSamplingModeIsInTheEnvironmentDiff() throws Exception {
        Path[] files = new Path[2];
        String[] modes = {"continuous", "lean"};
        for (int i = 0; i < 2; i++) {
            com.google.gson.JsonArray entries = com.google.gson.JsonParser.parseString(Files.readString(Path.of(F + "rerun.json")))
                    .getAsJsonArray();
            for (var e : entries) {
                e.getAsJsonObject().getAsJsonObject("environment").addProperty(EnvironmentKeys.ENERGY_SAMPLING, modes[i]);
            }
            files[i] = Files.writeString(tmp.resolve(modes[i] + ".json"), entries.toString());
        }
        assertEquals(0, compare(files[0].toString(), files[1].toString()), out());
        assertTrue(out().contains("  energy.sampling: continuous -> lean\n"), out());
    }

    /**
     * A sweep of every batch size against a run of batch 1: the environment diff is of the benchmarks compared, so that a
     * key of the configuration (the output's shape) is no difference, while the driver's change still is.
     */
    @Test
    void theEnvironmentDiffIsOfTheComparedBenchmarksOnly() throws Exception {
        com.google.gson.JsonArray sweep = com.google.gson.JsonParser.parseString(Files.readString(Path.of(F + "baseline.json")))
                .getAsJsonArray();
        com.google.gson.JsonArray batchOne = new com.google.gson.JsonArray();
        for (var e : com.google.gson.JsonParser.parseString(Files.readString(Path.of(F + "rerun.json"))).getAsJsonArray()) {
            if (e.getAsJsonObject().getAsJsonObject("params").get("batchSize").getAsString().equals("1")) {
                e.getAsJsonObject().getAsJsonObject("environment").addProperty("driver", "560.00-fixture");
                batchOne.add(e);
            }
        }
        for (var side : List.of(sweep, batchOne)) {
            for (var e : side) {
                String batch = e.getAsJsonObject().getAsJsonObject("params").get("batchSize").getAsString();
                e.getAsJsonObject().getAsJsonObject("environment").addProperty(EnvironmentKeys.OUTPUT_SHAPE,
                        "(" + batch + ", 1000)");
            }
        }
        Path base = Files.writeString(tmp.resolve("sweep.json"), sweep.toString());
        Path cand = Files.writeString(tmp.resolve("batch-1.json"), batchOne.toString());
        assertEquals(0, compare(base.toString(), cand.toString(), "--allow-missing"), out());
        assertTrue(out().contains("  driver: 550.00-fixture -> 560.00-fixture\n"), out());
        assertFalse(out().contains(EnvironmentKeys.OUTPUT_SHAPE), out());
        assertTrue(out().contains(" compared; threshold "), out());
    }

    @Test
    void theIntervalOfAPositiveMetricStopsAtMinusOneHundredPercent() {
        assertEquals("img/s  100.0 -> 10.00  -90.00% [-100.00%, +20.00%]", CompareCommand.format("img/s", new Change(100, 10, -150, 20)));
    }

    /** Figures are written as the report writes them: plain, at least 4 significant digits, the whole integer part. */
    @Test
    void figuresArePlainNumbersWithTheirIntegerPart() {
        assertEquals("img/s  103740 -> 103670  -0.07% [-0.10%, -0.03%]",
                CompareCommand.format("img/s", new Change(103740, 103670, -100, -30)));
        assertEquals("J/img  0.001250 -> 0.001240  -0.80% [no interval]",
                CompareCommand.format("J/img", new Change(0.00125, 0.00124, Double.NaN, Double.NaN)));
    }

    /** A gate fed runs of one iteration judges nothing: it must not pass as if nothing had regressed. */
    @Test
    void nothingJudgedIsExitThree() throws Exception {
        String one = "[{\"benchmark\":\"b.B.m\",\"mode\":\"thrpt\",\"params\":{\"batchSize\":\"8\"},"
                + "\"primaryMetric\":{\"score\":5.0,\"scoreUnit\":\"ops/s\",\"rawData\":[[5.0]]}}]";
        Path a = Files.writeString(tmp.resolve("a.json"), one);
        Path b = Files.writeString(tmp.resolve("b.json"), one.replace("5.0", "4.0"));
        assertEquals(3, compare(a.toString(), b.toString()));
        assertTrue(out().contains("not judged: fewer than 2 samples on a side"), out());
        assertTrue(out().contains("exit 3: nothing regressed, but 1 metric could not be judged"), out());
    }

    @Test
    void helpIsUsageAndExitsZero() {
        assertEquals(0, compare("--help"));
        assertTrue(out().startsWith(CompareCommand.USAGE + "\n"), out());
        assertEquals("", err());
    }

    @Test
    void thresholdParsing() throws Exception {
        assertEquals(0.03, CompareCommand.parseThreshold("3%"), 1e-12);
        assertEquals(0.005, CompareCommand.parseThreshold("0.5 %"), 1e-12);
        assertThrows(BadInputException.class, () -> CompareCommand.parseThreshold("-1%"));
        assertThrows(BadInputException.class, () -> CompareCommand.parseThreshold("abc%"));
        assertEquals(0.999, CompareCommand.parseThreshold("99.9%"), 1e-12);
        assertEquals(0.03, CompareCommand.parseThreshold("+3.%"), 1e-12);
        assertEquals(0.005, CompareCommand.parseThreshold(".5%"), 1e-12);
        // Java's parser takes a type suffix and hexadecimal; a percentage is a decimal number
        for (String odd : List.of("3d%", "3F%", "0x1p1%", "1_0%")) {
            BadInputException e = assertThrows(BadInputException.class, () -> CompareCommand.parseThreshold(odd), odd);
            assertEquals("--threshold " + odd + ": expected a percentage from 0% to below 100%, e.g. 3% or 0.5%", e.getMessage());
        }
    }

    /** A threshold of 100 % or more lets no img/s regress (a positive rate falls by less than 100 %); a repeated one is ambiguous. */
    @Test
    void aThresholdThatCannotFailOrIsGivenTwiceIsRefused() {
        assertBad("--threshold 100%: expected a percentage from 0% to below 100%", F + "baseline.json", F + "slower.json",
                "--threshold", "100%");
        assertBad("--threshold 300%: expected a percentage from 0% to below 100%", F + "baseline.json", F + "slower.json",
                "--threshold", "300%");
        assertBad("--threshold is given 2 times (3%, 15%): give it once", F + "baseline.json", F + "slower.json",
                "--threshold", "3%", "--threshold=15%");
        assertEquals("", out());
    }

    /** A flag given twice is a bad command line, exit 2, as the documentation's list of exit statuses says. */
    @Test
    void aFlagGivenTwiceIsRefused() {
        assertBad("compare: --allow-missing is given 2 times: give it once", F + "baseline.json", F + "rerun.json",
                "--allow-missing", "--allow-missing");
        assertBad("compare: --allow-different-devices is given 3 times: give it once", "--allow-different-devices",
                F + "baseline.json", "--allow-different-devices", F + "rerun.json", "--allow-different-devices");
        assertEquals("", out());
    }

    /** A CI script with a wrong path would compare a file with itself and always pass. */
    @Test
    void theSameFileTwiceIsRefusedUnderAnySpelling() throws Exception {
        assertBad("are the same file (", F + "baseline.json", F + "baseline.json");
        assertBad("a result compared with itself always passes", F + "baseline.json", F + "../fixtures/./baseline.json");
        Path link = Files.createSymbolicLink(tmp.resolve("link.json"), Path.of(F + "baseline.json").toAbsolutePath());
        assertBad(Path.of(F + "baseline.json").toRealPath().toString(), link.toString(), F + "baseline.json");
        Path dir = Files.createDirectories(tmp.resolve("sweep"));
        Files.writeString(dir.resolve("sweep.jsonl"), "");
        Files.copy(Path.of(F + "baseline.json"), dir.resolve("baseline.json"));
        assertBad("are the same directory (", dir.toString(), tmp.resolve("sweep/../sweep").toString());
    }

    /**
     * A result file of a sweep's directory given as the other side (a wrong path in a CI script: one run's file against
     * the directory holding it, or a part against its whole sweep) compares that file with itself, and would always pass.
     */
    @Test
    void aFileInBothInputsIsRefused() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("sweep"));
        Files.writeString(dir.resolve("sweep.jsonl"), "");
        Path inside = Files.copy(Path.of(F + "baseline.json"), dir.resolve("baseline.json"));
        assertBad("baseline " + inside + " and candidate " + dir + " both hold " + inside.toRealPath()
                + ": a result compared with itself always passes", inside.toString(), dir.toString());
        assertBad("both hold " + inside.toRealPath(), dir.toString(), tmp.resolve("sweep/./baseline.json").toString());
        Path whole = Files.createDirectories(tmp.resolve("whole"));
        Path part = Files.createDirectories(whole.resolve("shard-1-of-1"));
        Files.writeString(part.resolve("sweep.jsonl"), "");
        Files.writeString(part.resolve("shard.json"), "{\"shard\": \"1/1\", \"partition\": [{\"model\": \"m\", "
                + "\"engine\": \"e\", \"shard\": 1, \"predictedSeconds\": 1.0}]}");
        Files.copy(Path.of(F + "baseline.json"), part.resolve("baseline.json"));
        assertBad("both hold " + part.resolve("baseline.json").toRealPath(), part.toString(), whole.toString());
    }

    /**
     * A copy of a baseline's result as the candidate (a CI step copying the wrong file, a candidate sweep resumed in a
     * copy of the baseline's directory) compares a measurement with itself, and would always pass.
     */
    @Test
    void aCopyOfTheBaselinesResultIsRefused() throws Exception {
        Path copy = Files.copy(Path.of(F + "baseline.json"), tmp.resolve("candidate.json"));
        assertBad("baseline " + F + "baseline.json and candidate " + copy + " hold the same result, a copy (" + F
                + "baseline.json and " + copy + ": gpuenergy.bench.InferenceBenchmark.infer {batchSize=1, ",
                F + "baseline.json", copy.toString());
        assertTrue(err().contains("a result compared with itself always passes"), err());
        // one copied result among the candidate's own, in a sweep's directory
        Path dir = Files.createDirectories(tmp.resolve("sweep"));
        Files.writeString(dir.resolve("sweep.jsonl"), "");
        com.google.gson.JsonArray rerun = com.google.gson.JsonParser.parseString(Files.readString(Path.of(F + "rerun.json")))
                .getAsJsonArray();
        com.google.gson.JsonArray baseline = com.google.gson.JsonParser.parseString(
                Files.readString(Path.of(F + "baseline.json"))).getAsJsonArray();
        com.google.gson.JsonArray copied = new com.google.gson.JsonArray();
        copied.add(rerun.remove(5));
        Files.writeString(dir.resolve("rerun.json"), rerun.toString());
        copied.set(0, baseline.get(5));
        Files.writeString(dir.resolve("copied.json"), copied.toString());
        assertBad("hold the same result, a copy (" + F + "baseline.json and " + dir.resolve("copied.json") + ": ",
                F + "baseline.json", dir.toString());
    }

    /**
     * A sweep whose lock a running sweep holds is compared as it stands, as report reports it, with one line on stderr
     * (before a refusal too: a sweep with no result yet); the lock is seen, not taken, and once the sweep has let go the
     * line is gone.
     */
    @Test
    void aSweepARunningSweepHoldsIsSaidToBeStillMeasured() throws Exception {
        Path sweep = Files.createDirectories(tmp.resolve("sweep"));
        Files.writeString(sweep.resolve("sweep.jsonl"), "");
        String line = "compare: " + sweep + " is still being measured by a sweep (pid " + ProcessHandle.current().pid()
                + " on host ";
        String so = "): compared are the results finished so far";
        try (gpuenergy.run.DirectoryLock held = gpuenergy.run.DirectoryLock.hold(sweep, sweep, "sweep", System.out)) {
            assertEquals(2, compare(F + "baseline.json", sweep.toString()), err());
            List<String> lines = err().lines().toList();
            assertEquals(2, lines.size(), err());
            assertTrue(lines.get(0).startsWith(line) && lines.get(0).endsWith(so), err());
            assertEquals("compare: " + sweep + ": the sweep holds no result", lines.get(1));

            Files.copy(Path.of(F + "rerun.json"), sweep.resolve("rerun.json"));
            err.reset();
            assertEquals(0, compare(sweep.toString(), F + "baseline.json"), err());
            assertEquals(1, err().lines().count(), err());
            assertTrue(err().startsWith(line) && err().endsWith(so + "\n"), err());
            // a file of the sweep's directory is one of the results finished so far as well
            err.reset();
            assertEquals(0, compare(F + "baseline.json", sweep.resolve("rerun.json").toString()), err());
            assertTrue(err().startsWith(line) && err().endsWith(so + "\n"), err());
        }
        err.reset();
        out.reset();
        assertEquals(0, compare(F + "baseline.json", sweep.toString()), out());
        assertEquals("", err());
    }

    /**
     * A sweep's directory may hold one configuration's result under the hidden name earlier versions gave a model given
     * by a relative path and under the visible name this one gives it: the line names both files, one to move out.
     */
    @Test
    void aBenchmarkInTwoFilesOfASweepNamesBothFiles() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("sweep"));
        Files.writeString(dir.resolve("sweep.jsonl"), "");
        com.google.gson.JsonArray one = new com.google.gson.JsonArray();
        one.add(com.google.gson.JsonParser.parseString(Files.readString(Path.of(F + "rerun.json"))).getAsJsonArray().get(0));
        one.get(0).getAsJsonObject().getAsJsonObject("params").addProperty("model", "../models/m.pt");
        Path hidden = Files.writeString(dir.resolve(".._models_m.pt-pytorch-fp32-b1.json"), one.toString());
        Path visible = Files.writeString(dir.resolve("_._models_m.pt-pytorch-fp32-b1.json"), one.toString());
        assertBad(dir + ": benchmark appears twice, in " + hidden + " and in " + visible + ", cannot match it: ",
                F + "baseline.json", dir.toString());
        assertBad(dir + ": benchmark appears twice, in " + hidden + " and in " + visible + ", cannot match it: ",
                dir.toString(), F + "baseline.json");
    }

    /**
     * A result in the candidate sweep under another batch's name (batch 8's saved as the b2 file) is refused in the line
     * the sweep's summary and --resume give it: compared, it would stand for the batch its name says. -h names it too.
     */
    @Test
    void aResultUnderAnotherBatchsNameInASweepIsRefused() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("sweep"));
        Files.writeString(dir.resolve("sweep.jsonl"), "");
        com.google.gson.JsonArray all = com.google.gson.JsonParser.parseString(Files.readString(Path.of(F + "rerun.json")))
                .getAsJsonArray();
        for (int k : new int[] {0, 1}) {
            com.google.gson.JsonArray one = new com.google.gson.JsonArray();
            one.add(all.get(k));
            Files.writeString(dir.resolve("fixture-small-pytorch-fp32-b" + (k + 1) + ".json"), one.toString());
        }
        Path b2 = dir.resolve("fixture-small-pytorch-fp32-b2.json");
        String line = b2 + " is not the result of fixture-small / pytorch-fp32 batch 2: its parameters {batchSize=8, "
                + "device=cuda:0, engine=pytorch-fp32, model=fixture-small} are not {batchSize=2, engine=pytorch-fp32, "
                + "model=fixture-small}";
        assertBad("compare: " + line + "\n", F + "baseline.json", dir.toString());
        assertEquals("compare: " + line + "\n", err());
        assertBad("compare: " + line + "\n", F + "baseline.json", b2.toString());
        // -h lists it among exit 2's inputs in docs/report.md's words
        assertEquals(0, compare("-h"));
        assertTrue(out().replaceAll("\\s+", " ").contains("a sweep's directory that holds no result or a result under "
                + "another configuration's name"), out());
    }

    /**
     * A sweep whose runs all ended before their result (killed, failed after measuring) holds only their measured
     * iterations: the line says how many such files it holds and names one, so the user knows where they are.
     */
    @Test
    void aSweepOfUnfinishedFilesOnlySaysItHoldsThem() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("sweep"));
        Files.writeString(dir.resolve("sweep.jsonl"), "");
        assertBad(dir + ": the sweep holds no result\n", F + "baseline.json", dir.toString());
        Path first = Files.copy(Path.of(F + "rerun.json"), dir.resolve("m-e-b1.unfinished.json"));
        Files.copy(Path.of(F + "rerun.json"), dir.resolve("m-e-b2.unfinished.earlier.json"));
        for (String[] sides : List.of(new String[] {F + "baseline.json", dir.toString()},
                new String[] {dir.toString(), F + "baseline.json"})) {
            assertBad("compare: " + dir + ": the sweep holds no result, only 2 unfinished result(s) (the measured "
                    + "iterations of runs that did not end, which are no result: docs/report.md), e.g. " + first + "\n",
                    sides);
        }
    }

    /**
     * A candidate that measured nothing (every benchmark failed after a driver upgrade, say) leaves its list of
     * benchmarks not run alone, a run's beside its result's name and a sweep's in its directory: the line says so and why
     * the first did not run, where "no such file" would read as a wrong path.
     */
    @Test
    void aCandidateThatMeasuredNothingSaysWhyFromItsList() throws Exception {
        String list = "[{\"benchmark\": \"gpuenergy.bench.InferenceBenchmark.infer\", \"params\": {\"batchSize\": \"1\", "
                + "\"engine\": \"pytorch-fp32\"}, \"reason\": \"CUDA driver version is insufficient\", \"kind\": \"error\"}, "
                + "{\"benchmark\": \"gpuenergy.bench.InferenceBenchmark.infer\", \"params\": {\"batchSize\": \"2\", "
                + "\"engine\": \"pytorch-fp32\"}, \"reason\": \"CUDA driver version is insufficient\", \"kind\": \"error\"}]";
        String why = " lists 2 benchmark(s) not run, e.g. InferenceBenchmark.infer (batchSize=1, engine=pytorch-fp32) "
                + "[error]: CUDA driver version is insufficient\n";
        Path notRun = Files.writeString(tmp.resolve("run.notrun.json"), list);
        Path run = tmp.resolve("run.json");
        assertBad("compare: " + run + ": no such file: nothing was measured, and " + notRun + why, F + "baseline.json",
                run.toString());
        Path dir = Files.createDirectories(tmp.resolve("sweep"));
        Files.writeString(dir.resolve("sweep.jsonl"), "");
        Files.writeString(dir.resolve("sweep.notrun.json"), list);
        assertBad("compare: " + dir + ": the sweep holds no result; its sweep.notrun.json" + why, F + "baseline.json",
                dir.toString());

        // a list that cannot be read is said as such, not as what the list names
        Files.writeString(notRun, "[{\"benchmark\":");
        assertBad("compare: " + run + ": no such file: nothing was measured, and " + notRun + " lists nothing readable ("
                + notRun + ": not valid JSON", F + "baseline.json", run.toString());
    }

    /** A not-run list given for a result is named as what it is. */
    @Test
    void aListOfBenchmarksNotRunIsNotTakenForAResult() throws Exception {
        Path list = Files.writeString(tmp.resolve("sweep.notrun.json"), "[{\"benchmark\": \"b.B.m\", \"params\": {}, "
                + "\"reason\": \"CUDA out of memory\", \"kind\": \"did-not-fit\"}]");
        assertBad(list + ": a list of benchmarks not run, not a result file; give the result file it belongs to, or the "
                + "sweep's directory", list.toString(), F + "rerun.json");
        assertBad("missing.notrun.json: no such file", F + "missing.notrun.json", F + "rerun.json");
    }

    /** A sweep's record given for a result is named as what it is, as report names it, not as a broken result. */
    @Test
    void aSweepsRecordIsNotTakenForAResult() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("sweep"));
        for (String name : List.of("shard.json", "sweep.jsonl", "sweep-settings.json")) {
            Path record = Files.writeString(dir.resolve(name), "{}\n");
            assertBad(record + ": a sweep's record, not a result file; give the sweep's directory", record.toString(),
                    F + "rerun.json");
            assertBad(record + ": a sweep's record", F + "rerun.json", record.toString());
        }
    }

    /**
     * A summary.csv given for a result is named a summary table: a sweep's in a sweep's directory, and one that may be a
     * report's (report writes one beside index.html) elsewhere, never a sweep's record.
     */
    @Test
    void aSummaryTableIsNotTakenForAResult() throws Exception {
        Path sweep = Files.createDirectories(tmp.resolve("sweep"));
        Files.writeString(sweep.resolve("sweep.jsonl"), "");
        Path sweepSummary = Files.writeString(sweep.resolve("summary.csv"), "model,engine\n");
        assertBad(sweepSummary + ": a sweep's summary table, not a result file; give the sweep's directory",
                sweepSummary.toString(), F + "rerun.json");

        Path report = tmp.resolve("report");
        assertEquals(0, gpuenergy.report.ReportCommand.run(new String[] {F + "baseline.json", "--out", report.toString()}));
        Path reportSummary = report.resolve("summary.csv");
        assertTrue(Files.isRegularFile(reportSummary));
        String line = reportSummary + ": a summary table (a sweep's or a report's), not a result file; give the sweep's "
                + "directory or the result files it was made from";
        assertBad(line, reportSummary.toString(), F + "rerun.json");
        assertBad(line, F + "rerun.json", reportSummary.toString());
    }

    /** Plain JMH results record no device: compared (other tools' files stay usable), and one line says it is unchecked. */
    @Test
    void aFileWithoutEnvironmentIsComparedAndItsDeviceNamedUnknown() throws Exception {
        com.google.gson.JsonArray plain = com.google.gson.JsonParser.parseString(Files.readString(Path.of(F + "rerun.json")))
                .getAsJsonArray();
        plain.forEach(e -> e.getAsJsonObject().remove("environment"));
        Path candidate = Files.writeString(tmp.resolve("plain.json"), plain.toString());
        assertEquals(0, compare(F + "baseline.json", candidate.toString()), out());
        assertEquals(1, out().lines().filter(l -> l.startsWith("device unknown")).count(), out());
        assertTrue(out().contains("device unknown in the candidate for 24 of the 24 compared benchmark(s) (no \"environment\" "
                + "gpu.name, nor device=cpu, as in plain JMH results): not checked to be the same device\n"), out());
        out.reset();
        assertEquals(0, compare(candidate.toString(), F + "baseline.json"), out());
        assertTrue(out().contains("device unknown in the baseline for 24 of the 24"), out());
        out.reset();
        com.google.gson.JsonArray plainBase = com.google.gson.JsonParser.parseString(Files.readString(Path.of(F + "baseline.json")))
                .getAsJsonArray();
        plainBase.forEach(e -> e.getAsJsonObject().remove("environment"));
        Path base = Files.writeString(tmp.resolve("plain-base.json"), plainBase.toString());
        assertEquals(0, compare(base.toString(), candidate.toString()), out());
        assertTrue(out().contains("environment: the results compared record no \"environment\" on either side\n"), out());
        out.reset();
        assertEquals(0, compare(F + "baseline.json", F + "rerun.json"), out());
        assertFalse(out().contains("device unknown"), out());
    }

    /**
     * A fixture without its entry {@code index}, written as {@code dir/name}; with a {@code kind}, a list of benchmarks
     * not run that names it: beside the file when it is candidate.json, else as the sweep's list of {@code dir}.
     */
    private Path candidateWithout(String fixture, int index, String kind, String reason, Path dir, String name)
            throws Exception {
        com.google.gson.JsonArray entries = com.google.gson.JsonParser.parseString(Files.readString(Path.of(F + fixture)))
                .getAsJsonArray();
        com.google.gson.JsonObject gone = entries.remove(index).getAsJsonObject();
        Path file = Files.writeString(Files.createDirectories(dir).resolve(name), entries.toString());
        if (kind != null) {
            com.google.gson.JsonObject params = gone.getAsJsonObject("params").deepCopy();
            params.remove("device"); // as a sweep's list names a benchmark: model, engine and batchSize
            com.google.gson.JsonObject entry = new com.google.gson.JsonObject();
            entry.add("benchmark", gone.get("benchmark"));
            entry.add("params", params);
            entry.addProperty("reason", reason);
            entry.addProperty("kind", kind);
            com.google.gson.JsonArray list = new com.google.gson.JsonArray();
            list.add(entry);
            Path listFile = name.equals("candidate.json") ? gpuenergy.results.NotRunList.besides(file)
                    : dir.resolve(gpuenergy.results.NotRunList.SWEEP_FILE);
            Files.writeString(listFile, list.toString());
        }
        return file;
    }

    /** A gate must not pass on what the candidate did not measure: a benchmark of the baseline missing there is exit 3. */
    @Test
    void aBenchmarkMissingInTheCandidateFailsTheGateWithItsNotRunReason() throws Exception {
        String key = "gpuenergy.bench.InferenceBenchmark.infer {batchSize=1, device=cuda:0, engine=tensorrt-fp16, model=fixture-small}";
        Path cand = candidateWithout("rerun.json", 3, "error", "CUDA error: an illegal memory access", tmp.resolve("a"), "candidate.json");
        assertEquals(3, compare(F + "baseline.json", cand.toString()), out());
        assertTrue(out().contains("missing in the candidate (not judged): " + key
                + ": not run: error: CUDA error: an illegal memory access\n"), out());
        assertTrue(out().contains("23 benchmarks compared; threshold 3.00%; 99.9% Welch interval; 0 regressions; "
                + "1 benchmark of the baseline missing in the candidate\n"), out());
        assertTrue(out().contains("exit 3: nothing regressed, but 1 benchmark of the baseline is missing in the "
                + "candidate (--allow-missing compares a subset on purpose)"), out());

        out.reset();
        assertEquals(0, compare(F + "baseline.json", cand.toString(), "--allow-missing"), out());
        assertTrue(out().contains("only in baseline (not compared, --allow-missing): " + key + ": not run: error: "), out());
        assertFalse(out().contains("missing in the candidate"), out());

        out.reset();
        Path unlisted = candidateWithout("rerun.json", 3, null, null, tmp.resolve("b"), "candidate.json");
        assertEquals(3, compare(F + "baseline.json", unlisted.toString()), out());
        assertTrue(out().contains("missing in the candidate (not judged): " + key
                + ": no result, and not in the candidate's list of benchmarks not run (it has none)\n"), out());

        // a regression elsewhere decides the exit status, as with a metric not judged
        out.reset();
        Path slower = candidateWithout("slower.json", 3, null, null, tmp.resolve("c"), "candidate.json");
        assertEquals(1, compare(F + "baseline.json", slower.toString()), out());
        assertTrue(out().contains("2 regressions; 1 benchmark of the baseline missing in the candidate\n"), out());
    }

    /**
     * A sweep run whole whose shard.json cannot be read is refused on either side, in one line naming the record and why
     * (exit 2), as a divided sweep's part whose record cannot be read is: without it, a ladder the candidate's sweep
     * never reached would be only "not in the candidate's list", and one the baseline's never reached not said at all.
     */
    @Test
    void aSweepWhoseShardRecordCannotBeReadIsRefused() throws Exception {
        Path sweep = Files.createDirectories(tmp.resolve("sweep"));
        Files.writeString(sweep.resolve("sweep.jsonl"), "");
        Files.copy(Path.of(F + "rerun.json"), sweep.resolve("all.json"));
        Path shard = Files.writeString(sweep.resolve("shard.json"), "");
        String line = "compare: " + shard + ": is empty (0 bytes; a run killed before it wrote anything leaves such a "
                + "file); expected the shard.json a sweep with --shard I/N writes; the ladders its sweep did not reach "
                + "cannot be named\n";
        assertBad(line, F + "baseline.json", sweep.toString());
        assertEquals(line, err());
        assertBad(line, sweep.toString(), F + "baseline.json");
        Files.delete(shard);
        Files.createDirectories(shard);
        assertBad("compare: " + shard + ": is a directory, not a shard file; the ladders its sweep did not reach cannot be "
                + "named\n", F + "baseline.json", sweep.toString());
    }

    /** Half a sweep does not pass: a result gone from the candidate's sweep, its did-not-fit in sweep.notrun.json. */
    @Test
    void aSweepMissingABenchmarkOfTheBaselineFailsTheGate() throws Exception {
        Path baseline = Files.createDirectories(tmp.resolve("baseline-sweep"));
        Files.writeString(baseline.resolve("sweep.jsonl"), "");
        Files.copy(Path.of(F + "baseline.json"), baseline.resolve("all.json"));
        Path candidate = candidateWithout("rerun.json", 8, "did-not-fit", "CUDA out of memory", tmp.resolve("candidate-sweep"), "all.json")
                .getParent();
        Files.writeString(candidate.resolve("sweep.jsonl"), "");
        assertEquals(3, compare(baseline.toString(), candidate.toString()), out());
        assertTrue(out().contains("missing in the candidate (not judged): gpuenergy.bench.InferenceBenchmark.infer "
                + "{batchSize=64, device=cuda:0, engine=pytorch-fp32, model=fixture-medium}: not run: did-not-fit: CUDA out of "
                + "memory\n"), out());
        out.reset();
        assertEquals(0, compare(baseline.toString(), candidate.toString(), "--allow-missing"), out());
    }
}
