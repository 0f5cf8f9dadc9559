package gpuenergy.sweep;

import gpuenergy.results.NotRun;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * What an earlier run of the same sweep directory already settled, from its log. Configurations with a
 * result file are done (the sweep checks the file itself); a ladder that ran out of memory ends there on that GPU model.
 * Failures are not settled: a resumed sweep tries them again. Nor is an above-max-batch line: it says where an
 * earlier sweep's --max-batch stopped a ladder, and a sweep with a larger --max-batch runs that batch. A GPU model here
 * is a line's {@link OnGpu#model}: a MIG instance is a model apart from its whole GPU.
 */
final class Resume {
    /** Per ladder, its did-not-fit lines: the smallest batch that did not fit, by the GPU model the line names. */
    private final Map<String, Map<String, Integer>> didNotFitAt = new HashMap<>();
    /** Per ladder, the GPU model of each batch's latest "done" line (null where the line names none). */
    private final Map<String, Map<Integer, String>> doneOn = new HashMap<>();
    private final Map<String, SweepLog.Entry> lastOutcome = new LinkedHashMap<>();
    private final Map<String, SweepLog.Entry> lastRerun = new HashMap<>();
    /** Short runs kept aside since the configuration's latest outcome: runs an earlier sweep made toward its next result. */
    private final Map<String, List<SweepLog.Entry>> pendingShortRuns = new HashMap<>();
    /** The latest "done" line, with its own run's wall time: the line's less the short runs its process made before it. */
    private final Map<String, DoneRun> lastDone = new HashMap<>();

    private record DoneRun(SweepLog.Entry line, double ownSeconds) {}

    private Resume() {}

    static Resume of(List<SweepLog.Entry> entries) {
        Resume r = new Resume();
        Map<String, List<SweepLog.Entry>> rerunsSinceOutcome = new HashMap<>();
        for (SweepLog.Entry e : entries) {
            String point = point(e.model(), e.engine(), e.batchSize());
            boolean rerun = SweepLog.RERUN.equals(e.status());
            if (rerun || e.kind() == NotRun.Kind.ITERATION_TOO_LONG && e.file() != null) {
                // a short run kept aside toward the configuration's result: before its re-run, or in place of a re-run
                // found too long (a sweep with other options may re-run it)
                r.lastRerun.put(point, e);
                rerunsSinceOutcome.computeIfAbsent(point, k -> new ArrayList<>()).add(e);
            }
            if (rerun) {
                continue;
            }
            r.lastOutcome.put(point, e);
            if (e.kind() == NotRun.Kind.ABOVE_MAX_BATCH || e.kind() == NotRun.Kind.ITERATION_TOO_LONG) {
                // a decision made without a run: where a smaller --max-batch stopped the ladder, or where iterations
                // would last too long, settles no run, short runs before it included
                continue;
            }
            List<SweepLog.Entry> reruns = rerunsSinceOutcome.remove(point);
            if (SweepLog.DONE.equals(e.status())) {
                r.lastDone.put(point, new DoneRun(e, ownRunSeconds(e, reruns == null ? List.of() : reruns)));
                r.doneOn.computeIfAbsent(ladder(e.model(), e.engine()), k -> new TreeMap<>()).put(e.batchSize(),
                        e.onGpu().model());
            }
            if (e.kind() == NotRun.Kind.DID_NOT_FIT) {
                r.didNotFitAt.computeIfAbsent(ladder(e.model(), e.engine()), k -> new HashMap<>())
                        .merge(e.onGpu().model(), e.batchSize(), Math::min);
            }
        }
        r.pendingShortRuns.putAll(rerunsSinceOutcome);
        return r;
    }

    /**
     * A "done" line's seconds cover all the runs of its configuration in that process, the short runs kept aside
     * included; each of those has its own "rerun" line. The result's own run is what is left after the short runs
     * logged since that configuration started (its line's time less its seconds); a rerun line of an earlier process
     * (a sweep stopped before the re-run) is not part of it.
     */
    static double ownRunSeconds(SweepLog.Entry done, List<SweepLog.Entry> reruns) {
        double own = done.seconds();
        try {
            Instant started = Instant.parse(done.time()).minusMillis(Math.round(done.seconds() * 1000) + 1000);
            for (SweepLog.Entry r : reruns) {
                if (!Instant.parse(r.time()).isBefore(started)) {
                    own -= r.seconds();
                }
            }
        } catch (DateTimeParseException | NullPointerException e) {
            return done.seconds(); // a line without a readable time: all of it, which errs long
        }
        return Math.max(0, own);
    }

