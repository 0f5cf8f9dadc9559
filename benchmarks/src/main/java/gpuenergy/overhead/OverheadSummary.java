package gpuenergy.overhead;

import gpuenergy.results.InterleavedRun;
import gpuenergy.options.Subcommand;
import gpuenergy.overhead.MedianRatio.Estimate;
import gpuenergy.overhead.MedianRatio.Verdict;
import gpuenergy.profile.EnergyLabels;
import gpuenergy.results.AtomicWrite;
import gpuenergy.results.BadInputException;
import gpuenergy.results.BenchmarkResult;
import gpuenergy.results.Csv;
import gpuenergy.results.Metric;
import gpuenergy.results.NotRun;
import gpuenergy.results.Numbers;
import gpuenergy.results.ResultFile;

import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.stream.Collectors;

/**
 * The overhead table, from the run files of an overhead directory: one row per configuration and variant, written to
 * {@link #FILE} and printed. Unknown figures (no measured iteration, no energy) are empty in the file and "-" in the
 * table, never 0.
 */
final class OverheadSummary {
    static final String FILE = "overhead.csv";
    /** The p under which a change of the within-run spread is said: many configurations and variants are tested. */
    static final double WITHIN_RUN_P = 0.01;
    /** The least factor between two within-run CVs that is said: smaller ones matter little next to the run medians. */
    static final double WITHIN_RUN_FACTOR = 1.5;
    private static final String ROW = "%-12s %5s %6s %-10s %11s  %-26s %-17s %11s  %s";

    /**
     * One configuration and variant.
     *
     * @param runs         rounds with a result file, --rounds or not, but an interleaved run without a sampled window
     *                     ({@link Interleaved#withoutSampled}); each holds a measured iteration, so these are the runs a
     *                     ratio resamples
     * @param iterations   measured iterations over those runs
     * @param imgPerSecond median img/s of those iterations, with its interval
     * @param ratio        its ratio to the baseline's median (1 for the baseline itself, without interval)
     * @param overRuns     whether the img/s intervals resample runs, then iterations (this variant and the baseline have
     *                     two runs or more each), so that they include the run-to-run spread; false: iterations only
     * @param fewRuns      compared with the baseline, but this variant or the baseline has fewer runs than {@link
     *                     MedianRatio#MIN_RUNS_FOR_VERDICT}: the verdict is too-noisy whatever the interval
     * @param jPerImg      median energy.J/img of the iterations whose J/img is known, with its interval; unknown without
     *                     energy
     * @param jPerImgRatio its ratio to the first variant with energy in this configuration
     * @param jPerImgOverRuns whether the J/img intervals resample runs, then iterations: they count the runs with a known
     *                     J/img, of this variant and of that first variant, so they can differ from the img/s intervals
     * @param jPerImgUnknown the iterations whose J/img is unknown (NaN: the profiler could not measure them), left out of
     *                     {@code jPerImg}
     * @param notRun       why a run of this variant did not run in this process; empty when none failed
     * @param runMedians   each run's median img/s, in round order: how far runs of one variant lie apart
     * @param withinRunCv  how much a run's iterations vary: the median over runs of their CV ({@link
     *                     MedianRatio#withinRunCv}); NaN without a run of two iterations
     * @param withinRunP   the p of this variant's run CVs against the baseline's ({@link MedianRatio#withinRunSpread});
     *                     NaN for the baseline and under {@link MedianRatio#WITHIN_RUN_MIN_RUNS} runs a side
     * @param samplerBusy  the share of a measured window in which the energy profiler's sampler was at work ({@link
     *                     EnergyLabels#SAMPLER_BUSY_PCT}), in percent, over every iteration of every run: its median
     *                     and its largest, the most it can have taken from the benchmark by holding a CPU or the driver
     *                     in a typical window and in any; NaN without it
     * @param interleaved  where the variant's profiler runs with {@code interleave=true}, its sampled windows against
     *                     its sat-out windows inside the same runs; {@link Interleaved#NONE} without such a run. The
     *                     img/s figures above then count only the runs' sampled windows: the profiler as it runs
     *                     without interleave
     */
    record Row(Map<String, String> config, Variant variant, int runs, int iterations, Estimate imgPerSecond, Estimate ratio,
               boolean overRuns, Verdict verdict, boolean fewRuns, Estimate jPerImg, Estimate jPerImgRatio,
               boolean jPerImgOverRuns, int jPerImgUnknown, String notRun, double[] runMedians, double withinRunCv,
               double withinRunP, SamplerBusy samplerBusy, Interleaved interleaved) {
        /** A variant other than the baseline with a ratio to it, or one compared inside its runs. */
        boolean compared() {
            return (verdict != Verdict.BASELINE && ratio.known()) || interleaved.ratio().known();
        }

        /**
         * Whether this variant's runs are steadier or less steady inside than the baseline's, clearly enough to say:
         * p under {@link #WITHIN_RUN_P} and the CVs {@link #WITHIN_RUN_FACTOR} times apart or more.
         */
        boolean withinRunSpreadDiffers(Row baseline) {
            double factor = withinRunCv / baseline.withinRunCv;
            return withinRunP < WITHIN_RUN_P && (factor >= WITHIN_RUN_FACTOR || factor <= 1 / WITHIN_RUN_FACTOR);
        }

        /** The fastest run's median over the slowest's, less 1; NaN under two runs. */
        double runSpread() {
            return runMedians.length < 2 ? Double.NaN
                    : Arrays.stream(runMedians).max().getAsDouble() / Arrays.stream(runMedians).min().getAsDouble() - 1;
        }
    }

