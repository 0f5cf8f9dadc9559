package gpuenergy.sweep;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import gpuenergy.options.SuiteSetting;
import gpuenergy.results.NotRun;
import gpuenergy.results.NotRunList;
import gpuenergy.results.ParamNames;
import gpuenergy.results.TrialRecords;
import gpuenergy.run.OomKills;
import gpuenergy.run.RunHooks;
import gpuenergy.sweep.testbench.SleepBenchmark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real JMH runs in forked VMs, of {@link SleepBenchmark} (1 ms per image, out of memory above a batch). */
class SweepRunTest {
    static final String BENCH = SleepBenchmark.class.getName() + ".infer";

    static {
        // JMH's lock (one benchmark run per machine) would make these tests wait on, or fail beside, any other
        // JMH run on a shared build machine; these runs measure nothing that needs a quiet machine
        System.setProperty("jmh.ignoreLock", "true");
    }

    private static SweepLog.Entry outcome(List<SweepLog.Entry> log, String engine, int batch) {
        SweepLog.Entry found = null;
        for (SweepLog.Entry e : log) {
            if (e.engine().equals(engine) && e.batchSize() == batch && !e.status().equals(SweepLog.RERUN)) {
                found = e;
            }
        }
        return found;
    }

    @Test
    void laddersEndAtOutOfMemoryFailuresAreRecordedAndShortRunsAreRepeated(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("sweep");
        int rc = SweepCommand.run(new String[] {"--benchmark", BENCH, "-p", "model=fits4", "-p", "engine=sleep,broken,halt,abort",
                "--min-seconds", "0.03", "--min-batches", "40", "--out", dir.toString()});
        assertEquals(1, rc, "exit status 1: two engines failed");

        // the sleep ladder: 1, 2, 4 measured, each iteration holding >= 40 batches; 8 did not fit
        List<Measurement> measured = new ArrayList<>();
        for (int b : new int[] {1, 2, 4}) {
            Measurement m = Measurement.read(dir.resolve("fits4-sleep-b" + b + ".json"));
            assertEquals(b, m.batchSize());
            assertTrue(IterationTime.batchesPerIteration(m.slowestBatchesPerSecond(), m.iterationMillis()) >= 40,
                    "batch " + b + ": " + m);
            measured.add(m);
        }
        assertFalse(Files.exists(dir.resolve("fits4-sleep-b8.json")));

        List<SweepLog.Entry> log = SweepLog.read(dir, System.out);
        assertEquals(NotRun.Kind.DID_NOT_FIT, outcome(log, "sleep", 8).kind());
        assertTrue(outcome(log, "sleep", 8).reason().contains("CUDA out of memory: batch 8"), outcome(log, "sleep", 8).reason());
        assertEquals("error", outcome(log, "broken", 1).status(), "kind error as the not-run lists spell it");
        assertTrue(outcome(log, "broken", 1).reason().contains("no such engine"), outcome(log, "broken", 1).reason());
        assertEquals("error", outcome(log, "halt", 1).status());
        assertTrue(outcome(log, "halt", 1).reason().contains("exit code 3"), outcome(log, "halt", 1).reason());
        assertEquals(NotRun.Kind.DID_NOT_FIT, outcome(log, "abort", 1).kind(), "a native abort saying CUDA out of memory");
        assertTrue(outcome(log, "abort", 1).reason().contains("CUDA out of memory"), outcome(log, "abort", 1).reason());
        assertEquals(null, outcome(log, "broken", 2), "a failure ends that model/engine");

        // 0.03 s at <= 1000 batches/s holds < 40 batches: the first rung ran again, longer, and kept the short run
        SweepLog.Entry rerun = log.get(0);
        assertEquals(SweepLog.RERUN, rerun.status());
        Measurement shortRun = Measurement.read(dir.resolve(rerun.file()));
        assertEquals(30, shortRun.iterationMillis());
        assertTrue(measured.get(0).iterationMillis() > 30);

        // the shared not-run format
        JsonArray notRun = JsonParser.parseString(Files.readString(dir.resolve(NotRunList.SWEEP_FILE))).getAsJsonArray();
        Map<String, String> kinds = new TreeMap<>();
        for (var e : notRun) {
            JsonObject o = e.getAsJsonObject();
            assertEquals(BENCH, o.get("benchmark").getAsString());
            JsonObject p = o.getAsJsonObject("params");
            kinds.put(p.get(ParamNames.ENGINE).getAsString() + "-b" + p.get(ParamNames.BATCH_SIZE).getAsString(),
                    o.get("kind").getAsString());
            assertFalse(o.get("reason").getAsString().isBlank());
        }
        assertEquals(Map.of("sleep-b8", "did-not-fit", "broken-b1", "error", "halt-b1", "error", "abort-b1", "did-not-fit"), kinds);

        // best batch: no energy here, so the most images per second, and the summary says so
        Measurement fastest = measured.stream().max((a, b) -> Double.compare(a.imagesPerSecond(), b.imagesPerSecond())).orElseThrow();
        List<String> summary = Files.readAllLines(dir.resolve(Summary.FILE));
        assertEquals(Summary.HEADER, summary.get(0));
        String sleepRow = summary.stream().filter(l -> l.startsWith("fits4,sleep,")).findFirst().orElseThrow();
        assertTrue(sleepRow.startsWith("fits4,sleep," + fastest.batchSize() + ",img/s,"), sleepRow);
        assertTrue(sleepRow.contains("no energy measured"), sleepRow);
        assertTrue(summary.stream().anyMatch(l -> l.startsWith("fits4,broken,,") && l.contains("failed at batch 1")));
    }

    @Test
    void aNativeOutOfMemoryAbortIsRecognisedEvenWithSilentOutput(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("sweep");
        // nothing measured at all: exit 1, as a plain run whose every benchmark is not run (NotRun.exitCode)
        assertEquals(1, SweepCommand.run(new String[] {"--benchmark", BENCH, "-p", "model=fits4", "-p", "engine=abort",
                "-v", "SILENT", "--min-seconds", "0.03", "--out", dir.toString()}));
        SweepLog.Entry e = outcome(SweepLog.read(dir, System.out), "abort", 1);
        assertEquals(NotRun.Kind.DID_NOT_FIT, e.kind());
        assertEquals("what():  CUDA out of memory. (test benchmark abort)", e.reason());
    }

    /**
     * A fork killed by SIGKILL while the kernel's out-of-memory killer killed nothing (here its own kill -9) failed, and
     * its reason says the kernel counted no such kill: a did-not-fit would end the ladder for good, where --resume runs a
     * failure again. The count is read where the sweep reads it, before and after the sweep: where it counts other
     * processes too (the host's count, a cgroup shared with them), another process's kill meanwhile is taken as the
     * fork's, a did-not-fit naming as many kills as the sweep counted over the fork's run, which lies within the test's
     * (a kill counted before or after the fork's run leaves it the failure). (A fork the out-of-memory killer killed:
     * FailureTest, from a recorded one.)
     */
    @Test
    void aForkKilledBySigkillWithoutAnOutOfMemoryKillFailed(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("sweep");
        OomKills.Counter counter = OomKills.start();
        assertEquals(1, SweepCommand.run(new String[] {"--benchmark", BENCH, "-p", "model=fits4", "-p", "engine=sigkill",
                "--min-seconds", "0.03", "--out", dir.toString()}));
        OomKills meanwhile = counter.sinceThen();
        SweepLog.Entry e = outcome(SweepLog.read(dir, System.out), "sigkill", 1);
        String exit = "forked VM failed with exit code 137 (";
        if (!meanwhile.known()) {
            assertEquals(NotRun.Kind.ERROR, e.kind(), e.reason());
            assertEquals(exit + "killed: SIGKILL, e.g. the out-of-memory killer; the kernel's count of out-of-memory "
                    + "kills cannot be read here)", e.reason());
            return;
        }
        String failed = exit + "killed: SIGKILL, not by the kernel's out-of-memory killer, which killed no process "
                + meanwhile.scope() + " meanwhile: kill -9, or a user-space out-of-memory killer such as earlyoom)";
        Matcher counted = Pattern.compile(".* killer killed (\\d+) process.*")
                .matcher(e.reason());
        if (meanwhile.kills() == 0 || e.kind() == NotRun.Kind.ERROR || !counted.matches()) {
            assertEquals(NotRun.Kind.ERROR, e.kind(), e.reason() + "; the test counted " + meanwhile);
            assertEquals(failed, e.reason());
            return;
        }
        long kills = Long.parseLong(counted.group(1));
        assertTrue(kills >= 1 && kills <= meanwhile.kills(), e.reason() + "; the test counted " + meanwhile);
        boolean host = meanwhile.scope().equals("on the host");
        assertEquals(NotRun.Kind.DID_NOT_FIT, e.kind(), e.reason());
        assertEquals(exit + "killed: SIGKILL while the kernel's out-of-memory killer killed " + kills
                + (kills == 1 ? " process " : " processes ") + meanwhile.scope() + (host ? ", a count of every process's "
                + "kills" : "") + ", taken as this fork: the batch did not fit in the " + (host ? "host's memory)"
                : "host's memory or the cgroup's limit)"), e.reason());
    }

