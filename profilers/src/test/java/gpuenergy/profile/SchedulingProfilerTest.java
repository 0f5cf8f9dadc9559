package gpuenergy.profile;

import org.junit.jupiter.api.Test;
import gpuenergy.host.HostPace;
import gpuenergy.host.ProcFiles;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.ProfilerException;
import org.openjdk.jmh.results.AverageTimeResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.IterationResultMetaData;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ResultRole;
import org.openjdk.jmh.results.ThroughputResult;
import org.openjdk.jmh.runner.IterationType;
import org.openjdk.jmh.runner.WorkloadParams;
import org.openjdk.jmh.runner.options.TimeValue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The profiler on this machine's own /proc, around real threads named as JMH names its workers. */
class SchedulingProfilerTest {
    static final IterationParams WARMUP = new IterationParams(IterationType.WARMUP, 1, TimeValue.milliseconds(400), 1);
    static final IterationParams MEASURED = new IterationParams(IterationType.MEASUREMENT, 1, TimeValue.milliseconds(400), 1);

    static BenchmarkParams params(String benchmark) {
        return new BenchmarkParams(benchmark, "generated", false, 1, new int[]{1}, List.of(), 1, 0, WARMUP, MEASURED,
                Mode.Throughput, new WorkloadParams(), TimeUnit.SECONDS, 1, "java", List.of(), "17", "vm", "17", "1.37",
                TimeValue.minutes(1));
    }

    /** The operations each measured window reports to the profiler. */
    static final long OPS = 1000;
    private static final long MS = 1_000_000L;
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
    /**
     * How far the worker's CPU time as the test reads it may lie from its run time in the profiler's snapshots: none of
     * it runs between the two reads (it waits for the next iteration), and both are the kernel's run time, to the
     * nanosecond (JavaThreads finds the workers by it).
     */
    private static final long CPU_READ_NS = 500_000;

    /**
     * A measured window's figures, beside what the test measured of the same window itself: the worker's CPU time in it
     * (as its JVM reads it), and the time from just before the profiler's beforeIteration to just after its
     * afterIteration, which holds the window.
     */
    record Window(Map<String, Double> figures, long workerCpuNs, long outerNs) {
        double get(String label) {
            return figures.get(label);
        }

        /** The worker's CPU time and its wait for a CPU, % of the span its figures are over. */
        double busyPct() {
            return get(SchedulingLabels.WORKER_CPU_PCT) + get(SchedulingLabels.WORKER_WAIT_PCT);
        }

        /**
         * {@link #busyPct} and the host's steal: on a virtual machine a spinning worker whose virtual CPU the hypervisor
         * has taken neither runs nor waits in the guest's run queue (the kernel leaves steal out of both).
         */
        double busyOrStolenPct() {
            return busyPct() + get(SchedulingLabels.STEAL_PCT);
        }
    }

    /** Something that happens inside a measured window. */
    interface Inside {
        void run() throws Exception;
    }

    /**
     * Measures {@code inside} as one measured iteration of {@code bp} whose JMH score gives {@code timedMillis} as its
     * timed length (none: no score, as in a mode other than throughput), {@link #OPS} operations.
     */
    static Window measure(SchedulingProfiler profiler, BenchmarkParams bp, Thread worker, long timedMillis, Inside inside)
            throws Exception {
        long cpu0 = cpuNs(worker);
        long t0 = System.nanoTime();
        profiler.beforeIteration(bp, MEASURED);
        inside.run();
        IterationResult result = new IterationResult(bp, MEASURED, new IterationResultMetaData(OPS, OPS));
        if (timedMillis > 0) {
            // JMH's score: the operations over its own timed length
            result.addResult(new ThroughputResult(ResultRole.PRIMARY, "infer", OPS, timedMillis * MS, TimeUnit.SECONDS));
        }
        Map<String, Double> figures = figures(profiler.afterIteration(bp, MEASURED, result));
        long outerNs = System.nanoTime() - t0;
        return new Window(figures, cpuNs(worker) - cpu0, outerNs);
    }

    /** A thread's CPU time; 0 before it has started. */
    private static long cpuNs(Thread t) {
        return Math.max(0, CPU.getThreadCpuTime(t.getId()));
    }

    static Map<String, Double> figures(Collection<? extends Result> results) {
        Map<String, Double> figures = new HashMap<>();
        for (Result r : results) {
            figures.put(r.getLabel(), r.getScore());
        }
        return figures;
    }

