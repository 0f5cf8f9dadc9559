package gpuenergy.sweep;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShardTest {
    private static Shard.LadderId l(String model, String engine) {
        return new Shard.LadderId(model, engine);
    }

    private static List<Shard.LadderId> ladders(int n) {
        List<Shard.LadderId> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            all.add(l("m" + i, "e"));
        }
        return all;
    }

    @Test
    void parsesIOfNAndRefusesAnythingElseInOneLine() {
        assertEquals(new Shard(2, 3), Shard.parse("2/3"));
        assertEquals(new Shard(1, 1), Shard.parse(" 1 / 1 "));
        for (String bad : new String[] {"0/4", "5/4", "1/0", "a/b", "1", "1/2/3", "-1/2", "", "1.5/2"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Shard.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("--shard " + bad + ": expected I/N") || e.getMessage().contains("1 <= I <= N"),
                    e.getMessage());
            assertEquals(-1, e.getMessage().indexOf('\n'), "one line");
        }
    }

    /**
     * A number above the most parts --shard takes is the range line a too large number of another option gives, not the
     * line for what is no I/N; the most passes.
     */
    @Test
    void tooManyPartsIsSaidAsTooLarge() {
        for (String bad : List.of("1/9999999999", "1/1000000", "9999999999/2", "1/99999999999999999999999")) {
            assertEquals("--shard " + bad + ": too large (at most 999999)",
                    assertThrows(IllegalArgumentException.class, () -> Shard.parse(bad), bad).getMessage());
        }
        assertEquals(new Shard(999_999, 999_999), Shard.parse("999999/0999999"));
    }

    @Test
    void withNothingKnownTheLaddersAreDealtOutInTurn() {
        List<Shard.LadderId> all = ladders(5);
        List<List<Shard.LadderId>> parts = Shard.partition(all, Map.of(), 2);
        assertEquals(List.of(all.get(0), all.get(2), all.get(4)), parts.get(0));
        assertEquals(List.of(all.get(1), all.get(3)), parts.get(1));
        assertEquals(parts.get(1), new Shard(2, 2).select(all, Map.of()));
    }

    @Test
    void everyLadderIsInExactlyOnePartAndMorePartsThanLaddersLeavesSomeEmpty() {
        List<Shard.LadderId> all = ladders(3);
        List<List<Shard.LadderId>> parts = Shard.partition(all, Map.of(), 5);
        assertEquals(5, parts.size());
        List<Shard.LadderId> union = new ArrayList<>();
        parts.forEach(union::addAll);
        assertEquals(3, union.size());
        assertEquals(new HashSet<>(all), new HashSet<>(union));
        assertEquals(List.of(), parts.get(3));
        assertEquals(List.of(), parts.get(4));
    }

    @Test
    void longestFirstBalancesKnownTimes() {
        // longest first: 10 -> part 1, 9 -> part 2, 8 -> part 2 (9 < 10), then the three 1 s ladders -> part 1 (10 < 17)
        List<Shard.LadderId> all = List.of(l("a", "x"), l("b", "x"), l("c", "x"), l("d", "x"), l("e", "x"), l("f", "x"));
        Map<Shard.LadderId, Double> t = Map.of(all.get(0), 1.0, all.get(1), 10.0, all.get(2), 9.0, all.get(3), 8.0,
                all.get(4), 1.0, all.get(5), 1.0);
        List<List<Shard.LadderId>> parts = Shard.partition(all, t, 2);
        assertEquals(List.of(all.get(0), all.get(1), all.get(4), all.get(5)), parts.get(0));
        assertEquals(List.of(all.get(2), all.get(3)), parts.get(1));
        assertEquals(13.0, load(parts.get(0), t), 1e-9);
        assertEquals(17.0, load(parts.get(1), t), 1e-9);
    }

    @Test
    void anUnknownLadderWeighsTheMedianOfTheKnown() {
        List<Shard.LadderId> all = List.of(l("a", "x"), l("b", "x"), l("c", "x"), l("new", "x"));
        Map<Shard.LadderId, Double> t = new HashMap<>(Map.of(all.get(0), 2.0, all.get(1), 30.0, all.get(2), 4.0));
        t.put(all.get(3), Double.NaN);
        double[] w = Shard.weights(all, t);
        assertEquals(4.0, w[3], 0);
        assertEquals(30.0, w[1], 0);
    }

    /**
     * The H100 study's own log (src/test/resources/h100/README.md; 13 models x FP32/FP16, batch 1 to 8192): over 2..8 parts, the longest part stays within
     * the greedy's guarantee of 4/3 of the best possible, which is at least the larger of the mean part and the longest
     * ladder.
     */
    @Test
    void theStudysLaddersSplitEvenlyByTheirRecordedTimes() throws Exception {
        Path study = Path.of("src/test/resources/h100/study/sweep");
        Map<Shard.LadderId, Double> t = LadderTimes.read(List.of(study), 1, 8192, System.out);
        List<Shard.LadderId> all = new ArrayList<>(t.keySet());
        all.sort((a, b) -> (a.model() + a.engine()).compareTo(b.model() + b.engine()));
        assertEquals(26, all.size(), "13 models x 2 engines");
        double total = t.values().stream().mapToDouble(Double::doubleValue).sum();
        double longestLadder = t.values().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        // docs/scale-out.md quotes the longest part on 2, 4, 8 and 16 GPUs
        Map<Integer, Long> documented = Map.of(2, 5271L, 4, 2643L, 8, 1427L, 16, 947L);
        for (Map.Entry<Integer, Long> d : documented.entrySet()) {
            double longest = Shard.partition(all, t, d.getKey()).stream().mapToDouble(p -> load(p, t)).max().orElseThrow();
            assertEquals(d.getValue(), Math.round(longest), d.getKey() + " parts");
        }
        assertEquals(10_386, Math.round(total), "the study's 363 configurations, docs/scale-out.md");
        for (int n = 2; n <= 8; n++) {
            List<List<Shard.LadderId>> parts = Shard.partition(all, t, n);
            Set<Shard.LadderId> seen = new HashSet<>();
            double longest = 0;
            for (List<Shard.LadderId> p : parts) {
                for (Shard.LadderId ladder : p) {
                    assertTrue(seen.add(ladder), ladder + " in two parts");
                }
                longest = Math.max(longest, load(p, t));
            }
            assertEquals(all.size(), seen.size());
            double bound = Math.max(total / n, longestLadder);
            assertTrue(longest <= bound * 4 / 3, n + " parts: longest " + longest + " s, bound " + bound + " s");
        }
    }

    private static double load(List<Shard.LadderId> part, Map<Shard.LadderId, Double> t) {
        return part.stream().mapToDouble(t::get).sum();
    }
}