    private OverheadSummary() {}

    /** The median and the largest of the sampler's known busy shares; NaN where none is known. */
    record SamplerBusy(double median, double max) {
        static final SamplerBusy UNKNOWN = new SamplerBusy(Double.NaN, Double.NaN);

        static SamplerBusy of(double[] known) {
            return known.length == 0 ? UNKNOWN
                    : new SamplerBusy(MedianRatio.median(known), Arrays.stream(known).max().getAsDouble());
        }

        boolean known() {
            return !Double.isNaN(max);
        }
    }

    /**
     * The img/s of the windows an interleaving profiler sampled over those in which it sat out, inside the same runs
     * ({@link MedianRatio#pairedRatio}).
     *
     * @param runs              the runs compared: each with an {@link EnergyLabels#SAMPLED} value per iteration, and
     *                          a pair of a sat-out and a sampled window ({@link InterleavedRun#pairLogRatios})
     * @param satOutIterations  their sat-out iterations in pairs ({@link InterleavedRun#pairLogRatios}), which the
     *                          comparison rests on: a window without a partner of the other kind is left out
     * @param sampledIterations their sampled iterations in pairs, as many
     * @param ratio             each run's ratio of its sampled windows' pace to its sat-out windows', over its pairs
     *                          of windows ({@link MedianRatio#runLogRatio}), the geometric mean over the runs, with its
     *                          interval
     * @param verdict           {@link Verdict#of} the ratio; too-noisy whatever the interval under {@link
     *                          MedianRatio#MIN_PAIRED_RUNS_FOR_VERDICT} runs; not-compared without a run
     * @param leftOut           runs with {@link EnergyLabels#SAMPLED} left out of this comparison: those whose values
     *                          are not one per iteration (a profiler that failed midway; every iteration of theirs
     *                          counted in the row's img/s, as which windows were sampled is not known), and those
     *                          without a pair of a sat-out and a sampled window that have a sampled one
     * @param withoutSampled    runs with {@link EnergyLabels#SAMPLED} in which no window was sampled (-i 1: the first
     *                          window sits out; a sampler stopped before its first): nothing in them compares, with the
     *                          baseline or inside, so they count in no figure of the row, its runs included
     * @param runSd             how much a run's own log ratio varies: the standard deviation over the runs compared; NaN
     *                          under two
     * @param runsForSame       roughly how many runs would give "same" at that spread ({@link
     *                          MedianRatio#pairedRunsForSame}); 0 under two runs
     * @param meanPairRatio     the mean-based check of the ratio ({@link MedianRatio#meanPairRatio}); NaN without a
     *                          run compared
     */
    record Interleaved(int runs, int satOutIterations, int sampledIterations, Estimate ratio, Verdict verdict,
                       int leftOut, int withoutSampled, double runSd, long runsForSame, double meanPairRatio) {
        static final Interleaved NONE = new Interleaved(0, 0, 0, Estimate.UNKNOWN, Verdict.NOT_COMPARED, 0, 0, Double.NaN,
                0, Double.NaN);

        /** Whether the variant has a run with {@link EnergyLabels#SAMPLED}, compared or left out. */
        boolean any() {
            return runs > 0 || leftOut > 0 || withoutSampled > 0;
        }

        /**
         * Whether the mean-based check lies outside the ratio's interval: a few much slower windows of one kind, which
         * the ratio sees only in part, may then be what the profiler costs. One run's interval is of its estimate over
         * the same pairs, which their mean leaves where they are skewed, as such windows skew them.
         */
        boolean meanOutsideInterval() {
            return ratio.known() && (meanPairRatio < ratio.lo() || meanPairRatio > ratio.hi());
        }

        static Interleaved of(List<InterleavedRun> runs, int leftOut, int withoutSampled, double tolerance) {
            List<InterleavedRun> paired = MedianRatio.paired(runs);
            if (paired.isEmpty() && leftOut == 0 && withoutSampled == 0) {
                return NONE;
            }
            Estimate ratio = MedianRatio.pairedRatio(paired);
            Verdict verdict = ratio.known() && !MedianRatio.enoughForPairedVerdict(paired) ? Verdict.TOO_NOISY
                    : Verdict.of(ratio, tolerance);
            double sd = MedianRatio.pairedRunSd(paired);
            // a pair holds one window of each kind: the windows the comparison rests on
            int pairs = paired.stream().mapToInt(r -> r.pairLogRatios().length).sum();
            return new Interleaved(paired.size(), pairs, pairs, ratio, verdict, leftOut, withoutSampled,
                    sd, Double.isNaN(sd) ? 0 : MedianRatio.pairedRunsForSame(sd, tolerance), MedianRatio.meanPairRatio(paired));
        }
    }

