package gpuenergy.compare;

import gpuenergy.options.Subcommand;
import gpuenergy.profile.EnergyLabels;
import gpuenergy.profile.RatioResult;
import gpuenergy.results.BadInputException;
import gpuenergy.results.BenchmarkResult;
import gpuenergy.results.GpuModel;
import gpuenergy.results.NotRun;
import gpuenergy.results.NotRunList;
import gpuenergy.results.Numbers;
import gpuenergy.results.ParamNames;
import gpuenergy.results.ResultFile;
import gpuenergy.results.SweepResults;
import gpuenergy.run.DirectoryLock;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import joptsimple.OptionSet;
import joptsimple.OptionSpec;

/**
 * {@code compare BASELINE.json CANDIDATE.json [--threshold 3%] [--allow-different-devices] [--allow-missing]}: a
 * regression gate for driver, CUDA and library upgrades. Prints the environment diff, then per benchmark the change of
 * img/s and J/img with a 99.9 % Welch interval, over the forks' means where both sides ran three forks or more, else
 * over iterations ({@link Change#ofForks}); there a side at the host's pace leaves only a regression judged ({@link
 * #hostPacedVerdict}). J/img is the profiler's aggregate (sum of powers over sum of rates), its samples the iterations
 * linearised around it ({@link BenchmarkResult#joulesPerImageSamples}), so that the interval is the ratio's. Exit 0:
 * nothing regressed; 1: something regressed; 2: unusable input (a figure no measurement gives, which {@link
 * ResultFile#read} refuses; results of different devices included, unless allowed;
 * a benchmark measured in another JMH mode, unit or number of threads; the same file twice or a copied result, which
 * would always pass); 3: nothing
 * regressed but a metric or a benchmark could not be judged (too few samples; too few forks at the host's pace without
 * a regression; an interval too wide to rule out a regression beyond the threshold; a J/img unknown in some iteration,
 * measured on one side only, or whose iterations do not pair with the throughput's; a benchmark of the baseline
 * missing or not run in the candidate; a configuration ambiguous across device values, {@link Pairing}; exit 2 where
 * none of the benchmarks pairs), so that a gate fed runs of one iteration, forks that differ by more than the threshold, a run whose energy was lost, or half a
 * sweep does not pass by default. An input that a running sweep still measures ({@link DirectoryLock#stillMeasured}) is
 * compared as it stands, as report reports it, with one line on stderr: a candidate's benchmarks yet to be measured are
 * missing, not judged, unless --allow-missing. A J/img measured on neither side
 * (runs on the CPU) is not measured rather than not judged: it does not make exit 3. Benchmarks only in the candidate
 * are listed only. Benchmarks pair by name and parameters, else across device values on one recorded GPU model
 * ({@link Pairing}).
 */
public final class CompareCommand {
    private CompareCommand() {}

    static final String USAGE = "usage: compare BASELINE CANDIDATE [--threshold 3%] [--allow-different-devices]"
            + " [--allow-missing] (each a result file or a sweep's directory)";
    static final String ALLOW_DEVICES = "--allow-different-devices";
    static final String ALLOW_MISSING = "--allow-missing";
    /** Exit status when nothing regressed but some metric could not be judged. */
    static final int NOT_JUDGED = 3;
    static final double DEFAULT_THRESHOLD = 0.03;
    /** What {@link #device} calls the CPU. */
    static final String CPU = "the CPU";

    /** The command line: its options, and the result files as the arguments that are none. */
    private static final class CommandLine extends Subcommand {
        final OptionSpec<String> threshold = parser.accepts("threshold",
                "a regression must exceed P % (below 100%) and the noise (default 3%)").withRequiredArg()
                .describedAs("P%");
        final OptionSpec<Void> allowDevices = parser.accepts(ALLOW_DEVICES.substring(2),
                "compare results measured on different devices or GPU models");
        final OptionSpec<Void> allowMissing = parser.accepts(ALLOW_MISSING.substring(2),
                "a benchmark of the baseline missing or not run in the candidate is listed only (a subset compared on "
                        + "purpose), not exit 3");
        final OptionSpec<String> files = parser.nonOptions("BASELINE CANDIDATE");

