package gpuenergy.sweep;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import gpuenergy.options.ShellWord;
import gpuenergy.options.SuiteSetting;
import gpuenergy.profile.DeviceSpec;
import gpuenergy.profile.EnvironmentKeys;
import gpuenergy.results.GpuModel;
import gpuenergy.results.BadInputException;
import gpuenergy.results.IoMessage;
import gpuenergy.results.JsonLines;
import gpuenergy.results.ShardFile;
import gpuenergy.results.SweepResults;
import gpuenergy.run.DirectoryLock;
import gpuenergy.run.Failure;
import gpuenergy.run.RunHooks;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * {@code sweep --gpus 0,1 [--shards N] --out DIR}: one sweep over several GPUs of one host. Its ladders are divided
 * into N parts as {@code --shard I/N} divides them (N: one part per GPU unless --shards says more); each part is a
 * sweep of its own in DIR/shard-I-of-N, run by a child process pinned to one GPU with CUDA_VISIBLE_DEVICES set to the
 * GPU's UUID, so that its engine, its JMH forks and its energy profiler all see that GPU, and only it, as their CUDA
 * device 0. A GPU runs one part at a time: no two benchmarks share a GPU while measuring. When a GPU's part ends it
 * takes the next part not started. DIR/gpu-runs.jsonl records which GPU ran which part, when, and how it ended;
 * DIR/shard-I-of-N.log holds the part's output. --resume resumes every part, each in its own directory. The parent
 * holds DIR's lock, as a sweep holds its directory's, while it runs: one sweep at a time in DIR.
 *
 * <p>The children run with JMH's host-wide lock off (it would keep the GPUs from measuring at once); each holds its
 * GPU's {@link GpuLock} instead while it measures.
 */
final class MultiGpuSweep {
    static final String RUNS_FILE = "gpu-runs.jsonl";

    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

    /** How long a stopped part's processes have to end after SIGTERM before they get SIGKILL. */
    private static final int STOP_WAIT_SECONDS = 30;
    /** How long they have to end after SIGKILL before the sweep gives up on them and names them. */
    private static final int KILL_WAIT_SECONDS = 10;
    private static final long POLL_MILLIS = 100;
    /** How long a signal's stop waits, once the parts have ended, for the parent to log their ends and what is left. */
    private static final int REPORT_WAIT_SECONDS = 10;

    /**
     * One line of gpu-runs.jsonl: a part started on a GPU, or ended ({@code exit}: the process's status; {@code seconds}:
     * its wall time).
     */
    record RunLine(String time, String shard, String gpu, String gpuName, String gpuSelector, String event,
                   Integer exit, Double seconds) {
    }

    private record Running(GpuDevice gpu, int part, Process process, long startNanos, Records before) {
    }

    /**
     * What a part's directory holds of the records its sweep writes, as the part starts, so that what the part writes
     * is told from what was there once it ends ({@link #ended}).
     *
     * @param logLines sweep.jsonl's complete lines
     * @param summary  summary.csv's identity (file key and modification time), which every sweep that runs through
     *                 (to its end, its --stop-after or a fork that does not start) replaces as it ends; null where none
     */
    private record Records(int logLines, List<Object> summary) {
        static Records of(Path partDir) {
            return new Records(SweepLog.completeLines(partDir).size(), MultiGpuSweep.summaryIdentity(partDir));
        }
    }

    /**
     * How a part ended.
     *
     * @param finished     its sweep ran through its ladders (exit 0, or 1 where a configuration failed): a report of all
     *                     parts holds what it measured, and --resume has nothing of it to continue
     * @param note         what its exit status alone does not say, for the last line; "" where it says it all
     * @param vmNotStarted HotSpot's line where the part stopped at a fork whose VM does not start; null otherwise
     */
    private record End(boolean finished, String note, String vmNotStarted) {
    }

    private final SweepOptions o;
    private final List<GpuDevice> gpus;
    private final String mainClass;
    private final PrintStream out;
    /** --out, absolute, which the parent holds; its lines, and each part's --out, name --out as given. */
    private final Path dir;
    private final int parts;
    /** When the sweep started: --stop-after counts from here for every part, the last started included. */
    private final long startNanos;
    /** The parts running; its monitor also guards {@link #stopping}, so that no part starts once they are stopped. */
    private final Set<Process> live = ConcurrentHashMap.newKeySet();
    private boolean stopping;

