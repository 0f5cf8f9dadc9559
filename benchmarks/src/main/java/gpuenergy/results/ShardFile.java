package gpuenergy.results;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * DIR/shard.json, written by {@code sweep --shard I/N}: which part of a sweep DIR holds, and the whole partition of the
 * sweep's (model, engine) ladders into its N parts with the predicted seconds that balanced them. Every part records
 * the same partition, so a resumed part can tell that it still runs its own ladders, and a merge can tell that all N
 * parts of one partition are there. A sweep run whole (no --shard) writes it as the one part of one, "1/1", as
 * {@code --shard 1/1} does: every ladder it runs. Whole or a part, the record tells the ladders a sweep set out to run
 * before it runs any, against which report and compare find those it never started ({@link SweepResults#notReached}).
 *
 * @param shard     "I/N"
 * @param partition every ladder of the sweep, in the order the sweep runs them, with the part (1..N) that runs it
 */
public record ShardFile(String shard, List<Ladder> partition) {
    public static final String FILE = "shard.json";
    /**
     * Where the Slurm script and {@code sweep --gpus} put part I of N: OUT/shard-I-of-N, with numbers of up to six digits
     * as {@code --shard} takes them; a longer one names no part (and would not fit an int).
     */
    public static final Pattern DIRECTORY = Pattern.compile("shard-(\\d{1,6})-of-(\\d{1,6})");

    /** The name of part {@code i} of {@code n}'s directory, as {@link #DIRECTORY} reads it: shard-I-of-N. */
    public static String directoryName(int i, int n) {
        return "shard-" + i + "-of-" + n;
    }

    /** "I/N" with numbers of up to six digits, as {@link #DIRECTORY} and {@code --shard} take them: each fits an int. */
    private static final Pattern SPEC = Pattern.compile("(\\d{1,6})/(\\d{1,6})");
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();
    private static final String EXPECTED = "expected the shard.json a sweep with --shard I/N writes";

    /**
     * @param predictedSeconds the weight the partition gave the ladder: its time in the --balance-from sweeps, else the
     *                         median of the known ladders', else 1 (nothing known: the ladders are dealt out in turn)
     */
    public record Ladder(String model, String engine, int shard, double predictedSeconds) {
    }

    public int index() {
        return Integer.parseInt(spec().group(1));
    }

    public int count() {
        return Integer.parseInt(spec().group(2));
    }

    /** N of a part's spec "I/N"; 0 where {@code spec} is none. */
    public static int countOf(String spec) {
        Matcher m = spec == null ? null : SPEC.matcher(spec);
        return m != null && m.matches() ? Integer.parseInt(m.group(2)) : 0;
    }

    private Matcher spec() {
        Matcher m = SPEC.matcher(shard);
        if (!m.matches()) {
            throw new IllegalStateException("shard '" + shard + "' is not I/N");
        }
        return m;
    }

    /** The ladders of part {@code index}, in order. */
    public List<Ladder> part(int index) {
        return partition.stream().filter(l -> l.shard() == index).toList();
    }

    /** Whether two records partition the same ladders the same way (the predicted seconds aside). */
    public boolean samePartition(ShardFile other) {
        List<List<Object>> a = partition.stream().map(l -> List.<Object>of(l.model(), l.engine(), l.shard())).toList();
        List<List<Object>> b = other.partition.stream().map(l -> List.<Object>of(l.model(), l.engine(), l.shard())).toList();
        return a.equals(b);
    }

    public String toJson() {
        return GSON.toJson(this) + "\n";
    }

    /** DIR/shard.json; null when DIR has none (a sweep's from before the record, or a part's before its sweep began). */
    public static ShardFile read(Path dir) throws BadInputException {
        Path file = dir.resolve(FILE);
        if (!Files.exists(file)) {
            return null;
        }
        JsonElement root = JsonFile.read(file, "shard", EXPECTED);
        ShardFile f;
        try {
            f = GSON.fromJson(root, ShardFile.class);
        } catch (JsonParseException | IllegalStateException | NumberFormatException e) {
            // Gson reads a number given as text by parsing it: "predictedSeconds": "abc" fails as Java's parse
            throw new BadInputException(file + ": not a shard record; " + EXPECTED);
        }
        if (f == null || f.shard() == null || !SPEC.matcher(f.shard()).matches() || f.partition() == null
                || f.partition().stream().anyMatch(l -> l == null || l.model() == null || l.engine() == null
                || l.shard() < 1 || l.shard() > f.count())) {
            throw new BadInputException(file + ": not a shard record (needs \"shard\": \"I/N\", numbers of up to six "
                    + "digits, and a \"partition\" of {model, engine, shard}); " + EXPECTED);
        }
        return f;
    }
}
