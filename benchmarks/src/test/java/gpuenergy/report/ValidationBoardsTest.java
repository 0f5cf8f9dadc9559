package gpuenergy.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import gpuenergy.profile.EnergyLabels;
import gpuenergy.results.BadInputException;
import gpuenergy.results.ResultFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Same-board pairing and the GPU-busy column, on real H100 files (src/test/resources/h100/README.md):
 * mobilenetv3_large_100 was measured on board GPU-bf01b3e1 and regnety_008 on GPU-cb3afb8a (other-board/); the
 * references of both on GPU-bf01b3e1 (calls 20261123T005918Z and 20261123T010757Z).
 */
class ValidationBoardsTest {
    static final String STUDY = "src/test/resources/h100/study/";
    static final String MOBILENET_CALL = STUDY + "calls/20261123T005918Z/python-%s-20261123T005918Z.json";
    static final String REGNET_CALL = STUDY + "calls/20261123T010757Z/python-%s-20261123T010757Z.json";
    static final String BOARD_A = "GPU-bf01b3e1-cda2-8296-4ed9-ab9e90ff4c37";
    static final String BOARD_B = "GPU-cb3afb8a-9037-41b3-d7c3-2b234b2287ab";
    static final String REGNET_AGAIN_CALL = STUDY + "calls/20261123T052757Z/python-%s-20261123T052757Z.json";
    static final String BOARD_C = "GPU-06d99902-6d23-4133-101a-e2146b41076c";
    /** ResNet-50's references on board GPU-cb827b5f, both sides with the NVML busy share measured. */
    static final String RESNET_CALL = STUDY + "calls/20261123T065111Z/python-%s-20261123T065111Z.json";

    @TempDir
    Path tmp;

    static List<Row> suite(String... models) throws Exception {
        List<Path> files = new ArrayList<>();
        for (String m : models) {
            for (String precision : List.of("fp32", "fp16")) {
                files.add(Path.of(STUDY + "other-board/" + m + "-pytorch-" + precision + "-b128.json"));
            }
        }
        return rows(files);
    }

    /** The report's rows of these result files, duplicates marked as the report marks them (the first is plotted). */
    static List<Row> rows(List<Path> files) throws Exception {
        List<Row> rows = new ArrayList<>();
        for (Path f : files) {
            ResultFile.read(f).forEach(r -> rows.add(Row.of(r, f.getFileName().toString())));
        }
        return Summary.rows(rows);
    }

    static List<Validation.Reference> references(String... files) throws Exception {
        List<Validation.Reference> refs = new ArrayList<>();
        for (String f : files) {
            refs.addAll(EagerReferenceFile.read(Path.of(f)).rows());
        }
        return refs;
    }

    static Validation.Line line(Validation v, String model, String engine, String runner) {
        return line(v, model, engine, 128, runner);
    }

    static Validation.Line line(Validation v, String model, String engine, int batch, String runner) {
        return v.lines().stream().filter(l -> l.reference().model().equals(model) && l.reference().engine().equals(engine)
                && l.reference().batch() == batch && l.reference().runner().equals(runner)).findFirst().orElseThrow();
    }

    /** A real reference file with its environment's gpu_uuid replaced (a hand-made copy "measured" on another board). */
    Path onBoard(String file, String uuid, String name) throws Exception {
        JsonObject root = JsonParser.parseString(Files.readString(Path.of(file))).getAsJsonObject();
        root.getAsJsonObject("environment").addProperty("gpu_uuid", uuid);
        return Files.writeString(tmp.resolve(name), root.toString());
    }

