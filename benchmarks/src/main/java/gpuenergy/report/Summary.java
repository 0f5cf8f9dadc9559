package gpuenergy.report;

import gpuenergy.results.BenchmarkResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The summary table: rows from results, the best batch marked, written as Markdown and CSV. */
final class Summary {
    private Summary() {}

    static final String[] HEADER = {"gpu", "model", "engine", "batch", "img/s", "img/s 99.9% CI", "J/img",
        "J/img 99.9% CI", "net J/img", "avg W", "% of power limit", "best batch"};

    /** Rows sorted by GPU, model, engine, batch; in each (GPU, model, engine) the lowest J/img is marked best. */
    static List<Row> rows(List<BenchmarkResult> results) {
        List<Row> rows = new ArrayList<>(results.stream().map(Row::of).toList());
        Map<String, Integer> best = new HashMap<>();
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            if (!r.hasEnergy()) {
                continue;
            }
            Integer b = best.get(r.configuration());
            if (b == null || r.joulesPerImage() < rows.get(b).joulesPerImage()) {
                best.put(r.configuration(), i);
            }
        }
        best.values().forEach(i -> rows.set(i, rows.get(i).asBest()));
        rows.sort(Comparator.comparing(Row::gpu).thenComparing(Row::model).thenComparing(Row::engine)
                .thenComparingInt(Row::batch));
        return rows;
    }

    static List<String[]> cells(List<Row> rows) {
        List<String[]> out = new ArrayList<>();
        for (Row r : rows) {
            out.add(new String[] {r.gpu(), r.model(), r.engine(), Integer.toString(r.batch()),
                num(r.imgPerSec()), interval(r.imgPerSecLo(), r.imgPerSecHi()),
                num(r.joulesPerImage()), interval(r.joulesPerImageLo(), r.joulesPerImageHi()),
                num(r.netJoulesPerImage()), num(r.averageWatts()), num(r.limitPercent()), r.best() ? "best" : ""});
        }
        return out;
    }

    static String markdown(List<Row> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append("| ").append(String.join(" | ", HEADER)).append(" |\n");
        sb.append("|").append("---|".repeat(HEADER.length)).append("\n");
        for (String[] c : cells(rows)) {
            if (c[11].equals("best")) {
                c[11] = "**best**";
            }
            sb.append("| ").append(String.join(" | ", c)).append(" |\n");
        }
        return sb.toString();
    }

    /** CSV with separate lo/hi columns (a spreadsheet wants numbers, not "[a, b]"). */
    static String csv(List<Row> rows) {
        StringBuilder sb = new StringBuilder(
                "gpu,model,engine,batch,img_per_s,img_per_s_lo,img_per_s_hi,j_per_img,j_per_img_lo,j_per_img_hi,"
                        + "net_j_per_img,avg_w,power_limit_pct,best_batch\n");
        for (Row r : rows) {
            sb.append(String.join(",", csvField(r.gpu()), csvField(r.model()), csvField(r.engine()),
                    Integer.toString(r.batch()), num(r.imgPerSec()), num(r.imgPerSecLo()), num(r.imgPerSecHi()),
                    num(r.joulesPerImage()), num(r.joulesPerImageLo()), num(r.joulesPerImageHi()),
                    num(r.netJoulesPerImage()), num(r.averageWatts()), num(r.limitPercent()),
                    r.best() ? "true" : "false")).append('\n');
        }
        return sb.toString();
    }

    /** 5 significant digits; empty for an absent value (NaN). */
    static String num(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.5g", v);
    }

    static String interval(double lo, double hi) {
        return Double.isNaN(lo) || Double.isNaN(hi) ? "" : "[" + num(lo) + ", " + num(hi) + "]";
    }

    private static String csvField(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
