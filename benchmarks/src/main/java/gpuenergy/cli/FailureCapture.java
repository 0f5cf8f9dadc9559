package gpuenergy.cli;

import gpuenergy.results.BenchmarkResult;
import gpuenergy.results.IoMessage;
import gpuenergy.results.NotRun;
import gpuenergy.results.NotRunList;
import gpuenergy.results.ParamNames;
import gpuenergy.results.ResultFile;
import gpuenergy.results.TrialRecords;
import gpuenergy.run.Failure;
import gpuenergy.run.ForwardingOutputFormat;
import gpuenergy.run.OomKills;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.runner.format.OutputFormat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * JMH's own output, passed through unchanged, while noting which benchmarks started, which finished, and why each
 * failed, as a sweep classifies the same failure: the exception JMH printed under {@code <failure>} (forked VMs print
 * through the launcher's OutputFormat; {@link Failure#printed}), else what JMH printed about a forked VM that died
 * ({@link Failure#classify}).
 *
 * <p>The not-run list is written whole as soon as a failure is known (when the next benchmark starts), so a run
 * killed later keeps it; the run's end writes it again from the results, and that list is the one that stands.
 */
final class FailureCapture extends ForwardingOutputFormat {
    private static final String FORK_DIED = "<forked VM failed with exit code";
    private static final String FORK_OUTPUT_END = "</stderr>";

    private final SuiteRun suite;
    private final Path result;
    private final Path list;
    /**
     * Whether the JSON lies beside the -rff file of another format, under a name the user did not give: nothing there is
     * replaced.
     */
    private final boolean keepsEarlierResult;
    /** benchmark key -> params, in start order */
    private final Map<String, BenchmarkParams> started = new LinkedHashMap<>();
    /** benchmark key -> why it failed, as the sweep classifies the same failure ({@link Failure}) */
    private final Map<String, Failure> failures = new LinkedHashMap<>();
    /** keys of the benchmarks JMH handed a result for */
    private final Set<String> finished = new HashSet<>();
    /** keys of the benchmarks JMH handed a result for although they failed */
    private final Set<String> failedWithIterations = new HashSet<>();
    /** JMH's lines about the running benchmark's dead fork, from its exit code to the end of its output tail */
    private StringBuilder forkDied;
    /** The kernel's count of out-of-memory kills as the running benchmark started: what a fork killed by SIGKILL did */
    private OomKills.Counter oomKills = OomKills.start();
    private List<NotRun> written = List.of();
    /** Whether what an earlier run left under the result's name was dealt with ({@link #beforeResult}, {@link #beforeList}). */
    private boolean nameReady;
    /** An earlier run's result is under the name, and this run's result is to replace it ({@link #beforeResult}). */
    private boolean replacing;
    /** An earlier run's not-run list that could not be set aside: it stays beside the result, this run's or not. */
    private boolean earlierListStays;
    private String current;
    private boolean inFailure;

    /**
     * @param suite              the run's trial records and GPU names
     * @param result             the JSON result this run writes; its not-run list lies beside it
     * @param keepsEarlierResult the result's name is not the user's, nor claimed (the JSON beside -rff FILE.csv): an
     *                           earlier result there is set aside as the run starts, never replaced
     */
    FailureCapture(ProgressiveResult out, SuiteRun suite, Path result, boolean keepsEarlierResult) {
        super(out);
        this.suite = suite;
        this.result = result;
        this.list = NotRunList.besides(result);
        this.keepsEarlierResult = keepsEarlierResult;
        out.afterEachWrite(this::resultWritten);
    }

    /**
     * JMH calls this once it holds its lock: a run refused for a lock another run holds moves none of that run's files.
     * A result the user did not name is set aside with its list here, before anything of this run is written; where it
     * cannot be, nothing runs (an UncheckedIOException whose message is one line).
     */
    @Override
    public void startRun() {
        if (keepsEarlierResult && Files.isRegularFile(result)) {
            nameReady = true;
            try {
                setAside(true);
            } catch (IOException e) {
                throw new UncheckedIOException(new IOException("result: " + result + " is an earlier run's and could not"
                        + " be set aside (" + IoMessage.cannotWrite(result, e) + "); nothing was run", e));
            }
        }
        super.startRun();
    }

    /**
     * One entry per started benchmark without a result: the fork's own record if it gave one, else its failure as
     * {@link #note} classified it (an error, or did-not-fit where it says the batch ran out of memory); with the GPU its device value names (null without a GPU) unless the benchmark ran on the CPU.
     *
     * @param succeeded the keys ({@link BenchmarkResult#key}) of the benchmarks with a result
     */
    List<NotRun> notRun(Set<String> succeeded) throws IOException {
        TrialRecords records = suite.records();
        List<NotRun> out = new ArrayList<>();
        started.forEach((key, p) -> {
            if (succeeded.contains(key)) {
                return;
            }
            TrialRecords.NotRunRecord reported = records.notRun(key);
            Failure failure = reported != null ? new Failure(reported.kind(), reported.reason())
                    : failures.getOrDefault(key, new Failure(NotRun.Kind.ERROR, "failed without a message; see the JMH output"));
            String device = p.getParam(ParamNames.DEVICE);
            out.add(new NotRun(p.getBenchmark(), BenchmarkResult.params(p), failure.kind(), failure.reason(),
                    NotRun.gpuFor(device, suite.gpuModel(device))));
        });
        return out;
    }

    /** The benchmarks that did not run so far, written whole when the list changed; a failed write is one line. */
    private void writeSoFar() {
        try {
            List<NotRun> notRun = notRun(finished);
            if (!notRun.equals(written)) {
                beforeList();
                NotRunList.write(list, notRun);
                written = notRun;
            }
        } catch (IOException | RuntimeException e) {
            super.println("not-run list: " + list + " not written after this benchmark (" + (e instanceof IOException io
                    ? IoMessage.cannotWrite(list, io) : e.getMessage()) + "); the run goes on and writes it at the end");
        }
    }

    private void note(String line) {
        if (line == null || current == null) {
            return;
        }
        if (forkDied != null) {
            forkDied.append(line).append('\n');
            if (line.startsWith(FORK_OUTPUT_END)) {
                failures.putIfAbsent(current, Failure.classify(null, forkDied.toString(), oomKills.sinceThen()));
                forkDied = null;
            }
        } else if (line.startsWith(FORK_DIED)) {
            forkDied = new StringBuilder(line).append('\n');
        } else if (line.startsWith("<failure>")) {
            inFailure = true;
        } else if (inFailure && !line.isBlank()) {
            failures.putIfAbsent(current, Failure.printed(line));
            inFailure = false;
        }
    }

    @Override
    public void startBenchmark(BenchmarkParams benchParams) {
        if (started.size() > finished.size()) {
            writeSoFar(); // a benchmark before this one failed
        }
        current = BenchmarkResult.key(benchParams);
        started.putIfAbsent(current, benchParams);
        inFailure = false;
        forkDied = null;
        oomKills = OomKills.start();
        super.startBenchmark(benchParams);
    }

    /**
     * A benchmark with a failure is no result even where JMH hands over the iterations measured before it (an iteration
     * that threw in a later fork, or in this VM with -f 0): it goes on as one that failed, its iterations kept apart
     * ({@link ProgressiveResult}) and its failure in the not-run list.
     */
    @Override
    public void endBenchmark(org.openjdk.jmh.results.BenchmarkResult result) {
        boolean failed = result != null && failures.containsKey(current);
        if (failed) {
            failedWithIterations.add(current);
        } else if (result != null) {
            finished.add(BenchmarkResult.key(result.getParams()));
            beforeResult(); // ProgressiveResult writes the result next
        }
        super.endBenchmark(failed ? null : result);
        if (failed) {
            writeSoFar();
        }
    }

    /** JMH's closing table, without the benchmarks that failed after measuring: they are no results. */
    @Override
    public void endRun(Collection<org.openjdk.jmh.results.RunResult> results) {
        super.endRun(resultsOnly(results));
    }

    /** {@code results} without the benchmarks that failed after measuring ({@link #endBenchmark}). */
    List<org.openjdk.jmh.results.RunResult> resultsOnly(Collection<org.openjdk.jmh.results.RunResult> results) {
        return results.stream().filter(r -> !failedWithIterations.contains(BenchmarkResult.key(r.getParams()))).toList();
    }

    /** Whether JMH printed a failure for the benchmark it has started and not ended. */
    boolean failedUnderWay() {
        return current != null && failures.containsKey(current) && !finished.contains(current)
                && !failedWithIterations.contains(current);
    }



    /**
     * Before this run writes its result: what an earlier run left under the name is never read with this run's files.
     * Where an earlier result is there, this run's result replaces it, as -rff asks, and the earlier list, which
     * describes the replaced result, goes once the new result is written ({@link #resultWritten}): were the write to
     * fail, the earlier pair stays whole. Otherwise an earlier list alone is set aside as NAME.earlier[.N].notrun.json
     * before the result is written. Decided once, before this run's first write.
     */
    void beforeResult() {
        if (nameReady || replacing) {
            return;
        }
        if (Files.isRegularFile(result)) {
            replacing = true;
            return;
        }
        nameReady = true;
        setAsideSaid(false);
    }

    /**
     * Right after a write of this run's result, before the console shows it: the earlier list of the result it replaced
     * goes, so no earlier failure stands beside this run's result for longer than that.
     */
    void resultWritten() {
        if (nameReady || !replacing) {
            return;
        }
        nameReady = true;
        try {
            Files.deleteIfExists(list);
        } catch (IOException e) {
            earlierListStays = Files.exists(list);
            super.println("not-run list: " + list + " of an earlier run not removed (" + IoMessage.cannotWrite(list, e) + ")");
        }
    }

    /**
     * Before this run writes its not-run list, its result not written yet: the earlier result and its list are set
     * aside as NAME.earlier[.N].json and the list beside that (a list alone as NAME.earlier[.N].notrun.json), never
     * replacing one there.
     */
    void beforeList() {
        if (nameReady) {
            return;
        }
        nameReady = true;
        setAsideSaid(Files.isRegularFile(result));
    }

    private void setAsideSaid(boolean resultToo) {
        try {
            setAside(resultToo);
        } catch (IOException e) {
            Path earlier = resultToo ? result : list;
            earlierListStays = Files.exists(list);
            super.println((resultToo ? "result: " : "not-run list: ") + earlier + " is an earlier run's and could not be"
                    + " set aside (" + IoMessage.cannotWrite(earlier, e) + "); this run's files beside it are not its");
        }
    }

    /** The earlier result with its list, or the list alone, set aside, in one line. */
    private void setAside(boolean resultToo) throws IOException {
        Path aside = resultToo ? ResultFile.setAsideAsEarlier(result) : ResultFile.setAsideEarlierList(result);
        if (aside != null) {
            super.println((resultToo ? "result: " + result : "not-run list: " + list) + " is an earlier run's;"
                    + " set aside as " + result.resolveSibling(aside.getFileName())
                    + " before this run writes beside that name");
        }
    }

    /**
     * Once this run has written its result and lists nothing: a list it wrote while it ran goes; an earlier run's that
     * could not be set aside stays.
     */
    void removeList() {
        if (earlierListStays && written.isEmpty()) {
            return;
        }
        try {
            Files.deleteIfExists(list);
        } catch (IOException e) {
            super.println("not-run list: " + list + " not removed (" + IoMessage.cannotWrite(list, e) + ")");
        }
    }

    @Override
    public void println(String s) {
        note(s);
        super.println(s);
    }

    @Override
    public void print(String s) {
        note(s);
        super.print(s);
    }
}
