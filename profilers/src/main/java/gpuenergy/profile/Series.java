package gpuenergy.profile;

import java.util.Arrays;

/**
 * Rows of longs appended by the sampler thread and copied out by the profiler thread; column 0 is time
 * (System.nanoTime). Synchronized: at a few hundred rows a second the lock is never contended for long.
 */
final class Series {
    private long[][] columns;
    private int rows;

    Series(int columnCount) {
        columns = new long[columnCount][1024];
    }

    synchronized void add(long... row) {
        if (rows == columns[0].length) {
            for (int c = 0; c < columns.length; c++) {
                columns[c] = Arrays.copyOf(columns[c], rows * 2);
            }
        }
        for (int c = 0; c < columns.length; c++) {
            columns[c][rows] = row[c];
        }
        rows++;
    }

    /** A copy of every column, trimmed to the rows present. */
    synchronized long[][] copy() {
        long[][] out = new long[columns.length][];
        for (int c = 0; c < columns.length; c++) {
            out[c] = Arrays.copyOf(columns[c], rows);
        }
        return out;
    }

    /** Forgets rows older than t, so a long trial does not grow without bound. */
    synchronized void dropBefore(long tNs) {
        int keepFrom = 0;
        while (keepFrom < rows && columns[0][keepFrom] < tNs) {
            keepFrom++;
        }
        for (int c = 0; c < columns.length; c++) {
            System.arraycopy(columns[c], keepFrom, columns[c], 0, rows - keepFrom);
        }
        rows -= keepFrom;
    }
}
