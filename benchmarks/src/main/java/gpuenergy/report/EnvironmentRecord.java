package gpuenergy.report;

import gpuenergy.profile.EnvironmentKeys;
import gpuenergy.results.Csv;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The environment record: each distinct combination of the environment keys that decide whether two J/img can be
 * compared (board, its MIG mode and MIG instance profile, driver, CUDA, libtorch, DJL, JMH, JVM, this suite's build, host CPU) with its
 * number of results. A key a result does not record is empty: results that record only some keys still report.
 */
final class EnvironmentRecord {

    /** The keys of the record, in its column order; the other environment keys (os, nvml, ...) say nothing new. */
    static final List<String> KEYS = List.of(EnvironmentKeys.GPU_NAME, EnvironmentKeys.GPU_UUID, EnvironmentKeys.GPU_VBIOS,
            EnvironmentKeys.GPU_POWER_LIMIT_W, EnvironmentKeys.GPU_MIG_MODE, EnvironmentKeys.GPU_MIG_PROFILE,
            EnvironmentKeys.DRIVER, EnvironmentKeys.CUDA_DRIVER, EnvironmentKeys.LIBTORCH_VERSION, EnvironmentKeys.LIBTORCH_FLAVOR,
            EnvironmentKeys.DJL, EnvironmentKeys.JMH, EnvironmentKeys.JVM, EnvironmentKeys.TOOL_VERSION,
            EnvironmentKeys.TOOL_COMMIT, EnvironmentKeys.HOST_CPU, EnvironmentKeys.HOST_CPUS);

    static final String HEADING = "Environment record: machines and software of the results";

    /** The section's caption, for summary.md and index.html alike. */
    static final String INTRO = "One row per combination of GPU board, its MIG mode and instance profile, driver, CUDA, "
            + "libtorch, DJL, JMH, "
            + "JVM, this suite's build and host CPU, with its number of results; keys with one value in every result are "
            + "listed once above the table, and environment.csv has every key. An empty cell: the result does not record "
            + "the key. Machines of one kind are not interchangeable: boards differ by a few % in J/img, and launch-bound "
            + "batches run at the host's pace; a board split into MIG instances (gpu.mig_mode enabled) measures the whole "
            + "board's energy for one instance's work, whose slice of the board gpu.mig_profile names.";

    /** Values in {@link #KEYS} order -> number of results; sorted by the values, so input order does not matter. */
    private final Map<List<String>, Integer> combinations;
    private final int results;

    private EnvironmentRecord(Map<List<String>, Integer> combinations) {
        this.combinations = combinations;
        this.results = combinations.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** The record of results with these environments (one map per result). */
    static EnvironmentRecord of(List<Map<String, String>> environments) {
        Comparator<List<String>> byValues = (a, b) -> Arrays.compare(a.toArray(String[]::new), b.toArray(String[]::new));
        Map<List<String>, Integer> combinations = new TreeMap<>(byValues);
        for (Map<String, String> env : environments) {
            combinations.merge(KEYS.stream().map(k -> env.getOrDefault(k, "")).toList(), 1, Integer::sum);
        }
        return new EnvironmentRecord(combinations);
    }

    boolean isEmpty() {
        return results == 0;
    }

    int results() {
        return results;
    }

    /** Keys with the same recorded value in every result, with that value. */
    Map<String, String> common() {
        Map<String, String> common = new LinkedHashMap<>();
        for (int i = 0; i < KEYS.size(); i++) {
            List<String> values = distinct(i);
            if (values.size() == 1 && !values.get(0).isEmpty()) {
                common.put(KEYS.get(i), values.get(0));
            }
        }
        return common;
    }

    /** Keys that no result records. */
    List<String> notRecorded() {
        List<String> none = new ArrayList<>();
        for (int i = 0; i < KEYS.size(); i++) {
            if (distinct(i).equals(List.of(""))) {
                none.add(KEYS.get(i));
            }
        }
        return none;
    }

    /** The table's header: the keys whose value differs between results, then "results". */
    String[] header() {
        List<String> h = new ArrayList<>();
        varying().forEach(i -> h.add(KEYS.get(i)));
        h.add("results");
        return h.toArray(String[]::new);
    }

    /** The table's rows, one per combination; none when every key has one value (the common list says it all). */
    List<String[]> cells() {
        List<Integer> varying = varying();
        List<String[]> rows = new ArrayList<>();
        if (varying.isEmpty()) {
            return rows;
        }
        combinations.forEach((values, n) -> {
            List<String> row = new ArrayList<>();
            varying.forEach(i -> row.add(values.get(i)));
            row.add(Integer.toString(n));
            rows.add(row.toArray(String[]::new));
        });
        return rows;
    }

    /** environment.csv: every key as a column, constant or not, so files from several reports line up. */
    String csv() {
        StringBuilder sb = new StringBuilder(String.join(",", KEYS)).append(",results\n");
        combinations.forEach((values, n) -> sb.append(String.join(",", values.stream().map(Csv::field).toList()))
                .append(',').append(n).append('\n'));
        return sb.toString();
    }

    String markdown() {
        StringBuilder sb = new StringBuilder("\n## ").append(HEADING).append("\n\n").append(INTRO).append("\n\n");
        sb.append(commonLine()).append("\n");
        if (!common().isEmpty()) {
            sb.append('\n');
            common().forEach((k, v) -> sb.append("- ").append(k).append(": ").append(v).append('\n'));
        }
        if (!notRecorded().isEmpty()) {
            sb.append("\n").append(notRecordedLine()).append('\n');
        }
        List<String[]> cells = cells();
        if (!cells.isEmpty()) {
            sb.append('\n').append(Markdown.table(List.of(header()), cells));
        }
        return sb.toString();
    }

    String commonLine() {
        if (notRecorded().size() == KEYS.size()) {
            // results without an environment record: every key has the one value "not recorded"
            return "None of the " + results + " results records any of these keys.";
        }
        return common().isEmpty() ? "No key has one value in all " + results + " results."
                : "Common to all " + results + " results" + (varying().isEmpty() ? " (one combination):" : ":");
    }

    String notRecordedLine() {
        return "Recorded by no result: " + String.join(", ", notRecorded()) + ".";
    }

    /** Indices of the keys with more than one value, missing counted as a value. */
    private List<Integer> varying() {
        List<Integer> v = new ArrayList<>();
        for (int i = 0; i < KEYS.size(); i++) {
            if (distinct(i).size() > 1) {
                v.add(i);
            }
        }
        return v;
    }

    private List<String> distinct(int key) {
        return combinations.keySet().stream().map(values -> values.get(key)).distinct().toList();
    }
}
