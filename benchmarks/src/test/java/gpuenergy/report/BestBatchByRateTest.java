package gpuenergy.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The report marks the best batch as the sweep's summary does (gpuenergy.results.BestBatchRule): the lowest J/img of
 * the batch sizes that have one; where none has one, the highest img/s, which the row's note says.
 */
class BestBatchByRateTest {

    /** A hand-made row: only what the best batch, its note and the table read. */
    static Row row(String engine, int batch, double imgPerSec, double joulesPerImage) {
        return new Row("hand-made", "", "m", engine, batch, imgPerSec, imgPerSec, imgPerSec, joulesPerImage,
                joulesPerImage, joulesPerImage, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, "", false,
                "hand-made", 1, 1, 1, 0, true, false);
    }

    static List<Row> best(List<Row> rows) {
        return rows.stream().filter(Row::best).toList();
    }

    @Test
    void withoutAnyJoulesPerImageTheFastestIsBestAndItsNoteSaysWhy() {
        List<Row> rows = Summary.rows(List.of(row("a", 1, 100, Double.NaN), row("a", 2, 300, Double.NaN),
                row("a", 4, 200, Double.NaN)));
        assertEquals(List.of(2), best(rows).stream().map(Row::batch).toList());
        String[] cells = Summary.cells(rows).get(1);
        assertEquals("best", cells[11]);
        assertEquals("best batch: no energy measured (no energy.J/img; not run with the energy profiler): ranked by img/s",
                cells[13]);
        assertEquals("", Summary.cells(rows).get(0)[13], "the other rows say nothing of it");
    }

    /**
     * Why no J/img is said of the whole configuration, as the efficiency rankings' line says it and the sweep's summary
     * does: the profiler could not measure batch 1, so the faster batch 2 without energy metrics is best for want of a
     * measurable J/img, not of the profiler.
     */
    @Test
    void theNoteSaysWhyOfTheWholeConfiguration() {
        Row unknown = row("a", 1, 100, Double.NaN);
        unknown = new Row(unknown.gpu(), unknown.gpuUuid(), unknown.model(), unknown.engine(), unknown.batch(),
                unknown.imgPerSec(), unknown.imgPerSecLo(), unknown.imgPerSecHi(), Double.NaN, Double.NaN, Double.NaN,
                Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, "", false, "hand-made", 3, 3, 3, 1, true, false);
        List<Row> rows = Summary.rows(List.of(unknown, row("a", 2, 300, Double.NaN)));
        assertEquals(List.of(2), best(rows).stream().map(Row::batch).toList());
        assertTrue(Summary.cells(rows).get(1)[13].endsWith("best batch: no energy measured (no energy.J/img; the energy "
                + "profiler could not measure it): ranked by img/s"), Summary.cells(rows).get(1)[13]);
        assertEquals("Left out: m / a (no J/img: the energy profiler could not measure it).",
                new Charts(rows, List.of(), Catalog.empty("none"), null, null).unrankedLine());
    }

    /** As the sweep's summary picks it: a batch size without a J/img is not the best, however fast, beside one with. */
    @Test
    void someJoulesPerImageKeepsTheLowestJoulesPerImage() {
        List<Row> rows = Summary.rows(List.of(row("a", 1, 100, 0.3), row("a", 2, 200, 0.2), row("a", 4, 900, Double.NaN)));
        assertEquals(List.of(2), best(rows).stream().map(Row::batch).toList());
        assertFalse(Summary.markdown(rows).contains("ranked by img/s"));
    }

    /**
     * The best-batch table shows a best batch chosen by img/s with no J/img, and gives it no factor: an engine pair's
     * factor needs a J/img on both sides.
     */
    @Test
    void theTableShowsABestBatchByRateWithoutAFactor() {
        List<Row> rows = Summary.rows(List.of(row("pytorch-fp32", 1, 100, Double.NaN), row("pytorch-fp32", 2, 300, Double.NaN),
                row("tensorrt-fp16", 1, 400, 0.1), row("tensorrt-fp16", 2, 800, 0.05)));
        Charts charts = new Charts(rows, List.of(), Catalog.empty("none"), "pytorch-fp32", "tensorrt-fp16");
        List<String[]> cells = charts.bestBatchCells();
        List<String> header = charts.bestBatchHeader();
        String[] m = cells.get(0);
        assertEquals("2 (" + Ladders.NOT_FINISHED + ")", m[header.indexOf("pytorch-fp32 best batch")], Arrays.toString(m));
        assertEquals(BestBatchTable.BY_IMG_PER_SEC, m[header.indexOf("pytorch-fp32 J/img")]);
        assertEquals(Summary.num(0.05), m[header.indexOf("tensorrt-fp16 J/img")]);
        assertEquals("", m[header.indexOf("pytorch-fp32 / tensorrt-fp16")], "no factor without a J/img");
        assertTrue(Arrays.stream(cells.get(1)).noneMatch(c -> c.contains("NaN")), Arrays.toString(cells.get(1)));
    }

    /**
     * A best batch chosen by img/s is labelled in the img/s figure (1b), where it is drawn, as one chosen by J/img is in
     * the J/img figure (1a); the latter is labelled there only, once.
     */
    @Test
    void aBestBatchByRateIsLabelledInTheThroughputFigure() {
        List<Row> rows = Summary.rows(List.of(row("a", 1, 100, Double.NaN), row("a", 2, 300, Double.NaN),
                row("a", 4, 200, Double.NaN), row("b", 1, 400, 0.1), row("b", 2, 800, 0.05), row("b", 4, 900, 0.08)));
        Charts charts = new Charts(rows, List.of(), Catalog.empty("none"), null, null);
        assertEquals(java.util.Map.of("m / a", "best"), LaddersTest.bestLabels(charts, "batch-throughput"));
        assertEquals(java.util.Map.of("m / b", "best"), LaddersTest.bestLabels(charts, "batch-energy"));
    }

    /**
     * A ladder without any J/img is judged over all its batches: at the sweep's --max-batch with batches 1 and 2 below
     * it measured, its best batch by img/s is final at both ends, as it is in the sweep's summary.
     */
    @Test
    void aLadderWithoutJoulesPerImageCountsEveryBatchMeasured() {
        List<Row> rows = Summary.rows(List.of(row("a", 1, 100, Double.NaN), row("a", 2, 200, Double.NaN),
                row("a", 4, 300, Double.NaN)));
        Row best = best(rows).get(0);
        Ladders ladders = new Ladders(rows, List.of(LaddersTest.aboveMaxBatch("m", "a", 8, null)));
        assertEquals(Ladders.AT_MAX_BATCH, ladders.mark(best));
        assertTrue(ladders.finished(best));
    }
}
