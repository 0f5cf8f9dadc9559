package gpuenergy.cli;

import gpuenergy.ConsoleCapture;
import gpuenergy.options.SuiteSetting;
import gpuenergy.results.ParamNames;
import gpuenergy.results.ResultFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.openjdk.jmh.runner.options.CommandLineOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A -Dgpuenergy.* property that is no setting, a value a setting does not take, or a -p name no selected benchmark has
 * would be ignored unseen: each stops the run before anything runs, in one line.
 */
class SettingsTest {
    private static final String SETTINGS = "gpuenergy.energy, gpuenergy.models, gpuenergy.allowUnchecked, "
            + "gpuenergy.inputShape, gpuenergy.tensorrt.lib, gpuenergy.tensorrt.cache, gpuenergy.tensorrt.optimizationLevel, "
            + "gpuenergy.tensorrt.verbose, gpuenergy.malloc";

    @AfterEach
    void clearSettings() {
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("gpuenergy.")).forEach(System::clearProperty);
    }

    /** {@code java -jar benchmarks.jar args} in this VM, its console captured. */
    static ConsoleCapture main(String... args) {
        return ConsoleCapture.run(() -> {
            try {
                return Main.run(args);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** Exit 1 and exactly this line on stderr, in a plain run and in the subcommands that run benchmarks; nothing ran. */
    private static void refusedEverywhere(String line, Path tmp) {
        ConsoleCapture plain = main(Forked.SLEEP, "-f", "0", "-rff", tmp.resolve("r.json").toString());
        assertEquals(1, plain.rc(), plain.err());
        assertEquals(line + "\n", plain.err());
        assertFalse(tmp.resolve("r.json").toFile().exists());
        for (String command : new String[] {"sweep", "overhead"}) {
            ConsoleCapture sub = main(command, "--out", tmp.resolve(command).toString());
            assertEquals(1, sub.rc(), sub.err());
            assertEquals(command + ": " + line + "\n", sub.err());
            assertFalse(tmp.resolve(command).toFile().exists());
        }
    }

    @Test
    void aMisspeltSettingIsNamedWithTheSettings(@TempDir Path tmp) {
        System.setProperty("gpuenergy.model", tmp.toString());
        refusedEverywhere("-Dgpuenergy.model: no such setting; the suite's settings are " + SETTINGS, tmp);
    }

    /** A setting given to the forks alone is checked too: the forks read it. */
    @Test
    void aSettingForTheForksIsCheckedToo(@TempDir Path tmp) {
        ConsoleCapture plain = main(Forked.SLEEP, "-f", "0", "-jvmArgsAppend", "-Xmx1g -Dgpuenergy.model=x",
                "-rff", tmp.resolve("r.json").toString());
        assertEquals(1, plain.rc(), plain.err());
        assertEquals("-Dgpuenergy.model: no such setting; the suite's settings are " + SETTINGS + "\n", plain.err());
        ConsoleCapture bad = main(Forked.SLEEP, "-f", "0", "-jvmArgs", "-Dgpuenergy.energy=bogus", "-rff", tmp.resolve("r.json").toString());
        assertEquals(1, bad.rc(), bad.err());
        assertTrue(bad.err().startsWith("-Dgpuenergy.energy=bogus is not accepted"), bad.err());
    }

    /**
     * A setting given to the forks is checked in every spelling JMH takes for its VM-argument options, in a plain run,
     * a sweep, overhead's options for every run and a variant's own.
     */
    @Test
    void aSettingForTheForksIsCheckedInEverySpellingJmhTakes(@TempDir Path tmp) {
        String bogus = "-Dgpuenergy.bogus: no such setting; the suite's settings are " + SETTINGS + "\n";
        for (List<String> given : List.of(List.of("--jvmArgsAppend", "-Dgpuenergy.bogus=1"), List.of("-jvmArgsAppend=-Dgpuenergy.bogus=1"),
                List.of("--jvmArgs=-Xmx1g -Dgpuenergy.bogus=1"), List.of("-jvmArgsPrepend", "-Dgpuenergy.bogus=1"))) {
            List<String> args = new ArrayList<>(List.of(Forked.SLEEP, "-f", "0", "-rff", tmp.resolve("r.json").toString()));
            args.addAll(given);
            ConsoleCapture plain = main(args.toArray(new String[0]));
            assertEquals(1, plain.rc(), given + ": " + plain.err());
            assertEquals(bogus, plain.err(), given.toString());
            assertFalse(tmp.resolve("r.json").toFile().exists());
        }
        ConsoleCapture shape = main(Forked.SLEEP, "-f", "0", "--jvmArgsAppend=-Dgpuenergy.inputShape=abc", "-rff",
                tmp.resolve("r.json").toString());
        assertEquals(1, shape.rc(), shape.err());
        assertTrue(shape.err().startsWith("-Dgpuenergy.inputShape=abc is not accepted; accepted: C,H,W"), shape.err());

        ConsoleCapture sweep = main("sweep", "--benchmark", Forked.SLEEP, "--out", tmp.resolve("s").toString(),
                "--jvmArgsAppend", "-Dgpuenergy.bogus=1");
        assertEquals(1, sweep.rc(), sweep.err());
        assertEquals("sweep: " + bogus, sweep.err());
        assertFalse(tmp.resolve("s").toFile().exists());

        List<String> overhead = List.of("overhead", "-p", "engine=pytorch-fp32", "-p", "batchSize=1", "--out",
                tmp.resolve("o").toString(), "--variant", "off=");
        ConsoleCapture common = main(concat(overhead, "--variant", "gc=gc", "-jvmArgsAppend=-Dgpuenergy.bogus=1"));
        assertEquals(1, common.rc(), common.err());
        assertEquals("overhead: " + bogus, common.err());
        ConsoleCapture variant = main(concat(overhead, "--variant", "x=-jvmArgsAppend -Dgpuenergy.bogus=1"));
        assertEquals(1, variant.rc(), variant.err());
        assertEquals("overhead: --variant x=-jvmArgsAppend -Dgpuenergy.bogus=1: " + bogus, variant.err());
        assertFalse(tmp.resolve("o").toFile().exists());
    }

    /**
     * JMH splits the value of a VM-argument option given once at its spaces: a models directory with a space given so
     * reaches the forks as two arguments, java takes the second for the class to run, and every fork fails ("Could not
     * find or load main class models"). Refused in one line before anything runs, in a plain run, a sweep and overhead;
     * given with an -jvmArgsAppend of its own, as the line says, the directory reaches the forks whole.
     */
    @Test
    void aPathWithASpaceThatJmhWouldSplitIsRefused(@TempDir Path tmp) throws Exception {
        Path models = Files.createDirectories(tmp.resolve("my models"));
        String split = "-jvmArgsAppend: the forked VM would get 'models' as an argument of its own, after '-Dgpuenergy.models="
                + tmp.resolve("my") + "', and take it for the class to run; JMH splits the value of an option given once at its"
                + " spaces: put an argument that holds a space in double quotes within the value (-jvmArgsAppend '-Dname=\"a b\"'),"
                + " or give each argument with an -jvmArgsAppend of its own\n";
        Path result = tmp.resolve("r.json");
        ConsoleCapture plain = main(Forked.SLEEP, "-f", "0", "-jvmArgsAppend", "-Dgpuenergy.models=" + models, "-rff", result.toString());
        assertEquals(1, plain.rc(), plain.err());
        assertEquals(split, plain.err());
        assertEquals("", plain.out(), "nothing ran");
        ConsoleCapture sweep = main("sweep", "--benchmark", Forked.SLEEP, "--out", tmp.resolve("s").toString(),
                "-jvmArgsAppend", "-Dgpuenergy.models=" + models);
        assertEquals(1, sweep.rc(), sweep.err());
        assertEquals("sweep: " + split, sweep.err());
        ConsoleCapture overhead = main("overhead", "-p", "engine=pytorch-fp32", "-p", "batchSize=1", "--out", tmp.resolve("o").toString(),
                "--variant", "off=", "--variant", "gc=gc", "-jvmArgsAppend", "-Dgpuenergy.models=" + models);
        assertEquals(1, overhead.rc(), overhead.err());
        assertEquals("overhead: " + split, overhead.err());
        assertFalse(Files.exists(result) || Files.exists(tmp.resolve("s")) || Files.exists(tmp.resolve("o")));

        // the fork reads the models directory whole: its line for a model it does not hold names the directory
        ConsoleCapture whole = main("InferenceBenchmark.infer", "-p", "model=nosuch", "-p", "engine=pytorch-fp32", "-p", "device=cpu",
                "-p", "batchSize=1", "-f", "1", "-wi", "0", "-i", "1", "-r", "100ms", "-jvmArgsAppend", "-Dgpuenergy.models=" + models,
                "-jvmArgsAppend", "-Xss1m", "-rff", result.toString());
        assertEquals(1, whole.rc(), whole.out() + whole.err());
        String reason = gpuenergy.results.NotRunList.read(gpuenergy.results.NotRunList.besides(result)).get(0).reason();
        assertTrue(reason.startsWith("unknown model 'nosuch': no " + models.resolve("nosuch/nosuch-fp32.pt") + ";"), reason);
    }

    /**
     * The forked java reads an @FILE argument's words in its place: a setting in it is checked as if given itself, in a
     * plain run, a sweep and overhead's options for every run and a variant's own.
     */
    @Test
    void aSettingInAnArgumentFileForTheForksIsChecked(@TempDir Path tmp) throws IOException {
        Path args = Files.writeString(tmp.resolve("args"), "-Xmx1g\n  -Dgpuenergy.bogus=1 # no such setting\n");
        String bogus = "-Dgpuenergy.bogus: no such setting; the suite's settings are " + SETTINGS + "\n";
        for (String option : List.of("-jvmArgsPrepend", "-jvmArgs", "-jvmArgsAppend")) {
            ConsoleCapture plain = main(Forked.SLEEP, "-f", "0", option, "@" + args, "-rff", tmp.resolve("r.json").toString());
            assertEquals(1, plain.rc(), option + ": " + plain.err());
            assertEquals(bogus, plain.err(), option);
            assertFalse(tmp.resolve("r.json").toFile().exists());
        }
        // the value as the launcher reads it: quotes group, a backslash escapes inside them
        Files.writeString(args, "'-Dgpuenergy.inputShape=3,\\a'\n");
        ConsoleCapture shape = main(Forked.SLEEP, "-f", "0", "-jvmArgsAppend", "@" + args, "-rff", tmp.resolve("r.json").toString());
        assertEquals(1, shape.rc(), shape.err());
        assertTrue(shape.err().startsWith("-Dgpuenergy.inputShape=3,a is not accepted; accepted: C,H,W"), shape.err());

        Files.writeString(args, "-Dgpuenergy.bogus=1\n");
        ConsoleCapture sweep = main("sweep", "--benchmark", Forked.SLEEP, "--out", tmp.resolve("s").toString(),
                "-jvmArgsAppend", "@" + args);
        assertEquals(1, sweep.rc(), sweep.err());
        assertEquals("sweep: " + bogus, sweep.err());
        assertFalse(tmp.resolve("s").toFile().exists());
        List<String> overhead = List.of("overhead", "-p", "engine=pytorch-fp32", "-p", "batchSize=1", "--out",
                tmp.resolve("o").toString(), "--variant", "off=");
        ConsoleCapture common = main(concat(overhead, "--variant", "gc=gc", "-jvmArgsAppend", "@" + args));
        assertEquals(1, common.rc(), common.err());
        assertEquals("overhead: " + bogus, common.err());
        ConsoleCapture variant = main(concat(overhead, "--variant", "x=-jvmArgsAppend @" + args));
        assertEquals(1, variant.rc(), variant.err());
        assertEquals("overhead: --variant x=-jvmArgsAppend @" + args + ": " + bogus, variant.err());
        assertFalse(tmp.resolve("o").toFile().exists());
    }

    /**
     * An argument file holding accepted settings among quoted words and comments runs, handed to the fork as it is: the
     * words that would be refused are inside comments, the last value of a setting given twice is the one the fork
     * reads, and the fork reads the file's quoted words as the check does (it writes the trace file named by one).
     */
    @Test
    void anArgumentFileWithAcceptedSettingsRuns(@TempDir Path tmp) throws IOException {
        Path trace = tmp.resolve("a trace");
        Path args = Files.writeString(tmp.resolve("forks.args"), String.join("\n",
                "# -Dgpuenergy.bogus=1 is a comment here",
                "\"-Dgpuenergy.models=" + tmp.resolve("a dir") + "\"  -Dgpuenergy.tensorrt.verbose=maybe",
                "-Dgpuenergy.tensorrt.verbose=true   # a comment: -Dgpuenergy.energy=on",
                "-Dgpuenergy.inputShape='3, 32, 32' '-Dsleepbenchmark.trace=" + trace + "'"));
        ConsoleCapture run = main(Forked.SLEEP, "-f", "1", "-wi", "0", "-i", "1", "-r", "100ms", "-p", "model=fits8",
                "-jvmArgsAppend", "@" + args, "-rff", tmp.resolve("r.json").toString());
        assertEquals(0, run.rc(), run.out() + run.err());
        assertTrue(tmp.resolve("r.json").toFile().exists());
        assertTrue(Files.exists(trace), "the fork read the argument file:\n" + run.out());
    }

    /**
     * An argument file that cannot be read would fail every fork ("Error: could not open ..."), which JMH reports with
     * stack traces: refused before anything runs, in one line naming the option and the file.
     */
    @Test
    void anArgumentFileThatCannotBeReadIsOneLine(@TempDir Path tmp) throws Exception {
        String missing = "@" + tmp.resolve("nosuch");
        ConsoleCapture plain = main(Forked.SLEEP, "-f", "0", "--jvmArgs=-Xmx1g " + missing, "-rff", tmp.resolve("r.json").toString());
        assertEquals(1, plain.rc(), plain.err());
        assertEquals("-jvmArgs " + missing + ": cannot read the argument file (no such file or directory)\n", plain.err());
        assertFalse(tmp.resolve("r.json").toFile().exists());
        ConsoleCapture dir = main(Forked.SLEEP, "-f", "0", "-jvmArgsPrepend", "@" + tmp, "-rff", tmp.resolve("r.json").toString());
        assertEquals(1, dir.rc(), dir.err());
        assertTrue(dir.err().startsWith("-jvmArgsPrepend @" + tmp + ": cannot read the argument file ("), dir.err());
        assertEquals(1, dir.err().lines().count(), dir.err());

        ConsoleCapture sweep = main("sweep", "--benchmark", Forked.SLEEP, "--out", tmp.resolve("s").toString(),
                "-jvmArgsAppend", missing);
        assertEquals(1, sweep.rc(), sweep.err());
        assertEquals("sweep: -jvmArgsAppend " + missing + ": cannot read the argument file (no such file or directory)\n",
                sweep.err());
        assertFalse(tmp.resolve("s").toFile().exists());
        // a file without end is not read into memory
        assertEquals("-jvmArgsAppend @/dev/zero: cannot read the argument file (more than 4 MiB: not an argument file)",
                Main.cannotRun(new CommandLineOptions("-jvmArgsAppend", "@/dev/zero")));
    }

    /**
     * {@code @@WORD} is the word {@code @WORD} to the launcher, which names no file and sets no property, and {@code @}
     * alone is itself.
     */
    @Test
    void anEscapedAtSignNamesNoFile(@TempDir Path tmp) throws Exception {
        for (String word : List.of("@@" + tmp.resolve("nosuch"), "@@-Dgpuenergy.bogus=1", "@")) {
            assertNull(Main.cannotRun(new CommandLineOptions("-jvmArgsAppend", word)), word);
        }
    }

    /**
     * A -jvm that names no executable file stops JMH at its first benchmark with a stack trace (-f 0 too: it runs it to
     * read the forks' properties): it stops the run before anything runs, in one line naming it, in a plain run, a
     * sweep, overhead's options for every run and a variant's own.
     */
    @Test
    void aJvmThatIsNoExecutableFileIsOneLine(@TempDir Path tmp) throws Exception {
        Path script = Files.writeString(tmp.resolve("java"), "#!/bin/sh\nexec java \"$@\"\n"); // not marked executable
        for (String jvm : List.of(tmp.resolve("nosuch/java").toString(), script.toString(), tmp.toString())) {
            ConsoleCapture plain = main(Forked.SLEEP, "-f", "0", "-jvm", jvm, "-rff", tmp.resolve("r.json").toString());
            assertEquals(1, plain.rc(), plain.err());
            assertEquals("-jvm " + jvm + ": not an executable file\n", plain.err());
        }
        ConsoleCapture bare = main(Forked.SLEEP, "-jvm", "no-such-java-here", "-rff", tmp.resolve("r.json").toString());
        assertEquals(1, bare.rc(), bare.err());
        assertEquals("-jvm no-such-java-here: not an executable file on PATH\n", bare.err());
        assertFalse(tmp.resolve("r.json").toFile().exists());
        assertNull(Main.cannotRun(new CommandLineOptions("-jvm", Path.of(System.getProperty("java.home"), "bin", "java").toString())),
                "the running VM's java");

        String missing = tmp.resolve("nosuch/java").toString();
        String line = "-jvm " + missing + ": not an executable file\n";
        ConsoleCapture sweep = main("sweep", "--benchmark", Forked.SLEEP, "--out", tmp.resolve("s").toString(), "-jvm", missing);
        assertEquals(1, sweep.rc(), sweep.err());
        assertEquals("sweep: " + line, sweep.err());
        assertFalse(tmp.resolve("s").toFile().exists());

        List<String> overhead = List.of("overhead", "-p", "engine=pytorch-fp32", "-p", "batchSize=1", "--out",
                tmp.resolve("o").toString(), "--variant", "off=");
        ConsoleCapture common = main(concat(overhead, "--variant", "gc=gc", "-jvm", missing));
        assertEquals(1, common.rc(), common.err());
        assertEquals("overhead: " + line, common.err());
        ConsoleCapture variant = main(concat(overhead, "--variant", "x=-jvm " + missing));
        assertEquals(1, variant.rc(), variant.err());
        assertEquals("overhead: --variant x=-jvm " + missing + ": " + line, variant.err());
        assertFalse(tmp.resolve("o").toFile().exists());
    }

    private static String[] concat(List<String> first, String... more) {
        List<String> all = new ArrayList<>(first);
        all.addAll(List.of(more));
        return all.toArray(new String[0]);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "gpuenergy.energy|bogus|-Dgpuenergy.energy=bogus is not accepted; accepted: off (do not add the energy profiler)",
            "gpuenergy.allowUnchecked|maybe|-Dgpuenergy.allowUnchecked=maybe is not accepted; accepted: true or false "
                    + "(benchmark artifacts without a passing numerics record)",
            "gpuenergy.inputShape|3,224|-Dgpuenergy.inputShape=3,224 is not accepted; accepted: C,H,W with positive integers, "
                    + "e.g. 3,224,224 (input shape for models without a record)",
            "gpuenergy.tensorrt.optimizationLevel|7|-Dgpuenergy.tensorrt.optimizationLevel=7 is not accepted; accepted: 0..5 "
                    + "(TensorRT's builder optimization level; 3 is TensorRT's default)",
            "gpuenergy.tensorrt.verbose|yes|-Dgpuenergy.tensorrt.verbose=yes is not accepted; accepted: true or false "
                    + "(print TensorRT's whole log)",
            "gpuenergy.malloc|fixed|-Dgpuenergy.malloc=fixed is not accepted; accepted: default (leave glibc malloc's own "
                    + "moving thresholds, which the suite otherwise fixes in its forks)"})
    void aValueTheSettingDoesNotTakeIsNamedWithWhatItTakes(String name, String value, String line, @TempDir Path tmp) {
        System.setProperty(name, value);
        refusedEverywhere(line, tmp);
    }

    /**
     * A libtorch thread count DJL would pass over (abc) or fail on (0) is refused once, before any fork starts, given to
     * the launcher or to the forks alike; not a fork each that fails with it.
     */
    @Test
    void aLibtorchThreadCountOtherThanAWholeNumberIsRefusedBeforeAnyFork(@TempDir Path tmp) {
        String property = SuiteSetting.TORCH_THREADS.property();
        String before = System.getProperty(property);
        try {
            for (String value : List.of("abc", "0", "1.5")) {
                System.setProperty(property, value);
                refusedEverywhere("-Dai.djl.pytorch.num_threads=" + value + " is not accepted; accepted: a whole number >= 1 "
                        + "(libtorch's intra-op threads)", tmp);
            }
            System.clearProperty(property);
            ConsoleCapture forks = main(Forked.SLEEP, "-f", "0", "-jvmArgsAppend", "-Dai.djl.pytorch.num_threads=abc",
                    "-rff", tmp.resolve("r.json").toString());
            assertEquals(1, forks.rc(), forks.err());
            assertEquals("-Dai.djl.pytorch.num_threads=abc is not accepted; accepted: a whole number >= 1 "
                    + "(libtorch's intra-op threads)\n", forks.err());
            assertFalse(tmp.resolve("r.json").toFile().exists());
        } finally {
            if (before == null) {
                System.clearProperty(property);
            } else {
                System.setProperty(property, before);
            }
        }
    }

    @Test
    void helpAndListsAreNotStoppedByABadSetting() {
        System.setProperty("gpuenergy.model", "x");
        ConsoleCapture help = main("-h");
        assertEquals(0, help.rc(), help.err());
        for (SuiteSetting s : SuiteSetting.documented()) {
            assertTrue(help.out().contains(s.example() + " "), s.example() + " missing from -h:\n" + help.out());
        }
        assertFalse(help.out().contains(SuiteSetting.RECORDS.property()), "internal, not the user's: " + help.out());
        assertEquals(0, main("-l").rc());
    }

    @Test
    void validSettingsRun(@TempDir Path tmp) {
        System.setProperty("gpuenergy.energy", "off");
        System.setProperty("gpuenergy.models", tmp.toString());
        System.setProperty("gpuenergy.allowUnchecked", "FALSE");
        System.setProperty("gpuenergy.inputShape", "3, 32, 32");
        System.setProperty("gpuenergy.tensorrt.lib", tmp.toString());
        System.setProperty("gpuenergy.tensorrt.cache", tmp.toString());
        System.setProperty("gpuenergy.tensorrt.optimizationLevel", "0");
        System.setProperty("gpuenergy.tensorrt.verbose", "true");
        ConsoleCapture run = main(Forked.SLEEP, "-f", "0", "-wi", "0", "-i", "1", "-r", "100ms", "-p", "model=fits8",
                "-rff", tmp.resolve("r.json").toString());
        assertEquals(0, run.rc(), run.out() + run.err());
        assertTrue(tmp.resolve("r.json").toFile().exists());
    }

    @Test
    void aParameterNoSelectedBenchmarkHasIsOneLine(@TempDir Path tmp) {
        ConsoleCapture run = main(Forked.SLEEP, "-f", "0", "-p", "model=fits8", "-p", "nosuch=1,2",
                "-rff", tmp.resolve("r.json").toString());
        assertEquals(1, run.rc(), run.err());
        assertEquals("-p nosuch: no selected benchmark has this parameter; SleepBenchmark's are batchSize, device, engine, model\n",
                run.err());
        assertFalse(tmp.resolve("r.json").toFile().exists());
        // the attached forms JMH reads too
        ConsoleCapture attached = main(Forked.SLEEP, "-f", "0", "-pnosuch=1", "-rff", tmp.resolve("r.json").toString());
        assertEquals(1, attached.rc(), attached.err());
        assertTrue(attached.err().startsWith("-p nosuch: "), attached.err());
    }

    /** A listing given a -p name no selected benchmark has is refused as the run is: -lp would list it as if it were theirs. */
    @Test
    void aListingWithAParameterNoSelectedBenchmarkHasIsOneLine() {
        for (String list : List.of("-l", "-lp")) {
            ConsoleCapture listing = main(Forked.SLEEP, list, "-p", "model=fits8", "-p", "nosuch=1");
            assertEquals(1, listing.rc(), list + ": " + listing.err());
            assertEquals("-p nosuch: no selected benchmark has this parameter; SleepBenchmark's are batchSize, device, engine, model\n",
                    listing.err(), list);
            assertEquals("", listing.out(), list);
        }
        ConsoleCapture known = main(Forked.SLEEP, "-lp", "-p", "model=fits8");
        assertEquals(0, known.rc(), known.err());
        assertTrue(known.out().contains("param \"model\" = {fits8}"), known.out());
    }

    /** A -p option without a name would be ignored by JMH: refused as other bad -p input is, in one line. */
    @Test
    void aParameterWithoutANameIsOneLine(@TempDir Path tmp) {
        ConsoleCapture run = main(Forked.SLEEP, "-f", "0", "-p", "model=fits8", "-p", "=1", "-rff", tmp.resolve("r.json").toString());
        assertEquals(1, run.rc(), run.err());
        assertEquals("-p =1: expected NAME=VALUE[,VALUE...], e.g. -p model=resnet50,efficientnet_b0\n", run.err());
        assertFalse(tmp.resolve("r.json").toFile().exists());
    }

    /**
     * A value given twice, in one -p or in two, is measured once, as sweep and overhead run it: twice would be two
     * results of one benchmark, which no reader takes.
     */
    @Test
    void aParameterValueGivenTwiceIsMeasuredOnce(@TempDir Path tmp) throws Exception {
        for (String[] p : new String[][] {{"-p", "batchSize=1,1"}, {"-p", "batchSize=1", "-p", "batchSize=1, 2"}}) {
            Path result = tmp.resolve(p.length + ".json");
            List<String> args = new ArrayList<>(List.of(Forked.SLEEP, "-f", "0", "-wi", "0", "-i", "1", "-r", "100ms",
                    "-rff", result.toString()));
            args.addAll(List.of(p));
            ConsoleCapture run = main(args.toArray(new String[0]));
            assertEquals(0, run.rc(), run.out() + run.err());
            List<String> batchSizes = ResultFile.read(result).stream().map(r -> r.params().get(ParamNames.BATCH_SIZE)).toList();
            assertEquals(p.length == 2 ? List.of("1") : List.of("1", "2"), batchSizes, String.join(" ", p));
        }
    }

    @Test
    void aSweepParameterTheBenchmarkDoesNotHaveIsBadInput(@TempDir Path tmp) {
        ConsoleCapture sweep = main("sweep", "--benchmark", Forked.SLEEP, "-p", "nosuch=1", "--out", tmp.resolve("s").toString());
        assertEquals(2, sweep.rc(), sweep.err());
        assertEquals("sweep: -p nosuch=1: " + Forked.SLEEP + " has no parameter nosuch; its parameters: batchSize, device, "
                + "engine, model\n", sweep.err());
    }

    /**
     * java -Dai.djl.pytorch.num_threads=2 -jar benchmarks.jar, a plain run and a sweep: each JMH fork runs libtorch on 2
     * threads, with -jvmArgs too, which replaces the launcher's own arguments JMH would otherwise give the forks.
     */
    @Test
    void theThreadCountGivenToJavaReachesEveryFork(@TempDir Path tmp) throws Exception {
        List<String> vm = List.of("-D" + SuiteSetting.TORCH_THREADS.property() + "=2", "-Djmh.ignoreLock=true");
        Path trace = tmp.resolve("trials.txt");
        List<String> forks = List.of("-jvmArgs", "-Xmx512m", "-jvmArgsAppend", "-Dsleepbenchmark.trace=" + trace);
        List<String> plain = new ArrayList<>(List.of(Forked.SLEEP, "-f", "1", "-wi", "0", "-i", "1", "-r", "100ms", "-p",
                "model=fits8", "-rff", tmp.resolve("r.json").toString()));
        plain.addAll(forks);
        List<String> sweep = new ArrayList<>(List.of("sweep", "--benchmark", Forked.SLEEP, "-p", "model=fits1", "-p",
                "engine=sleep", "--min-seconds", "0.03", "--min-batches", "1", "--out", tmp.resolve("s").toString()));
        sweep.addAll(forks);
        for (List<String> args : List.of(plain, sweep)) {
            Files.deleteIfExists(trace);
            Path log = tmp.resolve(args.get(0) + ".log");
            assertEquals(0, Forked.run(Forked.java(log, vm, Main.class.getName(), args.toArray(new String[0]))), Forked.read(log));
            List<String> threads = Files.readAllLines(trace).stream().map(l -> l.split(" ")[4]).distinct().toList();
            assertEquals(List.of("2"), threads, args.get(0) + ": the forks' thread counts\n" + Forked.read(log));
        }
    }

    /** What the forks and the engine builder are given: the settings, by name; not the launcher's records file. */
    @Test
    void theSettingsGivenAreWhatEveryStartedVmGets() {
        System.setProperty("gpuenergy.tensorrt.verbose", "true");
        System.setProperty("gpuenergy.energy", "off");
        System.setProperty(SuiteSetting.RECORDS.property(), "/tmp/records.jsonl");
        assertEquals(Arrays.asList("-Dgpuenergy.energy=off", "-Dgpuenergy.tensorrt.verbose=true"), SuiteSetting.jvmArgs());
    }
}