    /**
     * The worker's CPU % is its own CPU time over a span of at least {@code shortestNs} and at most {@code longestNs},
     * whatever share of a CPU the host gave it (a busy host gives a spinning worker a quarter of one, or less): not a
     * thread's beside it, and over neither a shorter nor a longer span.
     */
    static void assertWorkerCpuOver(Window w, long shortestNs, long longestNs) {
        double cpu = w.get(SchedulingLabels.WORKER_CPU_PCT);
        String why = String.format(Locale.ROOT, "worker-cpu-%% %.2f: the worker's %.1f ms of CPU over %.1f ms, "
                        + "not over %.1f to %.1f ms: %s", cpu, w.workerCpuNs() / 1e6, w.workerCpuNs() / 1e4 / cpu,
                shortestNs / 1e6, longestNs / 1e6, w.figures());
        assertTrue(cpu >= 100.0 * (w.workerCpuNs() - CPU_READ_NS) / longestNs, why);
        assertTrue(cpu <= 100.0 * (w.workerCpuNs() + CPU_READ_NS) / shortestNs, why);
    }

    /**
     * The process's CPUs hold its worker's CPU time in the window, and are no more than the machine's CPUs; two ticks
     * either way, as /proc/PID/stat counts user and system time apart, each in whole ticks.
     */
    static void assertProcessCpus(Window w) {
        double cpus = w.get(SchedulingLabels.PROCESS_CPUS);
        double ticks = 2 / ProcFiles.TICKS_PER_SECOND;
        assertTrue(cpus >= (w.workerCpuNs() / 1e9 - ticks) / (w.outerNs() / 1e9), "process-CPUs " + cpus
                + " below its worker's " + w.workerCpuNs() / 1e6 + " ms of CPU in a window of at most "
                + w.outerNs() / 1e6 + " ms: " + w.figures());
        int machine = Runtime.getRuntime().availableProcessors();
        assertTrue(cpus <= machine + ticks / (w.outerNs() / 1e9), "process-CPUs " + cpus + " above the machine's " + machine
                + ": " + w.figures());
    }

    /**
     * One measured window of {@code millis} with a worker of {@code benchmark} that, as JMH's, works during iterations
     * (spinning or sleeping) and waits between them, beside a thread that does the other throughout and whose name
     * starts with the same 15 characters (as Linux keeps them, and as a native thread the worker started inherits them).
     */
    static Window window(String benchmark, boolean spins, long millis) throws Exception {
        return window(new SchedulingProfiler(""), benchmark, spins, millis);
    }

    static Window window(SchedulingProfiler profiler, String benchmark, boolean spins, long millis) throws Exception {
        return window(profiler, benchmark, spins, millis, 0);
    }

    /**
     * As above, with {@code hookMillis} between the profiler's beforeIteration and the iteration's start: the hooks of
     * profilers listed after it, which JMH runs inside its window while the workers wait.
     */
    static Window window(SchedulingProfiler profiler, String benchmark, boolean spins, long millis, long hookMillis)
            throws Exception {
        BenchmarkParams bp = params(benchmark);
        Iterations iterations = new Iterations();
        Thread worker = new Thread(() -> iterations.work(spins), bp.getBenchmark() + "-jmh-worker-1");
        Thread decoy = new Thread(() -> iterations.throughout(!spins), bp.getBenchmark() + "-helper");
        worker.start();
        decoy.start();
        try {
            iterations.run(100); // the warm-up
            assertEquals(List.of(), List.copyOf(profiler.afterIteration(bp, WARMUP, new IterationResult(bp, WARMUP, null))));
            return measure(profiler, bp, worker, millis, () -> {
                Thread.sleep(hookMillis);
                iterations.run(millis);
            });
        } finally {
            iterations.stop();
            worker.join();
            decoy.join();
        }
    }

    /** Iterations as JMH runs them: the worker works while one runs and waits between them. */
    private static final class Iterations {
        private boolean running;
        private boolean stopped;
        /** The iterations begun, and those whose end the worker has seen (it waits for the next). */
        private int begun;
        private int ended;

