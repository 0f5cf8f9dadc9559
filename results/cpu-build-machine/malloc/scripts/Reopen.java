import gpuenergy.bench.GlibcMalloc;
import gpuenergy.engine.Artifact;
import gpuenergy.engine.EngineSession;
import gpuenergy.engine.Engines;
import gpuenergy.engine.InferenceEngine;
import gpuenergy.engine.ModelResolver;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Is a run's pace set per JVM or per session? Opens the suite's engine session several times in one JVM (model load,
 * input, close), each time warming it up and timing fixed-length iterations of the benchmark's one hot-path call, as
 * JMH's throughput mode does. Run in several JVMs: if sessions of one JVM differ as much as JVMs do, what sets the pace
 * is made with the session (the model's and input's memory, the engine's choices); if they agree within a JVM and
 * JVMs differ, it is made with the process (JIT, heap, thread placement, the engine's process-wide set-up).
 *
 * <p>Usage: java -cp benchmarks.jar Reopen.java JVM_LABEL MODEL ENGINE BATCH DEVICE SESSIONS WARMUP_S ITERATIONS ITER_S
 * [overlap|sequential] [calibrate]. With {@code overlap} all sessions are open at once and their iterations alternate.
 * Prints TSV: jvm, session, iteration, img/s, the calling thread's CPU ms and minor page faults per batch; with
 * {@code calibrate}, also the machine's pace measured just before each iteration ({@link #calibration}) and the CPU the
 * thread last ran on at the iteration's end (field 39 of its stat).
 */
public class Reopen {
    public static void main(String[] a) throws Exception {
        String jvm = a[0];
        String model = a[1];
        InferenceEngine engine = Engines.byName(a[2]);
        int batch = Integer.parseInt(a[3]);
        String device = a[4];
        int sessions = Integer.parseInt(a[5]);
        double warmup = Double.parseDouble(a[6]);
        int iterations = Integer.parseInt(a[7]);
        double iterationSeconds = Double.parseDouble(a[8]);
        boolean overlapping = a.length > 9 && a[9].equals("overlap");
        calibrating = a.length > 10 && a[10].equals("calibrate");
        if (calibrating) {
            for (int k = 0; k < 30; k++) { // compiled before the first figure
                calibration();
            }
        }
        // as the benchmark's setup does before it opens the engine (-Dgpuenergy.malloc=default leaves glibc's own)
        System.err.println("malloc: " + GlibcMalloc.fixThresholds());
        Artifact resolved = ModelResolver.resolve(model, engine);
        // -Dreopen.shape=C,H,W: another input size for the same model (a small image leaves the per-operator dispatch on
        // the host as most of a batch's time, as a launch-bound GPU batch is)
        String shape = System.getProperty("reopen.shape");
        Artifact artifact = shape == null ? resolved : new Artifact(resolved.location(), "reopen.shape", null,
                java.util.Arrays.stream(shape.split(",")).mapToLong(Long::parseLong).toArray());
        System.out.println("jvm\tsession\titeration\timg_per_s\tcpu_ms_per_batch\tminor_faults_per_batch"
                + (calibrating ? "\tchain_ms\tsweep_ms\tcpu" : ""));
        if (overlapping) {
            // every session open at once, measured in turn: one that stays slow beside fast ones is slow by its own state
            List<EngineSession> open = new ArrayList<>();
            try {
                for (int s = 1; s <= sessions; s++) {
                    open.add(engine.open(artifact, device, batch));
                }
                for (EngineSession session : open) {
                    run(session, warmup);
                }
                for (int i = 1; i <= iterations; i++) {
                    for (int s = 1; s <= sessions; s++) {
                        iteration(jvm, s, i, open.get(s - 1), batch, iterationSeconds);
                    }
                }
            } finally {
                for (EngineSession session : open) {
                    session.close();
                }
            }
            return;
        }
        for (int s = 1; s <= sessions; s++) {
            try (EngineSession session = engine.open(artifact, device, batch)) {
                run(session, warmup);
                for (int i = 1; i <= iterations; i++) {
                    iteration(jvm, s, i, session, batch, iterationSeconds);
                }
            }
        }
    }

    private static void iteration(String jvm, int s, int i, EngineSession session, int batch, double seconds) {
        String calibrated = calibrating ? calibration() : "";
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long faults0 = minorFaults();
        long cpu0 = threads.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        long n = run(session, seconds);
        long t1 = System.nanoTime();
        long cpu1 = threads.getCurrentThreadCpuTime();
        long faults1 = minorFaults();
        System.out.printf("%s\t%d\t%d\t%.2f\t%.4f\t%.2f%s%n", jvm, s, i, n * batch * 1e9 / (t1 - t0), (cpu1 - cpu0) / 1e6 / n,
                (double) (faults1 - faults0) / n, calibrating ? calibrated + "\t" + threadStat(39 - 3) : "");
    }

    private static boolean calibrating;
    private static final long[] SWEPT = new long[4 << 20]; // 32 MiB: beyond any cache of the machine
    private static double sink;

    /**
     * The machine's own pace just before an iteration, on the same thread, with nothing of the engine: a chain of
     * dependent floating-point operations (the core's speed) and a sum over 32 MiB (memory bandwidth), each the least
     * of three tries, in ms. If these move with the engine's pace from run to run, the machine's speed varies; if they
     * stay while the pace moves, the difference lies in the process.
     */
    private static String calibration() {
        double chain = Double.MAX_VALUE;
        double sweep = Double.MAX_VALUE;
        for (int k = 0; k < 3; k++) {
            long t0 = System.nanoTime();
            double x = 1;
            for (int j = 0; j < 2_000_000; j++) {
                x = x * 1.0000001 + 1e-9;
            }
            long t1 = System.nanoTime();
            long sum = 0;
            for (long v : SWEPT) {
                sum += v;
            }
            long t2 = System.nanoTime();
            sink += x + sum;
            chain = Math.min(chain, (t1 - t0) / 1e6);
            sweep = Math.min(sweep, (t2 - t1) / 1e6);
        }
        return String.format("\t%.3f\t%.3f", chain, sweep);
    }

    /** The calling thread's minor page faults so far (field 10 of /proc/thread-self/stat). */
    private static long minorFaults() {
        return Long.parseLong(threadStat(10 - 3));
    }

    /** Field {@code index + 3} of /proc/thread-self/stat: fields after the name start at field 3 (state). */
    private static String threadStat(int index) {
        try {
            String stat = Files.readString(Path.of("/proc/thread-self/stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).split(" ")[index];
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Calls the session for {@code seconds}; returns the number of batches. */
    private static long run(EngineSession session, double seconds) {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        long n = 0;
        Object sink = null;
        while (System.nanoTime() < end) {
            sink = session.runBatch();
            n++;
        }
        if (sink == null && n > 0) {
            throw new IllegalStateException("no output");
        }
        return n;
    }
}
