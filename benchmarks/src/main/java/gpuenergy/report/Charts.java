package gpuenergy.report;

import gpuenergy.report.Plot.Dash;
import gpuenergy.report.Plot.Marker;
import gpuenergy.report.Efficiency.Point;
import gpuenergy.report.Plot.Key;
import gpuenergy.report.Plot.Pt;
import gpuenergy.report.Plot.Scale;
import gpuenergy.report.Plot.Series;
import gpuenergy.report.Plot.Style;
import gpuenergy.report.Plot.Tick;
import gpuenergy.results.GpuModel;
import gpuenergy.profile.EnvironmentKeys;
import gpuenergy.results.BestBatchRule;
import gpuenergy.results.FileNames;
import gpuenergy.results.NotRun;
import gpuenergy.results.ParamNames;
import java.awt.Color;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** The report's figures, built from the summary rows and the catalog; each figure also yields its key numbers. */
final class Charts {

    record Figure(String id, String heading, Plot plot) {}

    static final String PAPER_REDUCTION = "paper (Yang et al., H100, TensorRT FP16 vs PyTorch FP32): 4.02x, geometric std 1.55";
    static final String PAPER_NAIVE = "paper (Yang et al.): the naive estimate underestimates measured energy by ~3.1x";

    final List<Figure> figures = new ArrayList<>();
    /** Key numbers and caveats, one line each, for summary.md and the page. */
    final List<String> findings = new ArrayList<>();
    /** The points of the accuracy figure (best batch per model and engine), for the page's ranking script. */
    final List<Point> accuracyPoints = new ArrayList<>();
    /**
     * The models the accuracy figure, and so the efficiency score, leaves out for want of a top-1, each with the
     * reason ("m (top1 empty in the catalog)", "x (not in the catalog)"), by name.
     */
    private final SortedSet<String> noTop1 = new TreeSet<>();
    /**
     * What the efficiency rankings (summary.md's table, index.html's two: the points of the accuracy figure) leave out,
     * each with why, by name: a model without a top-1, a configuration with no J/img at any batch size (its best
     * batch chosen by img/s, with no J/img to rank), and one that a not-run list names and no result measured.
     */
    private final SortedSet<String> unranked = new TreeSet<>();

    private final List<Row> rows;
    /** The best batches with a J/img: those of the energy figures, the factors and the rankings. */
    private final List<Row> best;
    /** Every best batch, those chosen by img/s ({@link Summary#rows}) too: the best-batch table's. */
    private final List<Row> bestBatches;
    private final Ladders ladders;
    private final Catalog catalog;
    private final boolean severalGpus;
    /** The engine pairs of the reduction figures (set once the figures are built). */
    private List<String[]> pairs = List.of();

    /** rows: the plotted rows; notRun: the entries of the not-run lists (they tell which ladders ended). */
    Charts(List<Row> rows, List<NotRun> notRun, Catalog catalog, String engineA, String engineB) {
        this.rows = rows;
        this.bestBatches = rows.stream().filter(Row::best).toList();
        this.best = bestBatches.stream().filter(Row::hasEnergy).toList();
        this.ladders = new Ladders(rows, notRun);
        this.catalog = catalog;
        this.severalGpus = rows.stream().map(Row::gpu).distinct().count() > 1;
        if (rows.stream().noneMatch(Row::hasEnergy)) {
            findings.add(noEnergy() + "; only throughput is shown");
        }
        if (catalog.isEmpty()) {
            findings.add("catalog absent (" + catalog.source() + "): no accuracy and no naive-estimate figure");
        }
        batchFigures();
        powerFigure();
        accuracyFigure();
        unrankedConfigurations(notRun);
        reductionFigures(engineA, engineB);
        naiveFigure();
    }

    /** Why no row has a J/img ({@link Row#whyNoJoulesPerImage}). */
    private String noEnergy() {
        return "no result has a J/img (" + Row.whyNoJoulesPerImage(rows) + ")";
    }

    private String label(Row r) {
        return r.model() + " / " + r.engine() + (severalGpus ? " / " + r.gpu() : "");
    }

    private static Color color(int i) {
        return Plot.PALETTE[i % Plot.PALETTE.length];
    }

