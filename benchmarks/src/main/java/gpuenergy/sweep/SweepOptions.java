package gpuenergy.sweep;

import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sweep's command line. Its own options are listed in {@link #USAGE}; every other argument is a JMH
 * option (-f, -wi, -i, -w, -prof, -jvmArgs, ...) handed to each configuration's run, except the few
 * the sweep must decide itself (the measurement time, the result file, the mode and the time unit).
 */
record SweepOptions(String benchmark, List<String> models, List<String> engines, Map<String, String> fixedParams,
                    int minBatch, int maxBatch, int minBatches, long minMillis, long stopAfterMillis, Path out, boolean resume,
                    CommandLineOptions jmh, Shard shard, List<Path> balanceFrom) {

    static final String DEFAULT_BENCHMARK = "gpuenergy.bench.InferenceBenchmark.infer";
    static final String MODEL = "model";
    static final String ENGINE = "engine";
    static final String BATCH = "batchSize";

    static final String USAGE = String.join("\n",
            "usage: java -jar benchmarks.jar sweep -p model=a,b -p engine=x,y [options] [JMH options]",
            "  For each model and engine: batch sizes 1, 2, 4, ... until the batch does not fit in memory",
            "  (or --max-batch), each (model, engine, batch) its own JMH run in a forked VM.",
            "  -p model=a,b          models (default: the benchmark's @Param values; 'catalog' = every catalog.csv model)",
            "  -p engine=x,y         engines (default: the benchmark's @Param values)",
            "  -p NAME=VALUE         any other benchmark parameter, one value (e.g. -p device=gpu:0)",
            "  --min-batch N         first batch size of each ladder, a power of two (default 1)",
            "  --max-batch N         largest batch size to try (default " + BatchLadder.DEFAULT_MAX + ")",
            "  --min-batches N       batches every measured iteration must hold (default 13)",
            "  --min-seconds S       shortest measured iteration, seconds (default 10)",
            "  --stop-after S        start no configuration predicted to end after S seconds of this sweep;",
            "                        stop cleanly there (exit 0) and continue later with --resume (default: no limit)",
            "  --out DIR             results directory (default sweep-<date>-<time>)",
            "  --resume              continue the sweep in --out DIR: skip what is done there",
            "  --benchmark NAME      the JMH benchmark method (default " + DEFAULT_BENCHMARK + ")",
            "  --shard I/N           run the I-th of N parts of the (model, engine) ladders (docs/scale-out.md)",
            "  --balance-from DIR    with --shard: earlier sweep directories whose logged times balance the parts (repeatable)",
            "  JMH options passed through to every run: -f, -wi, -w, -i, -prof, -jvmArgs, -v, ... (not -r, -rf, -rff, -o, -bm, -tu)");

    /** A bad command line: {@link #getMessage()} is the one line to print. */
    static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;

        Invalid(String line) {
            super(line);
        }
    }

    /** @return null when help was asked for */
    static SweepOptions parse(String... args) throws Invalid {
        String benchmark = DEFAULT_BENCHMARK;
        List<String> models = new ArrayList<>();
        List<String> engines = new ArrayList<>();
        Map<String, String> fixed = new LinkedHashMap<>();
        int minBatch = 1;
        int maxBatch = BatchLadder.DEFAULT_MAX;
        int minBatches = 13;
        long minMillis = 10_000;
        long stopAfterMillis = 0; // no limit
        Path out = null;
        boolean resume = false;
        Shard shard = null;
        List<Path> balanceFrom = new ArrayList<>();
        List<String> jmhArgs = new ArrayList<>();

        List<String> rest = new ArrayList<>(Arrays.asList(args));
        if (!rest.isEmpty() && rest.get(0).equals("sweep")) {
            rest.remove(0);
        }
        for (int i = 0; i < rest.size(); i++) {
            String arg = rest.get(i);
            String name = arg.contains("=") && arg.startsWith("--") ? arg.substring(0, arg.indexOf('=')) : arg;
            String inline = name.equals(arg) ? null : arg.substring(arg.indexOf('=') + 1);
            switch (name) {
                case "-h":
                case "--help":
                    return null;
                case "--resume":
                    resume = true;
                    break;
                case "-p": {
                    String kv = value(rest, ++i, "-p");
                    int eq = kv.indexOf('=');
                    if (eq <= 0) {
                        throw new Invalid("-p " + kv + ": expected NAME=VALUE[,VALUE...], e.g. -p model=resnet50,efficientnet_b0");
                    }
                    String param = kv.substring(0, eq);
                    List<String> values = new ArrayList<>();
                    for (String v : kv.substring(eq + 1).split(",", -1)) {
                        if (v.isBlank()) {
                            throw new Invalid("-p " + kv + ": empty value; give NAME=VALUE[,VALUE...]");
                        }
                        values.add(v.strip());
                    }
                    if (param.equals(MODEL)) {
                        models.addAll(values.equals(List.of("catalog")) ? catalogNames() : values);
                    } else if (param.equals(ENGINE)) {
                        engines.addAll(values);
                    } else if (param.equals(BATCH)) {
                        throw new Invalid("-p batchSize: the sweep chooses batch sizes itself (1, 2, 4, ...); limit them with --max-batch N");
                    } else if (values.size() != 1) {
                        throw new Invalid("-p " + kv + ": the sweep takes one value for " + param
                                + " (only model and engine take lists); run one sweep per " + param);
                    } else {
                        fixed.put(param, values.get(0));
                    }
                    break;
                }
                case "--min-batch":
                    minBatch = positiveInt(inline != null ? inline : value(rest, ++i, name), name);
                    if (Integer.bitCount(minBatch) != 1) {
                        // Ladders of one sweep directory must share rungs, or --resume would mix 48, 96, ... with 64, 128, ...
                        throw new Invalid("--min-batch " + minBatch + ": must be a power of two (1, 2, 4, ...), a rung of the ladder");
                    }
                    break;
                case "--max-batch":
                    maxBatch = positiveInt(inline != null ? inline : value(rest, ++i, name), name);
                    break;
                case "--min-batches":
                    minBatches = positiveInt(inline != null ? inline : value(rest, ++i, name), name);
                    break;
                case "--min-seconds":
                    minMillis = millis(inline != null ? inline : value(rest, ++i, name), name);
                    break;
                case "--stop-after":
                    stopAfterMillis = millis(inline != null ? inline : value(rest, ++i, name), name);
                    break;
                case "--out":
                    out = Path.of(inline != null ? inline : value(rest, ++i, name));
                    break;
                case "--benchmark":
                    benchmark = inline != null ? inline : value(rest, ++i, name);
                    break;
                case "--shard":
                    try {
                        shard = Shard.parse(inline != null ? inline : value(rest, ++i, name));
                    } catch (IllegalArgumentException e) {
                        throw new Invalid(e.getMessage());
                    }
                    break;
                case "--balance-from":
                    balanceFrom.add(Path.of(inline != null ? inline : value(rest, ++i, name)));
                    break;
                default:
                    if (arg.startsWith("--")) {
                        throw new Invalid("unknown option " + arg + "; sweep options: -p, --min-batch, --max-batch, --min-batches, "
                                + "--min-seconds, --stop-after, --out, --resume, --benchmark, --shard, --balance-from (and JMH's single-dash options)");
                    }
                    jmhArgs.add(arg);
            }
        }
        if (resume && out == null) {
            throw new Invalid("--resume needs --out DIR: the directory of the sweep to continue");
        }
        if (!balanceFrom.isEmpty() && shard == null) {
            throw new Invalid("--balance-from: it balances the parts of a sharded sweep; give --shard I/N with it");
        }
        if (out == null) {
            out = Path.of("sweep-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        }
        if (minBatch > maxBatch) {
            throw new Invalid("--min-batch " + minBatch + " is above --max-batch " + maxBatch + ": no batch size to run");
        }
        return new SweepOptions(benchmark, dedupe(models), dedupe(engines), fixed, minBatch, maxBatch, minBatches, minMillis,
                stopAfterMillis, out, resume, jmhOptions(jmhArgs), shard, List.copyOf(balanceFrom));
    }

    private static CommandLineOptions jmhOptions(List<String> jmhArgs) throws Invalid {
        CommandLineOptions jmh;
        try {
            jmh = new CommandLineOptions(jmhArgs.toArray(new String[0]));
        } catch (CommandLineOptionException e) {
            throw new Invalid("JMH option: " + Failure.oneLine(e.getMessage()));
        }
        if (!jmh.getIncludes().isEmpty()) {
            throw new Invalid("unexpected argument '" + jmh.getIncludes().get(0)
                    + "': the sweep runs one benchmark, named with --benchmark (default " + DEFAULT_BENCHMARK + ")");
        }
        if (jmh.getMeasurementTime().hasValue()) {
            throw new Invalid("-r: the sweep sets the measurement time itself (>= --min-seconds and >= --min-batches batches)");
        }
        if (jmh.getResult().hasValue() || jmh.getResultFormat().hasValue() || jmh.getOutput().hasValue()) {
            throw new Invalid("-rf/-rff/-o: the sweep writes DIR/<model>-<engine>-b<batch>.json (JMH JSON); choose DIR with --out");
        }
        if (!jmh.getBenchModes().isEmpty()) {
            throw new Invalid("-bm: the sweep measures throughput (batches/s), the mode of the shared result format");
        }
        if (jmh.getTimeUnit().hasValue()) {
            throw new Invalid("-tu: sweep scores are batches per second, the unit of the shared result format");
        }
        if (jmh.getForkCount().hasValue() && jmh.getForkCount().get() == 0) {
            throw new Invalid("-f 0: the sweep needs forks >= 1, so an out-of-memory or a crash ends only that run, not the sweep");
        }
        return jmh;
    }

    private static String value(List<String> args, int i, String option) throws Invalid {
        if (i >= args.size()) {
            throw new Invalid(option + " needs a value");
        }
        return args.get(i);
    }

    private static int positiveInt(String s, String option) throws Invalid {
        try {
            int n = Integer.parseInt(s.strip());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new Invalid(option + " " + s + ": expected a whole number >= 1");
    }

    private static long millis(String s, String option) throws Invalid {
        try {
            double seconds = Double.parseDouble(s.strip());
            if (seconds >= 0.001 && seconds <= 86_400) {
                return Math.round(seconds * 1000);
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new Invalid(option + " " + s + ": expected seconds between 0.001 and 86400, e.g. 10 or 0.5");
    }

    private static List<String> dedupe(List<String> values) {
        return new ArrayList<>(new java.util.LinkedHashSet<>(values));
    }

    /** Model names of the catalog shipped in the jar (catalog.csv, first column). */
    static List<String> catalogNames() throws Invalid {
        List<String> names = new ArrayList<>();
        try (InputStream in = SweepOptions.class.getResourceAsStream("/catalog.csv")) {
            if (in == null) {
                throw new Invalid("-p model=catalog: catalog.csv is not in this jar");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            r.readLine(); // header
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (!line.isBlank()) {
                    names.add(line.substring(0, line.indexOf(',')));
                }
            }
        } catch (IOException e) {
            throw new Invalid("-p model=catalog: cannot read catalog.csv: " + e.getMessage());
        }
        return names;
    }
}