    /**
     * What one variant's runs of one configuration measured: per run with a result file, its iterations' values (an
     * interleaved run's sampled ones); J/img per run with a known one, its known values, and how many iterations' J/img
     * was unknown; the sampler's busy shares; the interleaved runs with a pair of windows to compare, how many runs
     * with {@link EnergyLabels#SAMPLED} have none or could not be split by it, and how many sampled no window.
     */
    private record Runs(List<double[]> imgPerSecond, List<double[]> jPerImg, int jPerImgUnknown, SamplerBusy samplerBusy,
                        List<InterleavedRun> interleaved, int interleavedLeftOut, int withoutSampled) {
        int iterations() {
            return imgPerSecond.stream().mapToInt(r -> r.length).sum();
        }
    }

    /** The rows, from every run file of these rounds in {@code dir}. */
    static List<Row> rows(Path dir, List<Map<String, String>> configs, List<Variant> variants, SortedSet<Integer> rounds,
                          Map<String, NotRun> failed, double tolerance) throws IOException {
        List<Row> rows = new ArrayList<>();
        for (Map<String, String> config : configs) {
            Map<Variant, Runs> runs = new LinkedHashMap<>();
            for (Variant v : variants) {
                runs.put(v, read(dir, config, v, rounds));
            }
            Runs baseline = runs.get(variants.get(0));
            Variant energyBaseline = variants.stream().filter(v -> !runs.get(v).jPerImg().isEmpty()).findFirst().orElse(null);
            for (Variant v : variants) {
                Runs p = runs.get(v);
                boolean isBaseline = p == baseline;
                Estimate median = MedianRatio.medianWithInterval(p.imgPerSecond());
                Estimate ratio = isBaseline ? exactOne(median) : MedianRatio.ratio(baseline.imgPerSecond(), p.imgPerSecond());
                boolean overRuns = MedianRatio.overRuns(p.imgPerSecond())
                        && (isBaseline || MedianRatio.overRuns(baseline.imgPerSecond()));
                // one run of a side: its interval leaves out how much runs differ, and with the baseline always run
                // first a drift counts against the other variant alone; under MIN_RUNS_FOR_VERDICT runs a side the
                // interval understates how much runs differ: no firm verdict either way
                boolean enoughRuns = MedianRatio.enoughForVerdict(p.imgPerSecond())
                        && MedianRatio.enoughForVerdict(baseline.imgPerSecond());
                boolean fewRuns = !isBaseline && ratio.known() && !enoughRuns;
                Verdict verdict = isBaseline ? Verdict.BASELINE
                        : fewRuns ? Verdict.TOO_NOISY : Verdict.of(ratio, tolerance);
                Estimate joules = MedianRatio.medianWithInterval(p.jPerImg());
                Estimate jRatio = energyBaseline == null || p.jPerImg().isEmpty() ? Estimate.UNKNOWN
                        : v == energyBaseline ? exactOne(joules) : MedianRatio.ratio(runs.get(energyBaseline).jPerImg(), p.jPerImg());
                boolean jOverRuns = MedianRatio.overRuns(p.jPerImg())
                        && (v == energyBaseline || MedianRatio.overRuns(runs.get(energyBaseline).jPerImg()));
                NotRun n = failed.get(OverheadCommand.key(config, v));
                MedianRatio.WithinRunSpread spread = isBaseline ? null
                        : MedianRatio.withinRunSpread(baseline.imgPerSecond(), p.imgPerSecond());
                rows.add(new Row(config, v, p.imgPerSecond().size(), p.iterations(), median, ratio, overRuns, verdict,
                        fewRuns, joules, jRatio, jOverRuns, p.jPerImgUnknown(),
                        n == null ? "" : n.kind().label() + ": " + n.reason(),
                        p.imgPerSecond().stream().mapToDouble(MedianRatio::median).toArray(),
                        MedianRatio.withinRunCv(p.imgPerSecond()), spread == null ? Double.NaN : spread.p(),
                        p.samplerBusy(), Interleaved.of(p.interleaved(), p.interleavedLeftOut(), p.withoutSampled(),
                        tolerance)));
            }
        }
        return rows;
    }

