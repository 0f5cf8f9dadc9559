package gpuenergy.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import gpuenergy.ConsoleCapture;
import gpuenergy.results.ParamNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The default engines on a CPU: FP16 is unavailable in a sweep as in a plain run, and neither exits 1 for it
 * (NotRun.exitCode). A real sweep of the embedded model through the launcher, each run forked (~10 s).
 */
class SweepOnTheCpuTest {

    @Test
    void fp16IsUnavailableAndTheSweepExitsZero(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("sweep");
        ConsoleCapture sweep = ConsoleCapture.run(() -> {
            try {
                return Main.run(new String[] {"sweep", "-p", "engine=pytorch-fp32,pytorch-fp16", "--max-batch", "1",
                        "--min-seconds", "0.2", "--min-batches", "1", "-wi", "0", "-i", "1", "--out", out.toString()});
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        assertEquals(0, sweep.rc(), "FP16 on a CPU is not a failure\n" + sweep.out() + sweep.err());
        // JMH's line naming the hidden file the run is written to before it is published is left out
        assertFalse(sweep.out().contains("Benchmark result is saved to"), sweep.out());
        assertTrue(Files.exists(out.resolve("mobilenetv3_small_100-pytorch-fp32-b1.json")));
        JsonArray notRun = JsonParser.parseString(Files.readString(out.resolve("sweep.notrun.json"))).getAsJsonArray();
        JsonObject fp16 = notRun.asList().stream().map(e -> e.getAsJsonObject())
                .filter(o -> o.getAsJsonObject("params").get(ParamNames.ENGINE).getAsString().equals("pytorch-fp16"))
                .findFirst().orElseThrow();
        assertEquals("unavailable", fp16.get("kind").getAsString(), fp16.toString());
        assertTrue(fp16.get("reason").getAsString().startsWith("engine 'pytorch-fp16' needs a GPU"), fp16.toString());
        List<String> summary = Files.readAllLines(out.resolve("summary.csv"));
        assertTrue(summary.stream().anyMatch(l -> l.contains("pytorch-fp16") && l.contains("unavailable at batch 1")), summary.toString());
    }
}