        CommandLine() {
            super("compare", USAGE,
                    "  Per benchmark (name and params) in both: img/s and J/img change with a 99.9 % Welch interval, over the",
                    "  forks' means where both sides ran " + Change.MIN_FORKS + " forks or more (-f), else over iterations; there,",
                    "  where a side's GPU was busy under " + String.format(Locale.ROOT, "%.0f", BenchmarkResult.HOST_PACED_BUSY_PCT)
                            + " % (the host's pace), only a regression is judged. A sweep's",
                    "  directory stands for all its results (a sharded sweep's: every shard-I-of-N part); one a sweep still",
                    "  measures (its lock held) stands for those finished so far, one line on stderr says so. A benchmark of the",
                    "  baseline missing in the candidate is not judged: its line gives the kind and reason of the candidate's",
                    "  list of benchmarks not run (NAME.notrun.json, sweep.notrun.json) where it has one. Benchmarks only in",
                    "  the candidate are listed, as is each ladder a sweep's directory records (shard.json) and never started.",
                    "  A file whose \"environment\" records no device is compared, with a line saying so.",
                    "  A benchmark without its like pairs with the one whose params differ only in device (gpu:0, gpu:1, auto),",
                    "  where both record the same GPU model: one line names the values paired; a configuration on several",
                    "  device values of one model on a side that pair none exactly is ambiguous, not judged. A result measured",
                    "  with energy:interleave=true is judged over the windows it sampled (energy.sampled = 1) only, one line says so.",
                    "  Exit status: 0 nothing regressed; 1 a regression; 2 unusable input (missing file, not JMH JSON, "
                            + "a throughput not a finite number > 0 or none, an infinite figure or one other than 0 beyond 1e-30 to 1e30 in "
                            + "size, a J/img of 0 or less, the same file twice or "
                            + "a copied result, a sweep's directory that holds no result or a result under another "
                            + "configuration's name, "
                            + "different devices, a benchmark in another mode, unit or -t, bad or repeated option); 3 nothing regressed but a metric or a benchmark was not judged (fewer "
                            + "than 2 samples on a side, too few forks at the host's pace, an interval too wide to "
                            + "rule out a regression beyond the threshold, a J/img unknown in some iteration, on one side only, or whose "
                            + "iterations do not pair with the throughput's; a benchmark of the baseline missing or not "
                            + "run in the candidate, unless " + ALLOW_MISSING + "; a configuration ambiguous across device "
                            + "values; where no benchmark is compared, exit 2). J/img measured on neither side (runs "
                            + "on the CPU) is not compared and does not make exit 3.");
        }

        @Override
        protected int run(OptionSet options, PrintStream out, PrintStream err) throws BadInputException {
            return compare(options.valuesOf(files), parseThreshold(Subcommand.once(options, threshold)),
                    Subcommand.flag(options, allowDevices), Subcommand.flag(options, allowMissing), out, err);
        }
    }

    public static int run(String[] args) {
        return run(args, System.out, System.err);
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        return new CommandLine().run(args, out, err);
    }

