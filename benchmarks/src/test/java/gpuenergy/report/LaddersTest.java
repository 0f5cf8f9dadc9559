package gpuenergy.report;

import gpuenergy.results.NotRunList;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import gpuenergy.results.NotRun;
import gpuenergy.results.ParamNames;
import gpuenergy.results.ResultFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A best batch is final only when its ladder ended: a did-not-fit for its model and engine, or a larger batch measured
 * with more J/img. Otherwise the best-batch table marks it and leaves its factor out of the geometric mean.
 */
class LaddersTest {
    static final String FIXTURES = ReportCommandTest.F;
    static final String NOT_FINISHED = "64 (largest measured; ladder not finished)";

    @TempDir
    Path tmp;

    /**
     * The hand-made baseline.json (batch 1, 8, 64; J/img falls with the batch) with batch 8 relabelled 32, so that the
     * best batch 64 has its half measured (the bottom of its ladder is final), and the batch-1 entry of each given
     * model relabelled batch 128, for both engines: a larger batch with more J/img, so batch 64 is a best below the top.
     */
    Path fixtureWithBestBelowTheTop(Path file, String... models) throws Exception {
        JsonArray entries = JsonParser.parseString(Files.readString(Path.of(FIXTURES + "baseline.json"))).getAsJsonArray();
        for (JsonElement e : entries) {
            JsonObject params = e.getAsJsonObject().getAsJsonObject("params");
            if (List.of(models).contains(params.get(ParamNames.MODEL).getAsString())
                    && params.get(ParamNames.BATCH_SIZE).getAsString().equals("1")) {
                params.addProperty("batchSize", "128");
            }
            if (params.get(ParamNames.BATCH_SIZE).getAsString().equals("8")) {
                params.addProperty("batchSize", "32");
            }
        }
        Files.createDirectories(file.getParent());
        return Files.writeString(file, entries.toString());
    }

    static List<Row> plotted(Path... files) throws Exception {
        List<Row> rows = new ArrayList<>();
        for (Path f : files) {
            ResultFile.read(f).forEach(r -> rows.add(Row.of(r, f.getFileName().toString())));
        }
        return Summary.rows(rows).stream().filter(Row::plotted).toList();
    }

    static Row best(List<Row> rows, String model, String engine) {
        return rows.stream().filter(r -> r.best() && r.model().equals(model) && r.engine().equals(engine)).findFirst().orElseThrow();
    }

    /** A not-run list as a sweep writes it: each model did not fit at batch 256 with both engines. */
    Path didNotFit(Path file, String... models) throws Exception {
        return didNotFit(file, 256, models);
    }

    /** The same with the did-not-fit at another batch size. */
    Path didNotFit(Path file, int batch, String... models) throws Exception {
        JsonArray list = new JsonArray();
        for (String m : models) {
            for (String engine : List.of("pytorch-fp32", "tensorrt-fp16")) {
                JsonObject params = new JsonObject();
                params.addProperty("model", m);
                params.addProperty("engine", engine);
                params.addProperty("batchSize", Integer.toString(batch));
                JsonObject o = new JsonObject();
                o.addProperty("benchmark", "gpuenergy.bench.InferenceBenchmark.infer");
                o.add("params", params);
                o.addProperty("reason", "out of GPU memory (hand-made fixture entry)");
                o.addProperty("kind", "did-not-fit");
                list.add(o);
            }
        }
        return Files.writeString(file, list.toString());
    }

    @Test
    void aBestBelowTheLargestBatchMeasuredIsFinalAndOneAtTheTopIsNot() throws Exception {
        List<Row> rows = plotted(fixtureWithBestBelowTheTop(tmp.resolve("r.json"), "fixture-small"));
        Ladders ladders = new Ladders(rows, List.of());
        Row small = best(rows, "fixture-small", "pytorch-fp32");
        assertEquals(64, small.batch(), "batch 128 (relabelled batch 1) has more J/img");
        assertTrue(ladders.finished(small));
        Row medium = best(rows, "fixture-medium", "pytorch-fp32");
        assertEquals(64, medium.batch());
        assertFalse(ladders.finished(medium), "64 is the largest batch measured and nothing says the ladder ended");
    }

