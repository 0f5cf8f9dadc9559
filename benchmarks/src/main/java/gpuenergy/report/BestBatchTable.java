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
 * over the models that have both engines. The headline of a study, as the reference paper tabulates it.
 */
final class BestBatchTable {
    private BestBatchTable() {}

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
    static List<String[]> cells(List<Row> best, List<String> engines, List<String[]> pairs) {
        Map<String, Map<String, Row>> byModel = new TreeMap<>();
        for (Row r : best) {
            byModel.computeIfAbsent(r.gpu() + "\u0000" + r.model(), k -> new LinkedHashMap<>()).put(r.engine(), r);
        }
        List<String[]> out = new ArrayList<>();
        List<List<Double>> factors = new ArrayList<>();
        pairs.forEach(p -> factors.add(new ArrayList<>()));
        for (Map<String, Row> m : byModel.values()) {
            Row any = m.values().iterator().next();
            List<String> c = new ArrayList<>(List.of(any.gpu(), any.model()));
            for (String e : engines) {
                Row r = m.get(e);
                c.add(r == null ? "" : Integer.toString(r.batch()));
                c.add(r == null ? "" : Summary.num(r.joulesPerImage()));
            }
            for (int i = 0; i < pairs.size(); i++) {
                Row a = m.get(pairs.get(i)[0]);
                Row b = m.get(pairs.get(i)[1]);
                if (a == null || b == null) {
                    c.add("");
                } else {
                    double f = a.joulesPerImage() / b.joulesPerImage();
                    factors.get(i).add(f);
                    c.add(String.format(Locale.ROOT, "%.2fx", f));
                }
            }
            out.add(c.toArray(String[]::new));
        }
        List<String> mean = new ArrayList<>(List.of("", "geometric mean"));
        engines.forEach(e -> mean.addAll(List.of("", "")));
        for (List<Double> f : factors) {
            mean.add(f.isEmpty() ? "" : String.format(Locale.ROOT, "%.2fx (%d model%s)",
                    Efficiency.geometricMean(f.stream().mapToDouble(Double::doubleValue).toArray()), f.size(),
                    f.size() == 1 ? "" : "s"));
        }
        out.add(mean.toArray(String[]::new));
        return out;
    }

    static String markdown(List<Row> best, List<String> engines, List<String[]> pairs) {
        List<String> header = header(engines, pairs);
        StringBuilder sb = new StringBuilder("| ").append(String.join(" | ", header)).append(" |\n|")
                .append("---|".repeat(header.size())).append('\n');
        cells(best, engines, pairs).forEach(c -> sb.append("| ").append(String.join(" | ", c)).append(" |\n"));
        return sb.toString();
    }
}
