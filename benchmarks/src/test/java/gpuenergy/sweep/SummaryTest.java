package gpuenergy.sweep;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** CSV layout only: the numbers are made up, not measurements. */
class SummaryTest {
    @Test
    void writesOneQuotedRowPerModelAndEngine() {
        Measurement b4 = new Measurement("m", "e", 4, 10, 9, 10_000, 0.25, 100);
        Measurement b8 = new Measurement("m", "e", 8, 6, 5, 10_000, 0.2, 96);
        List<Measurement> measured = List.of(b4, b8);
        String csv = Summary.csv(List.of(
                new Summary.Row("m", "e", measured, BestBatch.choose(measured), "did not fit at batch 16: CUDA out of memory, \"x\"", "m-e-b8.json"),
                new Summary.Row("n", "e", List.of(), null, "failed at batch 1: boom", "")));
        String[] lines = csv.split("\n");
        assertEquals(Summary.HEADER, lines[0]);
        assertEquals("m,e,8,J/img,0.2,48.0,96.0,4 8,\"did not fit at batch 16: CUDA out of memory, \"\"x\"\"\",m-e-b8.json,lowest energy.J/img", lines[1]);
        assertEquals("n,e,,,,,,,failed at batch 1: boom,,nothing measured", lines[2]);
    }

    /** A batch size measured with neither a J/img nor an img/s gives no best batch, and is not said to be unmeasured. */
    @Test
    void measuredButNothingToRankByIsNotNothingMeasured() {
        List<Measurement> measured = List.of(new Measurement("m", "e", 1, Double.NaN, Double.NaN, 10_000, Double.NaN, Double.NaN));
        String csv = Summary.csv(List.of(new Summary.Row("m", "e", measured, BestBatch.choose(measured), "", "m.json")));
        assertEquals("m,e,,,,,,1,,m.json,no J/img nor img/s to rank by", csv.split("\n")[1]);
    }

    /** The console shows figures as every command does (Numbers.plain): 32418 img/s, never 3.242e+04. */
    @Test
    void theConsoleShowsPlainFigures() {
        Measurement b256 = new Measurement("resnet50", "tensorrt-fp16", 256, 32418.0 / 256, 126, 10_000, 0.0173, 560.84);
        assertEquals("[sweep] resnet50 / tensorrt-fp16 batch 256: 32418 img/s, 0.01730 J/img -> r.json",
                Rung.measuredLine(new Configuration("resnet50", "tensorrt-fp16", 256), b256, "r.json"));
        Measurement noEnergy = new Measurement("m", "e", 1, 123456.7, 123456.7, 10_000, Double.NaN, Double.NaN);
        assertEquals("[sweep] m / e batch 1: 123457 img/s -> m.json",
                Rung.measuredLine(new Configuration("m", "e", 1), noEnergy, "m.json"));

        ByteArrayOutputStream said = new ByteArrayOutputStream();
        Summary.print(new PrintStream(said, true, StandardCharsets.UTF_8),
                List.of(new Summary.Row("resnet50", "tensorrt-fp16", List.of(b256), BestBatch.choose(List.of(b256)), "", "r.json")));
        String row = said.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("resnet50")).findFirst().orElseThrow();
        assertEquals(List.of("resnet50", "tensorrt-fp16", "256", "0.01730", "32418", "560.8"),
                List.of(row.split("\\s+")).subList(0, 6), row);
    }
}
