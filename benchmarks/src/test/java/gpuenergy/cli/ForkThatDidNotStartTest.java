package gpuenergy.cli;

import gpuenergy.ConsoleCapture;
import gpuenergy.results.NotRun;
import gpuenergy.results.NotRunList;
import gpuenergy.run.Failure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A fork whose VM does not start with the run's options (-jvmArgsAppend -Xmx6m, below InferenceBenchmark's own -Xms1g;
 * HotSpot says why on its stdout) is recorded with HotSpot's line and what to fix, an error, not did-not-fit, and the
 * same by a plain run, a sweep and overhead (gpuenergy.run.Failure). Real runs through the launcher: each fork exits
 * at once, before any model loads.
 */
class ForkThatDidNotStartTest {
    private static final String REASON = "forked VM failed with exit code 1: Initial heap size set to a larger value than "
            + "the maximum heap size" + Failure.DID_NOT_START;
    private static final List<String> RUN = List.of("-p", "engine=pytorch-fp32", "-wi", "0", "-i", "1",
            "-jvmArgsAppend", "-Xmx6m");

    @Test
    void aPlainRunASweepAndOverheadRecordHotSpotsReason(@TempDir Path dir) throws Exception {
        Path result = dir.resolve("r.json");
        ConsoleCapture plain = run(List.of("InferenceBenchmark.infer", "-p", "batchSize=1", "-r", "100ms", "-rff",
                result.toString()));
        assertEquals(1, plain.rc(), plain.out() + plain.err());
        assertListed(NotRunList.besides(result), List.of(REASON), plain);

        Path sweep = dir.resolve("sweep");
        ConsoleCapture swept = run(List.of("sweep", "--max-batch", "1", "--min-seconds", "0.1", "--min-batches", "1",
                "--out", sweep.toString()));
        assertEquals(1, swept.rc(), swept.out() + swept.err());
        assertListed(sweep.resolve(NotRunList.SWEEP_FILE), List.of(REASON), swept);

        Path overhead = dir.resolve("overhead");
        ConsoleCapture compared = run(List.of("overhead", "-p", "batchSize=1", "-r", "100ms", "--variant", "off=",
                "--variant", "gc=gc", "--rounds", "1", "--out", overhead.toString()));
        assertEquals(1, compared.rc(), compared.out() + compared.err());
        assertListed(overhead.resolve("overhead.notrun.json"),
                List.of("variant off, round 1: " + REASON, "variant gc, round 1: " + REASON), compared);
    }

    /**
     * A sweep stops at the first fork whose VM did not start: every run forks with the same options. Two ladders of two
     * rungs each: the first rung is recorded (an error), the rest is not run, one line says why, and the exit status is
     * 1. --resume with other options (not among the settings it compares) runs that rung again.
     */
    @Test
    void aSweepStopsAtTheFirstForkWhoseVmDidNotStart(@TempDir Path dir) throws Exception {
        Path sweep = dir.resolve("sweep");
        List<String> command = List.of("sweep", "-p", "engine=pytorch-fp32,pytorch-fp16", "--max-batch", "2",
                "--min-seconds", "0.1", "--min-batches", "1", "-wi", "0", "-i", "1", "--out", sweep.toString());
        ConsoleCapture swept = SettingsTest.main(with(command, "-jvmArgsAppend", "-Xmx6m"));
        assertEquals(1, swept.rc(), swept.out() + swept.err());
        List<NotRun> listed = NotRunList.read(sweep.resolve(NotRunList.SWEEP_FILE));
        assertListed(sweep.resolve(NotRunList.SWEEP_FILE), List.of(REASON), swept);
        assertEquals("pytorch-fp32", listed.get(0).param("engine"));
        assertEquals("1", listed.get(0).param("batchSize"));
        assertEquals(1, count(swept.out(), "<forked VM failed with exit code 1>"), swept.out());
        assertEquals(List.of("[sweep] stopping: the forked VM does not start with this sweep's options (Initial heap "
                + "size set to a larger value than the maximum heap size), and every run forks with them; fix them, and "
                + "--resume continues here"), lines(swept.out(), "[sweep] stopping"), swept.out());
        assertEquals("", swept.err(), "the stop line says it all");

        ConsoleCapture again = SettingsTest.main(with(command, "--resume", "-jvmArgsAppend", "-Xmx7m"));
        assertEquals(1, again.rc(), again.out() + again.err());
        assertEquals(List.of("[sweep] mobilenetv3_small_100 / pytorch-fp32 batch 1 FAILED; the sweep stops: " + REASON),
                lines(again.out(), "[sweep] mobilenetv3_small_100 / pytorch-fp32 batch 1 FAILED"), again.out());
    }

    /**
     * overhead does not start again a variant whose forked VM did not start, in any configuration: its runs all fork
     * with its options. A variant whose own options start no VM leaves the others to run: here the baseline measures
     * both configurations.
     */
    @Test
    void overheadStopsTheVariantWhoseVmDidNotStartAlone(@TempDir Path dir) throws Exception {
        Path overhead = dir.resolve("overhead");
        ConsoleCapture compared = SettingsTest.main("overhead", "-p", "engine=pytorch-fp32", "-p", "batchSize=1,2",
                "-wi", "0", "-i", "1", "-r", "100ms", "--variant", "off=", "--variant", "small=-jvmArgsAppend -Xmx6m",
                "--rounds", "1", "--out", overhead.toString());
        assertEquals(1, compared.rc(), compared.out() + compared.err());
        assertListed(overhead.resolve("overhead.notrun.json"), List.of("variant small, round 1: " + REASON), compared);
        assertEquals(List.of("[overhead] variant small: its forked VM does not start with its options (Initial heap "
                + "size set to a larger value than the maximum heap size); its other runs are not started"),
                lines(compared.out(), "[overhead] variant "), compared.out());
        assertEquals(1, count(compared.out(), "<forked VM failed with exit code 1>"), compared.out());
        for (String batch : List.of("1", "2")) {
            assertTrue(Files.isRegularFile(overhead.resolve("engine=pytorch-fp32+batchSize=" + batch + ".r1.off.json")),
                    compared.out());
        }
    }

    private static String[] with(List<String> command, String... more) {
        List<String> args = new ArrayList<>(command);
        args.addAll(List.of(more));
        return args.toArray(new String[0]);
    }

    private static List<String> lines(String out, String prefix) {
        return out.lines().filter(l -> l.startsWith(prefix)).toList();
    }

    private static long count(String out, String line) {
        return out.lines().filter(line::equals).count();
    }

    /** {@code command} with {@link #RUN}'s options after its own. */
    private static ConsoleCapture run(List<String> command) {
        List<String> args = new ArrayList<>(command);
        args.addAll(RUN);
        return SettingsTest.main(args.toArray(new String[0]));
    }

    private static void assertListed(Path list, List<String> reasons, ConsoleCapture run) throws Exception {
        List<NotRun> entries = NotRunList.read(list);
        assertEquals(reasons, entries.stream().map(NotRun::reason).toList(), run.out() + run.err());
        entries.forEach(e -> assertEquals(NotRun.Kind.ERROR, e.kind(), e.toString()));
    }
}