    /**
     * The log holds each outcome first and the not-run list is rebuilt from it: a list a kill left behind the log (here
     * none at all) is whole again once the sweep is resumed, before anything runs.
     */
    @Test
    void aResumedSweepRebuildsItsNotRunListFromTheLog(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("sweep");
        String[] args = {"--benchmark", BENCH, "-p", "model=fits4", "-p", "engine=abort", "-v", "SILENT",
                "--min-seconds", "0.03", "--out", dir.toString()};
        assertEquals(1, SweepCommand.run(args));
        String list = Files.readString(dir.resolve(NotRunList.SWEEP_FILE));
        Files.delete(dir.resolve(NotRunList.SWEEP_FILE));
        String[] resumed = java.util.Arrays.copyOf(args, args.length + 1);
        resumed[args.length] = "--resume";
        SweepCommand.run(resumed);
        assertEquals(list, Files.readString(dir.resolve(NotRunList.SWEEP_FILE)));
    }

    /**
     * The launcher names the GPU (gpuenergy.cli.SuiteRun reads it from NVML); the sweep puts it in its log and not-run
     * list unless the benchmark runs on the CPU (SleepBenchmark's declared device) or there is no GPU.
     */
    @Test
    void notRunEntriesNameTheLaunchersGpuUnlessTheBenchmarkRunsOnTheCpu(@TempDir Path tmp) throws Exception {
        String gpu = "FIXTURE (hand-made test input) GPU";
        RunHooks naming = namingGpu(gpu);
        Map<String, JsonElement> written = new TreeMap<>();
        for (String device : new String[] {"gpu:0", null}) {
            Path dir = tmp.resolve(String.valueOf(device).replace(':', '_'));
            List<String> args = new ArrayList<>(List.of("--benchmark", BENCH, "-p", "model=fits4", "-p", "engine=abort",
                    "-v", "SILENT", "--min-seconds", "0.03", "--out", dir.toString()));
            if (device != null) {
                args.addAll(List.of("-p", "device=" + device));
            }
            assertEquals(1, SweepCommand.run(args.toArray(new String[0]), naming), "nothing measured: exit 1");
            JsonObject entry = JsonParser.parseString(Files.readString(dir.resolve(NotRunList.SWEEP_FILE)))
                    .getAsJsonArray().get(0).getAsJsonObject();
            assertEquals("did-not-fit", entry.get("kind").getAsString());
            written.put(String.valueOf(device), entry.get("gpu"));
            assertEquals(entry.has("gpu") ? gpu : null, outcome(SweepLog.read(dir, System.out), "abort", 1).gpu(), "the log says the same");
        }
        assertEquals(gpu, written.get("gpu:0").getAsString());
        assertNull(written.get("null"), "device cpu (the benchmark's declared value): no gpu field");

        // without a GPU (RunHooks.NONE, as gpuenergy.cli.SuiteRun on a machine without NVML) there is none either
        Path dir = tmp.resolve("none");
        assertEquals(1, SweepCommand.run(new String[] {"--benchmark", BENCH, "-p", "model=fits4", "-p", "engine=abort",
                "-p", "device=gpu:0", "-v", "SILENT", "--min-seconds", "0.03", "--out", dir.toString()}));
        assertFalse(Files.readString(dir.resolve(NotRunList.SWEEP_FILE)).contains("\"gpu\""));
        assertFalse(Files.readString(dir.resolve(SweepLog.FILE)).contains("\"gpu\""));
    }

    @Test
    void minBatchStartsTheLadderThereAndResumeFillsInBelowLater(@TempDir Path tmp) throws Exception {
        // the study measures the large batches of many models first and the launch-bound small ones later
        Path dir = tmp.resolve("sweep");
        String[] args = {"--benchmark", BENCH, "-p", "model=fits4", "-p", "engine=sleep", "-f", "1", "-wi", "0", "-i", "1",
                "--min-seconds", "0.03", "--min-batches", "2", "--out", dir.toString(), "--min-batch", "2"};
        assertEquals(0, SweepCommand.run(args));
        assertFalse(Files.exists(dir.resolve("fits4-sleep-b1.json")));
        assertEquals(2, Measurement.read(dir.resolve("fits4-sleep-b2.json")).batchSize());
        assertEquals(NotRun.Kind.DID_NOT_FIT, outcome(SweepLog.read(dir, System.out), "sleep", 8).kind());

        long b2Written = Files.getLastModifiedTime(dir.resolve("fits4-sleep-b2.json")).toMillis();
        String[] resume = Arrays.copyOf(args, args.length + 1);
        resume[args.length - 1] = "1";
        resume[args.length] = "--resume";
        assertEquals(0, SweepCommand.run(resume));
        assertEquals(1, Measurement.read(dir.resolve("fits4-sleep-b1.json")).batchSize());
        assertEquals(b2Written, Files.getLastModifiedTime(dir.resolve("fits4-sleep-b2.json")).toMillis(), "b2 kept, not re-run");
        assertTrue(Files.readAllLines(dir.resolve(Summary.FILE)).stream().anyMatch(l -> l.startsWith("fits4,sleep,")));
    }

    /** The kind of each entry of DIR/sweep.notrun.json, by engine and batch ("sleep-b4"), and its gpu field ("" when none). */
    /**
     * A directory filled by several sweeps (a study spread over device calls, each with its own models and
     * --max-batch) gets a summary of all of it: every model and engine its log names, every batch measured, not just
     * the last sweep's part.
     */
    @Test
    void theSummaryCoversEveryModelAndBatchOfTheDirectory(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("sweep");
        List<String> base = List.of("--benchmark", BENCH, "-p", "engine=sleep", "-f", "1", "-wi", "0", "-i", "1",
                "-v", "SILENT", "--min-seconds", "0.03", "--min-batches", "2", "--out", dir.toString());
        assertEquals(0, SweepCommand.run(with(base, "-p", "model=fits2")));
        // a later call: another model, and a fill-in capped below the first call's largest batch
        assertEquals(0, SweepCommand.run(with(base, "-p", "model=fits4", "--max-batch", "1", "--resume")));
        List<String> summary = Files.readAllLines(dir.resolve(Summary.FILE));
        String fits2 = summaryRow(dir, "fits2,sleep,");
        String fits4 = summaryRow(dir, "fits4,sleep,");
        assertTrue(fits2.contains("did not fit at batch 4"), fits2);
        assertTrue(fits2.contains(",1 2,"), "both batches of the earlier call: " + fits2);
        assertTrue(fits4.contains(",1,"), fits4);
        assertTrue(fits4.contains("batch 2 not measured: above the sweep's --max-batch 1"), fits4);
        assertEquals(3, summary.size(), "header and one row per model and engine");
    }

    private static Map<String, String> notRunKinds(Path dir) throws IOException {
        Map<String, String> kinds = new TreeMap<>();
        for (JsonElement e : JsonParser.parseString(Files.readString(dir.resolve(NotRunList.SWEEP_FILE))).getAsJsonArray()) {
            JsonObject o = e.getAsJsonObject();
            JsonObject p = o.getAsJsonObject("params");
            kinds.put(p.get(ParamNames.ENGINE).getAsString() + "-b" + p.get(ParamNames.BATCH_SIZE).getAsString(), o.get("kind").getAsString()
                    + (o.has("gpu") ? " on " + o.get("gpu").getAsString() : ""));
        }
        return kinds;
    }

