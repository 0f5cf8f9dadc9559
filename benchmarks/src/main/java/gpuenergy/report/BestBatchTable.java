package gpuenergy.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One line per GPU and model: each engine's best batch (lowest J/img) with its J/img, and the J/img factor of each
 * engine pair of the reduction figures (J/img of A / J/img of B); a last line holds each factor's geometric mean
 * over the models that have both engines at a final best batch. The headline of a study, as the reference paper
 * tabulates it.
 */
final class BestBatchTable {
    private BestBatchTable() {}

    /** The table's caption, for summary.md and index.html alike. */
    static final String INTRO = "Lowest J/img over the batch sizes measured, per engine; factor = J/img of the first "
            + "engine / J/img of the second (both at their own best batch). A best batch marked \"" + Ladders.NOT_FINISHED
            + "\" is the largest batch measured for its model and engine with no did-not-fit listed above it: the ladder "
            + "may not be finished (or it stopped at the sweep's --max-batch cap, which the results do not record), so a "
            + "lower J/img may lie above it; a factor from it is shown but left out of the geometric mean.";

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
        List<String[]> out = new ArrayList<>();
        List<List<Double>> factors = new ArrayList<>();
        pairs.forEach(p -> factors.add(new ArrayList<>()));
        int[] leftOut = new int[pairs.size()];
        for (Map<String, Row> m : byModel.values()) {
            Row any = m.values().iterator().next();
            List<String> c = new ArrayList<>(List.of(any.gpu(), any.model()));
            for (String e : engines) {
                Row r = m.get(e);
                c.add(r == null ? "" : r.batch() + (ladders.finished(r) ? "" : " (" + Ladders.NOT_FINISHED + ")"));
                c.add(r == null ? "" : Summary.num(r.joulesPerImage()));
            }
            for (int i = 0; i < pairs.size(); i++) {
                Row a = m.get(pairs.get(i)[0]);
                Row b = m.get(pairs.get(i)[1]);
                if (a == null || b == null) {
                    c.add("");
                } else if (ladders.finished(a) && ladders.finished(b)) {
                    double f = a.joulesPerImage() / b.joulesPerImage();
                    factors.get(i).add(f);
                    c.add(String.format(Locale.ROOT, "%.2fx", f));
                } else {
                    leftOut[i]++;
                    c.add(String.format(Locale.ROOT, "%.2fx (not in the mean)", a.joulesPerImage() / b.joulesPerImage()));
                }
            }
            out.add(c.toArray(String[]::new));
        }
        List<String> mean = new ArrayList<>(List.of("", "geometric mean"));
        engines.forEach(e -> mean.addAll(List.of("", "")));
        for (int i = 0; i < pairs.size(); i++) {
            List<Double> f = factors.get(i);
            String models = f.size() + " model" + (f.size() == 1 ? "" : "s");
            String left = leftOut[i] == 0 ? "" : "; " + leftOut[i] + " left out: best batch not final";
            mean.add(f.isEmpty() ? (leftOut[i] == 0 ? "" : "none (" + leftOut[i] + " left out: best batch not final)")
                    : String.format(Locale.ROOT, "%.2fx (%s%s)",
                    Efficiency.geometricMean(f.stream().mapToDouble(Double::doubleValue).toArray()), models, left));
        }
        out.add(mean.toArray(String[]::new));
        return out;
    }

    static String markdown(List<Row> best, Ladders ladders, List<String> engines, List<String[]> pairs) {
        List<String> header = header(engines, pairs);
        StringBuilder sb = new StringBuilder("| ").append(String.join(" | ", header)).append(" |\n|")
                .append("---|".repeat(header.size())).append('\n');
        cells(best, ladders, engines, pairs).forEach(c -> sb.append("| ").append(String.join(" | ", c)).append(" |\n"));
        return sb.toString();
    }
}
