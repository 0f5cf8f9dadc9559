package gpuenergy.results;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A not-run list: the JSON array of {@link NotRun} entries, {@code {"benchmark", "params": {...}, "reason", "kind",
 * "gpu"?}}, that a plain run writes beside its result ({@code run.json} -> {@code run.notrun.json}) and a sweep into
 * its directory ({@link #SWEEP_FILE}), only when something did not run.
 */
public final class NotRunList {
    /** A sweep's list: one for all the result files of its directory. */
    public static final String SWEEP_FILE = "sweep.notrun.json";
    /** How a list's name ends: {@code run.notrun.json} beside {@code run.json}. */
    private static final String SUFFIX = ".notrun.json";

    private static final String EXPECTED = "expected a JSON array of not-run entries, each an object with benchmark, "
            + "params, kind and reason";

    private NotRunList() {}

    /**
     * The list a run writes beside its result: {@code run.json} -> {@code run.notrun.json}. A result's name ends in .json
     * ({@link ResultFile#isResultName}); another name X gives X.notrun.json, the list of X.json.
     */
    public static Path besides(Path result) {
        String name = result.getFileName().toString();
        String stem = name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
        return result.resolveSibling(stem + SUFFIX);
    }

    /**
     * The list that belongs to a result file, or null when there is none: {@link #besides} it, where the file is named
     * as a result ({@link ResultFile#isResultName}), or next to a sweep's result files, {@link #SWEEP_FILE}. A file X
     * named otherwise has no list of its own: X.notrun.json is the list of X.json, and X.json.notrun.json that of
     * X.json.json.
     */
    public static Path of(Path resultFile) {
        List<Path> candidates = new ArrayList<>();
        if (ResultFile.isResultName(resultFile)) {
            candidates.add(besides(resultFile));
        }
        candidates.add(resultFile.resolveSibling(SWEEP_FILE));
        for (Path candidate : candidates) {
            if (Files.exists(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** A not-run list given where a result file was expected, e.g. by {@code report sweep/*.json}. */
    public static boolean isNotRunList(Path file) {
        return file.getFileName() != null && file.getFileName().toString().endsWith(SUFFIX);
    }

    /** Writes the list whole (through a rename), entries in their order. */
    public static void write(Path file, List<NotRun> entries) throws IOException {
        JsonArray out = new JsonArray();
        for (NotRun n : entries) {
            JsonObject o = new JsonObject();
            o.addProperty("benchmark", n.benchmark());
            JsonObject params = new JsonObject();
            n.params().forEach(params::addProperty);
            o.add("params", params);
            o.addProperty("reason", n.reason());
            o.addProperty("kind", n.kind().label());
            if (n.gpu() != null) {
                o.addProperty(NotRun.GPU, n.gpu());
            }
            out.add(o);
        }
        AtomicWrite.writeString(file, new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(out) + "\n");
    }

    /**
     * The entries of a list; a file that is no such list is a {@link BadInputException} of one line naming it and what
     * is wrong in JSON's terms ("entry 0 is not a not-run entry (params is a string, expected an object)"), then what a
     * list is.
     */
    public static List<NotRun> read(Path list) throws BadInputException {
        JsonElement root = JsonFile.read(list, "", EXPECTED);
        if (!root.isJsonArray()) {
            throw new BadInputException(list + ": not a list of benchmarks not run (" + JsonFile.shape("the file", root,
                    "an array").getMessage() + "); " + EXPECTED);
        }
        List<NotRun> entries = new ArrayList<>();
        for (JsonElement e : root.getAsJsonArray()) {
            try {
                entries.add(entry(e));
            } catch (IllegalArgumentException bad) {
                throw new BadInputException(list + ": entry " + entries.size() + " is not a not-run entry ("
                        + bad.getMessage() + "); " + EXPECTED);
            }
        }
        return entries;
    }

    /** One entry; an {@link IllegalArgumentException} saying what is wrong with it, in JSON's terms. */
    private static NotRun entry(JsonElement e) {
        JsonObject o = JsonFile.object(e, "it");
        JsonElement kind = o.get("kind");
        if (kind == null) {
            // the kind is what compare and report act on (a did-not-fit ends a ladder, an error does not): no entry
            // without it
            throw new IllegalArgumentException("no \"kind\" field");
        }
        Map<String, String> params = new LinkedHashMap<>();
        if (o.has("params")) {
            JsonFile.object(o.get("params"), "params").entrySet()
                    .forEach(p -> params.put(p.getKey(), JsonFile.string(p.getValue(), "params." + p.getKey())));
        }
        JsonElement gpu = o.get(NotRun.GPU);
        return new NotRun(text(o, "benchmark"), params, NotRun.Kind.of(JsonFile.string(kind, "kind")), text(o, "reason"),
                gpu == null || gpu.isJsonNull() ? null : JsonFile.string(gpu, NotRun.GPU));
    }

    /**
     * What the lists of a run or a sweep that left no result say, for the line that refuses it: "N benchmark(s) not run,
     * e.g. " and the first as the run's console lists it; for a list that cannot be read, "nothing readable (" its own
     * line ")": the callers' lines read "LIST lists " and this.
     */
    public static String summary(List<Path> lists) {
        List<NotRun> entries = new ArrayList<>();
        for (Path list : lists) {
            try {
                entries.addAll(read(list));
            } catch (BadInputException e) {
                return "nothing readable (" + e.getMessage() + ")";
            }
        }
        return entries.size() + " benchmark(s) not run" + (entries.isEmpty() ? "" : ", e.g. " + entries.get(0).consoleLine());
    }

    /**
     * The report's lines of one list; an unreadable list gives a line saying so, naming it {@code name} (a report must
     * not hide that something was not measured).
     */
    public static List<String> lines(Path list, String name) {
        try {
            return read(list).stream().map(NotRun::line).toList();
        } catch (BadInputException e) {
            String why = e.getMessage().substring(list.toString().length() + 2);
            return List.of(name + ": unreadable list of benchmarks not run (" + why + ")");
        }
    }

    /** A field an entry may leave out ("?" in its lines), else a string. */
    private static String text(JsonObject o, String field) {
        return o.has(field) ? JsonFile.string(o.get(field), field) : "?";
    }
}
