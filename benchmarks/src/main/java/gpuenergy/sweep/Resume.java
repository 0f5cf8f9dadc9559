package gpuenergy.sweep;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an earlier run of the same sweep directory already settled, from its log. Configurations with a
 * result file are done (the sweep checks the file itself); a ladder that ran out of memory ends there.
 * Failures are not settled: a resumed sweep tries them again.
 */
final class Resume {
    private final Map<String, Integer> didNotFitAt = new HashMap<>();
    private final Map<String, SweepLog.Entry> lastOutcome = new LinkedHashMap<>();
    private final Map<String, SweepLog.Entry> lastRerun = new HashMap<>();

    private Resume() {}

    static Resume of(List<SweepLog.Entry> entries) {
        Resume r = new Resume();
        for (SweepLog.Entry e : entries) {
            if (SweepLog.RERUN.equals(e.status())) {
                r.lastRerun.put(point(e.model(), e.engine(), e.batchSize()), e);
                continue;
            }
            r.lastOutcome.put(point(e.model(), e.engine(), e.batchSize()), e);
            if (SweepLog.DID_NOT_FIT.equals(e.status())) {
                r.didNotFitAt.merge(ladder(e.model(), e.engine()), e.batchSize(), Math::min);
            }
        }
        return r;
    }

    /** The smallest batch recorded as not fitting for this model and engine; 0 when none. */
    int didNotFitAt(String model, String engine) {
        return didNotFitAt.getOrDefault(ladder(model, engine), 0);
    }

    /**
     * This configuration's latest "rerun" entry (its file: the short run kept aside, relative to the sweep
     * directory; its seconds: that run's wall time), null when none: a sweep stopped before that re-run resumes
     * with the iteration time and the overhead the short run measured.
     */
    SweepLog.Entry lastRerun(String model, String engine, int batch) {
        return lastRerun.get(point(model, engine, batch));
    }

    /** Configurations whose latest outcome is did-not-fit or failed: the sweep's not-run list. */
    List<SweepLog.Entry> notRun() {
        List<SweepLog.Entry> out = new ArrayList<>();
        for (SweepLog.Entry e : lastOutcome.values()) {
            if (SweepLog.DID_NOT_FIT.equals(e.status()) || SweepLog.FAILED.equals(e.status())) {
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
