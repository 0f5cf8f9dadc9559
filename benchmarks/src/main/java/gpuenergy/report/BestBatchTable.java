package gpuenergy.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One line per GPU and model: each engine's best batch (lowest J/img; the highest img/s where none of its batch sizes
 * has a J/img, as {@link Summary#rows} marks it) with its J/img, and the J/img factor of each
 * engine pair of the reduction figures (J/img of A / J/img of B); a last line holds each factor's geometric mean
 * over the models that have both engines at a final best batch: the headline of a set of results, as the reference
 * paper tabulates it.
 */
final class BestBatchTable {
    private BestBatchTable() {}

    /** The J/img cell of a best batch chosen by img/s, none of its batch sizes having a J/img. */
    static final String BY_IMG_PER_SEC = "none: best by img/s";

    /** The table's caption, for summary.md and index.html alike. */
    static final String INTRO = "Lowest J/img over the batch sizes measured, per engine (where none of them has a J/img, "
            + "the highest img/s, its J/img \"" + BY_IMG_PER_SEC + "\", as the sweep's summary picks it); factor = J/img of the first "
            + "engine / J/img of the second (both at their own best batch). A best batch marked \"" + Ladders.AT_MAX_BATCH
            + "\" is the largest batch measured for its model and engine, where the sweep stopped at its --max-batch cap "
            + "(recorded in its not-run list as above-max-batch): a lower J/img may lie above it, unmeasured by choice; "
            + "it counts as the best batch, and its factor is in the geometric mean, which says how many of its models "
            + "are at the cap. One marked \"" + Ladders.ITERATIONS_TOO_LONG.replace("%d", "N")
            + "\" is the largest batch measured where the sweep did not start batch N, as its measured iterations would "
            + "last longer than a day (iteration-too-long in its not-run list): a larger batch is slower still, so the "
            + "ladder ended there and its factor is in the geometric mean. One marked \"" + Ladders.NOT_FINISHED
            + "\" is the largest batch measured with neither a did-not-fit, the cap nor an iteration-too-long listed "
            + "above it: the ladder "
            + "may not be finished (or its sweep's directory does not record the cap), so a "
            + "lower J/img may lie above it. One marked \"" + Ladders.NOT_STARTED_BELOW + "\" is above batch 1 with "
            + "neither a result nor a did-not-fit or unavailable entry at half its batch (the ladder started there, the sweep's --min-batch): "
            + "a lower J/img may lie below it; \"batch N not measured\" says the same of a best batch 2N with a smaller batch "
            + "measured but not N. A factor from a best batch marked in one of these three ways is shown, marked \""
            + FactorSummary.NOT_IN_THE_MEAN + "\", and left out of the geometric mean.";

    static List<String> header(List<String> engines, List<String[]> pairs) {
        List<String> h = new ArrayList<>(List.of("gpu", "model"));
        for (String e : engines) {
            h.add(e + " best batch");
            h.add(e + " J/img");
        }
        for (String[] p : pairs) {
            h.add(p[0] + " / " + p[1]);
        }
        return h;
    }

    /** best: the rows marked best (one per GPU, model and engine); engines in the order of the columns. */
    static List<String[]> cells(List<Row> best, Ladders ladders, List<String> engines, List<String[]> pairs) {
        Map<String, Map<String, Row>> byModel = new TreeMap<>();
        for (Row r : best) {
            byModel.computeIfAbsent(r.gpu() + "\u0000" + r.model(), k -> new LinkedHashMap<>()).put(r.engine(), r);
        }
        List<FactorSummary> summaries = new ArrayList<>();
        for (String[] p : pairs) {
            summaries.add(FactorSummary.of(ofEngine(byModel, p[0]), ofEngine(byModel, p[1]), ladders));
        }
        List<String[]> out = new ArrayList<>();
        for (Map.Entry<String, Map<String, Row>> model : byModel.entrySet()) {
            Map<String, Row> m = model.getValue();
            Row any = m.values().iterator().next();
            List<String> c = new ArrayList<>(List.of(any.gpu(), any.model()));
            for (String e : engines) {
                Row r = m.get(e);
                String mark = r == null ? null : ladders.mark(r);
                c.add(r == null ? "" : r.batch() + (mark == null ? "" : " (" + mark + ")"));
                c.add(r == null ? "" : r.hasEnergy() ? Summary.num(r.joulesPerImage()) : BY_IMG_PER_SEC);
            }
            for (FactorSummary s : summaries) {
                c.add(s.factors().containsKey(model.getKey()) ? s.label(model.getKey()) : "");
            }
            out.add(c.toArray(String[]::new));
        }
        List<String> mean = new ArrayList<>(List.of("", "geometric mean"));
        engines.forEach(e -> mean.addAll(List.of("", "")));
        for (FactorSummary s : summaries) {
            int n = s.inMean().size();
            int leftOut = s.leftOut().size();
            String models = s.modelsInMean(false);
            String left = leftOut == 0 ? "" : "; " + leftOut + " " + FactorSummary.LEFT_OUT;
            mean.add(n == 0 ? (leftOut == 0 ? "" : "none (" + leftOut + " " + FactorSummary.LEFT_OUT + ")")
                    : String.format(Locale.ROOT, "%.2fx (%s%s)", s.geometricMean(), models, left));
        }
        out.add(mean.toArray(String[]::new));
        return out;
    }

    /** The engine's best row per key of {@code byModel}, for the models that have one with a J/img (a factor's). */
    private static Map<String, Row> ofEngine(Map<String, Map<String, Row>> byModel, String engine) {
        Map<String, Row> m = new TreeMap<>();
        byModel.forEach((key, engines) -> {
            if (engines.containsKey(engine) && engines.get(engine).hasEnergy()) {
                m.put(key, engines.get(engine));
            }
        });
        return m;
    }

    static String markdown(List<Row> best, Ladders ladders, List<String> engines, List<String[]> pairs) {
        List<String> header = header(engines, pairs);
        return Markdown.table(header, cells(best, ladders, engines, pairs));
    }
}
