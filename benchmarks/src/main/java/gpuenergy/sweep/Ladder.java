package gpuenergy.sweep;

import gpuenergy.engine.Engines;
import gpuenergy.results.NotRun;
import gpuenergy.run.Failure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One model and engine's batch sizes, doubling from --min-batch until a batch does not fit, this machine cannot run
 * it, its measured iterations would last longer than {@link IterationTime#MAX_SECONDS}, it fails, or --max-batch is
 * reached (then an above-max-batch line at the next batch says so, so that the report can tell a best batch at the cap
 * from one at the top of a ladder cut short). Rungs an earlier sweep of the directory measured are taken as done, on
 * any GPU model (a line says when this sweep's differs); an earlier did-not-fit ends the ladder only on the GPU model
 * it was recorded on. Each new rung starts only when --stop-after leaves time for its
 * predicted run.
 */
final class Ladder {
    /**
     * What a ladder did: the rungs with a result (measured now or done earlier), and the not-run that ended it; null
     * when it reached --max-batch, ended at an earlier sweep's did-not-fit, or --stop-after stopped it.
     */
    record Outcome(int measured, Failure end) {}

    private final Sweep sweep;
    private final String model;
    private final String engine;
    private final Resume resume;

    Ladder(Sweep sweep, String model, String engine, Resume resume) {
        this.sweep = sweep;
        this.model = model;
        this.engine = engine;
        this.resume = resume;
    }

    /** @param runsAfterLadder the most runs the ladders after this one can take, for the progress line */
    Outcome run(int runsAfterLadder) throws IOException {
        SweepOptions o = sweep.options;
        int measured = 0;
        // the previous rung's overhead when an earlier sweep measured it (from its log line); NaN: the sweep's own
        double previousOverhead = Double.NaN;
        Configuration last = null;
        boolean lastDoneEarlier = false;
        String gpu = sweep.directory.gpu().model();
        boolean runsHere = false;
        Walk walk = new Walk(o, resume, model, engine, gpu, sweep.directory.path(), c -> {
            Path result = sweep.directory.resultFile(c);
            return Files.exists(result) ? sweep.directory.readOrSetAside(result, c, "running it again") : null;
        });
        for (Step step = walk.next(); step != null; step = walk.next()) {
            Configuration c = step.c();
            int batch = c.batch();
            last = c;
            if (step.done() != null) {
                sweep.out.printf("[sweep] %s: done earlier (%s)%n", c, c.resultName());
                measured++;
                // its process's overhead (model load, cuDNN's algorithm search at that batch, the profiler's
                // pauses), not the 15 s assumed before this process has finished a run
                double seconds = resume.lastDoneRunSeconds(model, engine, batch);
                previousOverhead = Double.isNaN(seconds) ? Double.NaN
                        : RunTime.recordedOverheadSeconds(sweep.plan, step.done(), seconds);
                lastDoneEarlier = true;
                continue;
            }
            Measurement previous = step.previous();
            long millis = step.millis();
            double batchSeconds = RunTime.batchSeconds(previous, batch);
            double overhead = Double.isNaN(previousOverhead) ? sweep.overheadSeconds : previousOverhead;
            SweepLog.Entry rerun = step.rerun();
            Measurement shortRun = step.shortRun();
            if (step.sizedFromShortRun()) {
                // its short run measured this very batch: its wall time decides the overhead (a large batch's start
                // can take a minute: cuDNN tries its algorithms at that batch)
                batchSeconds = 1 / shortRun.slowestBatchesPerSecond();
                overhead = RunTime.overheadSeconds(rerun.seconds(),
                        RunTime.iterationSeconds(sweep.plan, shortRun.iterationMillis(), 1 / shortRun.batchesPerSecond()));
            }
            // nothing runs, so --stop-after has no say; a larger batch is slower still, so the ladder ends here. Sized
            // from a short run, the line is the one that run's re-run decision writes, naming it; a resumed sweep that
            // reaches the same decision on the same GPU model logs it once
            if (step.tooLong() != null) {
                Failure f = new Failure(NotRun.Kind.ITERATION_TOO_LONG, step.sizedFromShortRun()
                        ? Rung.notReRun(Rung.shortBy(shortRun, shortRun.iterationMillis(), o.minBatches()), step.tooLong())
                        : "not started: " + step.tooLong());
                if (!resume.decided(c, f.kind(), f.reason(), gpu)) {
                    sweep.directory.record(c, SweepLog.status(f.kind()), f.reason(),
                            step.sizedFromShortRun() ? rerun.file() : null, 0);
                }
                return ended(c, f, measured);
            }
            // a short run of this very batch built its engine into the cache already
            double build = shortRun != null ? 0 : RunTime.buildSeconds(buildSecondsWhenUncached(engine), previous);
            double predicted = RunTime.predictSeconds(sweep.plan, millis, batchSeconds, overhead) + build;
            if (sweep.stopAfter.stopsBefore(c, false, predicted)) {
                return new Outcome(measured, null); // nothing is logged for this configuration, so --resume runs it
            }
            if (!runsHere) {
                runsHere = true;
                // results of another GPU model stay done: the ladder goes on, and its best batch is chosen across both
                List<String> others = resume.otherGpuModels(model, engine, gpu);
                if (!others.isEmpty()) {
                    sweep.out.printf("[sweep] %s / %s: --resume on %s continues a ladder measured on %s; its best batch "
                            + "compares %s%n", model, engine, gpu, String.join(" and ", others),
                            others.size() == 1 ? "both" : "them all");
                }
            }
            int leftInLadder = BatchLadder.rungsFrom(batch, o.maxBatch());
            sweep.out.println(sweep.progress.line(model, engine, batch, leftInLadder, leftInLadder + runsAfterLadder,
                    System.nanoTime()));
            // the short runs count toward the three only where the next run starts from them: one that cannot be read
            // any more leaves the configuration to start as if new
            int earlierRuns = shortRun == null ? 0 : resume.pendingShortRuns(model, engine, batch, sweep.directory.gpu());
            Rung.Outcome rung = new Rung(sweep, c).measure(millis, predicted, earlierRuns,
                    shortRun == null ? null : rerun.file());
            if (rung == Rung.Outcome.STOPPED) {
                return new Outcome(measured, null);
            }
            if (rung.failure() != null && rung.measured() != null) {
                // a short run kept as the result of a re-run that did not fit: measured, and the ladder ends, as the
                // rung's own line says; a did-not-fit line would read as if the batch did not fit at all
                return new Outcome(measured + 1, rung.failure());
            }
            if (rung.failure() != null) {
                return ended(c, rung.failure(), measured);
            }
            measured++;
            walk.measured(rung.measured());
            previousOverhead = Double.NaN; // measured here: the sweep's overhead is its own
            lastDoneEarlier = false;
        }
        if (walk.didNotFitAt() != 0) {
            sweep.out.printf("[sweep] %s / %s: batch %d did not fit in an earlier run of this sweep; ladder ends%n",
                    model, engine, walk.didNotFitAt());
            return new Outcome(measured, null);
        }
        // the ladder ran up to the cap, its last rung measured now or earlier: say so, or a best batch at the top
        // would look like a ladder cut short
        recordAboveMaxBatch(last, lastDoneEarlier);
        return new Outcome(measured, null);
    }

    /**
     * The first rung of this ladder that a sweep of {@code dir} resumed with the options {@code o} on the GPU model
     * {@code gpu} runs, as it walks the ladder ({@link Walk}), reading its results as it does but moving none aside;
     * 0 where it runs none (an earlier did-not-fit on that GPU model, iterations too long or --max-batch ends the
     * ladder first). A failure, an unavailable and a result that cannot be read are run again, so they are left.
     */
    static int firstLeft(SweepOptions o, Resume resume, String model, String engine, String gpu, Path dir)
            throws IOException {
        Walk walk = new Walk(o, resume, model, engine, gpu, dir, c -> SweepDirectory.resultIn(dir, c));
        for (Step step = walk.next(); step != null; step = walk.next()) {
            if (step.done() == null) {
                return step.tooLong() == null ? step.c().batch() : 0;
            }
        }
        return 0;
    }

    /**
     * One rung as a {@link Walk} finds it: {@code done} earlier (its result), or to run for {@code millis} per measured
     * iteration, sized from the rung below ({@code previous}, null where none has a result) or, where an earlier sweep
     * kept a short run of this batch aside ({@code rerun} its log line), from that run; {@code tooLong} (not null) says
     * why iterations so long are not started.
     */
    record Step(Configuration c, Measurement done, Measurement previous, long millis, SweepLog.Entry rerun,
                Measurement shortRun, String tooLong) {
        /**
         * Sized from the short run an earlier sweep kept: it stopped (or was killed) before re-running this batch, or
         * found the re-run too long.
         */
        boolean sizedFromShortRun() {
            return sizes(shortRun);
        }

        /** Whether a short run's rate can size its batch's re-run. */
        private static boolean sizes(Measurement shortRun) {
            return shortRun != null && shortRun.slowestBatchesPerSecond() > 0;
        }
    }

    /**
     * A ladder's walk over what its directory settles, from --min-batch up to --max-batch: each rung with a result is
     * done earlier, and the first without one is sized; an earlier did-not-fit on the walk's GPU model ends the ladder
     * at or below it. The sweep climbs its ladders with it, and a --gpus parent names with it what a part left
     * ({@link #firstLeft}), so that both take the directory alike.
     */
    static final class Walk {
        /** A rung's result as the walk takes it: null where there is none, or none that can be read as c's. */
        interface Results {
            Measurement of(Configuration c) throws IOException;
        }

        private final SweepOptions o;
        private final Resume resume;
        private final String model;
        private final String engine;
        private final String gpu;
        private final Path dir;
        private final Results results;
        private int batch;
        private Measurement previous;
        private int didNotFitAt;

        Walk(SweepOptions o, Resume resume, String model, String engine, String gpu, Path dir, Results results) {
            this.o = o;
            this.resume = resume;
            this.model = model;
            this.engine = engine;
            this.gpu = gpu;
            this.dir = dir;
            this.results = results;
            this.batch = o.minBatch();
        }

        /** The next rung; null where the ladder ends (past --max-batch, or at an earlier did-not-fit: {@link #didNotFitAt}). */
        Step next() throws IOException {
            if (batch == 0 || batch > o.maxBatch()) {
                return null;
            }
            int didNotFit = resume.didNotFitAt(model, engine, gpu);
            if (didNotFit != 0 && batch >= didNotFit) {
                didNotFitAt = didNotFit;
                return null;
            }
            Configuration c = new Configuration(model, engine, batch);
            batch = BatchLadder.next(batch, o.maxBatch());
            Measurement done = results.of(c);
            if (done != null) {
                previous = done;
                return new Step(c, done, null, 0, null, null, null);
            }
            long millis = IterationTime.chooseMillis(o.minMillis(), o.minBatches(),
                    previous == null ? Double.NaN : previous.slowestBatchesPerSecond(),
                    previous == null ? 0 : previous.batchSize(), c.batch());
            // a short run an earlier sweep kept aside measured this very batch: its rate decides the iteration time
            SweepLog.Entry rerun = resume.lastRerun(model, engine, c.batch());
            Measurement shortRun = rerun == null ? null : SweepDirectory.readShortRun(dir, rerun.file());
            if (Step.sizes(shortRun)) {
                millis = Math.max(millis, IterationTime.rerunMillis(o.minMillis(), o.minBatches(),
                        shortRun.slowestBatchesPerSecond(), shortRun.iterationMillis()));
            }
            return new Step(c, null, previous, millis, rerun, shortRun, IterationTime.tooLong(millis, o.minBatches()));
        }

        /** The rung {@link #next} gave was measured now: the next is sized from it. */
        void measured(Measurement m) {
            previous = m;
        }

        /** The batch of the earlier did-not-fit that ended the walk; 0 where none has. */
        int didNotFitAt() {
            return didNotFitAt;
        }
    }

    /** Says that the ladder ends at {@code c}, which did not run for {@code f}'s reason. */
    private Outcome ended(Configuration c, Failure f, int measured) {
        sweep.out.printf("[sweep] %s %s: %s%n", c, switch (f.kind()) {
            case DID_NOT_FIT -> "did not fit; ladder ends";
            case UNAVAILABLE -> "unavailable here; ladder ends";
            case ITERATION_TOO_LONG -> "iterations too long; ladder ends";
            default -> f.vmNotStarted() != null ? "FAILED; the sweep stops"
                    : "FAILED; going on with the next model/engine";
        }, f.reason());
        return new Outcome(measured, f);
    }

    /** The engine's longest build, 0 for engines that build none or names this build does not know. */
    private static double buildSecondsWhenUncached(String engine) {
        try {
            return Engines.byName(engine).buildSecondsWhenUncached();
        } catch (RuntimeException e) {
            return 0;
        }
    }

    /**
     * Logs an above-max-batch line at the batch after the ladder's last rung, unless that batch is already settled
     * otherwise: its result exists (a sweep with a larger --max-batch measured it; a 1..32 fill-in below a measured 64
     * says nothing), or its latest log line is a did-not-fit, a failure, an iteration-too-long (a decision the cap does
     * not replace), or this same above-max-batch line for the same GPU model ({@link Resume#decided}).
     *
     * @param lastDoneEarlier the last rung was measured by an earlier sweep: the line names the GPU that sweep's log
     *                        line names (a resumed sweep on a machine without a GPU records where the rungs ran)
     */
    private void recordAboveMaxBatch(Configuration last, boolean lastDoneEarlier) throws IOException {
        if (last == null || last.batch() > Integer.MAX_VALUE / 2) {
            return;
        }
        Configuration above = last.at(2 * last.batch());
        if (Files.exists(sweep.directory.resultFile(above))) {
            return;
        }
        SweepLog.Entry done = lastDoneEarlier ? resume.lastDone(model, engine, last.batch()) : null;
        OnGpu on = done != null && done.gpu() != null ? done.onGpu() : sweep.directory.gpu();
        SweepLog.Entry earlier = resume.lastOutcome(model, engine, above.batch());
        NotRun.Kind settled = earlier == null ? null : earlier.kind();
        String reason = "not measured: above the sweep's --max-batch " + sweep.options.maxBatch();
        if (settled == NotRun.Kind.DID_NOT_FIT || settled == NotRun.Kind.ERROR || settled == NotRun.Kind.ITERATION_TOO_LONG
                || resume.decided(above, NotRun.Kind.ABOVE_MAX_BATCH, reason, on.model())) {
            return;
        }
        sweep.out.printf("[sweep] %s / %s: ladder reached --max-batch %d; batch %d recorded as %s%n", model, engine,
                sweep.options.maxBatch(), above.batch(), NotRun.Kind.ABOVE_MAX_BATCH.label());
        sweep.directory.record(above, SweepLog.status(NotRun.Kind.ABOVE_MAX_BATCH), reason, null, 0, on);
    }
}
