package gpuenergy.sweep;

import gpuenergy.options.JmhOptions;
import gpuenergy.options.ParamOption;
import gpuenergy.options.Subcommand;
import gpuenergy.options.SuiteSetting;
import gpuenergy.profile.NvmlEnergyProfiler;
import gpuenergy.results.BadInputException;
import gpuenergy.results.ParamNames;
import gpuenergy.results.ShardFile;
import gpuenergy.run.RunHooks;
import joptsimple.OptionParser;
import joptsimple.OptionSet;
import joptsimple.OptionSpec;
import org.openjdk.jmh.profile.ProfilerException;
import org.openjdk.jmh.runner.options.CommandLineOptions;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The sweep's command line. Its own options are listed by {@link #help}; every other argument is a JMH
 * option (-f, -wi, -i, -w, -prof, -jvmArgs, ...) handed to each configuration's run, except the few
 * the sweep must decide itself (the measurement time, the result file, the mode and the time unit).
 *
 * @param partArguments what each part of --gpus runs with before its own --shard, --out and --resume: the sweep's
 *                      options as parsed, less --gpus, --shards, --out and --resume, then JMH's as given
 */
record SweepOptions(String benchmark, List<String> models, List<String> engines, Map<String, String> fixedParams,
                    int minBatch, int maxBatch, int minBatches, long minMillis, long stopAfterMillis, Path out, boolean resume,
                    CommandLineOptions jmh, Shard shard, List<Path> balanceFrom, List<String> gpus, int shards,
                    List<String> partArguments) {

    static final String DEFAULT_BENCHMARK = "gpuenergy.bench.InferenceBenchmark.infer";

    /**
     * --stop-after's largest value, a year: it is the deadline of the whole sweep, an allocation of days (a Slurm job's
     * --time), not one iteration's, which {@link IterationTime#MAX_SECONDS} caps.
     */
    static final int MAX_STOP_AFTER_SECONDS = 366 * 86_400;

    static final String USAGE = "usage: java -jar benchmarks.jar sweep -p model=a,b -p engine=x,y [options] [JMH options]";

    /** The sweep's own options; every argument they do not take is a JMH option. */
    private static final class CommandLine {
        final OptionParser parser = Subcommand.parser();
        final OptionSpec<String> params = parser.accepts("p", "a benchmark parameter (below)").withRequiredArg()
                .describedAs("NAME=VALUE");
        final OptionSpec<String> minBatch = parser.accepts("min-batch", "first batch size of each ladder, a power of two "
                + "(default 1)").withRequiredArg().describedAs("N");
        final OptionSpec<String> maxBatch = parser.accepts("max-batch", "largest batch size to try (default "
                + BatchLadder.DEFAULT_MAX + ")").withRequiredArg().describedAs("N");
        final OptionSpec<String> minBatches = parser.accepts("min-batches", "batches every measured iteration must hold, "
                + "at most " + IterationTime.MAX_MIN_BATCHES + " (default 13)").withRequiredArg().describedAs("N");
        final OptionSpec<String> minSeconds = parser.accepts("min-seconds", "shortest measured iteration, seconds "
                + "(default 10)").withRequiredArg().describedAs("S");
        final OptionSpec<String> stopAfter = parser.accepts("stop-after", "start no configuration predicted to end after "
                + "S seconds of this sweep; stop cleanly there (exit 0) and continue later with --resume (default: no "
                + "limit)").withRequiredArg().describedAs("S");
        final OptionSpec<String> out = parser.accepts("out", "results directory (default sweep-<date>-<time>)")
                .withRequiredArg().describedAs("DIR");
        final OptionSpec<Void> resume = parser.accepts("resume", "continue the sweep in --out DIR: skip what is done there");
        final OptionSpec<String> benchmark = parser.accepts("benchmark", "the JMH benchmark method (default "
                + DEFAULT_BENCHMARK + ")").withRequiredArg().describedAs("NAME");
        final OptionSpec<String> shard = parser.accepts("shard", "run the I-th of N parts of the (model, engine) ladders "
                + "(docs/scale-out.md)").withRequiredArg().describedAs("I/N");
        final OptionSpec<String> balanceFrom = parser.accepts("balance-from", "with --shard: an earlier sweep's directory "
                + "whose logged times balance the parts (repeatable)").withRequiredArg().describedAs("DIR");
        final OptionSpec<String> gpus = parser.accepts("gpus", "run the parts on these GPUs of this host at once, one "
                + "part per GPU at a time, each in its own process pinned to its GPU (NVML indices, UUIDs or PCI bus ids, "
                + "docs/scale-out.md)").withRequiredArg().describedAs("0,1,...");
        final OptionSpec<String> shards = parser.accepts("shards", "with --gpus: how many parts (default: one per GPU); "
                + "a GPU takes the next part when its own ends").withRequiredArg().describedAs("N");
        /** Every other option is JMH's, handed on to each configuration's run. */
        final JmhOptions jmh = JmhOptions.declareOn(parser);
    }

    /** What -h prints. */
    static String help() {
        return Subcommand.help(USAGE, new CommandLine().parser,
                "  For each model and engine: batch sizes 1, 2, 4, ... until the batch does not fit in memory",
                "  (or --max-batch), each (model, engine, batch) its own JMH run in a forked VM. Parameters:",
                "  -p model=a,b                 models (default: the benchmark's @Param values; 'catalog' = every "
                        + "catalog.csv model)",
                "  -p engine=x,y                engines (default: the benchmark's @Param values)",
                "  -p NAME=VALUE                any other benchmark parameter, one value (e.g. -p device=gpu:0; not "
                        + "batchSize: the sweep chooses it, up to --max-batch)",
                "  JMH options passed through to every run: -f, -wi, -w, -i, -prof, -jvmArgs, -v, ... (not -r, -rf, -rff, "
                        + "-o, -bm, -tu, -tg, -f 0,",
                "  -opi/-bs other than 1, -l, -lp, -lprof, -lrf, -e, -wmb, positional benchmark names (it runs its one "
                        + "--benchmark),",
                "  nor the energy profiler's gpu=)",
                SuiteSetting.helpLine(),
                "  Exit status: 0 when every configuration was measured or ended as did-not-fit, unavailable, above "
                        + "--max-batch or iteration-too-long and something was measured; 1 when one failed, nothing was",
                "  measured, or a setting, a -jvm that is no executable file, the models directory, --out or java.io.tmpdir "
                        + "stops the run;",
                "  2 bad input (docs/sweep.md).");
    }

    /**
     * The energy profiler's gpu= would measure one GPU for every configuration, whichever GPU it runs on (with --gpus,
     * each child's own): a sweep measures the GPU each configuration runs on.
     */
    private static void refuseAnotherGpu(String profiler) throws BadInputException {
        int colon = profiler.indexOf(':');
        String name = colon < 0 ? profiler : profiler.substring(0, colon);
        if (colon < 0 || !(name.equals("energy") || name.equals(NvmlEnergyProfiler.class.getName()))) {
            return;
        }
        try {
            if (NvmlEnergyProfiler.gpuOption(profiler.substring(colon + 1)) != null) {
                throw new BadInputException("-prof " + profiler + ": a sweep measures the GPU each configuration runs on"
                        + " (-p device=gpu:N, --gpus); leave gpu= out");
            }
        } catch (ProfilerException e) {
            throw new BadInputException("-prof " + profiler + ": " + e.getMessage());
        }
    }

    /** As {@link #parse(RunHooks, String...)} without the launcher's hooks: -prof's values as given. */
    static SweepOptions parse(String... args) throws BadInputException {
        return parse(RunHooks.NONE, args);
    }

    /**
     * @param hooks what passes -prof's values on to JMH (the launcher's short names)
     * @return null when help was asked for
     */
    static SweepOptions parse(RunHooks hooks, String... args) throws BadInputException {
        List<String> given = new ArrayList<>(Arrays.asList(args));
        if (!given.isEmpty() && given.get(0).equals("sweep")) {
            given.remove(0);
        }
        CommandLine line = new CommandLine();
        OptionSet set = Subcommand.parse(line.parser, USAGE, given.toArray(new String[0]));
        if (Subcommand.helpAsked(set)) {
            return null;
        }
        JmhOptions.Given jmhGiven = line.jmh.given(set);
        String listing = jmhGiven.listRefusal("the sweep");
        if (listing == null) {
            listing = jmhGiven.selectionRefusal(RUNS);
        }
        if (listing != null) {
            throw new BadInputException(listing);
        }
        for (String p : jmhGiven.values("prof")) {
            refuseAnotherGpu(p);
        }
        JmhOptions.Given jmhArgs = jmhGiven.with("prof", hooks.profilers(jmhGiven.values("prof")));

        Set<String> models = new LinkedHashSet<>();
        List<String> engines = List.of();
        Map<String, String> fixed = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> p : ParamOption.parse(Subcommand.each(set, line.params)).entrySet()) {
            String param = p.getKey();
            List<String> values = p.getValue();
            if (param.equals(ParamNames.MODEL)) {
                models.addAll(values);
            } else if (param.equals(ParamNames.ENGINE)) {
                engines = values;
            } else if (param.equals(ParamNames.BATCH_SIZE)) {
                throw new BadInputException("-p batchSize: the sweep chooses batch sizes itself (1, 2, 4, ...); limit them "
                        + "with --max-batch N");
            } else if (values.size() != 1) {
                throw new BadInputException("-p " + param + "=" + String.join(",", values) + ": the sweep takes one value for "
                        + param + " (only model and engine take lists); run one sweep per " + param);
            } else {
                fixed.put(param, values.get(0));
            }
        }
        int minBatch = Subcommand.positiveInt(Subcommand.once(set, line.minBatch), "--min-batch", 1);
        if (Integer.bitCount(minBatch) != 1) {
            // Ladders of one sweep directory must share rungs, or --resume would mix 48, 96, ... with 64, 128, ...
            throw new BadInputException("--min-batch " + minBatch + ": must be a power of two (1, 2, 4, ...), a rung of the ladder");
        }
        int maxBatch = Subcommand.positiveInt(Subcommand.once(set, line.maxBatch), "--max-batch", BatchLadder.DEFAULT_MAX);
        int minBatches = Subcommand.positiveInt(Subcommand.once(set, line.minBatches), "--min-batches", 13);
        if (minBatches > IterationTime.MAX_MIN_BATCHES) {
            throw new BadInputException("--min-batches " + minBatches + ": at most " + IterationTime.MAX_MIN_BATCHES
                    + " (each measured iteration lasts " + IterationTime.MARGIN + " x that many batch times: at a batch "
                    + "a second, more would pass the " + IterationTime.MAX_SECONDS + " s that caps --min-seconds)");
        }
        long minMillis = millis(Subcommand.once(set, line.minSeconds), "--min-seconds", 10_000, IterationTime.MAX_SECONDS);
        long stopAfterMillis = millis(Subcommand.once(set, line.stopAfter), "--stop-after", 0, MAX_STOP_AFTER_SECONDS);
        boolean resume = Subcommand.flag(set, line.resume);
        String outOption = Subcommand.once(set, line.out);
        if (resume && outOption == null) {
            throw new BadInputException("--resume needs --out DIR: the directory of the sweep to continue");
        }
        Path out = Path.of(outOption != null ? outOption
                : "sweep-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        if (minBatch > maxBatch) {
            throw new BadInputException("--min-batch " + minBatch + " is above --max-batch " + maxBatch + ": no batch size to run");
        }
        String benchmark = Subcommand.once(set, line.benchmark);
        String shardOption = Subcommand.once(set, line.shard);
        Shard shard;
        try {
            shard = shardOption == null ? null : Shard.parse(shardOption);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage());
        }
        List<String> gpus = new ArrayList<>();
        String gpuList = Subcommand.once(set, line.gpus);
        for (String g : gpuList == null ? new String[0] : gpuList.split(",", -1)) {
            if (g.isBlank()) {
                throw new BadInputException("--gpus " + gpuList + ": empty entry; give GPUs as NVML indices, UUIDs or PCI bus ids, e.g. --gpus 0,1");
            }
            gpus.add(g.strip());
        }
        java.util.regex.Matcher named = out.getFileName() == null ? null
                : ShardFile.DIRECTORY.matcher(out.getFileName().toString());
        if (named != null && named.matches()) {
            // report and compare take OUT/shard-I-of-N for part I of N: another part written there would be merged as
            // that part, counted twice, while the part its name promises is nowhere
            int i = Integer.parseInt(named.group(1));
            int n = Integer.parseInt(named.group(2));
            if (shard != null && !(i == shard.index() && n == shard.count())) {
                throw new BadInputException("--shard " + shard + " --out " + out + ": that name is part " + i + " of " + n
                        + "'s, where report and compare look for it; give --out "
                        + out.resolveSibling(ShardFile.directoryName(shard.index(), shard.count())));
            }
            // a sweep without --shard runs every ladder and records them as part 1 of 1, also in a part's directory
            // whose shard.json is gone, where its record would no longer match its name
            if (shard == null && gpus.isEmpty() && !(i == 1 && n == 1)) {
                throw new BadInputException("--out " + out + ": that name is part " + i + " of " + n + "'s, where report "
                        + "and compare look for it, and a sweep without --shard runs every ladder; "
                        + (1 <= i && i <= n ? "give --shard " + i + "/" + n + ", or another --out" : "give another --out"));
            }
        }
        // --gpus divides the sweep as --shard does: the partition keeps a list per part, so the bound is --shard's
        int shards = Subcommand.positiveInt(Subcommand.once(set, line.shards), "--shards", 0, Shard.MAX_PARTS);
        List<Path> balanceFrom = Subcommand.each(set, line.balanceFrom).stream().map(Path::of).toList();
        if (!balanceFrom.isEmpty() && !gpus.isEmpty()) {
            // the line below would ask for --shard, which --gpus refuses
            throw new BadInputException("--balance-from with --gpus: a GPU takes the next part as its own ends, rather "
                    + "than parts balanced by earlier times; give --shards N for more parts than GPUs");
        }
        if (!balanceFrom.isEmpty() && shard == null) {
            throw new BadInputException("--balance-from: it balances the parts of a sharded sweep; give --shard I/N with it");
        }
        if (!gpus.isEmpty() && shard != null) {
            throw new BadInputException("--shard with --gpus: --gpus runs every part itself; give --shards N for more parts than GPUs");
        }
        if (shards != 0 && gpus.isEmpty()) {
            throw new BadInputException("--shards: it divides the sweep over the GPUs of --gpus; one part of a sweep elsewhere is --shard I/N");
        }
        if (shards != 0 && shards < gpus.size()) {
            throw new BadInputException("--shards " + shards + " is fewer than the " + gpus.size() + " GPUs of --gpus: a GPU "
                    + "would have no part");
        }
        return new SweepOptions(benchmark == null ? DEFAULT_BENCHMARK : benchmark, List.copyOf(models), engines, fixed,
                minBatch, maxBatch, minBatches, minMillis, stopAfterMillis, out, resume, jmhOptions(jmhArgs), shard, balanceFrom,
                List.copyOf(gpus), shards, partArguments(line, set, jmhGiven));
    }

    /**
     * The sweep's options in {@code set} but those each part of --gpus is given its own of (--shard, --out, --resume,
     * --stop-after) and those that divide the sweep (--gpus, --shards), each as parsed, then JMH's as given: -prof's as
     * the user wrote them, since each part passes them on itself.
     */
    private static List<String> partArguments(CommandLine line, OptionSet set, JmhOptions.Given jmh) {
        Set<OptionSpec<?>> notInherited = Set.of(line.gpus, line.shards, line.out, line.resume, line.stopAfter);
        List<String> args = new ArrayList<>();
        for (OptionSpec<?> spec : new LinkedHashSet<>(set.specs())) {
            if (line.jmh.declares(spec) || notInherited.contains(spec)) {
                continue;
            }
            String name = spec.options().get(0);
            String option = (name.length() == 1 ? "-" : "--") + name;
            List<?> values = set.valuesOf(spec);
            if (values.isEmpty()) {
                args.add(option);
            }
            values.forEach(v -> args.addAll(List.of(option, String.valueOf(v))));
        }
        args.addAll(jmh.arguments());
        return List.copyOf(args);
    }

    /** What the sweep runs, for a refusal of an option that chooses benchmarks. */
    private static final String RUNS = "the sweep runs one benchmark, named with --benchmark (default " + DEFAULT_BENCHMARK + ")";

    private static CommandLineOptions jmhOptions(JmhOptions.Given jmhArgs) throws BadInputException {
        CommandLineOptions jmh = JmhOptions.parse(jmhArgs);
        if (!jmh.getIncludes().isEmpty()) {
            throw new BadInputException("unexpected argument '" + jmh.getIncludes().get(0) + "': " + RUNS);
        }
        if (jmh.getMeasurementTime().hasValue()) {
            throw new BadInputException("-r: the sweep sets the measurement time itself (>= --min-seconds and >= --min-batches batches)");
        }
        if (jmh.getResult().hasValue() || jmh.getResultFormat().hasValue() || jmh.getOutput().hasValue()) {
            throw new BadInputException("-rf/-rff/-o: the sweep writes DIR/<model>-<engine>-b<batch>.json (JMH JSON); choose DIR with --out");
        }
        if (!jmh.getBenchModes().isEmpty()) {
            throw new BadInputException("-bm: the sweep measures throughput (batches/s), the mode of the shared result format");
        }
        if (jmh.getTimeUnit().hasValue()) {
            throw new BadInputException("-tu: sweep scores are batches per second, the unit of the shared result format");
        }
        if (jmh.getThreadGroups().hasValue()) {
            throw new BadInputException("-tg: thread groups divide a @Group benchmark's threads among its methods, and the "
                    + "sweep's benchmark has one method; give the threads with -t");
        }
        if (jmh.getForkCount().hasValue() && jmh.getForkCount().get() == 0) {
            throw new BadInputException("-f 0: the sweep needs forks >= 1, so an out-of-memory or a crash ends only that run, not the sweep");
        }
        return jmh;
    }

    /** Milliseconds as the seconds options (--min-seconds, --stop-after) take them: 7500 -> "7.5". */
    static String seconds(long millis) {
        return BigDecimal.valueOf(millis, 3).stripTrailingZeros().toPlainString();
    }

    /** {@code s} seconds, at most {@code max}, as milliseconds; {@code dflt} when the option is not given. */
    private static long millis(String s, String option, long dflt, int max) throws BadInputException {
        if (s == null) {
            return dflt;
        }
        Double seconds = Subcommand.decimal(s);
        if (seconds != null && seconds >= 0.001 && seconds <= max) {
            return Math.round(seconds * 1000);
        }
        throw new BadInputException(option + " " + s + ": expected seconds between 0.001 and " + max + ", e.g. 10 or 0.5");
    }
}
