package gpuenergy.profile;

import org.junit.jupiter.api.Test;
import gpuenergy.host.HostPace;
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

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
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

    /**
     * One measured window of {@code millis} with a worker of {@code benchmark} that, as JMH's, works during iterations
     * (spinning or sleeping) and waits between them, beside a thread that does the other throughout and whose name
     * starts with the same 15 characters (as Linux keeps them, and as a native thread the worker started inherits them).
     */
    static Map<String, Double> window(String benchmark, boolean spins, long millis) throws Exception {
        return window(new SchedulingProfiler(""), benchmark, spins, millis);
    }

    static Map<String, Double> window(SchedulingProfiler profiler, String benchmark, boolean spins, long millis)
            throws Exception {
        return window(profiler, benchmark, spins, millis, 0);
    }

    /**
     * As above, with {@code hookMillis} between the profiler's beforeIteration and the iteration's start: the hooks of
     * profilers listed after it, which JMH runs inside its window while the workers wait.
     */
    static Map<String, Double> window(SchedulingProfiler profiler, String benchmark, boolean spins, long millis,
                                      long hookMillis) throws Exception {
        BenchmarkParams bp = params(benchmark);
        Iterations iterations = new Iterations();
        Thread worker = new Thread(() -> iterations.work(spins), bp.getBenchmark() + "-jmh-worker-1");
        Thread decoy = new Thread(() -> iterations.throughout(!spins), bp.getBenchmark() + "-helper");
        worker.start();
        decoy.start();
        try {
            iterations.run(100); // the warm-up
            assertEquals(List.of(), List.copyOf(profiler.afterIteration(bp, WARMUP, new IterationResult(bp, WARMUP, null))));
            profiler.beforeIteration(bp, MEASURED);
            Thread.sleep(hookMillis);
            iterations.run(millis);
            Map<String, Double> figures = new HashMap<>();
            IterationResultMetaData ops = new IterationResultMetaData(OPS, OPS);
            IterationResult result = new IterationResult(bp, MEASURED, ops);
            // JMH's score: the operations over its own timed length
            result.addResult(new ThroughputResult(ResultRole.PRIMARY, "infer", OPS, millis * 1_000_000L, TimeUnit.SECONDS));
            for (Result r : profiler.afterIteration(bp, MEASURED, result)) {
                figures.put(r.getLabel(), r.getScore());
            }
            return figures;
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

        synchronized void run(long millis) throws InterruptedException {
            running = true;
            notifyAll();
            wait(millis);
            running = false;
            Thread.sleep(20); // the worker sees the end
        }

        synchronized void stop() {
            stopped = true;
            notifyAll();
        }

        private synchronized boolean await() {
            while (!running && !stopped) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    return false;
                }
            }
            return !stopped;
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
        Map<String, Double> spinning = window("demo.Spin.infer", true, 500);
        assertEquals(8, spinning.size(), spinning.toString());
        // the process's faults over the window (the JVM's own threads fault some pages in too), per operation
        double faults = spinning.get(SchedulingLabels.MINOR_FAULTS_PER_OP);
        assertTrue(faults >= 0 && Math.abs(faults * OPS - Math.rint(faults * OPS)) < 1e-6, "a count per operation: " + spinning);
        assertTrue(spinning.get(SchedulingLabels.WORKER_CPU_PCT) > 25, spinning.toString());
        assertTrue(spinning.get(SchedulingLabels.PROCESS_CPUS) > 0.25, spinning.toString());
        for (String label : List.of(SchedulingLabels.WORKER_WAIT_PCT, SchedulingLabels.HOST_BUSY_PCT, SchedulingLabels.STEAL_PCT)) {
            assertTrue(spinning.get(label) >= 0 && spinning.get(label) <= 100, label + ": " + spinning);
        }

        // the spinning thread beside it shares the worker's first 15 characters, not its name
        Map<String, Double> sleeping = window("demo.Sleep.infer", false, 500);
        assertTrue(sleeping.get(SchedulingLabels.WORKER_CPU_PCT) < 20, sleeping.toString());
        assertEquals(0, sleeping.get(SchedulingLabels.WORKER_PREEMPTED_PER_S), 20, sleeping.toString());
    }

    @Test
    void theWorkersFiguresSpanJmhsTimedWindowNotTheHooksOfProfilersAfterIt() throws Exception {
        // a worker spinning through 500 ms that JMH timed, in a window 400 ms longer: over the window about 55 %
        Map<String, Double> hooked = window(new SchedulingProfiler(""), "demo.Hooked.infer", true, 500, 400);
        double cpu = hooked.get(SchedulingLabels.WORKER_CPU_PCT);
        assertTrue(cpu > 80 && cpu <= 105, hooked.toString());

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
     * their start, the benchmark's setup included: over the whole window, not over JMH's timed part of it.
     */
    @Test
    void aWindowWhoseWorkersStartedInsideItIsTakenWhole() throws Exception {
        SchedulingProfiler profiler = new SchedulingProfiler("");
        BenchmarkParams bp = params("demo.Cold.infer");
        profiler.beforeIteration(bp, MEASURED);
        Iterations iterations = new Iterations();
        Thread worker = new Thread(() -> iterations.work(true), bp.getBenchmark() + "-jmh-worker-1");
        worker.start();
        try {
            iterations.run(400); // setup and iteration alike, of which JMH times the last 100 ms
            IterationResult result = new IterationResult(bp, MEASURED, new IterationResultMetaData(OPS, OPS));
            result.addResult(new ThroughputResult(ResultRole.PRIMARY, "infer", OPS, 100_000_000L, TimeUnit.SECONDS));
            Map<String, Double> figures = new HashMap<>();
            for (Result r : profiler.afterIteration(bp, MEASURED, result)) {
                figures.put(r.getLabel(), r.getScore());
            }
            double cpu = figures.get(SchedulingLabels.WORKER_CPU_PCT);
            assertTrue(cpu > 25 && cpu <= 105, "about 400 ms of a 420 ms window, not of 100 ms: " + figures);
        } finally {
            iterations.stop();
            worker.join();
        }
    }

    /**
     * Workers first found after a later iteration than the first did not start in its window: that window's worker
     * figures are NaN, not their counts since they started; the next window's are measured.
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
            List<Map<String, Double>> windows = new java.util.ArrayList<>();
            for (int i = 0; i < 2; i++) {
                profiler.beforeIteration(bp, MEASURED);
                iterations.run(300);
                Map<String, Double> figures = new HashMap<>();
                IterationResultMetaData ops = new IterationResultMetaData(OPS, OPS);
                for (Result r : profiler.afterIteration(bp, MEASURED, new IterationResult(bp, MEASURED, ops))) {
                    figures.put(r.getLabel(), r.getScore());
                }
                windows.add(figures);
            }
            assertTrue(Double.isNaN(windows.get(0).get(SchedulingLabels.WORKER_CPU_PCT)), windows.toString());
            assertTrue(windows.get(0).get(SchedulingLabels.PROCESS_CPUS) > 0, windows.toString());
            double cpu = windows.get(1).get(SchedulingLabels.WORKER_CPU_PCT);
            assertTrue(cpu > 25 && cpu <= 101, windows.toString());
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
        Map<String, Double> figures = new HashMap<>();
        for (Result r : profiler.afterIteration(bp, MEASURED, new IterationResult(bp, MEASURED, null))) {
            figures.put(r.getLabel(), r.getScore());
        }
        assertTrue(Double.isNaN(figures.get(SchedulingLabels.WORKER_CPU_PCT)), figures.toString());
        assertTrue(figures.get(SchedulingLabels.HOST_BUSY_PCT) >= 0, figures.toString());
        assertTrue(Double.isNaN(figures.get(SchedulingLabels.MINOR_FAULTS_PER_OP)), "no operations counted: " + figures);
    }

    /** probe=true adds the host's own pace around the window: a time per step of a chain and a memory rate. */
    @Test
    void theProbeAddsTheHostsOwnPace() throws Exception {
        Map<String, Double> plain = window("demo.Plain.infer", true, 200);
        assertTrue(!plain.containsKey(SchedulingLabels.PROBE_CHAIN_NS_PER_STEP), plain.toString());
        Map<String, Double> probed = window(new SchedulingProfiler("probe=true"), "demo.Probed.infer", true, 200);
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
        Map<String, Double> figures = new HashMap<>();
        IterationResultMetaData ops = new IterationResultMetaData(OPS, OPS);
        for (Result r : profiler.afterIteration(bp, MEASURED, new IterationResult(bp, MEASURED, ops))) {
            figures.put(r.getLabel(), r.getScore());
        }
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
    }
}