    /**
     * Real H100 sweep results (src/test/resources/h100/validation): ResNet-50 at batch 16 and 128, best at 128 in both
     * precisions; the study's sweep.notrun.json lists resnet50 / pytorch-fp32 / batch 8192 as did-not-fit.
     */
    @Test
    void aDidNotFitEndsOnlyTheLadderOfItsModelAndEngine() throws Exception {
        String v = ValidationTest.V;
        List<Row> rows = plotted(Path.of(v + "resnet50-pytorch-fp32-b16.json"), Path.of(v + "resnet50-pytorch-fp32-b128.json"),
                Path.of(v + "resnet50-pytorch-fp16-b16.json"), Path.of(v + "resnet50-pytorch-fp16-b128.json"));
        Row fp32 = best(rows, "resnet50", "pytorch-fp32");
        Row fp16 = best(rows, "resnet50", "pytorch-fp16");
        assertEquals(List.of(128, 128), List.of(fp32.batch(), fp16.batch()));
        assertEquals(Ladders.NOT_FINISHED, new Ladders(rows, List.of()).notFinal(fp32));

        Path list = Files.writeString(tmp.resolve("sweep.notrun.json"), "[{\"benchmark\": "
                + "\"gpuenergy.bench.InferenceBenchmark.infer\", \"params\": {\"model\": \"resnet50\", \"engine\": "
                + "\"pytorch-fp32\", \"batchSize\": \"8192\"}, \"reason\": \"RuntimeError: CUDA out of memory.\", "
                + "\"kind\": \"did-not-fit\"}, {\"benchmark\": \"gpuenergy.bench.InferenceBenchmark.infer\", \"params\": "
                + "{\"model\": \"resnet50\", \"engine\": \"pytorch-fp16\", \"batchSize\": \"256\"}, \"reason\": "
                + "\"hand-made: an error is not the end of a ladder\", \"kind\": \"error\"}]");
        List<NotRun> entries = NotRunList.read(list);
        assertEquals(List.of("did-not-fit", "error"), entries.stream().map(n -> n.kind().label()).toList());
        assertEquals("8192", entries.get(0).param(ParamNames.BATCH_SIZE));
        Ladders ladders = new Ladders(rows, entries);
        // the top of fp32's ladder ended; below it, batch 64 lies between the 16 and 128 measured (the study's sweep
        // found fp16's best there), so 128 is still not final, for that reason only
        assertEquals("batch 64 not measured", ladders.notFinal(fp32));
        assertEquals(Ladders.NOT_FINISHED, ladders.notFinal(fp16), "no did-not-fit for pytorch-fp16");
    }

    @Test
    void aDidNotFitAtOrBelowTheBestBatchDoesNotEndItsLadder() throws Exception {
        // fixture-medium's best is batch 64, the largest measured; a did-not-fit at 32 or 64 comes from another GPU or
        // run (these entries name no GPU) and says nothing about batch 128 here
        List<Row> rows = plotted(fixtureWithBestBelowTheTop(tmp.resolve("r.json"), "fixture-small"));
        Row medium = best(rows, "fixture-medium", "pytorch-fp32");
        assertEquals(64, medium.batch());
        for (int batch : new int[] {32, 64}) {
            Path list = didNotFit(tmp.resolve("b" + batch + ".notrun.json"), batch, "fixture-medium");
            assertFalse(new Ladders(rows, NotRunList.read(list)).finished(medium), "did-not-fit at " + batch);
        }
        Path above = didNotFit(tmp.resolve("b128.notrun.json"), 128, "fixture-medium");
        assertTrue(new Ladders(rows, NotRunList.read(above)).finished(medium));
    }

