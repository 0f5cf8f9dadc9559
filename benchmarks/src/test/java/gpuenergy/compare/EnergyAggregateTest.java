package gpuenergy.compare;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import gpuenergy.profile.EnergyLabels;
import gpuenergy.profile.RatioResult;
import gpuenergy.results.BenchmarkResult;
import gpuenergy.results.Metric;
import gpuenergy.results.ParamNames;
import gpuenergy.results.ResultFile;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.ResultRole;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.ScalarResult;
import org.openjdk.jmh.results.ThroughputResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.IterationType;
import org.openjdk.jmh.runner.WorkloadParams;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The energy figures as JMH's JSON writes them from the profiler's results (two forks of three iterations of
 * unequal throughput, invented), read back by ResultFile: the file's img/s x J/img is its avg-W, and compare
 * works on the same J/img and the same interval as the file's.
 */
class EnergyAggregateTest {
    private static final int BATCH = 4;
    private static final double[] BATCHES_PER_S = {100, 200, 300, 150, 250, 120};
    private static final double[] WATTS = {140, 150, 155, 145, 152, 141};

    @TempDir
    Path tmp;

    /** The file JMH writes; {@code ratio} false: J/img as a plain per-iteration mean, as before the profiler's RatioResult. */
    private Path written(String name, boolean ratio) throws Exception {
        WorkloadParams wp = new WorkloadParams();
        wp.put(ParamNames.BATCH_SIZE, String.valueOf(BATCH), 0);
        BenchmarkParams bp = new BenchmarkParams("gpuenergy.bench.InferenceBenchmark.infer", "generated", false, 1,
                new int[]{1}, List.of(), 2, 0, new IterationParams(IterationType.WARMUP, 0, TimeValue.seconds(1), 1),
                new IterationParams(IterationType.MEASUREMENT, 3, TimeValue.seconds(1), 1), Mode.Throughput, wp,
                TimeUnit.SECONDS, 1, "java", List.of(), "17", "vm", "17", "1.37", TimeValue.minutes(1));
        List<org.openjdk.jmh.results.BenchmarkResult> forks = new ArrayList<>();
        for (int f = 0; f < 2; f++) {
            List<IterationResult> its = new ArrayList<>();
            for (int i = 3 * f; i < 3 * f + 3; i++) {
                IterationResult ir = new IterationResult(bp, bp.getMeasurement(), null);
                ir.addResult(new ThroughputResult(ResultRole.PRIMARY, "infer", BATCHES_PER_S[i], 1_000_000_000L, TimeUnit.SECONDS));
                ir.addResult(ratio ? new RatioResult(EnergyLabels.J_PER_IMG, "J/img", WATTS[i], BATCHES_PER_S[i] * BATCH)
                        : new ScalarResult(EnergyLabels.J_PER_IMG, WATTS[i] / (BATCHES_PER_S[i] * BATCH), "J/img", AggregationPolicy.AVG));
                ir.addResult(new ScalarResult(EnergyLabels.AVG_W, WATTS[i], "W", AggregationPolicy.AVG));
                its.add(ir);
            }
            forks.add(new org.openjdk.jmh.results.BenchmarkResult(bp, its));
        }
        Path file = tmp.resolve(name);
        try (PrintStream out = new PrintStream(Files.newOutputStream(file), true, StandardCharsets.UTF_8)) {
            ResultFormatFactory.getInstance(ResultFormatType.JSON, out).writeOut(List.of(new RunResult(bp, forks)));
        }
        return file;
    }

    private static BenchmarkResult read(Path file) throws Exception {
        List<BenchmarkResult> r = ResultFile.read(file);
        assertEquals(1, r.size());
        return r.get(0);
    }

    @Test
    void theFileMultipliesOut() throws Exception {
        BenchmarkResult r = read(written("run.json", true));
        double watts = r.secondaryScore(EnergyLabels.AVG_W);
        assertEquals(watts, r.imagesPerSecond().score() * r.secondaryScore(EnergyLabels.J_PER_IMG), watts * 1e-12);
        double[] perIteration = new double[WATTS.length];
        Arrays.setAll(perIteration, i -> WATTS[i] / (BATCHES_PER_S[i] * BATCH));
        assertArrayEquals(perIteration, r.secondary().get(EnergyLabels.J_PER_IMG).samples(), 1e-15);
    }

    /** compare's J/img samples have the file's J/img as their mean and, in JMH's t interval, the file's interval. */
    @Test
    void compareUsesTheFilesJoulesPerImageAndInterval() throws Exception {
        BenchmarkResult r = read(written("run.json", true));
        Metric j = r.secondary().get(EnergyLabels.J_PER_IMG);
        Metric fromSamples = Metric.ofSamples("J/img", List.of(Arrays.stream(r.joulesPerImageSamples()).boxed().toList()));
        assertEquals(j.score(), fromSamples.score(), j.score() * 1e-12);
        assertEquals(j.lo(), fromSamples.lo(), j.score() * 1e-9);
        assertEquals(j.hi(), fromSamples.hi(), j.score() * 1e-9);
    }

    /** A file written with J/img as the mean of its iterations: compare puts it on the aggregate's footing. */
    @Test
    void anOlderFileIsComparedOnTheSameAggregate() throws Exception {
        Path older = written("older.json", false);
        Path newer = written("newer.json", true);
        BenchmarkResult o = read(older);
        double watts = o.secondaryScore(EnergyLabels.AVG_W);
        double product = o.imagesPerSecond().score() * o.secondaryScore(EnergyLabels.J_PER_IMG);
        assertTrue(Math.abs(product / watts - 1) > 0.05, "the per-iteration mean misses avg-W: " + product + " W");

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int rc = CompareCommand.run(new String[]{older.toString(), newer.toString()},
                new PrintStream(bytes, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream()));
        String out = bytes.toString(StandardCharsets.UTF_8);
        String j = gpuenergy.results.Numbers.plain(read(newer).secondaryScore(EnergyLabels.J_PER_IMG));
        // the same iterations on both sides, but spread by a factor of 3: no change, and none of 3 % ruled out
        assertEquals(CompareCommand.NOT_JUDGED, rc, out);
        assertTrue(out.contains("J/img  " + j + " -> " + j + "  +0.00%"), out);
    }

    /** J/img missing from an iteration: the file's NaN stays NaN, and compare says why it does not judge J/img (exit 3). */
    @Test
    void anIterationWithoutJoulesPerImage() throws Exception {
        Path file = written("run.json", true);
        JsonArray root = JsonParser.parseString(Files.readString(file)).getAsJsonArray();
        JsonObject j = root.get(0).getAsJsonObject().getAsJsonObject("secondaryMetrics").getAsJsonObject(EnergyLabels.J_PER_IMG);
        j.getAsJsonArray("rawData").get(1).getAsJsonArray().remove(2);
        j.addProperty("score", "NaN");
        Path gap = Files.writeString(tmp.resolve("gap.json"), new Gson().toJson(root));
        BenchmarkResult r = read(gap);
        assertTrue(Double.isNaN(r.secondaryScore(EnergyLabels.J_PER_IMG)));
        assertEquals(0, r.joulesPerImageSamples().length);

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int rc = CompareCommand.run(new String[]{file.toString(), gap.toString()},
                new PrintStream(bytes, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream()));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("J/img  not judged: its iterations do not pair with the throughput's in the candidate"), out);
        assertEquals(CompareCommand.NOT_JUDGED, rc, out);
    }
}