    @Test
    void aReferenceFromAnotherBoardIsShownButNotCompared() throws Exception {
        assertEquals(List.of(BOARD_B, BOARD_A), List.of(suite("regnety_008").get(0).gpuUuid(),
                suite("mobilenetv3_large_100").get(0).gpuUuid()), "the boards as the files record them");
        Validation v = Validation.match(List.of(), references(String.format(MOBILENET_CALL, "eager"),
                String.format(REGNET_CALL, "eager")), suite("mobilenetv3_large_100", "regnety_008"));

        Validation.Line other = line(v, "regnety_008", "pytorch-fp32", "eager");
        assertEquals("different boards (suite GPU-cb3afb8a, reference GPU-bf01b3e1): not compared", other.verdict());
        assertEquals(other.suite().imgPerSec() / other.reference().imgPerSec(), other.imgPerSecRatio(), 1e-12,
                "the ratios are still shown");
        Validation.Line same = line(v, "mobilenetv3_large_100", "pytorch-fp32", "eager");
        assertEquals(Validation.Outcome.WITHIN, same.outcome(), same.verdict());
        assertEquals("within 2 %", same.verdict(), "both boards recorded: no note");
        // regnety_008 fp32 at 128 differs by 2.6 % in J/img (0.9738): as a pair it would be a miss; it is not one
        assertTrue(!Validation.within(other.joulesPerImageRatio()));
        assertEquals("Pairs compared: 1 within 2 %, 1 differ; other rows: 2 on different boards (not compared), "
                + "8 without a suite result.", v.counts());
    }

    @Test
    void ofSeveralReferencesTheSameBoardIsPairedAndOfThoseTheOneGivenLast() throws Exception {
        String real = String.format(REGNET_CALL, "eager");
        // the real reference (board A) given last, a copy recorded on the suite's board B given first: B is paired
        Path onSuiteBoard = onBoard(real, BOARD_B, "on-b.json");
        Validation v = Validation.match(List.of(), references(onSuiteBoard.toString(), real), suite("regnety_008"));
        List<Validation.Line> fp32 = v.lines().stream().filter(l -> l.reference().engine().equals("pytorch-fp32")
                && l.reference().batch() == 128).toList();
        assertEquals(List.of(BOARD_B, BOARD_A), fp32.stream().map(l -> l.reference().gpuUuid()).toList(), "in input order");
        assertEquals("differs", fp32.get(0).verdict());
        assertEquals("different boards (suite GPU-cb3afb8a, reference GPU-bf01b3e1): not compared", fp32.get(1).verdict());

        // two from board B: the one given last is paired, the other says why it is not
        Path again = onBoard(real, BOARD_B, "on-b-again.json");
        v = Validation.match(List.of(), references(onSuiteBoard.toString(), again.toString(), real), suite("regnety_008"));
        List<String> verdicts = v.lines().stream().filter(l -> l.reference().engine().equals("pytorch-fp32")
                && l.reference().batch() == 128).map(Validation.Line::verdict).toList();
        assertEquals(List.of("not compared: the suite result is paired with the reference given later", "differs",
                "different boards (suite GPU-cb3afb8a, reference GPU-bf01b3e1): not compared"), verdicts);

        // a reference without a board (as files before gpu_uuid) is paired when no same-board one exists, and says so
        JsonObject root = JsonParser.parseString(Files.readString(Path.of(real))).getAsJsonObject();
        root.getAsJsonObject("environment").remove("gpu_uuid");
        Path unknown = Files.writeString(tmp.resolve("unknown.json"), root.toString());
        v = Validation.match(List.of(), references(real, unknown.toString()), suite("regnety_008"));
        assertEquals(List.of("different boards (suite GPU-cb3afb8a, reference GPU-bf01b3e1): not compared",
                "differs; board not recorded"), v.lines().stream().filter(l -> l.reference().engine().equals("pytorch-fp32")
                && l.reference().batch() == 128).map(Validation.Line::verdict).toList());
        // and loses to a same-board one, whichever is given last
        v = Validation.match(List.of(), references(onSuiteBoard.toString(), unknown.toString()), suite("regnety_008"));
        assertEquals(List.of("differs", "not compared: the suite result is paired with a reference of its own board"),
                v.lines().stream().filter(l -> l.reference().engine().equals("pytorch-fp32") && l.reference().batch() == 128)
                        .map(Validation.Line::verdict).toList());
    }

