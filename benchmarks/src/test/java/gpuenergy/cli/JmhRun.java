package gpuenergy.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import gpuenergy.results.NotRunList;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A real JMH run of InferenceBenchmark in this VM (-f 0: DJL's CPU libtorch loads once for all tests),
 * through {@link Main}, with short iterations; keeps what a user would look at.
 */
final class JmhRun {
    final int exitCode;
    final String output;
    final JsonArray results;
    final JsonArray notRun;
    /** The result file exists: a run that measured nothing leaves none (not an empty array). */
    final boolean resultWritten;

    private JmhRun(int exitCode, String output, JsonArray results, JsonArray notRun, boolean resultWritten) {
        this.exitCode = exitCode;
        this.output = output;
        this.results = results;
        this.notRun = notRun;
        this.resultWritten = resultWritten;
    }

    static JmhRun of(Path dir, String... params) throws IOException {
        return run(dir, "0", params);
    }

    /** The same in a forked VM, as users run it: the fork reports through -Dgpuenergy.records. */
    static JmhRun forked(Path dir, String... params) throws IOException {
        return run(dir, "1", params);
    }

    private static JmhRun run(Path dir, String forks, String... params) throws IOException {
        Files.createDirectories(dir);
        Path out = dir.resolve("out.txt");
        Path result = dir.resolve("result.json");
        List<String> args = new ArrayList<>(List.of("InferenceBenchmark.infer", "-f", forks, "-wi", "0", "-i", "1", "-r", "300ms",
                "-o", out.toString(), "-rf", "json", "-rff", result.toString()));
        if (java.util.Arrays.stream(params).noneMatch(p -> p.startsWith("batchSize="))) {
            args.addAll(List.of("-p", "batchSize=1")); // one benchmark per run unless a test asks for more
        }
        for (String p : params) {
            args.add("-p");
            args.add(p);
        }
        int rc = Main.run(args.toArray(new String[0]));
        Path notRun = NotRunList.besides(result);
        return new JmhRun(rc, Files.readString(out),
                Files.exists(result) ? JsonParser.parseString(Files.readString(result)).getAsJsonArray() : new JsonArray(),
                Files.exists(notRun) ? JsonParser.parseString(Files.readString(notRun)).getAsJsonArray() : new JsonArray(),
                Files.exists(result));
    }

    JsonObject onlyNotRun() {
        if (notRun.size() != 1) {
            throw new AssertionError("expected one not-run benchmark, got " + notRun + "\n" + output);
        }
        return notRun.get(0).getAsJsonObject();
    }

    String onlyReason() {
        return onlyNotRun().get("reason").getAsString();
    }
}
