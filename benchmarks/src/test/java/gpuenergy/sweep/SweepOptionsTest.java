package gpuenergy.sweep;

import gpuenergy.ConsoleCapture;
import gpuenergy.DocExamples;
import gpuenergy.options.RefusedJmhOptions;
import gpuenergy.results.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SweepOptionsTest {
    private static String rejected(String... args) {
        return assertThrows(BadInputException.class, () -> SweepOptions.parse(args)).getMessage();
    }

    @Test
    void defaultsFollowThePaper() throws Exception {
        SweepOptions o = SweepOptions.parse("sweep", "-p", "model=resnet50,efficientnet_b0", "-p", "engine=x");
        assertEquals(SweepOptions.DEFAULT_BENCHMARK, o.benchmark());
        assertEquals(List.of("resnet50", "efficientnet_b0"), o.models());
        assertEquals(List.of("x"), o.engines());
        assertEquals(13, o.minBatches());
        assertEquals(10_000, o.minMillis());
        assertEquals(0, o.stopAfterMillis(), "no limit");
        assertEquals(BatchLadder.DEFAULT_MAX, o.maxBatch());
        assertEquals(1, o.minBatch());
        assertFalse(o.resume());
        assertTrue(o.out().getFileName().toString().startsWith("sweep-"));
    }

    @Test
    void sweepOptionsAndJmhPassThrough() throws Exception {
        SweepOptions o = SweepOptions.parse("-p", "model=a", "-p", "engine=x,y", "-p", "device=cuda:1",
                "--min-batch", "64", "--max-batch", "256", "--min-batches=20", "--min-seconds", "0.5", "--out", "d", "--resume",
                "--stop-after=540.5",
                "--benchmark", "x.Y.z", "-f", "2", "-wi", "3", "-i", "4", "-prof", "gc");
        assertEquals(Map.of("device", "cuda:1"), o.fixedParams());
        assertEquals(64, o.minBatch());
        assertEquals(256, o.maxBatch());
        assertEquals(20, o.minBatches());
        assertEquals(500, o.minMillis());
        assertEquals(540_500, o.stopAfterMillis());
        assertEquals(Path.of("d"), o.out());
        assertTrue(o.resume());
        assertEquals("x.Y.z", o.benchmark());
        assertEquals(2, o.jmh().getForkCount().get());
        assertEquals(3, o.jmh().getWarmupIterations().get());
        assertEquals(4, o.jmh().getMeasurementIterations().get());
        assertEquals("gc", o.jmh().getProfilers().get(0).getKlass());
    }

    /**
     * JMH's options in every spelling JMH takes, a value that looks like an option included; the sweep's own -p stays its
     * own.
     */
    @Test
    void jmhOptionsAreReadAsJmhReadsThem() throws Exception {
        SweepOptions o = SweepOptions.parse("-p", "engine=x", "-jvmArgsAppend", "--add-opens=java.base/java.lang=ALL-UNNAMED",
                "--prof=gc", "--jvmArgsPrepend", "-Dx=1", "-wi=2", "--out", "d");
        assertEquals(List.of("--add-opens=java.base/java.lang=ALL-UNNAMED"), List.copyOf(o.jmh().getJvmArgsAppend().get()));
        assertEquals(List.of("-Dx=1"), List.copyOf(o.jmh().getJvmArgsPrepend().get()));
        assertEquals("gc", o.jmh().getProfilers().get(0).getKlass());
        assertEquals(2, o.jmh().getWarmupIterations().get());
        assertEquals(List.of("x"), o.engines());
        assertEquals(Path.of("d"), o.out());
        assertTrue(rejected("--prof=energy:gpu=0").contains("leave gpu= out"), "every spelling of -prof is checked");
        assertEquals("-jvmArgsAppend needs a value; " + SweepOptions.USAGE, rejected("-jvmArgsAppend"));
    }

    /**
     * JMH's options that list instead of running (-l, -lp, -lprof, -lrf) are refused in one line, exit 2, before anything
     * is created: the sweep would start a whole sweep without them; the plain launcher lists.
     */
    @Test
    void listOptionsAreRefusedAndPointToThePlainLauncher(@TempDir Path tmp) {
        Map<String, String> lists = Map.of("-l", "the benchmarks", "-lp", "the benchmarks with their parameters",
                "-lprof", "the profilers", "-lrf", "the result formats");
        lists.forEach((option, what) -> {
            String expected = option + ": the sweep lists nothing; java -jar benchmarks.jar " + option + " lists " + what;
            assertEquals(expected, rejected("-p", "engine=x", option, "--out", "l1"));
            Path out = tmp.resolve("l1");
            ConsoleCapture c = ConsoleCapture.run(() -> SweepCommand.run(new String[] {option, "--out", out.toString()}));
            assertEquals(2, c.rc(), c.err());
            assertEquals("sweep: " + expected + "\n", c.err());
            assertEquals("", c.out(), "nothing ran");
            assertFalse(Files.exists(out), "nothing created");
        });
    }

    /**
     * JMH's options that choose benchmarks besides the sweep's own are refused as a benchmark pattern is: -e infer
     * would leave every configuration without a benchmark, -wmb run one without the sweep's parameters.
     */
    @Test
    void optionsThatChooseBenchmarksAreRefused() {
        String runs = "the sweep runs one benchmark, named with --benchmark (default gpuenergy.bench.InferenceBenchmark.infer)";
        assertEquals("-e infer: " + runs + "; it takes no -e", rejected("-p", "engine=x", "-e", "infer"));
        assertEquals("-wmb infer: " + runs + "; it takes no -wmb", rejected("-p", "engine=x", "-wmb", "infer"));
        assertEquals("unexpected argument 'infer': " + runs, rejected("-p", "engine=x", "infer"));
    }

    @Test
    void catalogExpandsToEveryCatalogModel() throws Exception {
        SweepOptions o = SweepOptions.parse("-p", "model=catalog", "-p", "engine=x");
        assertEquals(gpuenergy.options.ParamOption.catalogNames(), o.models());
        assertTrue(o.models().contains("resnet50") && o.models().contains("vit_large_patch16_224"), o.models().toString());
    }

    @Test
    void helpIsNotAnError() throws Exception {
        assertNull(SweepOptions.parse("--help"));
    }

    @Test
    void optionsTheSweepDecidesAreRefusedWithOneLine() {
        assertTrue(rejected("-r", "5").startsWith("-r:"));
        assertTrue(rejected("-rf", "csv").startsWith("-rf/-rff/-o:"));
        assertTrue(rejected("-rff", "x.json").startsWith("-rf/-rff/-o:"));
        assertTrue(rejected("-bm", "avgt").startsWith("-bm:"));
        assertTrue(rejected("-tu", "ms").startsWith("-tu:"));
        assertTrue(rejected("-tg", "1,1").startsWith("-tg: thread groups divide a @Group benchmark's threads"));
        assertTrue(rejected("-f", "0").startsWith("-f 0:"));
        assertTrue(rejected("-p", "batchSize=1,2").startsWith("-p batchSize:"));
        assertTrue(rejected("Inference").contains("--benchmark"));
        // one GPU measured for every configuration, whichever it runs on
        String gpu = rejected("-prof", "gpuenergy.profile.NvmlEnergyProfiler:gpu=1;hz=500");
        assertTrue(gpu.contains("a sweep measures the GPU each configuration runs on"), gpu);
        assertTrue(rejected("-prof", "energy:gpu=0").contains("leave gpu= out"));
    }

    /** -h and docs/sweep.md list the JMH options the sweep refuses, each of them and no other. */
    @Test
    void theHelpListsTheJmhOptionsTheSweepRefuses() {
        RefusedJmhOptions.assertListedAsRefused(args -> {
            try {
                SweepOptions.parse(args.toArray(new String[0]));
                return false;
            } catch (BadInputException e) {
                return true;
            }
        }, SweepOptions.help(), "JMH options passed through to every run", DocExamples.ROOT.resolve("docs/sweep.md"),
                "The sweep refuses, with one line saying why");
        assertTrue(SweepOptions.help().contains("not batchSize"), "-p batchSize is refused: " + SweepOptions.help());
    }

    /** A benchmark name among the arguments is refused, as -h and docs/sweep.md say: the sweep runs its one --benchmark. */
    @Test
    void theHelpListsPositionalBenchmarkNamesAsRefused() throws Exception {
        assertTrue(rejected("gpuenergy.bench.InferenceBenchmark.infer").contains("--benchmark"));
        String help = SweepOptions.help();
        int refused = help.indexOf("(not ", help.indexOf("JMH options passed through to every run"));
        assertTrue(help.substring(refused, help.indexOf(')', refused)).contains("positional benchmark names"), help);
        assertTrue(Files.readString(DocExamples.ROOT.resolve("docs/sweep.md")).contains("and positional benchmark names"));
    }

    @Test
    void theEnergyProfilersOtherOptionsAreTaken() throws Exception {
        assertEquals("sampling=continuous", SweepOptions.parse("-prof", "gpuenergy.profile.NvmlEnergyProfiler:sampling=continuous")
                .jmh().getProfilers().get(0).getOpts());
    }

    /**
     * An empty value (an unset shell variable: --balance-from "$PREV") is refused for every option of the sweep, those
     * given more than once too: an empty path is the working directory, which no one names so.
     */
    @Test
    void anEmptyValueIsRefused() {
        for (String option : List.of("--out", "--min-seconds", "--max-batch", "--benchmark", "--shard", "-p", "--gpus")) {
            assertEquals(option + " is given empty: give a value", rejected(option, ""));
        }
        assertEquals("--balance-from is given empty: give a value",
                rejected("--shard", "1/2", "--balance-from", "sweeps/a", "--balance-from", " "));
        assertEquals("-p is given empty: give a value", rejected("-p", "model=m", "-p", ""));
        assertEquals("--max-batch is given empty: give a value", rejected("--max-batch", "", "--max-batch", "4"));
    }

    /** Seconds are a decimal number: Java's parser would also take 3d, 3F and 0x1p1 (2 s). */
    @Test
    void secondsAreADecimalNumber() throws Exception {
        SweepOptions o = SweepOptions.parse("--min-seconds", "+2.5e0", "--stop-after", " .5 ");
        assertEquals(2500, o.minMillis());
        assertEquals(500, o.stopAfterMillis());
        for (String odd : List.of("3d", "3F", "0x1p1", "1_0", "Infinity")) {
            assertEquals("--min-seconds " + odd + ": expected seconds between 0.001 and 86400, e.g. 10 or 0.5",
                    rejected("--min-seconds", odd));
            assertEquals("--stop-after " + odd + ": expected seconds between 0.001 and 31622400, e.g. 10 or 0.5",
                    rejected("--stop-after", odd));
        }
    }

    /** --stop-after is the deadline of a whole sweep, often days (a Slurm job's --time), not one iteration's day. */
    @Test
    void stopAfterTakesAnAllocationOfDays() throws Exception {
        assertEquals(172_800_000L, SweepOptions.parse("--stop-after", "172800").stopAfterMillis());
        assertEquals(86_400_000L, SweepOptions.parse("--min-seconds", "86400").minMillis());
        assertEquals("--min-seconds 86401: expected seconds between 0.001 and 86400, e.g. 10 or 0.5",
                rejected("--min-seconds", "86401"));
        assertEquals("--stop-after 31622401: expected seconds between 0.001 and 31622400, e.g. 10 or 0.5",
                rejected("--stop-after", "31622401"));
    }

    @Test
    void badValuesNameTheValueAndWhatIsAccepted() throws Exception {
        assertEquals("--max-batch 0: expected a whole number >= 1", rejected("--max-batch", "0"));
        assertEquals("--min-batches x: expected a whole number >= 1", rejected("--min-batches", "x"));
        // a typo's billions of batches would make each iteration last months
        for (String many : List.of("2147483647", "72001")) {
            assertEquals("--min-batches " + many + ": at most 72000 (each measured iteration lasts 1.2 x that many batch "
                    + "times: at a batch a second, more would pass the 86400 s that caps --min-seconds)",
                    rejected("--min-batches", many));
        }
        assertEquals(72000, SweepOptions.parse("--min-batches", "72000").minBatches());
        assertEquals("--max-batch 99999999999: too large (at most 2147483647)", rejected("--max-batch", "99999999999"));
        assertEquals("--min-batch 48: must be a power of two (1, 2, 4, ...), a rung of the ladder", rejected("--min-batch", "48"));
        assertEquals("--min-batch 512 is above --max-batch 256: no batch size to run",
                rejected("--min-batch", "512", "--max-batch", "256"));
        assertEquals("--min-seconds 0: expected seconds between 0.001 and 86400, e.g. 10 or 0.5", rejected("--min-seconds", "0"));
        assertEquals("--stop-after 10m: expected seconds between 0.001 and 31622400, e.g. 10 or 0.5", rejected("--stop-after", "10m"));
        assertEquals("--out needs a value; " + SweepOptions.USAGE, rejected("--out"));
        assertTrue(rejected("-p", "device=a,b").contains("one value for device"));
        assertTrue(rejected("-p", "device=a", "-p", "device=b").contains("one value for device"), "not the last taken");
        assertTrue(rejected("-p", "model").startsWith("-p model: expected NAME=VALUE"));
        assertTrue(rejected("-p", "model=a,,b").contains("empty value"));
        assertTrue(rejected("--resume").startsWith("--resume needs --out"));
        assertEquals("unknown option --fast; " + SweepOptions.USAGE, rejected("--fast"), "with the usage line, as overhead, report and compare give it");
        assertTrue(rejected("-wi", "lots").startsWith("JMH option:"));
    }

    /** JMH's options are named as typed, and a value outside one of JMH's enums with the values JMH takes. */
    @Test
    void jmhOptionErrorsNameTheOptionAsTyped() {
        assertEquals("unknown option -zzz; " + SweepOptions.USAGE, rejected("-zzz"));
        assertEquals("unknown option -jvmArgsA; " + SweepOptions.USAGE, rejected("-jvmArgsA", "-Xmx1g"), "the sweep takes no abbreviation");
        assertEquals("-bm foo: not a benchmark mode (thrpt, avgt, sample, ss, all)", rejected("-bm", "foo"));
        assertEquals("-v loud: not a verbosity mode (silent, normal, extra)", rejected("-v", "loud"));
    }

    @Test
    void anOptionOfTheSweepGivenTwiceIsRefusedNotTakenLast() {
        assertEquals("--max-batch is given 2 times (2, 4): give it once", rejected("--max-batch", "2", "--max-batch", "4"));
        assertEquals("--out is given 2 times (a, b): give it once", rejected("--out", "a", "--out=b"));
        assertEquals("--resume is given 2 times: give it once", rejected("--resume", "--out", "a", "--resume"));
    }

    /** report and compare take OUT/shard-I-of-N for part I of N: a part written under another part's name is refused. */
    @Test
    void aShardsOutNamedForAnotherPartIsRefused() throws Exception {
        assertEquals("--shard 1/2 --out p/shard-2-of-2: that name is part 2 of 2's, where report and compare look for "
                + "it; give --out p/shard-1-of-2", rejected("--shard", "1/2", "--out", "p/shard-2-of-2"));
        assertEquals("--shard 2/2 --out shard-2-of-3: that name is part 2 of 3's, where report and compare look for "
                + "it; give --out shard-2-of-2", rejected("--shard", "2/2", "--out", "shard-2-of-3"));
        assertEquals(new Shard(2, 2), SweepOptions.parse("--shard", "2/2", "--out", "p/shard-2-of-2").shard());
        assertEquals(new Shard(2, 2), SweepOptions.parse("--shard", "2/2", "--out", "p/part-two").shard(),
                "a name of another form is the user's choice");
        assertEquals(new Shard(1, 2), SweepOptions.parse("--shard", "1/2", "--out", "p/shard-99999999999-of-2").shard(),
                "numbers no --shard takes name no part");
        // a sweep run whole is part 1 of 1, and records itself so
        assertEquals("--out p/shard-2-of-2: that name is part 2 of 2's, where report and compare look for it, and a sweep "
                + "without --shard runs every ladder; give --shard 2/2, or another --out", rejected("--out", "p/shard-2-of-2"));
        assertEquals("--out p/shard-3-of-2: that name is part 3 of 2's, where report and compare look for it, and a sweep "
                + "without --shard runs every ladder; give another --out", rejected("--out", "p/shard-3-of-2"));
        assertEquals(null, SweepOptions.parse("--out", "p/shard-1-of-1").shard());
    }

    @Test
    void oneLineEach() {
        for (String[] bad : new String[][] {{"-r", "5"}, {"--max-batch", "-1"}, {"-p", "device=a,b"}, {"-wi", "lots"}}) {
            assertFalse(rejected(bad).contains("\n"), String.join(" ", bad));
        }
    }

    /**
     * --shards divides the sweep into parts as --shard does, and the partition keeps a list per part: a count past
     * --shard's most is refused in --shard's words while the options are parsed, before any GPU is looked up.
     */
    @Test
    void moreShardsThanShardTakesAreTooLarge() throws Exception {
        for (String n : List.of("1000000", "2147483647", "99999999999", "+1000000")) {
            assertEquals("--shards " + n + ": too large (at most 999999)",
                    rejected("-p", "engine=x", "--gpus", "0", "--shards", n), n);
        }
        assertEquals(999_999, SweepOptions.parse("-p", "engine=x", "--gpus", "0", "--shards", "999999").shards());
        assertEquals("--shards 0: expected a whole number >= 1", rejected("-p", "engine=x", "--gpus", "0", "--shards", "0"));
    }
}
