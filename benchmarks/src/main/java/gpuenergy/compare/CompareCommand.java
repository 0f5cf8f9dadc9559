package gpuenergy.compare;

import gpuenergy.options.Subcommand;
import gpuenergy.profile.EnvironmentKeys;
import gpuenergy.profile.RatioResult;
import gpuenergy.results.BadInputException;
import gpuenergy.results.BenchmarkResult;
import gpuenergy.results.NotRunList;
import gpuenergy.results.ResultFile;
import gpuenergy.results.SweepResults;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import joptsimple.OptionParser;
import joptsimple.OptionSet;
import joptsimple.OptionSpec;

/**
 * {@code compare BASELINE.json CANDIDATE.json [--threshold 3%] [--allow-different-devices]}: a regression gate for
 * driver, CUDA and library upgrades. Prints the environment diff, then per benchmark the change of img/s and J/img with
 * a 99.9 % Welch interval. J/img is the profiler's aggregate (sum of powers over sum of rates), its samples the
 * iterations linearised around it ({@link BenchmarkResult#joulesPerImageSamples}), so that the interval is the ratio's.
 * Exit 0: nothing regressed; 1: something regressed; 2: unusable input (results of different devices included, unless
 * allowed; a benchmark measured in another JMH mode or unit); 3: nothing regressed but a metric could not be judged (too
 * few samples, a J/img unknown in some iteration, measured on one side only, or whose iterations do not pair with the
 * throughput's), so that a gate fed runs of one iteration, or a run whose energy was lost, does not pass by default. A
 * J/img measured on neither side (runs on the CPU) is not measured rather than not judged: it does not make exit 3.
 */
public final class CompareCommand {
    private CompareCommand() {}

    static final String USAGE = "usage: compare BASELINE CANDIDATE [--threshold 3%] [--allow-different-devices]"
            + " (each a result file or a sweep's directory)";
    static final String ALLOW_DEVICES = "--allow-different-devices";
    /** Exit status when nothing regressed but some metric could not be judged. */
    static final int NOT_JUDGED = 3;
    static final double DEFAULT_THRESHOLD = 0.03;

    /** The command line: its options, and the result files as the arguments that are none. */
    private static final class CommandLine extends Subcommand {
        final OptionSpec<String> threshold = parser.accepts("threshold",
                "a regression must exceed P % and the noise (default 3%)").withRequiredArg().describedAs("P%");
        final OptionSpec<Void> allowDevices = parser.accepts(ALLOW_DEVICES.substring(2),
                "compare results measured on different devices or GPU models");
        final OptionSpec<String> files = parser.nonOptions("BASELINE CANDIDATE");

        CommandLine() {
            super("compare", USAGE,
                    "  Per benchmark (name and params) in both: img/s and J/img change with a 99.9 % Welch interval. A sweep's",
                    "  directory stands for all its results (a sharded sweep's: every shard-I-of-N part).",
                    "  Exit status: 0 nothing regressed; 1 a regression; 2 unusable input (missing file, not JMH JSON, "
                            + "different devices, a benchmark in another mode or unit, bad option); 3 nothing regressed "
                            + "but a metric was not judged (fewer than 2 samples on a side, a J/img unknown in some "
                            + "iteration, on one side only, or whose iterations do not pair with the throughput's). J/img "
                            + "measured in neither file (runs on the CPU) is not compared and does not make exit 3.");
        }

        @Override
        protected int run(OptionSet options, PrintStream out, PrintStream err) throws BadInputException {
            return compare(options.valuesOf(files), parseThreshold(Subcommand.last(options, threshold)),
                    options.has(allowDevices), out);
        }
    }

    public static int run(String[] args) {
        return run(args, System.out, System.err);
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        return new CommandLine().run(args, out, err);
    }

