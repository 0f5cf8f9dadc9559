package gpuenergy.profile;

import gpuenergy.energy.RatioOfSums;
import gpuenergy.energy.RecordedIterations;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.results.AverageTimeResult;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ResultRole;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.ThroughputResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.IterationType;
import org.openjdk.jmh.runner.WorkloadParams;
import org.openjdk.jmh.runner.options.TimeValue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What JMH reports from the profiler's per-iteration results, through JMH's own aggregation over iterations and forks
 * and its own JSON and console writers: img/s x J/img = avg W for the reported figures, not only per iteration.
 * The iterations are recorded ones of unequal throughput (H100, efficientnet_b0 FP32 batch 2: launch-bound, 117 to
 * 339 batches/s between 1 s iterations), where the mean of per-iteration J/img misses the relation by 7.9 %.
 */
class ReportedRelationTest {
    private static final int BATCH = 2;
    private static final WindowState NO_SLOW_SAMPLES = WindowState.of(new long[0], new long[0], new long[0], new long[0], 0, 1);

    /** One iteration: JMH's rate and the profiler's average power over its 1 s window. */
    record Recorded(double batchesPerSecond, double watts) {}

    static List<Recorded> recorded() throws IOException {
        RecordedIterations it = RecordedIterations.load("h100-efficientnet_b0-fp32-b2.csv");
        List<Recorded> out = new ArrayList<>();
        for (int i = 0; i < it.size(); i++) {
            out.add(new Recorded(it.batchesPerSecond()[i], it.watts()[i]));
        }
        return out;
    }

    static double idleWatts() throws IOException {
        return RecordedIterations.load("h100-efficientnet_b0-fp32-b2.csv").idleWatts();
    }

    /** The profiler's record of one recorded 1 s iteration: its power at JMH's rate. */
    static IterationEnergy energy(Recorded it, double idleWatts) {
        double seconds = 1.0;
        return new IterationEnergy(seconds, 500, 10, it.watts() * seconds, it.watts() * seconds, it.watts(),
                it.watts() * seconds, it.batchesPerSecond(), new TrialFacts(BATCH, idleWatts, 700), NO_SLOW_SAMPLES, 0.1);
    }

    static BenchmarkParams params(Mode mode, int forks, int iterations) {
        WorkloadParams wp = new WorkloadParams();
        wp.put("batchSize", String.valueOf(BATCH), 0);
        IterationParams measurement = new IterationParams(IterationType.MEASUREMENT, iterations, TimeValue.seconds(1), 1);
        IterationParams warmup = new IterationParams(IterationType.WARMUP, 0, TimeValue.seconds(1), 1);
        return new BenchmarkParams("gpuenergy.bench.InferenceBenchmark.infer", "generated", false, 1, new int[]{1},
                List.of(), forks, 0, warmup, measurement, mode, wp, TimeUnit.SECONDS, 1, "java", List.of(),
                "17", "vm", "17", "1.37", TimeValue.minutes(1));
    }

    /** The recorded iterations as JMH holds them at the end of a run: two forks of five iterations each. */
    static RunResult run(List<Recorded> iterations) throws IOException {
        return run(Mode.Throughput, iterations, it -> it.results());
    }

    /** As {@link #run(List)}, with what the profiler returns for an iteration chosen by {@code profiler}. */
    static RunResult run(List<Recorded> iterations, Function<IterationEnergy, List<Result>> profiler) throws IOException {
        return run(Mode.Throughput, iterations, profiler);
    }

    /** As {@link #run(List, Function)}, JMH scoring each iteration in {@code mode} (a time mode: its time per op). */
    static RunResult run(Mode mode, List<Recorded> iterations, Function<IterationEnergy, List<Result>> profiler)
            throws IOException {
        double idle = idleWatts();
        int forks = 2;
        int perFork = iterations.size() / forks;
        BenchmarkParams bp = params(mode, forks, perFork);
        List<BenchmarkResult> byFork = new ArrayList<>();
        for (int f = 0; f < forks; f++) {
            List<IterationResult> its = new ArrayList<>();
            for (Recorded it : iterations.subList(f * perFork, (f + 1) * perFork)) {
                IterationResult ir = new IterationResult(bp, bp.getMeasurement(), null);
                ir.addResult(mode == Mode.Throughput
                        ? new ThroughputResult(ResultRole.PRIMARY, "infer", it.batchesPerSecond(), 1_000_000_000L, TimeUnit.SECONDS)
                        : new AverageTimeResult(ResultRole.PRIMARY, "infer", it.batchesPerSecond(), 1_000_000_000L,
                        TimeUnit.SECONDS));
                ir.addResults(profiler.apply(energy(it, idle)));
                its.add(ir);
            }
            byFork.add(new BenchmarkResult(bp, its));
        }
        return new RunResult(bp, byFork);
    }

