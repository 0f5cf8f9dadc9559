package gpuenergy.run;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import gpuenergy.profile.EnvironmentKeys;
import gpuenergy.results.AtomicWrite;
import gpuenergy.results.IoMessage;
import gpuenergy.results.ResultFile;
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
 * Keeps the measured iterations of a JMH run's benchmarks that are not in its result yet, after each of them, in
 * {@code NAME.unfinished.json} beside the result {@code NAME.json} ({@link ResultFile#unfinishedBeside}): JMH writes its
 * result only at the end of the run, so a run killed in its fifth fork would lose the four before and the iterations of
 * the fifth. A benchmark that failed after some iterations (a fork whose VM died, an iteration that threw: JMH then keeps
 * none or a part) keeps them there too. Each entry carries {@link EnvironmentKeys#UNFINISHED} with how far it got,
 * which readers refuse as a result.
 *
 * <p>A benchmark JMH ends with a result stays in the file until the caller says the result holds it
 * ({@link #resultWritten}), or, where the run ends without writing it, as a failed one ({@link #resultNotWritten}); the
 * file goes when none is left in it. One an earlier run left is set aside as the run starts ({@link #startRun}). Plain
 * runs ({@code gpuenergy.cli.ProgressiveResult}) and each configuration's run ({@link ConfigRun}) keep their iterations
 * through this one class, in one format.
 */
public class UnfinishedIterations extends ForwardingOutputFormat {
    /**
     * Why a benchmark's measured iterations are no result when it failed, or its run did: the command lists the
     * failure in its not-run list.
     */
    public static final String FAILED = "it failed (see the not-run list)";

    private final Path result;
    private final Path unfinished;
    /** Begins each line this class says: the command's own prefix ("[overhead] "), or "". */
    private final String prefix;
    /** Said as the run starts ({@link #sayAtStart}); null for none. */
    private String startLine;
    private final UnaryOperator<JsonArray> enrich;
    /** Benchmarks of this run that failed after measuring, with what they measured and why they are not results. */
    private final List<Unfinished> failed = new ArrayList<>();
    /** Benchmarks JMH ended with a result that the result file does not hold yet. */
    private final List<Unfinished> ended = new ArrayList<>();
    /** The benchmark under way: its parameters and its measured forks' iterations, one list per fork. */
    private BenchmarkParams current;
    private final List<List<IterationResult>> forks = new ArrayList<>();
    private boolean inWarmupFork;
    private boolean unfinishedWritten;
    private boolean saidUnfinishedUnwritten;
    private boolean finishSaid;
    private boolean unfinishedWriteFailed;
    /** An earlier run's unfinished file that could not be set aside: never replaced by this run's. */
    private boolean unfinishedUnusable;

    /**
     * @param progress how far it got ({@link #progress})
     * @param failed   why it is no result; null for a benchmark not finished or not in the result yet
     */
    private record Unfinished(RunResult measured, String progress, String failed) {
        /** What its entry's {@link EnvironmentKeys#UNFINISHED} says. */
        String why() {
            return (failed == null ? "not finished: " : "failed: " + failed + "; ") + progress;
        }
    }

    /**
     * @param result the result file of the run, where it is read (a hidden file it is first written to is not it)
     * @param enrich what the run adds to JMH's JSON (the environment record); where it fails, JMH's JSON is kept as is
     * @param prefix begins each line this class says, as the command's other lines begin ("[overhead] "); "" for none
     */
    public UnfinishedIterations(OutputFormat out, Path result, UnaryOperator<JsonArray> enrich, String prefix) {
        super(out);
        this.result = result;
        this.unfinished = ResultFile.unfinishedBeside(result);
        this.enrich = enrich;
        this.prefix = prefix;
    }

    /**
     * Has the run say this line as it starts, once JMH holds its lock: a run JMH refuses (another run of the host holds
     * the lock) says nothing of a run that did not happen.
     */
    public void sayAtStart(String line) {
        startLine = line;
    }

    /** The result file of the run. */
    protected Path result() {
        return result;
    }

    /** What the run adds to JMH's JSON. */
    protected UnaryOperator<JsonArray> enrich() {
        return enrich;
    }

    /**
     * As the run starts (JMH calls this once it holds its lock, so a run that never starts moves nothing): an earlier
     * run's unfinished file goes to NAME.unfinished.earlier.json (never replacing one there), so that it is neither
     * replaced nor read with this run's files.
     */
    @Override
    public void startRun() {
        if (startLine != null) {
            say(startLine);
        }
        super.startRun();
        try {
            // the newest whole copy a kill left before its rename holds the killed run's last iteration: it goes aside too
            for (Path copy : AtomicWrite.copies(unfinished, true)) {
                say("result: " + PartialResult.clearUnfinishedCopy(copy, unfinished));
            }
        } catch (IOException e) {
            say("result: a copy of " + unfinished + " from a killed run is left as it is ("
                    + IoMessage.describe(e) + ")");
        }
        if (Files.isRegularFile(unfinished)) {
            try {
                Path aside = ResultFile.setAsideUnfinished(unfinished);
                say("result: " + unfinished + " of an earlier run set aside as "
                        + unfinished.resolveSibling(aside.getFileName()));
            } catch (IOException e) {
                say("result: " + unfinished + " of an earlier run could not be set aside ("
                        + IoMessage.cannotWrite(unfinished, e) + "); this run's benchmarks that do not finish are not kept");
                unfinishedUnusable = true;
            }
        }
    }

    @Override
    public void startBenchmark(BenchmarkParams params) {
        // JMH does not end a benchmark whose forked VM died: its iterations stay kept as a failed one's
        keepCurrentAsFailed("a forked VM failed");
        super.startBenchmark(params);
        current = params;
        inWarmupFork = false;
    }

    @Override
    public void iterationResult(BenchmarkParams params, IterationParams it, int iteration, IterationResult data) {
        // a warmup fork's iterations are JMH's warmup too: it keeps none of them
        if (it.getType() == IterationType.MEASUREMENT && !inWarmupFork && data != null) {
            if (forks.isEmpty()) {
                forks.add(new ArrayList<>()); // -f 0: no fork line
            }
            forks.get(forks.size() - 1).add(data);
            writeUnfinished();
        }
        super.iterationResult(params, it, iteration, data); // printed once on disk: a kill after the line keeps it
    }

    /**
     * A benchmark JMH ends without a result, or one the launcher found failed although JMH kept some of its iterations
     * as one (it hands it over as null): what it measured is kept as a failed one's. One with a result stays in the
     * file, with what profilers reported once per trial, until {@link #resultWritten}; {@link #ended} gets it. Either is
     * on disk before JMH's summary of it is printed.
     */
    @Override
    public void endBenchmark(BenchmarkResult r) {
        if (r == null) {
            keepCurrentAsFailed(FAILED);
            writeUnfinished();
            super.endBenchmark(null);
            return;
        }
        // its forks apart, as the run's end writes them; JMH hands the benchmark over with them merged, and with what
        // profilers report once per trial (afterTrial), kept with the last fork for JMH to merge as before
        RunResult kept = new RunResult(r.getParams(), List.of(r));
        if (measuring()) {
            List<BenchmarkResult> perFork = measuredSoFar().getBenchmarkResults().stream().toList();
            r.getBenchmarkResults().values().forEach(perFork.get(perFork.size() - 1)::addBenchmarkResult);
            kept = new RunResult(r.getParams(), perFork);
            ended.add(new Unfinished(kept, progress(), null));
        }
        current = null;
        forks.clear();
        writeUnfinished(); // with what the profilers reported per trial, which JMH's summary below shows
        ended(kept);
        super.endBenchmark(r);
    }

    /**
     * A benchmark JMH ended with a result, its measured forks apart: where the run writes its result itself, it calls
     * {@link #resultWritten} once that holds it.
     */
    protected void ended(RunResult perFork) {
    }

    /** The result file holds every benchmark JMH ended with a result: they leave the unfinished file. */
    public void resultWritten() {
        ended.clear();
        writeUnfinished();
    }

    @Override
    public void endRun(Collection<RunResult> results) {
        finish("a forked VM failed"); // JMH ends a run normally only after every benchmark it ended
        super.endRun(results);
    }

    /**
     * The run is over, however it ended: a benchmark still open failed ({@code why}) and keeps what it measured; one
     * line names the unfinished file when it holds a failed benchmark.
     */
    public void finish(String why) {
        keepCurrentAsFailed(why);
        writeUnfinished();
        if (unfinishedCount() > 0 && !finishSaid) {
            finishSaid = true;
            say("result: the measured iterations of " + failed.size() + " benchmark(s) that did not finish are"
                    + " kept in " + unfinished + " (not a result)");
        }
    }

    /**
     * The run ended without writing its result (JMH's write failed, or the launcher's): the benchmarks JMH ended with a
     * result are in none, so they are kept as failed ones ({@code why}), as is one still open ({@link #finish}); one
     * line names the unfinished file when it holds them.
     */
    public void resultNotWritten(String why) {
        finish(why);
        int unwritten = ended.size();
        ended.forEach(e -> failed.add(new Unfinished(e.measured(), e.progress(), why)));
        ended.clear();
        writeUnfinished();
        if (unwritten > 0 && unfinishedCount() > 0) {
            say("result: the measured iterations of " + unwritten + " benchmark(s) whose result was not written"
                    + " are kept in " + unfinished + " (not a result)");
        }
    }

    /**
     * How many benchmarks of this run failed and keep their measured iterations in the unfinished file; 0 when that
     * file is not this run's or its last write failed (then nothing is said to be kept there).
     */
    public int unfinishedCount() {
        return keeping() ? failed.size() : 0;
    }

    /** Where this run keeps its measured iterations that are no result: NAME.unfinished.json beside the result. */
    public Path unfinishedFile() {
        return unfinished;
    }

    /**
     * Whether the unfinished file holds what this run measured and its result does not: false where its last write
     * failed or an earlier run's file could not be set aside.
     */
    private boolean keeping() {
        return !unfinishedUnusable && !unfinishedWriteFailed;
    }

    /** Whether the benchmark under way has measured iterations. */
    private boolean measuring() {
        return current != null && forks.stream().anyMatch(f -> !f.isEmpty());
    }

    private void keepCurrentAsFailed(String why) {
        if (measuring()) {
            failed.add(new Unfinished(measuredSoFar(), progress(), why));
        }
        current = null;
        forks.clear();
    }

    private RunResult measuredSoFar() {
        return new RunResult(current, forks.stream().filter(f -> !f.isEmpty())
                .map(f -> new BenchmarkResult(current, List.copyOf(f))).toList());
    }

    /** How far the benchmark under way got: "3 of 5 measured iterations of fork 2 of 2 taken". */
    private String progress() {
        int fork = Math.max(1, forks.size());
        int taken = forks.isEmpty() ? 0 : forks.get(forks.size() - 1).size();
        return taken + " of " + current.getMeasurement().getCount() + " measured iterations of fork " + fork + " of "
                + Math.max(1, current.getForks()) + " taken";
    }

    /**
     * The unfinished file rewritten whole: the failed benchmarks, those not in the result yet and the one under way;
     * removed when none is left.
     */
    private void writeUnfinished() {
        if (unfinishedUnusable) {
            return;
        }
        List<Unfinished> entries = new ArrayList<>(failed);
        entries.addAll(ended);
        if (measuring()) {
            entries.add(new Unfinished(measuredSoFar(), progress(), null));
        }
        try {
            if (entries.isEmpty()) {
                if (unfinishedWritten) {
                    Files.deleteIfExists(unfinished); // an earlier run's file is not this run's to remove
                }
                return;
            }
            unfinishedWritten = true;
            JsonArray json;
            try {
                json = enrich.apply(json(entries.stream().map(Unfinished::measured).toList()));
            } catch (RuntimeException e) {
                json = json(entries.stream().map(Unfinished::measured).toList());
            }
            for (int i = 0; i < json.size(); i++) {
                JsonObject entry = json.get(i).getAsJsonObject();
                if (!entry.has("environment")) {
                    entry.add("environment", new JsonObject());
                }
                entry.getAsJsonObject("environment").addProperty(EnvironmentKeys.UNFINISHED, entries.get(i).why());
            }
            ResultFile.write(unfinished, json);
            unfinishedWriteFailed = false;
        } catch (IOException | RuntimeException e) {
            unfinishedWriteFailed = true;
            if (!saidUnfinishedUnwritten) {
                saidUnfinishedUnwritten = true;
                say("result: the measured iterations of benchmarks that have not finished are not kept in "
                        + unfinished + " (" + (e instanceof IOException io ? IoMessage.cannotWrite(unfinished, io)
                        : e.getMessage()) + ")");
            }
        }
    }

    /** One line of this class's own, on the console past JMH's fork tracking. */
    private void say(String line) {
        super.println(prefix + line);
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
        super.println(s);
    }

    /** JMH's own JSON for these results, as it writes with -rf json. */
    public static JsonArray json(Collection<RunResult> results) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream ps = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            ResultFormatFactory.getInstance(ResultFormatType.JSON, ps).writeOut(results);
        }
        return JsonParser.parseString(bytes.toString(StandardCharsets.UTF_8)).getAsJsonArray();
    }
}
