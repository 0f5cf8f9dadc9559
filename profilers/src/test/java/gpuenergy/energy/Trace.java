package gpuenergy.energy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An NVML trace recorded on a real GPU by tools/record_nvml_trace.py:
 * "# gpu=... driver=... limit_mw=... load=... hz=...", then t_ns,energy_mj,power_mw,phase.
 */
public final class Trace {
    public final String name;
    public final String header;
    public final long[] t;
    public final long[] energyMj;
    public final long[] powerMw;
    public final String[] phase;

    private Trace(String name, String header, long[] t, long[] energyMj, long[] powerMw, String[] phase) {
        this.name = name;
        this.header = header;
        this.t = t;
        this.energyMj = energyMj;
        this.powerMw = powerMw;
        this.phase = phase;
    }

    public static Trace load(String resource) throws IOException {
        try (InputStream in = Trace.class.getResourceAsStream("/traces/" + resource)) {
            if (in == null) {
                throw new IOException("test resource /traces/" + resource + " missing");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String header = r.readLine();
            if (header == null || !header.startsWith("# gpu=")) {
                throw new IOException(resource + ": first line is not '# gpu=...'");
            }
            if (!"t_ns,energy_mj,power_mw,phase".equals(r.readLine())) {
                throw new IOException(resource + ": second line is not the column header");
            }
            List<String[]> rows = new ArrayList<>();
            for (String line; (line = r.readLine()) != null; ) {
                if (!line.isBlank()) {
                    rows.add(line.split(","));
                }
            }
            int n = rows.size();
            long[] t = new long[n], e = new long[n], p = new long[n];
            String[] phase = new String[n];
            for (int i = 0; i < n; i++) {
                String[] row = rows.get(i);
                t[i] = Long.parseLong(row[0]);
                e[i] = Long.parseLong(row[1]);
                p[i] = Long.parseLong(row[2]);
                phase[i] = row[3];
            }
            return new Trace(resource, header, t, e, p, phase);
        }
    }

    public int size() {
        return t.length;
    }

    /** Header field, e.g. "limit_mw". */
    public String header(String key) {
        for (String part : header.substring(2).split(" ")) {
            if (part.startsWith(key + "=")) {
                return part.substring(key.length() + 1);
            }
        }
        throw new IllegalArgumentException(name + ": no " + key + " in header");
    }

    public long firstTime(String phaseName) {
        for (int i = 0; i < phase.length; i++) {
            if (phase[i].equals(phaseName)) {
                return t[i];
            }
        }
        throw new IllegalArgumentException(name + ": no phase " + phaseName);
    }

    public long lastTime(String phaseName) {
        for (int i = phase.length - 1; i >= 0; i--) {
            if (phase[i].equals(phaseName)) {
                return t[i];
            }
        }
        throw new IllegalArgumentException(name + ": no phase " + phaseName);
    }

    public EnergyCounterWindow counter() {
        return EnergyCounterWindow.of(t, energyMj, size());
    }

    /** The counter's steps, placed as EnergyCounterWindow places them: midway between the samples around a change. */
    public long[] edgeTimesNs() {
        long[] edges = new long[size()];
        int n = 0;
        for (int i = 1; i < size(); i++) {
            if (energyMj[i] != energyMj[i - 1]) {
                edges[n++] = t[i - 1] + (t[i] - t[i - 1]) / 2;
            }
        }
        return Arrays.copyOf(edges, n);
    }

    public long firstEdgeNs() {
        return edgeTimesNs()[0];
    }

    /** Median time between consecutive counter steps, milliseconds. */
    public double medianEdgeIntervalMs() {
        long[] e = edgeTimesNs();
        long[] d = new long[e.length - 1];
        for (int i = 1; i < e.length; i++) {
            d[i - 1] = e[i] - e[i - 1];
        }
        Arrays.sort(d);
        return (d.length % 2 == 1 ? d[d.length / 2] : (d[d.length / 2 - 1] + d[d.length / 2]) / 2.0) / 1e6;
    }

    /** The trace as a poller at most {@code hz} would have seen it: a sample is kept when >= 1/hz after the last kept. */
    public Trace decimated(double hz) {
        long minGap = (long) (1e9 / hz);
        int[] keep = new int[size()];
        int k = 0;
        long last = Long.MIN_VALUE / 2;
        for (int i = 0; i < size(); i++) {
            if (t[i] - last >= minGap) {
                keep[k++] = i;
                last = t[i];
            }
        }
        long[] dt = new long[k], de = new long[k], dp = new long[k];
        String[] dph = new String[k];
        for (int j = 0; j < k; j++) {
            dt[j] = t[keep[j]];
            de[j] = energyMj[keep[j]];
            dp[j] = powerMw[keep[j]];
            dph[j] = phase[keep[j]];
        }
        return new Trace(name + "@" + hz + "Hz", header, dt, de, dp, dph);
    }

    @Override
    public String toString() {
        return name + " (" + size() + " samples, " + Arrays.stream(phase).distinct().toList() + ")";
    }
}