    /**
     * The batch and power figures' colours: one per model, in name order, the same in each of them (of all the rows, so
     * a model missing from one figure does not shift the others); past the palette's size colours repeat.
     */
    private Map<String, Color> modelColors() {
        Map<String, Color> m = new LinkedHashMap<>();
        new TreeSet<>(rows.stream().map(Row::model).toList()).forEach(model -> m.put(model, color(m.size())));
        return m;
    }

    /** What the batch and power figures tell apart by line and marker: the engine, and the GPU where there are several. */
    private String variant(Row r) {
        return r.engine() + (severalGpus ? " / " + r.gpu() : "");
    }

    /** The variants in {@link #ENGINE_ORDER} (then GPU name), the first solid with discs: see {@link Plot#DASHES}. */
    private List<String> variants() {
        List<String> order = engines(rows);
        return rows.stream().sorted(Comparator.comparingInt((Row r) -> order.indexOf(r.engine())).thenComparing(Row::gpu))
                .map(this::variant).distinct().toList();
    }

    /**
     * A figure of one series per (model, variant): colour by model, line and marker by variant. The legend lists the
     * models shown (colours), then the variants shown (lines and markers, in ink): two short lists, not one row per
     * series. seriesRows and seriesPoints: the rows and the points of each series, by its name.
     */
    private void addByModelAndVariant(Plot p, Map<String, List<Row>> seriesRows, Map<String, List<Pt>> seriesPoints,
            Style style) {
        Map<String, Color> colors = modelColors();
        List<String> variants = variants();
        TreeSet<String> models = new TreeSet<>();
        TreeSet<Integer> shown = new TreeSet<>();
        seriesPoints.forEach((name, pts) -> {
            Row r = seriesRows.get(name).get(0);
            int v = variants.indexOf(variant(r));
            models.add(r.model());
            shown.add(v);
            p.series.add(new Series(name, colors.get(r.model()), style, pts, dash(v), marker(v)));
        });
        if (models.isEmpty()) {
            return;
        }
        if (models.size() <= Plot.PALETTE.length) {
            p.legend.add(Key.heading("colour: model"));
            models.forEach(m -> p.legend.add(new Key(m, colors.get(m), null, null)));
        } else {
            // past the palette colours repeat: a key of models would give several one colour, and a row each
            p.notes.add(manyModels(models.size()));
        }
        p.legend.add(Key.heading(style == Style.MARKERS ? "marker: engine" : "line, marker: engine"));
        shown.forEach(v -> p.legend.add(new Key(variants.get(v), Plot.INK, style == Style.MARKERS ? null : dash(v), marker(v))));
    }

    /** The note of a batch or power figure of more models than colours, in place of the legend's models. */
    static String manyModels(int models) {
        return "colour: model; " + models + " models, more than the " + Plot.PALETTE.length
                + " colours, so no key of models: summary.md and summary.csv give each model's figures";
    }

    static Dash dash(int variant) {
        return Plot.DASHES[variant % Plot.DASHES.length];
    }

    static Marker marker(int variant) {
        return Plot.MARKERS[variant % Plot.MARKERS.length];
    }

    /** One colour per engine, in name order, the same in every figure. */
    private Map<String, Color> engineColors() {
        Map<String, Color> m = new LinkedHashMap<>();
        new TreeSet<>(rows.stream().map(Row::engine).toList()).forEach(e -> m.put(e, color(m.size())));
        return m;
    }

    /**
     * "best", or "best so far" where the table marks the best batch not final (at the top or bottom of its ladder), or
     * "best at --max-batch" where it is final at the top of a ladder the sweep stopped at its cap.
     */
    private String bestLabel(Row r) {
        if (!r.best()) {
            return null;
        }
        return !ladders.finished(r) ? "best so far" : ladders.atMaxBatch(r) ? BEST_AT_MAX_BATCH : "best";
    }

    static final String BEST_AT_MAX_BATCH = "best at --max-batch";

