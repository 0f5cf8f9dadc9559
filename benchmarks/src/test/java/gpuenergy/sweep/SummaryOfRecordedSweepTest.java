package gpuenergy.sweep;

import gpuenergy.ConsoleCapture;
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

/**
 * The sweep's summary of the H100 study's recorded ladders (src/test/resources/h100/study/sweep, whose J/img scores are
 * the mean of their iterations' own) beside report's summary of the same directory.
 */
class SummaryOfRecordedSweepTest {
    static final Path STUDY = Path.of("src/test/resources/h100/study/sweep");

    @TempDir
    Path tmp;

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
}
