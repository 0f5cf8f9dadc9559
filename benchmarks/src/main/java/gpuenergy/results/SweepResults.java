package gpuenergy.results;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.stream.Stream;

/**
 * A sweep's directory given where result files are expected ({@code report}, {@code compare}, {@code sweep
 * --balance-from}): one sweep's directory (it holds sweep.jsonl), or a sharded sweep's, whose parts are its
 * shard-I-of-N subdirectories (the Slurm script's and {@code sweep --gpus}'s layout). A sharded sweep's parts are
 * checked for what a merge would silently lack: a part missing, parts of different partitions. A directory that holds
 * both a sweep of its own and shard-I-of-N parts is refused in one line rather than read as either.
 *
 * @param parts    the sweep directories, in order of I for a sharded sweep
 * @param problems what is missing or inconsistent, one {@link Problem} each (the caller skips or refuses, as for a bad
 *                 file, and report lists them under "Not run")
 * @param skipped  the parts a problem line is about, whose files {@link #files} leaves out: a part that cannot be
 *                 told to belong to the sweep is skipped whole, as its line says
 */
public record SweepResults(Path path, List<Path> parts, List<Problem> problems, Set<Path> skipped) {
    /**
     * A part missing or not taken: {@code path} (the sweep's directory or a part's) and what is wrong with it, in words
     * that name no other path, so that a report names {@code path} as it names its inputs.
     */
    public record Problem(Path path, String what) {
        /** "PATH: WHAT", the line for the console. */
        public String line() {
            return path + ": " + what;
        }
    }

    /** The sweep's log, one line per configuration's outcome. */
    public static final String LOG = "sweep.jsonl";
    /** How every configuration of the directory is measured. */
    public static final String SETTINGS = "sweep-settings.json";
    /** The sweep's table of every configuration's figures. */
    public static final String SUMMARY = "summary.csv";
    private static final String NOT_RUN = NotRunList.SWEEP_FILE;
    /** Files a sweep directory holds beside its results, which are not results. */
    private static final Set<String> RECORDS = Set.of(LOG, SETTINGS, SUMMARY, ShardFile.FILE, NOT_RUN);

    /**
     * Whether {@code file} is one of the records a sweep directory keeps beside its results (a glob DIR/*.json has them,
     * DIR/* all of them).
     */
    public static boolean isRecord(Path file) {
        return RECORDS.contains(file.getFileName().toString());
    }

    /**
     * What a record ({@link #isRecord}) given where a result file is expected is, and what to give instead. Sweep and
     * report both write summary.csv: one in a sweep's directory is the sweep's (report refuses a sweep's directory as
     * --out); one elsewhere may be either's.
     */
    public static String notAResult(Path record) {
        if (!record.getFileName().toString().equals(SUMMARY)) {
            return "a sweep's record, not a result file; give the sweep's directory";
        }
        return isSweep(record.toAbsolutePath().getParent())
                ? "a sweep's summary table, not a result file; give the sweep's directory"
                : "a summary table (a sweep's or a report's), not a result file; give the sweep's directory or the result "
                + "files it was made from";
    }

    /** What is wrong with a directory given as a sweep's that is none ({@link #isSweep} false), in words naming it. */
    public static String notASweep(Path dir) {
        return dir + ": is a directory but not a sweep's (no " + LOG + ", " + SETTINGS + " or shard-I-of-N parts)";
    }

    /** Whether {@code p} is a directory that holds a sweep or a sharded sweep's parts. */
    public static boolean isSweep(Path p) {
        return Files.isDirectory(p) && (ownFile(p) != null || !shardDirectories(p).isEmpty());
    }

    /** The file that marks a sweep of {@code dir}'s own at its top, its log or else its settings; null where none is. */
    public static String ownFile(Path dir) {
        return Files.exists(dir.resolve(LOG)) ? LOG : Files.exists(dir.resolve(SETTINGS)) ? SETTINGS : null;
    }

    /** The numbers of parts N of the shard-I-of-N directories in {@code dir}, smallest first; none where it lists none. */
    public static SortedSet<Integer> partCounts(Path dir) {
        SortedSet<Integer> counts = new TreeSet<>();
        for (Path part : shardDirectories(dir)) {
            Matcher m = ShardFile.DIRECTORY.matcher(part.getFileName().toString());
            if (m.matches()) {
                counts.add(Integer.parseInt(m.group(2)));
            }
        }
        return counts;
    }

