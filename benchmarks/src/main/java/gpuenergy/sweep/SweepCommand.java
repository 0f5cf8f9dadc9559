package gpuenergy.sweep;

import gpuenergy.engine.Engines;
import gpuenergy.results.AtomicWrite;
import gpuenergy.results.BadInputException;
import gpuenergy.results.IoMessage;
import gpuenergy.results.NotRun;
import gpuenergy.results.NotRunList;
import gpuenergy.results.ShardFile;
import gpuenergy.results.TrialRecords;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.VerboseMode;

import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * {@code java -jar benchmarks.jar sweep ...}: the paper's batch-size sweep. For each model and engine,
 * batch sizes 1, 2, 4, ... until the batch does not fit in memory (or --max-batch); each configuration
 * is its own forked JMH run whose measured iterations hold >= --min-batches batches and last
 * >= --min-seconds. Every finished result is on disk (atomically) before the next run starts, and
 * DIR/sweep.jsonl records every outcome, so a killed sweep loses nothing and --resume continues it. A ladder that
 * runs up to --max-batch is recorded as stopped there (an above-max-batch line at its next batch), so that the report
 * can tell a best batch at the cap from one at the top of a ladder cut short.
 *
 * Exit status: NotRun.exitCode's rule, as in a plain run: 0 when every configuration was measured, did not fit or
 * is unavailable on this machine (or --stop-after stopped the sweep before one), 1 when one failed or nothing at all
 * was measured (or on an I/O error), 2 for a bad command line.
 */
public final class SweepCommand {
    /** Runs per configuration at most: the first, plus re-runs with longer iterations when one held too few batches. */
    static final int MAX_ATTEMPTS = 3;
    static final String COMMANDS_FILE = "sweep-commands.txt";
    static final String SHORT_DIR = "short";
    private static final String DEVICE = "device";

    private final SweepOptions o;
    private final RunHooks hooks;
    private final Path dir;
    private final SweepLog log;
    private final List<SweepLog.Entry> entries = new ArrayList<>();
    private final long startNanos = System.nanoTime();
    private final Progress progress = new Progress(startNanos);
    private final PrintStream out = System.out;
    /** The benchmark swept. */
    private BenchmarkListEntry entry;
    /** The GPU this sweep runs on, for its log and not-run list; null on the CPU or without a GPU. */
    private String gpu;
    /** The JMH iterations and forks every configuration's run makes, for --stop-after's predictions. */
    private RunTime.Plan plan;
    /** The last finished run's wall time beyond its iterations; NaN before this sweep has finished one. */
    private double overheadSeconds = Double.NaN;
    /** --stop-after stopped the sweep before a configuration predicted to end too late. */
    private boolean stopped;
    /** Configurations of this sweep's ladders with a result, measured now or done earlier. */
    private int measuredOrDone;
    /** The kinds of this sweep's configurations that did not run (did-not-fit, unavailable, error). */
    private final List<NotRun.Kind> notRunKinds = new ArrayList<>();