    /**
     * What the benchmark recorded about a configuration that did not run (the launcher reads its fork's trial record)
     * decides the outcome's kind and reason over what JMH's failure says: here the failing engine's record says the
     * batch did not fit, where its exception alone reads as a failure.
     */
    @Test
    void theBenchmarksOwnRecordOfWhyItDidNotRunDecides(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("sweep");
        RunHooks recording = new RunHooks() {
            @Override
            public TrialRecords.NotRunRecord notRun(String benchmark, Map<String, String> params) {
                return params.get(ParamNames.ENGINE).equals("broken") && params.get(ParamNames.DEVICE).equals("cpu")
                        ? new TrialRecords.NotRunRecord(NotRun.Kind.DID_NOT_FIT, "recorded: batch 1 needs more than the device has")
                        : null;
            }
        };
        assertEquals(1, SweepCommand.run(new String[] {"--benchmark", BENCH, "-p", "model=fits4", "-p", "engine=broken",
                "--min-seconds", "0.03", "--out", dir.toString()}, recording), "nothing measured");
        SweepLog.Entry e = outcome(SweepLog.read(dir, System.out), "broken", 1);
        assertEquals(NotRun.Kind.DID_NOT_FIT, e.kind());
        assertEquals("recorded: batch 1 needs more than the device has", e.reason());
        assertEquals(Map.of("broken-b1", "did-not-fit"), notRunKinds(dir));
    }

    private static RunHooks namingGpu(String gpu) {
        return new RunHooks() {
            @Override
            public String gpuName(String device) {
                return gpu;
            }
        };
    }

    /** The GPU that the --max-batch ladders' results name. */
    private static final String LADDER_GPU = "FIXTURE (hand-made test input) GPU";

    /**
     * A sweep of the sleep engine on a GPU whose memory holds batches up to 4, into dir, run once under --max-batch 2 on
     * {@link #LADDER_GPU}: its arguments before any --max-batch.
     */
    private static List<String> fits4LadderCappedAt2(Path dir) throws Exception {
        List<String> base = List.of("--benchmark", BENCH, "-p", "model=fits4", "-p", "engine=sleep", "-p", "device=gpu:0",
                "-f", "1", "-wi", "0", "-i", "1", "-v", "SILENT", "--min-seconds", "0.03", "--min-batches", "2",
                "--out", dir.toString());
        assertEquals(0, SweepCommand.run(with(base, "--max-batch", "2"), namingGpu(LADDER_GPU)));
        return base;
    }

    /**
     * A ladder that ends because its next batch is above --max-batch is recorded as such (the report then knows its top
     * is the cap, not a ladder cut short), once, also by a resumed sweep whose rungs were all done earlier (that is how
     * existing data gets it), naming the GPU the rungs ran on. It settles nothing: a larger --max-batch runs the batch.
     */
    @Test
    void aLadderStoppedByMaxBatchIsRecordedOnceAndALargerMaxBatchRunsOn(@TempDir Path tmp) throws Exception {
        String gpu = LADDER_GPU;
        Path dir = tmp.resolve("sweep");
        List<String> base = fits4LadderCappedAt2(dir);
        List<SweepLog.Entry> log = SweepLog.read(dir, System.out);
        SweepLog.Entry cap = log.get(log.size() - 1);
        assertEquals(List.of("above-max-batch", "4", "not measured: above the sweep's --max-batch 2", gpu),
                List.of(cap.status(), String.valueOf(cap.batchSize()), cap.reason(), cap.gpu()));
        assertNull(cap.file());
        assertEquals(Map.of("sleep-b4", "above-max-batch on " + gpu), notRunKinds(dir));
        String row = summaryRow(dir, "fits4,sleep,");
        assertTrue(row.contains("batch 4 not measured: above the sweep's --max-batch 2"), row);

        // all done: a resumed sweep runs nothing and does not record the cap twice
        assertEquals(0, SweepCommand.run(with(base, "--max-batch", "2", "--resume"), namingGpu(gpu)));
        assertEquals(log, SweepLog.read(dir, System.out));

        // a log from before the cap was recorded (its line removed): a resumed sweep on a machine without a GPU records
        // it, naming the GPU the done lines name; a fill-in below a measured batch (1..1 with 2 measured) records nothing
        List<String> lines = Files.readAllLines(dir.resolve(SweepLog.FILE));
        Files.write(dir.resolve(SweepLog.FILE), lines.subList(0, lines.size() - 1));
        assertEquals(0, SweepCommand.run(with(base, "--max-batch", "1", "--resume")));
        assertEquals(lines.size() - 1, SweepLog.read(dir, System.out).size(), "batch 2 is measured: no cap at 2");
        assertEquals(0, SweepCommand.run(with(base, "--max-batch", "2", "--resume")));
        List<SweepLog.Entry> recorded = SweepLog.read(dir, System.out);
        assertEquals(lines.size(), recorded.size());
        SweepLog.Entry again = recorded.get(recorded.size() - 1);
        assertEquals(List.of("above-max-batch", "4", gpu), List.of(again.status(), String.valueOf(again.batchSize()),
                again.gpu()), "from the done lines, not this process's (no) GPU");
        assertEquals(Map.of("sleep-b4", "above-max-batch on " + gpu), notRunKinds(dir));

        // a larger --max-batch runs batch 4 (the cap line settled nothing) and stops at the new cap
        assertEquals(0, SweepCommand.run(with(base, "--max-batch", "4", "--resume"), namingGpu(gpu)));
        assertEquals(4, Measurement.read(dir.resolve("fits4-sleep-b4.json")).batchSize());
        assertEquals(SweepLog.DONE, outcome(SweepLog.read(dir, System.out), "sleep", 4).status());
        assertEquals(Map.of("sleep-b8", "above-max-batch on " + gpu), notRunKinds(dir), "batch 4's cap line no longer counts");

        // and a ladder that ends in a did-not-fit records no cap, even at its --max-batch
        assertEquals(0, SweepCommand.run(with(base, "--max-batch", "8", "--resume"), namingGpu(gpu)));
        assertEquals(NotRun.Kind.DID_NOT_FIT, outcome(SweepLog.read(dir, System.out), "sleep", 8).kind());
        assertEquals(Map.of("sleep-b8", "did-not-fit on " + gpu), notRunKinds(dir));
        assertEquals(0, SweepLog.read(dir, System.out).stream().filter(e -> e.batchSize() == 16).count());
    }

    /**
     * Resumed under caps that stop the ladder at the same rung (--max-batch 2, 3, then 2 again: each stops before batch
     * 4), the not-run list and the summary name the latest cap, once; the log, a history, has a line for each cap that
     * differed from the one before it, the cap 2 twice with the cap 3 between them.
     */
    @Test
    void theNotRunListNamesTheLatestCapThatStoppedTheLadderOnce(@TempDir Path tmp) throws Exception {
        String gpu = LADDER_GPU;
        Path dir = tmp.resolve("sweep");
        List<String> base = fits4LadderCappedAt2(dir);
        for (String cap : List.of("3", "2", "2")) {
            assertEquals(0, SweepCommand.run(with(base, "--max-batch", cap, "--resume"), namingGpu(gpu)));
            List<NotRun> notRun = NotRunList.read(dir.resolve(NotRunList.SWEEP_FILE));
            assertEquals(List.of("4: not measured: above the sweep's --max-batch " + cap), notRun.stream()
                    .map(n -> n.param(ParamNames.BATCH_SIZE) + ": " + n.reason()).toList());
            assertTrue(summaryRow(dir, "fits4,sleep,").contains("batch 4 not measured: above the sweep's --max-batch " + cap));
        }
        assertEquals(List.of("2", "3", "2"), SweepLog.read(dir, System.out).stream()
                .filter(e -> e.kind() == NotRun.Kind.ABOVE_MAX_BATCH)
                .map(e -> e.reason().substring(e.reason().lastIndexOf(' ') + 1)).toList());
    }

