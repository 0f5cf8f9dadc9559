package gpuenergy.sweep;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import gpuenergy.options.SuiteSetting;
import gpuenergy.profile.DeviceSpec;
import gpuenergy.results.BadInputException;
import gpuenergy.results.IoMessage;
import gpuenergy.results.JsonLines;
import gpuenergy.results.ShardFile;
import gpuenergy.run.Failure;
import gpuenergy.run.RunHooks;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.stream.Stream;

/**
 * {@code sweep --gpus 0,1 [--shards N] --out DIR}: one sweep over several GPUs of one host. Its ladders are divided
 * into N parts as {@code --shard I/N} divides them (N: one part per GPU unless --shards says more); each part is a
 * sweep of its own in DIR/shard-I-of-N, run by a child process pinned to one GPU with CUDA_VISIBLE_DEVICES set to the
 * GPU's UUID, so that its engine, its JMH forks and its energy profiler all see that GPU, and only it, as their CUDA
 * device 0. A GPU runs one part at a time: no two benchmarks share a GPU while measuring. When a GPU's part ends it
 * takes the next part not started. DIR/gpu-runs.jsonl records which GPU ran which part, when, and how it ended;
 * DIR/shard-I-of-N.log holds the part's output. --resume resumes every part, each in its own directory.
 *
 * <p>The children run with JMH's host-wide lock off (it would keep the GPUs from measuring at once); each holds its
 * GPU's {@link GpuLock} instead while it measures.
 */
final class MultiGpuSweep {
    static final String RUNS_FILE = "gpu-runs.jsonl";

    /** What the parent decides for each part: the options the children do not get as given. */
    private static final Set<String> OWN_OPTIONS = Set.of("--gpus", "--shards", "--out");
    private static final Set<String> OWN_FLAGS = Set.of("--resume");
    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

    /** How long a part stopped by SIGTERM has to end before it is killed. */
    private static final int STOP_WAIT_SECONDS = 30;

    /**
     * One line of gpu-runs.jsonl: a part started on a GPU, or ended ({@code exit}: the process's status; {@code seconds}:
     * its wall time).
     */
    record RunLine(String time, String shard, String gpu, String gpuName, String gpuSelector, String event,
                   Integer exit, Double seconds) {
    }

    private record Running(GpuDevice gpu, int part, Process process, long startNanos) {
    }

    private final SweepOptions o;
    private final List<GpuDevice> gpus;
    private final String mainClass;
    private final PrintStream out;
    private final Path dir;
    private final int parts;
    private final Set<Process> live = ConcurrentHashMap.newKeySet();

    private MultiGpuSweep(SweepOptions o, List<GpuDevice> gpus, String mainClass, PrintStream out) {
        this.o = o;
        this.gpus = gpus;
        this.mainClass = mainClass;
        this.out = out;
        this.dir = o.out().toAbsolutePath();
        this.parts = o.shards() == 0 ? gpus.size() : o.shards();
    }

