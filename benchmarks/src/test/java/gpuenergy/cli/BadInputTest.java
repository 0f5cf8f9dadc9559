package gpuenergy.cli;

import com.google.gson.JsonObject;
import gpuenergy.engine.Libtorch;
import gpuenergy.profile.EnvironmentKeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every bad input: one line naming the bad value and what is accepted, recorded as not run, and no stack
 * trace in the output. Real JMH runs on DJL's CPU engine and the embedded model.
 */
class BadInputTest {
    private static final String FP32 = "engine=pytorch-fp32";

    @TempDir
    Path dir;

    @AfterEach
    void clearProperties() {
        System.clearProperty("gpuenergy.allowUnchecked");
    }

    private static void assertOneLine(JmhRun run, String reason) {
        assertFalse(run.output.contains("\tat "), "a stack trace was printed:\n" + run.output);
        assertTrue(run.output.contains("\n" + reason + "\n"), "JMH's output lacks the line '" + reason + "':\n" + run.output);
        assertTrue(run.output.contains("Not run (1)"), run.output);
        assertEquals(1, run.exitCode, "nothing was measured, so the exit code says so");
        assertFalse(run.resultWritten, "nothing measured: no result file (an empty array would be an unusable input)");
        assertFalse(run.output.contains("Benchmark result is saved to"), "names a file that does not exist:\n" + run.output);
    }

    @Test
    void unknownEngine() throws IOException {
        JmhRun run = JmhRun.of(dir, "engine=tensorflow");
        assertEquals("unknown engine 'tensorflow'; accepted: pytorch-fp32, pytorch-fp16, pytorch-opt-fp32, pytorch-opt-fp16, tensorrt-fp16",
                run.onlyReason());
        assertEquals("error", run.onlyNotRun().get("kind").getAsString());
        assertOneLine(run, run.onlyReason());
    }

    @Test
    void unknownModel() throws IOException {
        JmhRun run = JmhRun.of(dir, FP32, "model=no_such_net");
        assertTrue(run.onlyReason().startsWith("unknown model 'no_such_net': no "), run.onlyReason());
        assertTrue(run.onlyReason().contains("no_such_net-fp32.pt; accepted: a model name exported to"), run.onlyReason());
        assertTrue(run.onlyReason().contains("python3 tools/export_models.py --models no_such_net --out "), run.onlyReason());
        assertOneLine(run, run.onlyReason());
    }

    @Test
    void missingArtifactOfAKnownModelSaysHowToExportIt() throws IOException {
        Files.createDirectories(dir.resolve("models/resnet50"));
        System.setProperty("gpuenergy.models", dir.resolve("models").toString());
        try {
            JmhRun run = JmhRun.of(dir, "engine=pytorch-opt-fp32", "device=cpu", "model=resnet50");
            assertEquals("model 'resnet50' has no opt-fp32 artifact: " + dir.resolve("models/resnet50/resnet50-opt-fp32.pt")
                    + " is missing; export it with: python3 tools/export_models.py --models resnet50 --out " + dir.resolve("models"),
                    run.onlyReason());
            assertOneLine(run, run.onlyReason());
        } finally {
            System.clearProperty("gpuenergy.models");
        }
    }

    @Test
    void missingModelFile() throws IOException {
        Path missing = dir.resolve("gone-fp32.pt");
        JmhRun run = JmhRun.of(dir, FP32, "model=" + missing);
        assertTrue(run.onlyReason().startsWith("model file " + missing + " does not exist; accepted: "), run.onlyReason());
        assertOneLine(run, run.onlyReason());
    }

    @Test
    void corruptModelFileWithAPassingRecord() throws IOException {
        Path file = dir.resolve("broken-fp32.pt");
        Files.write(file, "this is not a TorchScript archive".getBytes());
        Files.writeString(dir.resolve("broken.json"), "{\"name\":\"broken\",\"input_size\":[3,224,224],\"artifacts\":{\"fp32\":"
                + "{\"file\":\"broken-fp32.pt\",\"relative_error\":1e-4,\"bound\":1e-3,\"passed\":true}}}");
        JmhRun run = JmhRun.of(dir, FP32, "model=" + file);
        assertTrue(run.onlyReason().startsWith("cannot load model '" + file + "' with engine 'pytorch-fp32': "), run.onlyReason());
        assertFalse(run.onlyReason().contains("\n"));
        assertOneLine(run, run.onlyReason());
    }