    public static SweepResults of(Path dir) throws BadInputException {
        if (!Files.isDirectory(dir)) {
            throw new BadInputException(dir + ": " + (Files.exists(dir) ? "not a directory" : "no such directory"));
        }
        String own = ownFile(dir);
        List<Path> shards = shardDirectories(dir);
        if (own != null && !shards.isEmpty()) {
            // two sweeps' results, one beside the other's parts: reading either alone would leave the other's out
            throw new BadInputException(dir + ": holds both a sweep of its own (its " + own + ") and the parts of a divided "
                    + "sweep (" + String.join(", ", shards.stream().map(p -> p.getFileName() + "/").toList())
                    + "); move one of them to a directory of its own, and give each");
        }
        if (own != null) {
            return new SweepResults(dir, List.of(dir), List.of(), Set.of());
        }
        TreeMap<Integer, Path> byIndex = new TreeMap<>();
        Set<Integer> counts = new TreeSet<>();
        for (Path p : shards) {
            Matcher m = ShardFile.DIRECTORY.matcher(p.getFileName().toString());
            m.matches();
            byIndex.put(Integer.parseInt(m.group(1)), p);
            counts.add(Integer.parseInt(m.group(2)));
        }
        if (byIndex.isEmpty()) {
            throw new BadInputException(dir + ": neither a sweep's directory (no " + LOG + ") nor a sharded sweep's "
                    + "(no shard-I-of-N directories)");
        }
        List<Problem> problems = new ArrayList<>();
        if (counts.size() > 1) {
            problems.add(new Problem(dir, "holds parts of " + counts.size() + " different partitions (shard-I-of-N with N = "
                    + String.join(", ", counts.stream().map(String::valueOf).toList()) + ")"));
            return new SweepResults(dir, List.copyOf(byIndex.values()), problems, Set.copyOf(byIndex.values()));
        }
        int n = counts.iterator().next();
        // the partition the parts agree on, as the first part whose record matches its name holds it: it names the
        // ladders of a part that is missing or has not started
        Map<Integer, ShardFile> records = new TreeMap<>();
        for (var entry : byIndex.entrySet()) {
            records.put(entry.getKey(), ShardFile.read(entry.getValue()));
        }
        ShardFile partition = records.entrySet().stream()
                .filter(e -> e.getValue() != null && e.getValue().index() == e.getKey() && e.getValue().count() == n)
                .map(Map.Entry::getValue).findFirst().orElse(null);
        ShardFile first = null;
        Path firstDir = null;
        Set<Path> skipped = new java.util.LinkedHashSet<>();
        for (var entry : byIndex.entrySet()) {
            int index = entry.getKey();
            Path part = entry.getValue();
            ShardFile f = records.get(index);
            if (f != null && (f.index() != index || f.count() != n)) {
                // a --shard and --out that do not match: merged, the part it holds would count twice or the one its
                // name promises would be absent without a word; its own partition still says what that one lacks
                List<String> absent = f.part(index).stream().map(l -> l.model() + " / " + l.engine()).toList();
                problems.add(new Problem(part, "holds part " + f.shard() + " (its " + ShardFile.FILE + "), not part " + index
                        + " of " + n + " as its name says (a --shard and --out that do not match): its "
                        + resultFiles(part).size() + " result file(s) are not taken as the sweep's"
                        + (f.count() != n || absent.isEmpty() ? ""
                        : ", and part " + index + "'s ladders " + String.join(", ", absent) + " are not in it")));
                skipped.add(part);
            } else if (f == null) {
                int results = resultFiles(part).size();
                problems.add(new Problem(part, "no " + ShardFile.FILE + (results == 0
                        ? " (the part's sweep has not started)" + laddersNotIn(partition, index)
                        : " (a part's sweep writes it first): its " + results + " result file(s) are not taken as the sweep's")));
                skipped.add(part);
            } else if (first == null) {
                first = f;
                firstDir = part;
            } else if (!first.samePartition(f)) {
                problems.add(new Problem(part, "partitioned otherwise than " + firstDir.getFileName() + " (the tasks were "
                        + "given other -p model, -p engine, --min-batch, --max-batch or --balance-from)"));
                skipped.add(part);
            }
        }
        for (int i = 1; i <= n; i++) {
            if (!byIndex.containsKey(i)) {
                if (first != null && first.part(i).isEmpty()) {
                    continue; // a part with no ladder (more parts than ladders) holds nothing: none is missing
                }
                problems.add(new Problem(dir, "part " + i + " of " + n + " missing (no " + ShardFile.directoryName(i, n)
                        + ")" + laddersNotIn(first, i)));
            }
        }
        return new SweepResults(dir, List.copyOf(byIndex.values()), problems, Set.copyOf(skipped));
    }

