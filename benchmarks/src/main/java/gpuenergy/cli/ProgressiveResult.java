package gpuenergy.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonParser;
import gpuenergy.results.AtomicWrite;
import gpuenergy.results.IoMessage;
import gpuenergy.results.ResultFile;
import gpuenergy.run.ForwardingOutputFormat;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.IterationType;
import org.openjdk.jmh.runner.format.OutputFormat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
 *
 * <p>The benchmark under way is kept too, after each of its measured iterations, in {@code NAME.unfinished.json}
 * beside the result ({@link #unfinishedBeside}): a run killed in its fifth fork keeps the four before and the
 * iterations of the fifth. The file goes when the benchmark ends (its iterations are then in the result, or, when it
 * failed, JMH has none for it); one an earlier run left is set aside as {@code NAME.unfinished.earlier.json}.
 */
final class ProgressiveResult extends ForwardingOutputFormat {
    private final Path result;
    private final Path jmhCopy;
    private final UnaryOperator<JsonArray> enrich;
    private final List<RunResult> finished = new ArrayList<>();
    private final Path unfinished;
    /** The benchmark under way: its measured forks' iterations, one list per fork. */
    private final List<List<IterationResult>> forks = new ArrayList<>();
    private boolean inWarmupFork;
    private boolean unfinishedWritten;
    private boolean saidEnvironmentMissing;
    private boolean saidUnfinishedUnwritten;

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
        this.unfinished = unfinishedBeside(result);
    }

    /** Where the benchmark under way is kept beside {@code result}: NAME.unfinished.json. */
    static Path unfinishedBeside(Path result) {
        String name = result.getFileName().toString();
        return result.resolveSibling((name.endsWith(".json") ? name.substring(0, name.length() - 5) : name) + ".unfinished.json");
    }

    @Override
    public void startBenchmark(BenchmarkParams params) {
        super.startBenchmark(params);
        forks.clear();
        inWarmupFork = false;
    }

    @Override
    public void iterationResult(BenchmarkParams params, IterationParams it, int iteration, IterationResult data) {
        super.iterationResult(params, it, iteration, data);
        if (it.getType() != IterationType.MEASUREMENT || inWarmupFork || data == null) {
            return; // a warmup fork's iterations are JMH's warmup too: it keeps none of them
        }
        if (forks.isEmpty()) {
            forks.add(new ArrayList<>()); // -f 0: no fork line
        }
        forks.get(forks.size() - 1).add(data);
        List<BenchmarkResult> measured = forks.stream().filter(f -> !f.isEmpty())
                .map(f -> new BenchmarkResult(params, List.copyOf(f))).toList();
        try {
            if (!unfinishedWritten && Files.isRegularFile(unfinished)) {
                Path aside = AtomicWrite.setAside(unfinished, unfinished.toAbsolutePath().getParent(),
                        unfinished.getFileName().toString().replaceFirst("\\.json$", ".earlier.json"));
                super.println("result: " + unfinished + " of an earlier run set aside as " + aside);
            }
            unfinishedWritten = true;
            write(unfinished, List.of(new RunResult(params, measured)), enrich);
        } catch (IOException | RuntimeException e) {
            if (!saidUnfinishedUnwritten) {
                saidUnfinishedUnwritten = true;
                super.println("result: the benchmark under way is not kept in " + unfinished + " ("
                        + (e instanceof IOException io ? IoMessage.cannotWrite(unfinished, io) : e.getMessage())
                        + "); it is in the result once it ends");
            }
        }
    }

    @Override
    public void endBenchmark(BenchmarkResult r) {
        super.endBenchmark(r);
        forks.clear();
        if (r == null) {
            removeUnfinished(); // every fork failed: JMH keeps nothing of it
            return;
        }
        finished.add(new RunResult(r.getParams(), List.of(r)));
        try {
            String missing = write(result, finished, enrich);
            if (missing != null && !saidEnvironmentMissing) {
                saidEnvironmentMissing = true; // the run's end tries again and says so again if it still fails
                super.println("environment: not added to " + result + " after this benchmark (" + missing
                        + "); the JMH result is kept without it");
            }
            removeUnfinished(); // only once the result holds its iterations
        } catch (IOException e) {
            super.println("result: " + result + " not written after this benchmark (" + IoMessage.cannotWrite(result, e)
                    + "); the run goes on and writes it at the end");
        } catch (RuntimeException e) {
            super.println("result: " + result + " not written after this benchmark (" + e.getMessage()
                    + "); the run goes on and writes it at the end");
        }
    }

    private void removeUnfinished() {
        if (!unfinishedWritten) {
            return; // an earlier run's file is not this run's to remove
        }
        try {
            Files.deleteIfExists(unfinished);
        } catch (IOException e) {
            super.println("result: " + unfinished + " not removed (" + e.getMessage() + "); its benchmark is in "
                    + result + " too");
        }
    }

    /** The benchmarks finished so far, each with its forks' iterations merged. */
    List<RunResult> finished() {
        return List.copyOf(finished);
    }

    @Override
    public void println(String s) {
        // JMH announces each fork on this line: the iterations that follow are a new fork's, a warmup fork's kept by none
        if (s.startsWith("# Warmup Fork: ")) {
            inWarmupFork = true;
        } else if (s.startsWith("# Fork: ")) {
            inWarmupFork = false;
            forks.add(new ArrayList<>());
        }
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
