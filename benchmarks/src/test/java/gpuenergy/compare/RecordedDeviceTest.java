package gpuenergy.compare;

import gpuenergy.results.BenchmarkResult;
import gpuenergy.results.ResultFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The device a result records is read with -p device='s grammar (DeviceSpec): only "cpu" is the CPU; another value
 * (a prefix of it, another tool's spelling) says nothing, and the GPU the result names counts.
 */
class RecordedDeviceTest {
    private static final String F = "src/test/resources/fixtures/";

    @TempDir
    Path tmp;

    private String deviceOf(String recorded) throws Exception {
        String json = Files.readString(Path.of(F + "baseline.json"));
        com.google.gson.JsonArray a = com.google.gson.JsonParser.parseString(json).getAsJsonArray();
        for (var e : a) {
            e.getAsJsonObject().getAsJsonObject("environment").addProperty("device", recorded);
        }
        Path file = Files.writeString(tmp.resolve("r.json"), a.toString());
        BenchmarkResult r = ResultFile.read(file).get(0);
        return CompareCommand.device(r);
    }

    @Test
    void onlyCpuIsTheCpu() throws Exception {
        String gpu = deviceOf("gpu:0");
        assertEquals("FIXTURE (hand-made test input) H100 80GB HBM3", gpu);
        assertEquals("the CPU", deviceOf("cpu"));
        for (String notTheCpu : new String[] {"cpu:0", "cpu()", "cpu ", "auto"}) {
            assertEquals(gpu, deviceOf(notTheCpu), notTheCpu);
        }
    }
}