    /**
     * Batch 1's result, rewritten 10^8 times slower (about 10^-5 batches/s, a large model's large batch on a slow card
     * as far as the sweep can tell), predicts iterations of 1.2 x 2 batches at half that rate at batch 2: days, more than
     * the day an iteration may last. The resumed sweep records batch 2 as iteration-too-long without starting it, and the
     * ladder ends there. Nothing runs, so --stop-after (which would stop before a run that long) has no say.
     */
    @Test
    void aBatchPredictedToNeedIterationsLongerThanADayIsNotStartedAndEndsTheLadder(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("sweep");
        List<String> base = List.of("--benchmark", BENCH, "-p", "model=fits4", "-p", "engine=sleep", "-f", "1", "-wi", "0",
                "-i", "1", "-v", "SILENT", "--min-seconds", "0.03", "--min-batches", "2", "--out", dir.toString());
        assertEquals(0, SweepCommand.run(with(base, "--max-batch", "1")));
        Path b1 = dir.resolve("fits4-sleep-b1.json");
        JsonArray slower = JsonParser.parseString(Files.readString(b1)).getAsJsonArray();
        JsonObject primary = slower.get(0).getAsJsonObject().getAsJsonObject("primaryMetric");
        primary.addProperty("score", primary.get("score").getAsDouble() / 1e8);
        for (var fork : primary.getAsJsonArray("rawData")) {
            JsonArray iterations = fork.getAsJsonArray();
            for (int i = 0; i < iterations.size(); i++) {
                iterations.set(i, new com.google.gson.JsonPrimitive(iterations.get(i).getAsDouble() / 1e8));
            }
        }
        Files.writeString(b1, slower.toString());

        List<String> lines = new ArrayList<>();
        assertEquals(0, runCapturing(with(base, "--max-batch", "4", "--stop-after", "600", "--resume"), "[sweep] fits4 / sleep batch 2",
                lines), "batch 1 measured, batch 2 an outcome, not a failure");
        SweepLog.Entry b2 = outcome(SweepLog.read(dir, System.out), "sleep", 2);
        assertEquals(NotRun.Kind.ITERATION_TOO_LONG, b2 == null ? null : b2.kind(), String.valueOf(lines));
        assertTrue(b2.reason().matches("not started: its measured iterations would last \\d+(\\.\\d+)? s each to hold "
                + "--min-batches 2, above the 86400 s a sweep's iteration may last"), b2.reason());
        assertNull(b2.file());
        assertEquals(0, b2.seconds());
        assertEquals(List.of("[sweep] fits4 / sleep batch 2 iterations too long; ladder ends: " + b2.reason()), lines);
        assertFalse(Files.exists(dir.resolve("fits4-sleep-b2.json")));
        assertNull(outcome(SweepLog.read(dir, System.out), "sleep", 4), "the ladder ends at batch 2, no cap line above it");
        assertEquals(Map.of("sleep-b2", "iteration-too-long"), notRunKinds(dir));
        String row = summaryRow(dir, "fits4,sleep,");
        assertTrue(row.contains("iterations too long at batch 2: not started: "), row);

        // resumed again, the sweep reaches the same decision and logs it once
        List<SweepLog.Entry> log = SweepLog.read(dir, System.out);
        assertEquals(0, SweepCommand.run(with(base, "--max-batch", "4", "--stop-after", "600", "--resume")));
        assertEquals(log, SweepLog.read(dir, System.out));

        // resumed under a cap right below it, batch 2 keeps its outcome: iterations too long, not above the cap
        assertEquals(0, SweepCommand.run(with(base, "--max-batch", "1", "--resume")));
        assertEquals(log, SweepLog.read(dir, System.out));
        assertEquals(Map.of("sleep-b2", "iteration-too-long"), notRunKinds(dir));
    }

    /**
     * Batch 1024 sleeps 1.024 s a batch: under 1 batch/s, so a 0.03 s iteration counts for under 0.03 of the 72000
     * batches asked for. The re-run would need 72000 x 1.024 s x 1.2 ~ 88000 s
     * iterations, more than a day: it is not started, the short run stays in short/ and the line names it, and the
     * ladder ends. --stop-after would stop before a re-run that long; the bound decides first.
     */
    @Test
    void aReRunThatWouldNeedIterationsLongerThanADayIsNotStarted(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("sweep");
        String[] args = {"--benchmark", BENCH, "-p", "model=fits4096", "-p", "engine=sleep", "-f", "1", "-wi", "0", "-i",
                "1", "-v", "SILENT", "--min-seconds", "0.03", "--min-batches", "72000", "--min-batch", "1024",
                "--max-batch", "2048", "--stop-after", "120", "--out", dir.toString()};
        assertEquals(1, SweepCommand.run(args), "nothing measured");
        List<SweepLog.Entry> log = SweepLog.read(dir, System.out);
        assertEquals(1, log.size(), String.valueOf(log));
        SweepLog.Entry b1024 = log.get(0);
        assertEquals(List.of("iteration-too-long", "1024"), List.of(b1024.status(), String.valueOf(b1024.batchSize())));
        assertTrue(b1024.reason().matches("not re-run: slowest iteration held \\d\\.\\d batches \\(< 72000\\) in 0\\.030 s; "
                + "its measured iterations would last \\d+(\\.\\d+)? s each to hold --min-batches 72000, above the 86400 s a "
                + "sweep's iteration may last"), b1024.reason());
        assertEquals("short/fits4096-sleep-b1024.try1.json", b1024.file());
        assertEquals(1024, Measurement.read(dir.resolve(b1024.file())).batchSize(), "the short run is kept");
        assertFalse(Files.exists(dir.resolve("fits4096-sleep-b1024.json")));
        assertEquals(Map.of("sleep-b1024", "iteration-too-long"), notRunKinds(dir));

        // --resume reads the decision with its short run: it runs nothing, keeps no other short run, logs no line again
        List<String> lines = new ArrayList<>();
        assertEquals(1, runCapturing(with(List.of(args), "--resume"), "[sweep] fits4096", lines), "nothing measured");
        assertEquals(log, SweepLog.read(dir, System.out));
        try (var kept = Files.list(dir.resolve("short"))) {
            assertEquals(List.of("fits4096-sleep-b1024.try1.json"), kept.map(f -> f.getFileName().toString()).toList());
        }
        assertEquals(List.of("[sweep] fits4096 / sleep batch 1024 iterations too long; ladder ends: " + b1024.reason()), lines);
    }

    /** The summary.csv row that starts with {@code prefix} ("model,engine,"). */
    private static String summaryRow(Path dir, String prefix) throws IOException {
        return Files.readAllLines(dir.resolve(Summary.FILE)).stream().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow();
    }

