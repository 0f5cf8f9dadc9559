package gpuenergy.overhead;

import gpuenergy.ConsoleCapture;
import gpuenergy.DocExamples;
import gpuenergy.SymbolicLinkInOut;
import gpuenergy.UnwritableDirectory;
import gpuenergy.options.JmhOptions;
import gpuenergy.options.RefusedJmhOptions;
import gpuenergy.profile.NvmlEnergyProfiler;
import gpuenergy.results.BadInputException;
import gpuenergy.results.NotRun;
import gpuenergy.results.NotRunList;
import gpuenergy.results.ParamNames;
import gpuenergy.run.DirectoryLock;
import gpuenergy.run.Profilers;
import gpuenergy.run.RunHooks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.runner.options.ProfilerConfig;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The command's plan (configurations, run order, file names) and its refusals; nothing runs here. */
class OverheadCommandTest {
    private static final List<Variant> ABC = List.of(new Variant("off", ""), new Variant("continuous", "energy"),
            new Variant("lean", "gc"));

    /** Odd rounds in the order given, even ones reversed: over two rounds each variant's mean position is the same. */
    @Test
    void roundsAlternateTheOrder() {
        assertEquals(List.of("off", "continuous", "lean"), OverheadCommand.order(ABC, 1).stream().map(Variant::name).toList());
        assertEquals(List.of("lean", "continuous", "off"), OverheadCommand.order(ABC, 2).stream().map(Variant::name).toList());
        assertEquals(OverheadCommand.order(ABC, 1), OverheadCommand.order(ABC, 3));
        for (Variant v : ABC) {
            int positions = OverheadCommand.order(ABC, 1).indexOf(v) + OverheadCommand.order(ABC, 2).indexOf(v);
            assertEquals(ABC.size() - 1, positions, v.name());
        }
    }

    /** The -p values' product, the last varying fastest; a parameter declared with several values and not named joins it. */
    @Test
    void configurationsAreTheProductOfTheValues() throws Exception {
        List<Map<String, String>> given = OverheadCommand.configurations(OverheadCommand.benchmark(),
                List.of("engine=pytorch-fp32,pytorch-fp16", "batchSize=1,16,128"), List.of());
        assertEquals(6, given.size());
        assertEquals(Map.of("engine", "pytorch-fp32", "batchSize", "1"), given.get(0));
        assertEquals(Map.of("engine", "pytorch-fp32", "batchSize", "16"), given.get(1));
        assertEquals(Map.of("engine", "pytorch-fp16", "batchSize", "128"), given.get(5));
        // InferenceBenchmark declares batchSize 1 and 8, engine pytorch-fp32 and pytorch-fp16; model and device one each
        List<Map<String, String>> declared = OverheadCommand.configurations(OverheadCommand.benchmark(),
                List.of("model=resnet50"), List.of());
        assertEquals(List.of(Map.of("model", "resnet50", "batchSize", "1", "engine", "pytorch-fp32"),
                Map.of("model", "resnet50", "batchSize", "1", "engine", "pytorch-fp16"),
                Map.of("model", "resnet50", "batchSize", "8", "engine", "pytorch-fp32"),
                Map.of("model", "resnet50", "batchSize", "8", "engine", "pytorch-fp16")), declared);
    }

    /** model=catalog is every catalog model, as in the sweep; a model also named on its own is one configuration. */
    @Test
    void theCatalogIsEveryCatalogModel() throws Exception {
        List<Map<String, String>> configs = OverheadCommand.configurations(OverheadCommand.benchmark(),
                List.of("model=resnet50,catalog", "engine=pytorch-fp32", "batchSize=1"), List.of());
        List<String> models = configs.stream().map(c -> c.get("model")).toList();
        List<String> catalog = gpuenergy.options.ParamOption.catalogNames();
        assertTrue(catalog.size() > 5 && catalog.contains("resnet50"), catalog.toString());
        assertEquals(catalog.size(), models.size(), models.toString());
        assertEquals(new TreeSet<>(catalog), new TreeSet<>(models));
        assertEquals("resnet50", models.get(0));
    }

    /** A value given twice is one configuration, as when two -p of one name repeat it: not two rows of the same runs. */
    @Test
    void aValueGivenTwiceIsOneConfiguration() throws Exception {
        assertEquals(List.of(Map.of("engine", "pytorch-fp32", "batchSize", "1"), Map.of("engine", "pytorch-fp32", "batchSize", "16")),
                OverheadCommand.configurations(OverheadCommand.benchmark(), List.of("engine=pytorch-fp32", "batchSize=1,16, 1"), List.of()));
    }

    @Test
    void resultNamesAreSafeAndDistinct() {
        Map<String, String> config = new java.util.LinkedHashMap<>();
        config.put(ParamNames.MODEL, "/models/my net.onnx");
        config.put(ParamNames.BATCH_SIZE, "16");
        assertEquals("model=_models_my_net.onnx+batchSize=16.r2.lean.json",
                OverheadCommand.resultName(config, 2, ABC.get(2)));
    }

    @Test
    void aVariantIsAProfilerOrTheJmhOptionsItAdds() throws Exception {
        List<Variant> vs = Variant.parse(List.of("off=", "on=energy:idle=0;hz=500",
                "pinned=-jvm /opt/pinned-java  -prof energy -jvmArgsAppend -XX:+UseSerialGC"));
        assertEquals(List.of(), vs.get(0).jmhOptions());
        assertEquals(List.of("-prof", "energy:idle=0;hz=500"), vs.get(1).jmhOptions());
        assertEquals(List.of("-jvm", "/opt/pinned-java", "-prof", "energy", "-jvmArgsAppend", "-XX:+UseSerialGC"),
                vs.get(2).jmhOptions());
        assertEquals("pinned (-jvm /opt/pinned-java -prof energy -jvmArgsAppend -XX:+UseSerialGC)", vs.get(2).toString());
        assertEquals("off (no profiler)", vs.get(0).toString());
    }

    /**
     * A variant's VM arguments follow the command's, each reaching the forked VM as JMH gives it for a plain run: JMH
     * splits the value of a VM-argument option given once at its spaces (outside double quotes), and takes the values of
     * one given several times whole, so a models directory with a space, given with an -jvmArgsAppend of its own or in
     * double quotes, stays one argument.
     */
    @Test
    void aVariantsVmArgumentsFollowTheCommandsAsJmhGivesThem(@TempDir Path tmp) throws Exception {
        String models = "-Dgpuenergy.models=" + Files.createDirectories(tmp.resolve("my models"));
        JmhOptions.Given joined = OverheadCommand.joinVmArguments(JmhOptions.read(List.of("-wi", "2", "-jvmArgsAppend", "-Xmx8g -Dx=1")),
                JmhOptions.read(List.of("-prof", "gc", "--jvmArgsAppend", "-XX:+UseSerialGC", "-jvmArgs=-Da=b")));
        assertEquals(List.of("-Xmx8g", "-Dx=1", "-XX:+UseSerialGC"), List.copyOf(JmhOptions.parse(joined).getJvmArgsAppend().get()));
        assertEquals(List.of("-Da=b"), List.copyOf(JmhOptions.parse(joined).getJvmArgs().get()));
        assertEquals(List.of("-i", "3", "-prof", "gc"), OverheadCommand.joinVmArguments(JmhOptions.read(List.of("-i", "3")),
                JmhOptions.read(List.of("-prof", "gc"))).arguments());

        JmhOptions.Given variant = JmhOptions.read(List.of("-jvmArgsAppend", "-XX:+UseSerialGC"));
        for (List<String> common : List.of(List.of("-jvmArgsAppend", models, "-jvmArgsAppend", "-Xmx2g"),
                List.of("-jvmArgsAppend", "-Xmx2g " + models.replace("=", "=\"") + "\""))) {
            List<String> forks = new ArrayList<>(JmhOptions.vmArguments(JmhOptions.read(common), "jvmArgsAppend"));
            assertTrue(forks.contains(models), common + " gives the forks " + forks);
            forks.add("-XX:+UseSerialGC");
            assertEquals(forks, List.copyOf(JmhOptions.parse(OverheadCommand.joinVmArguments(JmhOptions.read(common), variant))
                    .getJvmArgsAppend().get()), common.toString());
        }
        // one argument alone, which JMH would split as the value of an option given once, goes in double quotes
        JmhOptions.Given quoted = JmhOptions.read(List.of("-jvmArgsAppend", models.replace("=", "=\"") + "\""));
        assertEquals(List.of(models), List.copyOf(JmhOptions.parse(OverheadCommand.joinVmArguments(quoted, JmhOptions.read(
                List.of("-prof", "gc")))).getJvmArgsAppend().get()));
    }

    /** A variant's options and the command's are read as JMH reads them, in every spelling JMH takes. */
    @Test
    void jmhOptionsAreReadAsJmhReadsThem(@TempDir Path tmp) throws Exception {
        List<Variant> vs = Variant.parse(List.of("off=", "serial=--jvmArgsAppend=-XX:+UseSerialGC -prof=gc"));
        assertEquals(Map.of("jvmArgsAppend", List.of("-XX:+UseSerialGC"), "prof", List.of("gc")), vs.get(1).options().options());
        // the value of -jvmArgsAppend is its value, though it starts with --: the command goes on to -f 3, which it refuses
        ConsoleCapture r = call("-jvmArgsAppend", "--add-opens=java.base/java.lang=ALL-UNNAMED", "-f", "3", "--variant", "off=",
                "--variant", "gc=gc", "--out", tmp.resolve("o").toString());
        assertEquals(2, r.rc(), r.err());
        assertTrue(r.err().startsWith("overhead: -f 3: each run is one forked VM"), r.err());
    }