    /**
     * A did-not-fit that names its GPU ends the ladder on that GPU only: a 40 GB board running out of memory says
     * nothing about an 80 GB one. An entry without a GPU (lists written before entries named it) ends both.
     */
    @Test
    void aDidNotFitNamingItsGpuEndsOnlyThatGpusLadder() throws Exception {
        String a = "FIXTURE (hand-made test input) H100 80GB HBM3"; // baseline.json's gpu.name
        String b = "FIXTURE (hand-made test input) A100-SXM4-40GB";
        Path onA = fixtureWithBestBelowTheTop(tmp.resolve("a.json"));
        JsonArray entries = JsonParser.parseString(Files.readString(onA)).getAsJsonArray();
        for (JsonElement e : entries) {
            e.getAsJsonObject().getAsJsonObject("environment").addProperty("gpu.name", b);
        }
        Path onB = Files.writeString(tmp.resolve("b.json"), entries.toString());
        List<Row> rows = plotted(onA, onB);
        Row bestA = bestOn(rows, a);
        Row bestB = bestOn(rows, b);
        assertEquals(List.of(64, 64), List.of(bestA.batch(), bestB.batch()), "the largest measured on both GPUs");

        String entry = "{\"benchmark\": \"gpuenergy.bench.InferenceBenchmark.infer\", \"params\": {\"model\": "
                + "\"fixture-medium\", \"engine\": \"pytorch-fp32\", \"batchSize\": \"128\"}, \"reason\": "
                + "\"out of GPU memory (hand-made fixture entry)\", \"kind\": \"did-not-fit\"";
        List<NotRun> onGpuA = NotRunList.read(Files.writeString(tmp.resolve("a.notrun.json"),
                "[" + entry + ", \"gpu\": \"" + a + "\"}]"));
        assertEquals(a, onGpuA.get(0).gpu());
        Ladders ladders = new Ladders(rows, onGpuA);
        assertTrue(ladders.finished(bestA));
        assertFalse(ladders.finished(bestB), "a did-not-fit on GPU A says nothing about GPU B's ladder");

        List<NotRun> old = NotRunList.read(Files.writeString(tmp.resolve("old.notrun.json"), "[" + entry + "}]"));
        assertEquals(null, old.get(0).gpu());
        ladders = new Ladders(rows, old);
        assertTrue(ladders.finished(bestA));
        assertTrue(ladders.finished(bestB), "an entry without a GPU ends the ladder on every GPU, as before");
    }

    /**
     * Real H100 sweep results (src/test/resources/h100/README.md): the ladders of two models from --min-batch 64 up, and
     * the sweep's not-run list.
     */
    static final String STUDY_SWEEP = "src/test/resources/h100/study/sweep/";

    /** A not-run entry at batch 32 for mobilenetv3_large_100 / pytorch-fp32, as a sweep writes one. */
    Path notRunAt32(String name, String kind, String gpu) throws Exception {
        return Files.writeString(tmp.resolve(name + ".notrun.json"), "[{\"benchmark\": "
                + "\"gpuenergy.bench.InferenceBenchmark.infer\", \"params\": {\"model\": \"mobilenetv3_large_100\", "
                + "\"engine\": \"pytorch-fp32\", \"batchSize\": \"32\"}, \"reason\": \"hand-made entry\", \"kind\": \""
                + kind + "\"" + (gpu == null ? "" : ", \"gpu\": \"" + gpu + "\"") + "}]");
    }