    private void batchFigures() {
        Plot j = new Plot("1a. Energy per image against batch size", "batch size (log2)", Scale.LOG2, "J/img", Scale.LOG10);
        Plot t = new Plot("1b. Throughput against batch size", "batch size (log2)", Scale.LOG2, "img/s", Scale.LOG10);
        Map<String, List<Row>> groups = rows.stream().collect(Collectors.groupingBy(this::label, TreeMap::new, Collectors.toList()));
        List<Row> single = new ArrayList<>();
        Map<String, List<Pt>> throughput = new LinkedHashMap<>();
        Map<String, List<Pt>> energy = new LinkedHashMap<>();
        for (Map.Entry<String, List<Row>> g : groups.entrySet()) {
            if (g.getValue().size() < 2) {
                single.add(g.getValue().get(0));
                continue;
            }
            // a time mode's result has no img/s (Row.of): no point, rather than a curve with nothing drawn; a best
            // batch chosen by img/s (no batch of its ladder has a J/img) is labelled here, where it is drawn
            List<Pt> rate = g.getValue().stream().filter(r -> !Double.isNaN(r.imgPerSec()))
                    .map(r -> new Pt(r.batch(), r.imgPerSec(), r.hasEnergy() ? null : bestLabel(r))).toList();
            if (!rate.isEmpty()) {
                throughput.put(g.getKey(), rate);
            }
            List<Pt> e = g.getValue().stream().filter(Row::hasEnergy)
                    .map(r -> new Pt(r.batch(), r.joulesPerImage(), bestLabel(r))).toList();
            if (!e.isEmpty()) {
                energy.put(g.getKey(), e);
            }
        }
        addByModelAndVariant(t, groups, throughput, Style.LINE_MARKERS);
        addByModelAndVariant(j, groups, energy, Style.LINE_MARKERS);
        if (!single.isEmpty()) {
            String note = "no curve for " + single.size() + " configuration(s) measured at one batch size only (batch "
                    + single.stream().map(Row::batch).distinct().sorted().map(String::valueOf).collect(Collectors.joining(", "))
                    + "); figure 2 and the table show them";
            j.notes.add(note);
            t.notes.add(note);
        }
        if (!j.hasData() && rows.stream().noneMatch(Row::hasEnergy)) {
            j.notes.add(noEnergy());
        }
        if (rows.stream().anyMatch(r -> Double.isNaN(r.imgPerSec()))) {
            t.notes.add(NO_RATE);
        }
        figures.add(new Figure("batch-energy", "J/img against batch size", j));
        figures.add(new Figure("batch-throughput", "img/s against batch size", t));
    }

    /** The note of a figure of img/s where some results have none. */
    static final String NO_RATE = "not drawn: results of a time mode (-bm avgt, ss), whose score is no img/s; "
            + "the table shows their J/img";

    private void powerFigure() {
        Plot p = new Plot("2. Throughput against energy per image, labelled with average power", "J/img (log)", Scale.LOG10,
                "img/s (log)", Scale.LOG10);
        // a point needs both figures: a time mode's result has J/img but no img/s (Row.of)
        List<Row> drawn = rows.stream().filter(r -> r.hasEnergy() && !Double.isNaN(r.imgPerSec())).toList();
        Map<String, List<Row>> groups = drawn.stream()
                .collect(Collectors.groupingBy(this::label, TreeMap::new, Collectors.toList()));
        Map<String, List<Pt>> points = new LinkedHashMap<>();
        groups.forEach((name, rs) -> points.put(name, rs.stream()
                .map(r -> new Pt(r.joulesPerImage(), r.imgPerSec(), wattsLabel(r.averageWatts()))).toList()));
        addByModelAndVariant(p, groups, points, Style.MARKERS);
        double lo = drawn.stream().mapToDouble(Row::joulesPerImage).min().orElse(Double.NaN);
        double hi = drawn.stream().mapToDouble(Row::joulesPerImage).max().orElse(Double.NaN);
        TreeSet<Double> limits = new TreeSet<>(rows.stream().map(Row::powerLimitW).filter(Double::isFinite).toList());
        for (double w : limits) {
            // img/s × J/img = W: at the power limit, img/s = P / (J/img), a straight line on log-log axes.
            List<Pt> curve = new ArrayList<>();
            for (int k = 0; k <= 40; k++) {
                double x = lo / 4 * Math.pow(hi * 16 / lo, k / 40.0);
                curve.add(new Pt(x, w / x, null));
            }
            String watts = w == Math.rint(w) ? String.valueOf((long) w) : Summary.num(w); // 700, 312.5
            p.series.add(new Series("power limit " + watts + " W", Plot.INK, Style.GUIDE, curve));
            // the line above each point is in view, however far below the limit the points draw (launch-bound
            // batches at a fifth of it): a point's distance below it is what the figure shows
            drawn.forEach(r -> p.yInclude.add(w / r.joulesPerImage()));
        }
        p.notes.add(limits.isEmpty() ? "no gpu.power_limit_w in the results' environment: no power-limit line"
                : "dashed: img/s x J/img = power limit (the paper's TDP line); a point on it draws the full power limit");
        if (rows.stream().anyMatch(r -> r.hasEnergy() && Double.isNaN(r.imgPerSec()))) {
            p.notes.add(NO_RATE);
        }
        if (!p.hasData() && rows.stream().noneMatch(Row::hasEnergy)) {
            p.notes.add(noEnergy());
        }
        figures.add(new Figure("power", "img/s against J/img with the power limit", p));
    }

