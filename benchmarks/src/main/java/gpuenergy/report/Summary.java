package gpuenergy.report;

import gpuenergy.results.BestBatchRule;
import gpuenergy.results.Csv;
import gpuenergy.results.Numbers;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** The summary table: rows from results, duplicates and the best batch marked, written as Markdown and CSV. */
final class Summary {
    private Summary() {}

    static final String[] HEADER = {"gpu", "model", "engine", "batch", "img/s", "img/s 99.9% CI", "J/img",
        "J/img 99.9% CI", "net J/img", "avg W", "% of power limit", "best batch", "source", "note"};

    /** The Results table's caption, for summary.md and index.html alike. */
    static final String INTRO = "img/s and J/img with JMH's 99.9 % confidence interval; best batch = lowest J/img per GPU, "
            + "model and engine, or, where none of its batch sizes has a J/img, the highest img/s, which its note says (as "
            + "the sweep's summary picks it). The note \"J/img ±x % (99.9 % CI)\" marks a J/img whose interval half-width exceeds "
            + Row.CRITERION_TEXT + " of it: a J/img is trusted to " + Row.CRITERION_TEXT + " only where it does not "
            + "(at launch-bound batches the host's pace varies between iterations).";

    /**
     * Rows sorted by GPU, model, engine, batch. When several rows measure the same (GPU, model, engine, batch),
     * the one given first (input order) is plotted and the others are kept in the table as duplicates: different
     * runs are never averaged. Among the plotted rows of each (GPU, model, engine), the best is the one
     * {@link BestBatchRule} picks: the lowest J/img, or the highest img/s where none has a J/img.
     */
    static List<Row> rows(List<Row> inInputOrder) {
        Set<String> seen = new HashSet<>();
        List<Row> rows = new ArrayList<>();
        for (Row r : inInputOrder) {
            rows.add(r.with(seen.add(r.point()), false));
        }
        Map<String, List<Row>> plotted = rows.stream().filter(Row::plotted)
                .collect(Collectors.groupingBy(Row::configuration));
        Set<Row> best = Collections.newSetFromMap(new IdentityHashMap<>());
        for (List<Row> configuration : plotted.values()) {
            int i = BestBatchRule.best(configuration, Row::joulesPerImage, Row::imgPerSec);
            if (i >= 0) {
                best.add(configuration.get(i));
            }
        }
        rows.replaceAll(r -> best.contains(r) ? r.with(true, true) : r);
        rows.sort(Comparator.comparing(Row::gpu).thenComparing(Row::model).thenComparing(Row::engine)
                .thenComparingInt(Row::batch).thenComparing(r -> !r.plotted()));
        return rows;
    }

    /**
     * One line per duplicate: which run is plotted, what the other run measured, and by how much they differ. A J/img
     * either run lacks (no energy metrics, as on the CPU) is said to be not measured, and no change is given for it.
     */
    static List<String> duplicates(List<Row> rows) {
        Map<String, Row> plotted = new HashMap<>();
        rows.stream().filter(Row::plotted).forEach(r -> plotted.put(r.point(), r));
        List<String> lines = new ArrayList<>();
        for (Row d : rows) {
            if (!d.plotted()) {
                Row p = plotted.get(d.point());
                String joules = joules(d.joulesPerImage());
                if (!Double.isNaN(d.joulesPerImage()) && !Double.isNaN(p.joulesPerImage())) {
                    joules += ", " + percent(d.joulesPerImage(), p.joulesPerImage());
                }
                lines.add(String.format(Locale.ROOT, "%s: plotted from %s (%s img/s, %s); also measured in %s "
                        + "(%s img/s, %s; %s): listed, not plotted, not averaged", d.name(), p.source(),
                        text(p.imgPerSec()), joules(p.joulesPerImage()), d.source(), text(d.imgPerSec()),
                        percent(d.imgPerSec(), p.imgPerSec()), joules));
            }
        }
        return lines;
    }

    /** "0.04227 J/img", or "J/img not measured" for NaN. */
    private static String joules(double joulesPerImage) {
        return Double.isNaN(joulesPerImage) ? "J/img not measured" : Numbers.plain(joulesPerImage) + " J/img";
    }

    /**
     * Rows whose energy comes from fewer iterations than their throughput: some iterations had no reading. The windows
     * an interleaving profiler sat out are not among them: its row's img/s leaves them out too ({@link Row#windows}).
     */
    static List<String> partialEnergy(List<Row> rows) {
        return rows.stream().filter(r -> r.hasEnergy() && r.energyIterations() < r.iterations())
                .map(r -> r.name() + " (" + r.source() + "): " + note(r, rows) + "; an iteration reports no energy where its"
                        + " power readings do not cover it, and the energy values come from the iterations that do")
                .toList();
    }

