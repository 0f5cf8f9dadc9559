package gpuenergy.sweep;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * {@code --shard I/N}: the I-th of N parts (1-based, as Slurm's {@code --array=1-N} numbers its tasks) of a sweep's
 * (model, engine) ladders. A ladder is never split: its rungs size one another (each batch's iteration time comes from
 * the batch below) and it ends at the first batch that does not fit.
 *
 * <p>The parts are a pure function of the ladders in the order given, their predicted seconds and N, so every task of a
 * job array, started anywhere, computes the same partition. The partition is the longest-first greedy one: ladders by
 * predicted time, longest first (the order given breaks ties), each to the part with the least predicted time so far
 * (the lowest-numbered one on a tie). With every time equal (nothing known) that deals the ladders out in turn.
 */
record Shard(int index, int count) {
    private static final Pattern SPEC = Pattern.compile("\\s*(\\d+)\\s*/\\s*(\\d+)\\s*");

    /**
     * The most parts --shard and --shards take: the partition loops over every part for each ladder and keeps a list per
     * part.
     */
    static final int MAX_PARTS = 999_999;

    /** Names a ladder: one model and engine, every batch size of it from --min-batch up to out of memory or --max-batch. */
    record LadderId(String model, String engine) {
        @Override
        public String toString() {
            return model + " / " + engine;
        }
    }

    /** A sweep run whole, without --shard: the one part of one, which runs every ladder, as --shard 1/1 does. */
    static final Shard WHOLE = new Shard(1, 1);

    Shard {
        if (count < 1 || index < 1 || index > count) {
            throw new IllegalArgumentException("--shard " + index + "/" + count + ": expected I/N with 1 <= I <= N, e.g. --shard 1/4");
        }
    }

    /** "I/N" as the command line gives it; the one-line message of the exception says what is wrong. */
    static Shard parse(String spec) {
        Matcher m = SPEC.matcher(spec);
        if (!m.matches()) {
            throw new IllegalArgumentException("--shard " + spec + ": expected I/N, the I-th of N parts (1 <= I <= N), e.g. --shard 1/4");
        }
        BigInteger max = BigInteger.valueOf(MAX_PARTS);
        if (new BigInteger(m.group(1)).compareTo(max) > 0 || new BigInteger(m.group(2)).compareTo(max) > 0) {
            throw new IllegalArgumentException("--shard " + spec + ": too large (at most " + MAX_PARTS + ")");
        }
        return new Shard(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }

    /** This part's ladders, in the order given. */
    List<LadderId> select(List<LadderId> all, Map<LadderId, Double> predictedSeconds) {
        return partition(all, predictedSeconds, count).get(index - 1);
    }

    /**
     * Every part's ladders, each part in the order given.
     *
     * @param predictedSeconds per ladder; a ladder missing from it (or NaN) takes the median of the known ones, or 1 when
     *                         none is known, so that unknown ladders are dealt out evenly among the known
     */
    static List<List<LadderId>> partition(List<LadderId> all, Map<LadderId, Double> predictedSeconds, int count) {
        double[] weight = weights(all, predictedSeconds);
        Integer[] order = IntStream.range(0, all.size()).boxed().toArray(Integer[]::new);
        // stable: equal times keep the order given
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> weight[i]).reversed());
        double[] load = new double[count];
        int[] part = new int[all.size()];
        for (int i : order) {
            int least = 0;
            for (int p = 1; p < count; p++) {
                if (load[p] < load[least]) {
                    least = p;
                }
            }
            part[i] = least;
            load[least] += weight[i];
        }
        List<List<LadderId>> parts = new ArrayList<>();
        for (int p = 0; p < count; p++) {
            parts.add(new ArrayList<>());
        }
        for (int i = 0; i < all.size(); i++) {
            parts.get(part[i]).add(all.get(i));
        }
        return parts;
    }

    /** The predicted seconds of each ladder as the partition uses them (unknown ones filled in). */
    static double[] weights(List<LadderId> all, Map<LadderId, Double> predictedSeconds) {
        double[] known = all.stream().map(predictedSeconds::get).filter(s -> s != null && s > 0 && Double.isFinite(s))
                .mapToDouble(Double::doubleValue).sorted().toArray();
        double fill = known.length == 0 ? 1 : known.length % 2 == 1 ? known[known.length / 2]
                : (known[known.length / 2 - 1] + known[known.length / 2]) / 2;
        double[] w = new double[all.size()];
        for (int i = 0; i < all.size(); i++) {
            Double s = predictedSeconds.get(all.get(i));
            w[i] = s != null && s > 0 && Double.isFinite(s) ? s : fill;
        }
        return w;
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }
}
