package gpuenergy.sweep;

import gpuenergy.results.AtomicWrite;
import gpuenergy.results.BadInputException;
import gpuenergy.results.NotRun;
import gpuenergy.results.Numbers;
import gpuenergy.results.ParamNames;
import gpuenergy.results.TrialRecords;
import gpuenergy.run.ConfigRun;
import gpuenergy.run.Failure;
import gpuenergy.run.HostLock;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One configuration of a ladder, run until its measured iterations hold enough batches: a run whose slowest iteration
 * held fewer than --min-batches is kept aside and the configuration runs again with longer iterations, at most
 * {@link #MAX_ATTEMPTS} times, unless that re-run's iterations would last longer than {@link IterationTime#MAX_SECONDS}.
 * Its outcome is logged before the sweep moves on.
 */
final class Rung {
    /** Runs per configuration at most: the first, plus re-runs with longer iterations when one held too few batches. */
    static final int MAX_ATTEMPTS = 3;

    /**
     * A rung's outcome: measured, or not (did not fit, failed, a re-run too long), or {@link #STOPPED} by --stop-after
     * before a re-run or while its run waited for JMH's lock; both measured and a did-not-fit where a short run is kept
     * as the result because its longer re-run did not fit (the ladder ends there).
     */
    record Outcome(Measurement measured, Failure failure) {
        static final Outcome STOPPED = new Outcome(null, null);
    }

    private final Sweep sweep;
    private final Configuration c;

    Rung(Sweep sweep, Configuration c) {
        this.sweep = sweep;
        this.c = c;
    }

    /**
     * @param millis      the first run's measured iteration time
     * @param predicted   the first run's predicted wall time in seconds, for --stop-after
     * @param earlierRuns short runs of this configuration that earlier sweeps kept aside toward this result (stopped
     *                    before a re-run): they count toward {@link #MAX_ATTEMPTS}
     * @param earlierShort the latest of those short runs, its path in the directory; null when none
     */
    Outcome measure(long millis, double predicted, int earlierRuns, String earlierShort) throws IOException {
        SweepOptions o = sweep.options;
        SweepDirectory dir = sweep.directory;
        Path result = dir.resultFile(c);
        long start = System.nanoTime();
        // time spent waiting for another run's GPU or JMH lock: not this configuration's, so not in its logged seconds,
        // nor in the overhead that predicts the next runs
        long waitedNs = 0;
        String shortRun = earlierShort; // the latest short run kept aside in short/, toward this result
        for (int attempt = 1 + earlierRuns; ; attempt++) {
            long attemptStart = System.nanoTime();
            ConfigRun.Outcome run;
            boolean reRun = attempt > 1;
            double predictedNow = predicted;
            try (GpuLock held = GpuLock.hold(dir.gpu().uuid(), sweep.out, () -> sweep.stopAfter.stopsBefore(c, reRun, predictedNow))) {
                if (held == null) {
                    return Outcome.STOPPED; // nothing ran: --resume runs it
                }
                long runStart = System.nanoTime();
                run = run(o, millis, result);
                // another JMH run of this host holds JMH's lock (a Slurm task beside this one on a node without
                // GPUs): nothing ran; take turns with it
                boolean said = false;
                while (run.failure() != null && run.failure().jmhLocked()) {
                    String line = "[sweep] " + c + ": " + HostLock.waiting() + (sweep.stopAfter.limited()
                            ? "; --stop-after ends the wait when this configuration could no longer end in time" : "")
                            + "; Ctrl-C or SIGTERM stops the sweep, and --resume continues it";
                    if (!HostLock.awaitFree(said ? null : sweep.out, line,
                            () -> sweep.stopAfter.stopsBefore(c, reRun, predictedNow))) {
                        return Outcome.STOPPED; // nothing ran: --resume runs it
                    }
                    said = true;
                    runStart = System.nanoTime();
                    run = run(o, millis, result);
                }
                waitedNs += runStart - attemptStart;
                attemptStart = runStart;
            }
            double seconds = (System.nanoTime() - start - waitedNs) / 1e9;
            if (run.failure() != null) {
                Failure f = why(run.failure());
                if (f.kind() == NotRun.Kind.DID_NOT_FIT && shortRun != null) {
                    Outcome kept = keepShortRun(shortRun, f, millis, seconds);
                    if (kept != null) {
                        return kept;
                    }
                }
                sweep.progress.ran(seconds);
                dir.record(c, SweepLog.status(f.kind()), f.reason(), null, seconds);
                return new Outcome(null, f);
            }
            Path partial = run.resultFile();
            String note = "";
            try {
                sweep.hooks.finish(partial);
            } catch (IOException | RuntimeException e) {
                // the measurement stands; it is published without the post-processing, and the log says so
                note = "not post-processed: " + Failure.oneLine(String.valueOf(e.getMessage()));
            }
            Measurement m;
            try {
                m = Measurement.read(partial);
            } catch (BadInputException e) {
                Failure f = new Failure(NotRun.Kind.ERROR, Failure.oneLine(e.getMessage()));
                sweep.progress.ran(seconds);
                dir.record(c, SweepLog.status(f.kind()), f.reason(), dir.keepUnreadable(partial, c), seconds);
                return new Outcome(null, f);
            }
            // this run's own iterations at its own measured rate; the rest of its wall time is the next prediction's overhead
            sweep.overheadSeconds = RunTime.overheadSeconds((System.nanoTime() - attemptStart) / 1e9,
                    RunTime.iterationSeconds(sweep.plan, millis, 1 / m.batchesPerSecond()));
            double held = IterationTime.batchesPerIteration(m.slowestBatchesPerSecond(), millis);
            if (!IterationTime.enough(m.slowestBatchesPerSecond(), millis, o.minBatches()) && attempt < MAX_ATTEMPTS) {
                long longer = IterationTime.rerunMillis(o.minMillis(), o.minBatches(), m.slowestBatchesPerSecond(), millis);
                String shortBy = shortBy(m, millis, o.minBatches());
                String aside = dir.keepShort(partial, c, attempt);
                shortRun = aside;
                String tooLong = IterationTime.tooLong(longer, o.minBatches());
                if (tooLong != null) {
                    // the short run stays in short/, named by the line: measured, but not the protocol's result
                    Failure f = new Failure(NotRun.Kind.ITERATION_TOO_LONG, notReRun(shortBy, tooLong));
                    sweep.progress.ran(seconds);
                    dir.record(c, SweepLog.status(f.kind()), f.reason(), aside, seconds);
                    return new Outcome(null, f);
                }
                String reason = String.format(Locale.ROOT, "%s; re-running with %.3f s iterations", shortBy, longer / 1000.0);
                sweep.out.printf("[sweep] %s: %s%n", c, reason);
                dir.record(c, SweepLog.RERUN, reason, aside, (System.nanoTime() - attemptStart) / 1e9);
                millis = longer;
                // the re-run's length is known now (a rate that fell with the batch is what made it short): one
                // that would end after --stop-after is left to --resume, which starts from the run kept aside
                predicted = RunTime.predictSeconds(sweep.plan, millis, 1 / m.slowestBatchesPerSecond(), sweep.overheadSeconds);
                if (sweep.stopAfter.stopsBefore(c, true, predicted)) {
                    return Outcome.STOPPED;
                }
                continue;
            }
            if (held < o.minBatches()) {
                note = (note.isEmpty() ? "" : note + "; ") + String.format(Locale.ROOT,
                        "slowest iteration held only %.1f batches (< %d) after %d runs", held, o.minBatches(), attempt);
            }
            AtomicWrite.publish(partial, result);
            sweep.progress.ran(seconds);
            dir.record(c, SweepLog.DONE, note, result.getFileName().toString(), seconds);
            sweep.out.println(measuredLine(c, m, result.getFileName().toString()));
            return new Outcome(m, null);
        }
    }

    /** Why a run of {@code millis} iterations is short: "slowest iteration held 0.9 batches (< 13) in 0.030 s". */
    static String shortBy(Measurement m, long millis, int minBatches) {
        return String.format(Locale.ROOT, "slowest iteration held %.1f batches (< %d) in %.3f s",
                IterationTime.batchesPerIteration(m.slowestBatchesPerSecond(), millis), minBatches, millis / 1000.0);
    }

    /** The reason of an iteration-too-long line for a short run's re-run: why it is short, and why not re-run. */
    static String notReRun(String shortBy, String tooLong) {
        return "not re-run: " + shortBy + "; " + tooLong;
    }

    /** "[sweep] m / e batch 256: 32418 img/s, 0.01730 J/img -> file": the figures as every command shows them. */
    static String measuredLine(Configuration c, Measurement m, String file) {
        return "[sweep] " + c + ": " + Numbers.plain(m.imagesPerSecond()) + " img/s"
                + (m.hasEnergy() ? ", " + Numbers.plain(m.jPerImg()) + " J/img" : "") + " -> " + file;
    }

    /**
     * This configuration with the sweep's fixed parameters, its measured iterations {@code millis} long, written to
     * {@code result}'s partial file.
     */
    private ConfigRun.Outcome run(SweepOptions o, long millis, Path result) {
        Map<String, String> params = new LinkedHashMap<>(o.fixedParams());
        params.put(ParamNames.MODEL, c.model());
        params.put(ParamNames.ENGINE, c.engine());
        params.put(ParamNames.BATCH_SIZE, String.valueOf(c.batch()));
        return ConfigRun.run(o.jmh(), sweep.hooks, true, o.benchmark(), params, millis, result, "[sweep] ");
    }

    /** Why a run has no result: the benchmark's own record (its fork's trial record) over what JMH's failure says. */
    private Failure why(Failure failure) {
        TrialRecords.NotRunRecord recorded = sweep.hooks.notRun(sweep.options.benchmark(), sweep.benchmark.runParams(c));
        return recorded == null ? failure : Failure.recorded(recorded.kind(), recorded.reason());
    }

    /** How the note of a short run kept as the result begins, which no other "done" line's note does. */
    private static final String KEPT_SHORT_RUN = "the short run ";

    /**
     * Whether {@code e} is the line of a short run kept as the result because its re-run did not fit
     * ({@link #keepShortRun}): its ladder ended there, though nothing is logged above it.
     */
    static boolean keptShortRun(SweepLog.Entry e) {
        return SweepLog.DONE.equals(e.status()) && e.reason() != null && e.reason().startsWith(KEPT_SHORT_RUN);
    }

    /**
     * A re-run with longer iterations that did not fit, after a short run that did: the batch fits, so the short run (a
     * copy; short/ keeps its own) is the configuration's result, logged done with a note saying it held fewer than
     * --min-batches and why it was not re-run, as a third run still short is. The ladder ends here; nothing is logged
     * above it, so a --resume tries the next batch. Null where the short run cannot be read back any more.
     */
    private Outcome keepShortRun(String shortRun, Failure f, long reRunMillis, double seconds) throws IOException {
        SweepDirectory dir = sweep.directory;
        Path kept = dir.path().resolve(shortRun);
        Measurement m;
        try {
            m = Measurement.read(kept, c);
        } catch (BadInputException e) {
            return null;
        }
        Path result = dir.resultFile(c);
        AtomicWrite.writeString(result, Files.readString(kept));
        String note = String.format(Locale.ROOT, KEPT_SHORT_RUN + "%s kept as the result: %s; its re-run with %.3f s "
                + "iterations did not fit: %s", shortRun, shortBy(m, m.iterationMillis(), sweep.options.minBatches()),
                reRunMillis / 1000.0, f.reason());
        sweep.progress.ran(seconds);
        dir.record(c, SweepLog.DONE, note, result.getFileName().toString(), seconds);
        sweep.out.println(measuredLine(c, m, result.getFileName().toString()));
        sweep.out.println("[sweep] " + c + ": " + note + "; ladder ends");
        return new Outcome(m, f);
    }
}
