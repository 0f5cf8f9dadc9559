package gpuenergy.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import gpuenergy.ConsoleCapture;
import gpuenergy.bench.InferenceBenchmark;
import gpuenergy.profile.EnvironmentKeys;
import gpuenergy.profile.DeviceSpec;
import gpuenergy.options.JmhOptions;
import gpuenergy.options.ParamOption;
import gpuenergy.profile.NvmlEnergyProfiler;
import gpuenergy.results.ParamNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.ProfilerConfig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MainTest {

    @TempDir
    Path dir;

    private static String captureStdout(ThrowingRunnable r) throws IOException {
        PrintStream saved = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            r.run();
        } finally {
            System.setOut(saved);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    interface ThrowingRunnable {
        void run() throws IOException;
    }

    /** A run that reuses a result's name and measures nothing sets the earlier run's result aside before listing. */
    @Test
    void anEarlierRunsResultIsNotReadWithANewRunsFailures(@TempDir Path dir) throws IOException {
        JmhRun first = JmhRun.of(dir, "engine=pytorch-fp32");
        assertEquals(1, first.results.size(), first.output);
        JmhRun second = JmhRun.of(dir, "engine=no-such-engine");
        assertEquals(1, second.exitCode, second.output);
        assertEquals(0, second.results.size(), "beside this run's failure stands no earlier result");
        assertEquals(1, second.notRun.size());
        assertTrue(Files.exists(dir.resolve("result.earlier.json")), "the earlier result, kept: " + second.output);
        assertTrue(second.output.contains("is an earlier run's; set aside as "), second.output);
    }

    /** With -rf csv the JSON kept beside it is a file the user did not name: an earlier one there is set aside. */
    @Test
    void theJsonBesideAnotherFormatReplacesNoEarlierResult(@TempDir Path dir) throws IOException {
        Path earlier = Files.writeString(dir.resolve("run.json"), "[\"an earlier run's result\"]");
        Files.writeString(dir.resolve("run.notrun.json"), "[\"its failures\"]");
        int rc = Main.run(new String[] {"InferenceBenchmark.infer", "-f", "0", "-wi", "0", "-i", "1", "-r", "300ms",
                "-p", "batchSize=1", "-p", "engine=pytorch-fp32", "-o", dir.resolve("out.txt").toString(),
                "-rf", "csv", "-rff", dir.resolve("run.csv").toString()});
        assertEquals(0, rc, Files.readString(dir.resolve("out.txt")));
        assertEquals("[\"an earlier run's result\"]", Files.readString(dir.resolve("run.earlier.json")));
        assertEquals("[\"its failures\"]", Files.readString(dir.resolve("run.earlier.notrun.json")), "set aside with it");
        assertEquals(1, JsonParser.parseString(Files.readString(earlier)).getAsJsonArray().size());
        assertTrue(Files.readString(dir.resolve("run.csv")).contains("InferenceBenchmark.infer"));
    }

    /**
     * -rf csv -rff run.csv keeps an earlier run.csv until this run's table is written whole, by a rename: a run that
     * measures nothing leaves it as it was, and JMH, which writes its table into the file in place at the run's end,
     * writes a copy of its own.
     */
    @Test
    void anEarlierTableUnderTheNameStaysUntilTheRunsOwnIsWritten(@TempDir Path dir) throws Exception {
        String table = "\"Benchmark\",\"Mode\",\"Threads\",\"Samples\",\"Score\"\n\"an earlier run's\",\"thrpt\",1,1,1\n";
        Path csv = Files.writeString(dir.resolve("run.csv"), table);
        ConsoleCapture none = launch(Forked.SLEEP, "-f", "0", "-wi", "0", "-i", "1", "-r", "100ms", "-p", "engine=broken",
                "-rf", "csv", "-rff", csv.toString());
        assertEquals(1, none.rc(), none.out() + none.err());
        assertEquals(table, Files.readString(csv), "nothing measured:\n" + none.out() + none.err());

        ConsoleCapture measured = launch(Forked.SLEEP, "-f", "0", "-wi", "0", "-i", "1", "-r", "100ms",
                "-o", dir.resolve("out.txt").toString(), "-rf", "csv", "-rff", csv.toString());
        assertEquals(0, measured.rc(), measured.out() + measured.err());
        assertTrue(Files.readString(csv).contains("SleepBenchmark.infer"), "replaced as -rff asks: " + Files.readString(csv));
        assertTrue(Files.readString(dir.resolve("out.txt")).contains("Benchmark result is saved to " + csv + "\n"),
                Files.readString(dir.resolve("out.txt")));
    }

    /** A run that reuses a result's name and lists nothing removes the earlier run's not-run list beside it. */
    @Test
    void anEarlierRunsNotRunListDoesNotStandBesideANewResult(@TempDir Path dir) throws IOException {
        JmhRun first = JmhRun.of(dir, "engine=pytorch-fp32,no-such-engine");
        assertEquals(1, first.notRun.size(), first.output);
        JmhRun second = JmhRun.of(dir, "engine=pytorch-fp32");
        assertEquals(0, second.exitCode, second.output);
        assertEquals(1, second.results.size());
        assertEquals(0, second.notRun.size(), "the earlier run's failure is not this run's: " + second.notRun);
        assertFalse(Files.exists(dir.resolve("result.notrun.json")), "replaced with the result it describes: " + second.output);
        assertFalse(Files.exists(dir.resolve("result.earlier.notrun.json")), "no list without its result: " + second.output);
    }

    /**
     * A run of one name that measured nothing leaves only its not-run list; the next run of the name that measures
     * sets that list aside before its result is written: it describes no result, and is the first run's only record.
     * So with -rf csv, whose JSON beside it is named alike.
     */
    @Test
    void anEarlierRunsListAloneIsSetAsideByARunThatMeasures(@TempDir Path dir) throws IOException {
        JmhRun first = JmhRun.of(dir, "engine=no-such-engine");
        assertEquals(1, first.notRun.size(), first.output);
        assertFalse(first.resultWritten, first.output);
        JmhRun second = JmhRun.of(dir, "engine=pytorch-fp32");
        assertEquals(0, second.exitCode, second.output);
        assertEquals(1, second.results.size(), second.output);
        assertEquals(0, second.notRun.size(), "the earlier run's failure is not beside this run's result");
        assertEquals(first.notRun, JsonParser.parseString(Files.readString(dir.resolve("result.earlier.notrun.json"))),
                second.output);
        assertFalse(Files.exists(dir.resolve("result.earlier.json")), "no result beside the earlier list");
        assertTrue(second.output.contains("not-run list: " + dir.resolve("result.notrun.json") + " is an earlier run's;"
                + " set aside as " + dir.resolve("result.earlier.notrun.json")), second.output);

        Path csv = Files.createDirectories(dir.resolve("csv"));
        Path out = csv.resolve("out.txt");
        for (String engine : new String[] {"no-such-engine", "pytorch-fp32"}) {
            Main.run(new String[] {"InferenceBenchmark.infer", "-f", "0", "-wi", "0", "-i", "1", "-r", "300ms",
                    "-p", "batchSize=1", "-p", "engine=" + engine, "-o", out.toString(),
                    "-rf", "csv", "-rff", csv.resolve("run.csv").toString()});
        }
        assertFalse(Files.exists(csv.resolve("run.notrun.json")), Files.readString(out));
        JsonArray aside = JsonParser.parseString(Files.readString(csv.resolve("run.earlier.notrun.json"))).getAsJsonArray();
        assertEquals("no-such-engine", aside.get(0).getAsJsonObject().getAsJsonObject("params").get(ParamNames.ENGINE)
                .getAsString(), Files.readString(out));
        assertEquals(1, JsonParser.parseString(Files.readString(csv.resolve("run.json"))).getAsJsonArray().size());
    }

    /**
     * A second run of a -rf csv command while the first holds JMH's lock is refused, and moves none of the first run's
     * files: the earlier result beside run.csv is set aside only once a run holds the lock.
     */
    @Test
    void aRunRefusedForJmhsLockMovesNoFileOfTheRunHoldingIt(@TempDir Path dir) throws Exception {
        Path json = Files.writeString(dir.resolve("run.json"), "[\"the running run's result\"]");
        Path list = Files.writeString(dir.resolve("run.notrun.json"), "[\"its failures\"]");
        Process holder = Forked.java(dir.resolve("holder.log"), List.of(), LockHolder.class.getName(),
                dir.resolve("jmh.lock").toString()).redirectOutput(ProcessBuilder.Redirect.PIPE).start();
        try (java.io.BufferedReader r = holder.inputReader(StandardCharsets.UTF_8)) {
            assertEquals("locked", r.readLine());
            Path log = dir.resolve("run.log");
            // JMH's lock is <java.io.tmpdir>/jmh.lock
            int rc = Forked.run(Forked.java(log, List.of("-Djava.io.tmpdir=" + dir), Main.class.getName(), Forked.SLEEP,
                    "-f", "0", "-wi", "0", "-i", "1", "-r", "100ms", "-rf", "csv", "-rff", dir.resolve("run.csv").toString()));
            String out = Forked.read(log);
            assertEquals(1, rc, out);
            assertTrue(out.contains("Unable to acquire the JMH lock"), out);
            assertEquals("[\"the running run's result\"]", Files.readString(json), out);
            assertEquals("[\"its failures\"]", Files.readString(list), out);
            try (var files = Files.list(dir)) {
                assertEquals(List.of(), files.map(f -> f.getFileName().toString()).filter(f -> f.contains("earlier")).toList(), out);
            }
        } finally {
            holder.destroy();
            holder.waitFor();
        }
    }

    /** Two runs of one -rff name that both measure nothing: the first one's not-run list is set aside, not replaced. */
    @Test
    void anEarlierRunsNotRunListIsSetAsideNotReplaced(@TempDir Path dir) throws IOException {
        JmhRun first = JmhRun.of(dir, "engine=no-such-engine");
        assertEquals(1, first.notRun.size(), first.output);
        JmhRun second = JmhRun.of(dir, "engine=pytorch-fp32", "batchSize=0");
        assertEquals(1, second.exitCode, second.output);
        assertEquals("0", second.onlyNotRun().getAsJsonObject("params").get(ParamNames.BATCH_SIZE).getAsString());
        JsonArray aside = JsonParser.parseString(Files.readString(dir.resolve("result.earlier.notrun.json"))).getAsJsonArray();
        assertEquals(first.notRun, aside, second.output);
        assertTrue(second.output.contains("not-run list: " + dir.resolve("result.notrun.json") + " is an earlier run's; set"
                + " aside as " + dir.resolve("result.earlier.notrun.json")), second.output);
    }

    /**
     * A run given no result name takes one that no run of the same second has: the names of the seconds it may start in
     * are held by runs that ended with a not-run list; each stays as it was, and the run's own list is beside the next.
     */
    @Test
    void aDefaultNameOfTheSameSecondIsNeverAnotherRuns(@TempDir Path dir) throws Exception {
        DateTimeFormatter second = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
        LocalDateTime now = LocalDateTime.now();
        List<Path> held = new ArrayList<>();
        for (int s = 0; s < 60; s++) {
            held.add(Files.writeString(dir.resolve("gpuenergy-result-" + now.plusSeconds(s).format(second) + ".notrun.json"),
                    "[\"an earlier run's failures\"]"));
        }
        Path log = dir.resolve("run.log");
        int rc = Forked.run(Forked.java(log, List.of("-Djmh.ignoreLock=true"), Main.class.getName(), Forked.SLEEP,
                "-f", "0", "-wi", "0", "-i", "1", "-r", "100ms", "-p", "engine=broken").directory(dir.toFile()));
        String out = Forked.read(log);
        assertEquals(1, rc, out);
        for (Path h : held) {
            assertEquals("[\"an earlier run's failures\"]", Files.readString(h), out);
        }
        try (var files = Files.list(dir)) {
            List<String> added = files.map(f -> f.getFileName().toString())
                    .filter(f -> !f.equals("run.log") && held.stream().noneMatch(h -> h.getFileName().toString().equals(f)))
                    .toList();
            assertEquals(1, added.size(), "the run's own list and no claim left: " + added + "\n" + out);
            assertTrue(added.get(0).matches("gpuenergy-result-\\d{8}-\\d{6}\\.1\\.notrun\\.json"), added + "\n" + out);
            assertTrue(out.contains("listed in " + added.get(0)), out);
        }
    }

    /** Ctrl-C or SIGTERM runs no finally block: the claim on a default name goes all the same, and frees the name. */
    @Test
    void aRunStoppedBySigtermLeavesNoClaim(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("run.log");
        Process run = Forked.java(log, List.of("-Djmh.ignoreLock=true"), Main.class.getName(), Forked.SLEEP,
                "-f", "0", "-wi", "0", "-i", "50", "-r", "200ms", "-p", "batchSize=1").directory(dir.toFile()).start();
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!Forked.read(log).contains("Iteration   1:")) {
            if (!run.isAlive() || System.nanoTime() > deadline) {
                run.destroyForcibly();
                throw new AssertionError("the run did not get under way:\n" + Forked.read(log));
            }
            Thread.sleep(20);
        }
        try (var files = Files.list(dir)) {
            assertEquals(1, files.filter(f -> f.getFileName().toString().endsWith(".json.claim")).count(),
                    "the run holds its name:\n" + Forked.read(log));
        }
        run.destroy();
        run.waitFor();
        assertEquals(143, run.exitValue(), "stopped, not finished:\n" + Forked.read(log));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(), files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".claim")).toList(),
                    Forked.read(log));
        }
    }

    /** A plain run of the sleep benchmark in {@code dir} with {@code args}, in a VM of its own; the output is in {@code log}. */
    private static ProcessBuilder runIn(Path dir, String log, String... args) {
        List<String> all = new ArrayList<>(List.of(Forked.SLEEP, "-f", "0", "-wi", "0", "-i", "1", "-r", "100ms"));
        all.addAll(List.of(args));
        return Forked.java(dir.resolve(log), List.of("-Djmh.ignoreLock=true"), Main.class.getName(), all.toArray(new String[0]))
                .directory(dir.toFile());
    }

    /** The entries of a result file. */
    private static int entries(Path result) throws IOException {
        return JsonParser.parseString(Files.readString(result)).getAsJsonArray().size();
    }

    /**
     * -rf without -rff: JMH's jmh-result.FORMAT and the JSON beside are names the user did not give, claimed as the
     * suite's default is: an earlier run's file under one is neither replaced nor moved, and JMH writes the claimed name.
     */
    @Test
    void jmhsDefaultResultNamesAreClaimed(@TempDir Path dir) throws Exception {
        Path earlier = Files.writeString(dir.resolve("jmh-result.json"), "[\"an earlier run's result\"]");
        Path earlierCsv = Files.writeString(dir.resolve("jmh-result.2.csv"), "an earlier run's CSV");
        assertEquals(0, Forked.run(runIn(dir, "json.log", "-rf", "json")), Forked.read(dir.resolve("json.log")));
        String json = Forked.read(dir.resolve("json.log"));
        assertEquals("[\"an earlier run's result\"]", Files.readString(earlier), json);
        assertEquals(1, entries(dir.resolve("jmh-result.1.json")), json);
        assertTrue(json.contains("Benchmark result is saved to jmh-result.1.json\n"), json);

        assertEquals(0, Forked.run(runIn(dir, "csv.log", "-rf", "csv")), Forked.read(dir.resolve("csv.log")));
        String csv = Forked.read(dir.resolve("csv.log"));
        assertEquals("an earlier run's CSV", Files.readString(earlierCsv), csv);
        assertTrue(Files.readString(dir.resolve("jmh-result.3.csv")).contains("SleepBenchmark.infer"), csv);
        assertEquals(1, entries(dir.resolve("jmh-result.3.json")), csv);
        assertTrue(csv.contains("result: jmh-result.3.csv is written when the run ends; every finished benchmark is kept"
                + " in jmh-result.3.json as it finishes"), csv);
        try (var files = Files.list(dir)) {
            assertEquals(List.of("csv.log", "jmh-result.1.json", "jmh-result.2.csv", "jmh-result.3.csv", "jmh-result.3.json",
                    "jmh-result.json", "json.log"), files.map(f -> f.getFileName().toString()).sorted().toList(),
                    "nothing set aside, no claim left");
        }
    }

    /** Two runs at once with -rf json and no -rff: each keeps its result under a name of its own. */
    @Test
    void twoRunsAtOnceWithoutRffKeepBothResults(@TempDir Path dir) throws Exception {
        Process first = runIn(dir, "first.log", "-rf", "json").start();
        Process second = runIn(dir, "second.log", "-rf", "json").start();
        for (Process p : List.of(first, second)) {
            if (!p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                first.destroyForcibly();
                second.destroyForcibly();
                throw new AssertionError("still running after 60 s");
            }
        }
        String out = Forked.read(dir.resolve("first.log")) + Forked.read(dir.resolve("second.log"));
        assertEquals(0, first.exitValue(), out);
        assertEquals(0, second.exitValue(), out);
        assertEquals(1, entries(dir.resolve("jmh-result.json")), out);
        assertEquals(1, entries(dir.resolve("jmh-result.1.json")), out);
        assertTrue(out.contains("saved to jmh-result.json\n") && out.contains("saved to jmh-result.1.json\n"), out);
    }

    /**
     * -o naming a result, this run's included (its JSON or its -rf file), or a name the suite gives its own files is
     * refused in one line before anything runs: JMH's output would replace it. An ordinary log there is replaced, as
     * asked.
     */
    @Test
    void anOutputFileThatIsAResultOrTheSuitesOwnIsRefused(@TempDir Path tmp) throws IOException {
        Path result = Files.copy(Path.of("src/test/resources/h100/validation/resnet50-pytorch-fp32-b128.json"),
                tmp.resolve("gpuenergy-result-20261205-132622.json"));
        String recorded = Files.readString(result);
        Path list = Files.writeString(tmp.resolve("base.notrun.json"), "[\"an earlier run's not-run list\"]");
        String json = tmp.resolve("r.json").toString();
        String csv = tmp.resolve("c.csv").toString();
        // JMH's own -rf csv and -rf scsv tables (header as JMH 1.37 writes it)
        Path table = Files.writeString(tmp.resolve("earlier.csv"), "\"Benchmark\",\"Mode\",\"Threads\",\"Samples\","
                + "\"Score\",\"Score Error (99.9%)\",\"Unit\",\"Param: batchSize\"\n\"gpuenergy.bench.InferenceBenchmark"
                + ".infer\",\"thrpt\",1,1,1234.5,NaN,\"ops/s\",1\n");
        Path semicolons = Files.writeString(tmp.resolve("earlier.scsv"), "\"Benchmark\";\"Mode\";\"Threads\";"
                + "\"Samples\";\"Score\";\"Score Error (99.9%)\";\"Unit\"\n");
        // JMH's own -rf text and -rf latex tables (their first lines as JMH 1.37 writes them)
        Path text = Files.writeString(tmp.resolve("earlier.txt"), "Benchmark                 (batchSize)   Mode  Cnt"
                + "    Score   Error  Units\nInferenceBenchmark.infer            1  thrpt       168.668          ops/s\n");
        Path latex = Files.writeString(tmp.resolve("earlier.latex"), "\\begin{tabular}{r|l|rl}\n"
                + " \\multicolumn{1}{c|}{\\texttt{Benchmark}} & \\texttt{batchSize} & \\multicolumn{2}{c}{\\texttt{Score,"
                + " ops/s}} \\\\\n\\hline\n");
        Map<List<String>, String> cases = new java.util.HashMap<>(Map.of(
                List.of("-rff", json, "-o", table.toString()), "holds a result, which JMH's output would replace",
                List.of("-rff", json, "-o", semicolons.toString()), "holds a result, which JMH's output would replace",
                List.of("-rff", json, "-o", text.toString()), "holds a result, which JMH's output would replace",
                List.of("-rff", json, "-o", latex.toString()), "holds a result, which JMH's output would replace"));
        cases.putAll(Map.of(
                List.of("-rff", json, "-o", result.toString()), "holds a result, which JMH's output would replace",
                List.of("-rff", json, "-o", list.toString()), "base.notrun.json is the name of the list of the benchmarks",
                List.of("-rff", json, "-o", tmp.resolve("r.unfinished.json").toString()),
                "r.unfinished.json is the name of the measured iterations",
                List.of("-rff", json, "-o", tmp.resolve("r.earlier.json").toString()), "r.earlier.json is the name of an earlier",
                List.of("-rff", json, "-o", tmp.resolve(".").resolve("r.json").toString()), "this run's result is written there",
                List.of("-rf", "csv", "-rff", csv, "-o", csv), "this run's result is written there",
                List.of("-rf", "csv", "-rff", csv, "-o", tmp.resolve("c.json").toString()), "this run's result is written there"));
        cases.forEach((given, why) -> {
            List<String> args = new ArrayList<>(List.of(Forked.SLEEP, "-f", "0", "-wi", "0", "-i", "1", "-r", "100ms"));
            args.addAll(given);
            ConsoleCapture run = ConsoleCapture.run(() -> {
                try {
                    return Main.run(args.toArray(new String[0]));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            assertEquals(1, run.rc(), given + ": " + run.out() + run.err());
            assertTrue(run.err().startsWith("-o " + given.get(given.size() - 1) + ": " + why), run.err());
            assertTrue(run.err().endsWith("; name the output otherwise\n"), run.err());
            assertEquals(1, run.err().lines().count(), run.err());
            assertEquals("", run.out(), "nothing ran");
        });
        assertEquals(recorded, Files.readString(result));
        assertEquals("[\"an earlier run's not-run list\"]", Files.readString(list));
        try (var files = Files.list(tmp)) {
            assertEquals(List.of(list, table, latex, semicolons, text, result), files.sorted().toList(), "nothing written");
        }

        Path log = Files.writeString(tmp.resolve("run.log"), "an earlier run's log");
        assertEquals(0, Main.run(new String[] {Forked.SLEEP, "-f", "0", "-wi", "0", "-i", "1", "-r", "100ms",
                "-rff", json, "-o", log.toString()}));
        String output = Files.readString(log);
        assertTrue(output.contains("# JMH version") && !output.contains("an earlier run's log"), output);
        assertEquals(1, entries(Path.of(json)));
    }

    @Test
    void listWithParamsShowsModelEngineBatchSizeAndDevice() throws IOException {
        String out = captureStdout(() -> assertEquals(0, Main.run(new String[] {"-lp"})));
        assertTrue(out.contains("gpuenergy.bench.InferenceBenchmark.infer"), out);
        assertTrue(out.contains("param \"model\" = {mobilenetv3_small_100}"), out);
        assertTrue(out.contains("param \"engine\" = {pytorch-fp32, pytorch-fp16}"), out);
        assertTrue(out.contains("param \"batchSize\" = {1, 8}"), out);
        assertTrue(out.contains("param \"device\" = {auto}"), out);
    }

    @Test
    void helpListsTheSubcommandsAndTheSuitesOptionsThenJmhs() throws IOException {
        String out = captureStdout(() -> assertEquals(0, Main.run(new String[] {"-h"})));
        assertTrue(out.startsWith("usage: java -jar benchmarks.jar [JMH options]"), out);
        assertEquals(out, captureStdout(() -> assertEquals(0, Main.run(new String[] {"--help"}))),
                "--help, as the subcommands take it");
        for (String s : new String[] {"benchmarks.jar sweep", "benchmarks.jar report", "benchmarks.jar compare", "-prof energy",
                "-Dgpuenergy.models=DIR", "-Dgpuenergy.allowUnchecked=true", "given to java before -jar",
                "JMH options, with this suite's defaults:",
                "-jvmArgsAppend"}) {
            assertTrue(out.contains(s), s + " missing:\n" + out);
        }
    }

    /**
     * JMH's options in -h give the defaults a run of this suite applies (the benchmark's annotations, the launcher's
     * JSON result), not JMH's own; JMH's text is wrapped, so each option's description is read whole.
     */
    @Test
    void helpGivesTheSuitesDefaultsForJmhsOptions() throws IOException {
        String out = captureStdout(() -> assertEquals(0, Main.run(new String[] {"-h"})));
        Map<String, String> described = new java.util.HashMap<>();
        for (String block : out.substring(out.indexOf("JMH options")).split("\\R\\s*\\R")) {
            String line = block.strip().replaceAll("\\s+", " ");
            if (line.startsWith("-")) {
                described.put(line.substring(0, line.indexOf(' ')), line);
            }
        }
        Class<InferenceBenchmark> suite = InferenceBenchmark.class;
        Warmup warmup = suite.getAnnotation(Warmup.class);
        Measurement measurement = suite.getAnnotation(Measurement.class);
        Map<String, String> expected = Map.of(
                "-f", "(default: " + suite.getAnnotation(Fork.class).value() + ")",
                "-wi", "(default: " + warmup.iterations() + ")",
                "-w", "(default: " + warmup.time() + " s)",
                "-i", "(default: " + measurement.iterations() + ")",
                "-r", "(default: " + measurement.time() + " s)",
                "-rf", "(default: JSON; CSV with an -rff file not ending in .json)",
                "-rff", "(default: gpuenergy-result-<date>-<time>.json; with -rf, jmh-result.<result-format>)");
        expected.forEach((option, dflt) -> {
            String line = described.get(option);
            assertTrue(line != null && line.endsWith(dflt), option + ": expected " + dflt + " at the end of\n" + line);
            assertEquals(1, line.split("\\(default:", -1).length - 1, "JMH's own default is gone: " + line);
        });
        assertFalse(out.contains("for all other modes"), out);
        assertTrue(described.get("-bm").endsWith("(default: Throughput)"), "other options keep JMH's: " + described.get("-bm"));
    }

    /**
     * A -Dgpuenergy.* setting reaches each fork once (JMH passes this VM's own arguments, the launcher adds only what
     * JMH does not), and the environment's command carries it, so that the command reproduces the run.
     */
    @Test
    void suiteSettingsReachTheForksOnceAndAreInTheCommand() throws Exception {
        Path log = dir.resolve("run.log");
        Path result = dir.resolve("r.json");
        int rc = Forked.run(Forked.java(log, List.of("-Djmh.ignoreLock=true", "-Dgpuenergy.models=a b"),
                Main.class.getName(), Forked.SLEEP, "-f", "1", "-wi", "0", "-i", "1", "-r", "100ms", "-p", "model=fits8",
                "-rff", result.toString()));
        String out = Forked.read(log);
        assertEquals(0, rc, out);
        String vmOptions = out.lines().filter(l -> l.startsWith("# VM options:")).findFirst().orElseThrow();
        assertEquals(1, vmOptions.split("-Dgpuenergy.models=a b", -1).length - 1, vmOptions);
        String command = JsonParser.parseString(Files.readString(result)).getAsJsonArray().get(0).getAsJsonObject()
                .getAsJsonObject("environment").get(EnvironmentKeys.COMMAND).getAsString();
        assertEquals("java '-Dgpuenergy.models=a b' -jar benchmarks.jar " + Forked.SLEEP
                + " -f 1 -wi 0 -i 1 -r 100ms -p model=fits8 -rff " + result, command);
    }

    /** JMH's -jvmArgsAppend replaces @Fork(jvmArgsAppend): the suite's own fork arguments are kept, the user's after. */
    @Test
    void jvmArgsAppendKeepsTheBenchmarksOwnForkArguments() throws Exception {
        CommandLineOptions cmd = new CommandLineOptions("InferenceBenchmark.infer", "-jvmArgsAppend", "-Dai.djl.pytorch.cudnn_benchmark=false -Dx=y");
        ChainedOptionsBuilder opts = new OptionsBuilder().parent(cmd);
        try (SuiteRun suite = new SuiteRun(new String[0])) {
            suite.configure(opts, cmd);
        }
        assertEquals(List.of("-Dai.djl.pytorch.cudnn_benchmark=true", "-Xms1g", "-Xmx4g", "-Dai.djl.pytorch.cudnn_benchmark=false",
                "-Dx=y"), new ArrayList<>(opts.build().getJvmArgsAppend().get()));
    }

    /**
     * An overhead variant without a profiler (addEnergy false) runs with none, even where a GPU can be measured; the
     * same run with addEnergy gets the energy profiler there, so the GPU is present for the first call too.
     */
    @Test
    void noProfilerAskedForMeansNoneEvenWithAGpu() throws Exception {
        CommandLineOptions cmd = new CommandLineOptions("InferenceBenchmark.infer");
        try (SuiteRun suite = new SuiteRun(new String[0], () -> null)) {
            ChainedOptionsBuilder without = new OptionsBuilder().parent(cmd);
            assertEquals("no profiler asked for", suite.configure(without, cmd, false));
            assertEquals(List.of(), new ArrayList<>(without.build().getProfilers()));
            ChainedOptionsBuilder with = new OptionsBuilder().parent(cmd);
            assertNull(suite.configure(with, cmd, true));
            assertEquals(List.of(SuiteRun.ENERGY_PROFILER),
                    with.build().getProfilers().stream().map(ProfilerConfig::getKlass).toList());
        }
    }

    /** Each run of a configuration reads its own forks' records: an earlier run's not-run reason does not carry over. */
    @Test
    void eachRunStartsWithEmptyTrialRecords() throws Exception {
        try (SuiteRun suite = new SuiteRun(new String[0], () -> null)) {
            Map<String, String> params = Map.of("engine", "pytorch-fp16");
            Files.writeString(suite.records, "{\"benchmark\":\"b\",\"params\":{\"engine\":\"pytorch-fp16\"},"
                    + "\"notrun\":{\"reason\":\"round 1's reason\",\"kind\":\"error\"}}\n");
            assertEquals("round 1's reason", suite.notRun("b", params).reason());
            suite.startRun();
            assertNull(suite.notRun("b", params), "the next run's records start empty");
        }
    }

    /**
     * Each entry names the GPU its benchmark ran on (device gpu:N, through CUDA_VISIBLE_DEVICES as the profiler finds
     * it) or the one the profiler's gpu= measured; a benchmark on the CPU names none, and a GPU that cannot be described
     * none either, in one line, rather than the host's. What the fork recorded about its GPU stays.
     */
    @Test
    void eachEntryNamesItsOwnGpu() throws Exception {
        Map<String, Map<String, String>> boards = Map.of(
                "0", Map.of(EnvironmentKeys.GPU_NAME, "board zero", EnvironmentKeys.GPU_UUID, "GPU-0"),
                "1", Map.of(EnvironmentKeys.GPU_NAME, "board one", EnvironmentKeys.GPU_UUID, "GPU-1"));
        java.util.function.BiFunction<String, String, Map<String, String>> describe = (gpuOption, device) -> {
            String board = gpuOption != null ? gpuOption : String.valueOf(device == null ? 0 : DeviceSpec.parse(device).ordinal());
            if (!boards.containsKey(board)) {
                throw new IllegalArgumentException("gpu energy: cannot describe the benchmark's GPU: no CUDA device " + board);
            }
            return boards.get(board);
        };
        JsonArray jmh = new JsonArray();
        for (String device : List.of("auto", "gpu:1", "cpu", "gpu:7", "tpu")) {
            jmh.add(JsonParser.parseString("{\"benchmark\": \"b\", \"params\": {\"device\": \"" + device + "\"}}"));
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream console = System.out;
        try (SuiteRun suite = new SuiteRun(new String[0], () -> null, describe)) {
            Files.writeString(suite.records, "{\"benchmark\":\"b\",\"params\":{\"device\":\"gpu:1\"},"
                    + "\"environment\":{\"" + EnvironmentKeys.GPU_COMPUTE_CAPABILITY + "\":\"9.0\"}}\n");
            System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
            JsonArray out = suite.withEnvironment(jmh);
            System.setOut(console);
            List<String> names = new ArrayList<>();
            for (int i = 0; i < out.size(); i++) {
                JsonObject env = out.get(i).getAsJsonObject().getAsJsonObject("environment");
                names.add(env.has(EnvironmentKeys.GPU_NAME) ? env.get(EnvironmentKeys.GPU_NAME).getAsString() : null);
            }
            // tpu: a device value the engines refuse names no GPU, and says nothing beside its not-run line
            assertEquals(java.util.Arrays.asList("board zero", "board one", null, null, null), names);
            assertEquals("9.0", out.get(1).getAsJsonObject().getAsJsonObject("environment")
                    .get(EnvironmentKeys.GPU_COMPUTE_CAPABILITY).getAsString(), "the fork's own record of its GPU stays");
            assertEquals(List.of("environment: gpu energy: cannot describe the benchmark's GPU: no CUDA device 7; the results"
                    + " of device=gpu:7 name no GPU"), bytes.toString(StandardCharsets.UTF_8).lines().toList());

            CommandLineOptions gpu1 = new CommandLineOptions("-prof", SuiteRun.ENERGY_PROFILER + ":gpu=1");
            suite.configure(new OptionsBuilder().parent(gpu1), gpu1);
            JsonArray measured = suite.withEnvironment(jmh);
            for (int i = 0; i < measured.size(); i++) {
                assertEquals("GPU-1", measured.get(i).getAsJsonObject().getAsJsonObject("environment")
                        .get(EnvironmentKeys.GPU_UUID).getAsString(), "gpu=1 measured every one");
            }
        } finally {
            System.setOut(console);
        }
    }

    /**
     * The energy profiler's sampling mode and rate, and whether it interleaves, go into the environment, so compare shows
     * a change of either.
     */
    @Test
    void theEnergyProfilersSamplingIsInTheEnvironment() throws Exception {
        JsonArray jmh = JsonParser.parseString("[{\"benchmark\": \"b\", \"params\": {}}]").getAsJsonArray();
        try (SuiteRun suite = new SuiteRun(new String[0])) {
            CommandLineOptions given = new CommandLineOptions("-prof", SuiteRun.ENERGY_PROFILER + ":sampling=continuous;hz=400");
            suite.configure(new OptionsBuilder().parent(given), given);
            JsonObject env = suite.withEnvironment(jmh).get(0).getAsJsonObject().getAsJsonObject("environment");
            assertEquals("continuous", env.get(EnvironmentKeys.ENERGY_SAMPLING).getAsString());
            assertEquals("400", env.get(EnvironmentKeys.ENERGY_HZ).getAsString());
            assertFalse(env.has(EnvironmentKeys.ENERGY_INTERLEAVE), "every window sampled: no interleave key");

            CommandLineOptions interleaved = new CommandLineOptions("-prof", SuiteRun.ENERGY_PROFILER + ":interleave=true");
            suite.configure(new OptionsBuilder().parent(interleaved), interleaved);
            env = suite.withEnvironment(jmh).get(0).getAsJsonObject().getAsJsonObject("environment");
            assertEquals("true", env.get(EnvironmentKeys.ENERGY_INTERLEAVE).getAsString());

            CommandLineOptions defaults = new CommandLineOptions("-prof", SuiteRun.ENERGY_PROFILER);
            suite.configure(new OptionsBuilder().parent(defaults), defaults);
            env = suite.withEnvironment(jmh).get(0).getAsJsonObject().getAsJsonObject("environment");
            assertEquals(NvmlEnergyProfiler.environment("").get(EnvironmentKeys.ENERGY_SAMPLING), env.get(EnvironmentKeys.ENERGY_SAMPLING).getAsString());

            CommandLineOptions gcOnly = new CommandLineOptions("-prof", "gc");
            suite.configure(new OptionsBuilder().parent(gcOnly), gcOnly);
            env = suite.withEnvironment(jmh).get(0).getAsJsonObject().getAsJsonObject("environment");
            assertFalse(env.has(EnvironmentKeys.ENERGY_SAMPLING), "no energy profiler, no sampling mode");
        }
    }

    /**
     * A models directory that is a file would make every model "missing under it": one line saying what it is, and exit
     * 1 in a plain run and in the subcommands that run benchmarks alike (the machine stops the run, not its arguments).
     */
    @Test
    void aModelsDirectoryThatIsAFileIsOneLine(@TempDir Path tmp) throws IOException {
        Path file = Files.writeString(tmp.resolve("models"), "not a directory");
        System.setProperty("gpuenergy.models", file.toString());
        PrintStream saved = System.err;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            assertEquals(1, Main.run(new String[] {"InferenceBenchmark.infer", "-f", "0", "-p", "batchSize=1"}));
            assertEquals(1, Main.run(new String[] {"sweep", "--out", tmp.resolve("s").toString()}));
            assertEquals(1, Main.run(new String[] {"overhead", "--out", tmp.resolve("o").toString()}));
        } finally {
            System.setErr(saved);
            System.clearProperty("gpuenergy.models");
        }
        String line = "-Dgpuenergy.models=" + file + " is not accepted; accepted: the directory that holds "
                + "<name>/<name>-fp32.pt, not a file (models directory (else $GPUENERGY_MODELS, else ./models))";
        assertEquals(line + "\nsweep: " + line + "\noverhead: " + line + "\n", bytes.toString(StandardCharsets.UTF_8));
        assertFalse(Files.exists(tmp.resolve("s")));
        assertFalse(Files.exists(tmp.resolve("o")));
    }

    /**
     * The same file given to the forks only (-jvmArgsAppend) is refused as well, before anything runs: the forks would
     * report each model name missing under the file, which hides the mistake.
     */
    @Test
    void aModelsDirectoryThatIsAFileGivenToTheForksIsOneLine(@TempDir Path tmp) throws IOException {
        Path file = Files.writeString(tmp.resolve("models"), "not a directory");
        String forks = "-Dgpuenergy.models=" + file;
        PrintStream saved = System.err;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            assertEquals(1, Main.run(new String[] {"InferenceBenchmark.infer", "-f", "1", "-p", "batchSize=1",
                "-jvmArgsAppend", forks, "-rff", tmp.resolve("r.json").toString()}));
            assertEquals(1, Main.run(new String[] {"sweep", "-jvmArgsAppend", forks, "--out", tmp.resolve("s").toString()}));
        } finally {
            System.setErr(saved);
        }
        String line = forks + " is not accepted; accepted: the directory that holds <name>/<name>-fp32.pt, not a file "
                + "(models directory (else $GPUENERGY_MODELS, else ./models))";
        assertEquals(line + "\nsweep: " + line + "\n", bytes.toString(StandardCharsets.UTF_8));
        assertFalse(Files.exists(tmp.resolve("r.json")));
        assertFalse(Files.exists(tmp.resolve("s")));
    }

    @Test
    void energyIsAShortNameForTheProfiler() {
        assertEquals(List.of("gc", "gpuenergy.profile.NvmlEnergyProfiler:idle=2"), Main.profilers(List.of("energy:idle=2", "gc")));
        assertEquals(List.of("gpuenergy.profile.NvmlEnergyProfiler"), Main.profilers(List.of("energy")));
        assertEquals(List.of("-p", "engine=energy"), List.of(jmhArguments("-p", "engine=energy")), "a -p value is no profiler");
    }

    @Test
    void theEnergyProfilerIsListedAfterEveryOtherSoThatItsWindowHoldsNoneOfTheirReads() {
        assertEquals(List.of("gpuenergy.profile.SchedulingProfiler:probe=true", "gc", "gpuenergy.profile.NvmlEnergyProfiler:settle=5"),
                Main.profilers(List.of("energy:settle=5", "sched:probe=true", "gc")));
        assertEquals(List.of("gc", "gpuenergy.profile.NvmlEnergyProfiler"),
                Main.profilers(List.of("gpuenergy.profile.NvmlEnergyProfiler", "gc")));
        assertEquals(List.of("gpuenergy.profile.NvmlEnergyProfilers", "gc"),
                Main.profilers(List.of("gpuenergy.profile.NvmlEnergyProfilers", "gc")),
                "another class's name is not the energy profiler's");
    }

    @Test
    void schedIsAShortNameForTheSchedulingProfiler() {
        assertEquals(List.of("gpuenergy.profile.SchedulingProfiler", "gpuenergy.profile.NvmlEnergyProfiler"),
                Main.profilers(List.of("sched", "energy")));
        assertEquals(List.of("gpuenergy.profile.SchedulingProfiler:help", "schedule"), Main.profilers(List.of("sched:help", "schedule")));
    }

    /**
     * A profiler given twice, in any spelling that names it (a short name, the suite's or JMH's, its class, its
     * options), is one line before anything runs, naming it: exit 1 in a plain run, 2 in sweep and overhead (a
     * variant's -prof too). JMH refuses it only as the benchmarks are about to run, after the run's first lines, and a
     * sweep then fails every configuration alike; given by JMH's short name and by its class, JMH runs it twice.
     */
    @Test
    void aProfilerGivenTwiceIsOneLine() {
        String sched = "gpuenergy.profile.SchedulingProfiler";
        String energy = "gpuenergy.profile.NvmlEnergyProfiler";
        String gc = "org.openjdk.jmh.profile.GCProfiler";
        String once = "): JMH runs a profiler once; give it once, its options joined with ';'\n";
        Map<List<String>, String> plain = Map.of(
                List.of("-prof", "sched", "-prof", "sched"), "-prof sched is given 2 times (sched, sched",
                // the suite's profilers by their short names, however given: the class is a Java name seldom typed
                List.of("-prof", "sched:probe=true", "-prof", sched), "-prof sched is given 2 times (sched:probe=true, sched",
                // where no GPU can be measured, not the profiler's NVML line: the command line is wrong on any machine
                List.of("-prof", "energy", "-prof", "gc", "-prof", "energy:idle=2"),
                "-prof energy is given 2 times (energy, energy:idle=2",
                List.of("-prof", "gc", "-prof", "gc", "-prof", "gc"), "-prof gc is given 3 times (gc, gc, gc",
                // JMH's short name and the class it stands for: JMH would run the profiler twice
                List.of("-prof", "gc", "-prof", gc), "-prof gc is given 2 times (gc, " + gc,
                List.of("-prof", gc + ":churn=true", "-prof", "stack", "-prof", "gc"), "-prof " + gc
                        + " is given 2 times (" + gc + ":churn=true, gc");
        plain.forEach((args, line) -> {
            ConsoleCapture c = launch(args.toArray(new String[0]));
            assertEquals(1, c.rc(), args + ": " + c.err());
            assertEquals(line + once, c.err(), args.toString());
            assertEquals("", c.out(), "nothing ran");
        });
        Path out = dir.resolve("o");
        ConsoleCapture sweep = launch("sweep", "--out", out.toString(), "-prof", "energy", "-prof", energy);
        assertEquals(2, sweep.rc(), sweep.err());
        assertEquals("sweep: -prof energy is given 2 times (energy, energy" + once, sweep.err());
        ConsoleCapture overhead = launch("overhead", "--out", out.toString(), "--variant", "off=", "--variant",
                "two=-prof sched -prof sched");
        assertEquals(2, overhead.rc(), overhead.err());
        assertEquals("overhead: --variant two=-prof sched -prof sched: -prof sched is given 2 times (sched, sched" + once,
                overhead.err());
        assertEquals("", sweep.out() + overhead.out(), "nothing ran");
        assertFalse(Files.exists(out), "nothing created");
    }

    /**
     * One device under two names (-p device=gpu,gpu:0, or over two -p options) is one line before anything runs, asking
     * for gpu:0: exit 1 in a plain run, 2 in sweep and overhead. Each name would be measured as its own benchmark, CUDA
     * device 0 twice.
     */
    @Test
    void oneDeviceUnderTwoNamesIsOneLine() {
        String line = "device 'gpu' and 'gpu:0' are one device (CUDA device 0) under two names; give it once, as gpu:0, "
                + "as results name it\n";
        Path out = dir.resolve("o");
        ConsoleCapture plain = launch("InferenceBenchmark.infer", "-f", "0", "-p", "batchSize=1", "-p", "engine=pytorch-fp32",
                "-p", "device=gpu", "-p", "device=gpu:0", "-rff", out.toString());
        assertEquals(1, plain.rc(), plain.err());
        assertEquals(line, plain.err());
        ConsoleCapture sweep = launch("sweep", "--out", out.toString(), "-p", "device=gpu,gpu:0");
        assertEquals(2, sweep.rc(), sweep.err());
        assertEquals("sweep: " + line, sweep.err());
        ConsoleCapture overhead = launch("overhead", "--out", out.toString(), "-p", "batchSize=1", "-p", "device=gpu,gpu:0",
                "--variant", "off=", "--variant", "gc=gc");
        assertEquals(2, overhead.rc(), overhead.err());
        assertEquals("overhead: " + line, overhead.err());
        assertEquals("", plain.out() + sweep.out() + overhead.out(), "nothing ran");
        assertFalse(Files.exists(out), "nothing created");
    }

    /**
     * -lprof is JMH's list of profilers, then one line with the suite's short names: JMH names the suite's profilers by
     * their classes, the energy profiler under "Unsupported profilers" where no GPU can be measured.
     */
    @Test
    void theProfilerListEndsWithTheShortNames() {
        ConsoleCapture c = launch("-lprof");
        assertEquals(0, c.rc(), c.err());
        assertTrue(c.out().startsWith("Supported profilers:"), c.out());
        List<String> lines = c.out().lines().toList();
        assertEquals("This suite's short names: -prof energy for gpuenergy.profile.NvmlEnergyProfiler (the GPU's energy "
                + "through NVML; listed as unsupported where no NVIDIA GPU can be measured); -prof sched for "
                + "gpuenergy.profile.SchedulingProfiler (how the host's CPUs served the benchmark thread)",
                lines.get(lines.size() - 1));
    }

    /** The launcher's arguments for JMH, as a plain run makes them. */
    private static String[] jmhArguments(String... args) {
        try {
            JmhOptions.Given given = JmhOptions.read(List.of(args));
            return Main.jmhArguments(given, ParamOption.parse(given.values("p"))).arguments().toArray(new String[0]);
        } catch (gpuenergy.results.BadInputException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * -prof is read as JMH reads it, in every spelling JMH takes (--prof, -prof=, --prof=, an abbreviation), and only
     * where it is an option: the value of another option that reads "-prof" is that value.
     */
    @Test
    void profilersAreTheProfOptionsJmhReads() throws Exception {
        String sched = "gpuenergy.profile.SchedulingProfiler";
        for (String[] args : new String[][] {{"-prof", "sched"}, {"--prof", "sched"}, {"--prof=sched"}, {"-prof=sched"},
                {"-pro", "sched"}}) {
            CommandLineOptions cmd = new CommandLineOptions(jmhArguments(args));
            assertEquals(List.of(sched), cmd.getProfilers().stream().map(ProfilerConfig::getKlass).toList(), List.of(args).toString());
        }
        CommandLineOptions cmd = new CommandLineOptions(jmhArguments("-o", "-prof", "-prof", "sched", "-prof", "energy:idle=2"));
        assertEquals("-prof", cmd.getOutput().get());
        assertEquals(List.of(sched, "gpuenergy.profile.NvmlEnergyProfiler"),
                cmd.getProfilers().stream().map(ProfilerConfig::getKlass).toList());
        assertEquals("idle=2", cmd.getProfilers().get(1).getOpts());
    }

    /**
     * -rff naming a file as the suite names its own (a not-run list, unfinished iterations, an earlier result set aside)
     * is refused in one line before anything runs: the run would replace that file, and its result be read as one.
     */
    @Test
    void aResultNamedAsTheSuitesOwnFilesIsRefused(@TempDir Path tmp) throws IOException {
        Path list = Files.writeString(tmp.resolve("base.notrun.json"), "[\"an earlier run's not-run list\"]");
        for (String[] rff : new String[][] {{"-rff", list.toString()}, {"-rff", tmp.resolve("r.unfinished.json").toString()},
                {"-rff", tmp.resolve("r.earlier.json").toString()}, {"-rf", "csv", "-rff", tmp.resolve("c.notrun.csv").toString()}}) {
            List<String> args = new ArrayList<>(List.of("gpuenergy.sweep.testbench.SleepBenchmark.infer", "-f", "0", "-wi", "0",
                    "-i", "1", "-r", "100ms"));
            args.addAll(List.of(rff));
            ConsoleCapture run = ConsoleCapture.run(() -> {
                try {
                    return Main.run(args.toArray(new String[0]));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            assertEquals(1, run.rc(), run.out() + run.err());
            String name = rff[rff.length - 1];
            assertTrue(run.err().startsWith("-rff " + name + ": "), run.err());
            assertTrue(run.err().endsWith("; name the result otherwise\n"), run.err());
            assertEquals(1, run.err().lines().count(), run.err());
            assertEquals("", run.out(), "nothing ran");
        }
        assertEquals("[\"an earlier run's not-run list\"]", Files.readString(list));
        try (var files = Files.list(tmp)) {
            assertEquals(List.of(list), files.toList(), "nothing written");
        }
    }

    /**
     * -rf json with an -rff name that lacks .json is refused in one line before anything runs: the result's not-run list
     * and unfinished file would be named as those of NAME.json, an earlier result beside it, whose list the run would set
     * aside or replace. The earlier result and its list stay as they were, together.
     */
    @Test
    void aJsonResultNamedWithoutJsonIsRefused(@TempDir Path tmp) throws IOException {
        Path earlier = Files.writeString(tmp.resolve("run.json"), "[\"an earlier run's result\"]");
        Path list = Files.writeString(tmp.resolve("run.notrun.json"), "[\"its failures\"]");
        for (String name : List.of("run", "run.JSON", "run.txt")) {
            for (String engine : List.of("sleep", "broken")) {
                ConsoleCapture run = launch(Forked.SLEEP, "-f", "0", "-wi", "0", "-i", "1", "-r", "100ms",
                        "-p", "engine=" + engine, "-rf", "json", "-rff", tmp.resolve(name).toString());
                assertEquals(1, run.rc(), name + ": " + run.out() + run.err());
                String stem = name.equals("run.JSON") ? "run" : name;
                assertEquals("-rf json -rff " + tmp.resolve(name) + ": a JSON result's name ends in .json: under this one"
                        + " its list of the benchmarks that did not run, " + name + ".notrun.json, would be that of " + name
                        + ".json; name it " + tmp.resolve(stem + ".json") + "\n", run.err());
                assertEquals("", run.out(), "nothing ran");
            }
        }
        // -rff alone takes a name ending in .json for JSON, in any case: RUN.JSON and RUN.json are one file where case
        // is ignored, so neither a table there nor a result beside it under RUN.json
        ConsoleCapture capitals = launch(Forked.SLEEP, "-f", "0", "-wi", "0", "-i", "1", "-r", "100ms",
                "-rff", tmp.resolve("RUN.JSON").toString());
        assertEquals(1, capitals.rc(), capitals.out() + capitals.err());
        assertEquals("-rff " + tmp.resolve("RUN.JSON") + ": a JSON result's name ends in .json: under this one its list"
                + " of the benchmarks that did not run, RUN.JSON.notrun.json, would be that of RUN.JSON.json; name it "
                + tmp.resolve("RUN.json") + "\n", capitals.err());
        assertEquals("", capitals.out(), "nothing ran");
        assertEquals("[\"an earlier run's result\"]", Files.readString(earlier));
        assertEquals("[\"its failures\"]", Files.readString(list), "the earlier result's list stays beside it");
        try (var files = Files.list(tmp)) {
            assertEquals(List.of(earlier, list), files.sorted().toList(), "nothing written, nothing set aside");
        }
    }

    /**
     * -rf csv (or another format than JSON) with an -rff name ending in .json, in any case, is refused in one line
     * before anything runs: the table would lie under a JSON result's name, which a reader of results takes for one,
     * and the JSON beside it under NAME.json.json.
     */
    @Test
    void aTableNamedAsAJsonResultIsRefused(@TempDir Path tmp) throws IOException {
        for (List<String> given : List.of(List.of("csv", "run.json", "run.csv"), List.of("text", "run.JSON", "run.text"))) {
            ConsoleCapture run = launch(Forked.SLEEP, "-f", "0", "-wi", "0", "-i", "1", "-r", "100ms",
                    "-rf", given.get(0), "-rff", tmp.resolve(given.get(1)).toString());
            assertEquals(1, run.rc(), given + ": " + run.out() + run.err());
            assertEquals("-rf " + given.get(0) + " -rff " + tmp.resolve(given.get(1)) + ": a file named .json is taken for a"
                    + " JSON result, and this run's " + given.get(0) + " table is none; name it " + tmp.resolve(given.get(2))
                    + " (its JSON result is written beside it)\n", run.err());
            assertEquals("", run.out(), "nothing ran");
        }
        try (var files = Files.list(tmp)) {
            assertEquals(List.of(), files.toList(), "nothing written");
        }
    }

    /**
     * An -rff name that is a symbolic link is refused in one line before anything runs, whatever the format: the
     * result is renamed over the name, which would turn the link into a plain file and leave its target, the result
     * the user reads through the link, as it was. The link and its target stay as they were.
     */
    @Test
    void aResultNamedByASymbolicLinkIsRefused(@TempDir Path tmp) throws IOException {
        Path target = Files.writeString(tmp.resolve("target.json"), "[\"an earlier run's result\"]");
        Path link = Files.createSymbolicLink(tmp.resolve("link.json"), target);
        Path table = Files.createSymbolicLink(tmp.resolve("link.csv"), target);
        for (List<String> given : List.of(List.of("-rff", link.toString()), List.of("-rf", "csv", "-rff", table.toString()))) {
            List<String> args = new ArrayList<>(List.of(Forked.SLEEP, "-f", "0", "-wi", "0", "-i", "1", "-r", "100ms"));
            args.addAll(given);
            ConsoleCapture run = launch(args.toArray(new String[0]));
            assertEquals(1, run.rc(), given + ": " + run.out() + run.err());
            assertEquals("-rff " + given.get(given.size() - 1) + ": is a symbolic link (to " + target + "); the result is"
                    + " renamed over the name, which would replace the link, not write its target; name the file itself\n",
                    run.err());
            assertEquals("", run.out(), "nothing ran");
        }
        assertTrue(Files.isSymbolicLink(link) && Files.isSymbolicLink(table));
        assertEquals("[\"an earlier run's result\"]", Files.readString(target));
        try (var files = Files.list(tmp)) {
            assertEquals(List.of(table, link, target), files.sorted().toList(), "nothing written");
        }
    }

    /**
     * A file the run writes beside its -rff result that is a symbolic link (its not-run list, its unfinished iterations,
     * the JSON beside a table) is refused in one line before anything runs, as a link named by -rff is: each is renamed
     * over its name, which would set the link aside, remove it with an earlier result's list, or replace it, and never
     * write its target. The links and their target stay as they were.
     */
    @Test
    void aSymbolicLinkBesideTheResultIsRefused(@TempDir Path tmp) throws IOException {
        Path target = Files.writeString(tmp.resolve("target.json"), "[\"kept\"]");
        Path dangling = tmp.resolve("gone.json");
        String renamed = "that file is renamed over the name, which would replace the link, not write its target; name the result"
                + " otherwise, or remove the link\n";
        List<List<String>> cases = List.of(
                List.of("r.notrun.json", "r.json", "the list of the benchmarks that did not run"),
                List.of("r.unfinished.json", "r.json", "the measured iterations of benchmarks that do not finish"),
                List.of("t.json", "t.csv", "its JSON result"),
                List.of("t.notrun.json", "t.csv", "the list of the benchmarks that did not run"));
        for (List<String> c : cases) {
            for (Path to : List.of(target, dangling)) {
                Path link = Files.createSymbolicLink(tmp.resolve(c.get(0)), to);
                Path result = tmp.resolve(c.get(1));
                ConsoleCapture run = launch(Forked.SLEEP, "-f", "0", "-wi", "0", "-i", "1", "-r", "100ms", "-rff", result.toString());
                assertEquals(1, run.rc(), c + ": " + run.out() + run.err());
                assertEquals("-rff " + result + ": " + link + ", where the run writes " + c.get(2) + ", is a symbolic link (to " + to
                        + "); " + renamed, run.err());
                assertEquals("", run.out(), "nothing ran");
                assertTrue(Files.isSymbolicLink(link));
                try (var files = Files.list(tmp)) {
                    assertEquals(List.of(link, target), files.sorted().toList(), "nothing written");
                }
                Files.delete(link);
            }
        }
        assertEquals("[\"kept\"]", Files.readString(target));
    }

    /**
     * -tg for a benchmark of one method (no {@code @Group} benchmark) is refused in one line before anything runs, forked or
     * not: with several groups JMH's harness fails each iteration with its own stack trace, with one it runs that many
     * threads as -t would.
     */
    @Test
    void threadGroupsForABenchmarkOfOneMethodAreRefused(@TempDir Path tmp) throws IOException {
        for (String forks : List.of("0", "1")) {
            for (String groups : List.of("1,1", "2")) {
                ConsoleCapture run = launch(Forked.SLEEP, "-f", forks, "-wi", "0", "-i", "1", "-r", "100ms", "-tg", groups,
                        "-rff", tmp.resolve("r.json").toString());
                assertEquals(1, run.rc(), "-f " + forks + " -tg " + groups + ": " + run.out() + run.err());
                assertEquals("-tg " + groups + ": thread groups divide a @Group benchmark's threads among its methods, and"
                        + " SleepBenchmark.infer has one; give the threads with -t\n", run.err());
                assertEquals("", run.out(), "nothing ran");
            }
        }
        try (var files = Files.list(tmp)) {
            assertEquals(List.of(), files.toList(), "nothing written");
        }
    }

    @Test
    void subcommandIsDispatchedWithItsOwnExitCode(@TempDir Path tmp) throws IOException {
        PrintStream saved = System.err;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        int rc;
        try {
            rc = Main.run(new String[] {"compare", tmp.resolve("a.json").toString(), tmp.resolve("b.json").toString()});
        } finally {
            System.setErr(saved);
        }
        assertEquals(2, rc); // compare's "bad input"
        String err = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(err.contains("a.json"), err);
        assertEquals(1, err.strip().lines().count(), err);
    }

    /** A value JMH cannot read is one line with JMH's message, exit 1. */
    @Test
    void aValueJmhCannotReadIsOneLine() {
        ConsoleCapture c = launch("-i", "many");
        assertEquals(1, c.rc());
        assertEquals("JMH option: Cannot parse argument 'many' of option i\n", c.err());
    }

    /**
     * An option JMH does not know, one without its value, or a value outside one of JMH's enums is one line naming the
     * option as typed and, for an enum, the values JMH takes: exit 1 in a plain run (a run that cannot start), 2 in
     * sweep and overhead (a bad command line). JMH itself stops with a stack trace (-bm), names the enum's Java class
     * (-rf, -v, -wm), lists no time unit (-tu) or names the first letter of an unknown -zzz.
     */
    @Test
    void aBadJmhOptionIsOneLineNamingItAsTyped() {
        Map<List<String>, String> cases = Map.of(
                List.of("-bm", "foo"), "-bm foo: not a benchmark mode (thrpt, avgt, sample, ss, all)",
                List.of("-bm", "thrpt,a"), "-bm a: not a benchmark mode (thrpt, avgt, sample, ss, all)",
                List.of("-rf", "foo"), "-rf foo: not a result format (text, csv, scsv, json, latex)",
                List.of("-v", "foo"), "-v foo: not a verbosity mode (silent, normal, extra)",
                List.of("-tu", "sec"), "-tu sec: not a time unit (ns, us, ms, s, m, h)",
                List.of("-wm", "indi"), "-wm indi: not a warmup mode (INDI, BULK, BULK_INDI)",
                List.of("-zzz"), "unknown option -zzz",
                List.of("-jvmArgs", "-zzz", "-lx"), "unknown option -lx",
                List.of("-e"), "-e needs a value");
        for (Map.Entry<List<String>, String> c : cases.entrySet()) {
            ConsoleCapture plain = launch(c.getKey().toArray(new String[0]));
            assertEquals(1, plain.rc(), c.getKey() + ": " + plain.err());
            assertEquals(c.getValue() + "\n", plain.err(), c.getKey().toString());
        }
        // a subcommand takes no abbreviation: -jvmArgsA is no option there
        Map<List<String>, String> subcommandCases = Map.of(
                List.of("-bm", "foo"), "-bm foo: not a benchmark mode (thrpt, avgt, sample, ss, all)",
                List.of("-zzz"), "unknown option -zzz",
                List.of("-jvmArgsA", "-Xmx1g"), "unknown option -jvmArgsA");
        for (String command : List.of("sweep", "overhead")) {
            for (Map.Entry<List<String>, String> c : subcommandCases.entrySet()) {
                List<String> line = new ArrayList<>(List.of(command, "--out", dir.resolve(command).toString()));
                line.addAll(c.getKey());
                ConsoleCapture sub = launch(line.toArray(new String[0]));
                assertEquals(2, sub.rc(), line + ": " + sub.err());
                assertTrue(sub.err().startsWith(command + ": " + c.getValue()), line + ": " + sub.err());
                assertEquals(1, sub.err().lines().count(), sub.err());
                assertFalse(Files.exists(dir.resolve(command)), line.toString());
            }
        }
    }

    private static ConsoleCapture launch(String... args) {
        return ConsoleCapture.run(() -> {
            try {
                return Main.run(args);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    /** One bad value among good ones: the bad benchmark is listed as not run, the good one runs and gets its environment. */
    @Test
    void othersStillRunAndCarryTheirEnvironment() throws IOException {
        JmhRun run = JmhRun.of(dir, "engine=nope,pytorch-fp32", "batchSize=2", "device=auto");
        assertEquals(1, run.exitCode, "a benchmark failed (kind error): exit 1, as in a sweep\n" + run.output);
        assertEquals(1, run.results.size(), run.output);
        assertEquals("unknown engine 'nope'; accepted: pytorch-fp32, pytorch-fp16, pytorch-opt-fp32, pytorch-opt-fp16, tensorrt-fp16", run.onlyReason());
        assertEquals("nope", run.onlyNotRun().getAsJsonObject("params").get(ParamNames.ENGINE).getAsString());
        // device=auto: the not-run entry names the GPU the results name; none here without a GPU (CI has none)
        JsonObject environment = run.results.get(0).getAsJsonObject().getAsJsonObject("environment");
        assertEquals(environment.get(EnvironmentKeys.GPU_NAME), run.onlyNotRun().get("gpu"));

        JsonObject entry = run.results.get(0).getAsJsonObject();
        assertTrue(entry.getAsJsonObject("primaryMetric").get("score").getAsDouble() > 0);
        JsonObject env = entry.getAsJsonObject("environment");
        // Spelled out on purpose, unlike elsewhere: the keys as a real run writes them to disk, which result files
        // already written carry, so that a change to an EnvironmentKeys constant cannot pass unnoticed.
        assertEquals("cpu", env.get("device").getAsString());
        assertEquals("fp32", env.get("precision").getAsString());
        assertEquals("n/a", env.get("tf32").getAsString());
        assertEquals("cpu", env.get("libtorch.flavor").getAsString());
        assertEquals("2.7.1", env.get("libtorch.version").getAsString());
        assertEquals("0.35.1", env.get("djl").getAsString());
        assertEquals("true", env.get("numerics.passed").getAsString());
        assertEquals("embedded", env.get("model.source").getAsString());
        assertEquals("(2, 1000)", env.get("output_shape").getAsString());
        assertEquals("1.37", env.get("jmh").getAsString());
        assertEquals(System.getProperty("expected.tool.version"), env.get("tool.version").getAsString());
        assertTrue(env.get("tool.commit").getAsString().matches("unknown|[0-9a-f]{40}(-dirty)?"), env.get("tool.commit").toString());
        assertEquals(String.valueOf(Runtime.getRuntime().availableProcessors()), env.get("host.cpus").getAsString());
        assertEquals(SuiteRun.cpuModel(Path.of("/proc/cpuinfo")), env.get("host.cpu").getAsString());
        assertTrue(env.get("command").getAsString().contains("engine=nope,pytorch-fp32"));
        assertTrue(run.output.contains("energy: not measured ("), run.output);
        assertTrue(run.output.contains("Not run (1), listed in " + dir.resolve("result.notrun.json")), run.output);
        // JMH writes to a copy of its own; its closing line names the result the launcher writes
        assertTrue(run.output.contains("Benchmark result is saved to " + dir.resolve("result.json") + "\n"), run.output);
        assertFalse(run.output.contains("note: "), "no GPU busy figure on a CPU: no host-bound note");
    }

    @Test
    void cpuModelIsTheFirstModelNameOfCpuinfo(@TempDir Path tmp) throws IOException {
        Path cpuinfo = tmp.resolve("cpuinfo");
        Files.writeString(cpuinfo, "processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Xeon(R) Processor\n"
                + "\nprocessor\t: 1\nmodel name\t: Intel(R) Xeon(R) Processor\n");
        assertEquals("Intel(R) Xeon(R) Processor", SuiteRun.cpuModel(cpuinfo));
        Files.writeString(cpuinfo, "processor\t: 0\nBogoMIPS\t: 50.00\n");  // e.g. some ARM kernels: no model name
        assertEquals("unknown", SuiteRun.cpuModel(cpuinfo));
        assertEquals("unknown", SuiteRun.cpuModel(tmp.resolve("absent")));
    }

    /** "unavailable" can only come from the fork's record: JMH's own failure output carries no kind. */
    @Test
    void aForkedRunReportsThroughTheRecordsFile() throws IOException {
        JmhRun run = JmhRun.forked(dir, "engine=pytorch-fp16");
        assertEquals("unavailable", run.onlyNotRun().get("kind").getAsString(), run.output);
        assertTrue(run.output.contains("# Fork: 1 of 1"), run.output);
        assertTrue(run.onlyReason().startsWith("engine 'pytorch-fp16' needs a GPU"), run.onlyReason());
    }
}
