package gpuenergy.bench;

import com.sun.jna.Library;
import com.sun.jna.Native;
import gpuenergy.options.SuiteSetting;

/**
 * Fixes glibc malloc's thresholds for the benchmark's process, so that every fork serves the engine's allocations
 * alike. Left to itself, glibc maps each block above its mmap threshold (128 KiB at first) freshly from the kernel and
 * unmaps it on free, and returns free memory above its trim threshold; the thresholds then move with what the process
 * happens to free first. A fork that keeps mapping and unmapping the engine's per-batch buffers faults each of their
 * pages in again on every batch (hundreds of minor faults a batch, {@code sched.minor-faults/op}); one whose thresholds
 * rose early reuses them. Which of the two a fork becomes is chance, and it holds for the whole run: on the CPU it made
 * runs of one configuration differ by tens of percent. With both thresholds set, blocks up to 32 MiB (glibc's upper
 * bound for the mmap threshold) stay in the heap once allocated, and the heap is not trimmed below 1 GiB of free
 * memory. Larger blocks are still mapped per use.
 */
public final class GlibcMalloc {
    private GlibcMalloc() {}

    static final int MMAP_THRESHOLD = 32 << 20;
    static final int TRIM_THRESHOLD = 1 << 30;
    /** mallopt's parameter numbers, from glibc's malloc.h. */
    private static final int M_TRIM_THRESHOLD = -1;
    private static final int M_MMAP_THRESHOLD = -3;

    interface C extends Library {
        /** glibc's only: absent from other C libraries, whose mallopt may accept a parameter and do nothing. */
        String gnu_get_libc_version();

        int mallopt(int param, int value);
    }

    private static String applied;

    /**
     * Sets the thresholds once per process, unless {@link SuiteSetting#MALLOC} says {@link SuiteSetting#GLIBC_OWN};
     * returns what the result's environment records: the thresholds set, or why the allocator was left as it is.
     */
    public static String fixThresholds() {
        return fixThresholds(SuiteSetting.GLIBC_OWN.equals(SuiteSetting.MALLOC.value()));
    }

    /** The first call's {@code keepGlibcOwn} stands for the process: mallopt's effect is not undone. */
    static synchronized String fixThresholds(boolean keepGlibcOwn) {
        if (applied == null) {
            applied = apply(keepGlibcOwn);
        }
        return applied;
    }

    private static String apply(boolean keepGlibcOwn) {
        C c;
        String version;
        try {
            c = Native.load("c", C.class);
            version = c.gnu_get_libc_version();
        } catch (LinkageError e) {
            // another C library lacks the symbol; or JNA's native part does not load here
            return "unchanged: glibc not found (" + e.getMessage() + ")";
        }
        if (keepGlibcOwn) {
            return "glibc " + version + ", its own thresholds (" + SuiteSetting.MALLOC.example() + ")";
        }
        // mallopt returns 1 on success, 0 on a value it refuses: each threshold says which it is
        String mmap = threshold("mmap_threshold", c.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD), MMAP_THRESHOLD);
        String trim = threshold("trim_threshold", c.mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD), TRIM_THRESHOLD);
        return "glibc " + version + ", " + mmap + ", " + trim;
    }

    private static String threshold(String name, int mallopt, int value) {
        return name + " " + (mallopt == 1 ? String.valueOf(value) : "glibc's own (mallopt refused " + value + ")");
    }
}
