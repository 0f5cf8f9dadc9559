package gpuenergy.sweep;

import gpuenergy.bench.InferenceBenchmark;
import gpuenergy.engine.NotRunException;
import gpuenergy.options.SuiteSetting;
import gpuenergy.results.AtomicWrite;
import gpuenergy.results.BadInputException;
import gpuenergy.results.IoMessage;
import gpuenergy.results.NotRun;
import gpuenergy.results.NotRunList;
import gpuenergy.results.Numbers;
import gpuenergy.results.ResultFile;
import gpuenergy.results.ShardFile;
import gpuenergy.run.Failure;
import gpuenergy.run.Profilers;
import gpuenergy.run.RunHooks;


import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code java -jar benchmarks.jar sweep ...}: the paper's batch-size sweep. For each model and engine, a {@link Ladder}
 * of batch sizes 1, 2, 4, ... until the batch does not fit in memory (or --max-batch); each configuration is its own
 * forked JMH run whose measured iterations hold >= --min-batches batches and last >= --min-seconds. Every finished
 * result is on disk (atomically) before the next run starts, and the {@link SweepDirectory}'s log records every
 * outcome, so a killed sweep loses nothing and --resume continues it.
 *
 * <p>Exit status: NotRun.exitCode's rule, as in a plain run: 1 when a configuration failed (a fork whose VM did not
 * start with the sweep's options among them: the sweep stops there, a line says so) or nothing at all was measured
 * though configurations ended (each unavailable on this machine or out of memory; a line says so), and, as a
 * plain run that cannot start, when this machine stops the sweep before it runs (the models directory or --out is a
 * file, --out cannot be created) or on an I/O error; 0 otherwise (what was not measured did not fit, is unavailable
 * here or is left by --stop-after, which may stop the sweep before anything ended); 2 for a bad command line.
 */
public final class SweepCommand {
    private SweepCommand() {}

    /** The sweep subcommand; {@code args} are the arguments after "sweep" (a leading "sweep" is also accepted). */
    public static int run(String[] args) {
        return run(args, RunHooks.NONE);
    }