    /**
     * ": its ladders M / E, ... are not in it", part {@code index}'s by {@code partition}; empty where that is unknown
     * or the part has none.
     */
    private static String laddersNotIn(ShardFile partition, int index) {
        return partition == null || partition.part(index).isEmpty() ? "" : ": its ladders " + String.join(", ", partition.part(index).stream()
                .map(l -> l.model() + " / " + l.engine()).toList()) + " are not in it";
    }

    /**
     * Every part's result files (its *.json but its own records and the measured iterations of runs that did not
     * finish, {@link ResultFile#isUnfinished}), then its not-run list where it has one; none of a skipped part's.
     */
    public List<Path> files() throws BadInputException {
        List<Path> files = new ArrayList<>();
        for (Path part : parts) {
            if (skipped.contains(part)) {
                continue;
            }
            files.addAll(resultFiles(part));
            if (Files.exists(part.resolve(NOT_RUN))) {
                files.add(part.resolve(NOT_RUN));
            }
        }
        return files;
    }

    /**
     * The name of a sweep's result of {@code model} / {@code engine} at {@code batch}:
     * {@code <model>-<engine>-b<batch>.json}, characters unsafe in file names as '_', never hidden ({@link
     * FileNames#visible}: a model given by a relative path, ./m.pt or ../m.pt, starts with '.'). Its own character set
     * rather than {@link FileNames#part}'s ('+' and '=' kept, ".." not mapped): sweep directories hold results under
     * these names, and --resume finds a configuration's result by its name.
     */
    public static String resultName(String model, String engine, int batch) {
        return resultName(model, engine, String.valueOf(batch)) + ".json";
    }

    private static String resultName(String model, String engine, String batch) {
        return FileNames.visible(safe(model) + "-" + safe(engine) + "-b" + batch);
    }

    /**
     * Whether {@code fileName} is the name of a result of ladder {@code l} ({@link #resultName}). A name two ladders may
     * give (model a-b of engine c, model a of engine b-c) is both's.
     */
    private static boolean isResultOf(String fileName, ShardFile.Ladder l) {
        return batchNamed(fileName, l.model(), l.engine()) != null;
    }

    /** The batch size that {@code fileName} names as a result of {@code model} / {@code engine}; null where it is none. */
    private static String batchNamed(String fileName, String model, String engine) {
        String prefix = resultName(model, engine, "");
        String rest = fileName.startsWith(prefix) ? fileName.substring(prefix.length()) : "";
        return rest.matches("\\d+\\.json") ? rest.substring(0, rest.length() - ".json".length()) : null;
    }

    /**
     * A sweep's result file {@code file} read as its results ({@link ResultFile#read}), refused in one line where one is
     * not the result its name says ({@link #notTheResultOf}): report and compare read a sweep's directory whole, and a
     * result copied or renamed under another configuration's name would count as that one's.
     */
    public static List<BenchmarkResult> read(Path file) throws BadInputException {
        List<BenchmarkResult> results = ResultFile.read(file);
        // a name from before names were kept visible (./m.pt's .m-...) is its result's still: the sweep leaves it where
        // the visible name is taken, and says that report and compare read it
        String name = FileNames.visible(file.getFileName().toString());
        if (!A_RESULT_NAME.matcher(name).matches()) {
            return results; // a file put there by hand under a name no sweep gives, which says no configuration
        }
        for (BenchmarkResult r : results) {
            String model = r.param(ParamNames.MODEL);
            String engine = r.param(ParamNames.ENGINE);
            if (model.isBlank() || engine.isBlank()) {
                continue; // another benchmark's result, no sweep's: its reader names it so
            }
            String batch = batchNamed(name, model, engine);
            String other = batch != null ? notTheResultOf(file, r, model, engine, batch)
                    : file + " is not the result its name says: its parameters " + r.params() + " name it "
                    + resultName(model, engine, r.param(ParamNames.BATCH_SIZE)) + ".json";
            if (other != null) {
                throw new BadInputException(other);
            }
        }
        return results;
    }

