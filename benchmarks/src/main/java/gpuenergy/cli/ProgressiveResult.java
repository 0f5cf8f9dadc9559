package gpuenergy.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonParser;
import gpuenergy.results.IoMessage;
import gpuenergy.results.ResultFile;
import gpuenergy.run.ForwardingOutputFormat;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.format.OutputFormat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Writes the JSON result after each benchmark as it finishes, whole (through a rename), with everything finished so
 * far: JMH writes its result file only at the end of the run, so a run killed after its first benchmark would lose
 * every finished measurement. JMH itself writes to a temporary copy; its closing line that names that copy is left
 * out: the launcher says where the result is once it has written it ({@link BenchmarkRun}), and nothing when nothing
 * was measured.
 *
 * <p>JMH hands over each finished benchmark with its forks' iterations merged, so until the run ends, a benchmark of
 * several forks has its iterations in one rawData list (the same scores); the run's end writes them per fork.
 */
final class ProgressiveResult extends ForwardingOutputFormat {
    private final Path result;
    private final Path jmhCopy;
    private final UnaryOperator<JsonArray> enrich;
    private final List<RunResult> finished = new ArrayList<>();
    private boolean saidEnvironmentMissing;

    /**
     * @param result  the result file the user asked for
     * @param jmhCopy the file JMH is told to write (its own end-of-run copy); null when JMH writes another format
     * @param enrich  what the run adds to JMH's JSON (the environment record)
     */
    ProgressiveResult(OutputFormat out, Path result, Path jmhCopy, UnaryOperator<JsonArray> enrich) {
        super(out);
        this.result = result;
        this.jmhCopy = jmhCopy;
        this.enrich = enrich;
    }

    @Override
    public void endBenchmark(BenchmarkResult r) {
        super.endBenchmark(r);
        if (r == null) {
            return; // every fork failed: nothing measured
        }
        finished.add(new RunResult(r.getParams(), List.of(r)));
        try {
            String missing = write(result, finished, enrich);
            if (missing != null && !saidEnvironmentMissing) {
                saidEnvironmentMissing = true; // the run's end tries again and says so again if it still fails
                super.println("environment: not added to " + result + " after this benchmark (" + missing
                        + "); the JMH result is kept without it");
            }
        } catch (IOException e) {
            super.println("result: " + result + " not written after this benchmark (" + IoMessage.cannotWrite(result, e)
                    + "); the run goes on and writes it at the end");
        } catch (RuntimeException e) {
            super.println("result: " + result + " not written after this benchmark (" + e.getMessage()
                    + "); the run goes on and writes it at the end");
        }
    }

    /** The benchmarks finished so far, each with its forks' iterations merged. */
    List<RunResult> finished() {
        return List.copyOf(finished);
    }

    @Override
    public void println(String s) {
        if (jmhCopy == null || !("Benchmark result is saved to " + jmhCopy).equals(s)) {
            super.println(s);
        }
    }

    /** JMH's own JSON for these results, as it writes with -rf json. */
    static JsonArray json(Collection<RunResult> results) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream ps = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            ResultFormatFactory.getInstance(ResultFormatType.JSON, ps).writeOut(results);
        }
        return JsonParser.parseString(bytes.toString(StandardCharsets.UTF_8)).getAsJsonArray();
    }

    /**
     * Writes the results, enriched; when enriching fails, JMH's JSON as it is.
     *
     * @return why the environment is missing, or null
     */
    static String write(Path file, Collection<RunResult> results, UnaryOperator<JsonArray> enrich) throws IOException {
        JsonArray jmh = json(results);
        JsonArray out;
        String missing = null;
        try {
            out = enrich.apply(jmh);
        } catch (RuntimeException e) {
            out = jmh;
            missing = String.valueOf(e.getMessage());
        }
        ResultFile.write(file, out);
        return missing;
    }
}