    private static int compare(List<String> files, double threshold, boolean allowDevices, PrintStream out)
            throws BadInputException {
        if (files.size() != 2) {
            throw new BadInputException("expected 2 result files, got " + files.size() + "; " + USAGE);
        }
        List<BenchmarkResult> base = read(files.get(0));
        List<BenchmarkResult> cand = read(files.get(1));

        out.println("baseline:  " + files.get(0));
        out.println("candidate: " + files.get(1));
        printEnvironmentDiff(environment(base), environment(cand), out);

        Map<String, BenchmarkResult> b = byKey(base, files.get(0));
        Map<String, BenchmarkResult> c = byKey(cand, files.get(1));
        for (String k : b.keySet()) {
            if (!c.containsKey(k)) {
                out.println("only in baseline (not compared): " + k);
            }
        }
        for (String k : c.keySet()) {
            if (!b.containsKey(k)) {
                out.println("only in candidate (not compared): " + k);
            }
        }
        List<String> common = b.keySet().stream().filter(c::containsKey).toList();
        if (common.isEmpty()) {
            throw new BadInputException("no benchmark (name + params) is in both " + files.get(0) + " and " + files.get(1));
        }

        for (String k : common) {
            String mismatch = sameMetric(b.get(k), c.get(k));
            if (mismatch != null) {
                throw new BadInputException(k + ": " + mismatch);
            }
        }
        for (String k : common) {
            String db = device(b.get(k));
            String dc = device(c.get(k));
            if (db != null && dc != null && !db.equals(dc)) {
                String line = "baseline measured on " + db + ", candidate on " + dc + " (" + k + ")";
                if (!allowDevices) {
                    throw new BadInputException(line + ": results of different devices are not a regression test; pass "
                            + ALLOW_DEVICES + " to compare them anyway");
                }
                out.println("devices differ: " + line + "; compared as " + ALLOW_DEVICES + " asks");
                break;
            }
        }

        boolean baseEnergy = base.stream().anyMatch(BenchmarkResult::hasEnergy);
        boolean candEnergy = cand.stream().anyMatch(BenchmarkResult::hasEnergy);
        if (!baseEnergy && !candEnergy) {
            out.println("energy measured in neither file (runs without the energy profiler, e.g. on the CPU): "
                    + "J/img not compared, throughput only");
        } else if (!baseEnergy || !candEnergy) {
            out.println("energy absent in the " + (baseEnergy ? "candidate" : "baseline")
                    + ": J/img not judged, throughput only");
        }
        String pct = String.format(Locale.ROOT, "%.3g%%", threshold * 100);
        int regressions = 0;
        int undecided = 0;
        for (String k : common) {
            BenchmarkResult rb = b.get(k);
            BenchmarkResult rc = c.get(k);
            out.println();
            out.println(k);
            List<Line> lines = new ArrayList<>();
            lines.add(new Line(rb.primaryLabel(), rb.imagesPerSecond().samples(), rc.imagesPerSecond().samples(),
                    rb.higherIsBetter()));
            String notJudged = null;
            if (rb.hasEnergy() && rc.hasEnergy()) {
                double[] jb = rb.joulesPerImageSamples();
                double[] jc = rc.joulesPerImageSamples();
                long unknownB = rb.joulesPerImageUnknown();
                long unknownC = rc.joulesPerImageUnknown();
                if (unknownB + unknownC > 0) {
                    // the profiler reports NaN for an iteration it could not measure, and says why in the run's output
                    notJudged = "unknown in " + (unknownB > 0 ? unknownB + " iteration(s) of the baseline" : "")
                            + (unknownB > 0 && unknownC > 0 ? " and " : "")
                            + (unknownC > 0 ? unknownC + " iteration(s) of the candidate" : "")
                            + " (the profiler could not measure them; its warnings in that run's output say why)";
                } else if (jb.length > 0 && jc.length > 0) {
                    lines.add(new Line("J/img", jb, jc, false));
                } else {
                    notJudged = "its iterations do not pair with the throughput's in the "
                            + (jb.length > 0 ? "candidate" : jc.length > 0 ? "baseline" : "baseline and the candidate");
                }
            } else if (rb.hasEnergy() || rc.hasEnergy()) {
                notJudged = "energy absent in the " + (rb.hasEnergy() ? "candidate" : "baseline");
            } else if (baseEnergy || candEnergy) {
                out.println("  J/img  not measured in either file");
            }
            for (Line line : lines) {
                Change ch = Change.of(line.base, line.cand, RatioResult.CONFIDENCE);
                String verdict = ch.verdict(line.higherIsBetter, threshold);
                regressions += ch.isRegression(line.higherIsBetter, threshold) ? 1 : 0;
                undecided += ch.hasInterval() ? 0 : 1;
                out.println("  " + format(line.label, ch) + "  " + verdict);
            }
            if (notJudged != null) {
                out.println("  J/img  not judged: " + notJudged);
                undecided++;
            }
        }
        out.println();
        out.printf(Locale.ROOT, "%d benchmark(s) compared; threshold %s; %.1f%% Welch interval; %d regression(s)%s%n",
                common.size(), pct, RatioResult.CONFIDENCE * 100, regressions,
                undecided > 0 ? "; " + undecided + " metric(s) not judged" : "");
        if (regressions == 0 && undecided > 0) {
            out.println("exit " + NOT_JUDGED + ": nothing regressed, but " + undecided + " metric(s) could not be judged; "
                    + "each one's line above says why");
            return NOT_JUDGED;
        }
        return regressions > 0 ? 1 : 0;
    }

    /** One compared figure: its per-iteration samples on each side, whose mean is the figure JMH reports. */
    private record Line(String label, double[] base, double[] cand, boolean higherIsBetter) {}

