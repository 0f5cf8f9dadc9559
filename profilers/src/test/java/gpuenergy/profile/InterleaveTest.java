package gpuenergy.profile;

import org.junit.jupiter.api.Test;

import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class InterleaveTest {
    @Test
    void measuredWindowsGoInAbbaBlocksSatOutFirst() {
        boolean[] sampled = new boolean[12];
        IntStream.range(0, sampled.length).forEach(i -> sampled[i] = Interleave.sampled(i));
        assertArrayEquals(new boolean[]{false, true, true, false, false, true, true, false, false, true, true, false}, sampled);
    }

    /** Over a block both kinds sit at the same mean position in time, so a linear drift weighs on both alike. */
    @Test
    void aBlockBalancesALinearDrift() {
        double sampled = 0, satOut = 0;
        for (int i = 0; i < Interleave.BLOCK; i++) {
            if (Interleave.sampled(i)) {
                sampled += i;
            } else {
                satOut += i;
            }
        }
        assertEquals(satOut, sampled);
    }

    @Test
    void aNegativeIndexIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Interleave.sampled(-1));
    }
}