    /** The reference's own ratio: 1 where it has a median, without an interval. */
    private static Estimate exactOne(Estimate median) {
        return median.known() ? new Estimate(1, Double.NaN, Double.NaN) : Estimate.UNKNOWN;
    }

    private static Runs read(Path dir, Map<String, String> config, Variant v, SortedSet<Integer> rounds) throws IOException {
        List<double[]> rates = new ArrayList<>();
        List<double[]> joules = new ArrayList<>();
        int unknown = 0;
        List<Double> busy = new ArrayList<>();
        List<InterleavedRun> interleaved = new ArrayList<>();
        int leftOut = 0;
        int withoutSampled = 0;
        for (int round : rounds) {
            Path file = dir.resolve(OverheadCommand.resultName(config, round, v));
            if (!Files.exists(file)) {
                continue;
            }
            BenchmarkResult r;
            try {
                r = ResultFile.read(file).get(0); // checked when the run was made or found
            } catch (BadInputException e) {
                throw new IOException(e.getMessage(), e);
            }
            double[] rate = r.imagesPerSecond().samples();
            Metric sampled = r.secondary().get(EnergyLabels.SAMPLED);
            InterleavedRun split = sampled == null ? null : InterleavedRun.of(rate, sampled.samples());
            if (split != null && split.ofKind(InterleavedRun.SAMPLED).length == 0) {
                // -i 1: no window of the profiler as it runs, nor a pair; a run of no values would count in the row's
                // runs and give it a run median of none
                withoutSampled++;
                continue;
            }
            if (split != null) {
                rates.add(split.ofKind(InterleavedRun.SAMPLED)); // the profiler as it runs without interleave
                if (split.pairLogRatios().length > 0) {
                    interleaved.add(split);
                } else {
                    leftOut++; // without a pair of one window of each kind it compares nothing
                }
            } else {
                leftOut += sampled == null ? 0 : 1;
                rates.add(rate);
            }
            Metric j = r.secondary().get(EnergyLabels.J_PER_IMG);
            if (j != null) {
                // an iteration the profiler could not measure is left out of the median, and counted
                double[] known = Arrays.stream(j.samples()).filter(x -> !Double.isNaN(x)).toArray();
                unknown += j.samples().length - known.length;
                if (known.length > 0) {
                    joules.add(known);
                }
            }
            Metric sampler = r.secondary().get(EnergyLabels.SAMPLER_BUSY_PCT);
            if (sampler != null) {
                Arrays.stream(sampler.samples()).filter(x -> !Double.isNaN(x)).forEach(busy::add);
            }
        }
        return new Runs(rates, joules, unknown, SamplerBusy.of(busy.stream().mapToDouble(Double::doubleValue).toArray()),
                interleaved, leftOut, withoutSampled);
    }

