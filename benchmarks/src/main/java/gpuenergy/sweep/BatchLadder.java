package gpuenergy.sweep;

import java.util.ArrayList;
import java.util.List;

/** The paper's batch sizes: 1, 2, 4, ... doubling, up to a cap (the sweep stops earlier at out of memory). */
final class BatchLadder {
    /** Cap when --max-batch is not given: a CPU (or a huge GPU) never runs out of memory for small models. */
    static final int DEFAULT_MAX = 1 << 16;

    private BatchLadder() {}

    /** The batch after {@code batch}, or 0 when doubling passes {@code max}. */
    static int next(int batch, int max) {
        if (batch > max / 2) {
            return 0;
        }
        return batch * 2;
    }

    /** How many rungs remain from {@code batch} (included) up to {@code max}. */
    static int rungsFrom(int batch, int max) {
        int n = 0;
        for (int b = batch; b != 0 && b <= max; b = next(b, max)) {
            n++;
        }
        return n;
    }

    static List<Integer> sizes(int max) {
        List<Integer> sizes = new ArrayList<>();
        for (int b = 1; b != 0 && b <= max; b = next(b, max)) {
            sizes.add(b);
        }
        return sizes;
    }
}
