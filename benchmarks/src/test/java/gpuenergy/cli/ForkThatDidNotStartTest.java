package gpuenergy.cli;

import gpuenergy.ConsoleCapture;
import gpuenergy.results.NotRun;
import gpuenergy.results.NotRunList;
import gpuenergy.run.Failure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
