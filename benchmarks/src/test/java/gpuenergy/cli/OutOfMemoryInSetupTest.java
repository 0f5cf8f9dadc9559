package gpuenergy.cli;

import gpuenergy.ConsoleCapture;
import gpuenergy.engine.OutOfMemory;
import gpuenergy.results.NotRun;
import gpuenergy.results.NotRunList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An OutOfMemoryError in the benchmark's setup is the trial's not-run, recorded by its fork in one line as
 * NotRunException.from classifies it (OutOfMemory.verdict), and JMH prints that line, no stack trace. The trigger is
 * the heap of the sweep recorded in src/test/resources/cpu/java-heap-in-setup.txt (its README gives the command), here
 * in a plain run: a fork whose heap is 6 MiB fills it in the setup, on DJL's CPU engine with the embedded model. The
 * fork names its collector, G1, as that sweep's had it: the VM's default depends on the host's CPUs and memory, and
 * with the Serial collector (one CPU) the setup runs in 6 MiB and the trial measures.
 */
class OutOfMemoryInSetupTest {

    @Test
    void aFullHeapInTheSetupIsTheTrialsOneLine(@TempDir Path dir) throws Exception {
        Path result = dir.resolve("r.json");
        ConsoleCapture run = SettingsTest.main("InferenceBenchmark.infer", "-p", "engine=pytorch-fp32", "-p", "batchSize=1",
                "-p", "device=cpu", "-wi", "0", "-i", "1", "-r", "100ms", "-rff", result.toString(),
                "-jvmArgsAppend", "-XX:+UseG1GC -Xms6m -Xmx6m");
        String printed = run.out() + run.err();
        assertEquals(1, run.rc(), printed);
        String line = "model 'mobilenetv3_small_100', engine 'pytorch-fp32': OutOfMemoryError: Java heap space ("
                + OutOfMemory.JvmLimit.JAVA_HEAP.reason() + ")";
        List<NotRun> listed = NotRunList.read(NotRunList.besides(result));
        assertEquals(List.of(line), listed.stream().map(NotRun::reason).toList(), printed);
        assertEquals(NotRun.Kind.ERROR, listed.get(0).kind());
        assertTrue(printed.contains("<failure>\n\n" + line + "\n"), printed);
        assertFalse(printed.contains("\tat "), printed);
    }
}
