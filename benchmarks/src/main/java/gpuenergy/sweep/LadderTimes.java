package gpuenergy.sweep;

import gpuenergy.results.NotRun;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What each ladder took in earlier sweeps ({@code --balance-from DIR}), for {@link Shard}'s partition: per (model,
 * engine), the sum over its batch sizes within this sweep's --min-batch..--max-batch of the wall time its sweep.jsonl
 * records for the batch's outcome (measured, did not fit, failed or unavailable; the last such line where a batch has
 * several). That wall time holds everything the device spent on the configuration: forks, warm-up, iterations, re-runs
 * for too few batches, an engine build.
 */
final class LadderTimes {
    private LadderTimes() {}

    static Map<Shard.LadderId, Double> read(List<Path> sweepDirs, int minBatch, int maxBatch, PrintStream notes)
            throws IOException {
        Map<List<Object>, Double> perBatch = new LinkedHashMap<>();
        for (Path dir : sweepDirs) {
            for (SweepLog.Entry e : SweepLog.read(dir, notes)) {
                boolean outcome = !SweepLog.RERUN.equals(e.status()) && e.kind() != NotRun.Kind.ABOVE_MAX_BATCH;
                if (outcome && e.batchSize() >= minBatch && e.batchSize() <= maxBatch && e.seconds() > 0) {
                    perBatch.put(List.of(e.model(), e.engine(), e.batchSize()), e.seconds());
                }
            }
        }
        Map<Shard.LadderId, Double> ladders = new HashMap<>();
        perBatch.forEach((k, seconds) -> ladders.merge(new Shard.LadderId((String) k.get(0), (String) k.get(1)), seconds, Double::sum));
        return ladders;
    }
}