    private SweepCommand(SweepOptions o, RunHooks hooks) {
        this.o = o;
        this.hooks = hooks;
        this.dir = o.out().toAbsolutePath();
        this.log = new SweepLog(dir);
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** The sweep subcommand; {@code args} are the arguments after "sweep" (a leading "sweep" is also accepted). */
    public static int run(String[] args) {
        return run(args, RunHooks.NONE);
    }

    /**
     * @param hooks    added to each configuration's run, and applied to each finished JMH JSON result before it is published under its final name
     *                 (the launcher's environment enrichment, so sweep results match plain runs)
     */
    public static int run(String[] args, RunHooks hooks) {
        try {
            SweepOptions o = SweepOptions.parse(args);
            if (o == null) {
                System.out.println(SweepOptions.help());
                return 0;
            }
            return new SweepCommand(o, hooks).sweep();
        } catch (BadInputException e) {
            System.err.println("sweep: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            System.err.println("sweep: " + Failure.oneLine(IoMessage.describe(e)));
            return 1;
        }
    }

    private int sweep() throws IOException, BadInputException {
        entry = findBenchmark(o.benchmark());
        checkParams(entry);
        List<String> models = orDeclared(o.models(), entry, SweepOptions.MODEL);
        List<String> engines = orDeclared(o.engines(), entry, SweepOptions.ENGINE);
        gpu = NotRun.gpuFor(device(entry), hooks.gpuName());
        plan = RunTime.Plan.of(o.jmh(), entry);
        List<Shard.Ladder> every = new ArrayList<>();
        for (String model : models) {
            for (String engine : engines) {
                every.add(new Shard.Ladder(model, engine));
            }
        }
        ShardFile part = o.shard() == null ? null : ShardPlan.partition(o, every);
        List<Shard.Ladder> ladders = part == null ? every : ShardPlan.ladders(part);
        prepareDirectory(part);
        entries.addAll(SweepLog.read(dir));
        Resume resume = Resume.of(entries);

        int fullLadder = BatchLadder.rungsFrom(o.minBatch(), o.maxBatch());
        if (part != null) {
            out.printf("[sweep] shard %s: %d of the %d ladders (%s)%n", o.shard(), ladders.size(), every.size(),
                    ladders.isEmpty() ? "none: more parts than ladders" : ShardPlan.describe(part, o.shard().index()));
        }
        out.printf("[sweep] %d models x %d engines, batch sizes %d..%d doubling until out of memory; results in %s%n",
                models.size(), engines.size(), o.minBatch(), o.maxBatch(), dir);
        boolean failed = false;
        int ladder = 0;
        measuredOrDone = 0;
        for (Shard.Ladder l : ladders) {
            if (stopped) {
                break;
            }
            ladder++;
            failed |= !runLadder(l.model(), l.engine(), resume, (ladders.size() - ladder) * fullLadder);
        }
        List<Summary.Row> rows = summarize(ladders);
        Summary.write(dir, rows);
        Summary.print(out, rows);
        out.println("[sweep] summary: " + dir.resolve(Summary.FILE) + "; not run: " + dir.resolve(NotRunList.SWEEP_FILE)
                + "; log: " + log.file());
        // the plain run's rule; a sweep that --stop-after stopped before its first result lists nothing, and exits 0
        List<NotRun.Kind> kinds = new ArrayList<>(notRunKinds);
        if (failed) {
            kinds.add(NotRun.Kind.ERROR);
        }
        if (ladders.isEmpty()) {
            return 0; // a part of a sweep with fewer ladders than parts: nothing asked of it, nothing failed
        }
        return NotRun.exitCode(measuredOrDone, kinds);
    }

    /** The engine's longest build, 0 for engines that build none or names this build does not know. */
    private static double buildSecondsWhenUncached(String engine) {
        try {
            return Engines.byName(engine).buildSecondsWhenUncached();
        } catch (RuntimeException e) {
            return 0;
        }
    }

    /** @return false when a configuration failed (not merely did not fit) */
    private boolean runLadder(String model, String engine, Resume resume, int runsAfterLadder) throws IOException {
        Measurement previous = null;
        // the previous rung's overhead when an earlier sweep measured it (from its log line); NaN: the field's
        double previousOverhead = Double.NaN;
        int last = 0;
        boolean lastDoneEarlier = false;
        for (int batch = o.minBatch(); batch != 0 && batch <= o.maxBatch(); batch = BatchLadder.next(batch, o.maxBatch())) {
            int didNotFit = resume.didNotFitAt(model, engine);
            if (didNotFit != 0 && batch >= didNotFit) {
                out.printf("[sweep] %s / %s: batch %d did not fit in an earlier run of this sweep; ladder ends%n",
                        model, engine, didNotFit);
                return true;
            }
            last = batch;
            Path result = dir.resolve(resultName(model, engine, batch));
            if (Files.exists(result)) {
                Measurement done = readOrSetAside(result);
                if (done != null) {
                    out.printf("[sweep] %s / %s batch %d: done earlier (%s)%n", model, engine, batch, result.getFileName());
                    measuredOrDone++;
                    previous = done;
                    // its process's overhead (model load, cuDNN's algorithm search at that batch, the profiler's
                    // pauses), not the 15 s assumed before this process has finished a run
                    double seconds = resume.lastDoneRunSeconds(model, engine, batch);
                    previousOverhead = Double.isNaN(seconds) ? Double.NaN : RunTime.recordedOverheadSeconds(plan, done, seconds);
                    lastDoneEarlier = true;
                    continue;
                }
            }
            long millis = IterationTime.chooseMillis(o.minMillis(), o.minBatches(),
                    previous == null ? Double.NaN : previous.slowestBatchesPerSecond(),
                    previous == null ? 0 : previous.batchSize(), batch);
            double batchSeconds = RunTime.batchSeconds(previous, batch);
            double overhead = Double.isNaN(previousOverhead) ? overheadSeconds : previousOverhead;
            // an earlier sweep stopped (or was killed) before re-running this configuration: its short run, kept
            // aside, measured this very batch, so its rate decides the iteration time, and its wall time the
            // overhead (a large batch's start can take a minute: cuDNN tries its algorithms at that batch)
            SweepLog.Entry rerun = resume.lastRerun(model, engine, batch);
            Measurement shortRun = rerun == null ? null : readShortRun(rerun.file());
            if (shortRun != null && shortRun.slowestBatchesPerSecond() > 0) {
                millis = Math.max(millis, IterationTime.rerunMillis(o.minMillis(), o.minBatches(),
                        shortRun.slowestBatchesPerSecond(), shortRun.iterationMillis()));
                batchSeconds = 1 / shortRun.slowestBatchesPerSecond();
                overhead = RunTime.overheadSeconds(rerun.seconds(),
                        RunTime.iterationSeconds(plan, shortRun.iterationMillis(), 1 / shortRun.batchesPerSecond()));
            }
            // a short run of this very batch built its engine into the cache already
            double build = shortRun != null ? 0 : RunTime.buildSeconds(buildSecondsWhenUncached(engine), previous);
            if (stopsBefore(model, engine, batch, false, RunTime.predictSeconds(plan, millis, batchSeconds, overhead) + build)) {
                return true; // nothing is logged for this configuration, so --resume runs it
            }
            int leftInLadder = BatchLadder.rungsFrom(batch, o.maxBatch());
            out.println(progress.line(model, engine, batch, leftInLadder, leftInLadder + runsAfterLadder, System.nanoTime()));
            Step step = measure(model, engine, batch, millis, result);
            if (step == Step.STOPPED) {
                return true;
            }
            if (step.failure() != null) {
                Failure f = step.failure();
                out.printf("[sweep] %s / %s batch %d %s: %s%n", model, engine, batch, switch (f.kind()) {
                    case DID_NOT_FIT -> "did not fit; ladder ends";
                    case UNAVAILABLE -> "unavailable here; ladder ends";
                    default -> "FAILED; going on with the next model/engine";
                }, f.reason());
                notRunKinds.add(f.kind());
                return f.endsLadderCleanly();
            }
            measuredOrDone++;
            previous = step.measured();
            previousOverhead = Double.NaN; // measured here: the field holds its overhead
            lastDoneEarlier = false;
        }
        // the ladder ran up to the cap, its last rung measured now or earlier: say so, or a best batch at the top
        // would look like a ladder cut short
        recordAboveMaxBatch(model, engine, last, lastDoneEarlier, resume);
        return true;
    }

    /**
     * Logs an above-max-batch line at the batch after the ladder's last rung {@code last}, unless that batch is
     * already settled otherwise: its result exists (a sweep with a larger --max-batch measured it; a 1..32 fill-in
     * below a measured 64 says nothing), or its latest log line is a did-not-fit, a failure, or this same
     * above-max-batch line for the same GPU.
     *
     * @param lastDoneEarlier the last rung was measured by an earlier sweep: the line names the GPU that sweep's log
     *                        line names (a resumed sweep on a machine without a GPU records where the study ran)
     */
    private void recordAboveMaxBatch(String model, String engine, int last, boolean lastDoneEarlier, Resume resume)
            throws IOException {
        if (last == 0 || last > Integer.MAX_VALUE / 2) {
            return;
        }
        int above = 2 * last;
        if (Files.exists(dir.resolve(resultName(model, engine, above)))) {
            return;
        }
        SweepLog.Entry done = lastDoneEarlier ? resume.lastDone(model, engine, last) : null;
        String on = done != null && done.gpu() != null ? done.gpu() : gpu;
        SweepLog.Entry earlier = resume.lastOutcome(model, engine, above);
        NotRun.Kind settled = earlier == null ? null : earlier.kind();
        if (settled == NotRun.Kind.DID_NOT_FIT || settled == NotRun.Kind.ERROR
                || settled == NotRun.Kind.ABOVE_MAX_BATCH && Objects.equals(earlier.gpu(), on)) {
            return;
        }
        out.printf("[sweep] %s / %s: ladder reached --max-batch %d; batch %d recorded as %s%n", model, engine,
                o.maxBatch(), above, NotRun.Kind.ABOVE_MAX_BATCH.label());
        record(model, engine, above, SweepLog.status(NotRun.Kind.ABOVE_MAX_BATCH),
                "not measured: above the sweep's --max-batch " + o.maxBatch(), null, 0, on);
    }

    /**
     * --stop-after: true (and the sweep stops) when a run predicted to take {@code predicted} seconds would end after
     * the limit, before a configuration's first run or before its re-run.
     */
    private boolean stopsBefore(String model, String engine, int batch, boolean reRun, double predicted) {
        if (o.stopAfterMillis() <= 0) {
            return false;
        }
        double left = o.stopAfterMillis() / 1000.0 - (System.nanoTime() - startNanos) / 1e9;
        if (predicted <= left) {
            return false;
        }
        out.printf(Locale.ROOT, "[sweep] stopping: %s%s / %s batch %d predicted %.1f s, %.1f s left of --stop-after %s; "
                        + "--resume continues here%n", reRun ? "re-run of " : "", model, engine, batch, predicted, Math.max(0, left),
                BigDecimal.valueOf(o.stopAfterMillis(), 3).stripTrailingZeros().toPlainString());
        stopped = true;
        return true;
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

    /** The short run an earlier sweep kept aside for a re-run it did not finish; null when none is readable. */
    private Measurement readShortRun(String file) {
        if (file == null) {
            return null;
        }
        try {
            return Measurement.read(dir.resolve(file));
        } catch (BadInputException e) {
            return null; // then the configuration starts as if new
        }
    }

    /** One configuration's outcome: measured, or not (did not fit, failed), or {@link #STOPPED} before a re-run. */
    private record Step(Measurement measured, Failure failure) {
        static final Step STOPPED = new Step(null, null);
    }

    /** Runs one configuration until its iterations hold enough batches (at most {@link #MAX_ATTEMPTS} runs). */
    private Step measure(String model, String engine, int batch, long millis, Path result) throws IOException {
        long start = System.nanoTime();
        Path partial = dir.resolve("." + result.getFileName() + ".partial");
        for (int attempt = 1; ; attempt++) {
            Files.deleteIfExists(partial);
            long attemptStart = System.nanoTime();
            ConfigRun.Outcome run = ConfigRun.run(o, hooks, model, engine, batch, millis, partial);
            double seconds = (System.nanoTime() - start) / 1e9;
            if (run.failure() != null) {
                Failure f = run.failure();
                if (f.jmhLocked()) {
                    throw new IOException(f.reason() + " The sweep stops here (nothing recorded for " + model + " / "
                            + engine + " batch " + batch + "); continue it later with --resume --out " + o.out());
                }
                // the benchmark's own record of why it did not run, over what JMH's failure says
                TrialRecords.NotRunRecord reported = hooks.notRun(o.benchmark(), runParams(model, engine, batch));
                if (reported != null) {
                    f = Failure.recorded(reported.kind(), reported.reason());
                }
                progress.measured(seconds);
                record(model, engine, batch, SweepLog.status(f.kind()), f.reason(), null, seconds);
                return new Step(null, f);
            }
            String note = "";
            try {
                hooks.finish(partial);
            } catch (IOException | RuntimeException e) {
                // the measurement stands; it is published without the post-processing, and the log says so
                note = "not post-processed: " + Failure.oneLine(String.valueOf(e.getMessage()));
            }
            Measurement m;
            try {
                m = Measurement.read(partial);
            } catch (BadInputException e) {
                Path aside = dir.resolve("unreadable").resolve(result.getFileName());
                Files.createDirectories(aside.getParent());
                AtomicWrite.publish(partial, aside);
                Failure f = new Failure(NotRun.Kind.ERROR, Failure.oneLine(e.getMessage()));
                record(model, engine, batch, SweepLog.FAILED, f.reason(), dir.relativize(aside).toString(), seconds);
                return new Step(null, f);
            }
            // this run's own iterations at its own measured rate; the rest of its wall time is the next prediction's overhead
            overheadSeconds = RunTime.overheadSeconds((System.nanoTime() - attemptStart) / 1e9,
                    RunTime.iterationSeconds(plan, millis, 1 / m.batchesPerSecond()));
            double held = IterationTime.batchesPerIteration(m.slowestBatchesPerSecond(), millis);
            if (!IterationTime.enough(m.slowestBatchesPerSecond(), millis, o.minBatches()) && attempt < MAX_ATTEMPTS) {
                long longer = IterationTime.rerunMillis(o.minMillis(), o.minBatches(), m.slowestBatchesPerSecond(), millis);
                // kept, not overwritten: a measured result is never thrown away
                Path aside = freeTryName(dir.resolve(SHORT_DIR), result.getFileName().toString(), attempt);
                Files.createDirectories(aside.getParent());
                AtomicWrite.publish(partial, aside);
                String reason = String.format(Locale.ROOT,
                        "slowest iteration held %.1f batches (< %d) in %.3f s; re-running with %.3f s iterations",
                        held, o.minBatches(), millis / 1000.0, longer / 1000.0);
                out.printf("[sweep] %s / %s batch %d: %s%n", model, engine, batch, reason);
                record(model, engine, batch, SweepLog.RERUN, reason, dir.relativize(aside).toString(),
                        (System.nanoTime() - attemptStart) / 1e9);
                millis = longer;
                // the re-run's length is known now (a rate that fell with the batch is what made it short): one
                // that would end after --stop-after is left to --resume, which starts from the run kept aside
                if (stopsBefore(model, engine, batch, true, RunTime.predictSeconds(plan, millis,
                        1 / m.slowestBatchesPerSecond(), overheadSeconds))) {
                    return Step.STOPPED;
                }
                continue;
            }
            if (held < o.minBatches()) {
                note = join(note, String.format(Locale.ROOT, "slowest iteration held only %.1f batches (< %d) after %d runs",
                        held, o.minBatches(), attempt));
            }
            AtomicWrite.publish(partial, result);
            progress.measured(seconds);
            record(model, engine, batch, SweepLog.DONE, note, result.getFileName().toString(), seconds);
            out.printf(Locale.ROOT, "[sweep] %s / %s batch %d: %.4g img/s%s -> %s%n", model, engine, batch,
                    m.imagesPerSecond(), m.hasEnergy() ? String.format(Locale.ROOT, ", %.4g J/img", m.jPerImg()) : "",
                    result.getFileName());
            return new Step(m, null);
        }
    }

    private void record(String model, String engine, int batch, String status, String reason, String file, double seconds)
            throws IOException {
        record(model, engine, batch, status, reason, file, seconds, gpu);
    }

    private void record(String model, String engine, int batch, String status, String reason, String file, double seconds,
                        String gpu) throws IOException {
        SweepLog.Entry e = new SweepLog.Entry(Instant.now().toString(), model, engine, batch, status,
                reason == null ? "" : reason, file, Math.round(seconds * 1000) / 1000.0, gpu);
        log.append(e);
        entries.add(e);
        if (!SweepLog.DONE.equals(status) && !SweepLog.RERUN.equals(status)) {
            writeNotRun();
        }
    }

    /**
     * DIR/sweep.notrun.json, rebuilt from the log; each entry names the GPU its log line names, so that a resumed sweep
     * lists earlier outcomes as they were recorded.
     */
    private void writeNotRun() throws IOException {
        List<NotRun> list = new ArrayList<>();
        for (SweepLog.Entry e : Resume.of(entries).notRun()) {
            Map<String, String> params = new LinkedHashMap<>();
            params.put(SweepOptions.MODEL, e.model());
            params.put(SweepOptions.ENGINE, e.engine());
            params.put(SweepOptions.BATCH, String.valueOf(e.batchSize()));
            params.putAll(o.fixedParams());
            list.add(new NotRun(o.benchmark(), params, e.kind(), e.reason(), e.gpu()));
        }
        NotRunList.write(dir.resolve(NotRunList.SWEEP_FILE), list);
    }

    /**
     * One row per model and engine of the whole directory: this sweep's, then every other one its log names. A
     * directory filled by several sweeps (a study spread over calls, each with its own models and --max-batch) is
     * summarized whole, not as the last call's part of it.
     */
    private List<Summary.Row> summarize(List<Shard.Ladder> ladders) throws IOException {
        Resume settled = Resume.of(entries);
        Set<List<String>> pairs = new LinkedHashSet<>();
        int largest = o.maxBatch();
        for (Shard.Ladder l : ladders) {
            pairs.add(List.of(l.model(), l.engine()));
        }
        for (SweepLog.Entry e : entries) {
            pairs.add(List.of(e.model(), e.engine()));
            largest = Math.max(largest, e.batchSize());
        }
        List<Integer> sizes = BatchLadder.sizes(largest);
        List<Summary.Row> rows = new ArrayList<>();
        for (List<String> pair : pairs) {
            String model = pair.get(0);
            String engine = pair.get(1);
            List<Measurement> measured = new ArrayList<>();
            for (int b : sizes) {
                Path f = dir.resolve(resultName(model, engine, b));
                if (Files.exists(f)) {
                    try {
                        measured.add(Measurement.read(f));
                    } catch (BadInputException e) {
                        throw new IOException(e.getMessage(), e);
                    }
                }
            }
            BestBatch best = BestBatch.choose(measured);
            // where the ladder ends: its not-run line at the largest batch (a cap line of an earlier, smaller
            // --max-batch may still stand below a did-not-fit); none when a --stop-after stopped it
            SweepLog.Entry top = null;
            for (SweepLog.Entry e : settled.notRun()) {
                if (e.model().equals(model) && e.engine().equals(engine) && (top == null || e.batchSize() > top.batchSize())) {
                    top = e;
                }
            }
            String end = top == null ? "" : switch (top.kind()) {
                case ABOVE_MAX_BATCH -> "batch " + top.batchSize() + " " + top.reason();
                case DID_NOT_FIT -> "did not fit at batch " + top.batchSize() + ": " + top.reason();
                case UNAVAILABLE -> "unavailable at batch " + top.batchSize() + ": " + top.reason();
                case ERROR -> "failed at batch " + top.batchSize() + ": " + top.reason();
            };
            rows.add(new Summary.Row(model, engine, measured, best, end,
                    best == null ? "" : resultName(model, engine, best.best().batchSize())));
        }
        return rows;
    }

    /** A result file that cannot be read is moved aside (never overwritten) and its configuration runs again. */
    private Measurement readOrSetAside(Path result) throws IOException {
        try {
            return Measurement.read(result);
        } catch (BadInputException e) {
            Path aside = dir.resolve("unreadable").resolve(result.getFileName());
            Files.createDirectories(aside.getParent());
            Files.move(result, aside, StandardCopyOption.REPLACE_EXISTING);
            out.println("[sweep] " + Failure.oneLine(e.getMessage()) + "; moved to " + aside + " and running it again");
            return null;
        }
    }

    private void prepareDirectory(ShardFile part) throws IOException, BadInputException {
        if (Files.isDirectory(dir) && !o.resume()) {
            try (Stream<Path> s = Files.list(dir)) {
                if (s.findAny().isPresent()) {
                    throw new BadInputException("--out " + o.out() + " is not empty: continue that sweep with --resume, "
                            + "or choose another --out");
                }
            }
        }
        if (o.resume() && !Files.isDirectory(dir)) {
            throw new BadInputException("--resume: " + o.out() + " is not a directory; nothing to continue");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IOException("cannot create the --out directory " + o.out() + ": " + IoMessage.describe(e), e);
        }
        // before the settings: a directory with sweep-settings.json has its shard record too (the Slurm script
        // resumes a part whose settings exist)
        ShardPlan.checkAndRecord(dir, o.out(), part, o.shard());
        SweepSettings.checkAndRecord(dir, o.out(), SweepSettings.of(o, entry), o.resume());
        // the exact command, for the record (results/ keeps raw JSON with the commands that made it)
        String line = Instant.now() + " " + String.join(" ", quoteAll(Arrays.asList(commandLine()))) + "\n";
        Files.writeString(dir.resolve(COMMANDS_FILE), line, StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private String[] commandLine() {
        return ProcessHandle.current().info().arguments().map(a -> {
            String[] cmd = new String[a.length + 1];
            cmd[0] = ProcessHandle.current().info().command().orElse("java");
            System.arraycopy(a, 0, cmd, 1, a.length);
            return cmd;
        }).orElse(new String[] {"(command line not available)"});
    }

    private static List<String> quoteAll(List<String> args) {
        List<String> q = new ArrayList<>();
        for (String a : args) {
            q.add(a.matches("[A-Za-z0-9_./:=,+@%-]+") ? a : "'" + a.replace("'", "'\\''") + "'");
        }
        return q;
    }

    static BenchmarkListEntry findBenchmark(String name) throws BadInputException {
        List<String> names = new ArrayList<>();
        Set<BenchmarkListEntry> all;
        try {
            all = BenchmarkList.defaultList()
                    .getAll(OutputFormatFactory.createFormatInstance(System.out, VerboseMode.SILENT), Collections.emptyList());
        } catch (RuntimeException e) {
            // JMH throws when the classpath holds no META-INF/BenchmarkList at all
            throw new BadInputException("--benchmark " + name + ": no JMH benchmarks on the classpath ("
                    + Failure.oneLine(e.getMessage()) + ")");
        }
        for (BenchmarkListEntry e : all) {
            if (e.getUsername().equals(name)) {
                return e;
            }
            names.add(e.getUsername());
        }
        throw new BadInputException("--benchmark " + name + ": not in this jar's benchmark list; available: "
                + (names.isEmpty() ? "none" : String.join(", ", new TreeSet<>(names))));
    }

    private static List<String> orDeclared(List<String> given, BenchmarkListEntry entry, String param)
            throws BadInputException {
        if (!given.isEmpty()) {
            return given;
        }
        String[] declared = entry.getParams().hasValue() ? entry.getParams().get().get(param) : null;
        if (declared == null || declared.length == 0) {
            throw new BadInputException("-p " + param + "=...: " + entry.getUsername()
                    + " declares no default " + param + " values; name them, e.g. -p " + param + "=a,b");
        }
        return List.of(declared);
    }

    /**
     * The benchmark must have the swept parameters; any other must have one value, or a JMH run would
     * measure several configurations at once.
     */
    private void checkParams(BenchmarkListEntry entry) throws BadInputException {
        if (!entry.getParams().hasValue()) {
            throw new BadInputException("--benchmark " + entry.getUsername()
                    + " has no @Param fields; the sweep needs model, engine and batchSize");
        }
        for (Map.Entry<String, String[]> p : entry.getParams().get().entrySet()) {
            String name = p.getKey();
            boolean swept = name.equals(SweepOptions.MODEL) || name.equals(SweepOptions.ENGINE) || name.equals(SweepOptions.BATCH);
            if (!swept && !o.fixedParams().containsKey(name) && p.getValue().length > 1) {
                throw new BadInputException("-p " + name + "=...: " + entry.getUsername() + " declares several values ("
                        + String.join(", ", p.getValue()) + "); the sweep needs one, e.g. -p " + name + "=" + p.getValue()[0]);
            }
        }
        for (String needed : List.of(SweepOptions.MODEL, SweepOptions.ENGINE, SweepOptions.BATCH)) {
            if (!entry.getParams().get().containsKey(needed)) {
                throw new BadInputException("--benchmark " + entry.getUsername() + " has no @Param " + needed
                        + "; the sweep needs model, engine and batchSize");
            }
        }
    }

    /** Every parameter of one configuration's run, as JMH passes them: the declared ones, the fixed ones, the swept ones. */
    private Map<String, String> runParams(String model, String engine, int batch) {
        Map<String, String> params = new java.util.TreeMap<>();
        if (entry.getParams().hasValue()) {
            entry.getParams().get().forEach((k, v) -> {
                if (v.length == 1) {
                    params.put(k, v[0]);
                }
            });
        }
        params.putAll(o.fixedParams());
        params.put(SweepOptions.MODEL, model);
        params.put(SweepOptions.ENGINE, engine);
        params.put(SweepOptions.BATCH, String.valueOf(batch));
        return params;
    }

    /** The device every configuration runs on: -p device=..., else the benchmark's one declared value; null if none. */
    private String device(BenchmarkListEntry entry) {
        String given = o.fixedParams().get(DEVICE);
        if (given != null) {
            return given;
        }
        String[] declared = entry.getParams().get().get(DEVICE);
        return declared == null || declared.length != 1 ? null : declared[0];
    }

    /** DIR/<model>-<engine>-b<batch>.json; characters unsafe in file names become '_'. */
    static String resultName(String model, String engine, int batch) {
        return safe(model) + "-" + safe(engine) + "-b" + batch + ".json";
    }

    private static String join(String a, String b) {
        return a.isEmpty() ? b : a + "; " + b;
    }

    private static String safe(String s) {
        return s.replaceAll("[^A-Za-z0-9._+=-]", "_");
    }
}