    private static int compare(List<String> files, double threshold, boolean allowDevices, boolean allowMissing,
            PrintStream out, PrintStream err) throws BadInputException {
        if (files.size() != 2) {
            throw new BadInputException("expected 2 result files, got " + files.size() + "; " + USAGE);
        }
        // said first, so that it stands before a refusal of the sweep too (no result yet, a part not started)
        DirectoryLock.stillMeasured(files).forEach(line -> err.println("compare: " + line
                + ": compared are the results finished so far"));
        Input baseInput = read(files.get(0));
        Input candInput = read(files.get(1));
        refuseSameInput(files.get(0), files.get(1));
        refuseSharedFile(files.get(0), files.get(1), baseInput, candInput);
        refuseCopiedResult(files.get(0), files.get(1), baseInput, candInput);
        List<BenchmarkResult> base = baseInput.results();
        List<BenchmarkResult> cand = candInput.results();

        out.println("baseline:  " + files.get(0));
        out.println("candidate: " + files.get(1));
        Map<String, BenchmarkResult> b = byKey(baseInput, files.get(0));
        Pairing pairing = Pairing.of(b, byKey(candInput, files.get(1)));
        List<Pairing.Pair> common = pairing.pairs();
        // of the paired results only: keys of the configuration (output_shape, engine.file) then differ only where the
        // same benchmark differs, not because a side holds more batch sizes or models; with no pair, the line refusing
        // the inputs below says all there is
        if (!common.isEmpty()) {
            printEnvironmentDiff(environment(common.stream().map(Pairing.Pair::base).toList()),
                    environment(common.stream().map(Pairing.Pair::cand).toList()), out);
        }
        List<NotRun> candNotRun = null;
        int missing = 0;
        for (String k : pairing.onlyInBaseline()) {
            if (candNotRun == null) {
                candNotRun = notRun(candInput, out);
            }
            String why = whyMissing(b.get(k), candInput, candNotRun);
            if (allowMissing) {
                out.println("only in baseline (not compared, " + ALLOW_MISSING + "): " + k + why);
            } else {
                out.println("missing in the candidate (not judged): " + k + why);
                missing++;
            }
        }
        for (String k : pairing.onlyInCandidate()) {
            out.println("only in candidate (not compared): " + k);
        }
        // a ladder a sweep never started holds nothing to pair: without a line it would be absent without a word
        baseInput.notReached().forEach(l -> out.println("no result in the baseline: " + l.dir() + ": " + l.what()));
        candInput.notReached().forEach(l -> out.println("no result in the candidate: " + l.dir() + ": " + l.what()));
        for (String line : pairing.ambiguous()) {
            out.println("device values ambiguous (not judged): " + line);
        }
        int ambiguous = pairing.ambiguous().size();
        if (common.isEmpty()) {
            throw new BadInputException("no benchmark (name + params) is in both " + files.get(0) + " and " + files.get(1)
                    + (ambiguous > 0 ? " (" + Numbers.count(ambiguous, "configuration") + " ambiguous across device values, above)" : ""));
        }
        String acrossDevices = pairing.acrossDevicesLine();
        if (acrossDevices != null) {
            out.println(acrossDevices);
        }

        for (Pairing.Pair p : common) {
            String mismatch = sameMetric(p.base(), p.cand());
            if (mismatch != null) {
                throw new BadInputException(p.key() + ": " + mismatch);
            }
        }
        for (Pairing.Pair p : common) {
            String db = device(p.base());
            String dc = device(p.cand());
            if (db != null && dc != null && !db.equals(dc)) {
                String line = "baseline measured on " + db + ", candidate on " + dc + " (" + p.key() + ")";
                if (!allowDevices) {
                    throw new BadInputException(line + ": results of different devices are not a regression test; pass "
                            + ALLOW_DEVICES + " to compare them anyway");
                }
                out.println("devices differ: " + line + "; compared as " + ALLOW_DEVICES + " asks");
                break;
            }
        }
        // plain JMH results of other tools record no device: they are compared, and the skipped check is named
        long deviceUnknownB = common.stream().filter(p -> device(p.base()) == null).count();
        long deviceUnknownC = common.stream().filter(p -> device(p.cand()) == null).count();
        if (deviceUnknownB + deviceUnknownC > 0) {
            out.println("device unknown in " + (deviceUnknownB > 0 ? "the baseline for " + deviceUnknownB : "")
                    + (deviceUnknownB > 0 && deviceUnknownC > 0 ? " and in " : "")
                    + (deviceUnknownC > 0 ? "the candidate for " + deviceUnknownC : "") + " of the " + common.size()
                    + " compared benchmark(s) (no \"environment\" gpu.name, nor device=cpu, as in plain JMH results): "
                    + "not checked to be the same device");
        }

        // of the compared results only, as the environment diff: an unpaired result's energy is judged nowhere. A side
        // whose interleaving profiler sampled no window has no energy figure: its benchmark's line says so
        boolean baseEnergy = common.stream().anyMatch(p -> p.base().hasEnergy() || p.base().interleaved());
        boolean candEnergy = common.stream().anyMatch(p -> p.cand().hasEnergy() || p.cand().interleaved());
        if (!baseEnergy && !candEnergy) {
            out.println("energy measured in neither the baseline nor the candidate (runs without the energy profiler, e.g. on the CPU): "
                    + "J/img not compared, throughput only");
        } else if (!baseEnergy || !candEnergy) {
            out.println("energy absent in the " + (baseEnergy ? "candidate" : "baseline")
                    + ": J/img not judged, throughput only");
        }
        interleavedLines(common).forEach(out::println);
        String pct = Subcommand.percentShown(threshold, 3) + "%";
        int regressions = 0;
        int undecided = 0;
        int fewForks = 0;
        for (Pairing.Pair p : common) {
            BenchmarkResult rb = p.base();
            BenchmarkResult rc = p.cand();
            out.println();
            out.println(p.key());
            // img/s over an interleaving profiler's sampled windows: the profiler as it runs without interleave, and
            // the windows its J/img is of
            BenchmarkResult sb = rb.sampledWindows();
            BenchmarkResult sc = rc.sampledWindows();
            String notJudged = unsampled(rb, sb, "baseline");
            notJudged = notJudged != null ? notJudged : unsampled(rc, sc, "candidate");
            if (notJudged != null) {
                // img/s over all the side's windows, the sampled ones being none or not known
                sb = sb == null || sb.primary().samples().length == 0 ? rb : sb;
                sc = sc == null || sc.primary().samples().length == 0 ? rc : sc;
            }
            List<Line> lines = new ArrayList<>();
            lines.add(new Line(rb.primaryLabel(), sb.imagesPerSecond().forks(), sc.imagesPerSecond().forks(),
                    rb.higherIsBetter()));
            if (notJudged != null) {
                // said below
            } else if (rb.hasEnergy() && rc.hasEnergy()) {
                // the iterations report and sweep read J/img from (over the sampled windows where it interleaved)
                List<double[]> jb = rb.joulesPerImageForks();
                List<double[]> jc = rc.joulesPerImageForks();
                long unknownB = rb.joulesPerImageUnknown();
                long unknownC = rc.joulesPerImageUnknown();
                if (unknownB + unknownC > 0) {
                    // the profiler reports NaN for an iteration it could not measure, and says why in the run's output
                    notJudged = "unknown in " + (unknownB > 0 ? unknownB + " iteration(s) of the baseline" : "")
                            + (unknownB > 0 && unknownC > 0 ? " and " : "")
                            + (unknownC > 0 ? unknownC + " iteration(s) of the candidate" : "")
                            + " (the profiler could not measure them; its warnings in that run's output say why)";
                } else if (!jb.isEmpty() && !jc.isEmpty()) {
                    lines.add(new Line("J/img", jb, jc, false));
                } else {
                    notJudged = "its iterations do not pair with the throughput's in the "
                            + (!jb.isEmpty() ? "candidate" : !jc.isEmpty() ? "baseline" : "baseline and the candidate");
                }
            } else if (rb.hasEnergy() || rc.hasEnergy()) {
                notJudged = "energy absent in the " + (rb.hasEnergy() ? "candidate" : "baseline");
            } else if (baseEnergy || candEnergy) {
                out.println("  J/img  not measured on either side");
            }
            for (Line line : lines) {
                Change ch = Change.ofForks(line.base, line.cand, RatioResult.CONFIDENCE);
                fewForks += ch.hasInterval() && !ch.overForks() && line == lines.get(0) ? 1 : 0;
                boolean regressed = ch.isRegression(line.higherIsBetter, threshold);
                // at the host's pace forks lie far apart, which an interval over iterations leaves out: there it may
                // call a change where nothing changed but the fork. A regression it shows still fails the gate, to be
                // confirmed over forks (a missed one ships, a false one costs a rerun); it passes nothing
                String hostPaced = ch.hasInterval() && !ch.overForks() ? hostPacedVerdict(rb, rc, regressed) : null;
                String verdict = hostPaced != null ? hostPaced : ch.verdict(line.higherIsBetter, threshold);
                regressions += regressed ? 1 : 0;
                undecided += regressed || (hostPaced == null && ch.isJudged(line.higherIsBetter, threshold)) ? 0 : 1;
                out.println("  " + format(line.label, ch) + "  " + verdict);
            }
            if (notJudged != null) {
                out.println("  J/img  not judged: " + notJudged);
                undecided++;
            }
        }
        out.println();
        String missingText = Numbers.count(missing, "benchmark") + " of the baseline missing in the candidate";
        String ambiguousText = Numbers.count(ambiguous, "configuration") + " ambiguous across device values";
        out.printf(Locale.ROOT, "%s compared; threshold %s; %.1f%% Welch interval; %s%s%s%s%n",
                Numbers.count(common.size(), "benchmark"), pct, RatioResult.CONFIDENCE * 100, Numbers.count(regressions, "regression"),
                missing > 0 ? "; " + missingText : "",
                ambiguous > 0 ? "; " + ambiguousText : "",
                undecided > 0 ? "; " + Numbers.count(undecided, "metric") + " not judged" : "");
        if (fewForks > 0) {
            out.println(Numbers.count(fewForks, "benchmark") + " ran fewer than " + Change.MIN_FORKS + " forks on a side (-f): their "
                    + "intervals treat iterations as independent and leave out how much forks differ, tens of percent at "
                    + "small batches, so a change may be called where there is none; run -f " + Change.MIN_FORKS
                    + " or more on both sides");
        }
        if (regressions == 0 && undecided + missing + ambiguous > 0) {
            List<String> what = new ArrayList<>();
            if (missing > 0) {
                what.add(Numbers.count(missing, "benchmark") + " of the baseline " + (missing == 1 ? "is" : "are") + " missing in the candidate (" + ALLOW_MISSING
                        + " compares a subset on purpose)");
            }
            if (ambiguous > 0) {
                what.add(ambiguousText);
            }
            if (undecided > 0) {
                what.add(Numbers.count(undecided, "metric") + " could not be judged");
            }
            out.println("exit " + NOT_JUDGED + ": nothing regressed, but " + String.join(" and ", what)
                    + "; each one's line above says why");
            return NOT_JUDGED;
        }
        return regressions > 0 ? 1 : 0;
    }