    /**
     * At most this many names in a figure's note: a longer list cannot be read on a figure (summary.csv and summary.md
     * name every configuration), and JFreeChart's wrapping of a note takes time that grows with the square of its
     * length, seconds a figure for a sweep of thousands of models.
     */
    static final int NAMES_IN_A_NOTE = 20;

    /** The names joined with commas, the first {@link #NAMES_IN_A_NOTE} of a longer list and how many more there are. */
    static String named(Collection<String> names) {
        String shown = names.stream().limit(NAMES_IN_A_NOTE).collect(Collectors.joining(", "));
        return names.size() <= NAMES_IN_A_NOTE ? shown : shown + " and " + (names.size() - NAMES_IN_A_NOTE) + " more";
    }

    /** "544 W"; "avg W n/a" where the result has no average power (Math.round would make NaN 0 W). */
    static String wattsLabel(double watts) {
        return Double.isNaN(watts) ? "avg W n/a" : Math.round(watts) + " W";
    }

    private void accuracyFigure() {
        Plot p = new Plot("3. ImageNet top-1 against energy per image (best batch per model and engine)",
                "J/img (log)", Scale.LOG10, "top-1 %", Scale.LINEAR);
        Map<String, Color> colors = engineColors();
        Map<String, List<Pt>> byEngine = new LinkedHashMap<>();
        for (Row r : best) {
            Catalog.Entry e = catalog.get(r.model());
            if (e == null || Double.isNaN(e.top1())) {
                String why = e == null ? "not in the catalog" : "top1 empty in the catalog";
                noTop1.add(r.model() + " (" + why + ")");
                unranked.add(r.model() + " (no top-1: " + why + ")");
                continue;
            }
            accuracyPoints.add(new Point(label(r), r.joulesPerImage(), e.top1()));
            byEngine.computeIfAbsent(r.engine(), k -> new ArrayList<>()).add(new Pt(r.joulesPerImage(), e.top1(), r.model()));
        }
        byEngine.forEach((engine, pts) -> p.series.add(new Series(engine, colors.get(engine), Style.MARKERS, pts)));
        List<Point> front = Efficiency.paretoFront(accuracyPoints);
        if (front.size() > 1) {
            p.series.add(new Series("Pareto front", Plot.INK, Style.GUIDE,
                    front.stream().map(f -> new Pt(f.joulesPerImage(), f.top1(), null)).toList()));
        }
        p.notes.add("Pareto front: " + named(front.stream().map(Point::name).toList()));
        // the suite measures timm models with random weights (energy does not depend on their values); the
        // accuracy is the catalog's published figure for the pretrained weights, as in the paper
        p.notes.add("top-1: published ImageNet figures from the catalog (top1_source), not measured here");
        if (!noTop1.isEmpty()) {
            p.notes.add("no top-1 for: " + named(noTop1));
        }
        figures.add(new Figure("accuracy", "top-1 against J/img, Pareto front, efficiency score", p));
    }