    static String csv(List<Row> rows) {
        List<String> params = rows.isEmpty() ? List.of() : List.copyOf(rows.get(0).config().keySet());
        StringBuilder sb = new StringBuilder();
        List<String> header = new ArrayList<>(params);
        header.addAll(List.of("variant", "profiler", "runs", "iterations", "interval_over", "img_per_s_median", "img_per_s_lo",
                "img_per_s_hi", "img_per_s_ratio", "img_per_s_ratio_lo", "img_per_s_ratio_hi", "verdict",
                "j_per_img_interval_over", "j_per_img_median", "j_per_img_lo", "j_per_img_hi", "j_per_img_ratio",
                "j_per_img_ratio_lo", "j_per_img_ratio_hi", "j_per_img_unknown", "img_per_s_run_medians", "img_per_s_within_run_cv",
                "within_run_cv_p", "sampler_busy_pct_median", "sampler_busy_pct_max", "interleaved_runs",
                "interleaved_sat_out_iterations", "interleaved_sampled_iterations", "interleaved_ratio",
                "interleaved_ratio_lo", "interleaved_ratio_hi", "interleaved_verdict", "interleaved_mean_pair_ratio", "not_run"));
        sb.append(String.join(",", header)).append('\n');
        for (Row r : rows) {
            List<String> cells = new ArrayList<>();
            params.forEach(p -> cells.add(Csv.field(r.config().get(p))));
            cells.add(Csv.field(r.variant().name()));
            cells.add(Csv.field(r.variant().spec()));
            cells.add(String.valueOf(r.runs()));
            cells.add(String.valueOf(r.iterations()));
            cells.add(r.imgPerSecond().known() ? over(r.overRuns()) : "");
            for (Estimate e : List.of(r.imgPerSecond(), r.ratio())) {
                cells.addAll(List.of(Numbers.full(e.value()), Numbers.full(e.lo()), Numbers.full(e.hi())));
            }
            cells.add(r.verdict().label);
            cells.add(r.jPerImg().known() ? over(r.jPerImgOverRuns()) : "");
            for (Estimate e : List.of(r.jPerImg(), r.jPerImgRatio())) {
                cells.addAll(List.of(Numbers.full(e.value()), Numbers.full(e.lo()), Numbers.full(e.hi())));
            }
            cells.add(String.valueOf(r.jPerImgUnknown()));
            cells.add(Arrays.stream(r.runMedians()).mapToObj(Numbers::full).collect(Collectors.joining(";")));
            cells.add(Numbers.full(r.withinRunCv()));
            cells.add(Numbers.full(r.withinRunP()));
            cells.add(Numbers.full(r.samplerBusy().median()));
            cells.add(Numbers.full(r.samplerBusy().max()));
            Interleaved in = r.interleaved();
            if (in.any()) {
                cells.addAll(List.of(String.valueOf(in.runs()), String.valueOf(in.satOutIterations()),
                        String.valueOf(in.sampledIterations()), Numbers.full(in.ratio().value()), Numbers.full(in.ratio().lo()),
                        Numbers.full(in.ratio().hi()), in.verdict().label, Numbers.full(in.meanPairRatio())));
            } else {
                cells.addAll(Collections.nCopies(8, ""));
            }
            cells.add(Csv.field(r.notRun()));
            sb.append(String.join(",", cells)).append('\n');
        }
        return sb.toString();
    }