    /** A real reference file with gpu_kernel_ms_per_batch added to each measured entry: ms = factor x 1000 / (img/s / batch). */
    Path withKernelTime(String file, double busy, String name) throws Exception {
        JsonObject root = JsonParser.parseString(Files.readString(Path.of(file))).getAsJsonObject();
        for (JsonElement e : root.getAsJsonArray("results")) {
            JsonObject o = e.getAsJsonObject();
            o.addProperty("gpu_kernel_ms_per_batch", busy * 1000 / (o.get("img_per_s").getAsDouble() / o.get("batch").getAsInt()));
        }
        return Files.writeString(tmp.resolve(name), root.toString());
    }

    static String pct(double fraction) {
        return String.format(Locale.ROOT, "%.1f", fraction * 100);
    }

    @Test
    void gpuBusyOfTheReferenceAndOfTheSuiteFromTheSameBoardsTorchScriptKernelTime() throws Exception {
        // hand-made kernel times in the script's format: eager busy 60 % of its time, torchscript 90 % of its time
        Path eager = withKernelTime(String.format(MOBILENET_CALL, "eager"), 0.60, "eager.json");
        Path ts = withKernelTime(String.format(MOBILENET_CALL, "torchscript"), 0.90, "torchscript.json");
        Validation v = Validation.match(List.of(), references(eager.toString(), ts.toString()), suite("mobilenetv3_large_100"));
        Validation.Line e = line(v, "mobilenetv3_large_100", "pytorch-fp32", "eager");
        Validation.Line t = line(v, "mobilenetv3_large_100", "pytorch-fp32", "torchscript");
        assertEquals(0.60, e.reference().gpuBusy(), 1e-12);
        assertEquals(0.90, t.reference().gpuBusy(), 1e-12);
        // the suite runs the torchscript artifact: its kernel time per batch at the suite's own batches/s
        double kernelMs = t.reference().gpuKernelMsPerBatch();
        double suiteBusy = kernelMs * e.suite().imgPerSec() / 128 / 1000;
        assertEquals(suiteBusy, e.suiteGpuBusy(), 1e-12);
        assertEquals(suiteBusy, t.suiteGpuBusy(), 1e-12, "the same suite figure on both lines");
        assertEquals(0.90 * t.imgPerSecRatio(), t.suiteGpuBusy(), 1e-12, "busy scales with the pace: img/s ratio x 90 %");
        String[] cells = v.cells().get(v.lines().indexOf(e));
        assertEquals("GPU busy suite / ref %", Validation.HEADER[13]);
        assertEquals(pct(suiteBusy) + " / 60.0 (kernel time)", cells[13], "these references do not record an NVML busy");
        String csvLine = v.csv().lines().filter(l -> l.startsWith("NVIDIA H100 80GB HBM3,mobilenetv3_large_100,pytorch-fp32,128,eager,"))
                .findFirst().orElseThrow();
        assertTrue(csvLine.endsWith("," + pct(suiteBusy) + ",60.0,,,within 2 %"), csvLine);

        // without a kernel time in the torchscript reference the suite's side is empty; without any, the cell is
        Validation noTs = Validation.match(List.of(), references(eager.toString(), String.format(MOBILENET_CALL, "torchscript")),
                suite("mobilenetv3_large_100"));
        assertEquals("/ 60.0 (kernel time)", noTs.cells().get(noTs.lines().indexOf(line(noTs, "mobilenetv3_large_100", "pytorch-fp32", "eager")))[13]);
        Validation none = Validation.match(List.of(), references(String.format(MOBILENET_CALL, "eager")),
                suite("mobilenetv3_large_100"));
        assertTrue(none.cells().stream().allMatch(c -> c[13].isEmpty()));

        // a torchscript reference from another board says nothing about the suite's board
        Path tsElsewhere = onBoard(ts.toString(), BOARD_B, "torchscript-b.json");
        Validation elsewhere = Validation.match(List.of(), references(eager.toString(), tsElsewhere.toString()),
                suite("mobilenetv3_large_100"));
        Validation.Line e2 = line(elsewhere, "mobilenetv3_large_100", "pytorch-fp32", "eager");
        assertTrue(Double.isNaN(e2.suiteGpuBusy()));
        assertNotEquals(Validation.Outcome.WITHIN, line(elsewhere, "mobilenetv3_large_100", "pytorch-fp32", "torchscript").outcome());
    }

