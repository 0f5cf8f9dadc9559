package gpuenergy.sweep;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BatchLadderTest {
    @Test
    void doublesFromOneUpToTheCap() {
        assertEquals(List.of(1), BatchLadder.sizes(1));
        assertEquals(List.of(1, 2, 4, 8), BatchLadder.sizes(8));
        assertEquals(List.of(1, 2, 4, 8), BatchLadder.sizes(15), "a cap between powers of two stops below it");
        assertEquals(17, BatchLadder.sizes(BatchLadder.DEFAULT_MAX).size());
    }

    @Test
    void nextIsZeroPastTheCapAndNeverOverflows() {
        assertEquals(16, BatchLadder.next(8, 16));
        assertEquals(0, BatchLadder.next(16, 16));
        assertEquals(0, BatchLadder.next(1 << 30, Integer.MAX_VALUE));
        assertEquals(31, BatchLadder.sizes(Integer.MAX_VALUE).size());
    }

    @Test
    void countsRungsLeft() {
        assertEquals(5, BatchLadder.rungsFrom(4, 64)); // 4 8 16 32 64
        assertEquals(1, BatchLadder.rungsFrom(64, 64));
        assertEquals(0, BatchLadder.rungsFrom(128, 64));
    }
}
