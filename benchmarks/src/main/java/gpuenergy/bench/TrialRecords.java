package gpuenergy.bench;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import org.openjdk.jmh.infra.BenchmarkParams;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * The forked benchmark VM's report to the launcher: one JSON line per trial appended to the file named by
 * -Dgpuenergy.records (gpuenergy.cli.Main passes it), either {@code environment} (what ran: libtorch, device,
 * precision, numerics ...) or {@code notrun} (why not). Without the property nothing is written.
 */
public final class TrialRecords {
    public static final String PROPERTY = "gpuenergy.records";

    private TrialRecords() {}

    public static void environment(BenchmarkParams params, Map<String, String> environment) {
        JsonObject line = key(params);
        line.add("environment", new Gson().toJsonTree(environment));
        append(line);
    }

    public static void notRun(BenchmarkParams params, String reason, String kind) {
        JsonObject line = key(params);
        JsonObject notrun = new JsonObject();
        notrun.addProperty("reason", reason);
        notrun.addProperty("kind", kind);
        line.add("notrun", notrun);
        append(line);
    }

    private static JsonObject key(BenchmarkParams params) {
        JsonObject line = new JsonObject();
        line.addProperty("benchmark", params.getBenchmark());
        JsonObject p = new JsonObject();
        for (String k : params.getParamsKeys()) {
            p.addProperty(k, params.getParam(k));
        }
        line.add("params", p);
        return line;
    }

    private static void append(JsonObject line) {
        String file = System.getProperty(PROPERTY);
        if (file == null || file.isBlank()) {
            return;
        }
        byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(Path.of(file), StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                StandardOpenOption.WRITE);
             FileLock ignored = ch.lock()) {
            ch.write(java.nio.ByteBuffer.wrap(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + PROPERTY + "=" + file, e);
        }
    }
}
