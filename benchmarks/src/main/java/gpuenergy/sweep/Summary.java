package gpuenergy.sweep;

import gpuenergy.results.AtomicWrite;
import gpuenergy.results.Csv;
import gpuenergy.results.Numbers;
import gpuenergy.results.SweepResults;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The end of a sweep: per model and engine, the best batch size and where its ladder ended, printed as a
 * table and written to DIR/summary.csv.
 */
final class Summary {
    static final String FILE = SweepResults.SUMMARY;
    static final String HEADER = "model,engine,best_batch,ranked_by,j_per_img,img_per_s,avg_w,batch_sizes_measured,"
            + "ladder_end,result_file,note";

    /** One model and engine: what was measured, the choice, and how its ladder ended (may be empty). */
    record Row(String model, String engine, List<Measurement> measured, BestBatch best, String ladderEnd, String resultFile) {
    }

    private Summary() {}

    /** The figures at full precision (Java's shortest exact form), for programs; the console shows {@link Numbers#plain}. */
    static String csv(List<Row> rows) {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        for (Row r : rows) {
            BestBatch b = r.best();
            sb.append(String.join(",", Csv.field(r.model()), Csv.field(r.engine()),
                    b == null ? "" : String.valueOf(b.best().batchSize()),
                    b == null ? "" : (b.byEnergy() ? "J/img" : "img/s"),
                    b == null || !b.best().hasEnergy() ? "" : String.valueOf(b.best().jPerImg()),
                    b == null ? "" : String.valueOf(b.best().imagesPerSecond()),
                    b == null || !Double.isFinite(b.best().avgW()) ? "" : String.valueOf(b.best().avgW()),
                    Csv.field(batchList(r.measured())), Csv.field(r.ladderEnd()), Csv.field(r.resultFile()),
                    Csv.field(note(r)))).append('\n');
        }
        return sb.toString();
    }

    static void write(Path dir, List<Row> rows) throws IOException {
        AtomicWrite.writeString(dir.resolve(FILE), csv(rows));
    }

    static void print(PrintStream out, List<Row> rows) {
        out.println();
        out.println("Best batch size per model and engine (lowest energy.J/img; img/s where energy was not measured):");
        out.println(String.format(Locale.ROOT, "%-30s %-16s %7s %12s %12s %8s  %s", "model", "engine", "batch",
                "J/img", "img/s", "avg W", "ladder end / note"));
        for (Row r : rows) {
            BestBatch b = r.best();
            if (b == null) {
                out.println(String.format(Locale.ROOT, "%-30s %-16s %7s %12s %12s %8s  %s", r.model(), r.engine(), "-", "-", "-", "-",
                        r.ladderEnd().isEmpty() ? note(r)
                                : r.measured().isEmpty() ? r.ladderEnd() : r.ladderEnd() + "; " + note(r)));
                continue;
            }
            Measurement m = b.best();
            out.println(String.format(Locale.ROOT, "%-30s %-16s %7d %12s %12s %8s  %s", r.model(), r.engine(), m.batchSize(),
                    m.hasEnergy() ? Numbers.plain(m.jPerImg()) : "n/a",
                    Numbers.plain(m.imagesPerSecond()), Double.isFinite(m.avgW()) ? Numbers.plain(m.avgW()) : "n/a",
                    (r.ladderEnd().isEmpty() ? "" : r.ladderEnd() + "; ") + b.note()));
        }
    }

    /** The choice's note; where none was chosen, whether nothing was measured or nothing measured can be ranked. */
    private static String note(Row r) {
        return r.best() != null ? r.best().note()
                : r.measured().isEmpty() ? "nothing measured" : "no J/img nor img/s to rank by";
    }

    private static String batchList(List<Measurement> measured) {
        return measured.stream().map(Measurement::batchSize).sorted(Comparator.naturalOrder())
                .map(String::valueOf).reduce((a, b) -> a + " " + b).orElse("");
    }
}