    static String written(RunResult run, ResultFormatType type) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ResultFormatFactory.getInstance(type, new PrintStream(bytes, true, StandardCharsets.UTF_8)).writeOut(List.of(run));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** A metric's "score" in JMH's JSON (the primary metric's for label null). */
    static double jsonScore(String json, String label) {
        int from = label == null ? json.indexOf("\"primaryMetric\"") : json.indexOf("\"" + label + "\"");
        Matcher m = Pattern.compile("\"score\" : ([-0-9.eE]+)").matcher(json);
        assertTrue(from >= 0 && m.find(from), label + " in " + json);
        return Double.parseDouble(m.group(1));
    }

    /** A secondary metric's "rawData" in JMH's JSON: its per-iteration values, fork after fork. */
    static double[] jsonRawData(String json, String label) {
        int from = json.indexOf("\"" + label + "\"");
        Matcher m = Pattern.compile("\"rawData\" : (\\[[^{}]*?\\]\\s*\\])").matcher(json);
        assertTrue(from >= 0 && m.find(from), label + " in " + json);
        return Arrays.stream(m.group(1).replaceAll("[\\[\\]\\s]", "").split(",")).mapToDouble(Double::parseDouble).toArray();
    }

    @Test
    void theFiguresJmhReportsMultiplyOut() throws IOException {
        RunResult run = run(recorded());
        double batchesPerSecond = run.getPrimaryResult().getScore();
        Map<String, Result> s = run.getSecondaryResults();
        double watts = s.get(EnergyLabels.AVG_W).getScore();
        double imagesPerSecond = batchesPerSecond * BATCH;
        assertEquals(watts, imagesPerSecond * s.get(EnergyLabels.J_PER_IMG).getScore(), watts * 1e-12);
        assertEquals(watts, batchesPerSecond * s.get(EnergyLabels.J_PER_OP).getScore(), watts * 1e-12);
        assertEquals(watts - s.get(EnergyLabels.IDLE_W).getScore(), imagesPerSecond * s.get(EnergyLabels.NET_J_PER_IMG).getScore(),
                watts * 1e-12);

        String json = written(run, ResultFormatType.JSON);
        double jsonWatts = jsonScore(json, EnergyLabels.AVG_W);
        assertEquals(jsonWatts, jsonScore(json, null) * BATCH * jsonScore(json, EnergyLabels.J_PER_IMG), jsonWatts * 1e-12, json);
    }

    /**
     * In a time mode JMH's score is the mean of the iterations' times per op, and its inverse the harmonic mean of their
     * rates: J/op stays the same energy over the same ops as in throughput mode, and pairs with the throughput score
     * (the mean rate); with the time score's inverse it falls short of avg-W wherever the rates differ.
     */
    @Test
    void inATimeModeJPerOpIsTheSameEnergyOverOpsAndPairsWithTheThroughputScore() throws IOException {
        List<Recorded> recorded = recorded();
        RunResult throughput = run(Mode.Throughput, recorded, IterationEnergy::results);
        RunResult averageTime = run(Mode.AverageTime, recorded, IterationEnergy::results);
        double jPerOp = averageTime.getSecondaryResults().get(EnergyLabels.J_PER_OP).getScore();
        double watts = averageTime.getSecondaryResults().get(EnergyLabels.AVG_W).getScore();
        assertEquals(throughput.getSecondaryResults().get(EnergyLabels.J_PER_OP).getScore(), jPerOp, jPerOp * 1e-12);
        assertEquals(watts, throughput.getPrimaryResult().getScore() * jPerOp, watts * 1e-12);

        double harmonicMeanRate = recorded.size() / recorded.stream().mapToDouble(r -> 1 / r.batchesPerSecond()).sum();
        double inverse = 1 / averageTime.getPrimaryResult().getScore();
        assertEquals(harmonicMeanRate, inverse, harmonicMeanRate * 1e-12);
        assertTrue(inverse * jPerOp < watts * 0.95, inverse * jPerOp + " W against avg-W " + watts);
        assertEquals(0.084, 1 - inverse * jPerOp / watts, 0.0005, "the shortfall docs/energy-method.md quotes");
    }

    /** The console table rounds each figure; its product agrees within that rounding (the 0.5 %). */
    @Test
    void theConsoleTableMultipliesOutWithinItsRounding() throws IOException {
        String table = written(run(recorded()), ResultFormatType.TEXT);
        double batchesPerSecond = tableScore(table, "infer");
        double joulesPerImage = tableScore(table, "infer:" + EnergyLabels.J_PER_IMG);
        double watts = tableScore(table, "infer:" + EnergyLabels.AVG_W);
        assertEquals(1, batchesPerSecond * BATCH * joulesPerImage / watts, 0.005, table);
    }

    static double tableScore(String table, String label) {
        Matcher m = Pattern.compile("(?m)^\\S*" + Pattern.quote(label) + "\\s.*?\\s([0-9]+\\.[0-9]+)\\s").matcher(table);
        assertTrue(m.find(), label + " in\n" + table);
        return Double.parseDouble(m.group(1));
    }

    /** JSON's rawData keeps each iteration's own J/img, fork after fork, for the intervals that need them. */
    @Test
    void rawDataHoldsEachIterationsOwnValue() throws IOException {
        List<Recorded> recorded = recorded();
        double[] raw = jsonRawData(written(run(recorded), ResultFormatType.JSON), EnergyLabels.J_PER_IMG);
        double[] expected = recorded.stream().mapToDouble(r -> r.watts() / (r.batchesPerSecond() * BATCH)).toArray();
        assertArrayEquals(expected, raw, 1e-12);
    }

    /**
     * JMH's interval around J/img is the ratio's (the linearised iterations' Student t interval at 99.9 %), centred
     * on the score; the spread of the per-iteration J/img would give another width, around another centre.
     */
    @Test
    void theIntervalIsTheRatiosAroundTheScore() throws IOException {
        List<Recorded> recorded = recorded();
        Result j = run(recorded).getSecondaryResults().get(EnergyLabels.J_PER_IMG);
        double[] watts = recorded.stream().mapToDouble(Recorded::watts).toArray();
        double[] rate = recorded.stream().mapToDouble(Recorded::batchesPerSecond).toArray();
        double r = RatioOfSums.ratio(watts, rate) / BATCH;
        double ss = 0;
        for (int i = 0; i < watts.length; i++) {
            ss += Math.pow(watts[i] - r * BATCH * rate[i], 2);
        }
        int n = watts.length;
        double tQuantile = 4.780912585; // Student t, 9 degrees of freedom, 0.9995
        double halfWidth = tQuantile * Math.sqrt(ss / (n - 1) / n) / (Arrays.stream(rate).average().orElseThrow() * BATCH);
        assertEquals(r, j.getScore(), 1e-15);
        assertEquals(halfWidth, j.getScoreError(), 1e-9);
        assertArrayEquals(new double[]{r - halfWidth, r + halfWidth}, j.getScoreConfidence(), 1e-9);
        assertTrue(j.extendedInfo().contains("sum of powers / sum of rates"), j.extendedInfo());
    }

    /** An iteration without energy, or one in which JMH measured no operation, leaves the figure unknown: NaN, not 0. */
    @Test
    void anIterationWithoutAFigureMakesItNaNNotZero() throws IOException {
        List<Recorded> recorded = recorded();
        Recorded last = recorded.get(recorded.size() - 1);
        Map<String, Result> noEnergy = run(recorded, it -> it.opsPerSecond() == last.batchesPerSecond()
                ? IterationEnergy.unknown(it.seconds(), it.samples(), it.opsPerSecond(), it.trial(), it.state(),
                        it.samplerBusyPercent()).results() : it.results())
                .getSecondaryResults();
        assertTrue(Double.isNaN(noEnergy.get(EnergyLabels.J_PER_IMG).getScore()));
        assertTrue(Double.isNaN(noEnergy.get(EnergyLabels.AVG_W).getScore()));
        Map<String, Result> noOps = run(recorded, it -> it.opsPerSecond() == last.batchesPerSecond()
                ? withoutRate(it).results() : it.results()).getSecondaryResults();
        assertTrue(Double.isNaN(noOps.get(EnergyLabels.J_PER_IMG).getScore()));
        assertTrue(Double.isNaN(noOps.get(EnergyLabels.NET_J_PER_IMG).getScore()));
        assertTrue(noOps.get(EnergyLabels.AVG_W).getScore() > 0);
    }

    private static IterationEnergy withoutRate(IterationEnergy it) {
        return new IterationEnergy(it.seconds(), it.samples(), it.edges(), it.counterJoules(), it.naiveJoules(),
                it.interiorWatts(), it.powerJoules(), Double.NaN, it.trial(), it.state(), it.samplerBusyPercent());
    }

    /** Results travel from the forked VM to the host by Java serialization; the iterations' values go with them. */
    @Test
    void survivesTheForksBinaryLink() throws Exception {
        Result j = run(recorded()).getSecondaryResults().get(EnergyLabels.J_PER_IMG);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(j);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            Result back = (Result) in.readObject();
            assertEquals(j.getScore(), back.getScore(), 0);
            assertEquals(j.getScoreError(), back.getScoreError(), 0);
        }
    }
}
