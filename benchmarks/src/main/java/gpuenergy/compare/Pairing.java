package gpuenergy.compare;

import gpuenergy.profile.DeviceSpec;
import gpuenergy.results.BenchmarkResult;
import gpuenergy.results.ParamNames;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Which result of the baseline compare judges against which of the candidate. A benchmark pairs with the one of the same
 * name and parameters; one left without is paired across device values (auto, gpu, gpu:N) with the one result of the
 * other side whose parameters differ only in {@code device}, where both sides record the GPU they ran on: a multi-GPU
 * box runs a configuration on whichever board is free, and a board's index is not what a regression test compares.
 * Whether the two GPUs are one model is the device check's to say ({@link CompareCommand#device}), as for any pair.
 * Where a side holds that configuration on several device values, which pairs with which is not known: it pairs none,
 * and is ambiguous.
 *
 * @param pairs           the results judged against each other, in the baseline's order
 * @param onlyInBaseline  the keys of the baseline's results that pair with none
 * @param onlyInCandidate the keys of the candidate's results that pair with none
 * @param ambiguous       one line per configuration on several device values of a side that pairs none of them
 */
record Pairing(List<Pair> pairs, List<String> onlyInBaseline, List<String> onlyInCandidate, List<String> ambiguous) {

    /**
     * Two results judged against each other.
     *
     * @param key the benchmark as the output names it: its key, its device {@code B -> C} where paired across device values
     */
    record Pair(String key, BenchmarkResult base, BenchmarkResult cand) {
        boolean acrossDevices() {
            return !base.param(ParamNames.DEVICE).equals(cand.param(ParamNames.DEVICE));
        }
    }

    static Pairing of(Map<String, BenchmarkResult> base, Map<String, BenchmarkResult> cand) {
        Map<String, List<BenchmarkResult>> baseRest = unpairedOnGpu(base, cand);
        Map<String, List<BenchmarkResult>> candRest = unpairedOnGpu(cand, base);
        List<Pair> pairs = new ArrayList<>();
        List<String> onlyInBaseline = new ArrayList<>();
        Map<String, String> ambiguous = new LinkedHashMap<>();
        base.forEach((k, b) -> {
            BenchmarkResult c = cand.get(k);
            if (c != null) {
                pairs.add(new Pair(k, b, c));
            } else if (!meetsAcrossDevices(b, baseRest, candRest)) {
                onlyInBaseline.add(k);
            } else {
                List<BenchmarkResult> bs = baseRest.get(configuration(b));
                List<BenchmarkResult> cs = candRest.get(configuration(b));
                if (bs.size() == 1 && cs.size() == 1) {
                    c = cs.get(0);
                    Map<String, String> params = new TreeMap<>(b.params());
                    params.put(ParamNames.DEVICE, b.param(ParamNames.DEVICE) + " -> " + c.param(ParamNames.DEVICE));
                    pairs.add(new Pair(BenchmarkResult.key(b.benchmark(), params), b, c));
                } else {
                    ambiguous.computeIfAbsent(configuration(b), config -> config + ": baseline device="
                            + deviceValues(bs) + ", candidate device=" + deviceValues(cs) + " (left after pairing "
                            + "equal values): which pairs with which is ambiguous; give each side one device value of "
                            + "it, or the same values");
                }
            }
        });
        List<String> onlyInCandidate = cand.entrySet().stream()
                .filter(e -> !base.containsKey(e.getKey()) && !meetsAcrossDevices(e.getValue(), candRest, baseRest))
                .map(Map.Entry::getKey).toList();
        return new Pairing(pairs, onlyInBaseline, onlyInCandidate, List.copyOf(ambiguous.values()));
    }

    /**
     * The results of a side that pair with no result of the other of the same key, that ran on a GPU as both their
     * device parameter and their environment say, by {@link #configuration}.
     */
    private static Map<String, List<BenchmarkResult>> unpairedOnGpu(Map<String, BenchmarkResult> side,
            Map<String, BenchmarkResult> other) {
        Map<String, List<BenchmarkResult>> byConfiguration = new LinkedHashMap<>();
        side.forEach((k, r) -> {
            DeviceSpec asked = DeviceSpec.readOrNull(r.params().get(ParamNames.DEVICE));
            String ranOn = CompareCommand.device(r);
            if (!other.containsKey(k) && asked != null && !asked.isCpu() && ranOn != null
                    && !ranOn.equals(CompareCommand.CPU)) {
                byConfiguration.computeIfAbsent(configuration(r), x -> new ArrayList<>()).add(r);
            }
        });
        return byConfiguration;
    }

    /**
     * Whether a result of {@code ownRest} meets results of the other side's of its configuration: it is then paired
     * across device values, or ambiguous.
     */
    private static boolean meetsAcrossDevices(BenchmarkResult r, Map<String, List<BenchmarkResult>> ownRest,
            Map<String, List<BenchmarkResult>> otherRest) {
        String config = configuration(r);
        return ownRest.getOrDefault(config, List.of()).contains(r) && otherRest.containsKey(config);
    }

    /** A result's key without its device parameter: what results paired across device values share. */
    private static String configuration(BenchmarkResult r) {
        Map<String, String> params = new TreeMap<>(r.params());
        params.remove(ParamNames.DEVICE);
        return BenchmarkResult.key(r.benchmark(), params);
    }

    private static String deviceValues(List<BenchmarkResult> results) {
        return results.stream().map(r -> r.param(ParamNames.DEVICE)).collect(Collectors.joining(", "));
    }

    /**
     * One line naming the device values paired across, each with the GPU model(s) the sides ran on and how many
     * benchmarks; null when every pair is of one device value.
     */
    String acrossDevicesLine() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Pair p : pairs) {
            if (p.acrossDevices()) {
                String b = CompareCommand.device(p.base());
                String c = CompareCommand.device(p.cand());
                counts.merge(p.base().param(ParamNames.DEVICE) + " -> " + p.cand().param(ParamNames.DEVICE) + " on "
                        + (b.equals(c) ? b : b + " -> " + c), 1, Integer::sum);
            }
        }
        return counts.isEmpty() ? null : "paired across device values (all other parameters equal, each side on the GPU "
                + "its environment records): " + counts.entrySet().stream()
                .map(e -> e.getKey() + " (" + e.getValue() + " benchmark(s))").collect(Collectors.joining("; "));
    }
}
