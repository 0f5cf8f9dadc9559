package gpuenergy.cli;

import gpuenergy.ConsoleCapture;
import gpuenergy.profile.GpuEnvironment;
import gpuenergy.results.AtomicWrite;
import gpuenergy.results.NotRun;
import gpuenergy.results.NotRunList;
import gpuenergy.results.ParamNames;
import gpuenergy.results.ResultFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.DoubleStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The overhead command through the launcher on a CPU: the embedded model in FP32 without a profiler and with JMH's gc
 * profiler, each run forked, two rounds (fewer than the default: quicker, and too few runs for a verdict); FP16 is
 * unavailable and listed, not a failure (~20 s).
 */
class OverheadOnTheCpuTest {
    private static final String FP32 = "engine=pytorch-fp32+batchSize=1";

    private static ConsoleCapture overhead(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "overhead";
        System.arraycopy(args, 0, all, 1, args.length);
        return ConsoleCapture.run(() -> {
            try {
                return Main.run(all);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    private static String[] gcAgainstNone(Path out) {
        return new String[] {"-p", "engine=pytorch-fp32,pytorch-fp16", "-p", "batchSize=1", "--variant", "off=",
                "--variant", "gc=gc", "--rounds", "2", "-wi", "0", "-i", "2", "-r", "100ms", "--out", out.toString()};
    }

    /** CSV rows by "engine variant"; only the last column, not_run, has commas (and quotes) in it. */
    private static Map<String, Map<String, String>> rows(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        String[] header = lines.get(0).split(",", -1);
        return lines.stream().skip(1).map(l -> l.split(",", header.length)).collect(Collectors.toMap(c -> c[0] + " " + c[2],
                c -> {
                    Map<String, String> m = new java.util.LinkedHashMap<>();
                    for (int i = 0; i < header.length; i++) {
                        m.put(header[i], i < c.length ? c[i] : "");
                    }
                    return m;
                }));
    }

    /** The median of the measured img/s of these runs of the FP32 configuration, every iteration pooled. */
    private static double median(Path out, String... runs) throws Exception {
        DoubleStream.Builder all = DoubleStream.builder();
        for (String run : runs) {
            DoubleStream.of(ResultFile.read(out.resolve(FP32 + "." + run + ".json")).get(0).imagesPerSecond().samples())
                    .forEach(all);
        }
        double[] sorted = all.build().sorted().toArray();
        return (sorted[(sorted.length - 1) / 2] + sorted[sorted.length / 2]) / 2;
    }

    /** The directory's files as they are, but the lock file, which each command on it holds and names itself in. */
    private static List<String> listing(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            return files.filter(p -> !p.getFileName().toString().equals(".overhead.lock"))
                    .map(p -> p + " " + p.toFile().lastModified() + " " + p.toFile().length()).sorted().toList();
        }
    }

    @Test
    void measuresBothVariantsKeepsEveryRunAndResumes(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("overhead");
        ConsoleCapture first = overhead(gcAgainstNone(out));
        assertEquals(0, first.rc(), first.err());
        // JMH's line naming the hidden file the run is written to before it is published is left out
        assertFalse(first.out().contains("Benchmark result is saved to"), first.out());
        for (String run : List.of("r1.off", "r1.gc", "r2.gc", "r2.off")) {
            assertTrue(Files.exists(out.resolve(FP32 + "." + run + ".json")), run);
        }
        try (var files = Files.list(out)) {
            assertEquals(List.of(), files.map(p -> p.getFileName().toString())
                    .filter(n -> n.contains("pytorch-fp16") || n.endsWith(".partial")).toList(), "FP16 has no result");
        }
        // FP16 needs a GPU: listed once per variant, the suite's not-run contract, not a failure of the command
        List<NotRun> notRun = NotRunList.read(out.resolve("overhead.notrun.json"));
        assertEquals(2, notRun.size(), notRun.toString());
        for (NotRun n : notRun) {
            assertEquals(NotRun.Kind.UNAVAILABLE, n.kind(), n.toString());
            assertEquals("pytorch-fp16", n.param(ParamNames.ENGINE));
            assertTrue(n.reason().matches("variant (off|gc), round 1: engine 'pytorch-fp16' needs a GPU.*"), n.reason());
        }

        Map<String, Map<String, String>> rows = rows(out.resolve("overhead.csv"));
        assertEquals(4, rows.size(), rows.toString());
        Map<String, String> off = rows.get("pytorch-fp32 off");
        assertEquals("baseline", off.get("verdict"));
        assertEquals("2", off.get("runs"));
        assertEquals("4", off.get("iterations"));
        assertEquals(1.0, Double.parseDouble(off.get("img_per_s_ratio")));
        assertTrue(Double.parseDouble(off.get("img_per_s_median")) > 0);
        assertEquals("runs", off.get("interval_over"), "two runs a side: resampled over runs");
        Map<String, String> gc = rows.get("pytorch-fp32 gc");
        assertEquals("gc", gc.get("profiler"));
        assertEquals("runs", gc.get("interval_over"));
        // the table's figures are those of the recorded runs: the median of both rounds' iterations, and its ratio
        double offMedian = median(out, "r1.off", "r2.off");
        double gcMedian = median(out, "r1.gc", "r2.gc");
        assertEquals(offMedian, Double.parseDouble(off.get("img_per_s_median")), offMedian * 1e-5, "written to 6 digits");
        assertEquals(gcMedian, Double.parseDouble(gc.get("img_per_s_median")), gcMedian * 1e-5);
        assertEquals(gcMedian / offMedian, Double.parseDouble(gc.get("img_per_s_ratio")), 1e-5);
        // and the interval written beside it holds the ratio; two runs a side give no firm verdict, whatever it is
        double lo = Double.parseDouble(gc.get("img_per_s_ratio_lo"));
        double hi = Double.parseDouble(gc.get("img_per_s_ratio_hi"));
        assertTrue(lo <= gcMedian / offMedian && gcMedian / offMedian <= hi, gc.toString());
        assertEquals("too-noisy", gc.get("verdict"), gc.toString());
        assertTrue(first.out().contains("fewer than 5 runs a side understate how much runs differ"), first.out());
        assertEquals("", gc.get("j_per_img_median"), "no energy measured: empty, not 0");
        assertEquals("", gc.get("j_per_img_ratio"));
        Map<String, String> fp16 = rows.get("pytorch-fp16 gc");
        assertEquals("not-compared", fp16.get("verdict"));
        assertEquals("0", fp16.get("runs"));
        assertEquals("", fp16.get("img_per_s_median"));
        assertTrue(fp16.get("not_run").startsWith("\"unavailable: variant gc, round 1: engine 'pytorch-fp16' needs a GPU"),
                fp16.toString());
        assertTrue(first.out().contains("gc               2      4 runs"), first.out());
        assertFalse(first.out().contains("interleaved order"), first.out());
        // each run's start (UTC) and outcome, in the order they ran
        List<String> log = Files.readAllLines(out.resolve("overhead-runs.jsonl"));
        assertEquals(6, log.size(), log.toString());
        assertTrue(log.get(0).matches("\\{\"config\":\\{\"engine\":\"pytorch-fp32\",\"batchSize\":\"1\"},\"round\":1,"
                + "\"variant\":\"off\",\"start\":\"20\\d\\d-[-0-9T:.]+Z\",\"outcome\":\"measured\"}"), log.get(0));

        // other settings in the same directory: one line, exit 2, nothing written
        List<String> before = listing(out);
        String[] otherIterations = gcAgainstNone(out);
        otherIterations[List.of(otherIterations).indexOf("-i") + 1] = "3";
        ConsoleCapture refused = overhead(otherIterations);
        assertEquals(2, refused.rc(), refused.err());
        assertEquals("overhead: --out " + out + " was measured with -i 2; this command gives -i 3: its variants' runs would "
                + "mix measurement settings; give the same options, or give another --out\n", refused.err());
        assertEquals(before, listing(out));
        List<String> perIteration = new ArrayList<>(List.of(gcAgainstNone(out)));
        perIteration.addAll(List.of("-gc", "true"));
        ConsoleCapture forcedGc = overhead(perIteration.toArray(new String[0]));
        assertEquals(2, forcedGc.rc(), forcedGc.err());
        assertTrue(forcedGc.err().contains("was measured with -gc (none); this command gives -gc true"), forcedGc.err());
        assertEquals(before, listing(out));

        // the same command again: nothing measured twice; a run missing (killed before it was published) is made, and
        // the empty result file the kill left is removed, saying so
        Path keep = out.resolve(FP32 + ".r1.off.json");
        String kept = Files.readString(keep);
        Files.delete(out.resolve(FP32 + ".r2.gc.json"));
        Files.createFile(out.resolve("." + FP32 + ".r2.gc.json.partial"));
        Files.writeString(out.resolve(FP32 + ".r1.gc.json"), "[not json");
        Path runsLog = out.resolve("overhead-runs.jsonl");
        Files.writeString(runsLog, "{\"config\":", java.nio.file.StandardOpenOption.APPEND); // a kill tore its last line
        ConsoleCapture resumed = overhead(gcAgainstNone(out));
        assertEquals(0, resumed.rc(), resumed.err());
        assertEquals(kept, Files.readString(keep), "a finished run is not made again");
        assertTrue(resumed.out().contains("round 1 off: done earlier"), resumed.out());
        assertTrue(resumed.out().contains("round 2 off: done earlier"), resumed.out());
        assertTrue(resumed.out().contains("[overhead] " + out.resolve("." + FP32 + ".r2.gc.json.partial") + ": removed, the "
                + "empty result file of a run killed before it ended (nothing measured)\n"), resumed.out());
        assertTrue(resumed.out().contains("moved to " + out.resolve("unreadable").resolve(FP32 + ".r1.gc.json")), resumed.out());
        // said once, before the first run's line cuts it off
        String torn = "[overhead] " + runsLog + ": its last line is torn (10 characters without a final newline";
        assertEquals(1, resumed.out().split(java.util.regex.Pattern.quote(torn), -1).length - 1, resumed.out());
        assertTrue(Files.readString(runsLog).endsWith("}\n"), "cut off");
        assertTrue(Files.exists(out.resolve(FP32 + ".r2.gc.json")));
        assertTrue(Files.readString(out.resolve(FP32 + ".r1.gc.json")).startsWith("["));
        assertEquals("4", rows(out.resolve("overhead.csv")).get("pytorch-fp32 gc").get("iterations"));
        // r1 gc was made again after r2 off: out of the interleaved order, said in one line
        assertTrue(resumed.out().contains("[overhead] warning: 1 configuration has runs taken out of the interleaved "
                + "order, so a drift weighs on their variants unequally (engine=pytorch-fp32, batchSize=1: r1 gc after r2 off;"),
                resumed.out());
    }

    /**
     * A command killed in the middle of a run keeps that run's measured iterations, with their environment, beside the
     * name its result would have been published under; the same command again says where they are, sets them aside as
     * it makes the run again, and counts only published runs. A copy of the unfinished file that the kill tore is
     * removed, saying so, and taken for no result.
     */
    @Test
    void aCommandKilledMidRunKeepsTheRunsMeasuredIterations(@TempDir Path tmp) throws Exception {
        // killed once one measured iteration is on disk; where a loaded machine let the run end before the kill came,
        // it is made again with longer iterations
        String[] args = null;
        for (String iteration : List.of("100ms", "1s")) {
            args = killedMidRun(tmp.resolve("overhead-" + iteration), tmp.resolve("killed-" + iteration + ".log"), iteration);
            if (args != null) {
                break;
            }
        }
        if (args == null) {
            throw new AssertionError("the run ended before the kill twice, with 20 iterations of 100 ms and of 1 s: see "
                    + tmp.resolve("killed-1s.log"));
        }
        Path out = Path.of(args[args.length - 1]);
        Path unfinished = out.resolve(FP32 + ".r1.off.unfinished.json");
        String killed = Files.readString(unfinished);
        com.google.gson.JsonArray kept = com.google.gson.JsonParser.parseString(killed).getAsJsonArray();
        assertEquals(1, kept.size(), killed);
        com.google.gson.JsonObject env = kept.get(0).getAsJsonObject().getAsJsonObject("environment");
        assertTrue(env.get(gpuenergy.profile.EnvironmentKeys.UNFINISHED).getAsString()
                .matches("not finished: \\d+ of 20 measured iterations of fork 1 of 1 taken"), env.toString());
        assertTrue(env.has(gpuenergy.profile.EnvironmentKeys.COMMAND), "with the run's environment: " + env);
        Path partial = out.resolve("." + FP32 + ".r1.off.json.partial");
        assertEquals(0, Files.size(partial), "JMH writes its result at the run's end only");
        // the kill may have stopped a rewrite between its copy's write and its rename: a whole copy holds the newest
        String newest = killed;
        for (Path copy : AtomicWrite.copies(unfinished, false)) {
            try {
                String text = Files.readString(copy);
                com.google.gson.JsonParser.parseString(text).getAsJsonArray();
                newest = text;
            } catch (IOException | RuntimeException e) {
                // torn: the command removes it
            }
        }
        // as a kill in the middle of the unfinished file's rewrite leaves it
        Path tornCopy = out.resolve("." + FP32 + ".r1.off.unfinished.json.4242-1.partial");
        Files.writeString(tornCopy, killed.substring(0, killed.length() / 2));

        String[] again = java.util.Arrays.copyOfRange(args, 1, args.length);
        ConsoleCapture resumed = overhead(again);
        assertEquals(0, resumed.rc(), resumed.out() + resumed.err());
        assertTrue(resumed.out().contains("[overhead] " + tornCopy + ": removed, a copy of " + unfinished + " torn by a kill "
                + "while it was written (the file holds the measured iterations written before it)\n"), resumed.out());
        assertTrue(resumed.out().contains("[overhead] " + partial + ": removed, the empty result file of a run killed before "
                + "it ended (its measured iterations are in " + unfinished + ", not a result)\n"), resumed.out());
        Path aside = out.resolve(FP32 + ".r1.off.unfinished.earlier.json");
        // the line plain runs and sweeps say too, with overhead's prefix here, as its other lines
        assertTrue(resumed.out().contains("\n[overhead] result: " + unfinished + " of an earlier run set aside as " + aside
                + "\n"), resumed.out());
        assertEquals(newest, Files.readString(aside));
        try (var files = Files.list(out)) {
            assertEquals(List.of(FP32 + ".r1.gc.json", FP32 + ".r1.off.json", FP32 + ".r1.off.unfinished.earlier.json"),
                    files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(FP32) || n.startsWith("." + FP32))
                            .sorted().toList());
        }
        assertFalse(Files.exists(out.resolve(gpuenergy.run.PartialResult.UNPUBLISHED_DIR)), "nothing was published");
        assertEquals("20", rows(out.resolve("overhead.csv")).get("pytorch-fp32 off").get("iterations"), "published runs only");
    }

    /**
     * The overhead command with 20 measured iterations of {@code iteration} a run, SIGKILLed (no shutdown hooks, no
     * finally blocks) once its first run has a measured iteration on disk; its arguments, or null where that run ended
     * before the kill came.
     */
    private static String[] killedMidRun(Path out, Path log, String iteration) throws Exception {
        String[] args = {"overhead", "-p", "engine=pytorch-fp32", "-p", "batchSize=1", "--variant", "off=", "--variant",
                "gc=gc", "--rounds", "1", "-wi", "0", "-i", "20", "-r", iteration, "--out", out.toString()};
        Path unfinished = out.resolve(FP32 + ".r1.off.unfinished.json");
        Process command = Forked.java(log, List.of("-Djmh.ignoreLock=true"), Main.class.getName(), args).start();
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (!Files.exists(unfinished)) {
            if (Files.exists(out.resolve(FP32 + ".r1.off.json"))) {
                command.destroyForcibly(); // the whole run passed between two looks: try again with longer iterations
                command.waitFor();
                command.descendants().forEach(ProcessHandle::destroyForcibly);
                return null;
            }
            if (!command.isAlive() || System.nanoTime() > deadline) {
                command.destroyForcibly();
                throw new AssertionError("no measured iteration on disk while the run went on:\n" + Forked.read(log));
            }
            Thread.sleep(20);
        }
        List<ProcessHandle> forks = command.descendants().toList();
        command.destroyForcibly();
        command.waitFor();
        forks.forEach(ProcessHandle::destroyForcibly);
        if (Files.exists(out.resolve(FP32 + ".r1.off.json")) || !Files.exists(unfinished)) {
            return null; // the run ended between the check and the kill
        }
        assertEquals(137, command.exitValue(), "killed, not finished:\n" + Forked.read(log));
        try {
            com.google.gson.JsonParser.parseString(Files.readString(unfinished)).getAsJsonArray();
        } catch (com.google.gson.JsonParseException e) {
            throw new AssertionError("a torn " + unfinished + ": it is written whole", e);
        }
        return args;
    }

    /**
     * A run JMH refuses because another run of the host holds JMH's lock: the command waits for it, saying so once
     * however long the wait (it looks at the lock twice a second), and makes the run once the lock is free, as a sweep
     * does; nothing is written for the run while it waits, and the refused attempt says nothing of the run's energy.
     */
    @Test
    void aCommandWaitsForJmhsLockAndRunsWhenItIsFree(@TempDir Path tmp) throws Exception {
        Path tmpdir = Files.createDirectories(tmp.resolve("tmpdir"));
        Path out = tmp.resolve("overhead");
        Path log = tmp.resolve("overhead.log");
        String[] args = {"overhead", "-p", "engine=pytorch-fp32", "-p", "batchSize=1", "--variant", "off=", "--variant",
                "gc=gc", "--rounds", "1", "-wi", "0", "-i", "2", "-r", "100ms", "--out", out.toString()};
        try (FileChannel ch = FileChannel.open(tmpdir.resolve("jmh.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            FileLock jmh = ch.lock(); // another JMH run of this host
            Process command = Forked.java(log, List.of("-Djava.io.tmpdir=" + tmpdir), Main.class.getName(), args).start();
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (!Forked.read(log).contains("waiting for JMH's lock")) {
                    if (!command.isAlive() || System.nanoTime() > deadline) {
                        fail("no wait for JMH's lock:\n" + Forked.read(log));
                    }
                    Thread.sleep(50);
                }
                Thread.sleep(2_000); // several looks at the lock: the line is not said again
                assertTrue(command.isAlive(), Forked.read(log));
                assertFalse(Files.exists(out.resolve(FP32 + ".r1.off.json")), "nothing ran while it waits");
                assertFalse(Files.exists(out.resolve("overhead-runs.jsonl")), "nothing recorded while it waits");
                jmh.release();
                assertTrue(command.waitFor(120, TimeUnit.SECONDS), Forked.read(log));
            } finally {
                command.destroyForcibly();
            }
            assertEquals(0, command.exitValue(), Forked.read(log));
        }
        String said = Forked.read(log);
        assertEquals(List.of("[overhead] engine=pytorch-fp32, batchSize=1 round 1 off: waiting for JMH's lock ("
                + tmpdir.resolve("jmh.lock") + "): another JMH run on this host is measuring; Ctrl-C or SIGTERM stops the "
                + "command, and the same command continues it"),
                said.lines().filter(l -> l.contains("waiting for JMH's lock")).toList(), said);
        // one line per run made (off has no profiler, gc one without energy), none for the attempt JMH refused
        assertEquals(List.of("[overhead] energy: not measured (no profiler asked for)", "[overhead] energy: not measured "
                + "(-prof given without energy)"), said.lines().filter(l -> l.contains("energy: not measured")).toList(), said);
        for (String run : List.of("r1.off", "r1.gc")) {
            assertTrue(Files.exists(out.resolve(FP32 + "." + run + ".json")), run + ":\n" + said);
        }
        assertEquals(2, Files.readAllLines(out.resolve("overhead-runs.jsonl")).size(), said);
    }

    /**
     * The energy profiler on a machine without an NVIDIA GPU: one line before anything runs (measuring its overhead
     * needs it), exit 2, nothing written; the default variants (off=, on=energy) say the same.
     */
    @Test
    void theEnergyProfilerWithoutAGpuIsOneLine(@TempDir Path tmp) throws Exception {
        assumeTrue(GpuEnvironment.unavailableReason() != null, "this machine has a GPU the profiler can measure");
        Path out = tmp.resolve("overhead");
        for (String[] variants : List.of(new String[] {"--variant", "off=", "--variant", "on=energy"}, new String[0])) {
            String[] args = new String[variants.length + 2];
            System.arraycopy(variants, 0, args, 0, variants.length);
            args[variants.length] = "--out";
            args[variants.length + 1] = out.toString();
            ConsoleCapture call = overhead(args);
            assertEquals(2, call.rc());
            assertTrue(call.err().matches("overhead: --variant on=energy: the profiler does not load: gpu energy: [^\\n]+\\n"),
                    call.err());
            assertFalse(Files.exists(out));
        }
    }

    /**
     * A run that fails (kind error) ends the command with exit 1, as the launcher and the sweep do, after the others ran: a
     * model the runs do not find is theirs to tell (the forks resolve it with their own settings), not refused up front.
     */
    @Test
    void aFailedRunExitsOne(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("overhead");
        ConsoleCapture call = overhead("-p", "engine=pytorch-fp32", "-p", "batchSize=1", "-p",
                "model=mobilenetv3_small_100,no_such_net", "--variant", "off=", "--variant", "gc=gc", "--rounds", "1",
                "-wi", "0", "-i", "1", "-r", "100ms", "--out", out.toString());
        assertEquals(1, call.rc(), call.out() + call.err());
        assertTrue(Files.exists(out.resolve(FP32 + "+model=mobilenetv3_small_100.r1.off.json")), "the good configuration still ran");
        List<NotRun> notRun = NotRunList.read(out.resolve("overhead.notrun.json"));
        assertEquals(2, notRun.size(), notRun.toString());
        for (NotRun n : notRun) {
            assertEquals(NotRun.Kind.ERROR, n.kind(), n.toString());
            assertEquals("no_such_net", n.param(ParamNames.MODEL));
            assertTrue(n.reason().contains("unknown model 'no_such_net'"), n.reason());
        }
    }


    /**
     * A variant given as JMH options: its profilers (an alias the launcher expands among them) and its VM options reach
     * its runs, and only its runs.
     */
    @Test
    void aVariantsOwnOptionsReachOnlyItsRuns(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("overhead");
        ConsoleCapture c = overhead("-p", "engine=pytorch-fp32", "-p", "batchSize=1", "--variant", "off=", "--variant",
                "serial=-prof sched -prof gc -jvmArgsAppend -XX:+UseSerialGC", "--rounds", "1", "-wi", "0", "-i", "2",
                "-r", "100ms", "--out", out.toString());
        assertEquals(0, c.rc(), c.err());
        com.google.gson.JsonObject serial = com.google.gson.JsonParser.parseString(
                Files.readString(out.resolve(FP32 + ".r1.serial.json"))).getAsJsonArray().get(0).getAsJsonObject();
        com.google.gson.JsonObject off = com.google.gson.JsonParser.parseString(
                Files.readString(out.resolve(FP32 + ".r1.off.json"))).getAsJsonArray().get(0).getAsJsonObject();
        assertTrue(serial.get("jvmArgs").toString().contains("-XX:+UseSerialGC"), serial.get("jvmArgs").toString());
        assertFalse(off.get("jvmArgs").toString().contains("-XX:+UseSerialGC"), off.get("jvmArgs").toString());
        com.google.gson.JsonObject secondary = serial.getAsJsonObject("secondaryMetrics");
        assertTrue(secondary.has(gpuenergy.profile.SchedulingLabels.WORKER_CPU_PCT) && secondary.has("gc.alloc.rate.norm"),
                secondary.keySet().toString());
        double workerCpu = secondary.getAsJsonObject(gpuenergy.profile.SchedulingLabels.WORKER_CPU_PCT).get("score").getAsDouble();
        assertTrue(workerCpu > 0 && workerCpu <= 101, "the benchmark thread ran: " + workerCpu);
        assertEquals(0, off.getAsJsonObject("secondaryMetrics").size(), off.toString());
    }
}