    /**
     * Null where {@code r}, read from {@code file}, is the result of {@code model} / {@code engine} at batch size {@code
     * batch}; else one line naming the file and what its parameters say. A file under a configuration's name must be
     * that configuration's, not another's whose name maps to the same file name, nor one put there by hand or copied
     * from another's: a resumed sweep and its summary, which look for a configuration's result under its name, and report
     * and compare ({@link #read}), which take each file's name for the configuration it holds, check it so.
     */
    public static String notTheResultOf(Path file, BenchmarkResult r, String model, String engine, String batch) {
        String other = r.notOf(new TreeMap<>(Map.of(ParamNames.MODEL, model, ParamNames.ENGINE, engine,
                ParamNames.BATCH_SIZE, batch)));
        return other == null ? null : file + " is not the result of " + model + " / " + engine + " batch " + batch
                + ": " + other;
    }

    /** The shape of every {@link #resultName}: what a name of another shape holds, it does not say. */
    private static final Pattern A_RESULT_NAME = Pattern.compile(".+-.+-b\\d+\\.json");

    private static String safe(String s) {
        return s.replaceAll("[^A-Za-z0-9._+=-]", "_");
    }

    /**
     * The directory, model and engine of each result and not-run entry read from a sweep's files, and the names of
     * those that cannot be read: what its ladders hold, against which {@link #notReached} finds the ladders that hold
     * nothing.
     */
    public static final class Held {
        private final Set<List<String>> keys = new HashSet<>();
        private final Set<List<String>> unusable = new HashSet<>();

        /** A result or a not-run entry of {@code model} / {@code engine} read from {@code file}. */
        public void add(Path file, String model, String engine) {
            keys.add(List.of(directoryOf(file), String.valueOf(model), String.valueOf(engine)));
        }

        /** A not-run list that cannot be read: what it lists is not known, so no ladder of its directory is empty. */
        public void all(Path list) {
            keys.add(List.of(directoryOf(list)));
        }

        /**
         * A file given as a result that cannot be read as one (torn, not JMH's JSON): the sweep reached the ladder whose
         * result its name is ({@link #resultName}), though what it measured is not known.
         */
        public void unusable(Path file) {
            unusable.add(List.of(directoryOf(file), file.getFileName().toString()));
        }

        private boolean holds(Path dir, ShardFile.Ladder l) {
            String d = dir.toAbsolutePath().normalize().toString();
            return keys.contains(List.of(d)) || keys.contains(List.of(d, l.model(), l.engine()))
                    || unusable.stream().anyMatch(u -> u.get(0).equals(d) && isResultOf(u.get(1), l));
        }

        private static String directoryOf(Path file) {
            return file.toAbsolutePath().normalize().getParent().toString();
        }
    }

    /**
     * A ladder that a directory's record (its shard.json) gives it and of which it holds neither a result nor a
     * not-run entry: its sweep has not reached the ladder (its --stop-after or a kill stopped it first, or it still
     * runs), so without a word of it the ladder would be absent from what is read of the sweep.
     *
     * @param dir the sweep's directory (a part's, for a divided sweep), as {@link #parts} names it
     */
    public record NotReached(Path dir, String model, String engine, Path unfinished) {
        /**
         * "M / E: nothing measured: ...", the words report and compare give it after the directory's name. A ladder
         * whose run was stopped while it measured (its measured iterations kept in {@code unfinished}) was reached, and
         * has nothing finished.
         */
        public String what() {
            return model + " / " + engine + (unfinished == null ? ": nothing measured: its sweep has not reached this ladder "
                    + "(stopped or killed before it, or still running)" : ": nothing finished: its sweep was stopped or killed "
                    + "while it measured " + unfinished.getFileName() + " (its measured iterations), or still measures it")
                    + "; sweep --resume runs it";
        }
    }

    /** What a sweep whose record cannot be read lacks, after the record's own line. */
    private static final String UNNAMED = "the ladders its sweep did not reach cannot be named";