    @Test
    void aKernelTimeThatIsNotAPositiveNumberIsRefused() throws Exception {
        JsonObject root = JsonParser.parseString(Files.readString(Path.of(String.format(MOBILENET_CALL, "eager"))))
                .getAsJsonObject();
        root.getAsJsonArray("results").get(1).getAsJsonObject().addProperty("gpu_kernel_ms_per_batch", -3.5);
        Path bad = Files.writeString(tmp.resolve("bad.json"), root.toString());
        BadInputException e = assertThrows(BadInputException.class, () -> EagerReferenceFile.read(bad));
        assertTrue(e.getMessage().contains("results[1] has gpu_kernel_ms_per_batch -3.5, expected a positive number"),
                e.getMessage());
    }

    /**
     * A configuration measured again on another board, with its reference there (regnety_008 at batch 128 on
     * GPU-cb3afb8a, and on GPU-06d99902 with call 20261123T052757Z's references): each reference is paired
     * with the result of its own board, even the one the report does not plot (duplicates: the first is plotted).
     */
    @Test
    void ofTwoResultsOfOneConfigurationTheReferenceOfEachBoardIsPairedWithItsOwn() throws Exception {
        Path first = Path.of(STUDY + "other-board/regnety_008-pytorch-fp32-b128.json");
        Path again = Path.of(STUDY + "sweep/regnety_008-pytorch-fp32-b128.json");
        List<Row> suite = rows(List.of(first, again));
        assertEquals(List.of(BOARD_B, BOARD_C), suite.stream().map(Row::gpuUuid).toList(), "the boards as the files record them");
        Validation v = Validation.match(List.of(), references(String.format(REGNET_AGAIN_CALL, "eager")), suite);
        Validation.Line line = line(v, "regnety_008", "pytorch-fp32", "eager");
        assertEquals(BOARD_C, line.suite().gpuUuid(), "the result on the reference's board, though not plotted");
        assertTrue(!line.verdict().contains("different boards"), line.verdict());
    }

    /** The script writes null where the profiler recorded nothing (no CUPTI): the row stands, its busy cell is empty. */
    @Test
    void aNullKernelTimeAsTheScriptWritesItKeepsTheRow() throws Exception {
        JsonObject root = JsonParser.parseString(Files.readString(Path.of(String.format(MOBILENET_CALL, "eager"))))
                .getAsJsonObject();
        root.getAsJsonArray("results").get(1).getAsJsonObject().add("gpu_kernel_ms_per_batch", com.google.gson.JsonNull.INSTANCE);
        Path f = Files.writeString(tmp.resolve("null.json"), root.toString());
        var rows = EagerReferenceFile.read(f).rows();
        assertEquals(8, rows.size());
        assertTrue(Double.isNaN(rows.get(1).gpuKernelMsPerBatch()), String.valueOf(rows.get(1)));
    }

