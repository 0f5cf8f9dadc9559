package gpuenergy.sweep;

import gpuenergy.options.ShellWord;
import gpuenergy.results.AtomicWrite;
import gpuenergy.results.BadInputException;
import gpuenergy.results.FileNames;
import gpuenergy.results.IoMessage;
import gpuenergy.results.NotRun;
import gpuenergy.results.NotRunList;
import gpuenergy.results.ParamNames;
import gpuenergy.results.ResultFile;
import gpuenergy.results.ShardFile;
import gpuenergy.results.SweepResults;
import gpuenergy.run.DirectoryLock;
import gpuenergy.run.Failure;
import gpuenergy.run.PartialResult;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A sweep's directory: one result file per configuration, the log every outcome is appended to (what --resume and the
 * not-run list are rebuilt from), the not-run list, runs kept aside (short/, unreadable/), the measurement settings,
 * and every command that filled it. Every file appears whole or not at all.
 */
final class SweepDirectory implements AutoCloseable {
    static final String COMMANDS_FILE = "sweep-commands.txt";
    /** The file of the sweep's {@link DirectoryLock}, which a new sweep's directory may hold. */
    static final String LOCK_FILE = DirectoryLock.fileName("sweep");
    static final String SHORT_DIR = "short";
    static final String UNREADABLE_DIR = "unreadable";

    private final Path dir;
    private final SweepOptions o;
    private final SweepLog log;
    private final List<SweepLog.Entry> entries;
    /** The GPU this sweep runs on, for its log and not-run list; its fields null on the CPU or without a GPU. */
    private final OnGpu gpu;
    private final PrintStream out;
    private final DirectoryLock lock;

    private SweepDirectory(Path dir, SweepOptions o, List<SweepLog.Entry> entries, OnGpu gpu, PrintStream out,
                           DirectoryLock lock) {
        this.dir = dir;
        this.lock = lock;
        this.o = o;
        this.log = new SweepLog(dir);
        this.entries = entries;
        this.gpu = gpu;
        this.out = out;
    }

    /**
     * --out is new or empty, or, with --resume, an existing directory that is empty or holds a sweep (its log, its
     * settings, its lock, or the parts of a sweep over several GPUs); else one line: an IOException where --out is a
     * file (a results directory cannot be made there, as a plain run's -rff cannot be written), a BadInputException
     * where the command line does not fit the directory, such as a report's or an overhead command's directory given to
     * --resume, whose files a sweep would mix with or replace (its summary.csv).
     */
    static void requireNewOrResumed(SweepOptions o, Path dir) throws IOException, BadInputException {
        IoMessage.requireNotAFile(dir, o.out());
        if (Files.isDirectory(dir) && !o.resume()) {
            try (Stream<Path> s = Files.list(dir)) {
                // a sweep killed as it started may have left its lock file alone
                if (s.anyMatch(p -> !p.getFileName().toString().equals(LOCK_FILE))) {
                    throw new BadInputException("--out " + o.out() + " is not empty: continue that sweep with --resume, "
                            + "or choose another --out");
                }
            }
        }
        if (o.resume() && !Files.isDirectory(dir)) {
            throw new BadInputException("--resume: " + o.out() + " is not a directory; nothing to continue");
        }
        if (o.resume()) {
            try (Stream<Path> s = Files.list(dir)) {
                List<String> names = s.map(p -> p.getFileName().toString()).toList();
                if (!names.isEmpty() && names.stream().noneMatch(SweepDirectory::sweepsOwn)) {
                    throw new BadInputException("--resume: " + o.out() + " holds no sweep (no " + SweepLog.FILE + " or "
                            + SweepResults.SETTINGS + "): nothing to continue; choose another --out");
                }
            }
        }
    }

