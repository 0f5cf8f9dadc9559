package gpuenergy.profile;

/**
 * The order of sampled and sat-out windows under {@code interleave=true}: ABBA blocks of four measured iterations, sat
 * out, sampled, sampled, sat out. Over each block both kinds have the same mean position in time, so a linear drift of
 * the benchmark's pace (temperature, clocks) weighs on both alike.
 */
public final class Interleave {
    /** The measured iterations of one ABBA block: a run of a multiple of this many compares whole blocks. */
    public static final int BLOCK = 4;

    private Interleave() {}

    /** Whether the measured iteration with this 0-based index is sampled (the other kind sits out). */
    public static boolean sampled(int measuredIndex) {
        if (measuredIndex < 0) {
            throw new IllegalArgumentException("measured iteration index " + measuredIndex + " < 0");
        }
        int k = measuredIndex % BLOCK;
        return k == 1 || k == 2;
    }
}