    /**
     * The first rung of a ladder that a resumed sweep runs, as the sweep's own walk finds it (what a --gpus parent names
     * for a part that ended before its ladders did): a did-not-fit or --max-batch ends the ladder; one capped by an
     * earlier, smaller --max-batch goes on; a ladder not started starts at --min-batch; an iteration-too-long line of an
     * earlier sweep (another machine, other options) ends nothing, as the resume sizes that batch again from the rung
     * below; a result that cannot be read counts as none, as the resume sets it aside and runs it again, which it does.
     */
    @Test
    void theFirstRungLeftIsTheOneAResumedSweepRuns(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("sweep");
        List<String> base = List.of("--benchmark", BENCH, "-p", "engine=sleep", "-f", "1", "-wi", "0", "-i", "1",
                "-v", "SILENT", "--min-seconds", "0.03", "--min-batches", "2", "--out", dir.toString());
        assertEquals(0, SweepCommand.run(with(base, "-p", "model=fits2"))); // 1, 2; 4 did not fit
        assertEquals(0, SweepCommand.run(with(base, "-p", "model=fits8", "--max-batch", "2", "--resume"))); // 1, 2
        SweepOptions o = SweepOptions.parse(with(base, "-p", "model=fits2,fits8,fits4", "--max-batch", "8", "--resume"));
        Resume resume = Resume.of(SweepLog.read(dir, System.out));
        assertEquals(0, Ladder.firstLeft(o, resume, "fits2", "sleep", null, dir), "batch 4 did not fit");
        assertEquals(4, Ladder.firstLeft(o, resume, "fits8", "sleep", null, dir), "above the earlier --max-batch 2");
        assertEquals(0, Ladder.firstLeft(SweepOptions.parse(with(base, "-p", "model=fits8", "--max-batch", "2")), resume,
                "fits8", "sleep", null, dir), "--max-batch 2 reached");
        assertEquals(1, Ladder.firstLeft(o, resume, "fits4", "sleep", null, dir), "a ladder not started");

        new SweepLog(dir).append(new SweepLog.Entry("2026-01-01T00:00:00Z", "fits8", "sleep", 4,
                SweepLog.status(NotRun.Kind.ITERATION_TOO_LONG), "not started: " + IterationTime.tooLong(90_000_000, 72_000),
                null, 0, null, null, null, null));
        resume = Resume.of(SweepLog.read(dir, System.out));
        assertEquals(4, Ladder.firstLeft(o, resume, "fits8", "sleep", null, dir), "batch 2's rate sizes batch 4 anew");

        Path b1 = dir.resolve("fits8-sleep-b1.json");
        byte[] whole = Files.readAllBytes(b1);
        Files.write(b1, Arrays.copyOf(whole, whole.length / 2)); // cut short
        assertEquals(1, Ladder.firstLeft(o, resume, "fits8", "sleep", null, dir), "a result that cannot be read");
        assertTrue(Files.exists(b1), "read, not moved: the resume moves it, saying so");
        assertEquals(0, SweepCommand.run(with(base, "-p", "model=fits8", "--max-batch", "1", "--resume")));
        Measurement.read(b1);
        assertTrue(Files.exists(dir.resolve(SweepDirectory.UNREADABLE_DIR).resolve("fits8-sleep-b1.json")));
    }

    private static String[] with(List<String> base, String... more) {
        List<String> args = new ArrayList<>(base);
        args.addAll(List.of(more));
        return args.toArray(new String[0]);
    }

    /**
     * 8 s iterations of >= 6500 batches at batch 1 predict 6500 x 2 ms x 1.2 = 15.6 s iterations at batch 2: with
     * --stop-after 23.5 batch 1 starts (15 s assumed overhead + 8 s <= 23.5 s) and batch 2 does not (~9 s gone, 15.6 s
     * plus the overhead measured on batch 1 predicted). fits1 makes batch 2 not fit, so the resume finishes it quickly.
     */
    @Test
    void stopAfterStopsBeforeARunPredictedToEndTooLateAndResumeRunsIt(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("sweep");
        String[] args = {"--benchmark", BENCH, "-p", "model=fits1", "-p", "engine=sleep", "-f", "1", "-wi", "0", "-i", "1",
                "--min-seconds", "8", "--min-batches", "6500", "--max-batch", "2", "--out", dir.toString()};
        List<String> stopping = new ArrayList<>();
        String[] limited = Arrays.copyOf(args, args.length + 2);
        limited[args.length] = "--stop-after";
        limited[args.length + 1] = "23.5";
        assertEquals(0, runCapturing(limited, "[sweep] stopping: ", stopping), "stopping is not a failure");
        assertEquals(1, stopping.size(), String.valueOf(stopping));
        assertTrue(stopping.get(0).matches("\\[sweep] stopping: fits1 / sleep batch 2 predicted \\d+\\.\\d s, \\d+\\.\\d s left "
                + "of --stop-after 23\\.5; --resume continues here"), stopping.get(0));
        Path b1 = dir.resolve("fits1-sleep-b1.json");
        assertEquals(1, Measurement.read(b1).batchSize());
        List<SweepLog.Entry> log = SweepLog.read(dir, System.out);
        assertEquals(SweepLog.DONE, outcome(log, "sleep", 1).status());
        assertNull(outcome(log, "sleep", 2), "nothing recorded for the configuration not started");
        assertTrue(log.stream().noneMatch(e -> e.kind() == NotRun.Kind.ABOVE_MAX_BATCH), "stopped before the cap: " + log);
        try (var files = Files.list(dir)) {
            assertFalse(files.anyMatch(f -> f.getFileName().toString().endsWith(".partial")), "no run was cut off");
        }
        String row = summaryRow(dir, "fits1,sleep,");
        assertFalse(row.contains("did not fit"), row);

        long b1Written = Files.getLastModifiedTime(b1).toMillis();
        String[] resume = Arrays.copyOf(args, args.length + 1);
        resume[args.length] = "--resume";
        assertEquals(0, SweepCommand.run(resume));
        assertEquals(b1Written, Files.getLastModifiedTime(b1).toMillis(), "batch 1 kept, not re-run");
        assertEquals(NotRun.Kind.DID_NOT_FIT, outcome(SweepLog.read(dir, System.out), "sleep", 2).kind());
        row = summaryRow(dir, "fits1,sleep,");
        assertTrue(row.contains("did not fit at batch 2"), row);
    }

    /**
     * A sweep whose --stop-after stopped it reads its sweep.jsonl for the ladders it left: where the log cannot be read
     * then (here the benchmark's fork writes a line of its own into it, as --resume would refuse), whether the sweep is
     * finished is not known. One line says so, naming the log and why, in the words the --gpus parent uses for a part;
     * what it measured and its summary stay, and it exits 1. The run stops as in
     * {@link #stopAfterStopsBeforeAReRunPredictedToEndTooLate}.
     */
    @Test
    void aStoppedSweepWhoseLogCannotBeReadIsNotFinished(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("sweep");
        Path log = dir.resolve(SweepLog.FILE);
        String[] args = {"--benchmark", BENCH, "-p", "model=fits1", "-p", "engine=sleep", "-f", "1", "-wi", "0", "-i", "1",
                "--min-seconds", "0.03", "--min-batches", "20000", "--stop-after", "24", "-jvmArgsAppend",
                "-D" + SleepBenchmark.TRACE + "=" + log, "--out", dir.toString()};
        List<String> said = new ArrayList<>();
        assertEquals(1, runCapturing(args, "[sweep] ", said), String.valueOf(said));
        assertTrue(said.stream().anyMatch(l -> l.startsWith("[sweep] stopping: re-run of fits1 / sleep batch 1 ")), String.valueOf(said));
        assertEquals(List.of("[sweep] the sweep: whether its --stop-after left ladders to run is not known (" + log
                + " line 1 is not a sweep log entry: expected one JSON object with model, engine, batchSize (a whole number"
                + " >= 1) and status); what it measured stays in " + dir + ", and --resume continues it once " + log + " can be read"),
                said.stream().filter(l -> l.contains("left ladders")).toList());
        assertTrue(said.get(said.size() - 1).startsWith("[sweep] summary: " + dir.resolve(Summary.FILE)), String.valueOf(said));
        assertTrue(Files.isRegularFile(dir.resolve(Summary.FILE)));
        try (var files = Files.list(dir.resolve("short"))) {
            assertEquals(1, files.count(), "the short run is kept");
        }
    }