    /**
     * Real results: mobilenetv3_large_100 from batch 64 to 8192 in both precisions, batch 32 not yet measured. Its
     * fp32 best is 64, the smallest batch measured: batch 32 may take less energy per image, so 64 is not final until 32 is measured or
     * listed as not run on that GPU. fp16's best, 128, has 64 below it and larger batches above: final.
     */
    @Test
    void aBestAtTheBottomOfALadderThatStartedAboveBatch1IsNotFinal() throws Exception {
        List<Row> rows = plotted(ladder64To8192("mobilenetv3_large_100", "fp32", "fp16"));
        Row fp32 = best(rows, "mobilenetv3_large_100", "pytorch-fp32");
        Row fp16 = best(rows, "mobilenetv3_large_100", "pytorch-fp16");
        assertEquals(List.of(64, 128), List.of(fp32.batch(), fp16.batch()));
        List<NotRun> sweepList = NotRunList.read(Path.of(STUDY_SWEEP + "sweep.notrun.json"));
        Ladders ladders = new Ladders(rows, sweepList);
        assertEquals(Ladders.NOT_STARTED_BELOW, ladders.notFinal(fp32));
        assertFalse(ladders.finished(fp32));
        assertTrue(ladders.finished(fp16));

        // a not-run entry at 32 from another GPU says nothing about this one; on this GPU, or naming none, it ends the
        // ladder below where batch 32 will not be measured there (did-not-fit, unavailable), not where it failed (a
        // resumed sweep runs a failed configuration again)
        String other = "FIXTURE (hand-made test input) A100-SXM4-40GB";
        assertFalse(new Ladders(rows, NotRunList.read(notRunAt32("other", "did-not-fit", other))).finished(fp32));
        assertFalse(new Ladders(rows, NotRunList.read(notRunAt32("error", "error", fp32.gpu()))).finished(fp32));
        assertTrue(new Ladders(rows, NotRunList.read(notRunAt32("same", "did-not-fit", fp32.gpu()))).finished(fp32));
        assertTrue(new Ladders(rows, NotRunList.read(notRunAt32("none", "unavailable", null))).finished(fp32));

        // the table marks it as it marks the top case, the mean leaves the factor out, the figure says "best so far"
        Charts charts = new Charts(rows, sweepList, Catalog.bundled(), null, null);
        String[] line = charts.bestBatchCells().get(0);
        assertEquals(List.of("mobilenetv3_large_100", "64 (" + Ladders.NOT_STARTED_BELOW + ")", "128"),
                List.of(line[1], line[2], line[4]));
        assertTrue(line[6].endsWith("x (not in the mean)"), line[6]);
        assertEquals("none (1 left out: best batch not final)", charts.bestBatchCells().get(1)[6]);
        Map<String, String> bestLabels = bestLabels(charts);
        assertEquals(Map.of("mobilenetv3_large_100 / pytorch-fp32", "best so far", "mobilenetv3_large_100 / pytorch-fp16",
                "best"), bestLabels);
    }

    /** The study's result files of {@code model} at batch 64..8192 in each precision. */
    static Path[] ladder64To8192(String model, String... precisions) {
        List<Path> files = new ArrayList<>();
        for (String precision : precisions) {
            for (int batch = 64; batch <= 8192; batch *= 2) {
                files.add(Path.of(STUDY_SWEEP + model + "-pytorch-" + precision + "-b" + batch + ".json"));
            }
        }
        return files.toArray(Path[]::new);
    }

    /** Series name -> the label its best point carries in the energy-per-image figure. */
    static Map<String, String> bestLabels(Charts charts) {
        return bestLabels(charts, "batch-energy");
    }

    /** Series name -> the label its best point carries in the figure {@code id}. */
    static Map<String, String> bestLabels(Charts charts, String id) {
        Plot figure = charts.figures.stream().filter(f -> f.id().equals(id)).findFirst().orElseThrow().plot();
        Map<String, String> labels = new TreeMap<>();
        for (Plot.Series series : figure.series) {
            series.points().stream().filter(pt -> pt.label() != null).forEach(pt -> labels.put(series.name(), pt.label()));
        }
        return labels;
    }

    /** An above-max-batch entry as the sweep writes one (gpu null: the field left out). */
    static NotRun aboveMaxBatch(String model, String engine, int batch, String gpu) {
        return new NotRun("gpuenergy.bench.InferenceBenchmark.infer", Map.of("model", model, "engine", engine, "batchSize",
                Integer.toString(batch)), NotRun.Kind.ABOVE_MAX_BATCH, "not measured: above the sweep's --max-batch " + batch / 2, gpu);
    }

