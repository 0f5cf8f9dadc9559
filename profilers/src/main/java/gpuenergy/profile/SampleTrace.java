package gpuenergy.profile;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The raw record of one trial, written when the profiler has {@code trace=DIR}: every counter and power sample and
 * every window (idle baseline, warmup and measured iterations), so a device run can be re-analysed offline with
 * another energy method instead of being repeated. CSV: {@code t_ns,energy_mj,power_mw} (power -1 where that
 * sample read none), then one {@code # window,kind,index,t0_ns,t1_ns} comment line per window. Samples are
 * written as the profiler forgets them, so memory stays bounded however long the trial runs.
 */
final class SampleTrace implements AutoCloseable {
    private final Writer out;
    private final List<String> windows = new ArrayList<>();

    SampleTrace(Writer out, String header) {
        this.out = out;
        write("# " + header + "\nt_ns,energy_mj,power_mw\n");
    }

    static SampleTrace open(Path dir, String fileName, String header) throws IOException {
        Files.createDirectories(dir);
        BufferedWriter w = Files.newBufferedWriter(dir.resolve(fileName), StandardCharsets.UTF_8);
        return new SampleTrace(w, header);
    }

    /** A file name from the benchmark's parameter values: "resnet50-pytorch-fp32-128-auto" + pid. */
    static String fileName(List<String> paramValues, long pid) {
        String joined = String.join("-", paramValues).replaceAll("[^A-Za-z0-9._-]", "_");
        return (joined.isEmpty() ? "trial" : joined) + "-" + pid + ".csv";
    }

    /** Appends the rows of {@code fast} (NvmlSampler's columns) with time before {@code beforeNs}. */
    void samples(long[][] fast, long beforeNs) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < fast[NvmlSampler.T].length && fast[NvmlSampler.T][i] < beforeNs; i++) {
            sb.append(fast[NvmlSampler.T][i]).append(',').append(fast[NvmlSampler.ENERGY_MJ][i]).append(',')
                    .append(fast[NvmlSampler.POWER_MW][i]).append('\n');
        }
        write(sb.toString());
    }

    void window(String kind, int index, long t0Ns, long t1Ns) {
        windows.add("# window," + kind + "," + index + "," + t0Ns + "," + t1Ns + "\n");
    }

    @Override
    public void close() {
        write(String.join("", windows));
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void write(String s) {
        try {
            out.write(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
