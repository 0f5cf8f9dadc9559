package gpuenergy.cli;

import gpuenergy.results.BenchmarkResult;
import gpuenergy.results.NotRun;
import gpuenergy.results.ParamNames;
import gpuenergy.results.TrialRecords;
import gpuenergy.run.ForwardingOutputFormat;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.runner.format.OutputFormat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * JMH's own output, passed through unchanged, while noting which benchmarks started and the first line JMH
 * printed under {@code <failure>} for each (forked VMs print through the launcher's OutputFormat).
 */
final class FailureCapture extends ForwardingOutputFormat {
    /** benchmark key -> params, in start order */
    private final Map<String, BenchmarkParams> started = new LinkedHashMap<>();
    /** benchmark key -> first failure line */
    private final Map<String, String> failures = new LinkedHashMap<>();
    private String current;
    private boolean inFailure;

    FailureCapture(OutputFormat out) {
        super(out);
    }

    /**
     * One entry per started benchmark without a result: the fork's own record if it gave one, else JMH's failure line
     * as an error; with the GPU its device value names ({@code gpuNameOfDevice}, null without a GPU) unless the
     * benchmark ran on the CPU.
     *
     * @param succeeded the keys ({@link BenchmarkResult#key}) of the benchmarks with a result
     */
    List<NotRun> notRun(Set<String> succeeded, TrialRecords records, Function<String, String> gpuNameOfDevice) {
        List<NotRun> out = new ArrayList<>();
        started.forEach((key, p) -> {
            if (succeeded.contains(key)) {
                return;
            }
            TrialRecords.NotRunRecord reported = records.notRun(key);
            NotRun.Kind kind = reported != null ? reported.kind() : NotRun.Kind.ERROR;
            String reason = reported != null ? reported.reason()
                    : failures.getOrDefault(key, "failed without a message; see the JMH output");
            out.add(new NotRun(p.getBenchmark(), BenchmarkResult.params(p), kind, reason,
                    NotRun.gpuFor(p.getParam(ParamNames.DEVICE), gpuNameOfDevice.apply(p.getParam(ParamNames.DEVICE)))));
        });
        return out;
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
        current = BenchmarkResult.key(benchParams);
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
