package gpuenergy.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultFileTest {
    static final Path FIXTURES = Path.of("src/test/resources/fixtures");

    @TempDir
    Path tmp;

    @Test
    void readsJmhJsonWithEnergyAndEnvironment() throws Exception {
        List<BenchmarkResult> results = ResultFile.read(FIXTURES.resolve("baseline.json"));
        assertEquals(24, results.size());
        BenchmarkResult r = results.stream().filter(x -> x.param("model").equals("fixture-medium")
                && x.param("engine").equals("tensorrt-fp16") && x.batchSize() == 8).findFirst().orElseThrow();
        assertEquals("thrpt", r.mode());
        assertEquals(6, r.primary().samples().length, "2 forks x 3 iterations");
        // img/s = batches/s x batch size, samples and interval alike
        assertEquals(r.primary().score() * 8, r.imagesPerSecond().score(), 1e-9);
        assertEquals(r.primary().samples()[5] * 8, r.imagesPerSecond().samples()[5], 1e-9);
        assertEquals("img/s", r.primaryLabel());
        assertTrue(r.hasEnergy());
        assertEquals("700", r.environment().get("gpu.power_limit_w"));
        assertEquals(700, r.environmentNumber("gpu.power_limit_w"));
        assertEquals("gpuenergy.bench.InferenceBenchmark.infer {batchSize=8, device=cuda:0, engine=tensorrt-fp16, "
                + "model=fixture-medium}", r.key());
    }

    @Test
    void readsResultsWithoutEnergy() throws Exception {
        List<BenchmarkResult> results = ResultFile.read(FIXTURES.resolve("no-energy.json"));
        assertFalse(results.get(0).hasEnergy());
        assertTrue(Double.isNaN(results.get(0).secondaryScore(BenchmarkResult.ENERGY_AVG_W)));
    }

    @Test
    void jmhNanStringsAreNaN() throws Exception {
        Path f = write("nan.json", "[{\"benchmark\":\"b.B.m\",\"mode\":\"thrpt\",\"params\":{},\"primaryMetric\":"
                + "{\"score\":5.0,\"scoreError\":\"NaN\",\"scoreConfidence\":[\"NaN\",\"NaN\"],\"scoreUnit\":\"ops/s\","
                + "\"rawData\":[[5.0]]}}]");
        BenchmarkResult r = ResultFile.read(f).get(0);
        assertTrue(Double.isNaN(r.primary().lo()));
        assertEquals(1, r.batchSize());
        assertEquals("ops/s", r.primaryLabel(), "no batchSize param: the score stays in JMH's unit");
    }

    @Test
    void badInputsGiveOneLineNamingTheFile() throws Exception {
        assertBad(tmp.resolve("missing.json"), "no such file");
        assertBad(write("text.json", "this is not json {"), "not JSON");
        assertBad(write("object.json", "{\"benchmark\":\"x\"}"), "not a JMH result file");
        assertBad(write("empty.json", "[]"), "contains no benchmark results");
        assertBad(write("noprimary.json", "[{\"benchmark\":\"x\"}]"), "entry 0 is not a JMH result");
    }

    @Test
    void notRunSiblingIsListed() throws Exception {
        Path result = write("run.json", "[]");
        write("run.notrun.json", "[{\"benchmark\":\"gpuenergy.bench.InferenceBenchmark.infer\",\"params\":{\"model\":\"big\","
                + "\"batchSize\":\"1024\"},\"reason\":\"out of GPU memory\",\"kind\":\"did-not-fit\"}]");
        List<String> lines = ResultFile.notRun(result);
        assertEquals(1, lines.size());
        assertTrue(lines.get(0).contains("did-not-fit: out of GPU memory"), lines.get(0));
        assertTrue(lines.get(0).contains("batchSize=1024"), lines.get(0));
        assertTrue(ResultFile.notRun(FIXTURES.resolve("baseline.json")).isEmpty());
    }

    private void assertBad(Path file, String expected) {
        BadInputException e = assertThrows(BadInputException.class, () -> ResultFile.read(file));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.getMessage().contains(file.getFileName().toString()), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }

    private Path write(String name, String content) throws Exception {
        return Files.writeString(tmp.resolve(name), content);
    }
}