    /**
     * The smallest batch recorded as not fitting for this model and engine on the GPU model {@code gpu}; 0 when none. A
     * line of another GPU model settles nothing here (a card with more memory may fit that batch); where either side
     * names no GPU (the CPU, a log line that names none) the line counts.
     */
    int didNotFitAt(String model, String engine, String gpu) {
        int at = 0;
        for (Map.Entry<String, Integer> e : didNotFitAt.getOrDefault(ladder(model, engine), Map.of()).entrySet()) {
            if ((gpu == null || e.getKey() == null || e.getKey().equals(gpu)) && (at == 0 || e.getValue() < at)) {
                at = e.getValue();
            }
        }
        return at;
    }

    /** The GPU models other than {@code gpu} that this ladder's results were measured on; none when {@code gpu} is null. */
    List<String> otherGpuModels(String model, String engine, String gpu) {
        return gpu == null ? List.of() : gpuModels(model, engine, null).keySet().stream().filter(m -> !m.equals(gpu)).toList();
    }

    /**
     * The GPU models this ladder's "done" lines name, in the order of their smallest batch, each with its batch sizes
     * ("1 2 4") among {@code batches} (null: all); lines that name no GPU are left out.
     */
    Map<String, String> gpuModels(String model, String engine, Set<Integer> batches) {
        Map<String, String> models = new LinkedHashMap<>();
        doneOn.getOrDefault(ladder(model, engine), Map.of()).forEach((batch, gpu) -> {
            if (gpu != null && (batches == null || batches.contains(batch))) {
                models.merge(gpu, String.valueOf(batch), (x, y) -> x + " " + y);
            }
        });
        return models;
    }

    /**
     * This configuration's latest "rerun" entry, or iteration-too-long entry naming a short run (its file: the short run
     * kept aside, relative to the sweep directory; its seconds: that run's wall time), null when none: a sweep stopped
     * before that re-run, or one that found it too long, resumes with the iteration time and the overhead the short run
     * measured, and runs nothing where the re-run is still too long.
     */
    SweepLog.Entry lastRerun(String model, String engine, int batch) {
        return lastRerun.get(point(model, engine, batch));
    }

    /**
     * How many short runs earlier sweeps kept aside for this configuration on the board and GPU model of {@code gpu}
     * since its latest outcome, 0 when none: a sweep stopped before a re-run resumes with them counted, so that a
     * configuration runs at most {@link Rung#MAX_ATTEMPTS} times toward one result however often it is stopped and
     * resumed. Another GPU's runs, or the whole GPU's for a MIG instance of it, say nothing of how long this one's must be.
     */
    int pendingShortRuns(String model, String engine, int batch, OnGpu gpu) {
        return (int) pendingShortRuns.getOrDefault(point(model, engine, batch), List.of()).stream()
                .filter(e -> Objects.equals(e.gpuUuid(), gpu.uuid()) && Objects.equals(e.onGpu().model(), gpu.model()))
                .count();
    }

    /**
     * This configuration's latest outcome (done, did-not-fit, unavailable, error, above-max-batch, iteration-too-long);
     * null when none is logged.
     */
    SweepLog.Entry lastOutcome(String model, String engine, int batch) {
        return lastOutcome.get(point(model, engine, batch));
    }

    /**
     * True when {@code c}'s latest outcome is a line of {@code kind} with {@code reason} on the GPU model {@code gpu}: a
     * decision a sweep makes without a run (above-max-batch, iteration-too-long), which a resumed sweep reaches again
     * and logs only where it differs.
     */
    boolean decided(Configuration c, NotRun.Kind kind, String reason, String gpu) {
        SweepLog.Entry e = lastOutcome(c.model(), c.engine(), c.batch());
        return e != null && e.kind() == kind && Objects.equals(e.reason(), reason) && Objects.equals(e.onGpu().model(), gpu);
    }

    /** This configuration's latest "done" line; null when none (a result file put there by hand, say). */
    SweepLog.Entry lastDone(String model, String engine, int batch) {
        DoneRun done = lastDone.get(point(model, engine, batch));
        return done == null ? null : done.line();
    }

    /**
     * The wall time of the run that made this configuration's result, from its latest "done" line (see
     * {@link #ownRunSeconds}); NaN when the log has none. A resumed sweep predicts the next rung's overhead from it.
     */
    double lastDoneRunSeconds(String model, String engine, int batch) {
        DoneRun done = lastDone.get(point(model, engine, batch));
        return done == null ? Double.NaN : done.ownSeconds();
    }

    /** Configurations whose latest outcome is a not-run kind (any of NotRun.Kind): the sweep's not-run list. */
    List<SweepLog.Entry> notRun() {
        List<SweepLog.Entry> out = new ArrayList<>();
        for (SweepLog.Entry e : lastOutcome.values()) {
            if (e.kind() != null) {
                out.add(e);
            }
        }
        return out;
    }

    private static String point(String model, String engine, int batch) {
        return ladder(model, engine) + '\0' + batch;
    }

    private static String ladder(String model, String engine) {
        return model + '\0' + engine;
    }
}