    /**
     * Adds to {@link #unranked} the configurations that have no point to rank: no J/img at any batch size (its best
     * batch chosen by img/s), or named by a not-run list and measured by no result.
     */
    private void unrankedConfigurations(List<NotRun> notRun) {
        rows.stream().filter(Row::plotted).collect(Collectors.groupingBy(Row::configuration)).values().stream()
                .filter(rs -> rs.stream().noneMatch(Row::hasEnergy))
                .forEach(rs -> unranked.add(label(rs.get(0)) + " (no J/img: " + Row.whyNoJoulesPerImage(rs) + ")"));
        Map<String, SortedSet<String>> notRunKinds = new TreeMap<>();
        for (NotRun n : notRun) {
            String model = n.param(ParamNames.MODEL);
            String engine = n.param(ParamNames.ENGINE);
            if (model.isBlank() || engine.isBlank()) {
                continue; // another benchmark's: the report's not-run section lists it
            }
            List<Row> measured = rows.stream().filter(r -> r.model().equals(model) && r.engine().equals(engine)).toList();
            // an entry that names no GPU (the CPU, a machine without one) is about any GPU's results
            if (measured.stream().noneMatch(r -> n.gpu() == null || n.gpu().equals(r.gpu()))) {
                // its GPU is named where the results' labels name theirs, and where another GPU has results of the
                // configuration, which the ranking and this line name by model / engine alone
                String name = model + " / " + engine
                        + (n.gpu() != null && (severalGpus || !measured.isEmpty()) ? " / " + n.gpu() : "");
                notRunKinds.computeIfAbsent(name, k -> new TreeSet<>()).add(n.kind().label());
            }
        }
        notRunKinds.forEach((name, kinds) -> unranked.add(name + " (not run: " + String.join(", ", kinds) + ")"));
    }

    /** "Left out: a (why), b (why).": the line under each efficiency ranking; null where they leave out nothing. */
    String unrankedLine() {
        return unranked.isEmpty() ? null : "Left out: " + String.join(", ", unranked) + ".";
    }

    /** The paper's pair first; then each engine to the next one in this order (others after it, by name). */
    static final List<String> ENGINE_ORDER = List.of("pytorch-fp32", "pytorch-opt-fp32", "pytorch-fp16",
            "pytorch-opt-fp16", "tensorrt-fp16");

    /**
     * The engine pairs (A, B) of the reduction figures: the requested one; else the paper's (pytorch-fp32,
     * tensorrt-fp16) and each step between engines adjacent in {@link #ENGINE_ORDER} among those present, each
     * kept only when some model has a best batch for both engines. Empty when no model has two engines.
     */
    static List<String[]> enginePairs(List<Row> best, String a, String b) {
        if (a != null) {
            return List.<String[]>of(new String[] {a, b});
        }
        List<String> present = engines(best);
        List<String[]> candidates = new ArrayList<>();
        candidates.add(new String[] {"pytorch-fp32", "tensorrt-fp16"});
        for (int i = 1; i < present.size(); i++) {
            candidates.add(new String[] {present.get(i - 1), present.get(i)});
        }
        List<String[]> pairs = new ArrayList<>();
        for (String[] p : candidates) {
            boolean shared = best.stream().filter(r -> r.engine().equals(p[0]))
                    .anyMatch(r -> best.stream().anyMatch(o -> o.engine().equals(p[1]) && o.gpu().equals(r.gpu())
                            && o.model().equals(r.model())));
            if (shared && pairs.stream().noneMatch(q -> q[0].equals(p[0]) && q[1].equals(p[1]))) {
                pairs.add(p);
            }
        }
        return pairs;
    }

    /** The engines of these rows in {@link #ENGINE_ORDER} (others after it, by name). */
    static List<String> engines(List<Row> rows) {
        return rows.stream().map(Row::engine).distinct()
                .sorted(Comparator.comparingInt((String e) -> ENGINE_ORDER.contains(e) ? ENGINE_ORDER.indexOf(e)
                        : ENGINE_ORDER.size()).thenComparing(Comparator.naturalOrder())).toList();
    }

    /** The best-batch table: every engine's best batch per GPU and model, the reduction figures' factors. */
    String bestBatchMarkdown() {
        return BestBatchTable.markdown(bestBatches, ladders, engines(bestBatches), pairs);
    }

    List<String> bestBatchHeader() {
        return BestBatchTable.header(engines(bestBatches), pairs);
    }

    List<String[]> bestBatchCells() {
        return BestBatchTable.cells(bestBatches, ladders, engines(bestBatches), pairs);
    }