    /**
     * Why a side that ran the energy profiler with {@code interleave=true} has no J/img to judge, or null: its
     * {@link EnergyLabels#SAMPLED} does not say which windows were sampled ({@code sampled} null), or none was. Its
     * img/s is then over all its windows.
     */
    static String unsampled(BenchmarkResult r, BenchmarkResult sampled, String side) {
        if (sampled == null) {
            return "the " + side + "'s " + EnergyLabels.SAMPLED + " is not one 0, 1 or NaN per window of each fork: which"
                    + " windows the profiler sampled is not known (img/s is over all its windows)";
        }
        if (r.interleaved() && sampled.primary().samples().length == 0) {
            return "the " + side + " ran interleave=true and the profiler sampled none of its "
                    + r.primary().samples().length + " window(s) (" + EnergyLabels.SAMPLED + " = 1 in none): it has no"
                    + " J/img (img/s is over all its windows)";
        }
        return null;
    }

    /**
     * One line for the compared benchmarks whose profiler interleaved on both sides, one for those where it did on one
     * side only: which windows their img/s and J/img are judged over.
     */
    static List<String> interleavedLines(List<Pairing.Pair> pairs) {
        // a side whose sampled windows are none or not known is judged over all its windows, as its J/img line says
        List<Pairing.Pair> common = pairs.stream().filter(p -> unsampled(p.base(), p.base().sampledWindows(), "") == null
                && unsampled(p.cand(), p.cand().sampledWindows(), "") == null).toList();
        long both = common.stream().filter(p -> p.base().interleaved() && p.cand().interleaved()).count();
        long baseOnly = common.stream().filter(p -> p.base().interleaved() && !p.cand().interleaved()).count();
        long candOnly = common.stream().filter(p -> !p.base().interleaved() && p.cand().interleaved()).count();
        List<String> lines = new ArrayList<>();
        if (both > 0) {
            lines.add("energy profiler with interleave=true on both sides for " + both + " of the " + pairs.size()
                    + " compared benchmark(s): img/s and J/img over the windows it sampled (" + EnergyLabels.SAMPLED
                    + " = 1) only, the profiler as it runs without interleave; the windows it sat out are left out");
        }
        if (baseOnly > 0) {
            lines.add(oneSideInterleaved("baseline", "candidate", baseOnly, pairs.size()));
        }
        if (candOnly > 0) {
            lines.add(oneSideInterleaved("candidate", "baseline", candOnly, pairs.size()));
        }
        return lines;
    }

