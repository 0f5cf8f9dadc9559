package gpuenergy.results;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import gpuenergy.profile.EnergyLabels;
import gpuenergy.profile.EnvironmentKeys;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.DoublePredicate;
import java.util.function.IntFunction;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.runner.options.TimeValue;

import static gpuenergy.results.JsonFile.object;
import static gpuenergy.results.JsonFile.shape;
import static gpuenergy.results.JsonFile.string;

/**
 * A result file: the JSON array JMH writes with {@code -rf json}, with an "environment" object per entry that the
 * launcher adds ({@link #withEnvironment}). Reading keeps only the fields the commands use; anything else JMH writes is
 * ignored. Every problem, a figure no measurement gives included ({@link #unusableFigure}), becomes a
 * {@link BadInputException} whose message names the file and what is wrong.
 */
public final class ResultFile {
    private ResultFile() {}

    private static final String EXPECTED = "expected the JSON array JMH writes with -rf json";

    public static List<BenchmarkResult> read(Path file) throws BadInputException {
        JsonArray entries = readJson(file);
        if (entries.isEmpty()) {
            throw new BadInputException(file + ": contains no benchmark results (empty array)");
        }
        List<BenchmarkResult> results = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            BenchmarkResult r;
            try {
                r = entry(entries.get(i));
            } catch (RuntimeException e) {
                throw new BadInputException(file + ": entry " + i + " is not a JMH result ("
                        + Lines.firstLine(String.valueOf(e.getMessage())) + "); " + EXPECTED);
            }
            String unfinished = r.environment().get(EnvironmentKeys.UNFINISHED);
            if (unfinished != null) {
                throw new BadInputException(file + ": entry " + i + " is a benchmark that did not finish (" + unfinished
                        + "): its measured iterations are kept there, but they are no result");
            }
            String unusable = unusableFigure(r);
            if (unusable != null) {
                throw new BadInputException(file + ": " + r.key() + ": " + unusable);
            }
            results.add(r);
        }
        return results;
    }

    /** The file's entries as JMH wrote them (the launcher adds the environment to them). */
    public static JsonArray readJson(Path file) throws BadInputException {
        JsonElement root = JsonFile.read(file, "", EXPECTED);
        if (!root.isJsonArray()) {
            throw new BadInputException(file + ": not a JMH result file; " + EXPECTED);
        }
        return root.getAsJsonArray();
    }

    /** Writes the entries whole, through a sibling file and a rename: a failure or a kill never leaves half a result. */
    public static void write(Path file, JsonArray entries) throws IOException {
        AtomicWrite.writeString(file.toAbsolutePath(),
                new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(entries) + "\n");
    }

    /** How a JSON result's name ends: the files beside it are named for what precedes it. */
    private static final String JSON = ".json";

    /**
     * Whether a JSON result may lie under {@code file}'s name: NAME.json. The files beside a result are named for its
     * NAME ({@link NotRunList#besides}, {@link #unfinishedBeside}), so that under a name X without .json they would be
     * those of X.json, another result's.
     */
    public static boolean isResultName(Path file) {
        return file.getFileName() != null && file.getFileName().toString().endsWith(JSON);
    }

    /**
     * Whether {@code file}'s name ends in .json in any case (run.json, RUN.JSON): a name a reader takes for a JSON
     * result's, and one of a file system that ignores case, where RUN.JSON and RUN.json are one file.
     */
    public static boolean namedAsJson(Path file) {
        return file.getFileName() != null && file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(JSON);
    }

    /**
     * Why no JSON result can be written under {@code file}'s name, in words ending with the name to give instead; null
     * when one can ({@link #isResultName}), or the name is no file's (the root, which is a directory).
     */
    public static String misnamed(Path file) {
        if (file.getFileName() == null || isResultName(file)) {
            return null;
        }
        String name = file.getFileName().toString();
        // run.JSON is taken for run.json: the extension in the case the names beside a result read it
        String stem = namedAsJson(file) ? name.substring(0, name.length() - JSON.length()) : name;
        return "a JSON result's name ends in .json: under this one its list of the benchmarks that did not run, "
                + NotRunList.besides(file).getFileName() + ", would be that of " + name + JSON + "; name it "
                + file.resolveSibling(stem + JSON);
    }

    /**
     * What an earlier run's file NAME.json is renamed to as it is set aside: NAME.earlier.json, which
     * {@link AtomicWrite#setAside} numbers NAME.earlier.N.json where it is taken.
     */
    private static final String EARLIER = ".earlier";
    /** The names {@link #EARLIER} gives, numbered as {@link AtomicWrite#setAside} numbers them. */
    private static final String EARLIER_NAMES = Pattern.quote(EARLIER) + "(\\.\\d+)?\\.json";
    private static final String UNFINISHED = ".unfinished";
    /** The hidden file .NAME.json.claim that holds a result name for a run under way ({@link #claimNew}). */
    private static final String CLAIM = ".claim";

    /**
     * A file set aside as an earlier run's: a result ({@link #setAsideAsEarlier}) or an unfinished file
     * ({@link #setAsideUnfinished}): NAME.earlier[.N].json.
     */
    public static boolean isEarlierRun(Path file) {
        return file.getFileName() != null && file.getFileName().toString().matches(".*" + EARLIER_NAMES);
    }

    /**
     * Where the measured iterations of a run's benchmarks that are not in {@code result} yet are kept
     * (gpuenergy.run.UnfinishedIterations): NAME.unfinished.json beside NAME.json.
     */
    public static Path unfinishedBeside(Path result) {
        return result.resolveSibling(stem(result) + UNFINISHED + ".json");
    }

    /**
     * The name of the result whose unfinished file {@code unfinished} is ({@link #isUnfinished}): NAME.json for
     * NAME.unfinished.json and NAME.unfinished.earlier[.N].json.
     */
    public static String resultNameOfUnfinished(Path unfinished) {
        return unfinished.getFileName().toString()
                .replaceFirst(Pattern.quote(UNFINISHED) + "(\\.json|" + EARLIER_NAMES + ")$", JSON);
    }

    /** Whether {@code file} is named as {@link #unfinishedBeside} names one, or one set aside: NAME.unfinished.earlier[.N].json. */
    public static boolean isUnfinished(Path file) {
        return file.getFileName() != null
                && file.getFileName().toString().matches(".*" + Pattern.quote(UNFINISHED) + "(\\.json|" + EARLIER_NAMES + ")");
    }

    /**
     * What the suite keeps under {@code file}'s name, where it is a name the suite gives its own files (a not-run list,
     * an unfinished file, an earlier result set aside), in words; null for any other name. A result written there would
     * replace such a file, and be read as one.
     */
    public static String reservedFor(Path file) {
        Path result = Path.of("NAME.json");
        if (NotRunList.isNotRunList(file)) {
            return "the list of the benchmarks that did not run (" + NotRunList.besides(result) + " beside " + result + ")";
        }
        if (isUnfinished(file)) {
            return "the measured iterations of benchmarks that did not finish (" + unfinishedBeside(result) + " beside "
                    + result + ")";
        }
        if (isEarlierRun(file)) {
            return "an earlier run's result set aside (" + stem(result) + EARLIER + ".json)";
        }
        return null;
    }

    /**
     * The start of JMH's CSV and SCSV result files (-rf csv, -rf scsv): their header's first columns, quoted as JMH
     * writes them or not, as a spreadsheet may save them again.
     */
    private static final Pattern JMH_TABLE_HEADER = Pattern.compile(
            "\"?Benchmark\"?([,;])\"?Mode\"?\\1\"?Threads\"?\\1\"?Samples\"?\\1\"?Score\"?(\\1.*)?");

    /**
     * The start of JMH's text and LaTeX result files (-rf text, -rf latex): the text table's header, its parameters in
     * parentheses, and the LaTeX table's first line, which its next line's Benchmark column follows.
     */
    private static final Pattern JMH_TEXT_HEADER = Pattern.compile(
            "Benchmark(\\s+\\(\\S+\\))*\\s+Mode\\s+Cnt\\s+Score\\s+Error\\s+Units\\s*");
    private static final Pattern JMH_LATEX_HEADER = Pattern.compile(
            "\\\\begin\\{tabular\\}\\{[^}]*\\}[ \\t]*\\R[^\\r\\n]*\\\\texttt\\{Benchmark\\}");

    /**
     * Whether {@code file} is there and holds a result as JMH writes one: a JSON array, or a CSV, SCSV, text or LaTeX
     * table (-rf csv, scsv, text, latex), which the suite does not read but whose results are as much a user's; a file
     * written there would replace them.
     */
    public static boolean holdsResult(Path file) {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        if (startsWithJmhTableHeader(file)) {
            return true;
        }
        try {
            readJson(file);
            return true;
        } catch (BadInputException notAResult) {
            return false;
        }
    }

    /**
     * Whether the first line of {@code file} is a JMH table's header (a LaTeX table's first two): its first 4 KiB read as single bytes, so that
     * neither a byte-order mark nor text in another encoding stops the header from being seen.
     */
    private static boolean startsWithJmhTableHeader(Path file) {
        byte[] head = new byte[4096];
        int n = 0;
        try (var in = Files.newInputStream(file)) {
            for (int read; n < head.length && (read = in.read(head, n, head.length - n)) > 0; ) {
                n += read;
            }
        } catch (IOException unreadable) {
            return false; // nothing this run could replace either: writing there fails on its own
        }
        String text = new String(head, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1);
        if (text.startsWith("\u00EF\u00BB\u00BF")) { // UTF-8's byte-order mark, as single bytes
            text = text.substring(3);
        }
        String first = text.lines().findFirst().orElse("");
        return JMH_TABLE_HEADER.matcher(first).matches() || JMH_TEXT_HEADER.matcher(first).matches()
                || JMH_LATEX_HEADER.matcher(text).lookingAt();
    }

    /**
     * Sets an earlier run's unfinished file ({@link #unfinishedBeside}) aside, so that a new run of the same name neither
     * replaces it nor is read with it: NAME.unfinished.json becomes NAME.unfinished.earlier.json, or the first free
     * NAME.unfinished.earlier.N.json. Returns where it went.
     */
    public static Path setAsideUnfinished(Path unfinished) throws IOException {
        return AtomicWrite.setAside(unfinished, unfinished.toAbsolutePath().getParent(), stem(unfinished) + EARLIER + ".json");
    }

    /**
     * Sets an earlier run's files under a result's name aside, so that a new run of the name neither replaces them nor
     * is read with them: its result NAME.json becomes NAME.earlier.json and its not-run list NAME.notrun.json
     * NAME.earlier.notrun.json, or the first NAME.earlier.N.json and NAME.earlier.N.notrun.json of which neither is
     * taken; either file may be missing. Returns where the result went, else the list; null when there was neither.
     */
    public static Path setAsideAsEarlier(Path result) throws IOException {
        return setAsideEarlier(result, true);
    }

    /**
     * Sets only the not-run list of an earlier run aside, as {@link #setAsideAsEarlier} does (the result under the name
     * is the new run's). Returns where it went; null when there was none.
     */
    public static Path setAsideEarlierList(Path result) throws IOException {
        return setAsideEarlier(result, false);
    }

    private static Path setAsideEarlier(Path result, boolean withResult) throws IOException {
        Path dir = result.toAbsolutePath().getParent();
        Path list = NotRunList.besides(result);
        boolean movesResult = withResult && Files.isRegularFile(result);
        boolean movesList = Files.isRegularFile(list);
        if (!movesResult && !movesList) {
            return null;
        }
        IntFunction<Path> earlier = n -> dir.resolve(AtomicWrite.numbered(stem(result) + EARLIER + ".json", n));
        IntFunction<Path> earlierList = n -> NotRunList.besides(earlier.apply(n));
        if (!movesResult) {
            // a slot whose result name is free too: a result set aside later is never read with this list
            return AtomicWrite.setAside(list, earlierList, null, earlier);
        }
        return AtomicWrite.setAside(result, earlier, movesList ? list : null, earlierList);
    }

    /**
     * A result name no other run has, for a run that names none: {@code first} (NAME.json), else the first of
     * NAME.1.json, NAME.2.json, ... A name is another run's while its result, not-run list or unfinished file is there,
     * or a file of {@code formats} beside it (NAME.csv for "csv", the file JMH writes with -rf csv), or while a run holds
     * its claim: a hidden file beside it, created only where none exists, so that two runs started in the same second
     * never take one name. The run closes the claim once it has written its last file, and Ctrl-C or SIGTERM removes it
     * ({@link Claim}). The claim of a run killed with SIGKILL, which runs no hook, is removed by the next claim in its
     * directory ({@link #removeClaimsOfEndedRuns}).
     *
     * @param formats the extensions of the other files the run writes under the result's stem ({@link Claim#beside})
     */
    public static Claim claimNew(Path first, String... formats) throws IOException {
        removeClaimsOfEndedRuns(first.toAbsolutePath().getParent());
        for (int n = 0; ; n++) {
            Path result = first.resolveSibling(AtomicWrite.numbered(first.getFileName().toString(), n));
            Path claim = result.resolveSibling("." + result.getFileName() + CLAIM);
            try {
                Files.createFile(claim);
            } catch (FileAlreadyExistsException e) {
                continue;
            }
            Claim held = Claim.hold(result, claim);
            Stream<Path> others = Stream.of(formats).map(f -> beside(result, f));
            if (Stream.concat(Stream.of(result, NotRunList.besides(result), unfinishedBeside(result)), others)
                    .noneMatch(f -> Files.exists(f, LinkOption.NOFOLLOW_LINKS))) {
                return held;
            }
            held.close(); // a run that ended left its files under the name
        }
    }

    /**
     * Removes the claims in {@code dir} whose runs have ended: a run holds the operating system's lock on its claim,
     * which ends with its process, SIGKILL included, and writes its pid in it once it holds it. A claim no lock holds
     * and that names a pid is a run's that ended; an empty one is being made, or is of a version that held no lock,
     * and stays, as does every claim where the file system does not lock. Claims of this process are not opened: a
     * second channel of a file, closed, would release this process's lock on it.
     */
    private static void removeClaimsOfEndedRuns(Path dir) {
        List<Path> claims;
        try (Stream<Path> files = Files.list(dir)) {
            claims = files.filter(f -> f.getFileName().toString().startsWith(".")
                    && f.getFileName().toString().endsWith(JSON + CLAIM)).toList();
        } catch (IOException | java.io.UncheckedIOException e) {
            return; // they stay, and keep their names taken
        }
        String self = Long.toString(ProcessHandle.current().pid());
        for (Path claim : claims) {
            try {
                String holder = Files.readString(claim).strip();
                if (holder.isEmpty() || holder.equals(self)) {
                    continue;
                }
                try (FileChannel ch = FileChannel.open(claim, StandardOpenOption.READ, StandardOpenOption.WRITE,
                        LinkOption.NOFOLLOW_LINKS)) {
                    FileLocks.Attempt attempt = FileLocks.tryLockIfPossible(ch);
                    // under the lock, no run removes the file: the name still being this file's, it is an ended run's
                    if (attempt.lock() != null && holder.equals(Files.readString(claim).strip())) {
                        Files.delete(claim);
                    }
                }
            } catch (IOException | RuntimeException e) {
                // gone already, or unreadable: it stays, and keeps its name taken
            }
        }
    }

    /** What a result that could not be written is kept as elsewhere: NAME.unwritten.json ({@link #claimUnwritten}). */
    private static final String UNWRITTEN = ".unwritten";

    /**
     * A new file in java.io.tmpdir for the results of a run whose result file could not take them at its end (its file
     * system full, its directory removed): NAME.unwritten.json, or the first of NAME.unwritten.1.json,
     * NAME.unwritten.2.json, ... that is not there, created empty so that no other run takes it. JMH writes its own copy
     * of the run's result in java.io.tmpdir: the run has written there before, and it mostly lies on another file system
     * than the result.
     */
    public static Path claimUnwritten(Path result) throws IOException {
        Path dir = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath();
        for (int n = 0; ; n++) {
            try {
                return Files.createFile(dir.resolve(AtomicWrite.numbered(stem(result) + UNWRITTEN + JSON, n)));
            } catch (FileAlreadyExistsException e) {
                // another run's results
            }
        }
    }

    /** NAME.FORMAT beside NAME.json. */
    private static Path beside(Path result, String format) {
        return result.resolveSibling(stem(result) + "." + format);
    }

    /**
     * A result name a run holds ({@link #claimNew}) until it closes the claim, or its JVM ends: Ctrl-C and SIGTERM run
     * no finally block, only shutdown hooks. The hook goes at the close, so that a JVM that lives on never removes a
     * claim another run has made on the name since.
     */
    public static final class Claim implements AutoCloseable {
        private final Path result;
        private final Path file;
        /** The claim's file, open while the run holds it, with its lock; null where it could not be opened. */
        private final FileChannel channel;
        private final Thread atExit;

        /** @throws IOException where the JVM is already shutting down (the claim file is then removed) */
        private Claim(Path result, Path file, FileChannel channel) throws IOException {
            this.result = result;
            this.file = file;
            this.channel = channel;
            this.atExit = new Thread(this::remove, "release " + file.getFileName());
            try {
                Runtime.getRuntime().addShutdownHook(atExit);
            } catch (IllegalStateException shuttingDown) {
                remove();
                throw new IOException("the run is being stopped", shuttingDown);
            }
        }

        /**
         * The claim of the file just created: locked, then this process's pid written in it, so that a later run tells
         * it from the claim of a run that ended ({@link #removeClaimsOfEndedRuns}).
         */
        static Claim hold(Path result, Path file) throws IOException {
            FileChannel ch = null;
            try {
                ch = FileChannel.open(file, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
                if (FileLocks.lockIfPossible(ch) != null) {
                    ch.write(java.nio.ByteBuffer.wrap((ProcessHandle.current().pid() + "\n")
                            .getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
                }
            } catch (IOException e) {
                if (ch != null) {
                    ch.close();
                }
                ch = null; // an empty claim: it holds the name all the same, and no later run removes it
            }
            return new Claim(result, file, ch);
        }

        /** The result's name. */
        public Path result() {
            return result;
        }

        /** The name of the run's file in {@code format} under the result's stem: NAME.csv beside NAME.json. */
        public Path beside(String format) {
            return ResultFile.beside(result, format);
        }

        @Override
        public void close() {
            try {
                Runtime.getRuntime().removeShutdownHook(atExit);
            } catch (IllegalStateException shuttingDown) {
                // the hook removes it
            }
            remove();
        }

        private void remove() {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // left: it keeps a name taken that the run's files hold anyway
            }
            try {
                if (channel != null) {
                    channel.close(); // the lock goes after the file: no later run removes a claim still held
                }
            } catch (IOException e) {
                // the process's end closes it
            }
        }
    }

    /**
     * JMH's entries with {"environment": host + what the benchmark's forks reported}, in that order; the entries
     * otherwise as JMH wrote them.
     */
    public static JsonArray withEnvironment(JsonArray jmh, Map<String, String> host, TrialRecords records) {
        JsonArray out = jmh.deepCopy();
        for (JsonElement e : out) {
            JsonObject entry = e.getAsJsonObject();
            JsonObject env = new JsonObject();
            host.forEach(env::addProperty);
            String key = BenchmarkResult.key(entry.get("benchmark").getAsString(),
                    JsonFile.strings(entry.getAsJsonObject("params"), "params"));
            records.environment(key).forEach(env::addProperty);
            entry.add("environment", env);
        }
        return out;
    }

    /** An entry's fields; a field of another shape than JMH writes is an IllegalArgumentException that names it. */
    private static BenchmarkResult entry(JsonElement e) {
        JsonObject o = object(e, "the entry");
        String benchmark = string(required(o, "", "benchmark"), "benchmark");
        String mode = o.has("mode") ? mode(o.get("mode")) : "thrpt";
        TreeMap<String, String> params = new TreeMap<>();
        JsonObject paramsObject = optionalObject(o, "params");
        if (paramsObject != null) {
            // JMH writes each value as a string: a null, an array or an object would read as a parameter named "null", "[]",
            // and a number as one whose text ("16.0", "1e1") no run of the parameter gives
            paramsObject.entrySet().forEach(p -> params.put(p.getKey(), string(p.getValue(), "params." + p.getKey())));
        }
        Metric primary = metric(required(o, "", "primaryMetric"), "primaryMetric");
        Map<String, Metric> secondary = new LinkedHashMap<>();
        JsonObject secondaryMetrics = optionalObject(o, "secondaryMetrics");
        if (secondaryMetrics != null) {
            int iterations = primary.samples().length;
            // with interleave=true a window the profiler sat out carries none of its figures and JMH pads nothing in:
            // its scores are those of the sampled windows as they stand
            boolean interleaved = secondaryMetrics.has(EnergyLabels.SAMPLED);
            for (Map.Entry<String, JsonElement> s : secondaryMetrics.entrySet()) {
                Metric m = metric(s.getValue(), secondaryName(s.getKey()));
                int n = m.samples().length;
                // JMH fills a scalar metric missing from an iteration with 0 and averages it in: with 1 of 2
                // iterations, JMH's score is half the measured value. The profiler reports every label in every window
                // it samples and pads no 0 in, but files of builds that left some out exist; for them the mean of the
                // reported samples is the figure (for a J/img of such a file, the mean of its iterations' ratios: the
                // rates of the missing iterations are not in the file). A NaN score is kept: it says an iteration
                // lacked it.
                boolean diluted = !interleaved && n > 0 && n < iterations && !Double.isNaN(m.score());
                secondary.put(s.getKey(), diluted ? Metric.ofSamples(m.unit(), m.rawData()) : m);
            }
        }
        long measurementMillis = o.has("measurementTime") ? millis(string(o.get("measurementTime"), "measurementTime")) : -1;
        int threads = o.has("threads") ? threads(o.get("threads")) : 1;
        return new BenchmarkResult(benchmark, mode, params, primary, secondary,
                JsonFile.strings(optionalObject(o, "environment"), "environment"), measurementMillis, threads);
    }

    /** JMH's modes as a result names them (-bm thrpt, avgt, sample, ss); "all" is a run's, which writes each of them. */
    private static final List<String> MODES = Stream.of(Mode.values()).filter(m -> m != Mode.All).map(Mode::shortLabel).toList();

    /**
     * A result's mode: it says whether the score is a throughput or a time per operation, so one JMH never writes would
     * be read as a time per operation that no run measured.
     */
    private static String mode(JsonElement e) {
        if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isString() && MODES.contains(e.getAsString())) {
            return e.getAsString();
        }
        throw shape("mode", e, "one of JMH's modes (" + String.join(", ", MODES) + ")");
    }

    /**
     * JMH's threads (-t), which it writes as a whole number >= 1: a throughput sums its threads' operations, and compare
     * pairs results by the count, which a fraction, NaN or a count < 1 is not (2.5 would pass as 2).
     */
    private static int threads(JsonElement e) {
        if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber()) {
            double t = e.getAsDouble();
            if (t >= 1 && t <= Integer.MAX_VALUE && t == Math.rint(t)) {
                return (int) t;
            }
        }
        throw shape("threads", e, "a whole number >= 1");
    }

    private static long millis(String time) {
        try {
            return TimeValue.fromString(time).convertTo(TimeUnit.MILLISECONDS);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("measurementTime \"" + time + "\" is not a time as JMH writes it (\"10 s\")");
        }
    }

    private static Metric metric(JsonElement e, String name) {
        JsonObject m = object(e, name);
        double score = number(required(m, name, "score"), name + ".score");
        double lo = Double.NaN;
        double hi = Double.NaN;
        if (m.has("scoreConfidence")) {
            JsonArray c = array(m.get("scoreConfidence"), name + ".scoreConfidence");
            if (c.size() != 2) {
                throw new IllegalArgumentException(name + ".scoreConfidence holds " + c.size() + " values, expected 2");
            }
            lo = number(c.get(0), name + ".scoreConfidence[0]");
            hi = number(c.get(1), name + ".scoreConfidence[1]");
        }
        List<List<Double>> raw = new ArrayList<>();
        if (m.has("rawData")) {
            JsonArray forks = array(m.get("rawData"), name + ".rawData");
            for (int f = 0; f < forks.size(); f++) {
                JsonArray fork = array(forks.get(f), name + ".rawData[" + f + "]");
                List<Double> values = new ArrayList<>();
                for (int i = 0; i < fork.size(); i++) {
                    values.add(number(fork.get(i), name + ".rawData[" + f + "][" + i + "]"));
                }
                raw.add(values);
            }
        }
        String unit = m.has("scoreUnit") ? string(m.get("scoreUnit"), name + ".scoreUnit") : "";
        return new Metric(score, lo, hi, unit, raw);
    }

    /**
     * The size no measured figure exceeds, and {@link #SMALLEST_FIGURE} the size one other than 0 stays above. No run
     * comes near either (a GPU's images per second are about 1e5, a J/img about 1e-3, a power about 1e2 W); far beyond
     * them the statistics leave a double's range: compare's Welch interval squares the differences between iterations and
     * squares their variances again, which overflow from about 1e77 and vanish below about 1e-77, leaving its degrees of
     * freedom no number, or its interval no width, so that any change would read as significant.
     */
    public static final double LARGEST_FIGURE = 1e30;
    /** The size a measured figure other than 0 is at least: see {@link #LARGEST_FIGURE}. */
    public static final double SMALLEST_FIGURE = 1e-30;

    /** Whether {@code v} is 0, or of a size from {@link #SMALLEST_FIGURE} to {@link #LARGEST_FIGURE}; false for NaN. */
    public static boolean withinRange(double v) {
        double size = Math.abs(v);
        return size == 0 || size >= SMALLEST_FIGURE && size <= LARGEST_FIGURE;
    }

    /**
     * Why a result's figures cannot be compared or reported, or null when they can. The primary metric is a measured
     * rate or time per operation: each iteration's is a finite number above 0, and there is one at least; a rate is
     * operations per a time unit, as JMH writes it. A secondary
     * metric may be NaN, which JMH writes for a figure it could not compute and the profiler for an iteration it could
     * not measure (the commands show those as unknown); no metric is ever infinite, nor, other than 0, beyond the sizes
     * {@link #withinRange} takes, and a known J/img is above 0.
     */
    private static String unusableFigure(BenchmarkResult r) {
        Metric primary = r.primary();
        if (primary.samples().length == 0) {
            return "sample".equals(r.mode())
                    ? "JMH's sample mode (-bm sample) keeps its iterations as a histogram, which no command here reads;"
                            + " measure with -bm thrpt (the suite's mode) or avgt"
                    : "primaryMetric.rawData holds no measured iteration; the commands read each iteration (JMH leaves"
                            + " them out under -Djmh.json.rawData=false)";
        }
        if (r.higherIsBetter() && BenchmarkResult.secondsPerUnit(primary.unit()) == null) {
            // a rate per no known time is no rate the commands can turn into images per second
            return "primaryMetric.scoreUnit is \"" + primary.unit() + "\", no throughput unit JMH writes (ops/s, ops/ms,"
                    + " ops/us, ...): its images per second are not known";
        }
        String bad = firstValue(primary, "primaryMetric", v -> Double.isFinite(v) && v > 0);
        if (bad != null) {
            return bad + "; an iteration's " + (r.higherIsBetter() ? "throughput" : "time per operation")
                    + " is a finite number > 0";
        }
        Map<String, Metric> metrics = new LinkedHashMap<>();
        metrics.put("primaryMetric", primary);
        r.secondary().forEach((label, m) -> metrics.put(secondaryName(label), m));
        for (Map.Entry<String, Metric> e : metrics.entrySet()) {
            Metric m = e.getValue();
            bad = firstValue(m, e.getKey(), v -> !Double.isInfinite(v));
            if (bad == null && (Double.isInfinite(m.lo()) || Double.isInfinite(m.hi()))) {
                bad = e.getKey() + ".scoreConfidence is [" + Numbers.plain(m.lo()) + ", " + Numbers.plain(m.hi()) + "]";
            }
            if (bad != null) {
                return bad + "; a measured figure is never infinite (one that is unknown is NaN)";
            }
            bad = firstValue(m, e.getKey(), v -> Double.isNaN(v) || withinRange(v));
            if (bad != null) {
                return bad + "; a measured figure other than 0 lies from 1e-30 to 1e30 in size: no run comes near either "
                        + "end, and far beyond them the statistics leave a double's range";
            }
        }
        // a GPU's energy over the images it ran is above 0 wherever it was measured: a 0 or less is no measurement, and
        // compare would read it as an improvement of up to -100 %
        Metric joules = r.secondary().get(EnergyLabels.J_PER_IMG);
        if (joules != null) {
            bad = firstValue(joules, secondaryName(EnergyLabels.J_PER_IMG), v -> Double.isNaN(v) || v > 0);
            if (bad != null) {
                return bad + "; a measured energy per image is a number > 0 (one that is unknown is NaN)";
            }
        }
        return null;
    }

    /** "NAME.rawData[F][I] is V" or "NAME.score is V" for the first value of the metric that is not {@code ok}; else null. */
    private static String firstValue(Metric m, String name, DoublePredicate ok) {
        List<double[]> forks = m.forks();
        for (int f = 0; f < forks.size(); f++) {
            for (int i = 0; i < forks.get(f).length; i++) {
                if (!ok.test(forks.get(f)[i])) {
                    return name + ".rawData[" + f + "][" + i + "] is " + Numbers.plain(forks.get(f)[i]);
                }
            }
        }
        return ok.test(m.score()) ? null : name + ".score is " + Numbers.plain(m.score());
    }

    /** A secondary metric as the documentation names it: secondaryMetrics["energy.J/img"]. */
    private static String secondaryName(String label) {
        return "secondaryMetrics[\"" + label + "\"]";
    }

    /**
     * The strings a figure's place holds where it is no finite number: JMH writes "NaN", "+INF" and "-INF", and the
     * lenient parser gives NaN, Infinity and -Infinity written bare (as Python's json writes them) as strings.
     */
    private static final Map<String, Double> NOT_FINITE = Map.of("NaN", Double.NaN,
            "+INF", Double.POSITIVE_INFINITY, "-INF", Double.NEGATIVE_INFINITY,
            "Infinity", Double.POSITIVE_INFINITY, "-Infinity", Double.NEGATIVE_INFINITY);

    /**
     * A number as JMH writes it: a JSON number, or one of the strings {@link #NOT_FINITE} names, which
     * {@link #unusableFigure} judges. Any other string ("123.4") is no figure JMH writes: one put there by hand or by
     * another tool, not a measurement.
     */
    private static double number(JsonElement e, String name) {
        if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber()) {
            return e.getAsDouble();
        }
        if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isString() && NOT_FINITE.containsKey(e.getAsString())) {
            return NOT_FINITE.get(e.getAsString());
        }
        throw shape(name, e, "a number");
    }

    private static JsonElement required(JsonObject o, String path, String field) {
        JsonElement e = o.get(field);
        if (e == null) {
            throw new IllegalArgumentException("no \"" + (path.isEmpty() ? field : path + "." + field) + "\" field");
        }
        return e;
    }

    /** A field JMH may leave out; null where it is absent. */
    private static JsonObject optionalObject(JsonObject o, String field) {
        return o.has(field) ? object(o.get(field), field) : null;
    }

    private static JsonArray array(JsonElement e, String name) {
        if (!e.isJsonArray()) {
            throw shape(name, e, "an array");
        }
        return e.getAsJsonArray();
    }

    /** NAME of NAME.json; a name without .json whole. */
    private static String stem(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(JSON) ? name.substring(0, name.length() - JSON.length()) : name;
    }
}
