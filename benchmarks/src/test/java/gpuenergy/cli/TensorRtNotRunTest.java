package gpuenergy.cli;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import gpuenergy.results.ParamNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * tensorrt-fp16 on a machine that cannot run it, in a real JMH run: recorded as not run (kind unavailable) with one
 * line saying what is missing and how to get it, and the rest of the suite still runs. This is checked before any
 * model is resolved, so the line is about TensorRT, not about a missing ONNX file.
 */
class TensorRtNotRunTest {
    @TempDir
    Path dir;

    private Map<String, JsonObject> byEngine(JmhRun run) {
        Map<String, JsonObject> notRun = new LinkedHashMap<>();
        for (JsonElement e : run.notRun) {
            JsonObject o = e.getAsJsonObject();
            notRun.put(o.getAsJsonObject("params").get(ParamNames.ENGINE).getAsString(), o);
        }
        return notRun;
    }

    @Test
    void withoutTensorRtItIsNotRunWithHowToGetItAndTheSuiteGoesOn() throws IOException {
        assumeFalse(Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/libnvinfer.so.10")), "this machine has a system TensorRT");
        JmhRun run = JmhRun.of(dir, "engine=tensorrt-fp16,pytorch-fp32", "device=auto");
        Map<String, JsonObject> notRun = byEngine(run);
        assertEquals(1, notRun.size(), run.output);
        assertEquals(1, run.results.size(), "pytorch-fp32 still runs:\n" + run.output);
        JsonObject o = notRun.get("tensorrt-fp16");
        String reason = o.get("reason").getAsString();
        assertEquals("unavailable", o.get("kind").getAsString(), reason);
        assertFalse(reason.contains("\n"), reason);
        assertTrue(run.output.contains("\n" + reason + "\n"), "JMH's output lacks the line '" + reason + "':\n" + run.output);
        assertTrue(reason.startsWith("engine 'tensorrt-fp16': TensorRT 10 not found: libnvinfer.so.10 is in none of "
                + "-Dgpuenergy.tensorrt.lib (not set), this jar's class path"), reason);
        assertTrue(reason.endsWith("build the jar with mvn -Ptensorrt package (TensorRT 10.6 from Maven Central, a 1.1 GB download, "
                + "once) or point -Dgpuenergy.tensorrt.lib at a directory with TensorRT 10's libnvinfer.so.10 and libnvonnxparser.so.10 "
                + "(docs/tensorrt.md)"), reason);
    }

    @Test
    void aLibraryDirectoryWithoutTensorRtIsNamed() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("no-trt"));
        System.setProperty("gpuenergy.tensorrt.lib", empty.toString());
        try {
            JmhRun run = JmhRun.of(dir, "engine=tensorrt-fp16", "device=gpu:1");
            assertEquals("-Dgpuenergy.tensorrt.lib=" + empty + " has no libnvinfer.so.10 and libnvonnxparser.so.10; point it at "
                    + "TensorRT 10's lib directory, or leave it unset to use the -Ptensorrt build's TensorRT", run.onlyReason());
            assertEquals("unavailable", run.onlyNotRun().get("kind").getAsString());
        } finally {
            System.clearProperty("gpuenergy.tensorrt.lib");
        }
    }

    @Test
    void onACpuItIsRefusedFirst() throws IOException {
        JmhRun run = JmhRun.of(dir, "engine=tensorrt-fp16", "device=cpu");
        assertEquals("engine 'tensorrt-fp16' runs on NVIDIA GPUs only (TensorRT); device=cpu is not accepted for it; "
                + "on a CPU use pytorch-fp32", run.onlyReason());
    }
}
