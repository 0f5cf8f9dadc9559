package gpuenergy.report;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * index.html: self-contained (inline SVG plots, each in a div of class "plot", inline CSS and a little vanilla JS; no
 * network). The script re-ranks the accuracy figure's points by the efficiency score when the weight slider moves, and
 * by accuracy per joule above an adjustable minimum top-1. It records script errors into #errors and, when done, sets
 * body[data-rendered] to the number of plots, so a headless browser can check the page. At the scale of a study of
 * many models the page keeps what a reader can open and search: a figure of more than {@link #SVG_POINTS} points is
 * its PNG image, the input files and the summary table of more than {@link #ROWS} rows are left to summary.md and
 * summary.csv, and each ranking shows its top {@link #RANKED} points; a note says so where each would be.
 */
final class HtmlPage {
    private HtmlPage() {}

    /**
     * A figure of more points (markers; guide lines do not count) than this is on the page as its PNG image: each point
     * is about 0.6 kB of SVG (a filled and an outlined path), so 1,000 points make 0.6 MB, and a study of 1,200 models
     * draws 7,200 in each batch figure (4.9 MB); the PNG of such a figure is 40 to 280 kB, and beyond
     * {@link Plot#LABELLED_POINTS} the figure has no label to search.
     */
    static final int SVG_POINTS = 1000;

    /**
     * A list of input files or a summary table of more rows than this is not on the page (a study of 1,200 models has
     * 7,200 of each, 2.5 MB of HTML): summary.md and summary.csv hold them; the best batch per model stays.
     */
    static final int ROWS = 1000;

    /**
     * Each ranking on the page (efficiency score, accuracy per joule) shows its top this many points: a study of 1,200
     * models x 3 engines ranks 3,600, and rebuilding two tables of 3,600 rows (36,000 cells) at each move of the
     * slider makes it lag, for rows no reader scans; summary.md ranks every point, at W = 0.5 and by accuracy per joule.
     */
    static final int RANKED = 100;

    /** The note of a figure drawn as its PNG image. */
    static String asImage(long points) {
        return "Drawn as an image (its PNG): " + points + " points, more than the " + SVG_POINTS + " the page draws as "
                + "vector graphics; summary.csv and summary.md give each point's figures.";
    }

    /** The note in place of the list of input files. */
    static String inputsLeftOut(int files) {
        return files + " files, more than the " + ROWS + " a list on this page shows: summary.md lists them (Inputs), "
                + "and summary.csv's source column names each row's file.";
    }

    /** The note in place of the summary table, as HTML: it links the two files that give every row. */
    static String summaryLeftOut(int rows, boolean bestBatch) {
        return rows + " rows, more than the " + ROWS + " a table on this page shows: <a href=\"summary.csv\">summary.csv</a>"
                + " and <a href=\"summary.md\">summary.md</a> give every row"
                + (bestBatch ? "; the best batch per model and engine is in the table above." : ".");
    }

    /**
     * The note under a ranking of more than {@link #RANKED} points, as HTML: the script keeps the count of ranked points
     * (the span) and hides the note when they are {@link #RANKED} or fewer, as a minimum top-1 may leave them.
     * efficiency: the efficiency score's ranking, else accuracy per joule's; summary.md gives each whole.
     */
    static String rankingCut(int ranked, boolean efficiency) {
        return "top " + RANKED + " of <span>" + ranked + "</span> shown, the most a ranking on this page shows: "
                + "<a href=\"summary.md\">summary.md</a> ranks every point "
                + (efficiency ? "at W = 0.5." : "by accuracy per joule, with no minimum top-1.");
    }

    /** pngs: each figure's PNG file by its name (ID.png), for the figures of more than {@link #SVG_POINTS} points. */
    static String render(ReportCommand.Inputs inputs, Charts charts, List<Row> rows, Validation validation,
            Map<String, byte[]> pngs) {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>GPU inference energy report</title>\n")
                .append("<style>body{font-family:DejaVu Sans,Arial,sans-serif;margin:24px;max-width:1100px;color:#222}")
                .append("table{border-collapse:collapse;font-size:12px}td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}")
                .append("td:nth-child(-n+3),th{text-align:left}section{margin:28px 0}.controls{margin:8px 0}")
                .append("#errors{color:#b00}</style>\n")
                // First script: catch errors of everything after it.
                .append("<script>window.addEventListener('error',function(e){var u=document.getElementById('errors');")
                .append("var li=document.createElement('li');li.textContent=String(e.message);if(u){u.appendChild(li);}")
                .append("document.documentElement.setAttribute('data-errors','yes');});</script>\n")
                .append("</head>\n<body data-rendered=\"0\">\n<h1>GPU inference energy report</h1>\n<ul id=\"errors\"></ul>\n");
        h.append("<details><summary>Inputs (").append(inputs.files().size()).append(" files under <code>")
                .append(esc(inputs.displayDirectory())).append("</code>)</summary><ul>\n");
        if (inputs.files().size() <= ROWS) {
            inputs.files().forEach(f -> h.append("<li>").append(esc(f)).append("</li>\n"));
        } else {
            h.append("<li>").append(esc(inputsLeftOut(inputs.files().size()))).append("</li>\n");
        }
        h.append("</ul></details>\n<ul>\n");
        for (String f : charts.findings) {
            h.append("<li>").append(esc(f)).append("</li>\n");
        }
        h.append("</ul>\n");
        inputs.sections().forEach((heading, lines) -> {
            h.append("<h2>").append(esc(heading)).append("</h2>\n<ul>\n");
            lines.forEach(n -> h.append("<li>").append(esc(n)).append("</li>\n"));
            h.append("</ul>\n");
        });
        if (!inputs.environment().isEmpty()) {
            environment(h, inputs.environment());
        }
        for (Charts.Figure f : charts.figures) {
            long points = f.plot().series.stream().filter(s -> s.style() != Plot.Style.GUIDE)
                    .mapToLong(s -> s.points().size()).sum();
            boolean image = points > SVG_POINTS;
            h.append("<section id=\"fig-").append(f.id()).append("\">\n<h2>").append(esc(f.heading())).append("</h2>\n")
                    .append("<div class=\"plot\">").append(image ? image(f, pngs.get(f.id() + ".png"))
                            : PlotChart.svg(f.plot(), f.id())).append("</div>")
                    .append("\n<p><a href=\"").append(f.id()).append(".png\">PNG</a></p>\n");
            if (image) {
                h.append("<p>").append(esc(asImage(points))).append("</p>\n");
            }
            if (f.id().equals("accuracy")) {
                int ranked = charts.accuracyPoints.size();
                h.append(EFFICIENCY_CONTROLS);
                if (ranked > RANKED) {
                    h.append("<p id=\"ranking-shown\">").append(rankingCut(ranked, true)).append("</p>\n");
                }
                h.append(PER_JOULE_CONTROLS);
                if (ranked > RANKED) {
                    h.append("<p id=\"per-joule-shown\">").append(rankingCut(ranked, false)).append("</p>\n");
                }
                if (charts.unrankedLine() != null) {
                    h.append("<p id=\"unranked\">").append(esc(charts.unrankedLine())).append("</p>\n");
                }
            }
            h.append("</section>\n");
        }
        if (rows.stream().anyMatch(Row::best)) {
            h.append("<section id=\"best-batch\"><h2>Best batch per model</h2>\n<p>").append(esc(BestBatchTable.INTRO))
                    .append("</p>\n");
            table(h, charts.bestBatchHeader().toArray(String[]::new), charts.bestBatchCells());
            h.append("</section>\n");
        }
        h.append("<section><h2>Summary</h2>\n<p>").append(esc(Summary.INTRO)).append("</p>\n");
        if (rows.size() <= ROWS) {
            table(h, Summary.HEADER, Summary.cells(rows));
        } else {
            h.append("<p>").append(summaryLeftOut(rows.size(), rows.stream().anyMatch(Row::best))).append("</p>\n");
        }
        h.append("</section>\n");
        if (!validation.lines().isEmpty()) {
            h.append("<section id=\"validation\"><h2>Validation against Python eager</h2>\n<p>")
                    .append(esc(Validation.INTRO.replace("`", ""))).append("</p>\n<p>")
                    .append(esc(validation.counts())).append("</p>\n<ul>\n");
            validation.references().forEach(r -> h.append("<li>").append(esc(r)).append("</li>\n"));
            h.append("</ul>\n");
            table(h, Validation.HEADER, validation.cells());
            h.append("</section>\n");
        }
        h.append("<script type=\"application/json\" id=\"points\">").append(pointsJson(charts)).append("</script>\n");
        h.append("<script>\n").append(SCRIPT).append("</script>\n</body></html>\n");
        return h.toString();
    }

    private static void environment(StringBuilder h, EnvironmentRecord e) {
        h.append("<section id=\"environment\"><h2>").append(esc(EnvironmentRecord.HEADING)).append("</h2>\n<p>")
                .append(esc(EnvironmentRecord.INTRO)).append("</p>\n<p>").append(esc(e.commonLine())).append("</p>\n");
        if (!e.common().isEmpty()) {
            h.append("<ul>\n");
            e.common().forEach((k, v) -> h.append("<li>").append(esc(k)).append(": ").append(esc(v)).append("</li>\n"));
            h.append("</ul>\n");
        }
        if (!e.notRecorded().isEmpty()) {
            h.append("<p>").append(esc(e.notRecordedLine())).append("</p>\n");
        }
        if (!e.cells().isEmpty()) {
            table(h, e.header(), e.cells());
        }
        h.append("</section>\n");
    }

    /**
     * The figure's PNG in an SVG element of the figure's id and size, so that the page stays one file and counts it
     * among its plots (div.plot > svg) as it counts a drawn one.
     */
    private static String image(Charts.Figure f, byte[] png) {
        Plot p = f.plot().withoutOverlappingLabels();
        return "<svg id='" + f.id() + "' xmlns='http://www.w3.org/2000/svg' role='img' width='" + p.width() + "' height='"
                + p.height() + "' viewBox='0 0 " + p.width() + " " + p.height() + "'><title>" + esc(f.heading())
                + "</title><image width='" + p.width() + "' height='" + p.height() + "' href='data:image/png;base64,"
                + Base64.getEncoder().encodeToString(png) + "'/></svg>";
    }

    private static void table(StringBuilder h, String[] header, List<String[]> rows) {
        h.append("<table><tr>");
        for (String c : header) {
            h.append("<th>").append(esc(c)).append("</th>");
        }
        h.append("</tr>\n");
        for (String[] r : rows) {
            h.append("<tr>");
            for (String c : r) {
                h.append("<td>").append(esc(c)).append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</table>\n");
    }

    /** Gson escapes <, > and & as \\u003c etc., so no value can close the script element. */
    private static String pointsJson(Charts charts) {
        JsonArray a = new JsonArray();
        for (Efficiency.Point p : charts.accuracyPoints) {
            JsonObject o = new JsonObject();
            o.addProperty("name", p.name());
            o.addProperty("j", p.joulesPerImage());
            o.addProperty("top1", p.top1());
            a.add(o);
        }
        return new Gson().toJson(a);
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    static final String EFFICIENCY_CONTROLS = """
            <p>Efficiency score: a weighted Manhattan distance to the ideal point (highest top-1, lowest J/img).
            Both axes are min-max normalised over the points shown: a = (top1 - min) / (max - min);
            e = (log10 J/img - min) / (max - min), on the log axis of the plot.
            score = W &middot; (1 - a) + (1 - W) &middot; e; 0 is ideal, lower is better.</p>
            <div class="controls"><label>accuracy weight W
            <input type="range" id="weight" min="0" max="1" step="0.05" value="0.5"></label>
            <output id="weight-value">0.5</output></div>
            <table><thead><tr><th>rank</th><th>model / engine</th><th>score</th><th>top-1 %</th><th>J/img</th></tr></thead>
            <tbody id="ranking"></tbody></table>
            """;

    static final String PER_JOULE_CONTROLS = """
            <p>Accuracy per joule (top-1 % per J/img) of the models at or above a minimum top-1:</p>
            <div class="controls"><label>minimum top-1 %
            <input type="number" id="min-top1" min="0" max="100" step="0.5" value="0"></label></div>
            <table><thead><tr><th>rank</th><th>model / engine</th><th>top-1 % per J/img</th><th>top-1 %</th><th>J/img</th></tr></thead>
            <tbody id="per-joule"></tbody></table>
            """;

    /**
     * Mirrors Efficiency.rankByEfficiency and rankByAccuracyPerJoule; keep the two in step. Each move of a control
     * ranks every point and builds the top {@link #RANKED} rows of each table in one fragment.
     */
    static final String SCRIPT = """
            (function () {
              var TOP = %d;
              var points = JSON.parse(document.getElementById('points').textContent);
              function byName(a, b) { return a.p.name < b.p.name ? -1 : a.p.name > b.p.name ? 1 : 0; }
              function efficiency(w) {
                var a = points.map(function (p) { return p.top1; });
                var e = points.map(function (p) { return Math.log10(p.j); });
                var aMin = Math.min.apply(null, a), aMax = Math.max.apply(null, a);
                var eMin = Math.min.apply(null, e), eMax = Math.max.apply(null, e);
                return points.map(function (p) {
                  var an = aMax > aMin ? (p.top1 - aMin) / (aMax - aMin) : 1;
                  var en = eMax > eMin ? (Math.log10(p.j) - eMin) / (eMax - eMin) : 0;
                  return { p: p, score: w * (1 - an) + (1 - w) * en };
                }).sort(function (x, y) { return x.score - y.score || byName(x, y); });
              }
              function perJoule(min) {
                return points.filter(function (p) { return p.top1 >= min; })
                  .map(function (p) { return { p: p, score: p.top1 / p.j }; })
                  .sort(function (x, y) { return y.score - x.score || byName(x, y); });
              }
              function fill(id, ranked, digits) {
                var rows = document.createDocumentFragment();
                ranked.slice(0, TOP).forEach(function (r, i) {
                  var tr = document.createElement('tr');
                  tr.setAttribute('data-name', r.p.name);
                  [String(i + 1), r.p.name, r.score.toFixed(digits), r.p.top1.toFixed(2), r.p.j.toPrecision(4)]
                    .forEach(function (v) { var td = document.createElement('td'); td.textContent = v; tr.appendChild(td); });
                  rows.appendChild(tr);
                });
                var body = document.getElementById(id);
                body.textContent = '';
                body.appendChild(rows);
                var note = document.getElementById(id + '-shown');
                if (note) {
                  note.hidden = ranked.length <= TOP;
                  note.querySelector('span').textContent = String(ranked.length);
                }
              }
              var weight = document.getElementById('weight');
              var minTop1 = document.getElementById('min-top1');
              function update() {
                document.getElementById('weight-value').textContent = weight.value;
                fill('ranking', efficiency(parseFloat(weight.value)), 3);
                fill('per-joule', perJoule(parseFloat(minTop1.value) || 0), 1);
              }
              weight.addEventListener('input', update);
              minTop1.addEventListener('input', update);
              update();
              document.body.setAttribute('data-rendered', String(document.querySelectorAll('div.plot > svg').length));
            })();
            """.formatted(RANKED);
}