    /** The recorded deit_small_patch16_224 ladders from 64 to 8192, whose both precisions are best at 8192. */
    record DeitBestAt8192(List<Row> rows, Row fp32, Row fp16) {
        static DeitBestAt8192 plotted() throws Exception {
            List<Row> rows = LaddersTest.plotted(ladder64To8192("deit_small_patch16_224", "fp32", "fp16"));
            Row fp32 = best(rows, "deit_small_patch16_224", "pytorch-fp32");
            Row fp16 = best(rows, "deit_small_patch16_224", "pytorch-fp16");
            assertEquals(List.of(8192, 8192), List.of(fp32.batch(), fp16.batch()));
            return new DeitBestAt8192(rows, fp32, fp16);
        }
    }

    /**
     * Real results: deit_small_patch16_224 was swept from 64 to the study's --max-batch 8192, and both precisions took
     * the least energy per image at 8192. Without a record of the cap that top counts as a ladder not finished, left out
     * of the mean; with the sweep's above-max-batch entry at 16384 (on its GPU or naming none) it is the study's best
     * batch, marked as the cap, and its factor is in the mean. An entry at any other batch changes nothing.
     */
    @Test
    void aBestBatchAtTheSweepsMaxBatchIsMarkedAndCountsInTheMean() throws Exception {
        DeitBestAt8192 deit = DeitBestAt8192.plotted();
        List<Row> rows = deit.rows();
        Row fp32 = deit.fp32();
        Row fp16 = deit.fp16();
        String gpu = fp32.gpu();
        assertEquals("NVIDIA H100 80GB HBM3", gpu);
        double factor = fp32.joulesPerImage() / fp16.joulesPerImage();

        Charts uncapped = new Charts(rows, List.of(), Catalog.bundled(), null, null);
        assertEquals("8192 (" + Ladders.NOT_FINISHED + ")", uncapped.bestBatchCells().get(0)[2]);
        assertEquals("none (1 left out: best batch not final)", uncapped.bestBatchCells().get(1)[6]);

        List<NotRun> capped = List.of(aboveMaxBatch("deit_small_patch16_224", "pytorch-fp32", 16384, gpu),
                aboveMaxBatch("deit_small_patch16_224", "pytorch-fp16", 16384, null));
        Ladders ladders = new Ladders(rows, capped);
        assertTrue(ladders.finished(fp32));
        assertTrue(ladders.atMaxBatch(fp32));
        assertTrue(ladders.atMaxBatch(fp16), "an entry naming no GPU counts on every GPU");
        Charts charts = new Charts(rows, capped, Catalog.bundled(), null, null);
        String[] line = charts.bestBatchCells().get(0);
        assertEquals(List.of("8192 (" + Ladders.AT_MAX_BATCH + ")", "8192 (" + Ladders.AT_MAX_BATCH + ")",
                String.format(Locale.ROOT, "%.2fx", factor)), List.of(line[2], line[4], line[6]));
        assertEquals(String.format(Locale.ROOT, "%.2fx (1 model, 1 at the sweep's --max-batch)", factor),
                charts.bestBatchCells().get(1)[6]);
        assertTrue(charts.findings.contains(String.format(Locale.ROOT, "ours: pytorch-fp32 -> pytorch-fp16: %.2fx (1 model: "
                + "deit_small_patch16_224, at the sweep's --max-batch; no geometric std)", factor)), charts.findings.toString());
        Map<String, String> bestLabels = bestLabels(charts);
        assertEquals(Map.of("deit_small_patch16_224 / pytorch-fp32", Charts.BEST_AT_MAX_BATCH,
                "deit_small_patch16_224 / pytorch-fp16", Charts.BEST_AT_MAX_BATCH), bestLabels);

        // the cap of another GPU, or at another batch (8192 itself, measured; 32768, a batch above one not measured),
        // says nothing about this ladder's top
        for (NotRun other : List.of(aboveMaxBatch("deit_small_patch16_224", "pytorch-fp32", 16384, "FIXTURE (hand-made) A100"),
                aboveMaxBatch("deit_small_patch16_224", "pytorch-fp32", 8192, gpu),
                aboveMaxBatch("deit_small_patch16_224", "pytorch-fp32", 32768, gpu))) {
            Ladders l = new Ladders(rows, List.of(other));
            assertEquals(Ladders.NOT_FINISHED, l.notFinal(fp32), other.line());
            assertEquals(Ladders.NOT_FINISHED, l.mark(fp32), other.line());
        }
        // a did-not-fit above wins: the ladder ended there, nothing to mark
        Ladders ended = new Ladders(rows, List.of(capped.get(0), new NotRun("b", Map.of("model", "deit_small_patch16_224",
                "engine", "pytorch-fp32", "batchSize", "16384"), NotRun.Kind.DID_NOT_FIT, "out of memory (hand-made)", gpu)));
        assertTrue(ended.finished(fp32));
        assertEquals(null, ended.mark(fp32));
    }