    private static ConsoleCapture call(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = OverheadCommand.run(args, RunHooks.NONE, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new ConsoleCapture(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void helpSaysHowTheRatioIsMadeAndRead() {
        ConsoleCapture help = call("-h");
        assertEquals(0, help.rc());
        assertTrue(help.out().startsWith(OverheadCommand.USAGE), help.out());
        for (String s : List.of("--variant NAME=SPEC", "--rounds N", "--tolerance P%", "--out DIR", "bootstrap",
                "even rounds reversed", "too-noisy", "interleave=true", "-wmb, positional benchmark names")) {
            assertTrue(help.out().contains(s), s + " in " + help.out());
        }
    }

    /**
     * -h and docs/overhead.md list the JMH options the command refuses, each of them and no other: an option it takes
     * goes on to the -p parameter the benchmark does not have, refused after JMH's options and before anything runs.
     */
    @Test
    void theHelpListsTheJmhOptionsTheCommandRefuses(@TempDir Path tmp) {
        String stop = "overhead: -p nosuch=1: ";
        RefusedJmhOptions.assertListedAsRefused(args -> {
            List<String> line = new ArrayList<>(args);
            line.addAll(List.of("-p", "nosuch=1", "--variant", "off=", "--variant", "gc=gc", "--out", tmp.resolve("o").toString()));
            ConsoleCapture r = call(line.toArray(new String[0]));
            assertEquals(2, r.rc(), line + ": " + r.out() + r.err());
            return !r.err().startsWith(stop);
        }, call("-h").out(), "JMH options for every run", DocExamples.ROOT.resolve("docs/overhead.md"),
                "The JMH options the command decides itself are refused");
        assertFalse(Files.exists(tmp.resolve("o")));
    }

    /** --tolerance is a decimal percentage: Java's parser would also take 1d%, 1F% and 0x1p0%. */
    @Test
    void aToleranceIsADecimalPercentage() throws Exception {
        assertEquals(0.015, OverheadCommand.tolerance("1.5%"), 1e-15);
        for (String odd : List.of("1d%", "1F%", "0x1p0%")) {
            BadInputException e = assertThrows(BadInputException.class, () -> OverheadCommand.tolerance(odd), odd);
            assertEquals("--tolerance " + odd + ": expected a percentage from 0% to below 100%, e.g. 3% or 0.5%",
                    e.getMessage());
        }
    }

    /**
     * A variant's NAME:help is answered as a plain run's -prof NAME:help: the profiler's options whole, exit 0, nothing
     * written (the suite's profilers name it where they refuse an option).
     */
    @Test
    void aVariantsProfilerHelpIsItsOptions(@TempDir Path tmp) {
        Path out = tmp.resolve("o");
        String sched = "gpuenergy.profile.SchedulingProfiler:help"; // RunHooks.NONE knows no short name
        for (String spec : List.of(sched, "-prof gc -prof " + sched)) {
            ConsoleCapture r = call("--variant", "off=", "--variant", "s=" + spec, "--out", out.toString());
            assertEquals(0, r.rc(), spec + ": " + r.err());
            assertTrue(r.out().startsWith("Usage: -prof gpuenergy.profile.SchedulingProfiler:"), r.out());
            assertTrue(r.out().contains("probe=<true|false>"), r.out());
            assertEquals("", r.err());
            assertFalse(Files.exists(out));
        }
    }

    /** Each bad input is one line and exit 2, before anything runs or is written. */
    @Test
    void badInputIsOneLine(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("o");
        Map<List<String>, String> cases = Map.ofEntries(
                Map.entry(List.of("--variant", "off="), "--variant: give at least two"),
                Map.entry(List.of("--variant", "on=energy"), "--variant: give at least two"),
                Map.entry(List.of("--variant", "on=energy:interleave=maybe"),
                        "--variant on=energy:interleave=maybe: gpu energy: interleave=maybe is not accepted; accepted: true or false"),
                // a lone variant that compares inside its runs is taken: what stops it here is the GPU it needs
                Map.entry(List.of("--variant", "ends=energy:interleave=true"), "--variant ends=energy:interleave=true: the "
                        + "profiler does not load:"),
                Map.entry(List.of("--variant", "a=", "--variant", "a=gc"), "--variant a=gc: the name a is given twice"),
                Map.entry(List.of("--variant", "a=", "--variant", "A=gc"), "--variant A=gc: the name A is given twice (as a;"),
                Map.entry(List.of("--variant", "a b=gc", "--variant", "c="), "--variant a b=gc: expected NAME=SPEC"),
                Map.entry(List.of("--variant", "off=", "--variant", "off.unfinished=gc"),
                        "--variant off.unfinished=gc: its run files, <config>.r<round>.off.unfinished.json, would be taken "
                                + "for the measured iterations of benchmarks that did not finish"),
                Map.entry(List.of("--variant", "a=", "--variant", "b=nosuch"), "--variant b=nosuch: the profiler does not load:"),
                // JMH's own profilers name an option they do not take by its first letter; the line gives it whole
                Map.entry(List.of("--variant", "a=", "--variant", "b=gc:interleave=true"), "--variant b=gc:interleave=true: "
                        + "the profiler does not load: an option in 'interleave=true' is not one it takes (JMH reads it as: i "
                        + "is not a recognized option); gc:help lists those it takes\n"),
                Map.entry(List.of("--variant", "a=", "--variant", "b=-f 3"), "--variant b=-f 3: -f is not an option a variant adds;"),
                Map.entry(List.of("--variant", "a=", "--variant", "b=-prof gc -jvm"), "--variant b=-prof gc -jvm: -jvm needs a value;"),
                Map.entry(List.of("--variant", "a=", "--variant", "b=-prof gc -prof nosuch"),
                        "--variant b=-prof gc -prof nosuch: the profiler does not load:"),
                Map.entry(List.of("--rounds", "0"), "--rounds 0: expected a whole number >= 1"),
                Map.entry(List.of("--tolerance", "1"), "--tolerance 1: expected a percentage"),
                Map.entry(List.of("--tolerance", "0%"), "--tolerance 0%: a ratio's interval never lies within 0 %"),
                Map.entry(List.of("-p", "nosuch=1"), "-p nosuch=1: gpuenergy.bench.InferenceBenchmark.infer has no parameter nosuch"),
                Map.entry(List.of("-p", "batchSize=1,"), "-p batchSize=1,: empty value"),
                // an unset shell variable (-p "$P", --variant "$V") is refused as every option refuses it
                Map.entry(List.of("-p", ""), "-p is given empty: give a value"),
                Map.entry(List.of("-p", "batchSize=1", "-p", " "), "-p is given empty: give a value"),
                Map.entry(List.of("--variant", "a=", "--variant", ""), "--variant is given empty: give a value"),
                Map.entry(List.of("-prof", "gc"), "-prof: each variant names its profiler"),
                Map.entry(List.of("-f", "3"), "-f 3: each run is one forked VM"),
                Map.entry(List.of("-tg", "1,1"), "-tg: thread groups divide a @Group benchmark's threads among its methods, "
                        + "and InferenceBenchmark.infer has one; give the threads with -t"),
                Map.entry(List.of("-rf", "csv"), "-rf/-rff/-o:"),
                Map.entry(List.of("-l"), "-l: the command lists nothing; java -jar benchmarks.jar -l lists the benchmarks"),
                Map.entry(List.of("-lp"), "-lp: the command lists nothing; java -jar benchmarks.jar -lp lists the benchmarks"
                        + " with their parameters"),
                Map.entry(List.of("-lprof"), "-lprof: the command lists nothing; java -jar benchmarks.jar -lprof lists the"
                        + " profilers"),
                Map.entry(List.of("-lrf"), "-lrf: the command lists nothing; java -jar benchmarks.jar -lrf lists the result"
                        + " formats"),
                Map.entry(List.of("-e", "infer"), "-e infer: the command runs gpuenergy.bench.InferenceBenchmark.infer; its "
                        + "configurations are the -p values; it takes no -e"),
                Map.entry(List.of("-wmb", "infer"), "-wmb infer: the command runs gpuenergy.bench.InferenceBenchmark.infer; its "
                        + "configurations are the -p values; it takes no -wmb"),
                Map.entry(List.of("--bogus"), "unknown option --bogus"),
                Map.entry(List.of("-zzz"), "unknown option -zzz"),
                Map.entry(List.of("-bm", "foo"), "-bm foo: not a benchmark mode (thrpt, avgt, sample, ss, all)"),
                Map.entry(List.of("-wm", "foo"), "-wm foo: not a warmup mode (INDI, BULK, BULK_INDI)"),
                Map.entry(List.of("--variant", "a=", "--variant", "b=-jvmArgs -Dx=1 -zzz"),
                        "--variant b=-jvmArgs -Dx=1 -zzz: unknown option -zzz;"),
                Map.entry(List.of("--variant", "a=", "--variant", "b=-prof gc", "-rf", "foo"),
                        "-rf foo: not a result format (text, csv, scsv, json, latex)"));
        for (Map.Entry<List<String>, String> c : cases.entrySet()) {
            List<String> args = new java.util.ArrayList<>(c.getKey());
            if (!args.contains("--out")) {
                args.addAll(List.of("--out", out.toString()));
            }
            if (!args.contains("--variant")) {
                args.addAll(List.of("--variant", "off=", "--variant", "gc=gc"));
            }
            ConsoleCapture r = call(args.toArray(new String[0]));
            assertEquals(2, r.rc(), args.toString());
            assertTrue(r.err().startsWith("overhead: " + c.getValue()), args + ": " + r.err());
            assertEquals(1, r.err().lines().count(), r.err());
            assertFalse(Files.exists(out), args.toString());
        }
    }

    /**
     * A second command on a directory one runs in is refused in one line before it touches anything: it would clear the
     * hidden files of runs the first is still writing.
     */
    @Test
    void aSecondCommandOnADirectoryInUseIsRefused(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("o");
        Files.createDirectories(out);
        Files.writeString(out.resolve(".x.r1.off.unfinished.json.4242-1.partial"), "[]");
        try (DirectoryLock held = DirectoryLock.hold(out, out, "overhead", System.out)) {
            ConsoleCapture r = call("--variant", "off=", "--variant", "gc=gc", "--out", out.toString());
            assertEquals(1, r.rc(), r.err());
            assertTrue(r.err().startsWith("overhead: --out " + out + " is in use by another overhead (pid "
                    + ProcessHandle.current().pid() + " on host "), r.err());
            assertEquals(1, r.err().lines().count(), r.err());
        }
        assertTrue(Files.exists(out.resolve(".x.r1.off.unfinished.json.4242-1.partial")), "the holder's copy is left alone");
        assertFalse(Files.exists(out.resolve("overhead-settings.json")), "nothing recorded");
    }

    /**
     * A variant whose run files are named as the suite names its own files beside a result is refused, in any case: a
     * file system that ignores case takes off.Unfinished's run files for off's unfinished files, and report and compare
     * read gc.notrun's as not-run lists (compare refuses them, report skips them) and gc.earlier's as runs set aside.
     */
    @Test
    void aVariantNamedAsTheSuitesOwnFilesInAnyCaseIsRefused() {
        Map<String, String> cases = Map.of(
                "off.unfinished", "the measured iterations of benchmarks that did not finish",
                "off.Unfinished", "the measured iterations of benchmarks that did not finish",
                "off.UNFINISHED.Earlier.2", "the measured iterations of benchmarks that did not finish",
                "gc.notrun", "the list of the benchmarks that did not run",
                "gc.NotRun", "the list of the benchmarks that did not run",
                "notrun", "the list of the benchmarks that did not run",
                "gc.earlier", "an earlier run's result set aside",
                "gc.Earlier.3", "an earlier run's result set aside");
        cases.forEach((name, reserved) -> {
            BadInputException e = assertThrows(BadInputException.class, () -> Variant.parse(List.of("off=", name + "=gc")));
            assertTrue(e.getMessage().startsWith("--variant " + name + "=gc: its run files, <config>.r<round>." + name
                    + ".json, would be taken for " + reserved), e.getMessage());
        });
        assertDoesNotThrow(() -> Variant.parse(List.of("off=", "off.Unfinished.x=gc", "Unfinished-b=gc", "notrun.x=gc",
                "earlier.x=gc")));
    }

    /**
     * A -p value no machine accepts is refused as the trial would refuse it, before anything runs: the directory's
     * settings record the -p values, so a run that can never be made would bind --out to them. So is another spelling
     * of a value (01 for 1, gpu:01 for gpu:1), which would measure one configuration under two sets of run files, and
     * leave a directory measured on one spelling refused to a command that gives the other.
     */
    @Test
    void aValueNoMachineAcceptsIsRefusedBeforeAnythingRuns(@TempDir Path tmp) {
        Path out = tmp.resolve("o");
        Map<String, String> cases = Map.of(
                "engine=nope", "unknown engine 'nope'; accepted: pytorch-fp32, ",
                "batchSize=abc", "batchSize 'abc' is not accepted; accepted: a positive integer",
                "batchSize=0", "batchSize '0' is not accepted; accepted: a positive integer",
                "device=tpu", "device 'tpu' is not accepted; accepted: auto, cpu, gpu, gpu:N",
                // another spelling of a value would run its configuration again under other run files
                "batchSize=1,01", "batchSize '01' is not accepted; write it 1, as results name it",
                "device=gpu:1,gpu:01", "device 'gpu:01' is not accepted; write it gpu:1, as results name it");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            String other = c.getKey().startsWith("engine") ? "batchSize=1" : "engine=pytorch-fp32";
            ConsoleCapture r = call("-p", other, "-p", c.getKey(), "--variant", "off=", "--variant", "gc=gc", "-wi", "0", "-i", "1",
                    "-r", "100ms", "--out", out.toString());
            assertEquals(2, r.rc(), c.getKey() + ": " + r.out() + r.err());
            assertTrue(r.err().startsWith("overhead: " + c.getValue()), r.err());
            assertEquals(1, r.err().lines().count(), r.err());
            assertEquals("", r.out(), "nothing ran");
            assertFalse(Files.exists(out), c.getKey());
        }
    }

    /**
     * Two configurations whose values differ only in characters a file name cannot hold (a/m.pt, a_m.pt) would write one
     * run file: refused in one line before anything is created, as a sweep refuses them.
     */
    @Test
    void configurationsThatShareRunFileNamesAreRefused(@TempDir Path tmp) {
        Path out = tmp.resolve("o");
        ConsoleCapture r = call("-p", "engine=pytorch-fp32", "-p", "batchSize=1", "-p", "model=a/m.pt,a_m.pt", "--variant", "off=",
                "--variant", "gc=gc", "-wi", "0", "-i", "1", "-r", "100ms", "--out", out.toString());
        assertEquals(2, r.rc(), r.out() + r.err());
        assertEquals("overhead: engine=pytorch-fp32, batchSize=1, model=a/m.pt and engine=pytorch-fp32, batchSize=1,"
                + " model=a_m.pt have one run file name (engine=pytorch-fp32+batchSize=1+model=a_m.pt.r<round>.<variant>.json:"
                + " characters other than letters, digits and ._=- become _); measure them into separate --out directories,"
                + " or name one otherwise\n", r.err());
        assertFalse(Files.exists(out), "nothing created");
    }

    /** --out naming a file: one line that says so, exit 1 as a plain run whose -rff cannot be written; the file is kept. */
    @Test
    void anOutThatIsAFileIsOneLine(@TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("ovfile"), "mine");
        assertOutRefusedKeepingTheFile(file, file, "overhead: --out " + file + " is a file, not a directory\n");
    }

    /**
     * --out that cannot be made, below a file: one line that names --out and why, exit 1, as the sweep says it; the file
     * is kept.
     */
    @Test
    void anOutBelowAFileIsOneLineNamingTheOut(@TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("ovfile"), "mine");
        Path below = file.resolve("sub");
        assertOutRefusedKeepingTheFile(file, below, "overhead: cannot create the --out directory " + below
                + ": " + file + ": is a file, not a directory\n");
    }

