package gpuenergy.sweep;

import gpuenergy.options.ParamOption;
import gpuenergy.results.BadInputException;
import gpuenergy.results.ParamNames;
import gpuenergy.run.Failure;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.VerboseMode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The JMH benchmark a sweep runs, from this jar's benchmark list: it must have the swept parameters (model, engine,
 * batchSize), and every other one a single value, or one JMH run would measure several configurations at once.
 */
final class SweptBenchmark {
    private final BenchmarkListEntry entry;
    private final SweepOptions o;

    private SweptBenchmark(BenchmarkListEntry entry, SweepOptions o) {
        this.entry = entry;
        this.o = o;
    }

    /** The benchmark --benchmark names, checked; a {@link BadInputException} of one line when it cannot be swept. */
    static SweptBenchmark of(SweepOptions o) throws BadInputException {
        SweptBenchmark b = new SweptBenchmark(find(o.benchmark()), o);
        b.checkParams();
        return b;
    }

    static BenchmarkListEntry find(String name) throws BadInputException {
        List<String> names = new ArrayList<>();
        Set<BenchmarkListEntry> all;
        try {
            all = BenchmarkList.defaultList()
                    .getAll(OutputFormatFactory.createFormatInstance(System.out, VerboseMode.SILENT), Collections.emptyList());
        } catch (RuntimeException e) {
            // JMH throws when the classpath holds no META-INF/BenchmarkList at all
            throw new BadInputException("--benchmark " + name + ": no JMH benchmarks on the classpath ("
                    + Failure.oneLine(e.getMessage()) + ")");
        }
        for (BenchmarkListEntry e : all) {
            if (e.getUsername().equals(name)) {
                return e;
            }
            names.add(e.getUsername());
        }
        throw new BadInputException("--benchmark " + name + ": not in this jar's benchmark list; available: "
                + (names.isEmpty() ? "none" : String.join(", ", new TreeSet<>(names))));
    }

    BenchmarkListEntry entry() {
        return entry;
    }

    /** The models to sweep: -p model=..., else the benchmark's declared values. */
    List<String> models() throws BadInputException {
        return orDeclared(o.models(), ParamNames.MODEL);
    }

    /** The engines to sweep: -p engine=..., else the benchmark's declared values. */
    List<String> engines() throws BadInputException {
        return orDeclared(o.engines(), ParamNames.ENGINE);
    }

    /** Every ladder of the sweep, each model with each engine, models first: the order --shard deals them out in. */
    List<Shard.LadderId> ladders() throws BadInputException {
        List<Shard.LadderId> every = new ArrayList<>();
        for (String model : models()) {
            for (String engine : engines()) {
                every.add(new Shard.LadderId(model, engine));
            }
        }
        return every;
    }

    /** The device every configuration runs on: -p device=..., else the benchmark's one declared value; null if none. */
    String device() {
        String given = o.fixedParams().get(ParamNames.DEVICE);
        if (given != null) {
            return given;
        }
        String[] declared = entry.getParams().get().get(ParamNames.DEVICE);
        return declared == null || declared.length != 1 ? null : declared[0];
    }

    /** Every parameter of one configuration's run, as JMH passes them: the declared ones, the fixed ones, the swept ones. */
    Map<String, String> runParams(Configuration c) {
        Map<String, String> params = new TreeMap<>();
        entry.getParams().get().forEach((k, v) -> {
            if (v.length == 1) {
                params.put(k, v[0]);
            }
        });
        params.putAll(o.fixedParams());
        params.put(ParamNames.MODEL, c.model());
        params.put(ParamNames.ENGINE, c.engine());
        params.put(ParamNames.BATCH_SIZE, String.valueOf(c.batch()));
        return params;
    }

    private List<String> orDeclared(List<String> given, String param) throws BadInputException {
        if (!given.isEmpty()) {
            return given;
        }
        String[] declared = entry.getParams().get().get(param);
        if (declared == null || declared.length == 0) {
            throw new BadInputException("-p " + param + "=...: " + entry.getUsername()
                    + " declares no default " + param + " values; name them, e.g. -p " + param + "=a,b");
        }
        return List.of(declared);
    }

    private void checkParams() throws BadInputException {
        if (!entry.getParams().hasValue()) {
            throw new BadInputException("--benchmark " + entry.getUsername()
                    + " has no @Param fields; the sweep needs model, engine and batchSize");
        }
        for (Map.Entry<String, String> given : o.fixedParams().entrySet()) {
            ParamOption.refuseUndeclared(entry, given.getKey(), List.of(given.getValue()));
        }
        for (Map.Entry<String, String[]> p : entry.getParams().get().entrySet()) {
            String name = p.getKey();
            boolean swept = name.equals(ParamNames.MODEL) || name.equals(ParamNames.ENGINE) || name.equals(ParamNames.BATCH_SIZE);
            if (!swept && !o.fixedParams().containsKey(name) && p.getValue().length > 1) {
                throw new BadInputException("-p " + name + "=...: " + entry.getUsername() + " declares several values ("
                        + String.join(", ", p.getValue()) + "); the sweep needs one, e.g. -p " + name + "=" + p.getValue()[0]);
            }
        }
        for (String needed : List.of(ParamNames.MODEL, ParamNames.ENGINE, ParamNames.BATCH_SIZE)) {
            if (!entry.getParams().get().containsKey(needed)) {
                throw new BadInputException("--benchmark " + entry.getUsername() + " has no @Param " + needed
                        + "; the sweep needs model, engine and batchSize");
            }
        }
    }
}