    static void write(Path dir, List<Row> rows) throws IOException {
        AtomicWrite.writeString(dir.resolve(FILE), csv(rows));
    }

    static void print(PrintStream out, List<Row> rows, double tolerance) {
        out.println();
        out.printf(Locale.ROOT, "Overhead (median of every iteration of every round; ratio to the first variant, 95 %% "
                + "bootstrap interval over runs, then iterations; verdict at +-%s%%):%n", Subcommand.percentShown(tolerance, 1));
        out.println(String.format(Locale.ROOT, ROW, "variant", "runs", "iters", "interval", "img/s", "ratio [95 %]", "verdict", "J/img",
                "J/img ratio [95 %]").stripTrailing());
        Map<String, List<Row>> byConfig = rows.stream().collect(Collectors.groupingBy(
                r -> OverheadCommand.describe(r.config()), LinkedHashMap::new, Collectors.toList()));
        byConfig.forEach((config, group) -> {
            out.println(config.isEmpty() ? "(the benchmark's parameters)" : config);
            for (Row r : group) {
                out.println(String.format(Locale.ROOT, ROW, r.variant().name(), r.runs(), r.iterations(),
                        r.imgPerSecond().known() ? over(r.overRuns()) : "-", shown(r.imgPerSecond().value()), withInterval(r.ratio()), r.verdict().label,
                        shown(r.jPerImg().value()), withInterval(r.jPerImgRatio())).stripTrailing());
                if (r.jPerImg().known() && r.jPerImgOverRuns() != r.overRuns()) {
                    out.println("             J/img interval over " + over(r.jPerImgOverRuns()) + ": it counts the runs with a "
                            + "known J/img, of this variant and of the first variant with J/img");
                }
                if (r.samplerBusy().known()) {
                    out.printf(Locale.ROOT, "             sampler at work in %.2f %% of the median window, %.2f %% at most "
                            + "(%s): the most it can have taken by holding a CPU or the driver%n", r.samplerBusy().median(),
                            r.samplerBusy().max(), EnergyLabels.SAMPLER_BUSY_PCT);
                }
                interleavedLines(r).forEach(out::println);
                if (r.jPerImgUnknown() > 0) {
                    out.println("             J/img unknown in " + r.jPerImgUnknown() + " iteration(s) (the profiler could "
                            + "not measure them; its warnings in the run's output say why): left out of its median");
                }
                if (!r.notRun().isEmpty()) {
                    out.println("             not run: " + r.notRun());
                }
            }
            // said where a variant is compared with the baseline over runs: a lone interleaved variant compares inside
            // each run, where the runs' levels cancel, and more rounds do not narrow its interval on their account
            boolean overRunsCompared = group.stream().anyMatch(r -> r.verdict() != Verdict.BASELINE && r.ratio().known());
            group.stream().filter(r -> overRunsCompared && r.runSpread() > tolerance)
                    .max(Comparator.comparingDouble(Row::runSpread))
                    .ifPresent(r -> out.printf(Locale.ROOT, "             runs of one variant lie up to %.0f %% apart (%s: "
                            + "median img/s %s by run): the spread is between runs, and more --rounds narrow the "
                            + "intervals more than longer runs%n", r.runSpread() * 100, r.variant().name(),
                            Arrays.stream(r.runMedians()).mapToObj(OverheadSummary::shown).collect(Collectors.joining(", "))));
            runsForSameLine(group, tolerance).ifPresent(out::println);
            Row baseline = group.get(0);
            group.stream().skip(1).filter(r -> r.withinRunSpreadDiffers(baseline)).forEach(r -> out.printf(Locale.ROOT,
                    "             %s's iterations inside a run vary %s than %s's: CV %.1f %% against %.1f %% (median over "
                    + "runs; Mann-Whitney p = %.2g): the variant changes how steady a run's pace is, whatever the medians%n",
                    r.variant().name(), r.withinRunCv() > baseline.withinRunCv() ? "more" : "less", baseline.variant().name(),
                    r.withinRunCv() * 100, baseline.withinRunCv() * 100, r.withinRunP()));
        });
        String fewer = "fewer than " + MedianRatio.MIN_RUNS_FOR_VERDICT + " runs a side understate";
        // a side is short where --rounds is under the runs a verdict takes, or where runs failed: the same --out with
        // enough --rounds makes up both
        String tooNoisy = "so the verdict is too-noisy whatever the interval (run the command again with the same "
                + "--out and --rounds " + OverheadCommand.DEFAULT_ROUNDS + " or more: it runs only what is missing "
                + "there, failed runs included)";
        // said of a variant compared with the baseline over runs: a baseline alone (a lone interleave=true variant,
        // whose verdict inside its runs says the runs it takes) has no verdict that more rounds would make firm
        if (rows.stream().anyMatch(r -> r.fewRuns() && !r.overRuns())) {
            out.println("interval over iterations: one run of this variant or the baseline leaves out how much runs "
                    + "differ, and " + fewer + " it, " + tooNoisy);
        } else if (rows.stream().anyMatch(Row::fewRuns)) {
            out.println(fewer + " how much runs differ, " + tooNoisy);
        }
    }

