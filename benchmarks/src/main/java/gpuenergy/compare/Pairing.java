package gpuenergy.compare;

import gpuenergy.profile.DeviceSpec;
import gpuenergy.results.BenchmarkResult;
import gpuenergy.results.NotRun;
import gpuenergy.results.Numbers;
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
 * other side whose parameters differ only in {@code device} and that ran on the same GPU model, as both sides' records
 * say ({@link CompareCommand#device}): a multi-GPU box runs a configuration on whichever board is free, and a board's
 * index is not what a regression test compares, but its model is. Results of two models on two device values pair
 * with none (the baseline's is missing in the candidate), rather than stop the comparison as different devices. Where a
 * side holds that configuration on several device values of one model, which pairs with which is not known: it pairs
 * none, and is ambiguous.
 *
 * @param pairs           the results judged against each other, in the baseline's order
 * @param onlyInBaseline  the keys of the baseline's results that pair with none
 * @param onlyInCandidate the keys of the candidate's results that pair with none
 * @param ambiguous       one line per configuration on several device values of one GPU model of a side that pairs
 *                        none of them
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
                List<BenchmarkResult> bs = baseRest.get(onGpuModel(b));
                List<BenchmarkResult> cs = candRest.get(onGpuModel(b));
                if (bs.size() == 1 && cs.size() == 1) {
                    c = cs.get(0);
                    Map<String, String> params = new TreeMap<>(b.params());
                    params.put(ParamNames.DEVICE, b.param(ParamNames.DEVICE) + " -> " + c.param(ParamNames.DEVICE));
                    pairs.add(new Pair(BenchmarkResult.key(b.benchmark(), params), b, c));
                } else {
                    ambiguous.computeIfAbsent(onGpuModel(b), group -> configuration(b) + " on " + CompareCommand.device(b)
                            + ": baseline device=" + deviceValues(bs) + ", candidate device=" + deviceValues(cs)
                            + " (left after pairing equal values): which pairs with which is ambiguous; give each side "
                            + "one device value of it, or the same values");
                }
            }
        });
        List<String> onlyInCandidate = cand.entrySet().stream()
                .filter(e -> !base.containsKey(e.getKey()) && !meetsAcrossDevices(e.getValue(), candRest, baseRest))
                .map(Map.Entry::getKey).toList();
        return new Pairing(pairs, onlyInBaseline, onlyInCandidate, List.copyOf(ambiguous.values()));
    }

    /**
     * The results of a side that pair with no result of the other of the same key, that ran on a GPU ({@link #onGpu}),
     * by {@link #onGpuModel}.
     */
    private static Map<String, List<BenchmarkResult>> unpairedOnGpu(Map<String, BenchmarkResult> side,
            Map<String, BenchmarkResult> other) {
        Map<String, List<BenchmarkResult>> byGroup = new LinkedHashMap<>();
        side.forEach((k, r) -> {
            if (!other.containsKey(k) && onGpu(r)) {
                byGroup.computeIfAbsent(onGpuModel(r), x -> new ArrayList<>()).add(r);
            }
        });
        return byGroup;
    }

    /** Whether a result ran on a GPU as both its device parameter and its environment say. */
    private static boolean onGpu(BenchmarkResult r) {
        DeviceSpec asked = DeviceSpec.readOrNull(r.params().get(ParamNames.DEVICE));
        String ranOn = CompareCommand.device(r);
        return asked != null && !asked.isCpu() && ranOn != null && !ranOn.equals(CompareCommand.CPU);
    }

    /**
     * Whether a result of {@code ownRest} meets results of the other side's of its configuration and GPU model: it is
     * then paired across device values, or ambiguous.
     */
    private static boolean meetsAcrossDevices(BenchmarkResult r, Map<String, List<BenchmarkResult>> ownRest,
            Map<String, List<BenchmarkResult>> otherRest) {
        String group = onGpuModel(r);
        return ownRest.getOrDefault(group, List.of()).contains(r) && otherRest.containsKey(group);
    }

    /**
     * Whether the not-run entry {@code n} is of {@code r}'s configuration on another device value of the GPU model
     * {@code r} ran on, as its {@code gpu} records it: a result of it would have paired with {@code r}.
     */
    static boolean notRunAcrossDevices(BenchmarkResult r, NotRun n) {
        String value = n.params().get(ParamNames.DEVICE);
        DeviceSpec asked = DeviceSpec.readOrNull(value);
        if (!onGpu(r) || asked == null || asked.isCpu() || !CompareCommand.device(r).equals(n.gpu())) {
            return false;
        }
        Map<String, String> params = new TreeMap<>(r.params());
        params.put(ParamNames.DEVICE, value);
        return n.isFor(r.benchmark(), params);
    }

    /** A result's key without its device parameter: what results paired across device values share. */
    private static String configuration(BenchmarkResult r) {
        Map<String, String> params = new TreeMap<>(r.params());
        params.remove(ParamNames.DEVICE);
        return BenchmarkResult.key(r.benchmark(), params);
    }

    /** A result's {@link #configuration} and the GPU model it ran on: the results that may pair across device values. */
    private static String onGpuModel(BenchmarkResult r) {
        return configuration(r) + '\0' + CompareCommand.device(r);
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
                counts.merge(p.base().param(ParamNames.DEVICE) + " -> " + p.cand().param(ParamNames.DEVICE) + " on "
                        + CompareCommand.device(p.base()), 1, Integer::sum);
            }
        }
        return counts.isEmpty() ? null : "paired across device values (all other parameters equal, each side on the GPU "
                + "its environment records): " + counts.entrySet().stream()
                .map(e -> e.getKey() + " (" + Numbers.count(e.getValue(), "benchmark") + ")").collect(Collectors.joining("; "));
    }
}