    private static String oneSideInterleaved(String side, String other, long benchmarks, int compared) {
        return "energy profiler with interleave=true in the " + side + " only for " + benchmarks + " of the " + compared
                + " compared benchmark(s): its sampled windows (" + EnergyLabels.SAMPLED + " = 1), the profiler as it runs"
                + " without interleave, against all windows of the " + other;
    }

    /**
     * The verdict of a change computed over iterations where a side ran at the host's pace ({@link
     * BenchmarkResult#hostPaced}), or null where neither did: a regression stays one, to be confirmed over forks;
     * anything else is not judged.
     */
    static String hostPacedVerdict(BenchmarkResult base, BenchmarkResult cand, boolean regressed) {
        if (!base.hostPaced() && !cand.hostPaced()) {
            return null;
        }
        String why = String.format(Locale.ROOT, "over iterations at the host's pace (GPU busy %s -> %s), where forks lie "
                + "further apart than iterations", base.gpuBusyShown(), cand.gpuBusyShown());
        return regressed
                ? "REGRESSION " + why + ": confirm with -f " + Change.MIN_FORKS + " or more, of equal length, on both sides"
                : "not judged: " + why + "; run -f " + Change.MIN_FORKS + " or more, of equal length, on both sides";
    }

    /** One compared figure: its per-iteration samples on each side, fork by fork, whose mean is the figure JMH reports. */
    private record Line(String label, List<double[]> base, List<double[]> cand, boolean higherIsBetter) {}