    /**
     * Real results: deit_small_patch16_224 from 64 to 8192, both precisions best at 8192. Where the sweep did not start
     * batch 16384 because its measured iterations would last more than a day (an iteration-too-long entry in
     * sweep.notrun.json, on its GPU or naming none), the ladder ended there: 8192 is final, marked where the ladder
     * ended, and its factor is in the mean (not counted at the cap). An entry of another GPU, or at another batch, ends
     * nothing; beside an above-max-batch entry at the same batch, the iteration-too-long decides.
     */
    @Test
    void aBestBatchRightBelowAnIterationTooLongEntryIsFinalAndCountsInTheMean() throws Exception {
        DeitBestAt8192 deit = DeitBestAt8192.plotted();
        List<Row> rows = deit.rows();
        Row fp32 = deit.fp32();
        Row fp16 = deit.fp16();
        String gpu = fp32.gpu();
        double factor = fp32.joulesPerImage() / fp16.joulesPerImage();
        String entry = "{\"benchmark\": \"gpuenergy.bench.InferenceBenchmark.infer\", \"params\": {\"model\": "
                + "\"deit_small_patch16_224\", \"engine\": \"pytorch-%s\", \"batchSize\": \"%d\"}, \"reason\": \"not "
                + "started: its measured iterations would last 90000 s each to hold --min-batches 72000, above the 86400 s a "
                + "sweep's iteration may last\", \"kind\": \"iteration-too-long\"%s}";
        List<NotRun> tooLong = NotRunList.read(Files.writeString(tmp.resolve("sweep.notrun.json"), "["
                + String.format(Locale.ROOT, entry, "fp32", 16384, ", \"gpu\": \"" + gpu + "\"") + ", "
                + String.format(Locale.ROOT, entry, "fp16", 16384, "") + "]"));
        assertEquals(NotRun.Kind.ITERATION_TOO_LONG, tooLong.get(0).kind());
        Ladders ladders = new Ladders(rows, tooLong);
        String mark = "ladder ended: iterations too long at batch 16384";
        assertTrue(ladders.finished(fp32));
        assertTrue(ladders.finished(fp16), "an entry naming no GPU counts on every GPU");
        assertEquals(List.of(mark, mark), List.of(ladders.mark(fp32), ladders.mark(fp16)));
        assertFalse(ladders.atMaxBatch(fp32));
        Charts charts = new Charts(rows, tooLong, Catalog.bundled(), null, null);
        String[] line = charts.bestBatchCells().get(0);
        assertEquals(List.of("8192 (" + mark + ")", "8192 (" + mark + ")", String.format(Locale.ROOT, "%.2fx", factor)),
                List.of(line[2], line[4], line[6]));
        assertEquals(String.format(Locale.ROOT, "%.2fx (1 model)", factor), charts.bestBatchCells().get(1)[6]);
        assertEquals(Map.of("deit_small_patch16_224 / pytorch-fp32", "best", "deit_small_patch16_224 / pytorch-fp16",
                "best"), bestLabels(charts));

        // another GPU's entry, or one at another batch (8192 itself, measured; 32768, above a batch not measured), says
        // nothing about this ladder's top
        for (String other : List.of(String.format(Locale.ROOT, entry, "fp32", 16384, ", \"gpu\": \"FIXTURE (hand-made) A100\""),
                String.format(Locale.ROOT, entry, "fp32", 8192, ""), String.format(Locale.ROOT, entry, "fp32", 32768, ""))) {
            Ladders l = new Ladders(rows, NotRunList.read(Files.writeString(tmp.resolve("other.notrun.json"), "[" + other + "]")));
            assertEquals(Ladders.NOT_FINISHED, l.notFinal(fp32), other);
            assertEquals(Ladders.NOT_FINISHED, l.mark(fp32), other);
        }
        // the same batch listed above the cap too (lists of two sweeps): the ladder ended there, whatever the cap
        Ladders both = new Ladders(rows, List.of(tooLong.get(0), aboveMaxBatch("deit_small_patch16_224", "pytorch-fp32", 16384, gpu)));
        assertTrue(both.finished(fp32));
        assertFalse(both.atMaxBatch(fp32));
        assertEquals(mark, both.mark(fp32));
    }

