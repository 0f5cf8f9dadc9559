package gpuenergy.run;

import gpuenergy.results.AtomicWrite;
import gpuenergy.results.BadInputException;
import gpuenergy.results.IoMessage;
import gpuenergy.results.NotRun;
import gpuenergy.results.ResultFile;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;
import org.openjdk.jmh.runner.format.OutputFormat;
import org.openjdk.jmh.runner.format.OutputFormatFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * One configuration of a benchmark as its own JMH run, in a forked VM so that an out-of-memory or a crash ends
 * only that run. Everything JMH prints goes into a buffer, which is where a VM that died without an exception left its
 * reason (JMH prints the dead VM's last output lines), and to the console, but for the line naming the result file:
 * JMH writes it hidden ({@link PartialResult}), and the caller publishes it under its own name.
 *
 * <p>JMH writes that file only at the run's end: the measured iterations are kept as they come in
 * {@code NAME.unfinished.json} beside the published name ({@link UnfinishedIterations}), as a plain run keeps them, so a
 * run killed or failed midway loses none. The file goes once JMH has written the result whole: JMH writes it through a
 * stream that drops its errors (a full disk) after creating it empty as the run starts, so it is read back first.
 */
public final class ConfigRun {
    /** Kept of the run's output, for classifying a failure: JMH prints the dead VM's last 20 lines. */
    static final int OUTPUT_TAIL_BYTES = 256 * 1024;
    /** Why a run's measured iterations are no result when JMH's result file does not hold them whole. */
    static final String NOT_WHOLE = "JMH did not write its result whole (see the not-run list)";

    /**
     * Either the hidden result file JMH wrote ({@link PartialResult#of} the published name), whole, for the caller to
     * post-process and publish, or why there is none; a run without a result leaves no such file.
     */
    public record Outcome(Path resultFile, Failure failure) {
    }

    private ConfigRun() {}

    /**
     * One configuration: {@code benchmark} with {@code params}, in throughput mode (batches/s), its JMH JSON written to
     * {@link PartialResult#of} {@code result}.
     *
     * @param jmh             the JMH options of the run (iterations, forks, profilers, JVM arguments)
     * @param addEnergy       let the hooks add the energy profiler by themselves where a GPU can be measured; false: the
     *                        run has exactly the profilers {@code jmh} names, none included
     * @param iterationMillis the measured iteration's time; 0 leaves it to {@code jmh}'s -r or the benchmark's own
     * @param result          the name the caller publishes the result under
     * @param prefix          begins each line the run says itself, not JMH's, as the command's own lines begin
     *                        ("[overhead] "); "" for none
     */
    public static Outcome run(CommandLineOptions jmh, RunHooks hooks, boolean addEnergy, String benchmark,
                              Map<String, String> params, long iterationMillis, Path result, String prefix) {
        Path partial = PartialResult.of(result);
        try {
            hooks.startRun();
        } catch (IOException e) {
            return new Outcome(null, new Failure(NotRun.Kind.ERROR, "cannot start the run's trial records: "
                    + Failure.oneLine(String.valueOf(e.getMessage()))));
        }
        try {
            // what this command's earlier run of the name left: JMH's file is to hold this run's result only; one with
            // content (a result the unfinished file could not take over) is set aside, never thrown away
            if (Files.isRegularFile(partial) && Files.size(partial) > 0) {
                AtomicWrite.setAside(partial, partial.toAbsolutePath().getParent().resolve(PartialResult.UNPUBLISHED_DIR),
                        result.getFileName().toString());
            }
            Files.deleteIfExists(partial);
        } catch (IOException e) {
            return new Outcome(null, new Failure(NotRun.Kind.ERROR, "cannot remove " + partial + " ("
                    + IoMessage.reason(e) + ")"));
        }
        ChainedOptionsBuilder b = new OptionsBuilder()
                .parent(jmh)
                .include("^" + Pattern.quote(benchmark) + "$")
                .mode(Mode.Throughput)
                .timeUnit(TimeUnit.SECONDS)
                // the benchmark's exception then comes back to us instead of being printed and dropped
                .shouldFailOnError(true)
                .result(partial.toAbsolutePath().toString())
                .resultFormat(ResultFormatType.JSON);
        if (iterationMillis > 0) {
            b.measurementTime(TimeValue.milliseconds(iterationMillis));
        }
        params.forEach(b::param);
        String noEnergy = hooks.configure(b, jmh, addEnergy);

        TailBuffer tail = new TailBuffer(OUTPUT_TAIL_BYTES);
        OutputFormat console = OutputFormatFactory.createFormatInstance(System.out,
                jmh.verbosity().orElse(VerboseMode.NORMAL));
        UnfinishedIterations kept = new UnfinishedIterations(console, result, hooks::withEnvironment, prefix);
        if (noEnergy != null) {
            kept.sayAtStart("energy: not measured (" + noEnergy + ")");
        }
        OomKills.Counter oomKills = OomKills.start();
        try {
            Collection<RunResult> results = new Runner(b.build(), new CapturingFormat(kept, tail,
                    partial.toAbsolutePath())).run();
            return ended(kept, results, partial, tail.text(), oomKills);
        } catch (Exception e) {
            noResult(kept, partial, UnfinishedIterations.FAILED);
            return new Outcome(null, Failure.classify(e, tail.text(), oomKills.sinceThen()));
        } finally {
            console.flush();
        }
    }

    /**
     * JMH returned {@code results}: its file {@code partial} is the run's result where it holds as many entries, whole;
     * otherwise the run failed, and what it measured stays in the unfinished file, as a failed run's.
     *
     * @param output   what the run printed, for classifying a failure
     * @param oomKills the kernel's count of out-of-memory kills as the run started, for classifying a failure
     */
    static Outcome ended(UnfinishedIterations kept, Collection<RunResult> results, Path partial, String output,
                         OomKills.Counter oomKills) {
        if (results.isEmpty() || !Files.isRegularFile(partial)) {
            noResult(kept, partial, UnfinishedIterations.FAILED);
            return new Outcome(null, Failure.classify(null, output, oomKills.sinceThen()));
        }
        String notWhole = null;
        try {
            int entries = ResultFile.readJson(partial).size();
            if (entries != results.size()) {
                notWhole = partial + ": holds " + entries + " entries of the " + results.size() + " JMH ran";
            }
        } catch (BadInputException e) {
            notWhole = e.getMessage();
        }
        if (notWhole != null) {
            noResult(kept, partial, NOT_WHOLE);
            // the line names the hidden file: where it went comes first, before a long path and parse error are cut
            List<String> fate = new ArrayList<>();
            if (!Files.exists(partial)) {
                fate.add("its file is removed");
            }
            if (kept.unfinishedCount() > 0) {
                fate.add("the measured iterations are kept in " + kept.unfinishedFile().getFileName());
            }
            return new Outcome(null, new Failure(NotRun.Kind.ERROR, Failure.oneLine("JMH did not write the result whole"
                    + (fate.isEmpty() ? "" : " (" + String.join("; ", fate) + ")") + ": " + notWhole)));
        }
        kept.resultWritten();
        return new Outcome(partial, null);
    }

    /**
     * The run has no result ({@code why}): what JMH ended with one stays in the unfinished file as failed, and JMH's file
     * goes, empty as JMH creates it or torn, unless it is not empty and the unfinished file does not hold the run.
     */
    private static void noResult(UnfinishedIterations kept, Path partial, String why) {
        kept.resultNotWritten(why);
        try {
            if (Files.isRegularFile(partial) && (Files.size(partial) == 0 || kept.unfinishedCount() > 0)) {
                Files.delete(partial);
            }
        } catch (IOException e) {
            // left where it is: the next command on the directory clears it, saying so
        }
    }

    /** The last {@code capacity} bytes written (roughly: it drops the older half when full). */
    static final class TailBuffer extends OutputStream {
        private final int capacity;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        TailBuffer(int capacity) {
            this.capacity = capacity;
        }

        @Override
        public synchronized void write(int b) {
            bytes.write(b);
            trim();
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            bytes.write(b, off, len);
            trim();
        }

        private void trim() {
            if (bytes.size() > capacity) {
                byte[] all = bytes.toByteArray();
                bytes.reset();
                bytes.write(all, all.length - capacity / 2, capacity / 2);
            }
        }

        synchronized String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }

    /**
     * JMH's console output, with every text line also kept in a buffer whatever the verbosity (-v SILENT
     * included): the forked VM's native output and, when it dies, its last lines arrive as text here. JMH's line naming
     * the result file is left out: the caller publishes that file under another name and says so.
     */
    private static final class CapturingFormat extends ForwardingOutputFormat {
        private final TailBuffer tail;
        private final Path resultFile;

        CapturingFormat(OutputFormat console, TailBuffer tail, Path resultFile) {
            super(console);
            this.tail = tail;
            this.resultFile = resultFile;
        }

        private void keep(String s) {
            byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
            tail.write(bytes, 0, bytes.length);
        }

        @Override
        public void print(String s) {
            keep(s);
            super.print(s);
        }

        @Override
        public void println(String s) {
            keep(s + "\n");
            if (!isResultSavedTo(s, resultFile)) {
                super.println(s);
            }
        }

        @Override
        public void verbosePrintln(String s) {
            keep(s + "\n");
            super.verbosePrintln(s);
        }

        @Override
        public void write(int b) {
            tail.write(b);
            super.write(b);
        }

        @Override
        public void write(byte[] b) throws IOException {
            tail.write(b, 0, b.length);
            super.write(b);
        }
    }
}
