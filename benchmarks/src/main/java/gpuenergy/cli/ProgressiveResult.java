package gpuenergy.cli;

import com.google.gson.JsonArray;
import gpuenergy.results.BadInputException;
import gpuenergy.results.IoMessage;
import gpuenergy.results.ResultFile;
import gpuenergy.run.UnfinishedIterations;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.format.OutputFormat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
 * <p>JMH hands over each finished benchmark with its forks' iterations merged; the result keeps them per fork, as the
 * run's end writes them, from the iterations as they came. The measured iterations of a benchmark that has not
 * finished, or failed, are kept in {@code NAME.unfinished.json} beside the result ({@link UnfinishedIterations}).
 */
final class ProgressiveResult extends UnfinishedIterations {
    private final Path jmhCopy;
    private final List<RunResult> finished = new ArrayList<>();
    private boolean saidEnvironmentMissing;
    /** Runs right after each write of the result, before anything is printed ({@link #afterEachWrite}). */
    private Runnable afterWrite = () -> {};

    /**
     * @param result  the result file the user asked for
     * @param jmhCopy the file JMH is told to write (its own end-of-run copy, in the run's format); null where it writes none
     * @param enrich  what the run adds to JMH's JSON (the environment record)
     */
    ProgressiveResult(OutputFormat out, Path result, Path jmhCopy, UnaryOperator<JsonArray> enrich) {
        super(out, result, enrich, "");
        this.jmhCopy = jmhCopy;
    }

    @Override
    protected void ended(RunResult perFork) {
        finished.add(perFork);
        Path result = result();
        try {
            String missing = write(result, finished, enrich());
            if (missing != null && !saidEnvironmentMissing) {
                saidEnvironmentMissing = true; // the run's end tries again and says so again if it still fails
                super.println("environment: not added to " + result + " after this benchmark (" + missing
                        + "); the JMH result is kept without it");
            }
            afterWrite.run();
            resultWritten(); // only once the result holds its iterations
        } catch (IOException e) {
            super.println("result: " + result + " not written after this benchmark (" + IoMessage.cannotWrite(result, e)
                    + "); the run goes on and writes it at the end");
        } catch (RuntimeException e) {
            super.println("result: " + result + " not written after this benchmark (" + e.getMessage()
                    + "); the run goes on and writes it at the end");
        }
    }

    /**
     * What must follow each write of the result at once, before the console shows the benchmark: the removal of an
     * earlier run's list that this run's result replaces ({@link FailureCapture}).
     */
    void afterEachWrite(Runnable then) {
        afterWrite = then;
    }

    /** The benchmarks finished so far, each with its measured forks apart. */
    List<RunResult> finished() {
        return List.copyOf(finished);
    }

    @Override
    public void println(String s) {
        if (jmhCopy == null || !isResultSavedTo(s, jmhCopy)) {
            super.println(s);
        }
    }

    /**
     * Where the run's results are kept when the result file could not take them at the run's end.
     *
     * @param asJmhWroteThem whether the file is JMH's own copy: without the environment, each benchmark's forks merged
     */
    record Kept(Path file, boolean asJmhWroteThem) {
        /** The end of the line that says the result was not written. */
        String said() {
            return "its results are kept in " + file + (asJmhWroteThem ? " (as JMH wrote them, without the environment)"
                    : "");
        }
    }

    /**
     * Keeps the results that the result file could not take in a file of their own ({@link ResultFile#claimUnwritten}),
     * as the result would hold them; where that write fails too (java.io.tmpdir full as well), JMH's own copy, where it
     * holds the run's results, is moved there, which takes no space. JMH writes none when the run stops at a failure
     * (-foe, -f 0): its copy is then empty.
     *
     * @throws IOException where neither could be kept
     */
    Kept keepUnwritten(Collection<RunResult> results) throws IOException {
        Path kept = ResultFile.claimUnwritten(result());
        try {
            write(kept, results, enrich());
            return new Kept(kept, false);
        } catch (IOException e) {
            try {
                if (jmhCopy != null && holdsResults(jmhCopy)) {
                    Files.move(jmhCopy, kept, StandardCopyOption.REPLACE_EXISTING);
                    return new Kept(kept, true);
                }
            } catch (IOException notMoved) {
                e.addSuppressed(notMoved);
            }
            Files.deleteIfExists(kept);
            throw e;
        }
    }

    /** Whether JMH wrote its copy as JSON: an array of one benchmark at least (a copy of another format is none). */
    private static boolean holdsResults(Path jmhCopy) {
        try {
            return !ResultFile.readJson(jmhCopy).isEmpty();
        } catch (BadInputException e) {
            return false;
        }
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