    /**
     * Why two results of one benchmark are not one metric, or null when they are: another JMH mode (a throughput against
     * a time per operation reverses what is better), another unit of the score (ops/s against ops/ms), or another
     * number of threads (-t: a throughput sums its threads' operations, which the parameters do not show).
     */
    static String sameMetric(BenchmarkResult base, BenchmarkResult cand) {
        if (base.threads() != cand.threads()) {
            return "baseline ran " + base.threads() + " thread(s), candidate " + cand.threads()
                    + " (-t): not one configuration; compare results of the same -t";
        }
        if (base.mode().equals(cand.mode()) && base.primary().unit().equals(cand.primary().unit())) {
            return null;
        }
        return "baseline measured in mode " + base.mode() + " (" + base.primary().unit() + "), candidate in mode "
                + cand.mode() + " (" + cand.primary().unit() + "): not one metric; compare results of the same -bm and -tu";
    }

    /**
     * The device a result was measured on: {@link #CPU} ({@link BenchmarkResult#ranOnCpu}), or the GPU model its
     * environment records ({@link GpuModel}: a MIG instance of a board is not the whole board); null when the result says
     * neither (older results, other tools), and then nothing is refused.
     */
    static String device(BenchmarkResult r) {
        return r.ranOnCpu() ? CPU : GpuModel.of(r.environment());
    }

    static String format(String label, Change ch) {
        // img/s and J/img are positive: a change below -100 % is the interval's arithmetic, not a possible value
        String interval = ch.hasInterval()
                ? String.format(Locale.ROOT, " [%+.2f%%, %+.2f%%]", Math.max(-100, ch.relativeLo() * 100),
                        Math.max(-100, ch.relativeHi() * 100))
                : " [no interval]";
        return String.format(Locale.ROOT, "%-6s %s -> %s  %+.2f%%%s%s", label, Numbers.plain(ch.baseMean()),
                Numbers.plain(ch.candMean()), ch.relative() * 100, interval, ch.overForks() ? " over forks" : "");
    }

    /**
     * "3%", "2.5%" or "0.5 %": a percentage below 100 %; the fraction it means; the default when not given. A threshold
     * of 100 % or more would let no img/s regress: a positive rate falls by less than 100 %.
     */
    static double parseThreshold(String s) throws BadInputException {
        return Subcommand.percent(s, "--threshold", 100, DEFAULT_THRESHOLD);
    }

    /** Every environment value of the results, per key; several values when results differ (joined by " | "). */
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
            out.println("environment: the results compared record no \"environment\" on either side");
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
     * One side of the comparison: its results, the files they were read from, and the lists of benchmarks not run that
     * belong to them.
     *
     * @param resultsByFile the result file, or each result file of a sweep's directory, with the results read from it
     * @param notRunLists   a result file's list beside it; a sweep's sweep.notrun.json of each part that has one
     * @param notReached    the ladders a sweep's record gives it of which it holds nothing ({@link SweepResults#notReached})
     */
    record Input(Map<Path, List<BenchmarkResult>> resultsByFile, List<Path> notRunLists,
                 List<SweepResults.NotReached> notReached) {
        List<BenchmarkResult> results() {
            return resultsByFile.values().stream().flatMap(List::stream).toList();
        }

        Set<Path> resultFiles() {
            return resultsByFile.keySet();
        }
    }