    /**
     * Why two results of one benchmark are not one metric, or null when they are: another JMH mode (a throughput against
     * a time per operation reverses what is better) or another unit of the score (ops/s against ops/ms).
     */
    static String sameMetric(BenchmarkResult base, BenchmarkResult cand) {
        if (base.mode().equals(cand.mode()) && base.primary().unit().equals(cand.primary().unit())) {
            return null;
        }
        return "baseline measured in mode " + base.mode() + " (" + base.primary().unit() + "), candidate in mode "
                + cand.mode() + " (" + cand.primary().unit() + "): not one metric; compare results of the same -bm and -tu";
    }

    /**
     * The device a result was measured on, as its environment records it: the GPU's name, or "the CPU"; null when the
     * result does not say (older results, other tools), and then nothing is refused.
     */
    static String device(BenchmarkResult r) {
        String device = r.environment().getOrDefault(EnvironmentKeys.DEVICE, "");
        if (gpuenergy.profile.DeviceSpec.runsOnCpu(device)) {
            return "the CPU";
        }
        String gpu = r.environment().get(EnvironmentKeys.GPU_NAME);
        return gpu == null || gpu.isBlank() ? null : gpu;
    }

    static String format(String label, Change ch) {
        // img/s and J/img are positive: a change below -100 % is the interval's arithmetic, not a possible value
        String interval = ch.hasInterval()
                ? String.format(Locale.ROOT, " [%+.2f%%, %+.2f%%]", Math.max(-100, ch.relativeLo() * 100),
                        Math.max(-100, ch.relativeHi() * 100))
                : " [no interval]";
        return String.format(Locale.ROOT, "%-6s %.5g -> %.5g  %+.2f%%%s", label, ch.baseMean(), ch.candMean(),
                ch.relative() * 100, interval);
    }

    /** "3%", "2.5%" or "0.5 %": a percentage; the fraction it means; the default when not given. */
    static double parseThreshold(String s) throws BadInputException {
        return Subcommand.percent(s, "--threshold", 1000, DEFAULT_THRESHOLD);
    }

    /** Every environment value of a file, per key; several values when entries differ (joined by " | "). */
    static Map<String, String> environment(List<BenchmarkResult> results) {
        Map<String, Set<String>> values = new TreeMap<>();
        for (BenchmarkResult r : results) {
            r.environment().forEach((k, v) -> values.computeIfAbsent(k, x -> new TreeSet<>()).add(v));
        }
        Map<String, String> joined = new LinkedHashMap<>();
        values.forEach((k, v) -> joined.put(k, String.join(" | ", v)));
        return joined;
    }

    static void printEnvironmentDiff(Map<String, String> base, Map<String, String> cand, PrintStream out) {
        if (base.isEmpty() && cand.isEmpty()) {
            out.println("environment: neither file has an \"environment\" record");
            return;
        }
        Set<String> keys = new TreeSet<>(base.keySet());
        keys.addAll(cand.keySet());
        int same = 0;
        out.println("environment (baseline -> candidate):");
        for (String k : keys) {
            String vb = base.getOrDefault(k, "(absent)");
            String vc = cand.getOrDefault(k, "(absent)");
            if (vb.equals(vc)) {
                same++;
            } else {
                out.println("  " + k + ": " + vb + " -> " + vc);
            }
        }
        out.println("  (" + same + " other key(s) equal)");
    }

    /**
     * A result file, or a sweep's directory: every result in it (a sharded sweep's: in all its parts). A part missing is
     * unusable input: a gate must not pass on the half of a sweep that is there.
     */
    static List<BenchmarkResult> read(String input) throws BadInputException {
        Path p = Path.of(input);
        if (!SweepResults.isSweep(p)) {
            return ResultFile.read(p);
        }
        SweepResults sweep = SweepResults.of(p);
        if (!sweep.problems().isEmpty()) {
            throw new BadInputException(sweep.problems().get(0));
        }
        List<BenchmarkResult> all = new ArrayList<>();
        for (Path f : sweep.files()) {
            if (!NotRunList.isNotRunList(f)) {
                all.addAll(ResultFile.read(f));
            }
        }
        if (all.isEmpty()) {
            throw new BadInputException(input + ": the sweep holds no result");
        }
        return all;
    }

    private static Map<String, BenchmarkResult> byKey(List<BenchmarkResult> results, String file) throws BadInputException {
        Map<String, BenchmarkResult> map = new LinkedHashMap<>();
        for (BenchmarkResult r : results) {
            if (map.put(r.key(), r) != null) {
                throw new BadInputException(file + ": benchmark appears twice, cannot match it: " + r.key());
            }
        }
        return map;
    }
}
