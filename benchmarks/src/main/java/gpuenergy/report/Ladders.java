package gpuenergy.report;

import gpuenergy.results.NotRun;
import gpuenergy.results.ParamNames;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Whether a best batch is final. A sweep doubles the batch size of each model and engine until it does not fit in GPU
 * memory (or reaches its --max-batch cap); while a ladder is being measured, its lowest J/img may just be its
 * largest batch so far. A best batch is final at the top when the ladder ended above it (a did-not-fit entry for that
 * model and engine at a larger batch, in the not-run lists) or when a larger batch was measured and took more energy
 * per image. A did-not-fit that names its GPU ends only that GPU's ladder (an 80 GB board fits batches a 40 GB one does
 * not); one that names none ends the ladder on every GPU.
 * <p>
 * A ladder the sweep stopped at its --max-batch cap has an above-max-batch entry at the batch after its last rung. A
 * best batch b that is the largest measured, with such an entry at 2b (on its GPU, or naming none) and no did-not-fit
 * above it, is final for these results ({@link #AT_MAX_BATCH}: its factor counts in the geometric mean), and the table
 * says so: a larger batch might still take less energy per image, but the sweep chose not to measure it. An entry at
 * any other batch changes nothing: one at or below a measured batch (a 1..32 fill-in with --max-batch 32 records one at
 * 64 while 64..8192 are measured) neither ends a ladder nor settles the batch below a best one. A sweep directory
 * without such entries gets them when it is resumed (docs/sweep.md); until then its top counts as not final.
 * <p>
 * A ladder the sweep ended because the next batch's measured iterations would last longer than it allows has an
 * iteration-too-long entry at that batch. A best batch b that is the largest measured, with such an entry at 2b (on its
 * GPU, or naming none), is final ({@link #ITERATIONS_TOO_LONG}: a larger batch is slower still, so the sweep's rules
 * measure none above it), and the table says where the ladder ended. An entry at any other batch ends no ladder.
 * <p>
 * A ladder may also start above batch 1 (the sweep's --min-batch, smaller batches filled in later): a best batch b > 1
 * is final at the bottom only when batch b/2 was measured or is listed as not run there (on its GPU, or by an entry
 * naming none); otherwise b/2 may take less energy per image. That holds also when a smaller batch than b/2 was measured
 * (references at 16 and 128 filled into a ladder from 64): b/2 still lies between, and the mark names it.
 * <p>
 * A batch counts as measured where it has a J/img; in a ladder with no J/img at all (its best batch chosen by img/s,
 * {@link Summary#rows}) every batch with a result counts.
 */
final class Ladders {

    /** What the best-batch table writes beside a batch at the top of a ladder that may go on. */
    static final String NOT_FINISHED = "largest measured; ladder not finished";

    /** What it writes beside a batch at the bottom of a ladder that started above it. */
    static final String NOT_STARTED_BELOW = "smallest measured; smaller batches not measured";

    /** What it writes beside a batch b with a smaller batch measured but not b/2 (%d: b/2). */
    static final String HALF_NOT_MEASURED = "batch %d not measured";

    /** What it writes beside a best batch at the top of a ladder the sweep stopped at its --max-batch: final, capped. */
    static final String AT_MAX_BATCH = "the sweep's --max-batch";

    /**
     * What it writes beside a best batch b at the top of a ladder the sweep ended at 2b (%d), whose measured iterations
     * would last too long: final.
     */
    static final String ITERATIONS_TOO_LONG = "ladder ended: iterations too long at batch %d";

    /** GPU, model and engine (as {@link Row#configuration()}) -> the largest batch size listed as did-not-fit there. */
    private final Map<String, Integer> largestDidNotFit = new HashMap<>();
    /** Model and engine -> the largest batch size listed as did-not-fit by an entry that names no GPU. */
    private final Map<String, Integer> largestDidNotFitAnyGpu = new HashMap<>();
    private final Map<String, Integer> largestMeasured = new HashMap<>();
    private final Map<String, Integer> smallestMeasured = new HashMap<>();
    /** Configuration and batch ({@link Row#point()}) of every result its best batch is chosen from (see the constructor). */
    private final Set<String> measured = new HashSet<>();
    /**
     * The same key for every not-run entry that settles its batch (did-not-fit, unavailable) naming its GPU, and
     * model, engine and batch for those naming none. Errors are left out: a resumed sweep runs them again.
     */
    private final Set<String> settledNotRun = new HashSet<>();
    /** The same keys for the above-max-batch entries: a sweep's ladder stopped at its cap below that batch. */
    private final Set<String> aboveMaxBatch = new HashSet<>();
    /** The same keys for the iteration-too-long entries: a sweep's ladder ended below that batch. */
    private final Set<String> iterationTooLong = new HashSet<>();

    /** rows: the plotted rows (those the best batch is chosen from); notRun: every entry of the not-run lists. */
    Ladders(List<Row> rows, List<NotRun> notRun) {
        for (NotRun n : notRun) {
            Integer batch = batchSize(n);
            if (batch == null) {
                continue; // an entry without a batch that parses says nothing about where a ladder ends
            }
            String modelEngine = n.param(ParamNames.MODEL) + "\u0000" + n.param(ParamNames.ENGINE);
            String key = n.gpu() == null ? modelEngine + "\u0000" + batch : n.gpu() + "\u0000" + modelEngine + "\u0000" + batch;
            if (n.aboveMaxBatch()) {
                aboveMaxBatch.add(key); // not measured, not settled either: a larger --max-batch runs it
            } else if (n.kind() != NotRun.Kind.ERROR) {
                settledNotRun.add(key);
            }
            if (n.kind() == NotRun.Kind.ITERATION_TOO_LONG) {
                iterationTooLong.add(key);
            }
            if (n.didNotFit()) {
                // a did-not-fit ends a ladder only above its own batch (a later run may have measured past it); one
                // without a GPU may come from any GPU, a smaller one included
                if (n.gpu() == null) {
                    largestDidNotFitAnyGpu.merge(modelEngine, batch, Math::max);
                } else {
                    largestDidNotFit.merge(n.gpu() + "\u0000" + modelEngine, batch, Math::max);
                }
            }
        }
        // the rows a best batch is chosen from: those with a J/img, or every one where none has one (ranked by img/s)
        Set<String> withEnergy = new HashSet<>();
        rows.stream().filter(Row::hasEnergy).forEach(r -> withEnergy.add(r.configuration()));
        for (Row r : rows) {
            if (r.hasEnergy() || !withEnergy.contains(r.configuration())) {
                largestMeasured.merge(r.configuration(), r.batch(), Math::max);
                smallestMeasured.merge(r.configuration(), r.batch(), Math::min);
                measured.add(r.point());
            }
        }
    }

    /**
     * True when {@code best}, the best batch of its GPU, model and engine, will not change as the ladder goes on (or
     * its ladder stopped at the sweep's --max-batch right above it: {@link #atMaxBatch}; or the sweep ended it right
     * above, where the next batch's iterations would last too long).
     */
    boolean finished(Row best) {
        return notFinal(best) == null;
    }

    /**
     * Why {@code best} may still change: {@link #NOT_FINISHED} (the top first: it is the ladder the sweep is still
     * climbing), {@link #NOT_STARTED_BELOW} or {@link #HALF_NOT_MEASURED}; null when final.
     */
    String notFinal(Row best) {
        if (!endedAbove(best) && !atMaxBatch(best)) {
            return NOT_FINISHED;
        }
        int half = best.batch() / 2;
        boolean startedBelow = best.batch() <= 1 || measured.contains(best.configuration() + "\u0000" + half)
                || settledNotRun.contains(best.configuration() + "\u0000" + half)
                || settledNotRun.contains(best.model() + "\u0000" + best.engine() + "\u0000" + half);
        if (startedBelow) {
            return null;
        }
        return best.batch() <= smallestMeasured.getOrDefault(best.configuration(), best.batch()) ? NOT_STARTED_BELOW
                : String.format(HALF_NOT_MEASURED, half);
    }

    /**
     * What the best-batch table writes beside {@code best}: why it may still change ({@link #notFinal}), with
     * {@link #AT_MAX_BATCH} or {@link #ITERATIONS_TOO_LONG} first where its top is the sweep's cap or where its
     * iterations grew too long; null for a final best batch with nothing to say.
     */
    String mark(Row best) {
        String why = notFinal(best);
        String top = atMaxBatch(best) ? AT_MAX_BATCH
                : iterationsTooLongAbove(best) ? String.format(ITERATIONS_TOO_LONG, 2 * best.batch()) : null;
        if (top == null) {
            return why;
        }
        return why == null ? top : top + "; " + why;
    }

    /**
     * True when {@code best} is the largest batch measured of its ladder, nothing ended the ladder above it, and the
     * sweep recorded that it stopped there at its --max-batch (an above-max-batch entry at twice its batch, on its GPU
     * or naming none).
     */
    boolean atMaxBatch(Row best) {
        return !endedAbove(best) && listedRightAbove(aboveMaxBatch, best);
    }

    /**
     * True when {@code best} is the largest batch measured of its ladder and the sweep ended the ladder right above it
     * (an iteration-too-long entry at twice its batch, on its GPU or naming none).
     */
    private boolean iterationsTooLongAbove(Row best) {
        return !largerMeasured(best) && listedRightAbove(iterationTooLong, best);
    }

    /** An entry of {@code entries} at twice {@code best}'s batch, on its GPU or naming none. */
    private static boolean listedRightAbove(Set<String> entries, Row best) {
        if (best.batch() > Integer.MAX_VALUE / 2) {
            return false;
        }
        String above = best.model() + "\u0000" + best.engine() + "\u0000" + 2 * best.batch();
        return entries.contains(above) || entries.contains(best.gpu() + "\u0000" + above);
    }

    /**
     * A did-not-fit above {@code best} (on its GPU, or naming none), an iteration-too-long right above it, or a larger
     * batch measured.
     */
    private boolean endedAbove(Row best) {
        return best.batch() < largestDidNotFitAnyGpu.getOrDefault(best.model() + "\u0000" + best.engine(), 0)
                || best.batch() < largestDidNotFit.getOrDefault(best.configuration(), 0)
                || largerMeasured(best) || iterationsTooLongAbove(best);
    }

    private boolean largerMeasured(Row best) {
        return best.batch() < largestMeasured.getOrDefault(best.configuration(), best.batch());
    }

    /** The entry's batch size, or null when it has none that parses. */
    private static Integer batchSize(NotRun n) {
        try {
            return Integer.valueOf(n.param(ParamNames.BATCH_SIZE).strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
