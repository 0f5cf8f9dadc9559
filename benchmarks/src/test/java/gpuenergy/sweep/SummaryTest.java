package gpuenergy.sweep;

import org.junit.jupiter.api.Test;

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
}