        /**
         * One iteration of at least {@code millis}, which returns once the worker waits for the next, as JMH's ends
         * once its workers have stopped: however late a busy host lets the worker see the end, none of its work lies
         * outside the iteration.
         */
        synchronized void run(long millis) throws InterruptedException {
            begun++;
            running = true;
            notifyAll();
            long end = System.nanoTime() + millis * MS;
            for (long left = millis * MS; left > 0; left = end - System.nanoTime()) {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            running = false;
            while (ended < begun) {
                wait();
            }
        }

        synchronized void stop() {
            stopped = true;
            notifyAll();
        }

        /** Waits for an iteration the worker has not seen end; false once stopped. */
        private synchronized boolean await() {
            while (ended == begun && !stopped) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    return false;
                }
            }
            return !stopped;
        }

        private synchronized void endSeen() {
            ended = begun;
            notifyAll();
        }

        private synchronized boolean running() {
            return running && !stopped;
        }

        private synchronized boolean stopped() {
            return stopped;
        }

        void work(boolean spins) {
            while (await()) {
                while (running()) {
                    step(spins);
                }
                endSeen();
            }
        }

        void throughout(boolean spins) {
            while (!stopped()) {
                step(spins);
            }
        }

        private static void step(boolean spins) {
            if (spins) {
                long end = System.nanoTime() + 100_000;
                while (System.nanoTime() < end) {
                    Thread.onSpinWait();
                }
            } else {
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    @Test
    void aSpinningWorkerIsBusyAndASleepingOneIsNot() throws Exception {
        Window spinning = window("demo.Spin.infer", true, 500);
        assertEquals(8, spinning.figures().size(), spinning.figures().toString());
        // the process's faults over the window (the JVM's own threads fault some pages in too), per operation
        double faults = spinning.get(SchedulingLabels.MINOR_FAULTS_PER_OP);
        assertTrue(faults >= 0 && Math.abs(faults * OPS - Math.rint(faults * OPS)) < 1e-6, "a count per operation: " + spinning);
        // the worker's own CPU time over JMH's timed 500 ms or more, not the sleeping helper's beside it
        assertWorkerCpuOver(spinning, 500 * MS, spinning.outerNs());
        // it ran or waited for a CPU throughout, whatever share of one it got
        assertTrue(spinning.busyOrStolenPct() > 90 && spinning.busyPct() <= 100 + 1e-9, "busy " + spinning.busyPct() + " %: " + spinning);
        assertProcessCpus(spinning);
        for (String label : List.of(SchedulingLabels.WORKER_WAIT_PCT, SchedulingLabels.HOST_BUSY_PCT, SchedulingLabels.STEAL_PCT)) {
            assertTrue(spinning.get(label) >= 0 && spinning.get(label) <= 100, label + ": " + spinning);
        }

        // the spinning thread beside it shares the worker's first 15 characters, not its name
        Window sleeping = window("demo.Sleep.infer", false, 500);
        assertWorkerCpuOver(sleeping, 500 * MS, sleeping.outerNs());
        assertTrue(sleeping.get(SchedulingLabels.WORKER_CPU_PCT) < 20, sleeping.toString());
        assertEquals(0, sleeping.get(SchedulingLabels.WORKER_PREEMPTED_PER_S), 20, sleeping.toString());
    }

    @Test
    void theWorkersFiguresSpanJmhsTimedWindowNotTheHooksOfProfilersAfterIt() throws Exception {
        // a worker spinning through 500 ms that JMH timed, in a window 400 ms longer
        Window hooked = window(new SchedulingProfiler(""), "demo.Hooked.infer", true, 500, 400);
        // over the timed part, or the time the worker ran or waited to run where that is longer: not over the 400 ms
        // of hooks, where it waits for the iteration
        assertWorkerCpuOver(hooked, 500 * MS, hooked.outerNs() - 400 * MS);
        // it ran or waited for a CPU all of that span, whatever share of a CPU it got: about 100 % (55 % over the window)
        assertTrue(hooked.busyOrStolenPct() > 90 && hooked.busyPct() <= 100 + 1e-9, "busy " + hooked.busyPct() + " %: " + hooked);

        BenchmarkParams bp = params("demo.Timed.infer");
        IterationResult throughput = new IterationResult(bp, MEASURED, new IterationResultMetaData(OPS, 600));
        throughput.addResult(new ThroughputResult(ResultRole.PRIMARY, "infer", 600, 1_200_000_000L, TimeUnit.SECONDS));
        assertEquals(1.2, SchedulingProfiler.timedSeconds(throughput), 1e-9, "the measured operations over the score");
        assertTrue(Double.isNaN(SchedulingProfiler.timedSeconds(new IterationResult(bp, MEASURED,
                new IterationResultMetaData(OPS, OPS)))), "no score: the whole window");
        BenchmarkParams avgt = new BenchmarkParams("demo.Avgt.infer", "generated", false, 2, new int[]{2}, List.of(), 1, 0,
                WARMUP, MEASURED, Mode.AverageTime, new WorkloadParams(), TimeUnit.SECONDS, 1, "java", List.of(), "17", "vm",
                "17", "1.37", TimeValue.minutes(1));
        IterationResult average = new IterationResult(avgt, MEASURED, new IterationResultMetaData(400, 400));
        average.addResult(new AverageTimeResult(ResultRole.PRIMARY, "infer", 400, 1_000_000_000L, TimeUnit.SECONDS));
        assertTrue(Double.isNaN(SchedulingProfiler.timedSeconds(average)),
                "a mean time per operation over threads that ran unequally gives no length: the whole window");
    }

    /**
     * Without a warm-up (-wi 0) JMH starts the workers inside the first measured window, and their time counts from
     * their start, the benchmark's setup included: over the whole window, not over JMH's timed part of it, nor over the
     * time the worker ran or waited to run.
     */
    @Test
    void aWindowWhoseWorkersStartedInsideItIsTakenWhole() throws Exception {
        SchedulingProfiler profiler = new SchedulingProfiler("");
        BenchmarkParams bp = params("demo.Cold.infer");
        Iterations iterations = new Iterations();
        Thread worker = new Thread(() -> iterations.work(true), bp.getBenchmark() + "-jmh-worker-1");
        long[] insideNs = new long[1];
        try {
            // setup and iteration alike, of which JMH times the last 100 ms, then the hooks of profilers after this one
            Window cold = measure(profiler, bp, worker, 100, () -> {
                long t0 = System.nanoTime();
                worker.start();
                iterations.run(400);
                Thread.sleep(300);
                insideNs[0] = System.nanoTime() - t0;
            });
            assertWorkerCpuOver(cold, insideNs[0], cold.outerNs());
        } finally {
            iterations.stop();
            worker.join();
        }
    }

    /**
     * Workers first found after a later iteration than the first did not start in its window: that window's worker
     * figures are NaN, not their counts since they started; the next window's are measured, over it.
     */
    @Test
    void workersFoundLateAreMeasuredFromTheNextWindow() throws Exception {
        SchedulingProfiler profiler = new SchedulingProfiler("");
        BenchmarkParams bp = params("demo.Late.infer");
        assertEquals(List.of(), List.copyOf(profiler.afterIteration(bp, WARMUP, new IterationResult(bp, WARMUP, null))));
        Iterations iterations = new Iterations();
        Thread worker = new Thread(() -> iterations.work(true), bp.getBenchmark() + "-jmh-worker-1");
        worker.start();
        try {
            iterations.run(300);
            List<Window> windows = new ArrayList<>();
            long[] iterationNs = new long[1];
            for (int i = 0; i < 2; i++) {
                windows.add(measure(profiler, bp, worker, 0, () -> {
                    long t0 = System.nanoTime();
                    iterations.run(300);
                    iterationNs[0] = System.nanoTime() - t0;
                }));
            }
            assertTrue(Double.isNaN(windows.get(0).get(SchedulingLabels.WORKER_CPU_PCT)), windows.toString());
            assertProcessCpus(windows.get(0));
            // no score: over the whole window, which holds the iteration
            assertWorkerCpuOver(windows.get(1), iterationNs[0], windows.get(1).outerNs());
        } finally {
            iterations.stop();
            worker.join();
        }
    }

    @Test
    void aBenchmarkWithoutWorkersOfItsNameGetsUnknownWorkerFigures() throws Exception {
        SchedulingProfiler profiler = new SchedulingProfiler("");
        BenchmarkParams bp = params("demo.NoSuch.infer");
        profiler.beforeIteration(bp, MEASURED);
        Thread.sleep(100);
        Map<String, Double> figures = figures(profiler.afterIteration(bp, MEASURED, new IterationResult(bp, MEASURED, null)));
        assertTrue(Double.isNaN(figures.get(SchedulingLabels.WORKER_CPU_PCT)), figures.toString());
        assertTrue(figures.get(SchedulingLabels.HOST_BUSY_PCT) >= 0, figures.toString());
        assertTrue(Double.isNaN(figures.get(SchedulingLabels.MINOR_FAULTS_PER_OP)), "no operations counted: " + figures);
    }

    /** probe=true adds the host's own pace around the window: a time per step of a chain and a memory rate. */
    @Test
    void theProbeAddsTheHostsOwnPace() throws Exception {
        Map<String, Double> plain = window("demo.Plain.infer", true, 200).figures();
        assertTrue(!plain.containsKey(SchedulingLabels.PROBE_CHAIN_NS_PER_STEP), plain.toString());
        Map<String, Double> probed = window(new SchedulingProfiler("probe=true"), "demo.Probed.infer", true, 200).figures();
        assertEquals(plain.size() + 2, probed.size(), probed.toString());
        double chain = probed.get(SchedulingLabels.PROBE_CHAIN_NS_PER_STEP);
        double sweep = probed.get(SchedulingLabels.PROBE_SWEEP_GB_PER_S);
        // a dependent multiply-add takes a few cycles of a GHz core; 32 MiB read at 0.5 to 1,000 GB/s
        assertTrue(chain > 0.1 && chain < 100, probed.toString());
        assertTrue(sweep > 0.5 && sweep < 1000, probed.toString());
    }

    /**
     * Each measured window gets the mean of the readings just before and just after it; a warm-up iteration takes a
     * reading before it too (the JIT compiles the probe there) but reports nothing.
     */
    @Test
    void theWindowsFiguresAreTheMeanOfTheReadingsAtItsEnds() throws Exception {
        java.util.Iterator<HostPace.Reading> readings = List.of(new HostPace.Reading(9, 99), new HostPace.Reading(1, 10),
                new HostPace.Reading(3, 30)).iterator();
        SchedulingProfiler profiler = new SchedulingProfiler("probe=true", Path.of("/proc"), readings::next);
        BenchmarkParams bp = params("demo.Scripted.infer");
        profiler.beforeIteration(bp, WARMUP);
        assertEquals(List.of(), List.copyOf(profiler.afterIteration(bp, WARMUP, new IterationResult(bp, WARMUP, null))));
        profiler.beforeIteration(bp, MEASURED);
        IterationResultMetaData ops = new IterationResultMetaData(OPS, OPS);
        Map<String, Double> figures = figures(profiler.afterIteration(bp, MEASURED, new IterationResult(bp, MEASURED, ops)));
        assertEquals(2, figures.get(SchedulingLabels.PROBE_CHAIN_NS_PER_STEP), 1e-12, figures.toString());
        assertEquals(20, figures.get(SchedulingLabels.PROBE_SWEEP_GB_PER_S), 1e-12, figures.toString());
        assertTrue(!readings.hasNext(), "one reading per end of each iteration, none more");
    }

    @Test
    void aBadProbeOptionIsOneLine() {
        ProfilerException e = assertThrows(ProfilerException.class, () -> new SchedulingProfiler("probe=maybe"));
        assertEquals("sched: probe=maybe is not accepted; accepted: true or false", e.getMessage());
        for (String line : List.of("pace=true", "p=true", "probe=true;probe=false")) {
            ProfilerException bad = assertThrows(ProfilerException.class, () -> new SchedulingProfiler(line), line);
            assertTrue(bad.getMessage().startsWith("sched: ") && !bad.getMessage().contains("\n"), bad.getMessage());
        }
    }

    @Test
    void withoutLinuxProcTheProfilerRefusesInOneLine() {
        ProfilerException e = assertThrows(ProfilerException.class,
                () -> new SchedulingProfiler("", Path.of("src/test/resources/no-such-proc")));
        assertTrue(e.getMessage().startsWith("sched: ") && !e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void anUnknownOptionIsOneLineAndHelpIsTheHelp() {
        ProfilerException bad = assertThrows(ProfilerException.class, () -> new SchedulingProfiler("hz=5"));
        assertTrue(bad.getMessage().startsWith("sched: ") && !bad.getMessage().contains("\n"), bad.getMessage());
        ProfilerException help = assertThrows(ProfilerException.class, () -> new SchedulingProfiler("help"));
        assertTrue(help.getMessage().startsWith("Usage: -prof gpuenergy.profile.SchedulingProfiler"), help.getMessage());
        // the values the refusal of a bad probe names, as the energy profiler's help writes its true|false options
        assertTrue(help.getMessage().contains("  probe=<true|false> "), help.getMessage());
        assertTrue(help.getMessage().contains("(default: false)"), help.getMessage());
    }
}