    /** --out {@code out}, where {@code file} holds "mine": exit 1, the one line {@code line}, and the file kept. */
    private static void assertOutRefusedKeepingTheFile(Path file, Path out, String line) throws Exception {
        ConsoleCapture r = call("--variant", "off=", "--variant", "gc=gc", "--out", out.toString());
        assertEquals(1, r.rc(), r.err());
        assertEquals(line, r.err());
        assertEquals("mine", Files.readString(file));
    }

    /**
     * An --out the command cannot write in (read-only storage, another user's directory) is one line naming --out, exit
     * 1, as one that cannot be created is: the lock is the first file made there, and its error alone names a file the
     * user did not give. As root every permission check passes: a directory in the lock's place fails to open as the
     * lock on read-only storage does, and where this machine has an empty directory that refuses new files (sysfs,
     * procfs), that one is given too.
     */
    @Test
    void anOutThatCannotBeWrittenIsOneLineNamingTheOut(@TempDir Path tmp) throws Exception {
        Path out = Files.createDirectories(tmp.resolve("o").resolve(DirectoryLock.fileName("overhead"))).getParent();
        UnwritableDirectory.assertRefusedAsOut("overhead", ".overhead.lock", out, o -> call("-p", "engine=pytorch-fp32",
                "-p", "batchSize=1", "--variant", "off=", "--variant", "gc=gc", "--rounds", "1", "-wi", "0", "-i", "1",
                "-r", "100ms", "--out", o.toString()));
    }