    /**
     * A 1..32 fill-in sweep with --max-batch 32 records its cap at 64; where batch 64 was measured that entry marks
     * nothing, and where it was not, it does not settle the batch below a best 128: 64 was not measured, the ladder's
     * bottom is still open. Real mobilenetv3_large_100 FP32 results, 64..8192, best at 64.
     */
    @Test
    void anAboveMaxBatchEntryBelowTheBestBatchChangesNothing() throws Exception {
        List<Row> rows = plotted(ladder64To8192("mobilenetv3_large_100", "fp32"));
        Row fp32 = best(rows, "mobilenetv3_large_100", "pytorch-fp32");
        assertEquals(64, fp32.batch());
        for (int batch : new int[] {32, 64, 128}) {
            Ladders l = new Ladders(rows, List.of(aboveMaxBatch("mobilenetv3_large_100", "pytorch-fp32", batch, fp32.gpu())));
            assertEquals(Ladders.NOT_STARTED_BELOW, l.notFinal(fp32), "entry at " + batch);
            assertEquals(Ladders.NOT_STARTED_BELOW, l.mark(fp32), "entry at " + batch);
            assertFalse(l.atMaxBatch(fp32), "entry at " + batch);
        }
    }

    static Row bestOn(List<Row> rows, String gpu) {
        return rows.stream().filter(r -> r.best() && r.gpu().equals(gpu) && r.model().equals("fixture-medium")
                && r.engine().equals("pytorch-fp32")).findFirst().orElseThrow();
    }