    /**
     * What stopping the parts did.
     *
     * @param parts the parts that were running
     * @param left  processes of theirs still alive after SIGKILL (none but in an uninterruptible wait)
     */
    private record Stopped(int parts, List<Long> left) {
    }

    private MultiGpuSweep(SweepOptions o, List<GpuDevice> gpus, String mainClass, PrintStream out, long startNanos) {
        this.o = o;
        this.gpus = gpus;
        this.mainClass = mainClass;
        this.out = out;
        this.dir = o.out().toAbsolutePath();
        this.parts = o.shards() == 0 ? gpus.size() : o.shards();
        this.startNanos = startNanos;
    }

    /**
     * The GPUs of --gpus looked up, the benchmark's device checked (each part has one GPU, its CUDA device 0), then the
     * parts run; each part's process runs the hooks' main class, so that parts get the launcher's hooks.
     *
     * @return the worst of the parts' exit statuses (0, 1, 2: the sweep's own rule), 1 for a part that was killed
     */
    static int run(SweepOptions o, RunHooks hooks, PrintStream out) throws IOException, BadInputException {
        long startNanos = System.nanoTime(); // as a sweep on one GPU, before the GPUs' look-up
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
        return run(o, GpuDevice.resolve(o.gpus()), hooks.mainClass() != null ? hooks.mainClass() : SweepCommand.class.getName(), out,
                startNanos);
    }

    /**
     * @param mainClass  what each part's process runs
     * @param startNanos when the sweep started (System.nanoTime): --stop-after counts from there
     * @return the worst of the parts' exit statuses (0, 1, 2: the sweep's own rule), 1 for a part that was killed
     */
    static int run(SweepOptions o, List<GpuDevice> gpus, String mainClass, PrintStream out, long startNanos)
            throws IOException, BadInputException {
        return new MultiGpuSweep(o, gpus, mainClass, out, startNanos).run();
    }

    private int run() throws IOException, BadInputException {
        // each part's ladders, as each part divides them: --gpus takes no --balance-from, so no times weigh them
        List<List<Shard.LadderId>> partition = Shard.partition(SweptBenchmark.of(o).ladders(), Map.of(), parts);
        try (DirectoryLock held = prepare()) {
            return runParts(partition);
        }
    }

