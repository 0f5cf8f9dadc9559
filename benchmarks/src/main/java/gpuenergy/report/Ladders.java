package gpuenergy.report;

import gpuenergy.results.NotRun;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Whether a best batch is final. A sweep doubles the batch size of each model and engine until it does not fit in GPU
 * memory (or reaches its --max-batch cap); while a ladder is being measured, its lowest J/img may just be its
 * largest batch so far. A best batch is final when the ladder ended (a did-not-fit entry for that model and engine
 * in the not-run lists) or when a larger batch was measured and took more energy per image. The cap is not recorded
 * in the results, so a best batch at a capped ladder's top counts as not final.
 */
final class Ladders {

    /** What the best-batch table writes beside a batch that is not final. */
    static final String NOT_FINISHED = "largest measured; ladder not finished";

    private final Set<String> endedByDidNotFit = new HashSet<>();
    private final Map<String, Integer> largestMeasured = new HashMap<>();

    /** rows: the plotted rows (those the best batch is chosen from); notRun: every entry of the not-run lists. */
    Ladders(List<Row> rows, List<NotRun> notRun) {
        for (NotRun n : notRun) {
            if (n.didNotFit()) {
                // not-run entries name no GPU: a did-not-fit ends the ladder of its model and engine on every GPU
                endedByDidNotFit.add(n.param("model") + "\u0000" + n.param("engine"));
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
        return endedByDidNotFit.contains(best.model() + "\u0000" + best.engine())
                || best.batch() < largestMeasured.getOrDefault(best.configuration(), best.batch());
    }
}