    @Test
    void fileWithoutNumericsRecordIsRefusedUnlessAllowed() throws IOException {
        Path file = dir.resolve("copy-fp32.pt");
        try (InputStream in = getClass().getResourceAsStream("/models/mobilenetv3_small_100/mobilenetv3_small_100-fp32.pt")) {
            Files.copy(in, file);
        }
        JmhRun refused = JmhRun.of(dir, FP32, "batchSize=1", "model=" + file);
        assertTrue(refused.onlyReason().startsWith("model '" + file + "' (" + file + ") has no numerics record for engine 'pytorch-fp32'"),
                refused.onlyReason());
        assertTrue(refused.onlyReason().endsWith("pass -Dgpuenergy.allowUnchecked=true to benchmark it unchecked"), refused.onlyReason());
        assertOneLine(refused, refused.onlyReason());

        System.setProperty("gpuenergy.allowUnchecked", "true");
        JmhRun allowed = JmhRun.of(dir.resolve("allowed"), FP32, "batchSize=1", "model=" + file);
        assertEquals(0, allowed.exitCode, allowed.output);
        assertEquals(1, allowed.results.size(), allowed.output);
        JsonObject env = allowed.results.get(0).getAsJsonObject().getAsJsonObject("environment");
        assertEquals("unchecked", env.get(EnvironmentKeys.NUMERICS).getAsString());
        assertEquals("path", env.get(EnvironmentKeys.MODEL_SOURCE).getAsString());
    }

    @Test
    void urlsAreUncheckedAndGoThroughDjlsCriteria() throws IOException {
        Path file = dir.resolve("net-fp32.pt");
        try (InputStream in = getClass().getResourceAsStream("/models/mobilenetv3_small_100/mobilenetv3_small_100-fp32.pt")) {
            Files.copy(in, file);
        }
        String url = file.toUri().toString();
        JmhRun refused = JmhRun.of(dir.resolve("refused"), FP32, "model=" + url);
        assertTrue(refused.onlyReason().startsWith("model '" + url + "' (" + url + ") has no numerics record"), refused.onlyReason());

        System.setProperty("gpuenergy.allowUnchecked", "true");
        JmhRun allowed = JmhRun.of(dir.resolve("allowed"), FP32, "model=" + url);
        assertEquals(1, allowed.results.size(), allowed.output);
        JsonObject env = allowed.results.get(0).getAsJsonObject().getAsJsonObject("environment");
        assertEquals("url", env.get(EnvironmentKeys.MODEL_SOURCE).getAsString());
        assertEquals("(1, 1000)", env.get(EnvironmentKeys.OUTPUT_SHAPE).getAsString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "abc"})
    void badBatchSize(String batchSize) throws IOException {
        JmhRun run = JmhRun.of(dir, FP32, "batchSize=" + batchSize);
        assertEquals("batchSize '" + batchSize + "' is not accepted; accepted: a positive integer (1, 2, 8, 256 ...)", run.onlyReason());
        assertOneLine(run, run.onlyReason());
    }

    @Test
    void fp16OnTheCpu() throws IOException {
        JmhRun run = JmhRun.of(dir, "engine=pytorch-fp16", "batchSize=1");
        assertEquals("engine 'pytorch-fp16' needs a GPU (FP16 is measured on CUDA devices only) but device=auto resolved to cpu;"
                + " on a CPU use pytorch-fp32", run.onlyReason());
        assertEquals("unavailable", run.onlyNotRun().get("kind").getAsString());
        assertOneLine(run, run.onlyReason());
    }

    @Test
    void unknownDevice() throws IOException {
        JmhRun run = JmhRun.of(dir, FP32, "device=tpu");
        assertEquals("device 'tpu' is not accepted; accepted: auto, cpu, gpu, gpu:N", run.onlyReason());
        assertOneLine(run, run.onlyReason());
    }

    /**
     * A GPU asked of the bundled CPU libtorch: where the machine has an NVIDIA GPU, how to load a CUDA libtorch; where it
     * has none, that it has none (no libtorch would help).
     */
    @Test
    void gpuWithTheBundledCpuLibtorch() throws IOException {
        JmhRun run = JmhRun.of(dir, FP32, "device=gpu:1");
        if (Libtorch.nvidiaGpuPresent()) {
            assertTrue(run.onlyReason().startsWith("device 'gpu:1' needs a CUDA libtorch but DJL loaded the CPU libtorch ("), run.onlyReason());
            assertTrue(run.onlyReason().contains("set PYTORCH_LIBRARY_PATH to a CUDA libtorch"), run.onlyReason());
        } else {
            assertEquals("device 'gpu:1' needs an NVIDIA GPU, and this machine has none (no NVIDIA driver: neither "
                    + "/proc/driver/nvidia/version nor /dev/nvidia0); on a CPU use -p device=cpu", run.onlyReason());
        }
        assertEquals("unavailable", run.onlyNotRun().get("kind").getAsString());
        assertOneLine(run, run.onlyReason());
    }
}
