package gpuenergy.report;

import gpuenergy.results.NotRun;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Whether a best batch is final. A sweep doubles the batch size of each model and engine until it does not fit in GPU
 * memory (or reaches its --max-batch cap); while a ladder is being measured, its lowest J/img may just be its
 * largest batch so far. A best batch is final when the ladder ended above it (a did-not-fit entry for that model and
 * engine at a larger batch, in the not-run lists) or when a larger batch was measured and took more energy per image.
 * A did-not-fit that names its GPU ends only that GPU's ladder (an 80 GB board fits batches a 40 GB one does not); one
 * that names none (lists written before entries named their GPU) ends the ladder on every GPU.
 * The cap is not recorded in the results, so a best batch at a capped ladder's top counts as not final.
 */
final class Ladders {

    /** What the best-batch table writes beside a batch that is not final. */
    static final String NOT_FINISHED = "largest measured; ladder not finished";

    /** GPU, model and engine (as {@link Row#configuration()}) -> the largest batch size listed as did-not-fit there. */
    private final Map<String, Integer> largestDidNotFit = new HashMap<>();
    /** Model and engine -> the largest batch size listed as did-not-fit by an entry that names no GPU. */
    private final Map<String, Integer> largestDidNotFitAnyGpu = new HashMap<>();
    private final Map<String, Integer> largestMeasured = new HashMap<>();

    /** rows: the plotted rows (those the best batch is chosen from); notRun: every entry of the not-run lists. */
    Ladders(List<Row> rows, List<NotRun> notRun) {
        for (NotRun n : notRun) {
            Integer batch = batchSize(n);
            if (n.didNotFit() && batch != null) {
                // a did-not-fit ends a ladder only above its own batch (a later run may have measured past it); one
                // without a GPU may come from any GPU, a smaller one included
                String modelEngine = n.param("model") + "\u0000" + n.param("engine");
                if (n.gpu() == null) {
                    largestDidNotFitAnyGpu.merge(modelEngine, batch, Math::max);
                } else {
                    largestDidNotFit.merge(n.gpu() + "\u0000" + modelEngine, batch, Math::max);
                }
            }
        }
        for (Row r : rows) {
            if (r.hasEnergy()) {
                largestMeasured.merge(r.configuration(), r.batch(), Math::max);
            }
        }
    }

    /** True when {@code best}, the best batch of its GPU, model and engine, will not change as the ladder goes on. */
    boolean finished(Row best) {
        return best.batch() < largestDidNotFitAnyGpu.getOrDefault(best.model() + "\u0000" + best.engine(), 0)
                || best.batch() < largestDidNotFit.getOrDefault(best.configuration(), 0)
                || best.batch() < largestMeasured.getOrDefault(best.configuration(), best.batch());
    }

    /** The entry's batch size, or null when it has none that parses (then it says nothing about where a ladder ends). */
    private static Integer batchSize(NotRun n) {
        try {
            return Integer.valueOf(n.param("batchSize").strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