    /**
     * A symbolic link at the name of the command's lock (.overhead.lock), to a file or dangling, is refused in one line,
     * exit 2, before anything runs, as one at a name the command renames a file over is: the lock empties its file and
     * writes its holder there, which would replace what the link's target holds. The link and its target stay as they
     * were, and nothing is written.
     */
    @Test
    void aSymbolicLinkAtTheLocksNameIsRefused(@TempDir Path tmp) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("out"));
        Path target = Files.writeString(tmp.resolve("target"), "kept\n");
        Path dangling = tmp.resolve("gone");
        Path link = dir.resolve(".overhead.lock");
        SymbolicLinkInOut.assertRefused(link, List.of(target, dangling), Set.of(), SymbolicLinkInOut.lock("overhead", link),
                () -> call("-p", "engine=pytorch-fp32", "-p", "batchSize=1", "--variant", "off=", "--variant", "gc=gc",
                        "--rounds", "1", "-wi", "0", "-i", "1", "-r", "100ms", "--out", dir.toString()));
        assertEquals("kept\n", Files.readString(target));
        assertFalse(Files.exists(dangling), "no file made at a dangling link's target");
    }

    /**
     * --out naming a directory the command did not make (the user's files, a sweep's) is one line, exit 2, before
     * anything is written in it: its files are kept as they were, and neither settings nor a lock are added.
     */
    @Test
    void anOutThatIsAnotherDirectoryIsRefused(@TempDir Path tmp) throws Exception {
        Path mine = Files.createDirectories(tmp.resolve("mine"));
        Files.writeString(mine.resolve("overhead.csv"), "[1]");
        Files.writeString(mine.resolve("notes.txt"), "precious");
        ConsoleCapture r = call("-p", "engine=pytorch-fp32", "-p", "batchSize=1", "--variant", "off=", "--variant", "gc=gc",
                "--rounds", "1", "-wi", "0", "-i", "1", "-r", "100ms", "--out", mine.toString());
        assertEquals(2, r.rc(), r.out() + r.err());
        assertEquals("overhead: --out " + mine + " holds files and no overhead-settings.json: it is not a directory of this"
                + " command's runs; give a new or empty --out\n", r.err());
        assertEquals("[1]", Files.readString(mine.resolve("overhead.csv")));
        assertEquals("precious", Files.readString(mine.resolve("notes.txt")));
        try (var files = Files.list(mine)) {
            assertEquals(Set.of("overhead.csv", "notes.txt"), files.map(f -> f.getFileName().toString())
                    .collect(java.util.stream.Collectors.toSet()), "not even a lock");
        }
    }

    /**
     * A symbolic link in --out at a name the command writes whole or removes (its summary, not-run list, settings, a
     * run's result or unfinished iterations), to a file or dangling, is refused in one line, exit 2, before anything
     * runs, as a plain run refuses one beside its -rff result: the file renamed over it would replace the link and leave
     * its target as it was. The links and their target stay as they were, and nothing is written, not even a lock.
     */
    @Test
    void aSymbolicLinkAtANameTheCommandWritesIsRefused(@TempDir Path tmp) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("out"));
        Path target = Files.writeString(tmp.resolve("target"), "kept\n");
        Path dangling = tmp.resolve("gone");
        List<List<String>> cases = List.of(
                List.of("overhead.csv", "where the command writes its summary"),
                List.of("overhead.notrun.json", "where the command writes the list of the runs that were not made"),
                List.of("overhead-settings.json", "where the command records its settings"),
                List.of("engine=pytorch-fp32+batchSize=1.r1.off.json", "where the command writes a run's result"),
                List.of("engine=pytorch-fp32+batchSize=1.r2.gc.unfinished.json", "where the command keeps the measured"
                        + " iterations of a run that does not finish"));
        for (List<String> c : cases) {
            Path link = dir.resolve(c.get(0));
            SymbolicLinkInOut.assertRefused(link, List.of(target, dangling), Set.of(),
                    SymbolicLinkInOut.renamedOver("overhead", link, c.get(1)),
                    () -> call("-p", "engine=pytorch-fp32", "-p", "batchSize=1", "--variant", "off=", "--variant", "gc=gc",
                            "--rounds", "1", "-wi", "0", "-i", "1", "-r", "100ms", "--out", dir.toString()));
        }
        assertEquals("kept\n", Files.readString(target));
    }

    /**
     * A file that is not a result of its run is moved to unreadable/ under a name of its own each time: a measured run
     * of other parameters set aside first is not replaced by junk set aside later.
     */
    @Test
    void filesSetAsideTwiceAreBothKept(@TempDir Path dir) throws Exception {
        Map<String, String> config = Map.of(ParamNames.ENGINE, "pytorch-fp32", ParamNames.BATCH_SIZE, "1");
        Path file = dir.resolve("engine=pytorch-fp32+batchSize=1.r1.off.json");
        byte[] measured = Files.readAllBytes(Path.of("src/test/resources/h100/fp16-b128-on-1.json"));
        Files.write(file, measured);
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(console, true, StandardCharsets.UTF_8);
        assertFalse(OverheadCommand.readOrSetAside(file, config, dir, out));
        Files.writeString(file, "[not json");
        assertFalse(OverheadCommand.readOrSetAside(file, config, dir, out));
        Path unreadable = dir.resolve(OverheadCommand.UNREADABLE_DIR);
        assertArrayEquals(measured, Files.readAllBytes(unreadable.resolve(file.getFileName())));
        Path second = unreadable.resolve("engine=pytorch-fp32+batchSize=1.r1.off.1.json");
        assertEquals("[not json", Files.readString(second));
        assertTrue(console.toString(StandardCharsets.UTF_8).contains("; moved to " + second + "\n"),
                console.toString(StandardCharsets.UTF_8));
        assertFalse(Files.exists(file));
    }

    /**
     * The same -p options in another order are the same settings, so they continue the directory: its runs are found
     * under the names its first command gave them, not measured again under others.
     */
    @Test
    void parametersInAnotherOrderContinueTheDirectory(@TempDir Path tmp) throws Exception {
        Path out = measuredRuns(tmp, 2, round -> "fp16-b128-on-1.json");
        List<String> common = List.of("--variant", "a=", "--variant", "b=", "--rounds", "2", "-wi", "0", "-i", "1", "-r",
                "100ms", "--out", out.toString());
        List<String> first = new java.util.ArrayList<>(List.of("-p", "engine=pytorch-fp16", "-p", "batchSize=128",
                "-p", "model=resnet50"));
        first.addAll(common);
        assertEquals(0, call(first.toArray(new String[0])).rc());
        List<String> again = new java.util.ArrayList<>(List.of("-p", "model=resnet50", "-p", "batchSize=128",
                "-p", "engine=pytorch-fp16"));
        again.addAll(common);

        ConsoleCapture resumed = call(again.toArray(new String[0]));
        assertEquals(0, resumed.rc(), resumed.out() + resumed.err());
        assertEquals(4, resumed.out().lines().filter(l -> l.contains(": done earlier (engine=pytorch-fp16+batchSize=128"
                + "+model=resnet50.r")).count(), resumed.out());
        try (var files = Files.list(out)) {
            assertEquals(4, files.filter(p -> p.getFileName().toString().endsWith(".json")
                    && !p.getFileName().toString().startsWith("overhead")).count(), "no run made under other names");
        }
    }

    /** A variant's spec is recorded as JMH reads it, in one spelling; what JMH reads otherwise is spelled otherwise. */
    @Test
    void aVariantIsRecordedInOneSpelling() throws Exception {
        List<Variant> alike = Variant.parse(List.of("off=", "a=gc", "b=-prof gc", "c=-prof=gc", "d=--prof gc", "e=-pro  gc"));
        for (Variant v : alike) {
            assertEquals(v.name().equals("off") ? "" : "gc", v.canonicalSpec(), v.toString());
        }
        List<Variant> vm = Variant.parse(List.of("a=-prof=gc -prof=cl -jvmArgsAppend=-Dfoo=1 -jvmArgsAppend=-Dbar=2",
                "b=--jvmArgsAppend -Dfoo=1 -pro gc -jvmArgsAppend -Dbar=2 -prof cl"));
        for (Variant v : vm) {
            assertEquals("-jvmArgsAppend -Dfoo=1 -jvmArgsAppend -Dbar=2 -prof gc -prof cl", v.canonicalSpec(), v.toString());
        }
        List<Variant> other = Variant.parse(List.of("a=-prof cl -prof gc -jvmArgsAppend -Dfoo=1 -jvmArgsAppend -Dbar=2",
                "b=-prof gc -prof cl -jvmArgsAppend -Dbar=2 -jvmArgsAppend -Dfoo=1",
                "c=-prof gc -prof cl -jvmArgs -Dfoo=1 -jvmArgsAppend -Dbar=2", "d=gc -prof cl"));
        for (Variant v : other) {
            assertFalse(v.canonicalSpec().equals(vm.get(0).canonicalSpec()), v.toString());
        }
        // the canonical spelling reads back as itself
        Variant again = new Variant("a", vm.get(0).canonicalSpec());
        assertEquals(vm.get(0).options().options(), again.options().options());
        assertEquals(vm.get(0).canonicalSpec(), again.canonicalSpec());
    }

    /**
     * A variant spelled otherwise as JMH reads it alike continues the directory: nothing is measured again. Another
     * profiler, another order of the profilers, other VM arguments or another -jvm is refused in one line, nothing
     * written. A record that holds the specs as typed, not in one spelling, continues with the same typing, and refuses
     * another order of the profilers as well.
     */
    @Test
    void aVariantSpelledOtherwiseContinuesTheDirectory(@TempDir Path tmp) throws Exception {
        Path out = measuredRuns(tmp, 2, round -> "fp16-b128-on-1.json");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        java.util.function.Function<String, ConsoleCapture> withB = b -> call("-p", "engine=pytorch-fp16", "-p", "batchSize=128",
                "-p", "model=resnet50", "--variant", "a=", "--variant", "b=" + b, "--rounds", "2", "-wi", "0", "-i", "1",
                "-r", "100ms", "--out", out.toString());
        String typed = "-prof=gc -prof=cl -jvmArgsAppend=-Dfoo=1 -jvm=" + java;
        ConsoleCapture first = withB.apply(typed);
        assertEquals(0, first.rc(), first.out() + first.err());
        Path settings = out.resolve("overhead-settings.json");
        String recorded = Files.readString(settings);
        String canonical = "a= b=-jvm " + java + " -jvmArgsAppend -Dfoo=1 -prof gc -prof cl";
        assertEquals(canonical, com.google.gson.JsonParser.parseString(recorded).getAsJsonObject().get("--variant")
                .getAsString());

        ConsoleCapture resumed = withB.apply("--jvm " + java + " -jvmArgsAppend -Dfoo=1 -pro gc --prof cl");
        assertEquals(0, resumed.rc(), resumed.out() + resumed.err());
        assertEquals(4, resumed.out().lines().filter(l -> l.contains(": done earlier (")).count(), resumed.out());
        assertFalse(resumed.out().contains(" -> "), "nothing measured again: " + resumed.out());

        for (String b : List.of("-prof cl -prof gc -jvmArgsAppend -Dfoo=1 -jvm " + java,
                "-prof gc -prof comp -jvmArgsAppend -Dfoo=1 -jvm " + java, "-prof gc -prof cl -jvmArgsAppend -Dfoo=2 -jvm " + java,
                "-prof gc -prof cl -jvmArgsAppend -Dfoo=1", "-prof gc -prof cl -jvmArgsAppend -Dfoo=1 -jvm /bin/sh")) {
            ConsoleCapture refused = withB.apply(b);
            assertEquals(2, refused.rc(), b + ": " + refused.err());
            assertEquals("overhead: --out " + out + " was measured with --variant " + canonical + "; this command gives "
                    + "--variant a= b=" + new Variant("b", b).canonicalSpec() + ": its variants' runs would mix measurement "
                    + "settings; give the same options, or give another --out\n", refused.err());
            assertEquals(recorded, Files.readString(settings), b);
        }

        // a record of the specs as typed: that typing continues the directory, another is refused
        com.google.gson.JsonObject asTyped = com.google.gson.JsonParser.parseString(recorded).getAsJsonObject();
        asTyped.addProperty("--variant", "a= b=" + typed);
        Files.writeString(settings, asTyped.toString());
        ConsoleCapture sameTyping = withB.apply(typed);
        assertEquals(0, sameTyping.rc(), sameTyping.out() + sameTyping.err());
        assertEquals(4, sameTyping.out().lines().filter(l -> l.contains(": done earlier (")).count(), sameTyping.out());
        ConsoleCapture otherOrder = withB.apply("-prof=cl -prof=gc -jvmArgsAppend=-Dfoo=1 -jvm=" + java);
        assertEquals(2, otherOrder.rc(), otherOrder.err());
        assertTrue(otherOrder.err().startsWith("overhead: --out " + out + " was measured with --variant a= b=" + typed
                + "; this command gives --variant a= b=-jvm " + java + " -jvmArgsAppend -Dfoo=1 -prof cl -prof gc: "),
                otherOrder.err());
        assertEquals(asTyped.toString(), Files.readString(settings));
    }

    /**
     * The forks get ["-Dfoo=1 -Dbar=2"] from one -jvmArgsAppend that quotes them, ["-Dfoo=1", "-Dbar=2"] from two: the
     * settings record keeps the words as a list, so a resume with the other is refused in one line that shows both. A
     * record that joins the words in one string (as written before lists) continues with either.
     */
    @Test
    void vmArgumentsAreRecordedWordByWord(@TempDir Path tmp) throws Exception {
        Path out = measuredRuns(tmp, 2, round -> "fp16-b128-on-1.json");
        java.util.function.Function<List<String>, ConsoleCapture> with = vm -> {
            List<String> args = new ArrayList<>(List.of("-p", "engine=pytorch-fp16", "-p", "batchSize=128", "-p",
                    "model=resnet50", "--variant", "a=", "--variant", "b=", "--rounds", "2", "-wi", "0", "-i", "1", "-r",
                    "100ms", "--out", out.toString()));
            args.addAll(vm);
            return call(args.toArray(String[]::new));
        };
        List<String> oneWord = List.of("-jvmArgsAppend", "-Dfoo=\"1 -Dbar=2\"");
        List<String> twoWords = List.of("-jvmArgsAppend", "-Dfoo=1", "-jvmArgsAppend", "-Dbar=2");
        ConsoleCapture first = with.apply(oneWord);
        assertEquals(0, first.rc(), first.out() + first.err());
        Path settings = out.resolve("overhead-settings.json");
        String recorded = Files.readString(settings);
        assertEquals("[\"-Dfoo=1 -Dbar=2\"]", com.google.gson.JsonParser.parseString(recorded).getAsJsonObject()
                .get("-jvmArgsAppend").toString());

        ConsoleCapture other = with.apply(twoWords);
        assertEquals(2, other.rc(), other.out() + other.err());
        assertEquals("overhead: --out " + out + " was measured with -jvmArgsAppend [\"-Dfoo=1 -Dbar=2\"]; this command "
                + "gives -jvmArgsAppend [\"-Dfoo=1\",\"-Dbar=2\"]: its variants' runs would mix measurement settings; give "
                + "the same options, or give another --out\n", other.err());
        assertEquals(recorded, Files.readString(settings));

        com.google.gson.JsonObject joined = com.google.gson.JsonParser.parseString(recorded).getAsJsonObject();
        joined.addProperty("-jvmArgsAppend", "-Dfoo=1 -Dbar=2");
        Files.writeString(settings, joined.toString());
        for (List<String> vm : List.of(oneWord, twoWords)) {
            ConsoleCapture resumed = with.apply(vm);
            assertEquals(0, resumed.rc(), vm + ": " + resumed.out() + resumed.err());
            assertEquals(4, resumed.out().lines().filter(l -> l.contains(": done earlier (")).count(), resumed.out());
        }
    }

    /**
     * Without --variant the command compares off= with on=energy; where the energy profiler cannot load (no NVIDIA GPU),
     * the one line that says so also says that on=energy is the default, and what to give instead; nothing is written.
     */
    @Test
    void theDefaultVariantsThatCannotRunHereAreSaidToBeTheDefault(@TempDir Path tmp) {
        assumeTrue(Profilers.whyNotLoading(new ProfilerConfig(NvmlEnergyProfiler.class.getName())) != null,
                "the energy profiler loads here");
        Path out = tmp.resolve("o");
        ConsoleCapture r = call("-p", "engine=pytorch-fp32", "-p", "batchSize=1", "-wi", "0", "-i", "1", "-r", "100ms", "--out",
                out.toString());
        assertEquals(2, r.rc(), r.out() + r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("overhead: --variant on=energy: the profiler does not load: "), r.err());
        assertTrue(r.err().endsWith(" (the default variants, as no --variant is given: off= on=energy; name others, e.g. "
                + "--variant off= --variant gc=gc)\n"), r.err());
        assertFalse(Files.exists(out), "nothing written");

        ConsoleCapture named = call("-p", "engine=pytorch-fp32", "--variant", "off=", "--variant", "on=energy", "--out", out.toString());
        assertEquals(2, named.rc(), named.err());
        assertFalse(named.err().contains("default"), "the variant as given: " + named.err());
    }

    /**
     * A directory that holds every run of --rounds is summarized where its energy variant's profiler cannot load (as on
     * a laptop the files were copied to from the GPU host): two real H100 runs a side. One round more, with a run to
     * make, is refused in one line before anything runs.
     */
    @Test
    void aDirectoryWithEveryRunIsSummarizedWhereItsProfilerCannotLoad(@TempDir Path tmp) throws Exception {
        String energy = NvmlEnergyProfiler.class.getName();
        Path out = Files.createDirectories(tmp.resolve("o"));
        Map<String, String> config = measuredConfig();
        List<Variant> vs = Variant.parse(List.of("off=", "on=" + energy));
        for (int round = 1; round <= 2; round++) {
            Files.copy(Path.of("src/test/resources/h100/fp16-b128-on-1.json"), out.resolve(OverheadCommand.resultName(config, round, vs.get(0))));
            Files.copy(Path.of("src/test/resources/h100/fp16-b128-on-2.json"), out.resolve(OverheadCommand.resultName(config, round, vs.get(1))));
        }
        List<String> command = List.of("-p", "engine=pytorch-fp16", "-p", "batchSize=128", "-p", "model=resnet50",
                "--variant", "off=", "--variant", "on=" + energy, "-wi", "0", "-i", "1", "-r", "100ms", "--out", out.toString());
        List<String> summarized = new ArrayList<>(command);
        summarized.addAll(List.of("--rounds", "2"));
        ConsoleCapture r = call(summarized.toArray(new String[0]));
        assertEquals(0, r.rc(), r.out() + r.err());
        assertTrue(r.out().contains("round 2 on: done earlier"), r.out());
        List<String> csv = Files.readAllLines(out.resolve(OverheadSummary.FILE));
        List<String> header = List.of(csv.get(0).split(","));
        assertEquals(List.of("off", "on"), csv.subList(1, 3).stream().map(l -> l.split(",")[header.indexOf("variant")]).toList());
        for (String row : csv.subList(1, 3)) {
            assertEquals("2", row.split(",")[header.indexOf("runs")], row);
        }

        assumeTrue(Profilers.whyNotLoading(new ProfilerConfig(energy)) != null, "the energy profiler loads here");
        List<String> more = new ArrayList<>(command);
        more.addAll(List.of("--rounds", "3"));
        ConsoleCapture refused = call(more.toArray(new String[0]));
        assertEquals(2, refused.rc(), refused.out() + refused.err());
        assertTrue(refused.err().startsWith("overhead: --variant on=" + energy + ": the profiler does not load: "),
                refused.err());
        assertEquals(1, refused.err().lines().count(), refused.err());
        assertFalse(Files.exists(out.resolve(OverheadCommand.resultName(config, 3, vs.get(0)))), "nothing ran");
    }

    /**
     * The same directory copied with one run file corrupt: that run is to be made again, so where the energy profiler
     * cannot load the command is refused in one line before anything runs (exit 2, as for any run to make here), not a
     * run tried and listed as an error; the file stays where it is.
     */
    @Test
    void aCorruptRunFileIsARunToMakeBeforeTheProfilersAreChecked(@TempDir Path tmp) throws Exception {
        String energy = NvmlEnergyProfiler.class.getName();
        assumeTrue(Profilers.whyNotLoading(new ProfilerConfig(energy)) != null, "the energy profiler loads here");
        Path out = Files.createDirectories(tmp.resolve("o"));
        Map<String, String> config = measuredConfig();
        List<Variant> vs = Variant.parse(List.of("off=", "on=" + energy));
        for (int round = 1; round <= 2; round++) {
            Files.copy(Path.of("src/test/resources/h100/fp16-b128-on-1.json"), out.resolve(OverheadCommand.resultName(config, round, vs.get(0))));
            Files.copy(Path.of("src/test/resources/h100/fp16-b128-on-2.json"), out.resolve(OverheadCommand.resultName(config, round, vs.get(1))));
        }
        Path corrupt = out.resolve(OverheadCommand.resultName(config, 2, vs.get(1)));
        String half = Files.readString(corrupt).substring(0, 500);
        Files.writeString(corrupt, half);
        ConsoleCapture r = call("-p", "engine=pytorch-fp16", "-p", "batchSize=128", "-p", "model=resnet50", "--variant", "off=",
                "--variant", "on=" + energy, "-wi", "0", "-i", "1", "-r", "100ms", "--out", out.toString(), "--rounds", "2");
        assertEquals(2, r.rc(), r.out() + r.err());
        assertTrue(r.err().startsWith("overhead: --variant on=" + energy + ": the profiler does not load: "), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertEquals(half, Files.readString(corrupt), "nothing moved");
        assertFalse(Files.exists(out.resolve(OverheadCommand.NOT_RUN_FILE)), "nothing ran");
    }

    /**
     * A directory that holds every run of --rounds is summarized where a variant's -jvm (a CPU-pinning script of the GPU
     * host) is not: no VM starts. One round more, with a run to make, is refused in one line before anything runs.
     */
    @Test
    void aDirectoryWithEveryRunIsSummarizedWhereItsJvmIsNot(@TempDir Path tmp) throws Exception {
        Path out = Files.createDirectories(tmp.resolve("o"));
        String pinned = tmp.resolve("pinned-java").toString();
        Map<String, String> config = measuredConfig();
        List<Variant> vs = Variant.parse(List.of("off=", "pinned=-jvm " + pinned + " -prof gc"));
        for (int round = 1; round <= 2; round++) {
            for (Variant v : vs) {
                Files.copy(Path.of("src/test/resources/h100/fp16-b128-on-" + round + ".json"),
                        out.resolve(OverheadCommand.resultName(config, round, v)));
            }
        }
        List<String> command = List.of("-p", "engine=pytorch-fp16", "-p", "batchSize=128", "-p", "model=resnet50",
                "--variant", "off=", "--variant", "pinned=-jvm " + pinned + " -prof gc", "-wi", "0", "-i", "1", "-r",
                "100ms", "--out", out.toString());
        List<String> summarized = new ArrayList<>(command);
        summarized.addAll(List.of("--rounds", "2"));
        ConsoleCapture r = call(summarized.toArray(new String[0]));
        assertEquals(0, r.rc(), r.out() + r.err());
        assertTrue(r.out().contains("round 2 pinned: done earlier"), r.out());

        List<String> more = new ArrayList<>(command);
        more.addAll(List.of("--rounds", "3"));
        ConsoleCapture refused = call(more.toArray(new String[0]));
        assertEquals(1, refused.rc(), refused.out() + refused.err());
        assertEquals("overhead: --variant pinned=-jvm " + pinned + " -prof gc: -jvm " + pinned + ": not an executable file",
                refused.err().strip());
        assertFalse(Files.exists(out.resolve(OverheadCommand.resultName(config, 3, vs.get(0)))), "nothing ran");
    }

    /**
     * The rounds a command takes are made as it takes them: --rounds 2000000000 (a typo, or "until stopped") starts its
     * first run at once, where holding every round first ran out of memory with a stack trace before any run.
     */
    @Test
    void roundsAreTakenOneByOne() {
        java.util.Iterator<Integer> rounds = OverheadCommand.rounds(2_000_000_000, new TreeMap<>(Map.of(2_000_000_005, 1)))
                .iterator();
        assertEquals(List.of(1, 2, 3), List.of(rounds.next(), rounds.next(), rounds.next()));
        List<Integer> few = new ArrayList<>();
        OverheadCommand.rounds(2, new TreeMap<>(Map.of(1, 2, 5, 1, 999_999_999, 1))).forEach(few::add);
        assertEquals(List.of(1, 2, 5, 999_999_999), few, "--rounds, then the rounds beyond that hold a file");
    }

    /**
     * Fewer --rounds than the directory holds: the table still counts every measured run, and says so in one line; the
     * rounds beyond are read, not run.
     */
    @Test
    void roundsBeyondTheCommandsAreInTheTable(@TempDir Path tmp) throws Exception {
        Path out = measuredRuns(tmp, 4, round -> "fp16-b128-on-" + (round % 2 + 1) + ".json");
        ConsoleCapture r = call("-p", "engine=pytorch-fp16", "-p", "batchSize=128", "-p", "model=resnet50", "--variant", "a=",
                "--variant", "b=", "--rounds", "2", "-wi", "0", "-i", "1", "-r", "100ms", "--out", out.toString());
        assertEquals(0, r.rc(), r.out() + r.err());
        assertTrue(r.out().contains("round 4 b: done earlier"), r.out());
        assertEquals(1, r.out().lines().filter(l -> l.equals("[overhead] the table includes 4 runs beyond --rounds 2 "
                + "that " + out + " holds (r3, r4)")).count(), r.out());
        List<String> csv = Files.readAllLines(out.resolve(OverheadSummary.FILE));
        List<String> header = List.of(csv.get(0).split(","));
        for (String row : csv.subList(1, 3)) {
            assertEquals("4", row.split(",")[header.indexOf("runs")], row);
        }
    }

    /**
     * A round beyond --rounds that holds some configurations' runs and not others' tilts nothing (each configuration's
     * variants lack it alike), nor does any round of a single variant; a configuration with some of its variants' runs in
     * a round is named.
     */
    @Test
    void onlyAConfigurationMissingSomeOfItsVariantsTiltsTheOrder(@TempDir Path tmp) throws Exception {
        Map<String, String> fp16 = new java.util.LinkedHashMap<>(Map.of(ParamNames.ENGINE, "pytorch-fp16"));
        Map<String, String> fp32 = new java.util.LinkedHashMap<>(Map.of(ParamNames.ENGINE, "pytorch-fp32"));
        List<Variant> one = Variant.parse(List.of("ends=energy:interleave=true"));
        List<Variant> two = Variant.parse(List.of("a=", "b="));
        Files.createFile(tmp.resolve(OverheadCommand.resultName(fp16, 6, one.get(0))));
        Files.createFile(tmp.resolve(OverheadCommand.resultName(fp16, 6, two.get(0))));
        Files.createFile(tmp.resolve(OverheadCommand.resultName(fp16, 6, two.get(1))));
        Files.createFile(tmp.resolve(OverheadCommand.resultName(fp32, 7, two.get(1))));
        var single = OverheadCommand.lackingAVariant(tmp, List.of(fp16, fp32), one, Set.of(6));
        assertEquals(Map.of(), single);
        assertEquals("[overhead] the table includes 1 run beyond --rounds 5 that " + tmp + " holds (r6)",
                OverheadCommand.beyondLine(new java.util.TreeMap<>(Map.of(6, 1)), 5, single, tmp));
        var pair = OverheadCommand.lackingAVariant(tmp, List.of(fp16, fp32), two, Set.of(6, 7));
        assertEquals(Map.of(7, List.of("engine=pytorch-fp32")), pair);
        assertEquals("[overhead] the table includes 3 runs beyond --rounds 5 that " + tmp + " holds (r6, r7; in r7 "
                + "(engine=pytorch-fp32) without every variant's run: a drift weighs on its variants unequally)",
                OverheadCommand.beyondLine(new java.util.TreeMap<>(Map.of(6, 2, 7, 1)), 5, pair, tmp));
    }

    /** A stray run file of a huge round is one round more, read and counted, not a billion rounds to look for. */
    @Test
    @org.junit.jupiter.api.Timeout(60)
    void aStrayRunOfAHugeRoundIsOneRoundMore(@TempDir Path tmp) throws Exception {
        Path out = measuredRuns(tmp, 2, round -> "fp16-b128-on-1.json");
        Map<String, String> config = measuredConfig();
        Variant a = Variant.parse(List.of("a=", "b=")).get(0);
        Files.copy(out.resolve(OverheadCommand.resultName(config, 1, a)), out.resolve(OverheadCommand.resultName(config, 999_999_999, a)));
        ConsoleCapture r = call("-p", "engine=pytorch-fp16", "-p", "batchSize=128", "-p", "model=resnet50", "--variant", "a=",
                "--variant", "b=", "--rounds", "2", "-wi", "0", "-i", "1", "-r", "100ms", "--out", out.toString());
        assertEquals(0, r.rc(), r.out() + r.err());
        assertTrue(r.out().contains("round 999999999 a: done earlier"), r.out());
        List<String> csv = Files.readAllLines(out.resolve(OverheadSummary.FILE));
        List<String> header = List.of(csv.get(0).split(","));
        assertEquals("3", csv.get(1).split(",")[header.indexOf("runs")], csv.get(1));
    }

    /**
     * A run of round 2 failed (its not-run list says why) and the same directory is summarized with --rounds 1: no run
     * is made, so none of the listed runs ran again, and the list is kept as it was; the summary line names it.
     */
    @Test
    void aCommandThatOnlySummarizesKeepsTheListOfRunsThatDidNotRun(@TempDir Path tmp) throws Exception {
        Path out = measuredRuns(tmp, 2, round -> "fp16-b128-on-" + round + ".json");
        Map<String, String> config = measuredConfig();
        Variant b = Variant.parse(List.of("a=", "b=")).get(1);
        Files.delete(out.resolve(OverheadCommand.resultName(config, 2, b)));
        Path list = out.resolve(OverheadCommand.NOT_RUN_FILE);
        NotRunList.write(list, List.of(new NotRun(OverheadCommand.BENCHMARK, config, NotRun.Kind.ERROR,
                "variant b, round 2: CUDA error: an illegal memory access was encountered", null)));
        String written = Files.readString(list);
        ConsoleCapture summarized = call("-p", "engine=pytorch-fp16", "-p", "batchSize=128", "-p", "model=resnet50", "--variant",
                "a=", "--variant", "b=", "-wi", "0", "-i", "1", "-r", "100ms", "--out", out.toString(), "--rounds", "1");
        assertEquals(0, summarized.rc(), summarized.out() + summarized.err());
        assertFalse(summarized.out().contains("round 2 b\n"), "nothing made: " + summarized.out());
        // one of a kind is said in the singular
        assertTrue(summarized.out().startsWith("[overhead] 1 configuration x 2 variants x 1 round; baseline a (no profiler);"),
                summarized.out());
        assertEquals(written, Files.readString(list), "the list of the runs that did not run is kept");
        assertTrue(summarized.out().contains("[overhead] summary: " + out.resolve(OverheadSummary.FILE) + "; not run: "
                + list + "\n"), summarized.out());
    }

    /**
     * An earlier command's not-run list names a failed run of round 3 and one of round 1; a command with --rounds 2 makes
     * the run of round 1 again (on a machine without a GPU it does not run, FP16; on one with, it is measured) and
     * rewrites the list: the entry of round 3, a run it did not make, is kept as it was, and the entry of round 1 is
     * replaced by what this command's run gave.
     */
    @Test
    void aCommandThatMakesRunsKeepsTheEntriesOfRunsItDidNotMake(@TempDir Path tmp) throws Exception {
        Path out = measuredRuns(tmp, 2, round -> "fp16-b128-on-" + round + ".json");
        Map<String, String> config = measuredConfig();
        Variant a = Variant.parse(List.of("a=", "b=")).get(0);
        Files.delete(out.resolve(OverheadCommand.resultName(config, 1, a)));
        Path list = out.resolve(OverheadCommand.NOT_RUN_FILE);
        NotRun third = new NotRun(OverheadCommand.BENCHMARK, config, NotRun.Kind.ERROR,
                "variant b, round 3: CUDA error: an illegal memory access was encountered", null);
        NotRun first = new NotRun(OverheadCommand.BENCHMARK, config, NotRun.Kind.ERROR,
                "variant a, round 1: CUDA error: unspecified launch failure", null);
        NotRunList.write(list, List.of(third, first));
        ConsoleCapture r = call("-p", "engine=pytorch-fp16", "-p", "batchSize=128", "-p", "model=resnet50", "--variant", "a=",
                "--variant", "b=", "-wi", "0", "-i", "1", "-r", "100ms", "--out", out.toString(), "--rounds", "2");
        assertTrue(r.out().contains("[overhead] engine=pytorch-fp16, batchSize=128, model=resnet50 round 1 a\n"),
                "the run is made again: " + r.out());
        List<NotRun> kept = NotRunList.read(list);
        assertEquals(third, kept.get(0), "the run of round 3 was not made: " + kept);
        assertFalse(kept.contains(first), "the run of round 1 was made again: " + kept);
        assertTrue(kept.size() == 1 || kept.size() == 2 && kept.get(1).reason().startsWith("variant a, round 1: "), kept.toString());

        // a list that cannot be read is no record to merge with, and is not written over: it is moved aside
        Files.writeString(list, "[{\"benchmark\": ");
        Files.deleteIfExists(out.resolve(OverheadCommand.resultName(config, 1, a)));
        ConsoleCapture again = call("-p", "engine=pytorch-fp16", "-p", "batchSize=128", "-p", "model=resnet50", "--variant", "a=",
                "--variant", "b=", "-wi", "0", "-i", "1", "-r", "100ms", "--out", out.toString(), "--rounds", "2");
        Path aside = out.resolve(OverheadCommand.UNREADABLE_DIR).resolve(OverheadCommand.NOT_RUN_FILE);
        assertEquals(1, again.out().lines().filter(l -> l.startsWith("[overhead] " + list + ": ")
                && l.endsWith("; moved to " + aside)).count(), again.out());
        assertEquals("[{\"benchmark\": ", Files.readString(aside));
    }

    /**
     * Runs beyond --rounds that are not whole rounds (r3 missing, r5 of one variant only) and one unreadable: the line
     * counts the runs the table includes and names their rounds, and says where a round lacks a variant's run; the file
     * set aside counts nowhere.
     */
    @Test
    void runsBeyondTheCommandsAreCountedAsTheyAre(@TempDir Path tmp) throws Exception {
        Path out = measuredRuns(tmp, 2, round -> "fp16-b128-on-" + (round % 2 + 1) + ".json");
        Map<String, String> config = new java.util.LinkedHashMap<>();
        config.put(ParamNames.ENGINE, "pytorch-fp16");
        config.put(ParamNames.BATCH_SIZE, "128");
        config.put(ParamNames.MODEL, "resnet50");
        List<Variant> ab = Variant.parse(List.of("a=", "b="));
        Path run = Path.of("src/test/resources/h100/fp16-b128-on-1.json");
        Files.copy(run, out.resolve(OverheadCommand.resultName(config, 4, ab.get(0))));
        Files.copy(run, out.resolve(OverheadCommand.resultName(config, 4, ab.get(1))));
        Files.copy(run, out.resolve(OverheadCommand.resultName(config, 5, ab.get(0))));
        Files.writeString(out.resolve(OverheadCommand.resultName(config, 6, ab.get(1))), "not json");
        ConsoleCapture r = call("-p", "engine=pytorch-fp16", "-p", "batchSize=128", "-p", "model=resnet50", "--variant", "a=",
                "--variant", "b=", "--rounds", "2", "-wi", "0", "-i", "1", "-r", "100ms", "--out", out.toString());
        assertEquals(0, r.rc(), r.out() + r.err());
        List<String> said = r.out().lines().filter(l -> l.startsWith("[overhead] the table includes")).toList();
        assertEquals(List.of("[overhead] the table includes 3 runs beyond --rounds 2 that " + out + " holds (r4, r5; in r5 "
                + "(engine=pytorch-fp16, batchSize=128, model=resnet50) without every variant's run: a drift weighs on its "
                + "variants unequally)"), said, r.out());
        Path r6 = out.resolve(OverheadCommand.resultName(config, 6, ab.get(1)));
        List<String> setAside = r.out().lines().filter(l -> l.contains("moved to")).toList();
        assertEquals(1, setAside.size(), r.out());
        assertTrue(setAside.get(0).startsWith("[overhead] " + r6 + ": not valid JSON"), setAside.get(0));
        assertEquals(1, setAside.get(0).split(java.util.regex.Pattern.quote(r6.toString()), -1).length - 1,
                "the path once: " + setAside.get(0));
        assertTrue(setAside.get(0).endsWith("; moved to " + out.resolve(OverheadCommand.UNREADABLE_DIR)
                .resolve(r6.getFileName())), setAside.get(0));
        List<String> csv = Files.readAllLines(out.resolve(OverheadSummary.FILE));
        List<String> header = List.of(csv.get(0).split(","));
        assertEquals("4", csv.get(1).split(",")[header.indexOf("runs")], csv.get(1));
        assertEquals("3", csv.get(2).split(",")[header.indexOf("runs")], csv.get(2));
    }

    /**
     * One run a side gives no firm verdict: two H100 runs of one configuration (nothing differs but the run) whose
     * interval over iterations excludes 1 would read "slower" at 0.1 %.
     */
    @Test
    void oneRunASideIsTooNoisyWhateverTheInterval(@TempDir Path dir) throws Exception {
        Map<String, String> config = Map.of(ParamNames.BATCH_SIZE, "128");
        List<Variant> vs = Variant.parse(List.of("a=", "b="));
        Path h100 = Path.of("src/test/resources/h100");
        Files.copy(h100.resolve("fp16-b128-on-1.json"), dir.resolve(OverheadCommand.resultName(config, 1, vs.get(0))));
        Files.copy(h100.resolve("fp16-b128-on-2.json"), dir.resolve(OverheadCommand.resultName(config, 1, vs.get(1))));
        List<OverheadSummary.Row> rows = OverheadSummary.rows(dir, List.of(config), vs, new TreeSet<>(List.of(1)), Map.of(), 0.001);
        OverheadSummary.Row b = rows.get(1);
        assertTrue(b.ratio().hi() < 0.999, "the interval over iterations alone is below 1 - t: " + b.ratio());
        assertFalse(b.overRuns());
        assertEquals(MedianRatio.Verdict.TOO_NOISY, b.verdict());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        OverheadSummary.print(new PrintStream(out, true, StandardCharsets.UTF_8), rows, 0.001);
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("interval over iterations: one run of this variant or the "
                + "baseline leaves out how much runs differ, and fewer than 5 runs a side understate it, so the verdict is "
                + "too-noisy whatever the interval " + AGAIN), out.toString(StandardCharsets.UTF_8));
    }

    /**
     * Under {@link MedianRatio#MIN_RUNS_FOR_VERDICT} runs a side the verdict is too-noisy, whatever the interval: the two
     * H100 runs of one configuration, taken in turn (a: 2 1 2 1 2, b: 1 2 1 2 1), give intervals over runs inside
     * ±1 % with 2, 4 and 5 runs a side, but only 5 a side give "same". The console says why once, under the table, and
     * its planning figure asks for 5 runs a side, not fewer.
     */
    @Test
    void fewerRunsASideThanAVerdictTakesAreTooNoisyWhateverTheInterval(@TempDir Path tmp) throws Exception {
        Map<String, String> config = Map.of(ParamNames.BATCH_SIZE, "128");
        List<Variant> vs = Variant.parse(List.of("a=", "b="));
        Path h100 = Path.of("src/test/resources/h100");
        for (int rounds : new int[] {2, 4, 5}) {
            Path dir = Files.createDirectories(tmp.resolve("r" + rounds));
            for (int round = 1; round <= rounds; round++) {
                Files.copy(h100.resolve("fp16-b128-on-" + (round % 2 + 1) + ".json"),
                        dir.resolve(OverheadCommand.resultName(config, round, vs.get(0))));
                Files.copy(h100.resolve("fp16-b128-on-" + ((round + 1) % 2 + 1) + ".json"),
                        dir.resolve(OverheadCommand.resultName(config, round, vs.get(1))));
            }
            List<OverheadSummary.Row> rows = OverheadSummary.rows(dir, List.of(config), vs,
                    new TreeSet<>(java.util.stream.IntStream.rangeClosed(1, rounds).boxed().toList()), Map.of(), 0.01);
            OverheadSummary.Row b = rows.get(1);
            assertTrue(b.overRuns(), rounds + " runs a side: over runs");
            assertTrue(b.ratio().lo() >= 0.99 && b.ratio().hi() <= 1.01, rounds + " runs a side: " + b.ratio());
            assertEquals(rounds < MedianRatio.MIN_RUNS_FOR_VERDICT ? MedianRatio.Verdict.TOO_NOISY : MedianRatio.Verdict.SAME,
                    b.verdict(), rounds + " runs a side");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            OverheadSummary.print(new PrintStream(out, true, StandardCharsets.UTF_8), rows, 0.01);
            String said = out.toString(StandardCharsets.UTF_8);
            assertEquals(rounds < MedianRatio.MIN_RUNS_FOR_VERDICT ? 1 : 0, said.lines().filter(l -> l.equals(FEW_RUNS))
                    .count(), said);
            // the runs' medians lie 0.45 % apart: their spread alone would ask for 3 runs a side, fewer than a verdict takes
            assertEquals(rounds < MedianRatio.MIN_RUNS_FOR_VERDICT, said.contains("a verdict takes 5 runs a side; this "
                    + "spread alone asks for fewer (a run's median varies by"), said);
            assertFalse(said.contains("chance of"), said);
        }
    }

    /**
     * Either side short of {@link MedianRatio#MIN_RUNS_FOR_VERDICT} runs makes the verdict too-noisy: three
     * configurations of the two H100 runs taken in turn, in one directory and one table, with baseline a and variant b
     * at 2 and 6 runs, 6 and 3, and 6 and 6. Only the last gives "same"; the console says why once.
     */
    @Test
    void eitherSideShortOfTheRunsAVerdictTakesIsTooNoisy(@TempDir Path dir) throws Exception {
        List<Variant> vs = Variant.parse(List.of("a=", "b="));
        Map<String, int[]> runsBySide = new java.util.LinkedHashMap<>();
        runsBySide.put("a2-b6", new int[] {2, 6});
        runsBySide.put("a6-b3", new int[] {6, 3});
        runsBySide.put("a6-b6", new int[] {6, 6});
        List<Map<String, String>> configs = new java.util.ArrayList<>();
        Path h100 = Path.of("src/test/resources/h100");
        for (Map.Entry<String, int[]> c : runsBySide.entrySet()) {
            Map<String, String> config = Map.of(ParamNames.MODEL, c.getKey());
            configs.add(config);
            for (int side = 0; side < 2; side++) {
                for (int round = 1; round <= c.getValue()[side]; round++) {
                    Files.copy(h100.resolve("fp16-b128-on-" + ((round + side) % 2 + 1) + ".json"),
                            dir.resolve(OverheadCommand.resultName(config, round, vs.get(side))));
                }
            }
        }
        List<OverheadSummary.Row> rows = OverheadSummary.rows(dir, configs, vs,
                new TreeSet<>(java.util.stream.IntStream.rangeClosed(1, 6).boxed().toList()), Map.of(), 0.01);
        List<OverheadSummary.Row> b = rows.stream().filter(r -> r.variant().name().equals("b")).toList();
        assertEquals(List.of(6, 3, 6), b.stream().map(OverheadSummary.Row::runs).toList());
        for (OverheadSummary.Row r : b) {
            assertTrue(r.ratio().lo() >= 0.99 && r.ratio().hi() <= 1.01, r.config() + ": " + r.ratio());
        }
        assertEquals(List.of(MedianRatio.Verdict.TOO_NOISY, MedianRatio.Verdict.TOO_NOISY, MedianRatio.Verdict.SAME),
                b.stream().map(OverheadSummary.Row::verdict).toList());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        OverheadSummary.print(new PrintStream(out, true, StandardCharsets.UTF_8), rows, 0.01);
        String said = out.toString(StandardCharsets.UTF_8);
        assertEquals(1, said.lines().filter(l -> l.equals(FEW_RUNS)).count(), said);
    }

    /**
     * Without --rounds a directory of 6 rounds is whole: nothing runs, and no run lies beyond the default
     * {@link OverheadCommand#DEFAULT_ROUNDS}.
     */
    @Test
    void theDefaultRoundsAreSix(@TempDir Path tmp) throws Exception {
        Path out = measuredRuns(tmp, 6, round -> "fp16-b128-on-" + (round % 2 + 1) + ".json");
        ConsoleCapture r = call("-p", "engine=pytorch-fp16", "-p", "batchSize=128", "-p", "model=resnet50", "--variant", "a=",
                "--variant", "b=", "-wi", "0", "-i", "1", "-r", "100ms", "--out", out.toString());
        assertEquals(0, r.rc(), r.out() + r.err());
        assertTrue(r.out().contains("[overhead] 1 configuration x 2 variants x 6 rounds; baseline"), r.out());
        assertEquals(12, r.out().lines().filter(l -> l.contains(": done earlier (")).count(), r.out());
        assertFalse(r.out().contains("beyond --rounds"), r.out());
    }

    /** The advice of the console's note on too few runs a side: the same --out again makes up the runs missing. */
    private static final String AGAIN = "(run the command again with the same --out and --rounds 6 or more: it runs "
            + "only what is missing there, failed runs included)";
    private static final String FEW_RUNS = "fewer than 5 runs a side understate how much runs differ, so the verdict "
            + "is too-noisy whatever the interval " + AGAIN;

    /**
     * A directory o/ holding variants a and b of engine=pytorch-fp16+batchSize=128+model=resnet50 (the order of the
     * first command's -p options) for rounds 1 to {@code rounds}, each a recorded H100 result named by {@code fixture}.
     */
    private static Path measuredRuns(Path tmp, int rounds, java.util.function.IntFunction<String> fixture) throws Exception {
        Path out = Files.createDirectories(tmp.resolve("o"));
        Map<String, String> config = measuredConfig();
        for (int round = 1; round <= rounds; round++) {
            for (Variant v : Variant.parse(List.of("a=", "b="))) {
                Files.copy(Path.of("src/test/resources/h100/" + fixture.apply(round)),
                        out.resolve(OverheadCommand.resultName(config, round, v)));
            }
        }
        return out;
    }

    /** The configuration of {@link #measuredRuns}, its parameters in the order its file names have them. */
    private static Map<String, String> measuredConfig() {
        Map<String, String> config = new java.util.LinkedHashMap<>();
        config.put(ParamNames.ENGINE, "pytorch-fp16");
        config.put(ParamNames.BATCH_SIZE, "128");
        config.put(ParamNames.MODEL, "resnet50");
        return config;
    }
}
