package gpuenergy.sweep;

import gpuenergy.ConsoleCapture;
import gpuenergy.RecordedResults;
import gpuenergy.report.ReportCommand;
import gpuenergy.results.SweepResults;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sweep's summary of the H100 study's recorded ladders (src/test/resources/h100/study/sweep, whose J/img scores are
 * the mean of their iterations' own) beside report's summary of the same directory.
 */
class SummaryOfRecordedSweepTest {
    static final Path STUDY = Path.of("src/test/resources/h100/study/sweep");

    @TempDir
    Path tmp;

    /**
     * A J/img the energy profiler ran and could not measure (NaN in an iteration, so NaN for the run, as it writes it):
     * the sweep's summary says why there is none as report's note of the same best batch says it, and neither tells to
     * run the profiler that did run.
     */
    @Test
    void aJPerImgTheProfilerCouldNotMeasureIsNotedAsReportNotesIt() throws Exception {
        Path nan = RecordedResults.joulesPerImageUnmeasured(tmp);
        BestBatch sweep = BestBatch.choose(List.of(Measurement.read(nan)));

        Path out = tmp.resolve("report");
        ConsoleCapture report = ConsoleCapture.run(() -> ReportCommand.run(new String[] {nan.toString(), "--out", out.toString()}));
        assertEquals(0, report.rc(), report.err());
        // report's note, the row's last column, says what the sweep's does after "best batch: "
        String row = Files.readAllLines(out.resolve("summary.csv")).get(1);
        assertTrue(row.endsWith("; best batch: " + sweep.note()), row + "\nsweep: " + sweep.note());
        assertTrue(sweep.note().contains("the energy profiler could not measure it"), sweep.note());
    }

    @Test
    void theSummaryReadsJPerImgAsReportDoesSoThatImgPerSecondTimesJPerImgIsAvgW() throws Exception {
        Path out = tmp.resolve("report");
        ConsoleCapture report = ConsoleCapture.run(() -> ReportCommand.run(new String[] {STUDY.toString(), "--out", out.toString()}));
        assertEquals(0, report.rc(), report.err());
        // "model / engine / batch" -> report's J/img; "model / engine" -> report's best batch
        Map<String, Double> reported = new TreeMap<>();
        Map<String, Integer> reportedBest = new TreeMap<>();
        List<String> csv = Files.readAllLines(out.resolve("summary.csv"));
        for (String line : csv.subList(1, csv.size())) {
            String[] c = line.split(",", -1);
            reported.put(c[1] + " / " + c[2] + " / " + c[3], Double.parseDouble(c[7]));
            if (c[13].equals("true")) {
                reportedBest.put(c[1] + " / " + c[2], Integer.parseInt(c[3]));
            }
        }

        Map<String, List<Measurement>> ladders = new TreeMap<>();
        try (Stream<Path> files = Files.list(STUDY)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json") && !SweepResults.isRecord(p)).sorted().toList()) {
                Measurement m = Measurement.read(f);
                ladders.computeIfAbsent(m.model() + " / " + m.engine(), k -> new ArrayList<>()).add(m);
                String name = m.model() + " / " + m.engine() + " / " + m.batchSize();
                assertEquals(reported.get(name), m.jPerImg(), 0, name + ": report's J/img");
                assertEquals(1, m.imagesPerSecond() * m.jPerImg() / m.avgW(), 1e-9, name);
            }
        }
        assertEquals(reported.size(), ladders.values().stream().mapToInt(List::size).sum());
        List<Summary.Row> rows = new ArrayList<>();
        ladders.forEach((k, measured) -> rows.add(new Summary.Row(measured.get(0).model(), measured.get(0).engine(),
                measured, BestBatch.choose(measured), "", "")));
        Map<String, Integer> best = new TreeMap<>();
        List<String> summary = Summary.csv(rows).lines().skip(1).toList();
        for (String line : summary) {
            String[] c = line.split(",", -1);
            String ladder = c[0] + " / " + c[1];
            best.put(ladder, Integer.parseInt(c[2]));
            assertEquals(reported.get(ladder + " / " + c[2]), Double.parseDouble(c[4]), 0, ladder);
        }
        assertEquals(reportedBest, best);
        // ResNet-50 FP16 batch 16: the file's own J/img, the mean of its iterations', is 0.06257
        Measurement resnet = ladders.get("resnet50 / pytorch-fp16").get(0);
        assertEquals("[sweep] resnet50 / pytorch-fp16 batch 16: 3717 img/s, 0.06243 J/img -> r.json",
                Rung.measuredLine(new Configuration("resnet50", "pytorch-fp16", 16), resnet, "r.json"));
    }
    /**
     * The study's results were measured with short iterations (the deit_small FP32 ladder's batch 8192: 0.511 batches/s
     * in 4.688 s iterations, 2.4 batches each); taken as done by a sweep of the default --min-batches 13, its best batch
     * is still the lowest J/img, and the row says it held fewer batches than the protocol asks. A best batch that held
     * enough (mobilenetv3_large_100 FP16 batch 128: 186 batches in 1 s) says nothing of it.
     */
    @Test
    void aBestBatchThatHeldFewerThanMinBatchesSaysSo() throws Exception {
        List<String> csv = resumedStudy();
        String deit = csv.stream().filter(l -> l.startsWith("deit_small_patch16_224,pytorch-fp32,")).findFirst().orElseThrow();
        assertTrue(deit.startsWith("deit_small_patch16_224,pytorch-fp32,8192,J/img,"), deit);
        assertTrue(deit.contains(",lowest energy.J/img; not the protocol's --min-batches: slowest iteration held 2.4 batches "
                + "(< 13) in 4.688 s"), deit);
        String mobilenet = csv.stream().filter(l -> l.startsWith("mobilenetv3_large_100,pytorch-fp16,")).findFirst().orElseThrow();
        assertTrue(mobilenet.startsWith("mobilenetv3_large_100,pytorch-fp16,128,") && mobilenet.endsWith(",lowest energy.J/img"),
                mobilenet);
    }

    /**
     * A best batch that is the largest measured says that a larger one may take less energy per image where its ladder
     * did not end above it: deit_small FP32 at batch 8192, the sweep's --max-batch (above-max-batch at 16384), and
     * resnet50 FP16 at batch 16, the only one of its ladder kept here (its above-max-batch at 16384 is no end right above
     * it). regnety_008 FP32's batch 128, below its did-not-fit at 8192, and mobilenetv3_large_100 FP16's batch 128,
     * below measured ones, say nothing of it.
     */
    @Test
    void aBestBatchAtTheTopOfALadderThatDidNotEndAboveItSaysSo() throws Exception {
        List<String> csv = resumedStudy();
        String more = ": a larger batch may take less energy per image";
        assertTrue(row(csv, "deit_small_patch16_224,pytorch-fp32,8192,").endsWith(
                "; largest batch measured and the sweep's --max-batch" + more), row(csv, "deit_small_patch16_224,pytorch-fp32,"));
        assertTrue(row(csv, "resnet50,pytorch-fp16,16,").endsWith(",lowest energy.J/img; largest batch measured and its ladder not finished"
                + more), row(csv, "resnet50,pytorch-fp16,"));
        assertTrue(row(csv, "regnety_008,pytorch-fp32,128,").endsWith(",lowest energy.J/img"), row(csv, "regnety_008,pytorch-fp32,"));
        assertTrue(row(csv, "mobilenetv3_large_100,pytorch-fp16,128,").endsWith(",lowest energy.J/img"),
                row(csv, "mobilenetv3_large_100,pytorch-fp16,"));
    }

    /** summary.csv's row that starts with {@code prefix}; "" when none does. */
    private static String row(List<String> csv, String prefix) {
        return csv.stream().filter(l -> l.startsWith(prefix)).findFirst().orElse("");
    }

    /**
     * The study copied and resumed, with the measurement settings its results hold, for its deit_small FP32 ladder from
     * batch 64, every rung of which it measured: nothing runs, and summary.csv's lines summarize the whole directory.
     */
    private List<String> resumedStudy() throws Exception {
        Path dir = tmp.resolve("sweep");
        try (Stream<Path> files = Files.list(STUDY)) {
            Files.createDirectories(dir);
            for (Path f : files.toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        ConsoleCapture sweep = ConsoleCapture.run(() -> SweepCommand.run(new String[] {"--resume", "--out", dir.toString(),
                "-p", "model=deit_small_patch16_224", "-p", "engine=pytorch-fp32", "--min-batch", "64", "--max-batch", "8192",
                "-wi", "2", "-w", "1s", "-i", "10"}));
        assertEquals(0, sweep.rc(), sweep.err());
        return Files.readAllLines(dir.resolve(Summary.FILE));
    }
}
