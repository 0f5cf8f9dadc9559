package gpuenergy.overhead;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The overhead command's summary of the rounds an overhead directory holds for one ResNet-50 configuration, for a
 * directory whose command was stopped before its last rounds (it writes its summary only at its end). Compiled against
 * the suite's jar (package-private API):
 *   javac -cp benchmarks.jar -d /tmp/sum SummaryOfRounds.java
 *   java -cp /tmp/sum:benchmarks.jar gpuenergy.overhead.SummaryOfRounds DIR ENGINE BATCH ROUNDS VARIANT...
 * VARIANT as the command's --variant took it (NAME=SPEC), the baseline first; verdicts at 1 %.
 */
public class SummaryOfRounds {
    public static void main(String[] a) throws Exception {
        List<Variant> variants = Variant.parse(List.of(a).subList(4, a.length));
        Map<String, String> config = new LinkedHashMap<>();
        config.put("model", "resnet50");
        config.put("engine", a[1]);
        config.put("batchSize", a[2]);
        List<Integer> rounds = new ArrayList<>();
        for (int r = 1; r <= Integer.parseInt(a[3]); r++) {
            rounds.add(r);
        }
        var rows = OverheadSummary.rows(Path.of(a[0]), List.of(config), variants, new TreeSet<>(rounds), Map.of(), 0.01);
        OverheadSummary.print(System.out, rows, 0.01);
        System.out.print(OverheadSummary.csv(rows));
    }
}