    /**
     * A result file, or a sweep's directory: every result in it (a sharded sweep's: in all its parts). A part missing is
     * unusable input: a gate must not pass on the half of a sweep that is there.
     */
    static Input read(String input) throws BadInputException {
        Path p = Path.of(input);
        if (!SweepResults.isSweep(p)) {
            if (Files.isDirectory(p)) {
                // "not a file" would read as if no directory were taken, where a sweep's is
                throw new BadInputException(SweepResults.notASweep(p) + "; compare takes a result file or a sweep's "
                        + "directory on each side");
            }
            if (NotRunList.isNotRunList(p) && Files.isRegularFile(p)) {
                throw new BadInputException(input + ": a list of benchmarks not run, not a result file; give the result "
                        + "file it belongs to, or the sweep's directory");
            }
            if (SweepResults.isRecord(p) && Files.isRegularFile(p)) {
                throw new BadInputException(input + ": " + SweepResults.notAResult(p));
            }
            Path besides = NotRunList.besides(p);
            if (!Files.exists(p) && ResultFile.isResultName(p) && Files.isRegularFile(besides)) {
                // a run that measured nothing writes its list alone: "no such file" would read as a wrong path
                throw new BadInputException(input + ": no such file: nothing was measured, and " + besides + " lists "
                        + NotRunList.summary(List.of(besides)));
            }
            Path list = NotRunList.of(p);
            Path parent = p.toAbsolutePath().getParent();
            List<BenchmarkResult> results = parent != null && SweepResults.isSweep(parent) ? SweepResults.read(p)
                    : ResultFile.read(p);
            return new Input(Map.of(p, results), list == null ? List.of() : List.of(list), List.of());
        }
        SweepResults sweep = SweepResults.of(p);
        if (!sweep.problems().isEmpty()) {
            throw new BadInputException(sweep.problems().get(0).line());
        }
        Map<Path, List<BenchmarkResult>> byFile = new LinkedHashMap<>();
        List<Path> lists = new ArrayList<>();
        SweepResults.Held held = new SweepResults.Held();
        for (Path f : sweep.files()) {
            if (NotRunList.isNotRunList(f)) {
                lists.add(f);
                try {
                    NotRunList.read(f).forEach(n -> held.add(f, n.param(ParamNames.MODEL), n.param(ParamNames.ENGINE)));
                } catch (BadInputException e) {
                    held.all(f); // its line is printed where a benchmark it may name is missing
                }
            } else {
                List<BenchmarkResult> results = SweepResults.read(f);
                results.forEach(r -> held.add(f, r.param(ParamNames.MODEL), r.param(ParamNames.ENGINE)));
                byFile.put(f, results);
            }
        }
        Input read = new Input(byFile, lists, sweep.notReached(held));
        if (read.results().isEmpty()) {
            throw new BadInputException(sweep.noResult());
        }
        return read;
    }

    /** A CI script with a wrong path would compare a result with itself and always pass. */
    private static void refuseSameInput(String baseline, String candidate) throws BadInputException {
        Path b = Path.of(baseline);
        try {
            if (Files.isSameFile(b, Path.of(candidate))) {
                throw new BadInputException("baseline " + baseline + " and candidate " + candidate + " are the same "
                        + (Files.isDirectory(b) ? "directory" : "file") + " (" + b.toRealPath()
                        + "): a result compared with itself always passes; give the candidate's own results");
            }
        } catch (IOException e) {
            // both were read just now: one that cannot be resolved since is not shown to be the other
        }
    }

    /**
     * A result file read on both sides (a file of a sweep's directory against that directory, a part against its whole
     * sweep) compares its benchmarks with themselves, which always passes, as the same input twice does.
     */
    private static void refuseSharedFile(String baseline, String candidate, Input base, Input cand)
            throws BadInputException {
        Set<Path> baseFiles = realPaths(base.resultFiles());
        for (Path real : realPaths(cand.resultFiles())) {
            if (baseFiles.contains(real)) {
                throw new BadInputException("baseline " + baseline + " and candidate " + candidate + " both hold "
                        + real + ": a result compared with itself always passes; give the candidate's own results");
            }
        }
    }

