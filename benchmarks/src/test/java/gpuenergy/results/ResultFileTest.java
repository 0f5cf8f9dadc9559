package gpuenergy.results;

import gpuenergy.profile.EnergyLabels;
import gpuenergy.profile.EnvironmentKeys;
import gpuenergy.results.ParamNames;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultFileTest {
    /** A file in another encoding (a result re-saved by an editor in Latin-1) is one line saying so. */
    @Test
    void aFileThatIsNoUtf8TextIsOneLine(@TempDir Path dir) throws Exception {
        Path latin1 = Files.write(dir.resolve("r.json"), "[{\"benchmark\": \"caf\u00e9\"}]".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        BadInputException e = assertThrows(BadInputException.class, () -> ResultFile.read(latin1));
        assertTrue(e.getMessage().startsWith(latin1 + ": not UTF-8 text; "), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }

    static final Path FIXTURES = Path.of("src/test/resources/fixtures");

    /** A result written with -tu ms (ops/ms) is read in img/s as the same run in ops/s: its score is not taken as per second. */
    @Test
    void throughputInAnotherTimeUnitIsReadInImagesPerSecond(@TempDir Path tmp) throws Exception {
        Path perSecond = Path.of("src/test/resources/h100/validation/resnet50-pytorch-fp32-b128.json");
        JsonArray entries = JsonParser.parseString(Files.readString(perSecond)).getAsJsonArray();
        JsonObject primary = entries.get(0).getAsJsonObject().getAsJsonObject("primaryMetric");
        primary.addProperty("score", primary.get("score").getAsDouble() / 1000);
        primary.addProperty("scoreError", primary.get("scoreError").getAsDouble() / 1000);
        JsonArray confidence = new JsonArray();
        primary.getAsJsonArray("scoreConfidence").forEach(v -> confidence.add(v.getAsDouble() / 1000));
        primary.add("scoreConfidence", confidence);
        JsonArray raw = new JsonArray();
        primary.getAsJsonArray("rawData").forEach(fork -> {
            JsonArray f = new JsonArray();
            fork.getAsJsonArray().forEach(v -> f.add(v.getAsDouble() / 1000));
            raw.add(f);
        });
        primary.add("rawData", raw);
        primary.addProperty("scoreUnit", "ops/ms");
        Path perMs = tmp.resolve("per-ms.json");
        Files.writeString(perMs, entries.toString());
        Metric expected = ResultFile.read(perSecond).get(0).imagesPerSecond();
        Metric read = ResultFile.read(perMs).get(0).imagesPerSecond();
        assertEquals("img/s", read.unit());
        assertEquals(expected.score(), read.score(), expected.score() * 1e-12);
        assertEquals(expected.lo(), read.lo(), expected.score() * 1e-12);
        assertEquals(expected.samples()[0], read.samples()[0], expected.score() * 1e-12);
        // a benchmark without a batchSize in ops/ms: in ops/s, not the ops/ms figure under another name
        entries.get(0).getAsJsonObject().getAsJsonObject("params").remove("batchSize");
        Path unbatched = tmp.resolve("per-ms-unbatched.json");
        Files.writeString(unbatched, entries.toString());
        Metric perOp = ResultFile.read(unbatched).get(0).imagesPerSecond();
        assertEquals("ops/s", perOp.unit());
        assertEquals(read.score() / 128, perOp.score(), read.score() * 1e-12);
    }

    @TempDir
    Path tmp;

    @Test
    void readsJmhJsonWithEnergyAndEnvironment() throws Exception {
        List<BenchmarkResult> results = ResultFile.read(FIXTURES.resolve("baseline.json"));
        assertEquals(24, results.size());
        BenchmarkResult r = results.stream().filter(x -> x.param(ParamNames.MODEL).equals("fixture-medium")
                && x.param(ParamNames.ENGINE).equals("tensorrt-fp16") && x.batchSize() == 8).findFirst().orElseThrow();
        assertEquals("thrpt", r.mode());
        assertEquals(6, r.primary().samples().length, "2 forks x 3 iterations");
        // img/s = batches/s x batch size, samples and interval alike
        assertEquals(r.primary().score() * 8, r.imagesPerSecond().score(), 1e-9);
        assertEquals(r.primary().samples()[5] * 8, r.imagesPerSecond().samples()[5], 1e-9);
        assertEquals("img/s", r.primaryLabel());
        assertTrue(r.hasEnergy());
        assertEquals("700", r.environment().get(EnvironmentKeys.GPU_POWER_LIMIT_W));
        assertEquals(700, r.environmentNumber("gpu.power_limit_w"));
        assertEquals("gpuenergy.bench.InferenceBenchmark.infer {batchSize=8, device=cuda:0, engine=tensorrt-fp16, "
                + "model=fixture-medium}", r.key());
    }

    @Test
    void readsResultsWithoutEnergy() throws Exception {
        List<BenchmarkResult> results = ResultFile.read(FIXTURES.resolve("no-energy.json"));
        assertFalse(results.get(0).hasEnergy());
        assertTrue(Double.isNaN(results.get(0).secondaryScore(EnergyLabels.AVG_W)));
    }

    @Test
    void jmhNanStringsAreNaN() throws Exception {
        Path f = write("nan.json", "[{\"benchmark\":\"b.B.m\",\"mode\":\"thrpt\",\"params\":{},\"primaryMetric\":"
                + "{\"score\":5.0,\"scoreError\":\"NaN\",\"scoreConfidence\":[\"NaN\",\"NaN\"],\"scoreUnit\":\"ops/s\","
                + "\"rawData\":[[5.0]]}}]");
        BenchmarkResult r = ResultFile.read(f).get(0);
        assertTrue(Double.isNaN(r.primary().lo()));
        assertEquals(1, r.batchSize());
        assertEquals("ops/s", r.primaryLabel(), "no batchSize param: the score stays in JMH's unit");
    }

    @Test
    void badInputsGiveOneLineNamingTheFile() throws Exception {
        assertBad(tmp.resolve("missing.json"), "no such file");
        assertBad(write("text.json", "this is not json {"), "not valid JSON at line 1, column ");
        assertBad(write("torn.json", "[{\"benchmark\":"), "not valid JSON at line 1, column 15");
        assertBad(write("killed.json", ""), "is empty (0 bytes");
        assertBad(Files.createDirectories(tmp.resolve("adir")), "is a directory");
        assertBad(write("object.json", "{\"benchmark\":\"x\"}"), "not a JMH result file");
        assertBad(write("empty.json", "[]"), "contains no benchmark results");
        assertBad(write("noprimary.json", "[{\"benchmark\":\"x\"}]"), "entry 0 is not a JMH result");
    }

    @Test
    void notRunSiblingIsListed() throws Exception {
        Path result = write("run.json", "[]");
        write("run.notrun.json", "[{\"benchmark\":\"gpuenergy.bench.InferenceBenchmark.infer\",\"params\":{\"model\":\"big\","
                + "\"batchSize\":\"1024\"},\"reason\":\"out of GPU memory\",\"kind\":\"did-not-fit\"}]");
        List<String> lines = NotRunList.lines(NotRunList.of(result), "run.notrun.json");
        assertEquals(1, lines.size());
        assertTrue(lines.get(0).contains("did-not-fit: out of GPU memory"), lines.get(0));
        assertTrue(lines.get(0).contains("batchSize=1024"), lines.get(0));
        assertNull(NotRunList.of(FIXTURES.resolve("baseline.json")));
    }

    @Test
    void aNotRunEntryNamesItsGpuWhenItHasOne() throws Exception {
        Path list = write("run.notrun.json", "[{\"benchmark\":\"b.B.m\",\"params\":{\"batchSize\":\"1024\"},"
                + "\"reason\":\"out of GPU memory\",\"kind\":\"did-not-fit\",\"gpu\":\"FIXTURE GPU\"},"
                + "{\"benchmark\":\"b.B.m\",\"params\":{\"batchSize\":\"512\"},\"reason\":\"old list\",\"kind\":\"did-not-fit\"}]");
        List<NotRun> entries = NotRunList.read(list);
        assertEquals("FIXTURE GPU", entries.get(0).gpu());
        assertNull(entries.get(1).gpu(), "an entry written before entries named their GPU");
        assertEquals("b.B.m {batchSize=1024} on FIXTURE GPU: did-not-fit: out of GPU memory", entries.get(0).line());
        assertEquals("b.B.m {batchSize=512}: did-not-fit: old list", entries.get(1).line());
    }

    @Test
    void writersNameTheGpuUnlessTheBenchmarkRanOnTheCpuOrThereIsNone() {
        assertEquals("FIXTURE GPU", NotRun.gpuFor("auto", "FIXTURE GPU"));
        assertEquals("FIXTURE GPU", NotRun.gpuFor("gpu:0", "FIXTURE GPU"));
        assertEquals("FIXTURE GPU", NotRun.gpuFor(null, "FIXTURE GPU"), "a benchmark without a device parameter");
        assertNull(NotRun.gpuFor("cpu", "FIXTURE GPU"));
        assertNull(NotRun.gpuFor("auto", null), "no GPU: what CI has");
        assertNull(NotRun.gpuFor("auto", ""));
    }

    /** A batchSize that is no whole number >= 1 would make every per-image figure wrong: the entry is refused. */
    @Test
    void anEntryWhoseBatchSizeIsNotAWholeNumberIsRefused() throws Exception {
        String entry = "[{\"benchmark\":\"b.B.m\",\"mode\":\"thrpt\",\"params\":{\"batchSize\":\"%s\"},"
                + "\"primaryMetric\":{\"score\":5.0,\"scoreUnit\":\"ops/s\",\"rawData\":[[5.0]]}}]";
        assertBad(write("abc.json", String.format(entry, "abc")), "entry 0 is not a JMH result (batchSize \"abc\": expected a "
                + "whole number >= 1)");
        assertBad(write("zero.json", String.format(entry, "0")), "batchSize \"0\": expected a whole number >= 1");
        assertEquals(16, ResultFile.read(write("b16.json", String.format(entry, "16"))).get(0).batchSize());
        // a lone carriage return (JSON's \r) ends the quoted value's line as a newline does: a terminal would write the
        // rest of the line over its start
        assertBad(write("cr.json", String.format(entry, "1\\r2")), "entry 0 is not a JMH result (batchSize \"1); expected");
    }

    /** A real H100 result (src/test/resources/h100/README.md): one entry, 3 iterations of one fork, with energy. */
    static final Path RECORDED = Path.of("src/test/resources/h100/fp16-b128-on-1.json");

    /** The recorded result with its entry edited, written as {@code name}. */
    private Path recordedWith(String name, Consumer<JsonObject> edit) throws Exception {
        JsonArray entries = JsonParser.parseString(Files.readString(RECORDED)).getAsJsonArray();
        edit.accept(entries.get(0).getAsJsonObject());
        return write(name, entries.toString());
    }

    private static JsonArray rawData(JsonObject entry, String secondaryLabel) {
        JsonObject metric = secondaryLabel == null ? entry.getAsJsonObject("primaryMetric")
                : entry.getAsJsonObject("secondaryMetrics").getAsJsonObject(secondaryLabel);
        return metric.getAsJsonArray("rawData").get(0).getAsJsonArray();
    }

    /** A throughput is a rate that was measured: NaN, infinite, 0 or negative is no iteration's, and compare's statistics break on it. */
    @Test
    void aThroughputThatIsNotAFiniteNumberAboveZeroIsRefusedNamingTheBenchmarkAndTheValue() throws Exception {
        assertEquals(3, ResultFile.read(RECORDED).get(0).primary().samples().length, "the recorded file itself is read");
        String key = "gpuenergy.bench.InferenceBenchmark.infer {batchSize=128, device=auto, engine=pytorch-fp16, model=resnet50}";
        for (String value : List.of("NaN", "Infinity", "-Infinity")) {
            Path f = recordedWith(value + ".json", e -> rawData(e, null).set(1, new JsonPrimitive(value)));
            assertBad(f, f + ": " + key + ": primaryMetric.rawData[0][1] is " + value
                    + "; an iteration's throughput is a finite number > 0");
        }
        assertBad(recordedWith("negative.json", e -> rawData(e, null).set(0, new JsonPrimitive(-101.4))),
                "primaryMetric.rawData[0][0] is -101.4; an iteration's throughput is a finite number > 0");
        assertBad(recordedWith("zero.json", e -> rawData(e, null).set(2, new JsonPrimitive(0))),
                "primaryMetric.rawData[0][2] is 0; an iteration's throughput is a finite number > 0");
        assertBad(recordedWith("overflow.json", e -> rawData(e, null).set(2, new JsonPrimitive(new java.math.BigDecimal("1e999")))),
                "primaryMetric.rawData[0][2] is Infinity");
        assertBad(recordedWith("score.json", e -> e.getAsJsonObject("primaryMetric").addProperty("score", -101.4)),
                key + ": primaryMetric.score is -101.4; an iteration's throughput is a finite number > 0");
    }

    /**
     * A throughput in a unit JMH never writes (a rate per no time unit, or none) has no images per second: it is refused,
     * not shown as img/s without the batch size and time unit its figure is in.
     */
    @Test
    void aThroughputInAUnitJmhNeverWritesIsRefused() throws Exception {
        String key = "gpuenergy.bench.InferenceBenchmark.infer {batchSize=128, device=auto, engine=pytorch-fp16, model=resnet50}";
        Path furlongs = recordedWith("furlongs.json", e -> e.getAsJsonObject("primaryMetric").addProperty("scoreUnit", "furlongs"));
        assertBad(furlongs, furlongs + ": " + key + ": primaryMetric.scoreUnit is \"furlongs\", no throughput unit JMH "
                + "writes (ops/s, ops/ms, ops/us, ...): its images per second are not known");
        assertBad(recordedWith("no-unit.json", e -> e.getAsJsonObject("primaryMetric").remove("scoreUnit")),
                "primaryMetric.scoreUnit is \"\", no throughput unit JMH writes");
        // a time per operation keeps its unit, whatever it is: no command turns it into a rate
        Path perOp = recordedWith("avgt.json", e -> {
            e.addProperty("mode", "avgt");
            e.getAsJsonObject("primaryMetric").addProperty("scoreUnit", "s/op");
        });
        assertEquals("s/op", ResultFile.read(perOp).get(0).imagesPerSecond().unit());
        assertEquals("img/s", ResultFile.read(RECORDED).get(0).imagesPerSecond().unit());
    }

    /**
     * A figure far beyond any run's (1e308 img/s, a subnormal 1e-320) is refused as no measurement, named as Java spells
     * it, not in hundreds of digits: compare's statistics leave a double's range on it. A secondary figure of 0 is read,
     * and so are figures at the ends of the range.
     */
    @Test
    void aFigureBeyondTheRangeOfAnyRunIsRefused() throws Exception {
        String range = "; a measured figure other than 0 lies from 1e-30 to 1e30 in size";
        assertBad(recordedWith("huge.json", e -> rawData(e, null).set(1, new JsonPrimitive(1e308))),
                "primaryMetric.rawData[0][1] is 1.0E308" + range);
        assertBad(recordedWith("subnormal.json", e -> rawData(e, null).set(1, new JsonPrimitive(1e-320))),
                "primaryMetric.rawData[0][1] is 1.0E-320" + range);
        assertBad(recordedWith("huge-score.json", e -> e.getAsJsonObject("primaryMetric").addProperty("score", 2e30)),
                "primaryMetric.score is 2.0E30" + range);
        assertBad(recordedWith("huge-power.json", e -> rawData(e, EnergyLabels.AVG_W).set(0, new JsonPrimitive(-1e31))),
                "secondaryMetrics[\"energy.avg-W\"].rawData[0][0] is -1.0E31" + range);
        Path ends = recordedWith("ends.json", e -> {
            rawData(e, null).set(0, new JsonPrimitive(1e30));
            rawData(e, null).set(1, new JsonPrimitive(1e-30));
            rawData(e, EnergyLabels.AVG_W).set(0, new JsonPrimitive(0));
        });
        assertEquals(1e30, ResultFile.read(ends).get(0).primary().samples()[0]);
        assertEquals(0, ResultFile.read(ends).get(0).secondary().get(EnergyLabels.AVG_W).samples()[0]);
    }

    @Test
    void aResultWithoutMeasuredIterationsIsRefused() throws Exception {
        assertBad(recordedWith("no-forks.json", e -> e.getAsJsonObject("primaryMetric").add("rawData", new JsonArray())),
                "engine=pytorch-fp16, model=resnet50}: primaryMetric.rawData holds no measured iteration");
        assertBad(recordedWith("empty-fork.json", e -> rawData(e, null).asList().clear()),
                "primaryMetric.rawData holds no measured iteration");
        assertBad(recordedWith("no-raw-data.json", e -> e.getAsJsonObject("primaryMetric").remove("rawData")),
                "primaryMetric.rawData holds no measured iteration");
        // JMH's sample mode writes rawDataHistogram instead of rawData
        assertBad(recordedWith("sample-mode.json", e -> {
            e.addProperty("mode", "sample");
            e.getAsJsonObject("primaryMetric").add("rawDataHistogram", e.getAsJsonObject("primaryMetric").remove("rawData"));
        }), "JMH's sample mode (-bm sample) keeps its iterations as a histogram, which no command here reads");
    }

    /**
     * A secondary metric that is NaN is unknown (JMH writes it for one it could not compute, the profiler for an
     * iteration it could not measure) and is read as such; an infinite one is no measurement.
     */
    @Test
    void anInfiniteSecondaryFigureIsRefusedAndAnUnknownOneIsRead() throws Exception {
        Path unknown = recordedWith("unknown.json", e -> rawData(e, EnergyLabels.J_PER_IMG).set(1, new JsonPrimitive("NaN")));
        assertEquals(1, ResultFile.read(unknown).get(0).joulesPerImageUnknown());
        assertBad(recordedWith("infinite.json", e -> rawData(e, EnergyLabels.J_PER_IMG).set(1, new JsonPrimitive("Infinity"))),
                "model=resnet50}: secondaryMetrics[\"energy.J/img\"].rawData[0][1] is Infinity; a measured figure is never "
                        + "infinite (one that is unknown is NaN)");
        assertBad(recordedWith("infinite-score.json", e -> e.getAsJsonObject("secondaryMetrics")
                        .getAsJsonObject(EnergyLabels.AVG_W).addProperty("score", "-Infinity")),
                "secondaryMetrics[\"energy.avg-W\"].score is -Infinity");
        assertBad(recordedWith("infinite-interval.json", e -> e.getAsJsonObject("primaryMetric")
                        .getAsJsonArray("scoreConfidence").set(1, new JsonPrimitive("Infinity"))),
                "primaryMetric.scoreConfidence is [100.7, Infinity]");
    }

    /** A field of another shape than JMH writes is named, with what it is, in JSON's terms: never a Java class. */
    @Test
    void aFieldOfAnotherShapeIsNamedInJsonTerms() throws Exception {
        assertBad(recordedWith("secondary.json", e -> e.add("secondaryMetrics", new JsonArray())),
                "entry 0 is not a JMH result (secondaryMetrics is an array, expected an object); expected the JSON array JMH writes");
        assertBad(recordedWith("environment.json", e -> e.add("environment", JsonParser.parseString("[1]"))),
                "(environment is an array, expected an object)");
        assertBad(recordedWith("params.json", e -> e.add("params", JsonNull.INSTANCE)), "(params is null, expected an object)");
        assertBad(recordedWith("metric.json", e -> e.getAsJsonObject("secondaryMetrics").addProperty(EnergyLabels.J_PER_IMG, 3)),
                "(secondaryMetrics[\"energy.J/img\"] is the number 3, expected an object)");
        assertBad(recordedWith("primary.json", e -> e.add("primaryMetric", JsonParser.parseString("[101.4]"))),
                "(primaryMetric is an array, expected an object)");
        assertBad(recordedWith("raw.json", e -> e.getAsJsonObject("primaryMetric").add("rawData", JsonParser.parseString("{\"a\":1}"))),
                "(primaryMetric.rawData is an object, expected an array)");
        assertBad(recordedWith("fork.json", e -> e.getAsJsonObject("primaryMetric").add("rawData", JsonParser.parseString("[101.4]"))),
                "(primaryMetric.rawData[0] is the number 101.4, expected an array)");
        assertBad(recordedWith("word.json", e -> rawData(e, null).set(1, new JsonPrimitive("fast"))),
                "(primaryMetric.rawData[0][1] is the string \"fast\", expected a number)");
        assertBad(recordedWith("one.json", e -> rawData(e, null).set(1, JsonParser.parseString("[101.4]"))),
                "(primaryMetric.rawData[0][1] is an array, expected a number)");
        assertBad(recordedWith("benchmark.json", e -> e.add("benchmark", new JsonObject())), "(benchmark is an object, expected a string)");
        assertBad(recordedWith("unit.json", e -> e.getAsJsonObject("primaryMetric").add("scoreUnit", new JsonArray())),
                "(primaryMetric.scoreUnit is an array, expected a string)");
        assertBad(recordedWith("interval.json", e -> e.getAsJsonObject("primaryMetric").add("scoreConfidence", new JsonArray())),
                "(primaryMetric.scoreConfidence holds 0 values, expected 2)");
        assertBad(recordedWith("time.json", e -> e.addProperty("measurementTime", "soon")),
                "(measurementTime \"soon\" is not a time as JMH writes it (\"10 s\"))");
        assertBad(write("entry.json", "[1]"), "entry 0 is not a JMH result (the entry is the number 1, expected an object)");
    }

    /**
     * A value of another shape that is megabytes long (a string pasted into a field, a run's output in its place) is
     * quoted by its start and its length: the line stays one a terminal shows.
     */
    @Test
    void aLongValueOfAnotherShapeIsQuotedByItsStart() throws Exception {
        String huge = "x".repeat(1_000_000);
        Path file = recordedWith("huge.json", e -> rawData(e, null).set(1, new JsonPrimitive(huge)));
        assertBad(file, "(primaryMetric.rawData[0][1] is the string \"xxxxxxxx");
        String message = assertThrows(BadInputException.class, () -> ResultFile.read(file)).getMessage();
        assertTrue(message.contains("... (1000002 characters), expected a number)"), message);
        assertTrue(message.length() < file.toString().length() + 300, message.length() + " characters");
    }

    /** JMH writes each parameter as a string: a null, an array or an object is no value to group a result by. */
    @Test
    void aParameterThatIsNoStringIsRefused() throws Exception {
        assertBad(recordedWith("model-null.json", e -> e.getAsJsonObject("params").add(ParamNames.MODEL, JsonNull.INSTANCE)),
                "(params.model is null, expected a string)");
        assertBad(recordedWith("engine-array.json", e -> e.getAsJsonObject("params").add(ParamNames.ENGINE, new JsonArray())),
                "(params.engine is an array, expected a string)");
        assertBad(recordedWith("device-object.json", e -> e.getAsJsonObject("params").add("device", new JsonObject())),
                "(params.device is an object, expected a string)");
    }

    /** JMH writes each parameter as a string ("16"): a number given bare is refused as a null one is, not read as its text. */
    @Test
    void aParameterGivenAsANumberIsRefused() throws Exception {
        assertBad(recordedWith("batch-number.json", e -> e.getAsJsonObject("params").addProperty(ParamNames.BATCH_SIZE, 128)),
                "entry 0 is not a JMH result (params.batchSize is the number 128, expected a string); expected the JSON array");
        assertBad(recordedWith("model-number.json", e -> e.getAsJsonObject("params").addProperty(ParamNames.MODEL, 1.5)),
                "(params.model is the number 1.5, expected a string)");
        assertEquals("128", ResultFile.read(RECORDED).get(0).param(ParamNames.BATCH_SIZE), "the recorded file's string is read");
    }

    /**
     * JMH writes a result's benchmark, measurementTime and each metric's scoreUnit as strings: a number there is refused
     * as a parameter given as one is, not read as its text (a benchmark named "5", a unit "1").
     */
    @Test
    void aNameTimeOrUnitGivenAsANumberIsRefused() throws Exception {
        assertBad(recordedWith("benchmark-number.json", e -> e.addProperty("benchmark", 5)),
                "entry 0 is not a JMH result (benchmark is the number 5, expected a string); expected the JSON array");
        assertBad(recordedWith("time-number.json", e -> e.addProperty("measurementTime", 10)),
                "(measurementTime is the number 10, expected a string)");
        assertBad(recordedWith("unit-number.json", e -> e.getAsJsonObject("primaryMetric").addProperty("scoreUnit", 5)),
                "(primaryMetric.scoreUnit is the number 5, expected a string)");
        assertBad(recordedWith("secondary-unit-number.json", e -> e.getAsJsonObject("secondaryMetrics")
                        .getAsJsonObject(EnergyLabels.J_PER_IMG).addProperty("scoreUnit", 1)),
                "(secondaryMetrics[\"energy.J/img\"].scoreUnit is the number 1, expected a string)");
        assertBad(recordedWith("benchmark-true.json", e -> e.addProperty("benchmark", true)), "(benchmark is true, expected a string)");
    }

    /**
     * The launcher writes each environment value as a string (the GPU's power limit as "700"): a number, a boolean, null,
     * an array or an object there is no text it wrote and is refused, naming the key, not read as its text.
     */
    @Test
    void anEnvironmentValueOtherThanAStringIsRefused() throws Exception {
        assertBad(recordedWith("env-number.json", e -> e.getAsJsonObject("environment").addProperty(EnvironmentKeys.GPU_NAME, 5)),
                "entry 0 is not a JMH result (environment.gpu.name is the number 5, expected a string); expected the JSON array");
        assertBad(recordedWith("env-limit.json", e -> e.getAsJsonObject("environment").addProperty(EnvironmentKeys.GPU_POWER_LIMIT_W, 700)),
                "(environment.gpu.power_limit_w is the number 700, expected a string)");
        assertBad(recordedWith("env-true.json", e -> e.getAsJsonObject("environment").addProperty(EnvironmentKeys.ENERGY_INTERLEAVE, true)),
                "(environment.energy.interleave is true, expected a string)");
        assertBad(recordedWith("env-null.json", e -> e.getAsJsonObject("environment").add(EnvironmentKeys.DRIVER, JsonNull.INSTANCE)),
                "(environment.driver is null, expected a string)");
        assertBad(recordedWith("env-object.json", e -> e.getAsJsonObject("environment").add(EnvironmentKeys.DRIVER, new JsonObject())),
                "(environment.driver is an object, expected a string)");
        assertEquals("NVIDIA H100 80GB HBM3", ResultFile.read(RECORDED).get(0).environment().get(EnvironmentKeys.GPU_NAME));
    }

    /** JMH writes its threads (-t) as a whole number >= 1; compare pairs results by it, so no other count is read. */
    @Test
    void aThreadCountJmhNeverWritesIsRefused() throws Exception {
        assertBad(recordedWith("threads-fraction.json", e -> e.addProperty("threads", 2.5)),
                "entry 0 is not a JMH result (threads is the number 2.5, expected a whole number >= 1); expected the JSON array");
        assertBad(recordedWith("threads-zero.json", e -> e.addProperty("threads", 0)),
                "(threads is the number 0, expected a whole number >= 1)");
        assertBad(recordedWith("threads-negative.json", e -> e.addProperty("threads", -2)),
                "(threads is the number -2, expected a whole number >= 1)");
        assertBad(recordedWith("threads-nan.json", e -> e.addProperty("threads", "NaN")),
                "(threads is the string \"NaN\", expected a whole number >= 1)");
        assertBad(write("threads-bare-nan.json", Files.readString(RECORDED).replaceFirst("\"threads\" ?: ?1,", "\"threads\": NaN,")),
                "(threads is the string \"NaN\", expected a whole number >= 1)");
        assertBad(recordedWith("threads-huge.json", e -> e.addProperty("threads", 1e10)),
                "(threads is the number 1.0E10, expected a whole number >= 1)");
        assertEquals(4, ResultFile.read(recordedWith("threads-4.json", e -> e.addProperty("threads", 4))).get(0).threads());
    }

    /** A mode other than JMH's would be read as a time per operation no run measured. */
    @Test
    void aModeJmhNeverWritesIsRefused() throws Exception {
        assertBad(recordedWith("mode-abc.json", e -> e.addProperty("mode", "abc")),
                "entry 0 is not a JMH result (mode is the string \"abc\", expected one of JMH's modes (thrpt, avgt, sample, ss));"
                        + " expected the JSON array");
        assertBad(recordedWith("mode-all.json", e -> e.addProperty("mode", "all")), "(mode is the string \"all\", expected one");
        assertBad(recordedWith("mode-number.json", e -> e.addProperty("mode", 1)), "(mode is the number 1, expected one");
        for (String mode : List.of("avgt", "ss")) {
            Path f = recordedWith(mode + ".json", e -> {
                e.addProperty("mode", mode);
                e.getAsJsonObject("primaryMetric").addProperty("scoreUnit", "s/op");
            });
            assertEquals(mode, ResultFile.read(f).get(0).mode());
        }
    }

    /**
     * A figure JMH writes is a JSON number, or "NaN", "+INF", "-INF" where it is none (its JSONResultFormat): a number
     * in a string ("101.4") is refused, not parsed; JMH's and Python's spellings of the special values are read as such.
     */
    @Test
    void aFigureGivenAsAStringOtherThanNanOrAnInfinityIsRefused() throws Exception {
        assertBad(recordedWith("raw-string.json", e -> rawData(e, null).set(1, new JsonPrimitive("101.4"))),
                "entry 0 is not a JMH result (primaryMetric.rawData[0][1] is the string \"101.4\", expected a number)");
        assertBad(recordedWith("score-string.json", e -> e.getAsJsonObject("primaryMetric").addProperty("score", "101.4")),
                "(primaryMetric.score is the string \"101.4\", expected a number)");
        assertBad(recordedWith("secondary-string.json", e -> rawData(e, EnergyLabels.J_PER_IMG).set(0, new JsonPrimitive("0.04"))),
                "(secondaryMetrics[\"energy.J/img\"].rawData[0][0] is the string \"0.04\", expected a number)");
        assertBad(recordedWith("interval-string.json", e -> e.getAsJsonObject("primaryMetric")
                        .getAsJsonArray("scoreConfidence").set(0, new JsonPrimitive("100"))),
                "(primaryMetric.scoreConfidence[0] is the string \"100\", expected a number)");
        assertBad(recordedWith("nan-lower.json", e -> rawData(e, EnergyLabels.J_PER_IMG).set(0, new JsonPrimitive("nan"))),
                "(secondaryMetrics[\"energy.J/img\"].rawData[0][0] is the string \"nan\", expected a number)");
        // JMH's own spellings of the infinities reach the check that no figure is infinite
        assertBad(recordedWith("jmh-inf.json", e -> rawData(e, EnergyLabels.J_PER_IMG).set(1, new JsonPrimitive("+INF"))),
                "secondaryMetrics[\"energy.J/img\"].rawData[0][1] is Infinity; a measured figure is never infinite");
        assertBad(recordedWith("jmh-minus-inf.json", e -> rawData(e, EnergyLabels.AVG_W).set(0, new JsonPrimitive("-INF"))),
                "secondaryMetrics[\"energy.avg-W\"].rawData[0][0] is -Infinity; a measured figure is never infinite");
        // NaN written bare, as Python's json writes it, is read as unknown
        String text = Files.readString(RECORDED);
        String j = "\"" + EnergyLabels.J_PER_IMG + "\"";
        int raw = text.indexOf("\"rawData\"", text.indexOf(j));
        int first = text.indexOf('[', text.indexOf('[', raw) + 1) + 1;
        int comma = text.indexOf(',', first);
        Path bare = write("bare-nan.json", text.substring(0, first) + "NaN" + text.substring(comma));
        assertEquals(1, ResultFile.read(bare).get(0).joulesPerImageUnknown());
    }

    private void assertBad(Path file, String expected) {
        BadInputException e = assertThrows(BadInputException.class, () -> ResultFile.read(file));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.getMessage().contains(file.getFileName().toString()), e.getMessage());
        assertFalse(e.getMessage().contains("\n") || e.getMessage().contains("\r"), "one line: " + e.getMessage());
        // the parser's own words are for programmers: EOFException, MalformedJsonException, "setStrictness", a cast's classes
        assertFalse(e.getMessage().contains("Exception") || e.getMessage().contains("JsonReader")
                || e.getMessage().contains("class ") || e.getMessage().contains("com.google") || e.getMessage().contains("java."),
                e.getMessage());
    }

    private Path write(String name, String content) throws Exception {
        return Files.writeString(tmp.resolve(name), content);
    }

    /**
     * Real H100 run (src/test/resources/h100/README.md): deit_small / pytorch-fp16 reported energy in 1 of its 2
     * iterations, and JMH divided by 2 (score 0.01529 J/img). The reader gives the mean of the measured iteration.
     */
    @Test
    void secondaryMetricWithFewerIterationsIsTheMeanOfTheMeasuredOnes() throws Exception {
        List<BenchmarkResult> r = ResultFile.read(Path.of("src/test/resources/h100/opt-engines-deit_small.json"));
        BenchmarkResult partial = r.stream().filter(x -> x.param(ParamNames.ENGINE).equals("pytorch-fp16")).findFirst().orElseThrow();
        assertEquals(2, partial.primary().samples().length);
        Metric j = partial.secondary().get(EnergyLabels.J_PER_IMG);
        assertEquals(1, j.samples().length);
        assertEquals(0.03058280818232213, j.score(), 1e-15);
        assertTrue(Double.isNaN(j.lo()), "no interval from one sample");
        assertEquals(675.6778741282677, partial.secondaryScore(EnergyLabels.AVG_W), 1e-9);
        // complete entries keep JMH's own score and interval
        BenchmarkResult complete = r.stream().filter(x -> x.param(ParamNames.ENGINE).equals("pytorch-opt-fp16")).findFirst().orElseThrow();
        assertEquals(0.03855517880365164, complete.secondaryScore(EnergyLabels.J_PER_IMG), 1e-15);
        assertEquals(2, complete.secondary().get(EnergyLabels.J_PER_IMG).samples().length);
    }

    /**
     * Real H100 run with energy:interleave=true: its energy figures are the 8 sampled windows' of 16, and JMH padded
     * nothing in for the sat-out ones, so the reader keeps JMH's score (J/img the sum of powers over the sum of rates,
     * not the mean of the windows' ratios).
     */
    @Test
    void anInterleavedRunsEnergyFiguresKeepJmhsScore() throws Exception {
        BenchmarkResult r = ResultFile.read(Path.of("src/test/resources/h100/interleaved-tensorrt-fp16-b16.json")).get(0);
        assertEquals(16, r.primary().samples().length);
        Metric j = r.secondary().get(EnergyLabels.J_PER_IMG);
        assertEquals(8, j.samples().length);
        assertEquals(0.03517470049857121, j.score(), 1e-17, "JMH's score, as the file has it");
        assertEquals(16, r.secondary().get(EnergyLabels.SAMPLED).samples().length);
    }

    @Test
    void ofSamplesIsJmhsMeanAndInterval() {
        // JMH: score 0.04159..., interval [0.038640, 0.044542] for these three samples (validation/suite.json)
        Metric m = Metric.ofSamples("J/img", List.of(List.of(0.04153017616546082, 0.04146837289847289, 0.04177427478893233)));
        assertEquals(0.041590941284288675, m.score(), 1e-15);
        assertEquals(0.038640, m.lo(), 1e-6);
        assertEquals(0.044542, m.hi(), 1e-6);
    }

    /** JMH gives no interval from 2 samples (its t at 1 degree of freedom): nor does the recomputed metric. */
    @Test
    void ofSamplesGivesNoIntervalWhereJmhGivesNone() {
        Metric m = Metric.ofSamples("J/img", List.of(List.of(0.04153017616546082), List.of(0.04146837289847289)));
        assertEquals((0.04153017616546082 + 0.04146837289847289) / 2, m.score(), 1e-15);
        assertTrue(Double.isNaN(m.lo()) && Double.isNaN(m.hi()), m.toString());
        assertTrue(Double.isNaN(Metric.ofSamples("J/img", List.of()).score()), "no samples: unknown, not 0");
    }

    @Test
    void sweepDirectoryNotRunListIsFound() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("sweep-x"));
        Path result = Files.copy(FIXTURES.resolve("baseline.json"), dir.resolve("x-b1.json"));
        Files.writeString(dir.resolve("sweep.notrun.json"), "[{\"benchmark\":\"b\",\"params\":{\"batchSize\":\"8192\"},"
                + "\"reason\":\"out of memory\",\"kind\":\"did-not-fit\"}]");
        assertEquals(dir.resolve("sweep.notrun.json"), NotRunList.of(result));
        assertEquals(List.of("b {batchSize=8192}: did-not-fit: out of memory"), NotRunList.lines(NotRunList.of(result), "run.notrun.json"));
    }
}