    /**
     * 0.03 s iterations at batch 1 hold ~30 batches of the 20000 asked for: the re-run needs 20000 x 1 ms x 1.2 = 24 s
     * iterations, more than --stop-after 24 can leave, so the sweep stops before it. The first run starts (15 s assumed
     * overhead + 0.03 s) where the sweep comes to it within 9 s, which a loaded host, in a VM that has run no sweep yet,
     * takes several seconds of. The resumed sweep starts from the short run kept aside and stops at once.
     */
    @Test
    void stopAfterStopsBeforeAReRunPredictedToEndTooLate(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("sweep");
        String[] args = {"--benchmark", BENCH, "-p", "model=fits1", "-p", "engine=sleep", "-f", "1", "-wi", "0", "-i", "1",
                "--min-seconds", "0.03", "--min-batches", "20000", "--stop-after", "24", "--out", dir.toString()};
        List<String> stopping = new ArrayList<>();
        assertEquals(0, runCapturing(args, "[sweep] stopping: ", stopping), "stopping is not a failure");
        assertEquals(1, stopping.size(), String.valueOf(stopping));
        assertTrue(stopping.get(0).matches("\\[sweep] stopping: re-run of fits1 / sleep batch 1 predicted \\d+\\.\\d s, "
                + "\\d+\\.\\d s left of --stop-after 24; --resume continues here"), stopping.get(0));
        List<SweepLog.Entry> log = SweepLog.read(dir, System.out);
        assertEquals(1, log.size(), String.valueOf(log));
        assertEquals(SweepLog.RERUN, log.get(0).status());
        assertEquals(30, Measurement.read(dir.resolve(log.get(0).file())).iterationMillis(), "the short run is kept");
        assertNull(outcome(log, "sleep", 1), "no outcome: --resume runs it");
        assertFalse(Files.exists(dir.resolve("fits1-sleep-b1.json")));

        String[] resume = Arrays.copyOf(args, args.length + 1);
        resume[args.length] = "--resume";
        stopping.clear();
        assertEquals(0, runCapturing(resume, "[sweep] stopping: ", stopping));
        assertEquals(1, stopping.size(), String.valueOf(stopping));
        assertTrue(stopping.get(0).startsWith("[sweep] stopping: fits1 / sleep batch 1 predicted "), stopping.get(0));
        double predicted = Double.parseDouble(stopping.get(0).replaceAll(".* predicted (\\S+) s,.*", "$1"));
        // the short run's wall time beyond its 0.03 s iteration (a forked VM here, a minute of cuDNN tuning at a
        // large batch on a GPU) is the overhead, not the 15 s assumed before this sweep has finished a run
        Measurement shortRun = Measurement.read(dir.resolve(log.get(0).file()));
        double iteration = IterationTime.rerunMillis(30, 20000, shortRun.slowestBatchesPerSecond(), 30) / 1000.0;
        double shortOverhead = log.get(0).seconds() - Math.max(0.03, 1 / shortRun.batchesPerSecond());
        assertTrue(iteration >= 24, "20000 batches of >= 1 ms, with head room: " + iteration);
        assertEquals(iteration + shortOverhead, predicted, 0.1, "the re-run's iteration plus the short run's own overhead ("
                + shortOverhead + " s), not the 15 s assumed before a sweep has finished a run: " + stopping.get(0));
        assertEquals(1, SweepLog.read(dir, System.out).size(), "nothing was run again");
    }

    /**
     * A resumed sweep whose previous rung was done earlier predicts the next run with that rung's overhead as its log
     * line recorded it (its wall time beyond its own iterations: a forked VM's start), not the 15 s assumed before this
     * process has finished a run. The log is made that of batch 1 run once, its line's seconds its one iteration and
     * 3 s: a loaded host takes 15 s and more to start and run the fork, an overhead that would not tell the two apart,
     * and may hold fewer than 2 batches in the 0.03 s iteration, whose re-run's line takes its short run's seconds out.
     */
    @Test
    void aResumedSweepPredictsWithTheOverheadOfThePreviousRungsLogLine(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("sweep");
        List<String> base = List.of("--benchmark", BENCH, "-p", "model=fits4", "-p", "engine=sleep", "-f", "1", "-wi", "0",
                "-i", "1", "-v", "SILENT", "--min-seconds", "0.03", "--min-batches", "2", "--out", dir.toString());
        assertEquals(0, SweepCommand.run(with(base, "--max-batch", "1")));
        Measurement m = Measurement.read(dir.resolve(outcome(SweepLog.read(dir, System.out), "sleep", 1).file()));
        double iterationB1 = Math.max(m.iterationMillis() / 1000.0, 1 / m.batchesPerSecond());
        double overhead = 3;
        Path logFile = dir.resolve(SweepLog.FILE);
        List<String> lines = new ArrayList<>();
        for (String line : Files.readAllLines(logFile)) {
            JsonObject e = JsonParser.parseString(line).getAsJsonObject();
            if (e.get("status").getAsString().equals(SweepLog.DONE)) {
                e.addProperty("seconds", iterationB1 + overhead);
            }
            if (!e.get("status").getAsString().equals(SweepLog.RERUN)) {
                lines.add(e.toString());
            }
        }
        Files.write(logFile, lines);

        List<String> stopping = new ArrayList<>();
        assertEquals(0, runCapturing(with(base, "--max-batch", "2", "--stop-after", "0.001", "--resume"), "[sweep] stopping: ",
                stopping));
        assertEquals(1, stopping.size(), String.valueOf(stopping));
        double predicted = Double.parseDouble(stopping.get(0).replaceAll(".* predicted (\\S+) s,.*", "$1"));
        double iteration = Math.max(IterationTime.chooseMillis(30, 2, m.slowestBatchesPerSecond(), 1, 2) / 1000.0,
                RunTime.batchSeconds(m, 2));
        assertEquals(iteration + overhead, predicted, 0.1, stopping.get(0));
        assertTrue(predicted < RunTime.DEFAULT_OVERHEAD_SECONDS, "a VM start, not the 15 s assumed: " + stopping.get(0));
    }

    /**
     * Earlier sweeps were stopped before re-running fits1 / sleep batch 1 twice (two "rerun" lines, each with its short
     * run kept aside; here a real run whose rate is written 1000x faster, as a rate that fell with longer runs would
     * leave it, and fast enough that 40 of its batches take under 31 ms however slowly a loaded host ran the real one):
     * the resumed run starts from the latest short run and is the configuration's third, so though it holds about 31 of
     * the 40 batches asked for it is kept as the result, saying so, and not run a fourth and fifth time. A short
     * run of another GPU, or one that cannot be read any more, counts for nothing.
     */
    @Test
    void shortRunsOfStoppedSweepsCountTowardTheThreeRuns(@TempDir Path tmp) throws Exception {
        Path real = tmp.resolve("real");
        List<String> args = List.of("--benchmark", BENCH, "-p", "model=fits1", "-p", "engine=sleep", "-f", "1", "-wi", "0",
                "-i", "1", "-v", "SILENT", "--min-seconds", "0.03", "--max-batch", "1");
        assertEquals(0, SweepCommand.run(with(args, "--min-batches", "1", "--out", real.toString())));
        JsonArray faster = JsonParser.parseString(Files.readString(real.resolve("fits1-sleep-b1.json"))).getAsJsonArray();
        JsonObject primary = faster.get(0).getAsJsonObject().getAsJsonObject("primaryMetric");
        primary.addProperty("score", primary.get("score").getAsDouble() * 1000);
        for (var fork : primary.getAsJsonArray("rawData")) {
            JsonArray iterations = fork.getAsJsonArray();
            for (int i = 0; i < iterations.size(); i++) {
                iterations.set(i, new com.google.gson.JsonPrimitive(iterations.get(i).getAsDouble() * 1000));
            }
        }

        Path dir = tmp.resolve("sweep");
        String[] sweep = with(args, "--min-batches", "40", "--out", dir.toString());
        assertEquals(0, SweepCommand.run(with(List.of(sweep), "--stop-after", "0.001")), "stopped before anything ran");
        assertEquals(List.of(), SweepLog.read(dir, System.out));
        Files.createDirectories(dir.resolve("short"));
        SweepLog log = new SweepLog(dir);
        for (int k = 1; k <= 2; k++) {
            String file = "short/fits1-sleep-b1.try" + k + ".json";
            Files.writeString(dir.resolve(file), faster.toString());
            log.append(new SweepLog.Entry("2026-12-06T10:0" + k + ":00Z", "fits1", "sleep", 1, SweepLog.RERUN,
                    "slowest iteration held 29.0 batches (< 40)", file, 1.5, null, null, null, null));
        }
        log.append(new SweepLog.Entry("2026-12-06T10:03:00Z", "fits1", "sleep", 1, SweepLog.RERUN,
                "a short run on another GPU", "short/fits1-sleep-b1.try2.json", 1.5, "NVIDIA H100 80GB HBM3", "GPU-other", null, null));
        assertEquals(0, SweepCommand.run(with(List.of(sweep), "--resume")));
        List<SweepLog.Entry> after = SweepLog.read(dir, System.out).stream().filter(e -> e.batchSize() == 1).toList();
        assertEquals(4, after.size(), "one line more, no new re-run: " + after);
        SweepLog.Entry done = after.get(3);
        assertEquals(SweepLog.DONE, done.status(), String.valueOf(done));
        Measurement m = Measurement.read(dir.resolve(done.file()));
        assertEquals(31, m.iterationMillis(), "started from the short run kept aside: 1 ms longer than its 30 ms");
        assertTrue(IterationTime.batchesPerIteration(m.slowestBatchesPerSecond(), m.iterationMillis()) < 40, String.valueOf(m));
        assertTrue(done.reason().matches("slowest iteration held only \\d+\\.\\d batches \\(< 40\\) after 3 runs"),
                done.reason());

        // the short runs gone: the configuration starts as if new, its first run of three
        Path again = tmp.resolve("again");
        String[] fresh = with(args, "--min-batches", "40", "--out", again.toString());
        assertEquals(0, SweepCommand.run(with(List.of(fresh), "--stop-after", "0.001")));
        SweepLog lost = new SweepLog(again);
        for (int k = 1; k <= 2; k++) {
            lost.append(new SweepLog.Entry("2026-12-06T10:0" + k + ":00Z", "fits1", "sleep", 1, SweepLog.RERUN,
                    "slowest iteration held 29.0 batches (< 40)", "short/fits1-sleep-b1.try" + k + ".json", 1.5, null, null, null, null));
        }
        assertEquals(0, SweepCommand.run(with(List.of(fresh), "--resume")));
        List<SweepLog.Entry> anew = SweepLog.read(again, System.out).stream().filter(e -> e.batchSize() == 1).toList();
        assertEquals(SweepLog.RERUN, anew.get(2).status(), "a short first run is run again: " + anew);
        assertEquals(SweepLog.DONE, anew.get(anew.size() - 1).status(), String.valueOf(anew));
        assertEquals("", anew.get(anew.size() - 1).reason(), "the re-run held enough: " + anew);
    }