    @Test
    void theTableMarksBestsThatAreNotFinalAndTheMeanLeavesThemOut() throws Exception {
        List<Row> rows = plotted(fixtureWithBestBelowTheTop(tmp.resolve("r.json"), "fixture-small"));
        List<String[]> cells = new Charts(rows, List.of(), Catalog.read(Path.of(FIXTURES + "catalog-fixture.csv")), null, null)
                .bestBatchCells();
        // gpu, model, fp32 batch, fp32 J/img, trt batch, trt J/img, fp32 / trt; models by name, then the mean
        assertEquals(List.of("fixture-bloated", "fixture-large", "fixture-medium", "fixture-small", "geometric mean"),
                cells.stream().map(c -> c[1]).toList());
        double small = factor(rows, "fixture-small");
        assertEquals(List.of("64", "64", String.format(Locale.ROOT, "%.2fx", small)), List.of(cells.get(3)[2], cells.get(3)[4],
                cells.get(3)[6]));
        assertEquals(List.of(NOT_FINISHED, NOT_FINISHED, String.format(Locale.ROOT, "%.2fx (not in the mean)",
                factor(rows, "fixture-medium"))), List.of(cells.get(2)[2], cells.get(2)[4], cells.get(2)[6]));
        assertEquals(String.format(Locale.ROOT, "%.2fx (1 model; 3 left out: best batch not final)", small), cells.get(4)[6]);

        // the same results once the sweep's not-run list says fixture-medium did not fit at batch 256
        List<NotRun> ended = NotRunList.read(didNotFit(tmp.resolve("sweep.notrun.json"), "fixture-medium"));
        Charts charts = new Charts(rows, ended, Catalog.read(Path.of(FIXTURES + "catalog-fixture.csv")), null, null);
        cells = charts.bestBatchCells();
        assertEquals(List.of("64", "64"), List.of(cells.get(2)[2], cells.get(2)[4]));
        double mean = Efficiency.geometricMean(new double[] {small, factor(rows, "fixture-medium")});
        assertEquals(String.format(Locale.ROOT, "%.2fx (2 models; 2 left out: best batch not final)", mean), cells.get(4)[6]);
        // the headline finding is the same mean, and names what it leaves out
        double std = Efficiency.geometricStd(new double[] {small, factor(rows, "fixture-medium")});
        String finding = String.format(Locale.ROOT, "ours: pytorch-fp32 -> tensorrt-fp16: geometric mean %.2fx, geometric "
                + "std %.2f (2 models; fixture-bloated, fixture-large left out: best batch not final)", mean, std);
        assertTrue(charts.findings.contains(finding), charts.findings.toString());
        // the figure marks the factors the mean leaves out as the table does
        Plot reduction = charts.figures.stream().filter(f -> f.id().equals("reduction-pytorch-fp32-to-tensorrt-fp16"))
                .findFirst().orElseThrow().plot();
        List<String> labels = reduction.series.get(0).points().stream().map(Plot.Pt::label).toList();
        assertTrue(labels.contains(String.format(Locale.ROOT, "%.2fx (not in the mean)", factor(rows, "fixture-large"))), labels.toString());
        assertTrue(labels.contains(String.format(Locale.ROOT, "%.2fx", factor(rows, "fixture-medium"))), labels.toString());
        // the batch figure says "best so far" where the table says the ladder is not finished, "best" where it ended
        Map<String, String> bestLabels = bestLabels(charts);
        assertEquals("best so far", bestLabels.get("fixture-large / pytorch-fp32"), bestLabels.toString());
        assertEquals("best", bestLabels.get("fixture-medium / pytorch-fp32"), bestLabels.toString());
        assertEquals("best", bestLabels.get("fixture-small / pytorch-fp32"), bestLabels.toString());
    }

    static double factor(List<Row> rows, String model) {
        return best(rows, model, "pytorch-fp32").joulesPerImage() / best(rows, model, "tensorrt-fp16").joulesPerImage();
    }

    @Test
    void aSweepDirectoryReportReadsItsNotRunListForTheBestBatchTable() throws Exception {
        // report sweep/*.json with one result file: its sibling sweep.notrun.json ends fixture-medium's ladders
        Path sweep = tmp.resolve("sweep");
        Path result = fixtureWithBestBelowTheTop(sweep.resolve("fixtures.json"), "fixture-small");
        didNotFit(sweep.resolve("sweep.notrun.json"), "fixture-medium");
        Path out = tmp.resolve("report");
        ReportCommandTest r = new ReportCommandTest();
        assertEquals(0, r.report(result.toString(), "--out", out.toString(), "--catalog", FIXTURES + "catalog-fixture.csv"),
                r.err.toString(StandardCharsets.UTF_8));
        List<Row> rows = plotted(result);
        double mean = Efficiency.geometricMean(new double[] {factor(rows, "fixture-small"), factor(rows, "fixture-medium")});
        String meanCell = String.format(Locale.ROOT, "%.2fx (2 models; 2 left out: best batch not final)", mean);
        String md = Files.readString(out.resolve("summary.md"));
        assertTrue(md.contains("| fixture-large | " + NOT_FINISHED + " | "), md);
        assertTrue(md.contains("| fixture-medium | 64 | "), md);
        assertTrue(md.contains("| geometric mean |  |  |  |  | " + meanCell + " |"), md);
        assertTrue(md.contains(BestBatchTable.INTRO), md);
        String html = Files.readString(out.resolve("index.html"));
        assertTrue(html.contains("<td>fixture-large</td><td>" + NOT_FINISHED + "</td>"), html);
        assertTrue(html.contains("<td>" + meanCell + "</td>"), html);
    }
}