    /**
     * The lines under a row whose profiler interleaves: its sampled windows' img/s over its sat-out windows', the
     * mean-based check where it lies outside that ratio's interval, and the runs left out of that comparison; none
     * without such a run.
     */
    static List<String> interleavedLines(Row r) {
        Interleaved in = r.interleaved();
        List<String> lines = new ArrayList<>();
        if (in.runs() > 0) {
            boolean fewRuns = in.ratio().known() && in.runs() < MedianRatio.MIN_PAIRED_RUNS_FOR_VERDICT;
            // one run's interval rests on its pairs alone, and so few reach no 95 % interval
            String noInterval = Double.isNaN(in.ratio().lo()) ? " (no 95 % interval from fewer than "
                    + MedianRatio.MIN_PAIRS_FOR_ONE_RUN_INTERVAL + " pairs)" : "";
            lines.add(String.format(Locale.ROOT, "             within its runs (%s): sampled windows' img/s over sat-out "
                    + "windows' %s%s, %d run%s, %d sampled + %d sat-out iterations: %s%s", r.variant().spec(),
                    withInterval(in.ratio()), noInterval, in.runs(), in.runs() == 1 ? "" : "s", in.sampledIterations(), in.satOutIterations(),
                    in.verdict().label, fewRuns ? " (a verdict takes " + MedianRatio.MIN_PAIRED_RUNS_FOR_VERDICT
                    + " runs or more, so that how the profiler's cost varies between forks is in the interval)" : ""));
            if (in.meanOutsideInterval()) {
                boolean sampledSlower = in.meanPairRatio() < in.ratio().lo();
                lines.add(String.format(Locale.ROOT, "             the mean pace ratio over the pairs of windows is %.4f and "
                        + "lies outside that interval, so a few much slower %s windows may hide from the ratio above (a "
                        + "median-type figure)", in.meanPairRatio(), sampledSlower ? "sampled" : "sat-out"));
            }
            long planned = twoSignificantDigits(in.runsForSame());
            if (in.verdict() == Verdict.TOO_NOISY && in.runs() >= MedianRatio.MIN_PAIRED_RUNS_FOR_VERDICT) {
                if (planned > in.runs()) {
                    lines.add(String.format(Locale.ROOT, "             were the windows alike, about %,d runs would give "
                            + "\"same\" inside them with a chance of %.0f %% at this spread (a run's own ratio varies by %.1f %%, "
                            + "from %d runs): a rough planning figure; steadier windows (-i, a quieter host) ask for fewer",
                            planned, MedianRatio.POWER * 100, in.runSd() * 100, in.runs()));
                } else {
                    // the spread alone plans for no more runs than these: what leaves the verdict open is the t
                    // quantile of few runs or a ratio away from 1, and both ask for more runs, not steadier windows
                    lines.add(String.format(Locale.ROOT, "             at this spread (a run's own ratio varies by %.2f %%, "
                            + "from %d runs) these runs would do were the windows alike; Student's t over so few runs, or "
                            + "a ratio %+.2f %% from 1, leaves it open: more runs narrow the interval", in.runSd() * 100,
                            in.runs(), (in.ratio().value() - 1) * 100));
                }
            }
        }
        if (in.leftOut() > 0) {
            lines.add("             within its runs: " + in.leftOut() + " run(s) left out, their " + EnergyLabels.SAMPLED
                    + " not one value per iteration (a profiler that failed midway; its warnings in the run's output say "
                    + "why; all their iterations count in img/s) or without a pair of a sat-out and a sampled window"
                    + (in.runs() == 0 ? ": " + in.verdict().label : ""));
        }
        if (in.withoutSampled() > 0) {
            lines.add("             " + in.withoutSampled() + " run(s) without a sampled window (" + EnergyLabels.SAMPLED
                    + " 0 or NaN in each window, as with -i 1): not counted in runs, as nothing in them compares"
                    + (in.runs() == 0 && in.leftOut() == 0 ? ": " + in.verdict().label : ""));
        }
        return lines;
    }