    private int runParts(List<List<Shard.LadderId>> partition) throws IOException {
        out.printf("[sweep] %d parts on %d GPUs, one part per GPU at a time; results in %s%n", parts, gpus.size(), o.out());
        Deque<Integer> pending = new ArrayDeque<>();
        for (int i = 1; i <= parts; i++) {
            pending.add(i);
        }
        Deque<GpuDevice> free = new ArrayDeque<>(gpus);
        BlockingQueue<Running> ended = new LinkedBlockingQueue<>();
        List<String> outcomes = new ArrayList<>();
        // the parts --resume has to continue: those never started, and those killed (by a signal to them or to this
        // parent) before their sweep ended
        List<Integer> notStarted = new ArrayList<>();
        List<Integer> unfinished = new ArrayList<>();
        int worst = 0;
        int running = 0;
        boolean forksDoNotStart = false;
        CountDownLatch reported = new CountDownLatch(1);
        // a parent stopped by a signal stops its parts, which --resume continues; the VM ends as the hook returns, so it
        // waits for the loop to log the parts' ends and print what is left
        Thread stopParts = new Thread(() -> {
            stopLiveParts();
            try {
                reported.await(REPORT_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // the VM is ending: nothing waits on this thread
            }
        });
        Runtime.getRuntime().addShutdownHook(stopParts);
        try {
            while (!pending.isEmpty() || running > 0) {
                while (!pending.isEmpty() && !free.isEmpty()) {
                    if (o.stopAfterMillis() > 0 && stopAfterLeftMillis() <= 0) {
                        out.printf("[sweep] --stop-after %s s has passed: part%s %s not started; --resume starts %s%n",
                                SweepOptions.seconds(o.stopAfterMillis()), pending.size() == 1 ? "" : "s",
                                pending.stream().map(this::spec).collect(Collectors.joining(", ")),
                                pending.size() == 1 ? "it" : "them");
                        notStarted.addAll(pending);
                        pending.clear();
                        break;
                    }
                    int part = pending.poll();
                    Running r = start(free.poll(), part);
                    if (r == null) {
                        // the parts are being stopped: the parent is exiting
                        notStarted.add(part);
                        notStarted.addAll(pending);
                        pending.clear();
                        break;
                    }
                    r.process().onExit().thenRun(() -> ended.add(r));
                    running++;
                }
                if (running == 0) {
                    break; // nothing runs and nothing starts (--stop-after passed, or the parts are being stopped)
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
                End end = ended(r, exit);
                boolean unreadable = false;
                List<Shard.LadderId> ladders = partition.get(r.part() - 1);
                if (exit != 0 && exit != 1 && exit != 2) {
                    out.println(killed(r, exit, ladders));
                } else if (end.finished() && o.stopAfterMillis() > 0) {
                    try {
                        String stopped = LaddersLeft.line("part " + spec(r.part()), o, partDir(r.part()),
                                r.before().logLines(), partModel(r), ladders);
                        if (stopped != null) {
                            out.println(stopped);
                            end = new End(false, " (stopped by its --stop-after)", null);
                        }
                    } catch (IOException e) {
                        // its sweep read its log as it started: it became unreadable since, and whether the part left
                        // ladders is not known; --resume, which reads it, says why it cannot continue the part
                        out.println(LaddersLeft.unknown("part " + spec(r.part()), partDir(r.part()), e));
                        end = new End(false, " (its log cannot be read)", null);
                        unreadable = true;
                    }
                }
                outcomes.add(spec(r.part()) + " exit " + exit + end.note());
                if (!end.finished()) {
                    unfinished.add(r.part());
                }
                if (end.vmNotStarted() != null && !forksDoNotStart) {
                    // every part forks with the sweep's options: each would stop alike at its first fork
                    forksDoNotStart = true;
                    out.println("[sweep] stopping: the forked VM of part " + spec(r.part()) + " does not start with this "
                            + "sweep's options (" + end.vmNotStarted() + "), and every part forks with them"
                            + (pending.isEmpty() ? "" : ": " + (pending.size() == 1 ? "part " : "parts ")
                            + pending.stream().map(this::spec).collect(Collectors.joining(", ")) + " not started")
                            + "; fix them, and --resume continues");
                    notStarted.addAll(pending);
                    pending.clear();
                }
                worst = Math.max(worst, unreadable ? 1 : exit == 0 || exit == 2 ? exit : 1);
                free.add(r.gpu());
            }
            for (int p : notStarted) {
                // a part with no ladder (more parts than ladders) holds nothing, and report takes none missing for it
                boolean none = partition.get(p - 1).isEmpty();
                outcomes.add(spec(p) + " not started" + (none ? " (no ladder)" : ""));
                if (!none) {
                    unfinished.add(p);
                }
            }
            out.println("[sweep] parts: " + String.join(", ", outcomes) + (unfinished.isEmpty()
                    ? "; one report of them all: java -jar benchmarks.jar report " + o.out() + " --out " + o.out().resolve("report")
                    : "; not finished: " + unfinished.stream().sorted().map(this::spec).collect(Collectors.joining(", "))
                    + "; continue " + (unfinished.size() == 1 ? "it" : "them") + " with " + resumeCommand()));
            return worst;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            Stopped stopped = stopLiveParts();
            throw new IOException("interrupted while the parts ran; they are stopped" + left(stopped)
                    + ", and --resume continues them", e);
        } catch (IOException | RuntimeException e) {
            // a part left running would measure unwatched, and its GPU would take no other part: stop them all
            Stopped stopped = stopLiveParts();
            String why = e instanceof IOException io ? IoMessage.describe(io) : String.valueOf(e.getMessage());
            throw new IOException(Failure.oneLine(why) + "; " + (stopped.parts() == 0 ? "no part was running"
                    : stopped.parts() == 1 ? "the part running is stopped"
                    : "the " + stopped.parts() + " parts running are stopped") + left(stopped)
                    + ", and --resume continues the sweep", e);
        } finally {
            reported.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(stopParts);
            } catch (IllegalStateException shuttingDown) {
                // a signal stops the sweep: the hook is stopping the parts, and the VM ends once it has
            }
        }
    }

    /**
     * How part {@code r} ended, from its exit status and what its sweep wrote in its directory since it started: a
     * sweep's own status (0, 1, 2) does not say whether the part ran through its ladders. 2 is a refusal, which measures
     * nothing. 1 is a failed configuration where the sweep ran through, as its summary, written as it ends, says; one
     * that stopped at a fork whose VM does not start says so in the last line of its log, that fork's; without a summary
     * written, the sweep did not run (its directory in use, an I/O error) or stopped midway, saying why in its output.
     * Any other status is a part killed before its sweep ended.
     */
    private End ended(Running r, int exit) {
        Path partDir = partDir(r.part());
        if (exit == 2) {
            return new End(false, " (refused)", null);
        }
        if (exit != 0 && exit != 1) {
            return new End(false, "", null);
        }
        if (exit == 1) {
            List<String> log = SweepLog.completeLines(partDir);
            if (log.size() > r.before().logLines()) {
                String vm;
                try {
                    vm = Failure.vmNotStartedIn(SweepLog.parse(log.get(log.size() - 1)).reason());
                } catch (RuntimeException e) {
                    vm = null; // a line that is no log entry: the part says what is wrong with its log
                }
                if (vm != null) {
                    return new End(false, " (its forked VM does not start)", vm);
                }
            }
            List<Object> summary = summaryIdentity(partDir);
            if (summary == null || summary.equals(r.before().summary())) {
                return new End(false, " (did not run to its end)", null);
            }
        }
        return new End(true, "", null);
    }

    /**
     * The line for part {@code r} ended by a signal (or a crash of its VM) before its sweep did: the sweep wrote no
     * outcome for the rung it was running nor a summary, so this names, for each of its {@code ladders} left, the first
     * rung that --resume runs ({@link #left}), from what its directory holds; what it measured stays there.
     */
    private String killed(Running r, int exit, List<Shard.LadderId> ladders) {
        boolean stopped;
        synchronized (live) {
            stopped = stopping;
        }
        String signal = Failure.signalled(exit);
        String how = stopped ? " was stopped (exit code " + exit + ")"
                : " ended with exit code " + exit + (signal == null ? "" : " (" + signal + ")") + " before its sweep did";
        String left;
        try {
            String model = partModel(r);
            List<LaddersLeft> rungs = LaddersLeft.of(o, partDir(r.part()), r.before().logLines(), model, ladders);
            left = (rungs.isEmpty() ? "none (its summary is not written)"
                    : rungs.stream().map(LaddersLeft::toString).collect(Collectors.joining(", ")))
                    + (GpuModel.isUnknownInstance(model) ? " (its GPU model is " + model + ": it logged no "
                    + "line on an instance of its board, whose profile only its sweep learns, so no did-not-fit ends a "
                    + "ladder here)" : "");
        } catch (IOException e) {
            left = "not known (" + Failure.oneLine(IoMessage.describe(e)) + ")";
        }
        return "[sweep] part " + spec(r.part()) + how + "; left to run: " + left + "; what it measured stays in "
                + partDir(r.part()) + ", and --resume continues it";
    }

    /**
     * The GPU model part {@code r} measured ({@link OnGpu#model}): its board's, as NVML names it, where the board is not
     * split into MIG instances; on a split board the model of the part's latest line on an instance of the board (its
     * profile, which only the part's process can ask CUDA for), "NAME MIG instance unknown" where no line records one
     * ({@link GpuDevice#model}).
     */
    private String partModel(Running r) throws IOException {
        String model = r.gpu().model();
        if (!EnvironmentKeys.GPU_MIG_ENABLED.equals(r.gpu().migMode())) {
            return model;
        }
        for (SweepLog.Entry e : SweepLog.read(partDir(r.part()), new PrintStream(OutputStream.nullOutputStream()))) {
            if (r.gpu().uuid().equals(e.gpuUuid()) && EnvironmentKeys.GPU_MIG_ENABLED.equals(e.gpuMigMode())) {
                model = e.onGpu().model();
            }
        }
        return model;
    }

    /** Part {@code part}'s directory under --out as given: the lines name it, and its sweep takes it as its --out. */
    private Path partDir(int part) {
        return o.out().resolve(ShardFile.directoryName(part, parts));
    }

    /**
     * A part's summary.csv as one file written once: its file key and modification time (a new summary is a new file,
     * {@link gpuenergy.results.AtomicWrite}); null where it has none.
     */
    private static List<Object> summaryIdentity(Path partDir) {
        try {
            BasicFileAttributes a = Files.readAttributes(partDir.resolve(Summary.FILE), BasicFileAttributes.class);
            return Arrays.asList(a.fileKey(), a.lastModifiedTime());
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * The command that continues this sweep, every part in its own directory: this one's with --resume, less
     * --stop-after, whose time was this run's, and with the suite's settings this VM was given, as each part is: a part
     * resumed without them is refused, its ladders measured with them.
     */
    private String resumeCommand() {
        List<String> cmd = new ArrayList<>(List.of("java"));
        cmd.addAll(SuiteSetting.jvmArgs());
        cmd.addAll(List.of("-jar", "benchmarks.jar", "sweep", "--gpus", String.join(",", o.gpus())));
        if (o.shards() != 0) {
            cmd.addAll(List.of("--shards", String.valueOf(o.shards())));
        }
        cmd.addAll(List.of("--out", o.out().toString(), "--resume"));
        cmd.addAll(o.partArguments());
        return cmd.stream().map(ShellWord::of).collect(Collectors.joining(" "));
    }

    /**
     * Stops every part still running, with every process it started, and waits until all have ended (SIGTERM, then
     * SIGKILL after {@link #STOP_WAIT_SECONDS}), so that nothing of a stopped part keeps running: a part's JMH fork, and a
     * TensorRT engine build under it, outlive the part's SIGTERM (re-parented, the fork runs to the end of its iteration),
     * and without the part's GPU lock a --resume would measure beside them on the same GPU. A part's processes are
     * looked up while it lives (once it has ended they are no longer its descendants), again at each poll, so that a
     * fork the part starts as it is stopped is stopped too. No part starts once this has begun.
     */
    private Stopped stopLiveParts() {
        boolean interrupted = Thread.interrupted(); // the waits below need the flag clear; it is set again after
        List<Process> parts;
        synchronized (live) {
            stopping = true;
            parts = new ArrayList<>(live);
        }
        Set<ProcessHandle> all = new LinkedHashSet<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(STOP_WAIT_SECONDS);
        boolean forced = false;
        while (true) {
            List<ProcessHandle> found = new ArrayList<>();
            for (Process p : parts) {
                if (p.isAlive()) {
                    p.descendants().forEach(found::add);
                }
                found.add(p.toHandle());
            }
            for (ProcessHandle h : found) {
                if (all.add(h)) {
                    if (forced) {
                        h.destroyForcibly();
                    } else {
                        h.destroy();
                    }
                }
            }
            List<ProcessHandle> alive = all.stream().filter(ProcessHandle::isAlive).toList();
            if (alive.isEmpty()) {
                break;
            }
            long now = System.nanoTime();
            if (now - deadline >= 0) {
                if (forced) {
                    break; // still alive after SIGKILL: named in the caller's line
                }
                forced = true;
                alive.forEach(ProcessHandle::destroyForcibly);
                deadline = now + TimeUnit.SECONDS.toNanos(KILL_WAIT_SECONDS);
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                interrupted = true; // the stop goes on: a part left running is what this prevents
            }
        }
        parts.forEach(live::remove);
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return new Stopped(parts.size(), all.stream().filter(ProcessHandle::isAlive).map(ProcessHandle::pid).toList());
    }

    /** The processes a stop left alive, for the line that says the parts are stopped. */
    private static String left(Stopped stopped) {
        return stopped.left().isEmpty() ? "" : " (but process " + stopped.left().stream().map(String::valueOf)
                .collect(Collectors.joining(", ")) + " still runs after SIGKILL: end it before --resume)";
    }

    /**
     * --out new or empty, or with --resume a sweep divided into as many parts (and no sweep of its own at its top, nor a
     * symbolic link in a part's directory at a name its sweep renames a file over or removes, or at its lock), held ({@link
     * DirectoryLock}, as a sweep holds its own) until the parts have ended: a second --gpus run of the same --out would
     * start the parts the first has not started yet beside it, and be refused a part the first runs only as that part
     * starts.
     */
    private DirectoryLock prepare() throws IOException, BadInputException {
        return SweepDirectory.holdOut(o, dir, out, this::check);
    }

    private void check() throws IOException, BadInputException {
        SweepDirectory.requireNewOrResumed(o, dir);
        if (Files.isDirectory(dir)) {
            Set<Integer> counts = new TreeSet<>(SweepResults.partCounts(dir));
            counts.remove(parts);
            if (!counts.isEmpty()) {
                throw new BadInputException("--out " + o.out() + " holds a sweep in " + counts.iterator().next()
                        + " parts; continue it with --shards " + counts.iterator().next() + ", or choose another --out");
            }
            // a part's sweep refuses a symbolic link in its directory only as the part starts, once other parts have
            // measured: the parent refuses it before any part starts, as a sweep refuses one before it runs
            SweptBenchmark benchmark = SweptBenchmark.of(o);
            for (int part = 1; part <= parts; part++) {
                SweepDirectory.refuseLinks(o, partDir(part), benchmark);
                DirectoryLock.refuseLink(partDir(part), o.out(), "sweep");
            }
        }
    }

    /** The part started on {@code gpu}; null when the parts are being stopped. */
    private Running start(GpuDevice gpu, int part) throws IOException {
        Path partDir = partDir(part);
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djmh.ignoreLock=true"));
        cmd.addAll(SuiteSetting.jvmArgs());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass, "sweep"));
        // a part whose directory exists has started, however early it was stopped: it continues; one without starts
        boolean resume = Files.isDirectory(partDir);
        cmd.addAll(sweepArguments(o, spec(part), partDir, resume, stopAfterLeftMillis()));
        Records before = Records.of(partDir);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(Redirect.appendTo(partLog(part).toFile()));
        pb.environment().put("CUDA_VISIBLE_DEVICES", gpu.uuid());
        Process p;
        synchronized (live) {
            if (stopping) {
                return null;
            }
            p = pb.start();
            live.add(p);
        }
        log(new RunLine(Instant.now().toString(), spec(part), gpu.uuid(), gpu.name(), gpu.selector(), "start", null, null));
        out.printf("[sweep] part %s on %s: %s%s (log %s)%n", spec(part), gpu, resume ? "resumed in " : "started in ",
                partDir, partLog(part));
        return new Running(gpu, part, p, System.nanoTime(), before);
    }

    /**
     * The arguments after "sweep" of the part {@code shard} ("I/N"), written in {@code partDir}: its own --shard, --out,
     * for one started before --resume, and with --stop-after the time the sweep has left, first (JMH's options end the
     * sweep's), then the sweep's, less what the parent decides for each part.
     *
     * @param stopAfterLeftMillis the sweep's --stop-after less the time since it started (a part started when another
     *                            has ended gets what is left, not the whole); unused without --stop-after
     */
    static List<String> sweepArguments(SweepOptions o, String shard, Path partDir, boolean resume, long stopAfterLeftMillis) {
        List<String> args = new ArrayList<>(List.of("--shard", shard, "--out", partDir.toString()));
        if (resume) {
            args.add("--resume");
        }
        if (o.stopAfterMillis() > 0) {
            args.addAll(List.of("--stop-after", SweepOptions.seconds(Math.max(1, stopAfterLeftMillis))));
        }
        args.addAll(o.partArguments());
        return args;
    }

    private long stopAfterLeftMillis() {
        return o.stopAfterMillis() - (System.nanoTime() - startNanos) / 1_000_000;
    }

    private String spec(int part) {
        return part + "/" + parts;
    }

    private Path partLog(int part) {
        return o.out().resolve(ShardFile.directoryName(part, parts) + ".log");
    }

    private void log(RunLine line) throws IOException {
        JsonLines.append(dir.resolve(RUNS_FILE), GSON.toJson(line));
    }
}
