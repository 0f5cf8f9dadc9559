package gpuenergy.profile;

import gpuenergy.nvml.ClockEventReasons;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SmallPartsTest {
    @Test
    void otherProcessesWhenNvmlListsOurPid() {
        assertEquals(0, OtherProcesses.count(Set.of(42L), Set.of(), 42, -1));
        assertEquals(1, OtherProcesses.count(Set.of(42L, 7L), Set.of(7L), 42, -1));
        assertEquals(2, OtherProcesses.count(Set.of(42L, 7L, 8L), Set.of(7L), 42, -1));
    }

    /** In a container NVML lists host PIDs: the newcomer since the trial began is taken to be us. */
    @Test
    void otherProcessesWhenNvmlListsHostPids() {
        assertEquals(0, OtherProcesses.count(Set.of(90001L), Set.of(), 42, -1));
        assertEquals(1, OtherProcesses.count(Set.of(90001L, 7L), Set.of(7L), 42, -1));
        assertEquals(1, OtherProcesses.count(Set.of(90001L, 90002L), Set.of(), 42, -1));
        assertEquals(0, OtherProcesses.count(Set.of(), Set.of(7L), 42, -1));
    }

    /**
     * A later trial in the same JVM (-f 0) finds the JVM's host PID on the GPU before it starts: known from the earlier
     * trial, it is the benchmark, not another process.
     */
    @Test
    void otherProcessesInALaterTrialOfTheSameJvmInAContainer() {
        assertEquals(1, OtherProcesses.count(Set.of(90001L), Set.of(90001L), 42, -1));
        assertEquals(0, OtherProcesses.count(Set.of(90001L), Set.of(90001L), 42, 90001L));
        assertEquals(1, OtherProcesses.count(Set.of(90001L, 7L), Set.of(90001L, 7L), 42, 90001L));
    }

    @Test
    void windowStateCountsOnlySamplesInsideTheWindow() {
        long cap = ClockEventReasons.SW_POWER_CAP, hot = ClockEventReasons.HW_THERMAL_SLOWDOWN;
        long[] t = {0, 10, 20, 30, 40, 50};
        long[] temp = {90, 60, 62, 61, 63, 99};
        long[] clock = {100, 1980, 1980, 1755, 1755, 100};
        long[] reasons = {hot, 0, cap, cap | hot, ClockEventReasons.GPU_IDLE, hot};
        WindowState s = WindowState.of(t, temp, clock, reasons, 10, 40);
        assertEquals(4, s.samples());
        assertEquals(63, s.maxTemperatureC());
        assertEquals((1980 + 1980 + 1755 + 1755) / 4.0, s.meanSmClockMhz(), 1e-9);
        assertEquals(50, s.powerCapPercent(), 1e-9);
        assertEquals(25, s.thermalPercent(), 1e-9);
        assertTrue(Double.isNaN(WindowState.of(t, temp, clock, reasons, 41, 49).maxTemperatureC()));
    }

    /**
     * The sampler's busy share counts only the parts of its working spans inside the window: a read that straddles
     * t0 (4 ms, 1 inside), one wholly inside (3 ms), one straddling t1 (5 ms, 2 inside), one after.
     */
    @Test
    void samplerBusyCountsTheWorkInsideTheWindowOnly() {
        long[] start = {97, 120, 198, 205};
        long[] end = {101, 123, 203, 206};
        assertEquals(100.0 * (1 + 3 + 2) / 100, Sampling.busyPercent(start, end, 100, 200), 1e-12);
        assertEquals(0, Sampling.busyPercent(start, end, 130, 190), 0.0);
        assertEquals(100, Sampling.busyPercent(start, end, 121, 122), 1e-12);
        assertTrue(Double.isNaN(Sampling.busyPercent(start, end, 150, 150)), "an empty window");
        // the longest part inside: the 3 wholly inside, not the 5 that straddles t1 with 2 inside
        assertEquals(1, Sampling.longestSpan(start, end, 100, 200));
        assertEquals(2, Sampling.longestSpan(start, end, 100, 210));
        assertEquals(-1, Sampling.longestSpan(start, end, 130, 190));
    }

    @Test
    void seriesGrowsCopiesAndForgets() {
        Series s = new Series(2);
        for (long i = 0; i < 3000; i++) {
            s.add(i, 10 * i);
        }
        long[][] all = s.copy();
        assertEquals(3000, all[0].length);
        assertEquals(29990, all[1][2999]);
        s.dropBefore(2998);
        assertArrayEquals(new long[]{2998, 2999}, s.copy()[0]);
        assertArrayEquals(new long[]{29980, 29990}, s.copy()[1]);
    }

    @Test
    void batchParam() {
        assertEquals(1, NvmlEnergyProfiler.imagesPerOp(null, "batchSize"));
        assertEquals(128, NvmlEnergyProfiler.imagesPerOp("128", "batchSize"));
        for (String bad : new String[]{"0", "-4", "big", ""}) {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> NvmlEnergyProfiler.imagesPerOp(bad, "batchSize"));
            assertTrue(e.getMessage().contains("@Param batchSize='" + bad + "'"), e.getMessage());
        }
    }
}
