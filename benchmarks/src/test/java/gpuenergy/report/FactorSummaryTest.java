package gpuenergy.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The factors of an engine pair, and their geometric mean over the models whose best batches are final. */
class FactorSummaryTest {

    /** A hand-made row: only what the factors and the ladders read (GPU, model, engine, batch, J/img). */
    static Row row(String model, String engine, int batch, double joulesPerImage, boolean best) {
        return new Row("hand-made", "", model, engine, batch, 1, 1, 1, joulesPerImage, joulesPerImage, joulesPerImage,
                Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, "", false, "hand-made", 1, 1, 1, 0, true, best);
    }

    /** Model -> its best row for {@code engine}. */
    static Map<String, Row> bestOf(List<Row> rows, String engine) {
        Map<String, Row> best = new TreeMap<>();
        rows.stream().filter(r -> r.best() && r.engine().equals(engine)).forEach(r -> best.put(r.model(), r));
        return best;
    }

    @Test
    void aFactorWithABestBatchThatIsNotFinalIsLabelledAndLeftOutOfTheMean() {
        // m1, m2: batch 2 took more J/img than batch 1 for both engines, so batch 1 is final (nothing lies below it);
        // m3 was measured at batch 8 only, so its best batch is the largest measured and nothing says its ladder ended;
        // m5's best, batch 16, has a larger batch with more J/img above it but nothing at batch 8: the ladder started
        // at 16 and a lower J/img may lie below
        List<Row> rows = List.of(
                row("m1", "a", 1, 0.4, true), row("m1", "a", 2, 0.5, false),
                row("m1", "b", 1, 0.1, true), row("m1", "b", 2, 0.2, false),
                row("m2", "a", 1, 0.3, true), row("m2", "a", 2, 0.6, false),
                row("m2", "b", 1, 0.15, true), row("m2", "b", 2, 0.2, false),
                row("m3", "a", 8, 1.0, true),
                row("m3", "b", 8, 0.1, true),
                row("m4", "a", 8, 0.5, true),
                row("m5", "a", 16, 0.8, true), row("m5", "a", 32, 0.9, false),
                row("m5", "b", 16, 0.1, true), row("m5", "b", 32, 0.2, false));
        Map<String, Row> a = bestOf(rows, "a");
        Map<String, Row> b = bestOf(rows, "b");
        Ladders ladders = new Ladders(rows, List.of());
        FactorSummary s = FactorSummary.of(a, b, ladders);

        assertEquals(Set.of("m1", "m2", "m3", "m5"), s.factors().keySet(), "m4 has no best batch for engine b: no factor");
        assertEquals(10.0, s.factors().get("m3"), 1e-12, "a left-out factor is still stated");
        assertEquals(Set.of("m3", "m5"), s.leftOut());
        assertEquals(Ladders.NOT_FINISHED, ladders.notFinal(a.get("m3")));
        assertEquals(Ladders.NOT_STARTED_BELOW, ladders.notFinal(a.get("m5")));
        assertEquals(Set.of("m1", "m2"), s.inMean().keySet());
        assertEquals(Math.sqrt(4.0 * 2.0), s.geometricMean(), 1e-12, "mean of 4x and 2x, without m3's 10x and m5's 8x");
        assertEquals(Efficiency.geometricStd(new double[] {4, 2}), s.geometricStd(), 1e-12);
        assertEquals("4.00x", s.label("m1"));
        assertEquals("10.00x (not in the mean)", s.label("m3"));
        assertEquals("8.00x (not in the mean)", s.label("m5"));
    }

    @Test
    void aFactorAtTheSweepsMaxBatchIsInTheMeanAndCounted() {
        // m1 final below its top; m2 measured up to batch 8, where the sweep stopped at its --max-batch 8 (its entries
        // at 16), for engine a on this GPU and for engine b naming none; m3 the same for engine a only
        List<Row> rows = List.of(
                row("m1", "a", 1, 0.4, true), row("m1", "a", 2, 0.5, false),
                row("m1", "b", 1, 0.1, true), row("m1", "b", 2, 0.2, false),
                row("m2", "a", 4, 0.9, false), row("m2", "a", 8, 0.6, true),
                row("m2", "b", 4, 0.3, false), row("m2", "b", 8, 0.2, true),
                row("m3", "a", 4, 0.9, false), row("m3", "a", 8, 0.8, true),
                row("m3", "b", 4, 0.3, false), row("m3", "b", 8, 0.1, true));
        Map<String, Row> a = bestOf(rows, "a");
        Map<String, Row> b = bestOf(rows, "b");
        Ladders ladders = new Ladders(rows, List.of(LaddersTest.aboveMaxBatch("m2", "a", 16, "hand-made"),
                LaddersTest.aboveMaxBatch("m2", "b", 16, null), LaddersTest.aboveMaxBatch("m3", "a", 16, "hand-made")));
        FactorSummary s = FactorSummary.of(a, b, ladders);
        assertEquals(Set.of("m3"), s.leftOut(), "m3 / b: nothing says its ladder ended");
        assertEquals(Set.of("m1", "m2"), s.inMean().keySet());
        assertEquals(Set.of("m2"), s.inMeanAtMaxBatch());
        assertEquals(Math.sqrt(4.0 * 3.0), s.geometricMean(), 1e-12);
        assertEquals("2 models, 1 at the sweep's --max-batch", s.modelsInMean(false));
        assertEquals("2 models, m2 at the sweep's --max-batch", s.modelsInMean(true));
        assertEquals("3.00x", s.label("m2"));
        assertEquals(Ladders.AT_MAX_BATCH, ladders.mark(a.get("m2")));
        assertEquals(Ladders.NOT_FINISHED, ladders.mark(b.get("m3")));
    }

    @Test
    void withEveryBestBatchNotFinalThereIsNoMean() {
        List<Row> rows = List.of(row("m1", "a", 8, 0.4, true), row("m1", "b", 8, 0.1, true));
        FactorSummary s = FactorSummary.of(Map.of("m1", rows.get(0)), Map.of("m1", rows.get(1)), new Ladders(rows, List.of()));
        assertEquals(Set.of("m1"), s.leftOut());
        assertTrue(s.inMean().isEmpty());
        assertTrue(Double.isNaN(s.geometricMean()));
        assertTrue(Double.isNaN(s.geometricStd()));
    }
}
