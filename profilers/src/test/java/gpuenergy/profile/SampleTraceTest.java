package gpuenergy.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gpuenergy.energy.Trace;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleTraceTest {

    /** The recorded H100 trace, written as the profiler does (in pieces as it forgets), reads back sample for sample. */
    @Test
    void everySampleIsWrittenOnceWithItsWindows() throws IOException {
        Trace h100 = Trace.load("h100-resnet50-fp16-b128.csv");
        CounterSamples fast = new CounterSamples(h100.t, h100.energyMj, h100.powerMw);
        StringWriter csv = new StringWriter();
        SampleTrace trace = new SampleTrace(csv, "gpu=NVIDIA H100 80GB HBM3 GPU-x limit_w=700.0 hz=500");
        long mid = h100.t[h100.size() / 2];
        trace.window("warmup", 1, h100.t[10], h100.t[20]);
        trace.samples(fast, mid);                      // forget the first half
        CounterSamples rest = new CounterSamples(tail(h100.t, mid), tail(h100.energyMj, h100.t, mid), tail(h100.powerMw, h100.t, mid));
        trace.window("measurement", 1, mid, h100.t[h100.size() - 5]);
        trace.samples(rest, Long.MAX_VALUE);           // the trial ends
        trace.close();

        List<String> lines = csv.toString().lines().toList();
        assertEquals("# gpu=NVIDIA H100 80GB HBM3 GPU-x limit_w=700.0 hz=500", lines.get(0));
        assertEquals("t_ns,energy_mj,power_mw", lines.get(1));
        List<String> rows = lines.stream().filter(l -> !l.startsWith("#") && !l.startsWith("t_ns")).toList();
        assertEquals(h100.size(), rows.size(), "each sample once");
        for (int i = 0; i < h100.size(); i += 97) {
            assertEquals(h100.t[i] + "," + h100.energyMj[i] + "," + h100.powerMw[i], rows.get(i));
        }
        assertEquals(List.of("# window,warmup,1," + h100.t[10] + "," + h100.t[20],
                "# window,measurement,1," + mid + "," + h100.t[h100.size() - 5]),
                lines.stream().filter(l -> l.startsWith("# window,")).toList());
    }

    /**
     * A window's line is in the file as soon as the window is given, before the trial closes the trace: a fork that
     * dies mid-trial (a failed batch, kill -9) leaves its windows with the samples written so far.
     */
    @Test
    void aWindowReachesTheFileBeforeTheTrialEnds(@TempDir Path dir) throws IOException {
        Trace h100 = Trace.load("h100-resnet50-fp16-b128.csv");
        SampleTrace trace = SampleTrace.open(dir, "t.csv", "gpu=x");
        long mid = h100.t[h100.size() / 2];
        trace.samples(new CounterSamples(h100.t, h100.energyMj, h100.powerMw), mid);
        trace.window("measurement", 1, h100.t[10], mid);
        // no close: the fork dies here
        List<String> lines = Files.readAllLines(dir.resolve("t.csv"));
        assertEquals("# window,measurement,1," + h100.t[10] + "," + mid, lines.get(lines.size() - 1));
        assertEquals(h100.size() / 2, lines.stream().filter(l -> !l.isEmpty() && Character.isDigit(l.charAt(0))).count());
    }

    @Test
    void fileNamesComeFromTheParametersAndThePid() {
        assertEquals("128-auto-pytorch-fp16-resnet50-4242.csv", SampleTrace.fileName(List.of("128", "auto", "pytorch-fp16", "resnet50"), 4242));
        assertEquals("a_b-c_d-7.csv", SampleTrace.fileName(List.of("a/b", "c d"), 7));
        assertTrue(SampleTrace.fileName(List.of(), 1).startsWith("trial-"));
    }

    private static long[] tail(long[] t, long from) {
        return tail(t, t, from);
    }

    private static long[] tail(long[] column, long[] t, long from) {
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < t.length; i++) {
            if (t[i] >= from) {
                out.add(column[i]);
            }
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }
}