    /**
     * Where a variant of the configuration is too noisy over runs, and more runs a side are needed than the fewest runs
     * of a variant compared over runs: roughly how many would give "same" ({@link MedianRatio#runsForSame}); where the
     * spread asks for fewer than {@link MedianRatio#MIN_RUNS_FOR_VERDICT}, under which "same" is not given, that a
     * verdict takes that many.
     */
    static Optional<String> runsForSameLine(List<Row> group, double tolerance) {
        if (group.stream().noneMatch(r -> r.verdict() == Verdict.TOO_NOISY && r.overRuns())) {
            return Optional.empty();
        }
        long fewest = group.stream().filter(Row::overRuns).mapToLong(Row::runs).min().orElse(0);
        MedianRatio.RunsForSame n = MedianRatio.runsForSame(group.stream().map(Row::runMedians).toList(), tolerance);
        if (n == null) {
            return Optional.empty();
        }
        long bySpread = twoSignificantDigits(n.runsASide());
        if (Math.max(bySpread, MedianRatio.MIN_RUNS_FOR_VERDICT) <= fewest) {
            return Optional.empty();
        }
        String spread = String.format(Locale.ROOT, "(a run's median varies by %.1f %%, estimated from %d degrees of "
                + "freedom)", n.sd() * 100, n.degreesOfFreedom());
        if (bySpread < MedianRatio.MIN_RUNS_FOR_VERDICT) {
            return Optional.of("             a verdict takes " + MedianRatio.MIN_RUNS_FOR_VERDICT + " runs a side; "
                    + "this spread alone asks for fewer " + spread);
        }
        return Optional.of(String.format(Locale.ROOT, "             were the variants alike, about %,d runs a side would "
                + "give \"same\" with a chance of %.0f %% at this spread %s: a rough planning figure", bySpread,
                MedianRatio.POWER * 100, spread));
    }

    /** {@code n} to two significant digits, rounded up: the estimate is no finer, and never shown below itself. */
    static long twoSignificantDigits(long n) {
        return new BigDecimal(n).round(new MathContext(2, RoundingMode.UP)).longValue();
    }

    /** What intervals resample: "runs" (runs, then their iterations) or "iterations" (one run of a side). */
    private static String over(boolean overRuns) {
        return overRuns ? "runs" : "iterations";
    }

    private static String withInterval(Estimate e) {
        if (!e.known()) {
            return "-";
        }
        return String.format(Locale.ROOT, "%.4f", e.value()) + (Double.isNaN(e.lo()) ? ""
                : String.format(Locale.ROOT, " [%.4f, %.4f]", e.lo(), e.hi()));
    }

    /** A figure on the console, as every command shows one; "-" where unknown. */
    private static String shown(double v) {
        return Double.isNaN(v) ? "-" : Numbers.plain(v);
    }
}
