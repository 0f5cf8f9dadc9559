package gpuenergy.profile;

import gpuenergy.host.HostPace;
import gpuenergy.host.HostSnapshot;
import gpuenergy.host.JavaThreads;
import gpuenergy.host.SchedulingWindow;
import joptsimple.OptionException;
import joptsimple.OptionParser;
import joptsimple.OptionSet;
import joptsimple.OptionSpec;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.profile.ProfilerException;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;
import org.openjdk.jmh.runner.IterationType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;

/**
 * How the host's CPUs served the benchmark in each measured iteration, from Linux's /proc:
 * {@code -prof gpuenergy.profile.SchedulingProfiler} ({@code -prof sched} in the suite's launcher). Where a GPU
 * benchmark is launch-bound the host sets its pace: this tells a run whose benchmark thread waited for a CPU, was
 * preempted or moved, or whose virtual machine had its CPUs stolen, or whose process faulted its buffers in again on
 * every operation, from one that was served throughout ({@link SchedulingWindow} defines each figure). Beside JMH's {@code gc} (allocation, collections) and {@code comp}
 * (JIT compilation) it covers where a run's pace comes from on the host.
 *
 * <p>The benchmark's threads are JMH's workers (named after the benchmark, then "-jmh-worker-"), found after its first
 * iteration, when JMH has started them and they wait for the next ({@link JavaThreads}), outside the measured windows;
 * where they are not told apart, after each iteration until they are. Without a warm-up the first measured window holds
 * JMH's start of the workers, the benchmark's trial setup (a model's load) and the workers' figures from their start.
 * Each measured iteration reads a handful of small files before and after its window, about a millisecond (with
 * {@code probe=true}, {@link HostPace}'s reading adds about 10 ms at each end): given before {@code -prof energy}, those
 * lie outside the energy profiler's window too (JMH calls the first profiler first before an iteration and last after
 * it).
 */
public final class SchedulingProfiler implements InternalProfiler {
    static final String NAME = "sched";
    private static final Path PROC = Path.of("/proc");

    private final Path proc;
    /** The host's own pace around each measured window ({@code probe=true}); null when not asked for. */
    private final Supplier<HostPace.Reading> pace;
    private HostPace.Reading paceBefore;
    private List<Integer> workers = List.of();
    /** The benchmark {@link #workers} belong to (BenchmarkParams#id): JMH starts new workers for each, with -f 0 in one VM. */
    private String workersOf;
    private HostSnapshot before;
    private boolean saidUnreadable;
    private String saidNoWorkers;
    /** The benchmark (BenchmarkParams#id) of the last iteration: its first iteration is the one JMH starts its workers in. */
    private String iteratedOf;

    /** For ServiceLoader discovery (so -lprof lists this profiler) only; JMH itself uses the String constructor. */
    public SchedulingProfiler() {
        this.proc = PROC;
        this.pace = null;
    }

    public SchedulingProfiler(String initLine) throws ProfilerException {
        this(initLine, PROC);
    }

    SchedulingProfiler(String initLine, Path proc) throws ProfilerException {
        this(initLine, proc, null);
    }

    /** @param reader reads the host's pace where {@code probe=true} asks for it; null: a {@link HostPace} of its own */
    SchedulingProfiler(String initLine, Path proc, Supplier<HostPace.Reading> reader) throws ProfilerException {
        // no abbreviations: a spec names its options in full, as the energy profiler's
        OptionParser parser = new OptionParser(false);
        OptionSpec<String> optProbe = parser.accepts("probe", "Also time the host's own pace before and after each measured "
                + "iteration, outside its window, on JMH's own thread: a chain of dependent floating-point operations "
                + "(ns per step) and a sum over 32 MiB (GB/s), about 10 ms of one CPU at each end and 32 MiB of heap.")
                .withRequiredArg().describedAs("true|false").defaultsTo("false");
        OptionSet set = OptionLine.parse(initLine, parser, SchedulingProfiler.class.getCanonicalName(), NAME);
        String probing;
        try {
            probing = set.valueOf(optProbe);
        } catch (OptionException e) {
            throw new ProfilerException(NAME + ": " + e.getMessage() + " in '" + initLine + "'");
        }
        if (!probing.equals("true") && !probing.equals("false")) {
            throw new ProfilerException(NAME + ": probe=" + probing + " is not accepted; accepted: true or false");
        }
        if (!Files.isReadable(proc.resolve("self/task")) || !Files.isReadable(proc.resolve("stat"))) {
            throw new ProfilerException(NAME + ": " + proc + "/self/task and " + proc + "/stat are not readable here; "
                    + "the profiler reads Linux's /proc");
        }
        this.proc = proc;
        // the probe's 32 MiB are allocated only where it is asked for
        this.pace = !probing.equals("true") ? null : reader != null ? reader : new HostPace()::read;
    }

    @Override
    public String getDescription() {
        return "How the host served the benchmark (its threads' run queue wait, preemptions, migrations; the process's "
                + "page faults per operation; steal), Linux";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        before = null;
        // the probe first, so that its CPU time lies outside the window the snapshots bound; in the warm-up too, where
        // the JIT compiles it
        paceBefore = pace == null ? null : pace.get();
        if (iterationParams.getType() != IterationType.MEASUREMENT) {
            return;
        }
        try {
            before = HostSnapshot.read(proc, benchmarkParams.id().equals(workersOf) ? workers : List.of());
        } catch (IOException | RuntimeException e) {
            sayUnreadable(e);
        }
    }

