package gpuenergy.energy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Measured iterations of one JMH trial (src/test/resources/iterations/): "# gpu=... batch=N idle_w=W ...", then
 * batches_per_s,avg_w per iteration, copied from a committed result's rawData.
 *
 * @param batch          images per op
 * @param idleWatts      the trial's idle baseline
 * @param batchesPerSecond JMH's score per iteration
 * @param watts          the profiler's average power per iteration
 */
public record RecordedIterations(int batch, double idleWatts, double[] batchesPerSecond, double[] watts) {

    public static RecordedIterations load(String resource) throws IOException {
        try (InputStream in = RecordedIterations.class.getResourceAsStream("/iterations/" + resource)) {
            if (in == null) {
                throw new IOException("test resource /iterations/" + resource + " missing");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String header = r.readLine();
            if (!"batches_per_s,avg_w".equals(r.readLine())) {
                throw new IOException(resource + ": second line is not the column header");
            }
            List<double[]> rows = new ArrayList<>();
            for (String line; (line = r.readLine()) != null; ) {
                if (!line.isBlank()) {
                    String[] f = line.split(",");
                    rows.add(new double[]{Double.parseDouble(f[0]), Double.parseDouble(f[1])});
                }
            }
            return new RecordedIterations(Integer.parseInt(field(header, "batch")), Double.parseDouble(field(header, "idle_w")),
                    rows.stream().mapToDouble(x -> x[0]).toArray(), rows.stream().mapToDouble(x -> x[1]).toArray());
        }
    }

    private static String field(String header, String key) throws IOException {
        for (String part : header.split(" ")) {
            if (part.startsWith(key + "=")) {
                return part.substring(key.length() + 1);
            }
        }
        throw new IOException("no " + key + "= in '" + header + "'");
    }

    public double[] imagesPerSecond() {
        double[] v = batchesPerSecond.clone();
        for (int i = 0; i < v.length; i++) {
            v[i] *= batch;
        }
        return v;
    }

    public int size() {
        return watts.length;
    }
}
