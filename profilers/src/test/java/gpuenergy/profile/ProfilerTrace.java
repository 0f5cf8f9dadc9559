package gpuenergy.profile;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A trace the profiler wrote ({@code trace=DIR}, {@link SampleTrace}), from the test resources: its rows and its
 * {@code # window,kind,index,t0,t1} lines.
 */
record ProfilerTrace(long[] t, long[] energyMj, long[] powerMw, List<String[]> windowLines) {

    static ProfilerTrace load(String resource) throws IOException {
        try (InputStream in = ProfilerTrace.class.getResourceAsStream("/traces/" + resource)) {
            if (in == null) {
                throw new IOException("test resource /traces/" + resource + " missing");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            List<long[]> rows = new ArrayList<>();
            List<String[]> windows = new ArrayList<>();
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("# window,")) {
                    windows.add(line.substring(2).split(","));
                } else if (!line.startsWith("#") && !line.startsWith("t_ns") && !line.isBlank()) {
                    String[] f = line.split(",");
                    rows.add(new long[]{Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2])});
                }
            }
            return new ProfilerTrace(rows.stream().mapToLong(x -> x[0]).toArray(), rows.stream().mapToLong(x -> x[1]).toArray(),
                    rows.stream().mapToLong(x -> x[2]).toArray(), windows);
        }
    }

    /** The windows of this kind (idle, warmup, measurement), as {t0, t1}. */
    List<long[]> windows(String kind) {
        return windowLines.stream().filter(w -> w[1].equals(kind)).map(w -> new long[]{Long.parseLong(w[3]), Long.parseLong(w[4])})
                .toList();
    }
}