    /**
     * Where both sides measured the busy share from NVML's samples (the suite's energy.gpu-busy-%, the
     * references' gpu_busy_pct, ResNet-50 FP16 batch 16 on GPU-cb827b5f), the cell shows those, marked (NVML), and
     * the CSV keeps the kernel-time estimate beside them; a reference without gpu_busy_pct, or with the NaN Python
     * writes where no sample period fit its window, falls back to kernel time for both sides, never a mix.
     */
    @Test
    void theBusyShareMeasuredByNvmlOnBothSidesIsShownInsteadOfTheKernelTimeEstimate() throws Exception {
        Path result = Path.of(STUDY + "sweep/resnet50-pytorch-fp16-b16.json");
        List<Row> suite = rows(List.of(result));
        String eager = String.format(RESNET_CALL, "eager");
        Validation v = Validation.match(List.of(), references(eager, String.format(RESNET_CALL, "torchscript")), suite);
        Validation.Line e = line(v, "resnet50", "pytorch-fp16", 16, "eager");
        assertEquals(Validation.Outcome.DIFFERS, e.outcome(), "same board, compared");
        // the numbers as the raw files hold them
        double suiteBusy = JsonParser.parseString(Files.readString(result)).getAsJsonArray().get(0).getAsJsonObject()
                .getAsJsonObject("secondaryMetrics").getAsJsonObject(EnergyLabels.GPU_BUSY_PCT).get("score").getAsDouble();
        JsonObject refRow = rawRow(eager, "resnet50", "fp16", 16);
        double refBusy = refRow.get("gpu_busy_pct").getAsDouble();
        assertTrue(suiteBusy > 0 && suiteBusy < 100 && refBusy > 0 && refBusy < 100, suiteBusy + " " + refBusy);
        String nvmlCell = String.format(Locale.ROOT, "%.1f / %.1f (NVML)", suiteBusy, refBusy);
        assertEquals(nvmlCell, v.cells().get(v.lines().indexOf(e))[13]);
        String csvLine = v.csv().lines().filter(l -> l.startsWith("NVIDIA H100 80GB HBM3,resnet50,pytorch-fp16,16,eager,")).findFirst().orElseThrow();
        String kernelSuite = pct(e.suiteGpuBusy()), kernelRef = pct(e.reference().gpuBusy());
        assertTrue(csvLine.contains("," + kernelSuite + "," + kernelRef + ","
                + String.format(Locale.ROOT, "%.1f,%.1f,", suiteBusy, refBusy)), csvLine);

        for (JsonElement without : List.of(com.google.gson.JsonNull.INSTANCE, new com.google.gson.JsonPrimitive(Double.NaN))) {
            JsonObject root = JsonParser.parseString(Files.readString(Path.of(eager))).getAsJsonObject();
            for (JsonElement r : root.getAsJsonArray("results")) {
                r.getAsJsonObject().add("gpu_busy_pct", without);
            }
            // Gson writes NaN only when told to: the bare token, as Python's json writes it
            Path f = Files.writeString(tmp.resolve("no-busy.json"), new com.google.gson.GsonBuilder()
                    .serializeSpecialFloatingPointValues().create().toJson(root));
            Validation fallback = Validation.match(List.of(), references(f.toString(), String.format(RESNET_CALL, "torchscript")), suite);
            Validation.Line l = fallback.lines().get(v.lines().indexOf(e));
            assertEquals(e.reference().runner() + e.reference().batch(), l.reference().runner() + l.reference().batch());
            assertEquals(kernelSuite + " / " + kernelRef + " (kernel time)", fallback.cells().get(v.lines().indexOf(e))[13],
                    "gpu_busy_pct " + without);
        }
    }

    @Test
    void aBusyShareOutsideZeroToHundredIsRefused() throws Exception {
        JsonObject root = JsonParser.parseString(Files.readString(Path.of(String.format(RESNET_CALL, "eager")))).getAsJsonObject();
        root.getAsJsonArray("results").get(2).getAsJsonObject().addProperty("gpu_busy_pct", 101.5);
        Path bad = Files.writeString(tmp.resolve("bad-busy.json"), root.toString());
        BadInputException ex = assertThrows(BadInputException.class, () -> EagerReferenceFile.read(bad));
        assertTrue(ex.getMessage().contains("results[2] has gpu_busy_pct 101.5, expected a percent (0..100) or NaN"), ex.getMessage());
    }

    /** The row of a reference file for one model, precision and batch, as the file holds it. */
    static JsonObject rawRow(String file, String model, String precision, int batch) throws Exception {
        for (JsonElement r : JsonParser.parseString(Files.readString(Path.of(file))).getAsJsonObject().getAsJsonArray("results")) {
            JsonObject o = r.getAsJsonObject();
            if (o.get("model").getAsString().equals(model) && o.get("precision").getAsString().equals(precision)
                    && o.get("batch").getAsInt() == batch) {
                return o;
            }
        }
        throw new AssertionError("no " + model + " " + precision + " b" + batch + " in " + file);
    }
}
