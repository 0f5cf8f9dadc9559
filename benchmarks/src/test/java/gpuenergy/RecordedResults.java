package gpuenergy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Result files made from recorded real results, for tests of several packages. */
public final class RecordedResults {
    private RecordedResults() {}

    /**
     * A real H100 result (ResNet-50 pytorch-fp16, batch 128) whose J/img the energy profiler could not measure in an
     * iteration: NaN there, so NaN for the run, as the profiler writes it. Written as {@code dir/nan.json}.
     */
    public static Path joulesPerImageUnmeasured(Path dir) throws IOException {
        JsonObject entry = JsonParser.parseString(Files.readString(Path.of("src/test/resources/h100/fp16-b128-on-1.json")))
                .getAsJsonArray().get(0).getAsJsonObject();
        JsonObject j = entry.getAsJsonObject("secondaryMetrics").getAsJsonObject("energy.J/img");
        j.addProperty("score", "NaN");
        j.getAsJsonArray("rawData").get(0).getAsJsonArray().set(1, new JsonPrimitive("NaN"));
        return Files.writeString(dir.resolve("nan.json"), "[" + entry + "]");
    }
}
