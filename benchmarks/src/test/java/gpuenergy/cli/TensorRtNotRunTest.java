package gpuenergy.cli;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import gpuenergy.engine.Engines;
import gpuenergy.engine.NotRunException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The TensorRT engines on a machine that cannot run them: each is recorded as not run (kind unavailable) with one
 * line saying what is missing, and the rest of the suite still runs. In the default build the line says how to get
 * a build with them; in a -Ptensorrt build (on a machine without TensorRT) it names the missing native library.
 */
class TensorRtNotRunTest {
    @TempDir
    Path dir;

    @Test
    void tensorRtEnginesAreNotRunAndTheSuiteGoesOn() throws IOException {
        boolean inBuild = inThisBuild("tensorrt-fp16");
        assertEquals(inBuild, inThisBuild("tensorrt-djl-fp16"), "both come with -Ptensorrt");
        JmhRun run = JmhRun.of(dir, "engine=tensorrt-fp16,tensorrt-djl-fp16,pytorch-fp32", "device=auto");
        Map<String, JsonObject> notRun = new LinkedHashMap<>();
        for (JsonElement e : run.notRun) {
            JsonObject o = e.getAsJsonObject();
            notRun.put(o.getAsJsonObject("params").get("engine").getAsString(), o);
        }
        if (inBuild) {
            // a -Ptensorrt build on a TensorRT machine runs them: that is the GPU check in docs/tensorrt.md
            assumeTrue(notRun.size() == 2 && notRun.values().stream().allMatch(o -> o.get("reason").getAsString().contains(" not found (")),
                    "TensorRT libraries are present here: " + notRun);
        }
        assertEquals(2, notRun.size(), run.output);
        assertEquals(1, run.results.size(), "pytorch-fp32 still runs:\n" + run.output);
        for (String engine : new String[] {"tensorrt-fp16", "tensorrt-djl-fp16"}) {
            JsonObject o = notRun.get(engine);
            String reason = o.get("reason").getAsString();
            assertEquals("unavailable", o.get("kind").getAsString(), reason);
            assertFalse(reason.contains("\n"), reason);
            assertTrue(run.output.contains("\n" + reason + "\n"), "JMH's output lacks the line '" + reason + "':\n" + run.output);
            if (!inBuild) {
                assertEquals("engine '" + engine + "' is not in this build: build the jar with mvn -Ptensorrt package and run it on "
                        + "a machine with TensorRT (e.g. NVIDIA's TensorRT container); see docs/tensorrt.md", reason);
            } else {
                assertTrue(reason.startsWith("engine '" + engine + "': "), reason);
                assertTrue(reason.contains("TensorRT container"), reason);
            }
        }
    }

    private static boolean inThisBuild(String engine) {
        try {
            return Engines.byName(engine) != null;
        } catch (NotRunException e) {
            assertTrue(e.getMessage().contains(" is not in this build: "), e.getMessage());
            return false;
        }
    }
}