    /**
     * A smaller --max-batch that ended the ladder below a configuration stopped before its re-run settles nothing: the
     * short runs logged before that line still count when a larger --max-batch resumes it.
     */
    @Test
    void anAboveMaxBatchLineKeepsTheShortRunsCount() {
        SweepLog.Entry rerun = new SweepLog.Entry("2026-12-06T10:01:00Z", "m", "e", 2, SweepLog.RERUN, "short", "short/m-e-b2.try1.json",
                1.5, null, null, null, null);
        SweepLog.Entry above = new SweepLog.Entry("2026-12-06T10:02:00Z", "m", "e", 2,
                SweepLog.status(NotRun.Kind.ABOVE_MAX_BATCH), "not measured: above the sweep's --max-batch 1", null, 0, null, null, null, null);
        SweepLog.Entry done = new SweepLog.Entry("2026-12-06T10:03:00Z", "m", "e", 2, SweepLog.DONE, "", "m-e-b2.json", 3, null, null, null, null);
        assertEquals(2, Resume.of(List.of(rerun, rerun, above)).pendingShortRuns("m", "e", 2, OnGpu.NONE));
        assertEquals(0, Resume.of(List.of(rerun, rerun, above)).pendingShortRuns("m", "e", 2, new OnGpu("G", "GPU-other", null, null)),
                "another GPU's");
        assertEquals(0, Resume.of(List.of(rerun, rerun, done)).pendingShortRuns("m", "e", 2, OnGpu.NONE), "a result settles them");
    }

    /** A resumed sweep whose run falls short again keeps the earlier sweep's short run: try1 taken, so try2. */
    @Test
    void aShortRunNeverReplacesOneKeptEarlier(@TempDir Path tmp) throws Exception {
        assertEquals(tmp.resolve("m-e-b8.try1.json"), SweepDirectory.freeTryName(tmp, "m-e-b8.json", 1));
        Files.writeString(tmp.resolve("m-e-b8.try1.json"), "[]");
        Files.writeString(tmp.resolve("m-e-b8.try2.json"), "[]");
        assertEquals(tmp.resolve("m-e-b8.try3.json"), SweepDirectory.freeTryName(tmp, "m-e-b8.json", 1));
        assertEquals(tmp.resolve("m-e-b8.try3.json"), SweepDirectory.freeTryName(tmp, "m-e-b8.json", 2));
        assertEquals(tmp.resolve("m-e-b16.try1.json"), SweepDirectory.freeTryName(tmp, "m-e-b16.json", 1), "per configuration");
    }

    /**
     * Only a fork whose VM did not start stops the sweep (gpuenergy.cli.ForkThatDidNotStartTest): after a fork whose VM
     * started and died (exit code 3) and an ordinary error, the sweep goes on with the next ladder.
     */
    @Test
    void aForkThatDiedOrAnErrorDoesNotStopTheSweep(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("sweep");
        List<String> lines = new ArrayList<>();
        int rc = runCapturing(new String[] {"--benchmark", BENCH, "-p", "model=fits1", "-p", "engine=halt,broken,sleep",
                "--min-seconds", "0.03", "--min-batches", "2", "--max-batch", "1", "--out", dir.toString()},
                "[sweep] ", lines);
        assertEquals(1, rc, "two ladders failed");
        assertEquals(1, Measurement.read(dir.resolve("fits1-sleep-b1.json")).batchSize(), lines.toString());
        assertEquals(Map.of("halt-b1", "error", "broken-b1", "error", "sleep-b2", "above-max-batch"), notRunKinds(dir));
        assertTrue(lines.contains("[sweep] fits1 / halt batch 1 FAILED; going on with the next model/engine: "
                + "forked VM failed with exit code 3"), lines.toString());
        assertFalse(lines.stream().anyMatch(l -> l.startsWith("[sweep] stopping")), lines.toString());
    }

    /** Runs the sweep and collects the lines of its console output that start with {@code prefix}. */
    private static int runCapturing(String[] args, String prefix, List<String> lines) {
        return runCapturing(args, RunHooks.NONE, prefix, lines);
    }

    private static int runCapturing(String[] args, RunHooks hooks, String prefix, List<String> lines) {
        PrintStream console = System.out;
        System.setOut(new PrintStream(new FilterOutputStream(console) {
            private final StringBuilder line = new StringBuilder();

            @Override
            public void write(int b) throws IOException {
                super.write(b);
                if (b == '\n') {
                    if (line.toString().startsWith(prefix)) {
                        lines.add(line.toString());
                    }
                    line.setLength(0);
                } else {
                    line.append((char) b);
                }
            }
        }, true));
        try {
            return SweepCommand.run(args, hooks);
        } finally {
            System.setOut(console);
        }
    }

    /** A run whose result cannot be read took its time as any other: the next progress line's ETA counts it. */
    @Test
    void aRunWithAnUnreadableResultCountsTowardTheEta(@TempDir Path tmp) throws Exception {
        List<String> progress = new ArrayList<>();
        int rc = runCapturing(new String[] {"--benchmark", BENCH, "-p", "model=fits1,fits2", "-p", "engine=sleep",
                "--min-seconds", "0.03", "--min-batches", "2", "--max-batch", "1", "--out", tmp.resolve("sweep").toString()},
                new RunHooks() {
                    @Override
                    public void finish(Path f) throws IOException {
                        if (f.getFileName().toString().contains("fits1")) {
                            Files.writeString(f, "[]"); // no result in it
                        }
                    }
                }, "[sweep] fits", progress);
        assertEquals(1, rc, "an error fails the sweep");
        List<String> second = progress.stream().filter(l -> l.startsWith("[sweep] fits2 / sleep batch 1 |")).toList();
        assertEquals(1, second.size(), progress.toString());
        assertTrue(second.get(0).contains("(1 run so far, mean "), second.get(0));
    }

