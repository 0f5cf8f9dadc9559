package gpuenergy.sweep;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import gpuenergy.options.SuiteSetting;
import gpuenergy.results.BadInputException;
import gpuenergy.results.IoMessage;
import gpuenergy.results.ParamNames;
import gpuenergy.results.ResultFile;
import gpuenergy.results.SweepResults;
import gpuenergy.run.RunSettings;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.Defaults;
import org.openjdk.jmh.runner.options.CommandLineOptions;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * DIR/sweep-settings.json: how every configuration of a sweep directory is measured (JMH's forks and iterations as
 * resolved from the command line, the benchmark's annotations and JMH's defaults; --min-seconds, --min-batches; the
 * benchmark and its fixed parameters; {@link RunSettings#whenGiven}'s settings where given), so that --resume cannot mix
 * settings within a ladder. What only chooses which
 * configurations run (models, engines, --min-batch, --max-batch, --stop-after) may differ: ladders are extended with
 * a larger --max-batch, or small batches filled in later.
 */
final class SweepSettings {
    static final String FILE = SweepResults.SETTINGS;
    static final RunSettings RECORD = new RunSettings(FILE, "--resume: ", "its ladders would mix measurement settings",
            "sweep into another --out");

    /** The settings of {@link #of} that JMH writes into each result, and the field it writes each under. */
    private static final Map<String, String> IN_RESULTS = new LinkedHashMap<>();

    static {
        IN_RESULTS.put("--benchmark", "benchmark");
        IN_RESULTS.put("-f", "forks");
        IN_RESULTS.put("-wi", "warmupIterations");
        IN_RESULTS.put("-w", "warmupTime");
        IN_RESULTS.put("-i", "measurementIterations");
    }

    private static final Set<String> SWEPT = Set.of(ParamNames.MODEL, ParamNames.ENGINE, ParamNames.BATCH_SIZE);

    /**
     * The PyTorch thread count as {@link #of} names it, where given: JMH writes each fork's arguments into its result
     * (jvmArgs), this one among them where the sweep gave it.
     */
    private static final String THREADS = "-D" + SuiteSetting.TORCH_THREADS.property();

    private SweepSettings() {}

    /**
     * --resume of a directory that holds results but no {@link #FILE} (lost, or a sweep's from before the record), where
     * {@link #RECORD} would take this command's settings unchecked: what JMH wrote into each result of them (--benchmark,
     * -f, -wi, -w, -i, the parameters other than model, engine and batchSize, and the PyTorch thread count its forks'
     * arguments give, none where they give none) must be this command's, else the resume is refused in one line naming
     * the first result that differs, as a record that differs is refused; where all agree, one line says so and that this
     * command's settings are recorded, those no result holds (-wf, --min-seconds, --min-batches, the JVM's) as given. A
     * result whose forks' arguments are not there to read (no jvmArgs, or an @argfile among them, whose words may have
     * changed since) leaves the thread count unchecked, which one line on stderr says. Nothing is said where the record
     * exists or no result does: then nothing measured can be mixed with. A result that cannot be read is left to the
     * resume, which sets it aside.
     */
    static void checkResults(Path dir, Path shownDir, Map<String, String> now, SweptBenchmark benchmark, PrintStream out)
            throws IOException, BadInputException {
        if (Files.exists(dir.resolve(FILE)) || !Files.isDirectory(dir)) {
            return;
        }
        List<Path> results;
        try (Stream<Path> s = Files.list(dir)) {
            results = s.filter(p -> Files.isRegularFile(p) && ResultFile.isResultName(p) && !SweepResults.isRecord(p)
                    && !ResultFile.isUnfinished(p) && !p.getFileName().toString().startsWith(".")).sorted().toList();
        } catch (IOException e) {
            throw IoMessage.naming(dir, e);
        }
        int checked = 0;
        boolean threadsUnknown = false;
        for (Path result : results) {
            JsonObject r = entry(result);
            if (r == null) {
                continue;
            }
            checked++;
            List<String> was = new ArrayList<>();
            List<String> is = new ArrayList<>();
            IN_RESULTS.forEach((option, field) -> {
                String v = text(r.get(field));
                if (v != null && now.get(option) != null && !RunSettings.same(option, v, now.get(option))) {
                    was.add(option + " " + v);
                    is.add(option + " " + now.get(option));
                }
            });
            List<String> jvmArgs = jvmArgs(r);
            if (jvmArgs == null) {
                threadsUnknown = true;
            } else {
                String v = SuiteSetting.launchedThreads(jvmArgs);
                if (!Objects.equals(v, now.get(THREADS))) {
                    was.add(THREADS + " " + (v == null ? "(none)" : v));
                    is.add(THREADS + " " + (now.get(THREADS) == null ? "(none)" : now.get(THREADS)));
                }
            }
            JsonObject params = r.getAsJsonObject("params");
            Map<String, String> runs = benchmark.runParams(new Configuration(text(params.get(ParamNames.MODEL)),
                    text(params.get(ParamNames.ENGINE)), Integer.parseInt(text(params.get(ParamNames.BATCH_SIZE)))));
            for (String name : params.keySet().stream().filter(k -> !SWEPT.contains(k)).sorted().toList()) {
                String v = text(params.get(name));
                if (!Objects.equals(v, runs.get(name))) {
                    was.add("-p " + name + " " + v);
                    is.add("-p " + name + " " + (runs.get(name) == null ? "(none)" : runs.get(name)));
                }
            }
            if (!was.isEmpty()) {
                throw new BadInputException("--resume: " + shownDir + " has no " + FILE + ", and its result "
                        + result.getFileName() + " was measured with " + String.join(", ", was) + "; this command gives "
                        + String.join(", ", is) + ": its ladders would mix measurement settings; give the same options, "
                        + "restore " + shownDir.resolve(FILE) + ", or sweep into another --out");
            }
        }
        if (checked > 0) {
            List<String> same = new ArrayList<>(IN_RESULTS.keySet());
            if (threadsUnknown) {
                System.err.println("sweep: --resume: " + shownDir + " has no " + FILE + ", and not every result of it "
                        + "holds its forks' arguments (jvmArgs, without an @argfile): the " + THREADS + " it was measured "
                        + "with is not known, and not checked");
            } else {
                same.add(THREADS);
            }
            out.println("[sweep] --resume: " + shownDir + " has no " + FILE + "; its " + checked + " result(s) were "
                    + "measured with this command's " + String.join(", ", same) + " and parameters, so "
                    + "its settings are recorded there (-wf, --min-seconds, --min-batches and the JVM's, which no result "
                    + "holds, as this command gives them)");
        }
    }

    /** The one entry of a sweep's result file, with its parameters; null where the file holds no such entry. */
    private static JsonObject entry(Path result) {
        try {
            JsonArray a = ResultFile.readJson(result);
            JsonObject r = a.size() == 1 && a.get(0).isJsonObject() ? a.get(0).getAsJsonObject() : null;
            JsonObject params = r == null || !(r.get("params") instanceof JsonObject p) ? null : p;
            return params != null && SWEPT.stream().allMatch(k -> text(params.get(k)) != null)
                    && text(params.get(ParamNames.BATCH_SIZE)).matches("[0-9]{1,9}") ? r : null;
        } catch (BadInputException e) {
            return null;
        }
    }

    /** The forks' arguments JMH wrote into a result; null where it holds none, or an @argfile whose words are not there. */
    private static List<String> jvmArgs(JsonObject result) {
        if (!(result.get("jvmArgs") instanceof JsonArray a)) {
            return null;
        }
        List<String> args = new ArrayList<>();
        for (JsonElement e : a) {
            String arg = text(e);
            if (arg == null || arg.startsWith("@")) {
                return null;
            }
            args.add(arg);
        }
        return args;
    }

    /** A JSON value as a string (JMH writes numbers and texts); null for none, an object or an array. */
    private static String text(JsonElement e) {
        return e != null && e.isJsonPrimitive() ? e.getAsString() : null;
    }

    /** The settings as option name -> value, in the words of the command line. */
    static Map<String, String> of(SweepOptions o, BenchmarkListEntry entry) throws BadInputException {
        CommandLineOptions jmh = o.jmh();
        Map<String, String> m = new LinkedHashMap<>();
        m.put("--benchmark", o.benchmark());
        o.fixedParams().forEach((k, v) -> m.put("-p " + k, v));
        m.put("-f", String.valueOf(RunSettings.first(jmh.getForkCount(), entry.getForks(), Defaults.MEASUREMENT_FORKS)));
        m.put("-wf", String.valueOf(RunSettings.first(jmh.getWarmupForkCount(), entry.getWarmupForks(), Defaults.WARMUP_FORKS)));
        m.put("-wi", String.valueOf(RunSettings.first(jmh.getWarmupIterations(), entry.getWarmupIterations(), Defaults.WARMUP_ITERATIONS)));
        m.put("-w", String.valueOf(RunSettings.first(jmh.getWarmupTime(), entry.getWarmupTime(), Defaults.WARMUP_TIME)));
        m.put("-i", String.valueOf(RunSettings.first(jmh.getMeasurementIterations(), entry.getMeasurementIterations(),
                Defaults.MEASUREMENT_ITERATIONS)));
        m.put("--min-seconds", SweepOptions.seconds(o.minMillis()));
        m.put("--min-batches", String.valueOf(o.minBatches()));
        m.putAll(RunSettings.whenGiven(jmh));
        return m;
    }
}