    /**
     * A symbolic link in --out at a name the sweep writes whole or removes (its summary, not-run list, part, settings, a
     * ladder's results and their unfinished iterations) refused in one line, as a plain run refuses one at or beside its
     * -rff result: the file renamed over it would replace the link, and its target would keep what it held.
     */
    static void refuseLinks(SweepOptions o, Path dir, SweptBenchmark benchmark) throws IOException, BadInputException {
        List<String> ladders = new ArrayList<>();
        for (String engine : benchmark.engines()) {
            for (String model : benchmark.models()) {
                String first = new Configuration(model, engine, 1).resultName();
                ladders.add(first.substring(0, first.length() - "1.json".length()));
            }
        }
        String link = AtomicWrite.renamedOverLinkIn(dir, name -> {
            if (name.equals(Summary.FILE)) {
                return "where the sweep writes its summary";
            } else if (name.equals(NotRunList.SWEEP_FILE)) {
                return "where the sweep writes the list of the configurations that did not run";
            } else if (name.equals(ShardFile.FILE)) {
                return "where the sweep records its part of the ladders";
            } else if (name.equals(SweepResults.SETTINGS)) {
                return "where the sweep records its settings";
            } else if (name.endsWith(".json") && ladders.stream().anyMatch(name::startsWith)) {
                return ResultFile.isUnfinished(Path.of(name)) ? "where the sweep keeps the measured iterations of a run that"
                        + " does not finish" : "where the sweep writes a configuration's result";
            }
            return null;
        });
        if (link != null) {
            throw new BadInputException("--out " + o.out() + ": " + link + "; remove the link, or choose another --out");
        }
    }

    /** Whether a file or directory of that name is one only a sweep makes in its --out. */
    static boolean sweepsOwn(String name) {
        return name.equals(SweepLog.FILE) || name.equals(SweepResults.SETTINGS) || name.equals(LOCK_FILE)
                || name.equals(MultiGpuSweep.RUNS_FILE)
                || ShardFile.DIRECTORY.matcher(name.replaceFirst("\\.log$", "")).matches(); // a part's directory or log
    }

