package gpuenergy.cli;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.format.OutputFormat;

import java.io.IOException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * JMH's own output, passed through unchanged, while noting which benchmarks started and the first line JMH
 * printed under {@code <failure>} for each (forked VMs print through the launcher's OutputFormat).
 */
final class FailureCapture implements OutputFormat {
    private final OutputFormat out;
    /** benchmark key -> params, in start order */
    final Map<String, BenchmarkParams> started = new LinkedHashMap<>();
    /** benchmark key -> first failure line */
    final Map<String, String> failures = new LinkedHashMap<>();
    private String current;
    private boolean inFailure;

    FailureCapture(OutputFormat out) {
        this.out = out;
    }

    static String key(String benchmark, Map<String, String> params) {
        return benchmark + " " + new java.util.TreeMap<>(params);
    }

    static String key(BenchmarkParams p) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String k : p.getParamsKeys()) {
            params.put(k, p.getParam(k));
        }
        return key(p.getBenchmark(), params);
    }

    private void note(String line) {
        if (line == null) {
            return;
        }
        if (line.startsWith("<failure>")) {
            inFailure = true;
        } else if (inFailure && !line.isBlank() && current != null) {
            failures.putIfAbsent(current, line.strip().lines().findFirst().orElse(""));
            inFailure = false;
        }
    }

    @Override
    public void startBenchmark(BenchmarkParams benchParams) {
        current = key(benchParams);
        started.putIfAbsent(current, benchParams);
        inFailure = false;
        out.startBenchmark(benchParams);
    }

    @Override
    public void println(String s) {
        note(s);
        out.println(s);
    }

    @Override
    public void print(String s) {
        note(s);
        out.print(s);
    }

    @Override
    public void iteration(BenchmarkParams benchParams, IterationParams params, int iteration) {
        out.iteration(benchParams, params, iteration);
    }

    @Override
    public void iterationResult(BenchmarkParams benchParams, IterationParams params, int iteration, IterationResult data) {
        out.iterationResult(benchParams, params, iteration, data);
    }

    @Override
    public void endBenchmark(BenchmarkResult result) {
        out.endBenchmark(result);
    }

    @Override
    public void startRun() {
        out.startRun();
    }

    @Override
    public void endRun(Collection<RunResult> result) {
        out.endRun(result);
    }

    @Override
    public void flush() {
        out.flush();
    }

    @Override
    public void close() {
        out.close();
    }

    @Override
    public void verbosePrintln(String s) {
        out.verbosePrintln(s);
    }

    @Override
    public void write(int b) {
        out.write(b);
    }

    @Override
    public void write(byte[] b) throws IOException {
        out.write(b);
    }
}
