package gpuenergy.report;

import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The J/img factors of one engine pair (J/img of A / J/img of B, each at its own best batch) per model, and the
 * models whose factor is left out of the geometric mean because a best batch of theirs is not final (see
 * {@link Ladders}): such a factor may still move as the ladder goes on. A best batch at the top of a ladder the sweep
 * stopped at its --max-batch is final ({@link Ladders#atMaxBatch}): its factor is in the mean, and the
 * mean says how many of its models are at the cap. The best-batch table and the reduction figure both read it, so
 * their means and what they leave out agree.
 *
 * @param factors    every model (by the caller's key) with a best batch for both engines, and its factor
 * @param leftOut    the keys of {@code factors} left out of the mean
 * @param atMaxBatch the keys of {@code factors} with a best batch (of either engine) at its sweep's --max-batch
 */
record FactorSummary(SortedMap<String, Double> factors, SortedSet<String> leftOut, SortedSet<String> atMaxBatch) {

    /** What a factor left out of the mean is marked with, in the table and in the figure. */
    static final String NOT_IN_THE_MEAN = "not in the mean";

    /** What the mean's line says after the models (or their count) it leaves out. */
    static final String LEFT_OUT = "left out: best batch not final";

    /** What the mean's line says after the count of its models whose best batch is the sweep's cap. */
    static final String AT_MAX_BATCH = "at the sweep's --max-batch";

    /** a, b: the best rows of engine A and engine B by model key; a model missing from either has no factor. */
    static FactorSummary of(Map<String, Row> a, Map<String, Row> b, Ladders ladders) {
        SortedMap<String, Double> factors = new TreeMap<>();
        SortedSet<String> leftOut = new TreeSet<>();
        SortedSet<String> atMaxBatch = new TreeSet<>();
        a.forEach((key, ra) -> {
            Row rb = b.get(key);
            if (rb != null) {
                factors.put(key, ra.joulesPerImage() / rb.joulesPerImage());
                if (!ladders.finished(ra) || !ladders.finished(rb)) {
                    leftOut.add(key);
                }
                if (ladders.atMaxBatch(ra) || ladders.atMaxBatch(rb)) {
                    atMaxBatch.add(key);
                }
            }
        });
        return new FactorSummary(factors, leftOut, atMaxBatch);
    }

    /** The keys in the mean with a best batch at the sweep's --max-batch. */
    SortedSet<String> inMeanAtMaxBatch() {
        SortedSet<String> s = new TreeSet<>(atMaxBatch);
        s.removeAll(leftOut);
        return s;
    }

    /**
     * How the mean's line counts its models: "3 models", or "3 models, 2 at the sweep's --max-batch" (with
     * {@code named}, their keys instead of the count: "3 models, m1, m2 at the sweep's --max-batch").
     */
    String modelsInMean(boolean named) {
        int n = inMean().size();
        SortedSet<String> capped = inMeanAtMaxBatch();
        return n + " model" + (n == 1 ? "" : "s") + (capped.isEmpty() ? ""
                : ", " + (named ? Charts.named(capped) : String.valueOf(capped.size())) + " " + AT_MAX_BATCH);
    }

    /** The factors in the mean, by key. */
    SortedMap<String, Double> inMean() {
        SortedMap<String, Double> m = new TreeMap<>(factors);
        m.keySet().removeAll(leftOut);
        return m;
    }

    /** Geometric mean of the factors in the mean; NaN when none is. */
    double geometricMean() {
        return Efficiency.geometricMean(meaned());
    }

    /** Geometric standard deviation of the factors in the mean; NaN for fewer than two. */
    double geometricStd() {
        return Efficiency.geometricStd(meaned());
    }

    /** "2.14x", or "2.14x (not in the mean)" for a factor left out of the mean. */
    String label(String key) {
        return String.format(Locale.ROOT, "%.2fx", factors.get(key)) + (leftOut.contains(key) ? " (" + NOT_IN_THE_MEAN + ")" : "");
    }

    private double[] meaned() {
        return inMean().values().stream().mapToDouble(Double::doubleValue).toArray();
    }
}