    /** The note of {@code r}, one of {@code rows}: the best batch's says why its configuration has no J/img, where it has none. */
    private static String note(Row r, List<Row> rows) {
        List<String> n = new ArrayList<>();
        if (!r.plotted()) {
            n.add("duplicate, not plotted");
        }
        if (r.windows() > r.iterations()) {
            n.add("img/s and energy from the " + r.iterations() + " sampled of " + r.windows() + " iterations");
        }
        if (r.hasEnergy() && r.energyIterations() < r.iterations()) {
            n.add("energy from " + r.energyIterations() + " of " + r.iterations() + " iterations");
        }
        if (r.energyUnknownIterations() > 0) {
            n.add("J/img unknown (NaN) in " + r.energyUnknownIterations() + " of " + r.energyIterations()
                    + " iterations: the energy profiler could not measure them");
        }
        if (r.joulesPerImageImprecise()) {
            n.add("J/img " + r.joulesPerImageHalfWidthText() + " (99.9 % CI)");
        }
        if (r.best() && !r.hasEnergy()) {
            n.add("best batch: " + BestBatchRule.rankedByImgPerSec(Row.whyNoJoulesPerImage(rows.stream()
                    .filter(o -> o.plotted() && o.configuration().equals(r.configuration())).toList())));
        }
        return String.join("; ", n);
    }

    static List<String[]> cells(List<Row> rows) {
        List<String[]> out = new ArrayList<>();
        for (Row r : rows) {
            out.add(new String[] {r.gpu(), r.model(), r.engine(), Integer.toString(r.batch()),
                num(r.imgPerSec()), interval(r.imgPerSecLo(), r.imgPerSecHi()),
                num(r.joulesPerImage()), interval(r.joulesPerImageLo(), r.joulesPerImageHi()),
                num(r.netJoulesPerImage()), num(r.averageWatts()), num(r.limitPercent()), r.best() ? "best" : "",
                r.source(), note(r, rows)});
        }
        return out;
    }

    static String markdown(List<Row> rows) {
        List<String[]> cells = cells(rows);
        cells.stream().filter(c -> c[11].equals("best")).forEach(c -> c[11] = "**best**");
        return Markdown.table(List.of(HEADER), cells);
    }

    /** CSV with separate lo/hi columns (a spreadsheet wants numbers, not "[a, b]"). */
    static String csv(List<Row> rows) {
        StringBuilder sb = new StringBuilder(
                "gpu,model,engine,batch,img_per_s,img_per_s_lo,img_per_s_hi,j_per_img,j_per_img_lo,j_per_img_hi,"
                        + "net_j_per_img,avg_w,power_limit_pct,best_batch,source,plotted,note\n");
        for (Row r : rows) {
            sb.append(String.join(",", Csv.field(r.gpu()), Csv.field(r.model()), Csv.field(r.engine()),
                    Integer.toString(r.batch()), Numbers.full(r.imgPerSec()), Numbers.full(atLeastZero(r.imgPerSecLo())), Numbers.full(r.imgPerSecHi()),
                    Numbers.full(r.joulesPerImage()), Numbers.full(atLeastZero(r.joulesPerImageLo())), Numbers.full(r.joulesPerImageHi()),
                    Numbers.full(r.netJoulesPerImage()), Numbers.full(r.averageWatts()), Numbers.full(r.limitPercent()),
                    Boolean.toString(r.best()), Csv.field(r.source()), Boolean.toString(r.plotted()), Csv.field(note(r, rows))))
                    .append('\n');
        }
        return sb.toString();
    }

    /** A figure as {@link Numbers#plain} writes it; empty for an absent value (NaN). */
    static String num(double v) {
        return Double.isNaN(v) ? "" : Numbers.plain(v);
    }

    /** A rate's or an energy's interval, as the table shows it ({@link #atLeastZero}). */
    static String interval(double lo, double hi) {
        return Double.isNaN(lo) || Double.isNaN(hi) ? "" : "[" + num(atLeastZero(lo)) + ", " + num(hi) + "]";
    }

    /** An interval's low end as shown: no rate or energy is below 0, whatever a wide t-interval of few iterations says. */
    static double atLeastZero(double lo) {
        return Double.isNaN(lo) ? lo : Math.max(0, lo);
    }

    /** A figure in a sentence: "n/a" for an absent value (NaN). */
    static String text(double v) {
        return Double.isNaN(v) ? "n/a" : Numbers.plain(v);
    }

    /** (value - reference) / reference as "+4.2 %". */
    static String percent(double value, double reference) {
        return Double.isNaN(value) || Double.isNaN(reference) ? "n/a"
                : String.format(Locale.ROOT, "%+.1f %%", (value - reference) / reference * 100);
    }
}