    /**
     * Each ladder that the record of a directory read here (not {@link #skipped}) gives it, in the record's order, of
     * which {@code held} has nothing: a sweep run whole records all its ladders as the one part of one, a part of a
     * divided sweep the partition's ladders of its part. None for a directory whose sweep wrote no record (one from
     * before the record).
     *
     * @throws BadInputException a sweep run whole whose shard.json cannot be read: its line names the file, why, and
     *                           that the ladders its sweep did not reach cannot be named ({@link #of} refuses a divided
     *                           sweep's part whose record cannot be read)
     */
    public List<NotReached> notReached(Held held) throws BadInputException {
        List<NotReached> notReached = new ArrayList<>();
        for (Path part : parts) {
            if (skipped.contains(part)) {
                continue;
            }
            ShardFile f;
            try {
                f = ShardFile.read(part);
            } catch (BadInputException e) {
                // without its record the ladders the sweep never started would drop out of what is read without a word
                throw new BadInputException(e.getMessage() + "; " + UNNAMED);
            }
            if (f != null) {
                List<Path> unfinished;
                try {
                    unfinished = jsonFiles(part, ResultFile::isUnfinished);
                } catch (BadInputException e) {
                    unfinished = List.of(); // a directory that cannot be listed: its files' reader says so
                }
                for (ShardFile.Ladder l : f.part(f.index())) {
                    if (!held.holds(part, l)) {
                        Path u = unfinished.stream().filter(p -> isResultOf(ResultFile.resultNameOfUnfinished(p), l))
                                .reduce((a, b) -> b).orElse(null);
                        notReached.add(new NotReached(part, l.model(), l.engine(), u));
                    }
                }
            }
        }
        return notReached;
    }

    /**
     * The line for a sweep whose {@link #files} hold no result: "DIR: the sweep holds no result", and where its parts
     * hold the measured iterations of runs that did not end, how many files and one of them, so the user knows where
     * those measurements are; where they list benchmarks not run, how many and why the first did not run.
     */
    public String noResult() throws BadInputException {
        List<Path> unfinished = new ArrayList<>();
        List<Path> lists = new ArrayList<>();
        for (Path part : parts) {
            if (!skipped.contains(part)) {
                unfinished.addAll(jsonFiles(part, ResultFile::isUnfinished));
                if (Files.exists(part.resolve(NOT_RUN))) {
                    lists.add(part.resolve(NOT_RUN));
                }
            }
        }
        return path + ": the sweep holds no result" + (unfinished.isEmpty() ? "" : ", only " + unfinished.size()
                + " unfinished result(s) (the measured iterations of runs that did not end, which are no result: "
                + "docs/report.md), e.g. " + unfinished.get(0))
                + (lists.isEmpty() ? "" : "; its " + NOT_RUN + " lists " + NotRunList.summary(lists));
    }

    /**
     * A directory under a result's name is among them, so that its reader names it ("is a directory, not a file"), as
     * the sweep's summary does before it moves it to unreadable/: a result the report or compare passes over without a
     * word reads as one that was never measured.
     */
    private static List<Path> resultFiles(Path part) throws BadInputException {
        return jsonFiles(part, p -> !isRecord(p) && !ResultFile.isUnfinished(p), true);
    }

    /** The *.json files of {@code part} that {@code kind} takes, in order of name; directories so named too where asked. */
    private static List<Path> jsonFiles(Path part, java.util.function.Predicate<Path> kind) throws BadInputException {
        return jsonFiles(part, kind, false);
    }

    private static List<Path> jsonFiles(Path part, java.util.function.Predicate<Path> kind, boolean directories)
            throws BadInputException {
        try (Stream<Path> s = Files.list(part)) {
            return s.filter(p -> (Files.isRegularFile(p) || directories && Files.isDirectory(p))
                            && p.getFileName().toString().endsWith(".json") && kind.test(p))
                    .sorted().toList();
        } catch (IOException e) {
            throw new BadInputException(part + ": cannot list the directory (" + IoMessage.reason(e) + ")");
        }
    }

    private static List<Path> shardDirectories(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            // the name first: a sweep directory's thousands of result files are told from its parts without a stat each
            return s.filter(p -> ShardFile.DIRECTORY.matcher(p.getFileName().toString()).matches() && Files.isDirectory(p))
                    .sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
