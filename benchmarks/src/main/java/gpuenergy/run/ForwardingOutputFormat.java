package gpuenergy.run;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.format.OutputFormat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;

/**
 * A JMH {@link OutputFormat} that forwards every call to a delegate; subclasses override only what they add.
 * Here rather than in gpuenergy.cli because gpuenergy.cli already depends on this package, not the reverse.
 */
public abstract class ForwardingOutputFormat implements OutputFormat {
    protected final OutputFormat delegate;

    protected ForwardingOutputFormat(OutputFormat delegate) {
        this.delegate = delegate;
    }

    /**
     * Whether {@code line} is JMH's closing line naming {@code file}, the result file it was told to write: where that is
     * a file of the launcher's own (a temporary copy, a result before it is published), the launcher leaves the line
     * out and names the file the user reads itself.
     */
    protected static boolean isResultSavedTo(String line, Path file) {
        return line.equals("Benchmark result is saved to " + file);
    }

    @Override
    public void iteration(BenchmarkParams benchParams, IterationParams params, int iteration) {
        delegate.iteration(benchParams, params, iteration);
    }

    @Override
    public void iterationResult(BenchmarkParams benchParams, IterationParams params, int iteration, IterationResult data) {
        delegate.iterationResult(benchParams, params, iteration, data);
    }

    @Override
    public void startBenchmark(BenchmarkParams benchParams) {
        delegate.startBenchmark(benchParams);
    }

    @Override
    public void endBenchmark(BenchmarkResult result) {
        delegate.endBenchmark(result);
    }

    @Override
    public void startRun() {
        delegate.startRun();
    }

    @Override
    public void endRun(Collection<RunResult> result) {
        delegate.endRun(result);
    }

    @Override
    public void print(String s) {
        delegate.print(s);
    }

    @Override
    public void println(String s) {
        delegate.println(s);
    }

    @Override
    public void flush() {
        delegate.flush();
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public void verbosePrintln(String s) {
        delegate.verbosePrintln(s);
    }

    @Override
    public void write(int b) {
        delegate.write(b);
    }

    @Override
    public void write(byte[] b) throws IOException {
        delegate.write(b);
    }
}