    /**
     * The GPUs of --gpus looked up, the benchmark's device checked (each part has one GPU, its CUDA device 0), then the
     * parts run; each part's process runs the hooks' main class, so that parts get the launcher's hooks.
     *
     * @return the worst of the parts' exit statuses (0, 1, 2: the sweep's own rule), 1 for a part that was killed
     */
    static int run(SweepOptions o, RunHooks hooks, PrintStream out) throws IOException, BadInputException {
        String value = SweptBenchmark.of(o).device();
        DeviceSpec device;
        try {
            device = value == null ? DeviceSpec.AUTO : DeviceSpec.parse(value);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage()); // the line each part's benchmarks would be refused with
        }
        if (device.isCpu()) {
            throw new BadInputException("--gpus: the benchmarks run on the CPU (-p device=cpu); --gpus divides a sweep "
                    + "over GPUs");
        }
        if (device.ordinal() != 0) {
            throw new BadInputException("--gpus with -p device=" + value + ": each part sees only its own GPU, as its "
                    + "device 0; give -p device=gpu, or none");
        }
        return run(o, GpuDevice.resolve(o.gpus()), hooks.mainClass() != null ? hooks.mainClass() : SweepCommand.class.getName(), out);
    }

    /**
     * @param mainClass what each part's process runs
     * @return the worst of the parts' exit statuses (0, 1, 2: the sweep's own rule), 1 for a part that was killed
     */
    static int run(SweepOptions o, List<GpuDevice> gpus, String mainClass, PrintStream out)
            throws IOException, BadInputException {
        return new MultiGpuSweep(o, gpus, mainClass, out).run();
    }

    private int run() throws IOException, BadInputException {
        prepare();
        out.printf("[sweep] %d parts on %d GPUs, one part per GPU at a time; results in %s%n", parts, gpus.size(), dir);
        Deque<Integer> pending = new ArrayDeque<>();
        for (int i = 1; i <= parts; i++) {
            pending.add(i);
        }
        Deque<GpuDevice> free = new ArrayDeque<>(gpus);
        BlockingQueue<Running> ended = new LinkedBlockingQueue<>();
        List<String> outcomes = new ArrayList<>();
        int worst = 0;
        int running = 0;
        // a parent stopped by a signal stops its parts, which --resume continues
        Thread stopParts = new Thread(() -> live.forEach(Process::destroy));
        Runtime.getRuntime().addShutdownHook(stopParts);
        try {
            while (!pending.isEmpty() || running > 0) {
                while (!pending.isEmpty() && !free.isEmpty()) {
                    Running r = start(free.poll(), pending.poll());
                    r.process().onExit().thenRun(() -> ended.add(r));
                    running++;
                }
                Running r = ended.take();
                running--;
                live.remove(r.process());
                int exit = r.process().exitValue();
                double seconds = (System.nanoTime() - r.startNanos()) / 1e9;
                log(new RunLine(Instant.now().toString(), spec(r.part()), r.gpu().uuid(), r.gpu().name(), r.gpu().selector(),
                        "end", exit, Math.round(seconds * 1000) / 1000.0));
                out.printf(Locale.ROOT, "[sweep] part %s on %s ended, exit %d after %.0f s (log %s)%n", spec(r.part()), r.gpu(),
                        exit, seconds, partLog(r.part()));
                outcomes.add(spec(r.part()) + " exit " + exit);
                worst = Math.max(worst, exit == 0 || exit == 2 ? exit : 1);
                free.add(r.gpu());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopLiveParts();
            throw new IOException("interrupted while the parts ran; they are stopped, and --resume continues them", e);
        } catch (IOException | RuntimeException e) {
            // a part left running would measure unwatched, and its GPU would take no other part: stop them all
            int stopped = stopLiveParts();
            String why = e instanceof IOException io ? IoMessage.describe(io) : String.valueOf(e.getMessage());
            throw new IOException(Failure.oneLine(why) + "; " + (stopped == 0 ? "no part was running"
                    : stopped == 1 ? "the part running is stopped" : "the " + stopped + " parts running are stopped")
                    + ", and --resume continues the sweep", e);
        } finally {
            Runtime.getRuntime().removeShutdownHook(stopParts);
        }
        out.println("[sweep] parts: " + String.join(", ", outcomes) + "; one report of them all: java -jar benchmarks.jar "
                + "report " + dir + " --out " + dir.resolve("report"));
        return worst;
    }

    /**
     * Stops every part still running and waits until it has ended (forcibly after {@link #STOP_WAIT_SECONDS}), so that
     * the sweep never returns with a part left measuring; returns how many there were.
     */
    private int stopLiveParts() {
        boolean interrupted = Thread.interrupted(); // the wait below needs the flag clear; it is set again after
        List<Process> parts = new ArrayList<>(live);
        parts.forEach(Process::destroy);
        for (Process p : parts) {
            try {
                if (!p.waitFor(STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor();
                }
            } catch (InterruptedException e) {
                interrupted = true;
                p.destroyForcibly();
            }
            live.remove(p);
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return parts.size();
    }

    /** --out new or empty, or with --resume a sweep divided into as many parts. */
    private void prepare() throws IOException, BadInputException {
        SweepDirectory.requireNewOrResumed(o, dir);
        if (Files.isDirectory(dir)) {
            Set<Integer> counts = new TreeSet<>();
            try (Stream<Path> s = Files.list(dir)) {
                s.forEach(p -> {
                    Matcher m = ShardFile.DIRECTORY.matcher(p.getFileName().toString());
                    if (m.matches()) {
                        counts.add(Integer.parseInt(m.group(2)));
                    }
                });
            }
            counts.remove(parts);
            if (!counts.isEmpty()) {
                throw new BadInputException("--out " + o.out() + " holds a sweep in " + counts.iterator().next()
                        + " parts; continue it with --shards " + counts.iterator().next() + ", or choose another --out");
            }
        }
        Files.createDirectories(dir);
    }

    private Running start(GpuDevice gpu, int part) throws IOException {
        Path partDir = dir.resolve("shard-" + part + "-of-" + parts);
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djmh.ignoreLock=true"));
        cmd.addAll(SuiteSetting.jvmArgs());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass, "sweep"));
        cmd.addAll(o.argumentsWithout(OWN_OPTIONS, OWN_FLAGS));
        cmd.addAll(List.of("--shard", spec(part), "--out", partDir.toString()));
        // a part whose directory exists has started, however early it was stopped: it continues; one without starts
        boolean resume = Files.isDirectory(partDir);
        if (resume) {
            cmd.add("--resume");
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(Redirect.appendTo(partLog(part).toFile()));
        pb.environment().put("CUDA_VISIBLE_DEVICES", gpu.uuid());
        Process p = pb.start();
        live.add(p);
        log(new RunLine(Instant.now().toString(), spec(part), gpu.uuid(), gpu.name(), gpu.selector(), "start", null, null));
        out.printf("[sweep] part %s on %s: %s%s (log %s)%n", spec(part), gpu, resume ? "resumed in " : "started in ",
                partDir, partLog(part));
        return new Running(gpu, part, p, System.nanoTime());
    }

    private String spec(int part) {
        return part + "/" + parts;
    }

    private Path partLog(int part) {
        return dir.resolve("shard-" + part + "-of-" + parts + ".log");
    }

    private void log(RunLine line) throws IOException {
        JsonLines.append(dir.resolve(RUNS_FILE), GSON.toJson(line));
    }
}