    private void reductionFigures(String engineA, String engineB) {
        pairs = enginePairs(best, engineA, engineB);
        if (pairs.isEmpty()) {
            Plot p = new Plot("4. J/img reduction factor between engines", "J/img of A / J/img of B", Scale.LINEAR,
                    "model", Scale.LINEAR);
            p.notes.add("no model has J/img for two engines: no reduction factor");
            figures.add(new Figure("reduction", "reduction factor of J/img between two engines", p));
        }
        for (String[] pair : pairs) {
            reductionFigure(pair[0], pair[1]);
        }
        if (pairs.stream().noneMatch(p -> p[0].equals("pytorch-fp32") && p[1].equals("tensorrt-fp16"))) {
            findings.add("no model has J/img for both pytorch-fp32 and tensorrt-fp16"
                    + (rows.stream().noneMatch(r -> r.engine().equals("tensorrt-fp16")) ? " (tensorrt-fp16 absent)" : "")
                    + ": no counterpart to the paper's factor below");
        }
        findings.add(PAPER_REDUCTION + " (reference, not our measurement)");
    }

    /**
     * At most this many models in a reduction figure, a row each by name (a figure of about 1,000 px); a figure of more
     * draws each model at its rank, unnamed, at the usual height: the spread of the factors is what it can still show.
     */
    static final int MODELS_BY_NAME = 40;

    /** The note of a reduction figure of more than {@link #MODELS_BY_NAME} models. */
    static String manyRows(int models) {
        return models + " models, too many to name a row each (at most " + MODELS_BY_NAME + "): each model at its rank "
                + "by factor, lowest first; summary.md's best-batch table gives each model's factor";
    }