    @Override
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
                                                       IterationResult result) {
        boolean firstIteration = !benchmarkParams.id().equals(iteratedOf);
        iteratedOf = benchmarkParams.id();
        if (!benchmarkParams.id().equals(workersOf)) {
            findWorkers(benchmarkParams);
        }
        if (iterationParams.getType() != IterationType.MEASUREMENT) {
            return List.of();
        }
        SchedulingWindow w = null;
        if (before != null) {
            // workers the window began without: started in it (the first iteration: they count from zero, their start
            // and the benchmark's setup included, so over the whole window), or not told apart until its end (their
            // figures NaN for it)
            boolean startedInside = before.threads().isEmpty();
            boolean counted = !startedInside || firstIteration;
            double timed = startedInside ? Double.NaN : timedSeconds(result);
            try {
                w = SchedulingWindow.between(before, HostSnapshot.read(proc, counted ? workers : List.of()), timed);
            } catch (IOException | RuntimeException e) {
                sayUnreadable(e);
            }
        }
        // every label in every measured iteration, NaN where unknown: JMH would average a missing one in as 0
        double nan = Double.NaN;
        List<Result> out = new ArrayList<>();
        add(out, SchedulingLabels.WORKER_CPU_PCT, w == null ? nan : w.workerCpuPct());
        add(out, SchedulingLabels.WORKER_WAIT_PCT, w == null ? nan : w.workerWaitPct());
        add(out, SchedulingLabels.WORKER_PREEMPTED_PER_S, w == null ? nan : w.workerPreemptedPerS());
        add(out, SchedulingLabels.WORKER_MIGRATED_PER_S, w == null ? nan : w.workerMigratedPerS());
        add(out, SchedulingLabels.PROCESS_CPUS, w == null ? nan : w.processCpus());
        // per operation over all of the iteration's (JMH's gc.alloc.rate.norm divides the same way)
        long ops = result.getMetadata() == null ? 0 : result.getMetadata().getAllOps();
        add(out, SchedulingLabels.MINOR_FAULTS_PER_OP, w == null ? nan : w.minorFaultsPer(ops));
        add(out, SchedulingLabels.HOST_BUSY_PCT, w == null ? nan : w.hostBusyPct());
        add(out, SchedulingLabels.STEAL_PCT, w == null ? nan : w.stealPct());
        if (pace != null) {
            HostPace.Reading after = pace.get();
            // JMH calls beforeIteration first; a window without its reading gets the one end it has
            HostPace.Reading r = paceBefore == null ? after : paceBefore.meanWith(after);
            add(out, SchedulingLabels.PROBE_CHAIN_NS_PER_STEP, r.chainNsPerStep());
            add(out, SchedulingLabels.PROBE_SWEEP_GB_PER_S, r.sweepGbPerS());
        }
        return out;
    }

    /**
     * JMH's own timed length of a throughput iteration, its operations over its score; NaN in the other modes (an
     * average time per operation over threads gives no length where the threads ran unequally) and where they do not
     * give it. The profiler's window is longer: JMH calls the profilers' afterIteration in the reverse order of
     * beforeIteration, so a window holds the hooks of every profiler listed after this one (the energy profiler's wait
     * for a counter step at each end, about 6 % of a 1 s window), in which the workers wait.
     */
    static double timedSeconds(IterationResult result) {
        if (result.getBenchmarkParams().getMode() != Mode.Throughput || result.getRawPrimaryResults().isEmpty()
                || result.getMetadata() == null) {
            return Double.NaN;
        }
        double opsPerSecond = OpsRate.opsPerSecond(result);
        long ops = result.getMetadata().getMeasuredOps();
        return ops > 0 && opsPerSecond > 0 && Double.isFinite(opsPerSecond) ? ops / opsPerSecond : Double.NaN;
    }

    private static void add(List<Result> out, String label, double value) {
        out.add(new ScalarResult(label, value, SchedulingLabels.unit(label), AggregationPolicy.AVG));
    }

    /**
     * The Linux ids of this benchmark's JMH workers; none (their figures NaN, said once) where they are not told apart,
     * and then looked for again after the next iteration.
     */
    private void findWorkers(BenchmarkParams params) {
        try {
            JavaThreads.Found found = JavaThreads.linuxIds(proc, params.getBenchmark() + "-jmh-worker-");
            workers = found.ids();
            if (workers.isEmpty() && !params.id().equals(saidNoWorkers)) {
                saidNoWorkers = params.id();
                System.out.println(NAME + ": " + found.whyNone() + "; the worker figures are NaN");
            }
        } catch (IOException | RuntimeException e) {
            workers = List.of();
            sayUnreadable(e);
        }
        workersOf = workers.isEmpty() ? null : params.id();
    }

    private void sayUnreadable(Exception e) {
        if (!saidUnreadable) {
            saidUnreadable = true;
            System.out.println(NAME + ": /proc could not be read (" + e.getMessage() + "); the iteration's figures are NaN");
        }
    }
}