    /**
     * @param hooks added to each configuration's run, and applied to each finished JMH JSON result before it is
     *              published under its final name (the launcher's environment enrichment, so sweep results match
     *              plain runs)
     */
    public static int run(String[] args, RunHooks hooks) {
        try {
            SweepOptions o = SweepOptions.parse(hooks, args);
            if (o == null) {
                System.out.println(SweepOptions.help());
                return 0;
            }
            String profilerHelp = Profilers.help(o.jmh().getProfilers());
            if (profilerHelp != null) {
                System.out.print(profilerHelp.endsWith("\n") ? profilerHelp : profilerHelp + "\n");
                return 0;
            }
            String settings = SuiteSetting.refusal(o.jmh());
            if (settings != null) {
                // as a plain run: the settings the forks would get stop the sweep before it starts
                System.err.println("sweep: " + settings);
                return 1;
            }
            checkBeforeStart(o);
            return o.gpus().isEmpty() ? sweep(o, hooks, System.out) : MultiGpuSweep.run(o, hooks, System.out);
        } catch (BadInputException e) {
            System.err.println("sweep: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            System.err.println("sweep: " + Failure.oneLine(IoMessage.describe(e)));
            return 1;
        }
    }

    /**
     * What would fail every configuration, or mix two of them, refused before anything is created: a -prof that does
     * not load here, and two ladders whose results would share a file name.
     */
    /** The longest file name, in bytes, that Linux's file systems take (NAME_MAX). */
    private static final int NAME_MAX = 255;

    static void checkBeforeStart(SweepOptions o) throws BadInputException {
        String profiler = Profilers.refusal(o.jmh().getProfilers());
        if (profiler != null) {
            throw new BadInputException(profiler);
        }
        SweptBenchmark benchmark = SweptBenchmark.of(o);
        Map<String, String> byFile = new LinkedHashMap<>();
        for (String engine : benchmark.engines()) {
            for (String model : benchmark.models()) {
                if (o.benchmark().equals(SweepOptions.DEFAULT_BENCHMARK)) {
                    try {
                        // as overhead: no machine runs an engine or device it does not accept, and its ladder would
                        // fail only after the ladders before it had run
                        InferenceBenchmark.refuseUnaccepted(benchmark.runParams(new Configuration(model, engine, 1)));
                    } catch (NotRunException e) {
                        throw new BadInputException(e.getMessage());
                    }
                }
                String file = new Configuration(model, engine, 1).resultName();
                String before = byFile.putIfAbsent(file, model + " / " + engine);
                if (before != null) {
                    throw new BadInputException(before + " and " + model + " / " + engine + " have one result file name ("
                            + file.replace("-b1.json", "-b<batch>.json") + ": characters other than letters, digits and "
                            + "._+=- become _); sweep them into separate --out directories, or name one otherwise");
                }
                // the longest name a configuration's files take: past the file system's limit its run fails as it
                // starts, or measures without keeping the iterations of a run killed midway
                String longest = AtomicWrite.longestCopyName(ResultFile.unfinishedBeside(
                        Path.of(new Configuration(model, engine, o.maxBatch()).resultName())));
                int bytes = longest.getBytes(StandardCharsets.UTF_8).length;
                if (bytes > NAME_MAX) {
                    throw new BadInputException(model + " / " + engine + ": its runs' files would take names of up to "
                            + bytes + " bytes (" + longest.replaceAll("\\.\\d+-\\d+\\.partial$", ".PID-N.partial")
                            + "), over the " + NAME_MAX + " a file system takes; give the model by a shorter name or path "
                            + "(a link to its file)");
                }
            }
        }
    }

    private static int sweep(SweepOptions o, RunHooks hooks, PrintStream out) throws IOException, BadInputException {
        long startNanos = System.nanoTime();
        SweptBenchmark benchmark = SweptBenchmark.of(o);
        OnGpu gpu = new OnGpu(NotRun.gpuFor(benchmark.device(), hooks.gpuName(benchmark.device())),
                NotRun.gpuFor(benchmark.device(), hooks.gpuUuid(benchmark.device())),
                NotRun.gpuFor(benchmark.device(), hooks.gpuMigMode(benchmark.device())),
                NotRun.gpuFor(benchmark.device(), hooks.gpuMigProfile(benchmark.device())));
        List<Shard.LadderId> every = benchmark.ladders();
        ShardFile part = ShardPlan.partition(o, every, out);
        List<Shard.LadderId> ladders = ShardPlan.ladders(part);
        try (SweepDirectory directory = SweepDirectory.prepare(o, benchmark, gpu, part, out)) {
            return sweep(o, hooks, benchmark, directory, every, part, ladders, startNanos, out);
        }
    }

    private static int sweep(SweepOptions o, RunHooks hooks, SweptBenchmark benchmark, SweepDirectory directory,
                             List<Shard.LadderId> every, ShardFile part, List<Shard.LadderId> ladders, long startNanos,
                             PrintStream out) throws IOException, BadInputException {
        Sweep sweep = new Sweep(o, hooks, benchmark, directory, startNanos, out);
        Resume resume = directory.resume();
        int logLinesBefore = SweepLog.completeLines(directory.path()).size();

        int fullLadder = BatchLadder.rungsFrom(o.minBatch(), o.maxBatch());
        if (o.shard() != null) {
            out.printf("[sweep] shard %s: %d of the %d ladders (%s)%n", o.shard(), ladders.size(), every.size(),
                    ladders.isEmpty() ? "none: more parts than ladders"
                            : ShardPlan.describe(part, o.shard().index(), !o.balanceFrom().isEmpty()));
        }
        out.printf("[sweep] %s, batch sizes %d..%d doubling until out of memory; results in %s%n",
                o.shard() != null ? Numbers.count(ladders.size(), "ladder") + " of this part"
                        : Numbers.count(benchmark.models().size(), "model") + " x "
                        + Numbers.count(benchmark.engines().size(), "engine"),
                o.minBatch(), o.maxBatch(), directory.shown());
        int measuredOrDone = 0;
        List<NotRun.Kind> notRun = new ArrayList<>();
        int ladder = 0;
        boolean vmNotStarted = false;
        for (Shard.LadderId l : ladders) {
            if (sweep.stopAfter.stopped() || vmNotStarted) {
                break;
            }
            ladder++;
            Ladder.Outcome outcome = new Ladder(sweep, l.model(), l.engine(), resume)
                    .run((ladders.size() - ladder) * fullLadder);
            measuredOrDone += outcome.measured();
            Failure end = outcome.end();
            if (end != null) {
                notRun.add(end.kind());
                // every run forks with the sweep's options: each would fail alike, and --resume with them fixed runs
                // the rest, this configuration included (an error)
                vmNotStarted = end.vmNotStarted() != null;
                if (vmNotStarted) {
                    out.println("[sweep] stopping: the forked VM does not start with this sweep's options ("
                            + end.vmNotStarted() + "), and every run forks with them; fix them, and --resume continues "
                            + "here");
                }
            }
        }
        List<Summary.Row> rows = directory.summarize(ladders);
        Summary.write(directory.path(), rows);
        Summary.print(out, rows);
        boolean leftUnknown = false;
        if (sweep.stopAfter.stopped()) {
            // what --resume runs, named as the --gpus parent names what a part its --stop-after stopped left
            String who = o.shard() == null ? "the sweep" : "part " + o.shard();
            try {
                String left = LaddersLeft.line(who, o, directory.shown(), logLinesBefore, directory.gpu().model(), ladders);
                if (left != null) {
                    out.println(left);
                }
            } catch (IOException e) {
                // the sweep read its log as it started: it became unreadable since, and whether the sweep is finished
                // is not known; its results and summary stand, and it exits 1, as the --gpus parent says of a part
                out.println(LaddersLeft.unknown(who, directory.shown(), e));
                leftUnknown = true;
            }
        }
        Path notRunFile = directory.path().resolve(NotRunList.SWEEP_FILE);
        out.println("[sweep] summary: " + directory.shown().resolve(Summary.FILE)
                + (Files.exists(notRunFile) ? "; not run: " + directory.shown(notRunFile) : "")
                + (Files.exists(directory.logFile()) ? "; log: " + directory.shown(directory.logFile()) : ""));
        if (ladders.isEmpty()) {
            return 0; // a part of a sweep with fewer ladders than parts: nothing asked of it, nothing failed
        }
        // the plain run's rule; a sweep that --stop-after stopped before its first result lists nothing, and exits 0
        int exit = NotRun.exitCode(measuredOrDone, notRun);
        if (exit != 0 && measuredOrDone == 0 && !vmNotStarted) {
            System.err.println("sweep: nothing was measured (not run: " + tally(notRun) + "); exit 1");
        }
        return leftUnknown ? Math.max(exit, 1) : exit;
    }

    /** "2 unavailable, 1 error": how many of each kind, in the order first met. */
    private static String tally(List<NotRun.Kind> kinds) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        kinds.forEach(k -> counts.merge(k.label(), 1, Integer::sum));
        return counts.entrySet().stream().map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", "));
    }
}