    private void reductionFigure(String engineA, String engineB) {
        Map<String, Row> a = new TreeMap<>();
        Map<String, Row> b = new TreeMap<>();
        for (Row r : best) {
            String key = r.model() + (severalGpus ? " / " + r.gpu() : "");
            if (r.engine().equals(engineA)) {
                a.put(key, r);
            } else if (r.engine().equals(engineB)) {
                b.put(key, r);
            }
        }
        FactorSummary summary = FactorSummary.of(a, b, ladders);
        List<String> keys = summary.factors().entrySet().stream().sorted(Map.Entry.comparingByValue())
                .map(Map.Entry::getKey).toList();
        boolean byName = keys.size() <= MODELS_BY_NAME;
        Plot p = new Plot("4. J/img reduction factor " + engineA + " -> " + engineB + " per model (best batch each)",
                "J/img of " + engineA + " / J/img of " + engineB, Scale.LINEAR,
                byName ? "model" : "model's rank by factor", Scale.LINEAR);
        // a factor from a best batch that may still move is plotted, but kept out of the mean
        List<Pt> pts = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            pts.add(new Pt(summary.factors().get(keys.get(i)), i, summary.label(keys.get(i))));
            if (byName) {
                p.yCategories.add(new Tick(i, keys.get(i)));
            }
        }
        if (byName) {
            p.height = Math.max(300, 170 + 22 * keys.size());
        } else {
            p.notes.add(manyRows(keys.size()));
        }
        p.series.add(new Series("per model", color(0), Style.MARKERS, pts));
        Map<String, Double> meaned = summary.inMean();
        String leftOut = summary.leftOut().isEmpty() ? "" : "; " + named(summary.leftOut()) + " "
                + FactorSummary.LEFT_OUT;
        if (keys.isEmpty()) {
            p.notes.add("no model has J/img for both " + engineA + " and " + engineB);
        } else if (meaned.isEmpty()) {
            String ours = "ours: " + engineA + " -> " + engineB + ": no factor with a final best batch" + leftOut;
            p.notes.add(ours);
            findings.add(ours);
        } else {
            double gm = summary.geometricMean();
            String ours = (meaned.size() == 1
                    ? String.format(Locale.ROOT, "ours: %s -> %s: %.2fx (1 model: %s%s; no geometric std", engineA,
                            engineB, gm, meaned.keySet().iterator().next(),
                            summary.inMeanAtMaxBatch().isEmpty() ? "" : ", " + FactorSummary.AT_MAX_BATCH)
                    : String.format(Locale.ROOT, "ours: %s -> %s: geometric mean %.2fx, geometric std %.2f (%s",
                            engineA, engineB, gm, summary.geometricStd(), summary.modelsInMean(true))) + leftOut + ")";
            p.notes.add(ours);
            findings.add(ours);
            p.series.add(new Series(String.format(Locale.ROOT, "geometric mean %.2fx", gm), color(3), Style.GUIDE,
                    List.of(new Pt(gm, -1, null), new Pt(gm, keys.size(), null))));
        }
        if (!keys.isEmpty()) {
            p.xInclude.add(1.0);
            p.series.add(new Series("no reduction (1x)", Plot.INK, Style.GUIDE,
                    List.of(new Pt(1, -1, null), new Pt(1, keys.size(), null))));
        }
        p.notes.add(PAPER_REDUCTION + " (reference, not our measurement)");
        // an engine is a result's parameter, any text: its PNG file and HTML anchor take it as a file name's part
        figures.add(new Figure("reduction-" + FileNames.part(engineA) + "-to-" + FileNames.part(engineB), "reduction factor of J/img from " + engineA
                + " to " + engineB, p));
    }

    private void naiveFigure() {
        Plot p = new Plot("5. Naive estimate (FLOPs / peak FLOP/s x power limit) against measured J/img (best batch)",
                "measured J/img (log)", Scale.LOG10, "naive J/img (log)", Scale.LOG10);
        Map<String, Color> colors = engineColors();
        Map<String, List<Pt>> byEngine = new LinkedHashMap<>();
        List<Double> ratios = new ArrayList<>();
        TreeSet<String> skipped = new TreeSet<>();
        for (Row r : best) {
            Catalog.Entry e = catalog.get(r.model());
            double peak = PeakFlops.teraflops(r.gpu(), r.peakPrecision());
            if (e == null || Double.isNaN(e.gmacs())) {
                skipped.add(r.model() + (e == null ? " (not in the catalog)" : " (gmacs empty in the catalog)"));
            } else if (r.peakPrecision() == null) {
                skipped.add(r.model() + " / " + r.engine() + " (no " + EnvironmentKeys.PRECISION + " recorded)");
            } else if (Double.isNaN(peak)) {
                skipped.add(r.ranOnCpu() ? "results " + BestBatchRule.ON_CPU + " (no peak FLOP/s: the table holds GPUs only)"
                        : r.gpu().isEmpty() ? "results that name no GPU (no " + EnvironmentKeys.GPU_NAME + " recorded)"
                        : GpuModel.wholeGpu(r.gpu()) ? "GPU '" + r.gpu() + "' (no peak FLOP/s in the table)"
                        : "GPU '" + r.gpu() + "' (a MIG instance, or MIG mode unknown: the table holds whole GPUs' peaks only)");
            } else if (Double.isNaN(r.powerLimitW())) {
                skipped.add(r.model() + " (no gpu.power_limit_w)");
            } else {
                double naive = Efficiency.naiveJoulesPerImage(e.gmacs(), peak, r.powerLimitW());
                ratios.add(r.joulesPerImage() / naive);
                byEngine.computeIfAbsent(r.engine(), k -> new ArrayList<>()).add(new Pt(r.joulesPerImage(), naive, r.model()));
            }
        }
        byEngine.forEach((engine, pts) -> p.series.add(new Series(engine, colors.get(engine), Style.MARKERS, pts)));
        double lo = byEngine.values().stream().flatMap(List::stream).mapToDouble(pt -> Math.min(pt.x(), pt.y())).min().orElse(1);
        double hi = byEngine.values().stream().flatMap(List::stream).mapToDouble(pt -> Math.max(pt.x(), pt.y())).max().orElse(1);
        List<Pt> diagonal = new ArrayList<>();
        for (int k = 0; k <= 20; k++) {
            double x = lo / 10 * Math.pow(hi * 100 / lo, k / 20.0);
            diagonal.add(new Pt(x, x, null));
        }
        p.series.add(new Series("naive = measured", Plot.INK, Style.GUIDE, diagonal));
        if (!ratios.isEmpty()) {
            double u = Efficiency.geometricMean(ratios.stream().mapToDouble(Double::doubleValue).toArray());
            String ours = String.format(Locale.ROOT, "ours: the naive estimate underestimates measured J/img by %.2fx "
                    + "(geometric mean of measured/naive, %d model-engine pair%s)", u, ratios.size(), ratios.size() == 1 ? "" : "s");
            p.notes.add(ours);
            findings.add(ours);
        }
        p.notes.add(PAPER_NAIVE + " (reference)");
        if (!skipped.isEmpty()) {
            p.notes.add("no estimate for: " + named(skipped));
        }
        figures.add(new Figure("naive", "naive estimate against measurement", p));
    }
}