    /** A ladder measured with one set of iterations and continued with another would mix them: --resume refuses. */
    @Test
    void resumeWithOtherMeasurementSettingsIsRefusedInOneLine(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("sweep");
        List<String> args = List.of("--benchmark", BENCH, "-p", "model=fits1", "-p", "engine=sleep", "--min-seconds", "0.03",
                "--min-batches", "2", "--max-batch", "1", "--out", dir.toString());
        assertEquals(0, SweepCommand.run(args.toArray(new String[0])));

        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        PrintStream saved = System.err;
        System.setErr(new PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            List<String> moreIterations = new ArrayList<>(args);
            moreIterations.addAll(List.of("--resume", "-i", "2"));
            assertEquals(2, SweepCommand.run(moreIterations.toArray(new String[0])));
            assertEquals("sweep: --resume: " + dir + " was measured with -i 1; this command gives -i 2: its ladders would mix "
                    + "measurement settings; give the same options, or sweep into another --out\n", err.toString());
            err.reset();
            List<String> longer = new ArrayList<>(args);
            longer.set(longer.indexOf("0.03"), "0.05");
            longer.addAll(List.of("--resume", "-p", "device=gpu:0"));
            assertEquals(2, SweepCommand.run(longer.toArray(new String[0])));
            assertTrue(err.toString().contains("was measured with --min-seconds 0.03, -p device (none); this command gives "
                    + "--min-seconds 0.05, -p device gpu:0"), err.toString());
            err.reset();
            // -gc shapes the iterations: given now and not then is other settings too
            List<String> perIteration = new ArrayList<>(args);
            perIteration.addAll(List.of("--resume", "-gc", "true"));
            assertEquals(2, SweepCommand.run(perIteration.toArray(new String[0])));
            assertTrue(err.toString().contains("was measured with -gc (none); this command gives -gc true"), err.toString());
        } finally {
            System.setErr(saved);
        }
        // what only chooses configurations may change: a larger --max-batch continues the ladder
        List<String> higher = new ArrayList<>(args);
        higher.set(higher.indexOf("--max-batch") + 1, "2");
        higher.add("--resume");
        assertEquals(0, SweepCommand.run(higher.toArray(new String[0])));
        assertEquals(NotRun.Kind.DID_NOT_FIT, outcome(SweepLog.read(dir, System.out), "sleep", 2).kind());
        assertEquals(2, Files.readAllLines(dir.resolve(SweepDirectory.COMMANDS_FILE)).size(), "refused commands are not recorded");
    }

    /**
     * libtorch's thread count sets the pace where a batch is launch-bound: a ladder measured under java
     * -Dai.djl.pytorch.num_threads=2 continues under 2, and a --resume under another count, or none, is refused in one
     * line. The count is the one given at launch, not this VM's property, which the suite's libtorch loader sets in a VM
     * that loads it: a sweep given none records none, whatever the property, and continues given none. A record from
     * before the count was recorded continues under any count.
     */
    @Test
    void resumeWithAnotherThreadCountIsRefusedInOneLine(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("sweep");
        List<String> args = List.of("sweep", "--benchmark", BENCH, "-p", "model=fits1", "-p", "engine=sleep", "--min-seconds",
                "0.03", "--min-batches", "1", "--max-batch", "1", "--out", dir.toString());
        List<String> resume = new ArrayList<>(args);
        resume.add("--resume");
        Path log = tmp.resolve("launcher.log");
        assertEquals(0, launched(log, "2", args), Files.readString(log));
        String threads = "-D" + SuiteSetting.TORCH_THREADS.property();
        for (String other : new String[] {"3", null}) {
            assertEquals(2, launched(log, other, resume), Files.readString(log));
            assertEquals("sweep: --resume: " + dir + " was measured with " + threads + " 2; this command gives " + threads + " "
                    + (other == null ? "(none)" : other) + ": its ladders would mix measurement settings; give the same "
                    + "options, or sweep into another --out\n", Files.readString(log));
        }
        assertEquals(0, launched(log, "2", resume), Files.readString(log));
        // a record from before the count was recorded: neither the count nor its name in the list of what is recorded
        // where given, so another count is not compared with it
        JsonObject old = JsonParser.parseString(Files.readString(dir.resolve(SweepSettings.FILE))).getAsJsonObject();
        String oldListed = old.get("recorded where given").getAsString();
        assertTrue(oldListed.contains(" " + threads) && old.has(threads), old.toString());
        old.remove(threads);
        old.addProperty("recorded where given", oldListed.replace(" " + threads, ""));
        Files.writeString(dir.resolve(SweepSettings.FILE), old.toString());
        assertEquals(0, launched(log, "3", resume), Files.readString(log));

        Path none = tmp.resolve("none");
        String before = System.getProperty(SuiteSetting.TORCH_THREADS.property());
        System.setProperty(SuiteSetting.TORCH_THREADS.property(), "7"); // as the suite's libtorch loader sets it in this VM
        try {
            List<String> inProcess = new ArrayList<>(args.subList(1, args.size() - 1));
            inProcess.add(none.toString());
            assertEquals(0, SweepCommand.run(inProcess.toArray(new String[0])));
            JsonObject record = JsonParser.parseString(Files.readString(none.resolve(SweepSettings.FILE))).getAsJsonObject();
            assertFalse(record.has(threads), record.toString());
            inProcess.add("--resume");
            assertEquals(0, SweepCommand.run(inProcess.toArray(new String[0])));
        } finally {
            if (before == null) {
                System.clearProperty(SuiteSetting.TORCH_THREADS.property());
            } else {
                System.setProperty(SuiteSetting.TORCH_THREADS.property(), before);
            }
        }
    }

    /** The launcher as users start it, java given {@code threads} as libtorch's thread count (null: none); its exit code. */
    private static int launched(Path log, String threads, List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djmh.ignoreLock=true"));
        if (threads != null) {
            cmd.add("-D" + SuiteSetting.TORCH_THREADS.property() + "=" + threads);
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), gpuenergy.cli.Main.class.getName()));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("still running after 60 s: " + cmd);
        }
        return p.exitValue();
    }

    /** Java names only the path ("/proc/foo"); the line says what failed and why. */
    @Test
    void anOutDirectoryThatCannotBeCreatedIsOneLineSayingWhy() throws Exception {
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        PrintStream saved = System.err;
        System.setErr(new PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
        int rc;
        try {
            rc = SweepCommand.run(new String[] {"--benchmark", BENCH, "--out", "/proc/foo"});
        } finally {
            System.setErr(saved);
        }
        assertEquals(1, rc);
        assertEquals("sweep: cannot create the --out directory /proc/foo: no such file or directory\n",
                err.toString(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void refusesToMixIntoAnExistingSweepWithoutResume(@TempDir Path tmp) throws Exception {
        Files.writeString(tmp.resolve("sweep.jsonl"), "");
        assertEquals(2, SweepCommand.run(new String[] {"--benchmark", BENCH, "--out", tmp.toString()}));
        assertEquals(2, SweepCommand.run(new String[] {"--benchmark", "no.such.Benchmark.method", "--out", tmp.resolve("x").toString()}));
        assertFalse(Files.exists(tmp.resolve("x")));
    }

    @Test
    void finisherPostProcessesEachResultBeforeItIsPublished(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("sweep");
        List<Path> finished = new ArrayList<>();
        int rc = SweepCommand.run(new String[] {"--benchmark", BENCH, "-p", "model=fits2", "-p", "engine=sleep",
                "--min-seconds", "0.05", "--min-batches", "3", "--out", dir.toString()}, new RunHooks() {
                    @Override
                    public void finish(Path f) throws IOException {
                        // what the launcher's enrichment does: add to each entry, in place
                        JsonArray a = JsonParser.parseString(Files.readString(f)).getAsJsonArray();
                        JsonObject env = new JsonObject();
                        env.addProperty("finisher", "ran");
                        a.get(0).getAsJsonObject().add("environment", env);
                        Files.writeString(f, a.toString());
                        finished.add(f);
                    }
                });
        assertEquals(0, rc);
        assertEquals(2, finished.size());
        for (int b : new int[] {1, 2}) {
            JsonObject entry = JsonParser.parseString(Files.readString(dir.resolve("fits2-sleep-b" + b + ".json")))
                    .getAsJsonArray().get(0).getAsJsonObject();
            assertEquals("ran", entry.getAsJsonObject("environment").get("finisher").getAsString());
        }
        assertEquals(NotRun.Kind.DID_NOT_FIT, SweepLog.read(dir, System.out).get(SweepLog.read(dir, System.out).size() - 1).kind());
    }
}