    /**
     * --out, made ready and held ({@link DirectoryLock}) until {@link #close}: new and empty, or with --resume an existing
     * sweep's, measured with the same settings; this command is recorded in it, and its log read.
     */
    static SweepDirectory prepare(SweepOptions o, SweptBenchmark benchmark, OnGpu gpu, ShardFile part, PrintStream out)
            throws IOException, BadInputException {
        Path dir = o.out().toAbsolutePath();
        DirectoryLock lock = holdOut(o, dir, out, () -> {
            requireNewOrResumed(o, dir);
            refuseLinks(o, dir, benchmark);
        });
        try {
            // all that the directory holds and a resume may refuse is read before anything is recorded, so that a
            // refusal leaves the directory as it was; the log is read by --out as given, which its lines name
            ShardPlan.check(dir, o.out(), part, o.shard());
            List<SweepLog.Entry> entries = SweepLog.read(o.out(), out);
            Map<String, String> settings = SweepSettings.of(o, benchmark.entry());
            if (o.resume()) {
                SweepSettings.checkResults(dir, o.out(), settings, benchmark, out);
            }
            SweepSettings.RECORD.check(dir, o.out(), settings);
            // shard.json before the settings: a directory with sweep-settings.json and no shard.json is a sweep run
            // without --shard, which a part refuses
            ShardPlan.record(dir, part);
            SweepSettings.RECORD.record(dir, settings);
            // the exact command, kept with the results it made
            String line = Instant.now() + " " + commandLine().stream().map(ShellWord::of).collect(Collectors.joining(" ")) + "\n";
            Files.writeString(dir.resolve(COMMANDS_FILE), line, StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            clearPartials(dir, o.out(), out);
            unhideResults(dir, o.out(), out);
            SweepDirectory d = new SweepDirectory(dir, o, new ArrayList<>(entries), gpu, out, lock);
            if (!d.resume().notRun().isEmpty() || Files.exists(dir.resolve(NotRunList.SWEEP_FILE))) {
                // the log is what holds: a kill between its line and the list's rename left the list behind, also one
                // naming a configuration measured since
                d.writeNotRun();
            }
            return d;
        } catch (IOException | BadInputException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /** What --out must be before a sweep or a --gpus parent takes it (new or empty, or with --resume its own). */
    interface OutCheck {
        void check() throws IOException, BadInputException;
    }

    /**
     * --out {@code dir} held ({@link DirectoryLock}) for a sweep or a --gpus parent: a directory of the other layout
     * refused first (the lock writes its holder into its file), then held before {@code check} where it exists, so that
     * a second sweep is told it is in use, else made ({@link SweepLayout#makeDirectory}) and held once {@code check} has
     * passed, and the other layout refused again under the lock: a command of the other layout that passed its own look
     * at the directory meanwhile has left its mark by then, or is refused by this one's lock; let go where any fails.
     */
    static DirectoryLock holdOut(SweepOptions o, Path dir, PrintStream out, OutCheck check) throws IOException, BadInputException {
        SweepLayout.refuseTheOther(o, dir);
        DirectoryLock lock = Files.exists(dir.resolve(LOCK_FILE)) ? hold(o, dir, out) : null;
        try {
            check.check();
            SweepLayout.makeDirectory(o, dir);
            if (lock == null) {
                lock = hold(o, dir, out);
            }
            SweepLayout.refuseTheOther(o, dir);
            return lock;
        } catch (IOException | BadInputException | RuntimeException e) {
            if (lock != null) {
                lock.close();
            }
            throw e;
        }
    }

    /** --out's lock: a --gpus parent writes only below --out, in its parts' directories, and lets its parts in. */
    private static DirectoryLock hold(SweepOptions o, Path dir, PrintStream out) throws IOException, BadInputException {
        return o.gpus().isEmpty() ? DirectoryLock.hold(dir, o.out(), "sweep", out)
                : DirectoryLock.holdForParts(dir, o.out(), "sweep", out);
    }

    /** The run files a killed sweep left unpublished, each cleared with one line ({@link PartialResult#clear}). */
    static void clearPartials(Path dir, Path shownDir, PrintStream out) throws IOException {
        PartialResult.clear(dir, shownDir, "sweep", Set.of(NotRunList.SWEEP_FILE, SweepResults.SETTINGS, ShardFile.FILE), out);
    }

    /**
     * The results hidden by a leading '.' renamed as {@link Configuration#resultName} names them ({@link FileNames#visible}:
     * '_' for that '.'), one line each: sweep directories on disk may hold results of a model given by a relative path
     * under such names (.._models_m.pt-pytorch-fp32-b1.json), with their unfinished files
     * (.._models_m.pt-pytorch-fp32-b2.unfinished.json), which --resume would not find under the names it looks for, and
     * ls and a shell's DIR/*.json leave out. A sweep's directory holds the sweep's files only, and the hidden *.json at
     * its top, once the run files a kill left are cleared, are such files (report and compare read them as results all
     * the same). One whose visible name is taken (the configuration ran again under it) is left as it is, and its line
     * says so: either holds what was measured. Files kept aside in short/ and unreadable/ keep their names, as the
     * log's lines name them.
     */
    static void unhideResults(Path dir, Path shownDir, PrintStream out) throws IOException {
        List<Path> hidden;
        try (Stream<Path> s = Files.list(dir)) {
            hidden = s.filter(p -> p.getFileName().toString().startsWith(".") && p.getFileName().toString().endsWith(".json")
                    && Files.isRegularFile(p)).sorted().toList();
        }
        for (Path file : hidden) {
            String name = file.getFileName().toString();
            String visible = FileNames.visible(name);
            if (Files.exists(dir.resolve(visible))) {
                out.println("[sweep] " + shownDir.resolve(name) + ": left as it is, since " + shownDir.resolve(visible)
                        + ", the name this sweep gives it, is taken (the configuration ran again under it)"
                        + (ResultFile.isUnfinished(file) ? "" : "; report and compare read both results: move one of them "
                        + "out of " + shownDir));
            } else {
                Files.move(file, dir.resolve(visible)); // never over a file: the check above, and the sweep holds dir
                out.println("[sweep] " + shownDir.resolve(name) + ": renamed " + shownDir.resolve(visible)
                        + ", the name this sweep gives it (a leading '.' hides a file)");
            }
        }
    }

    /** Releases the directory for the next sweep. */
    @Override
    public void close() throws IOException {
        lock.close();
    }

    /** --out, absolute: what the sweep's file operations take. */
    Path path() {
        return dir;
    }

    /** --out as given, which the sweep's lines name: a relative --out stays valid in the shell that gave it. */
    Path shown() {
        return o.out();
    }

    /** {@code file}, a path under {@link #path}, as the sweep's lines name it: under --out as given. */
    Path shown(Path file) {
        return o.out().resolve(dir.relativize(file));
    }

    Path logFile() {
        return log.file();
    }

    Path resultFile(Configuration c) {
        return dir.resolve(c.resultName());
    }

    /** What the log settles so far. */
    Resume resume() {
        return Resume.of(entries);
    }

    /**
     * A result file that cannot be read, or that is not a result of {@code c} (another name that maps to its file name,
     * a file put there by hand), is moved aside (never overwritten), one line saying so and {@code then}, and null
     * returned: it is not a result of {@code c}, and a --resume that reaches it runs it again.
     */
    Measurement readOrSetAside(Path result, Configuration c, String then) throws IOException {
        try {
            return Measurement.read(shown(result), c); // read by --out as given, which its refusal names
        } catch (BadInputException e) {
            Path aside = AtomicWrite.setAside(result, aside(UNREADABLE_DIR), result.getFileName().toString());
            out.println("[sweep] " + Failure.oneLine(e.getMessage()) + "; moved to " + shown(aside) + " and " + then);
            return null;
        }
    }

    /**
     * {@code c}'s result in the sweep directory {@code dir} as a resumed sweep takes it, read without moving anything:
     * null where there is none, or where {@link #readOrSetAside} would set it aside (the resume runs it again).
     */
    static Measurement resultIn(Path dir, Configuration c) {
        Path result = dir.resolve(c.resultName());
        if (!Files.exists(result)) {
            return null;
        }
        try {
            return Measurement.read(result, c);
        } catch (BadInputException e) {
            return null;
        }
    }

    /**
     * The short run an earlier sweep kept aside in the sweep directory {@code dir} for a re-run it did not finish
     * ({@code file}, as its log line names it); null when none is readable.
     */
    static Measurement readShortRun(Path dir, String file) {
        if (file == null) {
            return null;
        }
        try {
            return Measurement.read(dir.resolve(file));
        } catch (BadInputException e) {
            return null; // then the configuration starts as if new
        }
    }

    /** Keeps a finished run aside in short/ (a measured result is never thrown away); its path in the directory. */
    String keepShort(Path finished, Configuration c, int attempt) throws IOException {
        return keep(finished, freeTryName(aside(SHORT_DIR), c.resultName(), attempt));
    }

    /** Keeps a run whose result cannot be read aside in unreadable/; its path in the directory. */
    String keepUnreadable(Path finished, Configuration c) throws IOException {
        return dir.relativize(AtomicWrite.setAside(finished, aside(UNREADABLE_DIR), c.resultName())).toString();
    }

    /** The directory {@code name} (short/, unreadable/) made, a failure named under --out as given. */
    private Path aside(String name) throws IOException {
        Path aside = dir.resolve(name);
        IoMessage.createDirectories(aside, shown(aside));
        return aside;
    }

    private String keep(Path finished, Path aside) throws IOException {
        AtomicWrite.publish(finished, aside);
        return dir.relativize(aside).toString();
    }

    /**
     * Where a short run is kept: short/NAME.tryN.json with the first N >= attempt not taken, so that a resumed sweep
     * whose run falls short again keeps the earlier sweep's short run too.
     */
    static Path freeTryName(Path shortDir, String resultName, int attempt) {
        for (int n = attempt; ; n++) {
            Path p = shortDir.resolve(resultName.replace(".json", ".try" + n + ".json"));
            if (!Files.exists(p)) {
                return p;
            }
        }
    }

    /** Logs an outcome of this sweep's GPU; see {@link #record(Configuration, String, String, String, double, String)}. */
    void record(Configuration c, String status, String reason, String file, double seconds) throws IOException {
        record(c, status, reason, file, seconds, gpu);
    }

    /**
     * Appends an outcome to the log, and rebuilds the not-run list when it is one, or when a list is there: a result may
     * settle a configuration it names (a failure measured on --resume).
     */
    void record(Configuration c, String status, String reason, String file, double seconds, OnGpu onGpu) throws IOException {
        SweepLog.Entry e = new SweepLog.Entry(Instant.now().toString(), c.model(), c.engine(), c.batch(), status,
                reason == null ? "" : reason, file, Math.round(seconds * 1000) / 1000.0, onGpu.name(), onGpu.uuid(),
                onGpu.migMode(), onGpu.migProfile());
        log.append(e);
        entries.add(e);
        if (e.kind() != null || Files.exists(dir.resolve(NotRunList.SWEEP_FILE))) {
            writeNotRun();
        }
    }

    /** The GPU this sweep runs on; its fields null on the CPU or without a GPU. */
    OnGpu gpu() {
        return gpu;
    }

    /**
     * DIR/sweep.notrun.json, rebuilt from the log; each entry names the GPU model of its log line ({@link OnGpu#model}),
     * so that a resumed sweep lists earlier outcomes as they were recorded, and the report ends the ladder of that model
     * only. Where every configuration's latest outcome is a result, there is no list, as in a sweep where all ran.
     */
    private void writeNotRun() throws IOException {
        List<NotRun> list = new ArrayList<>();
        for (SweepLog.Entry e : resume().notRun()) {
            Map<String, String> params = new LinkedHashMap<>();
            params.put(ParamNames.MODEL, e.model());
            params.put(ParamNames.ENGINE, e.engine());
            params.put(ParamNames.BATCH_SIZE, String.valueOf(e.batchSize()));
            params.putAll(o.fixedParams());
            list.add(new NotRun(o.benchmark(), params, e.kind(), e.reason(), e.onGpu().model()));
        }
        if (list.isEmpty()) {
            Files.deleteIfExists(dir.resolve(NotRunList.SWEEP_FILE));
            return;
        }
        NotRunList.write(dir.resolve(NotRunList.SWEEP_FILE), list);
    }

    /**
     * One row per model and engine of the whole directory: this sweep's, then every other one its log names. A
     * directory filled by several sweeps (each with its own models and --max-batch) is summarized whole, not as the
     * last sweep's part of it. A ladder whose results were measured on several GPU models (as their log lines name them)
     * says so in its note.
     */
    List<Summary.Row> summarize(List<Shard.LadderId> ladders) throws IOException {
        Set<List<String>> pairs = new LinkedHashSet<>();
        int largest = o.maxBatch();
        for (Shard.LadderId l : ladders) {
            pairs.add(List.of(l.model(), l.engine()));
        }
        for (SweepLog.Entry e : entries) {
            pairs.add(List.of(e.model(), e.engine()));
            largest = Math.max(largest, e.batchSize());
        }
        List<Integer> sizes = BatchLadder.sizes(largest);
        Resume resume = resume();
        List<SweepLog.Entry> notRun = resume.notRun();
        List<Summary.Row> rows = new ArrayList<>();
        for (List<String> pair : pairs) {
            Configuration ladder = new Configuration(pair.get(0), pair.get(1), 0);
            List<Measurement> measured = new ArrayList<>();
            for (int b : sizes) {
                Path f = resultFile(ladder.at(b));
                // another sweep's result may be unreadable: it costs its own rung, not the summary of the rest
                Measurement m = Files.exists(f) ? readOrSetAside(f, ladder.at(b), "left out of the summary") : null;
                if (m != null) {
                    measured.add(m);
                }
            }
            BestBatch best = BestBatch.choose(measured);
            Map<String, String> models = resume.gpuModels(ladder.model(), ladder.engine(),
                    measured.stream().map(Measurement::batchSize).collect(Collectors.toSet()));
            if (best != null && models.size() > 1) {
                // a ladder resumed on another GPU model: its best batch is chosen across them, which the row says
                best = best.noted("across GPU models: " + models.entrySet().stream()
                        .map(m -> m.getKey() + " (batch " + m.getValue() + ")").collect(Collectors.joining(", ")));
            }
            if (best != null && !IterationTime.enough(best.best().slowestBatchesPerSecond(), best.best().iterationMillis(),
                    o.minBatches())) {
                // the protocol's batches per iteration were not met (a third run still short, kept as the result; a
                // result of a sweep whose settings the directory does not record): chosen all the same, and said so
                best = best.noted("not the protocol's --min-batches: "
                        + Rung.shortBy(best.best(), best.best().iterationMillis(), o.minBatches()));
            }
            SweepLog.Entry top = topNotRun(ladder, notRun);
            rows.add(new Summary.Row(ladder.model(), ladder.engine(), measured, best == null ? null : atTop(best, measured, top),
                    ladderEnd(top), best == null ? "" : ladder.at(best.best().batchSize()).resultName()));
        }
        return rows;
    }

    /**
     * A best batch that is the largest measured, where the ladder did not end above it (no did-not-fit, unavailable or
     * iteration-too-long at a larger batch: it stopped at its --max-batch, failed, or was stopped): a larger batch may
     * take less energy per image, which its note says, as report marks it.
     */
    private static BestBatch atTop(BestBatch best, List<Measurement> measured, SweepLog.Entry top) {
        int b = best.best().batchSize();
        if (measured.stream().anyMatch(m -> m.batchSize() > b)) {
            return best;
        }
        if (top != null && top.batchSize() > b && (top.kind() == NotRun.Kind.DID_NOT_FIT
                || top.kind() == NotRun.Kind.UNAVAILABLE || top.kind() == NotRun.Kind.ITERATION_TOO_LONG)) {
            return best;
        }
        boolean atCap = top != null && top.kind() == NotRun.Kind.ABOVE_MAX_BATCH && top.batchSize() == 2 * b;
        return best.noted("largest batch measured and " + (atCap ? "the sweep's --max-batch" : "its ladder not finished")
                + ": a larger batch may take less energy per image");
    }

    /**
     * A ladder's not-run line at the largest batch (a cap line of an earlier, smaller --max-batch may still stand below
     * a did-not-fit); null when a --stop-after stopped it.
     */
    private static SweepLog.Entry topNotRun(Configuration ladder, List<SweepLog.Entry> notRun) {
        SweepLog.Entry top = null;
        for (SweepLog.Entry e : notRun) {
            if (e.model().equals(ladder.model()) && e.engine().equals(ladder.engine())
                    && (top == null || e.batchSize() > top.batchSize())) {
                top = e;
            }
        }
        return top;
    }

    /** Where a ladder ends, from {@link #topNotRun}: "" when a --stop-after stopped it. */
    private static String ladderEnd(SweepLog.Entry top) {
        return top == null ? "" : switch (top.kind()) {
            case ABOVE_MAX_BATCH -> "batch " + top.batchSize() + " " + top.reason();
            case DID_NOT_FIT -> "did not fit at batch " + top.batchSize() + ": " + top.reason();
            case UNAVAILABLE -> "unavailable at batch " + top.batchSize() + ": " + top.reason();
            case ITERATION_TOO_LONG -> "iterations too long at batch " + top.batchSize() + ": " + top.reason();
            case ERROR -> "failed at batch " + top.batchSize() + ": " + top.reason();
        };
    }

    private static List<String> commandLine() {
        List<String> cmd = new ArrayList<>();
        ProcessHandle.Info info = ProcessHandle.current().info();
        if (info.arguments().isEmpty()) {
            return List.of("(command line not available)");
        }
        cmd.add(info.command().orElse("java"));
        cmd.addAll(List.of(info.arguments().get()));
        return cmd;
    }
}
