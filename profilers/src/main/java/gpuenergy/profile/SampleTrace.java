package gpuenergy.profile;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The raw record of one trial, written when the profiler has {@code trace=DIR}: every counter and power sample and
 * every window (idle baseline, warmup and measured iterations), so a device run can be re-analysed offline with
 * another energy method instead of being repeated. CSV: {@code t_ns,energy_mj,power_mw} (-1 where that
 * tick read none), and one {@code # window,kind,index,t0_ns,t1_ns} comment line per window as it closes, among the
 * samples (a reader takes them wherever they are). Samples are written as the profiler forgets them, so memory stays
 * bounded however long the trial runs; each window's line reaches the file at once, so a fork that dies mid-trial
 * leaves a trace up to its last window. A trace that cannot be written says so once and writes nothing more: the
 * measurement goes on without it.
 */
final class SampleTrace {
    /** Writes nothing: the profiler without {@code trace=DIR}. */
    static final SampleTrace OFF = new SampleTrace();

    private Writer out;

    private SampleTrace() {}

    SampleTrace(Writer out, String header) {
        this.out = out;
        write("# " + header + "\nt_ns,energy_mj,power_mw\n");
    }

    /** The trace of one trial in {@code dir}; {@link #OFF} when it cannot be created there (said in one line). */
    static SampleTrace open(Path dir, String fileName, String header) {
        try {
            Files.createDirectories(dir);
            return new SampleTrace(Files.newBufferedWriter(dir.resolve(fileName), StandardCharsets.UTF_8), header);
        } catch (IOException | RuntimeException e) {
            System.out.println("gpu energy: WARNING: cannot write the trace into " + dir + " (" + e + "); no trace");
            return OFF;
        }
    }

    /** A file name from the benchmark's parameter values: "resnet50-pytorch-fp32-128-auto" + pid. */
    static String fileName(List<String> paramValues, long pid) {
        String joined = String.join("-", paramValues).replaceAll("[^A-Za-z0-9._-]", "_");
        return (joined.isEmpty() ? "trial" : joined) + "-" + pid + ".csv";
    }

    /** Appends the samples with time before {@code beforeNs}. */
    void samples(CounterSamples s, long beforeNs) {
        if (out == null) {
            return;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.size() && s.tNs()[i] < beforeNs; i++) {
            sb.append(s.tNs()[i]).append(',').append(s.energyMj()[i]).append(',').append(s.powerMw()[i]).append('\n');
        }
        write(sb.toString());
    }

    /** Writes a window's line and flushes the file (in the pause after the window, outside any measured one). */
    void window(String kind, int index, long t0Ns, long t1Ns) {
        write("# window," + kind + "," + index + "," + t0Ns + "," + t1Ns + "\n");
        if (out != null) {
            try {
                out.flush();
            } catch (IOException e) {
                dropped(e);
            }
        }
    }

    /** Closes the file. */
    void close() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                dropped(e);
            }
            out = null;
        }
    }

    private void write(String s) {
        if (out == null) {
            return;
        }
        try {
            out.write(s);
        } catch (IOException e) {
            dropped(e);
        }
    }

    private void dropped(IOException e) {
        System.out.println("gpu energy: WARNING: trace write failed (" + e + "); no more trace");
        out = null;
    }
}