    /**
     * A result of the baseline copied into the candidate (a CI step that copies the wrong file, a candidate sweep resumed
     * in a copy of the baseline's directory) compares a measurement with itself and always passes, as the same file
     * does: two runs never write one entry, every iteration of every metric and the environment record equal.
     */
    private static void refuseCopiedResult(String baseline, String candidate, Input base, Input cand)
            throws BadInputException {
        Map<BenchmarkResult, Path> baseResults = new HashMap<>();
        base.resultsByFile().forEach((file, results) -> results.forEach(r -> baseResults.putIfAbsent(r, file)));
        for (Map.Entry<Path, List<BenchmarkResult>> file : cand.resultsByFile().entrySet()) {
            for (BenchmarkResult r : file.getValue()) {
                Path copied = baseResults.get(r);
                if (copied != null) {
                    throw new BadInputException("baseline " + baseline + " and candidate " + candidate + " hold the same "
                            + "result, a copy (" + copied + " and " + file.getKey() + ": " + r.key() + "): a result "
                            + "compared with itself always passes; give the candidate's own results");
                }
            }
        }
    }

    /** The files' real paths; one that cannot be resolved since it was read is not shown to be the other side's. */
    private static Set<Path> realPaths(Set<Path> files) {
        Set<Path> real = new HashSet<>();
        for (Path f : files) {
            try {
                real.add(f.toRealPath());
            } catch (IOException e) {
                // left out, as said
            }
        }
        return real;
    }

    /** Every entry of an input's lists of benchmarks not run; an unreadable list is one line, and none of its entries. */
    private static List<NotRun> notRun(Input input, PrintStream out) {
        List<NotRun> entries = new ArrayList<>();
        for (Path list : input.notRunLists()) {
            try {
                entries.addAll(NotRunList.read(list));
            } catch (BadInputException e) {
                out.println("candidate's list of benchmarks not run is unreadable: " + e.getMessage());
            }
        }
        return entries;
    }

    /**
     * Why a benchmark of the baseline has no result in the candidate, as the candidate's not-run list says: its entry of
     * the same parameters, else one of another device value on the same GPU model, with which a result would have paired
     * ({@link Pairing}); else, where the candidate's sweep never started the benchmark's ladder, that.
     */
    private static String whyMissing(BenchmarkResult r, Input cand, List<NotRun> candNotRun) {
        for (NotRun n : candNotRun) {
            if (n.isFor(r.benchmark(), r.params())) {
                return ": not run: " + n.kind().label() + ": " + n.reason();
            }
        }
        for (SweepResults.NotReached l : cand.notReached()) {
            if (l.model().equals(r.param(ParamNames.MODEL)) && l.engine().equals(r.param(ParamNames.ENGINE))) {
                return ": no result: " + l.dir() + ": " + l.what();
            }
        }
        for (NotRun n : candNotRun) {
            if (Pairing.notRunAcrossDevices(r, n)) {
                return ": not run on device=" + n.param(ParamNames.DEVICE) + ": " + n.kind().label() + ": " + n.reason();
            }
        }
        return ": no result, and not in the candidate's list of benchmarks not run"
                + (cand.notRunLists().isEmpty() ? " (it has none)" : "");
    }

    /**
     * The input's results by {@link BenchmarkResult#key}. A benchmark in two files of a sweep's directory (the hidden
     * name and the visible name that a sweep gives one configuration's result, {@link gpuenergy.results.FileNames#visible})
     * is refused naming both files: either holds what was measured, and the user picks the one to move out.
     */
    private static Map<String, BenchmarkResult> byKey(Input input, String given) throws BadInputException {
        Map<String, BenchmarkResult> map = new LinkedHashMap<>();
        Map<String, Path> fileOf = new HashMap<>();
        for (Map.Entry<Path, List<BenchmarkResult>> file : input.resultsByFile().entrySet()) {
            for (BenchmarkResult r : file.getValue()) {
                Path first = fileOf.putIfAbsent(r.key(), file.getKey());
                if (first == null) {
                    map.put(r.key(), r);
                } else if (first.equals(file.getKey())) {
                    throw new BadInputException(first + ": benchmark appears twice, cannot match it: " + r.key());
                } else {
                    throw new BadInputException(given + ": benchmark appears twice, in " + first + " and in "
                            + file.getKey() + ", cannot match it: " + r.key() + "; move one of the two files out of the sweep");
                }
            }
        }
        return map;
    }
}
