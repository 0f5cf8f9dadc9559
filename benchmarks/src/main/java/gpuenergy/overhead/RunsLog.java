package gpuenergy.overhead;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import gpuenergy.results.JsonFile;
import gpuenergy.results.JsonLines;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * DIR/overhead-runs.jsonl: one line per run an overhead command made, {@code {"config", "round", "variant", "start"
 * (UTC), "outcome" (measured, or the not-run kind)}}, appended as each run ends. The interleaved order only balances a
 * drift when the runs were taken in it; a resumed directory may hold runs taken out of it (a run set aside and made
 * again, a failure retried), and the start times are what shows that.
 */
final class RunsLog {
    static final String FILE = "overhead-runs.jsonl";
    static final String MEASURED = "measured";

    /** One run: which, when it started, how it ended. */
    record Entry(Map<String, String> config, int round, String variant, Instant start, String outcome) {}

    private RunsLog() {}

    static void append(Path dir, Entry e) throws IOException {
        JsonObject line = new JsonObject();
        line.add("config", new Gson().toJsonTree(e.config()));
        line.addProperty("round", e.round());
        line.addProperty("variant", e.variant());
        line.addProperty("start", e.start().toString());
        line.addProperty("outcome", e.outcome());
        JsonLines.append(dir.resolve(FILE), line.toString());
    }

    /**
     * The log's entries. Its torn last line (a killed command's) is skipped, saying so on {@code notes}; lines that are
     * not a run's record are skipped with one warning there, naming the file and the first of them. The log is advisory,
     * unlike a sweep's: only the warning about runs taken out of order reads it, while the run files and
     * overhead.notrun.json hold what was measured and what failed; so a damaged line costs that check its run, and
     * refusing the directory for it would withhold the summary of every run measured there.
     */
    static List<Entry> read(Path dir, PrintStream notes) throws IOException {
        Path file = dir.resolve(FILE);
        JsonLines.Content log = JsonLines.read(file, notes, "[overhead] ");
        List<Entry> entries = new ArrayList<>();
        List<Integer> skipped = new ArrayList<>();
        for (int i = 0; i < log.lines().size(); i++) {
            String line = log.lines().get(i);
            if (line.isBlank()) {
                continue;
            }
            try {
                JsonObject o = JsonParser.parseString(line).getAsJsonObject();
                entries.add(new Entry(JsonFile.strings(o.getAsJsonObject("config"), "config"), o.get("round").getAsInt(),
                        o.get("variant").getAsString(), Instant.parse(o.get("start").getAsString()),
                        o.get("outcome").getAsString()));
            } catch (RuntimeException e) {
                // Gson's parse and type errors, a missing field, a field of another type ("round": "1x", null, an
                // object as text): whatever the line holds, it records no run
                skipped.add(i + 1);
            }
        }
        if (!skipped.isEmpty()) {
            notes.println("[overhead] warning: " + file + " line " + skipped.get(0) + " is not a run's record (one JSON "
                    + "object with config, round, variant, start and outcome)" + (skipped.size() == 1 ? ""
                    : ", nor " + (skipped.size() == 2 ? "is 1 more line" : "are " + (skipped.size() - 1) + " more lines"))
                    + "; skipped: whether runs were taken in the interleaved order is checked without "
                    + (skipped.size() == 1 ? "it" : "them"));
        }
        return entries;
    }

    /**
     * The configurations whose measured runs, by start time, are not in the interleaved order (round by round, each
     * round's variants in {@link OverheadCommand#order}); a run made again counts at its latest start. Each with the
     * first run found out of order, e.g. "engine=pytorch-fp32: r1 gc after r2 off".
     */
    static List<String> outOfOrder(List<Entry> log, List<Map<String, String>> configs, List<Variant> variants) {
        List<String> out = new ArrayList<>();
        for (Map<String, String> config : configs) {
            Map<String, Entry> latest = new LinkedHashMap<>();
            for (Entry e : log) {
                if (e.config().equals(config) && e.outcome().equals(MEASURED)) {
                    latest.merge(e.round() + " " + e.variant(), e, (a, b) -> b.start().isAfter(a.start()) ? b : a);
                }
            }
            List<Entry> byStart = new ArrayList<>(latest.values());
            byStart.sort(Comparator.comparing(Entry::start));
            for (int i = 1; i < byStart.size(); i++) {
                Entry before = byStart.get(i - 1);
                Entry after = byStart.get(i);
                if (planned(after, variants) < planned(before, variants)) {
                    out.add(OverheadCommand.describe(config) + ": r" + after.round() + " " + after.variant() + " after r"
                            + before.round() + " " + before.variant());
                    break;
                }
            }
        }
        return out;
    }

    /** A run's place in the interleaved order of its configuration. */
    private static int planned(Entry e, List<Variant> variants) {
        List<String> names = OverheadCommand.order(variants, e.round()).stream().map(Variant::name).toList();
        return (e.round() - 1) * variants.size() + names.indexOf(e.variant());
    }
}
