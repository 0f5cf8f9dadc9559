package gpuenergy.cli;

import gpuenergy.sweep.ForwardingOutputFormat;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.runner.format.OutputFormat;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * JMH's own output, passed through unchanged, while noting which benchmarks started and the first line JMH
 * printed under {@code <failure>} for each (forked VMs print through the launcher's OutputFormat).
 */
final class FailureCapture extends ForwardingOutputFormat {
    /** benchmark key -> params, in start order */
    final Map<String, BenchmarkParams> started = new LinkedHashMap<>();
    /** benchmark key -> first failure line */
    final Map<String, String> failures = new LinkedHashMap<>();
    private String current;
    private boolean inFailure;

    FailureCapture(OutputFormat out) {
        super(out);
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
        super.startBenchmark(benchParams);
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
