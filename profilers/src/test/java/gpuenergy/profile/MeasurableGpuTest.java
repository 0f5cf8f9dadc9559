package gpuenergy.profile;

import gpuenergy.nvml.FakeNvml;
import gpuenergy.nvml.FakeNvml.Gpu;
import gpuenergy.nvml.Nvml;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;
import org.openjdk.jmh.runner.WorkloadParams;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.annotations.Mode;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The host's check that a run can measure energy, on a mixed two-GPU host (GpuSelectorTest's pinned mapping): NVML GPU
 * 0 predates the energy counter, GPU 1 has it. The benchmarks' own GPUs are known only in their forks, each its device
 * parameter's: the host refuses only where no GPU the benchmarks can run on has the counter, or where gpu= names one
 * that lacks it; a fork whose GPU lacks it refuses its benchmark in one line.
 */
class MeasurableGpuTest {
    private static final String OLD = "GPU-5a4f3c1e-7d2b-4e8a-9c6f-0123456789ab";
    private static final String NEW = "GPU-21cf34a0-23d8-40ae-cc48-94e9cc09bd56";
    private static final String NO_COUNTER = "gpu energy: Tesla P100 has no total-energy counter (nvmlDeviceGetTotalEnergy"
            + "Consumption: Not Supported (NVML error 3)); Volta or newer is needed";

    private static Nvml mixedHost() {
        return FakeNvml.sessionOf(new Gpu("Tesla P100", OLD, false), new Gpu("NVIDIA H100", NEW, true));
    }

    @Test
    void aHostWhoseFirstGpuHasNoCounterIsMeasuredWhereAnotherVisibleOneHasIt() {
        try (Nvml nvml = mixedHost()) {
            assertNull(NvmlEnergyProfiler.unmeasurable(nvml, null, null), "every GPU visible, GPU 1 has the counter");
            assertNull(NvmlEnergyProfiler.unmeasurable(nvml, null, OLD + "," + NEW), "-p device=gpu:1 runs on the H100");
            assertNull(NvmlEnergyProfiler.unmeasurable(nvml, null, NEW + "," + OLD));
            assertNull(NvmlEnergyProfiler.unmeasurable(nvml, "1", null), "gpu=1 names the H100");
        }
    }

    @Test
    void aHostIsRefusedWhereNoGpuTheBenchmarksSeeHasTheCounterOrGpuNamesOneWithout() {
        try (Nvml nvml = mixedHost()) {
            assertEquals(NO_COUNTER, NvmlEnergyProfiler.unmeasurable(nvml, null, OLD), "only the P100 visible");
            assertEquals(NO_COUNTER, NvmlEnergyProfiler.unmeasurable(nvml, "0", null), "gpu=0 names the P100");
            assertEquals(NO_COUNTER, NvmlEnergyProfiler.unmeasurable(nvml, OLD, OLD + "," + NEW), "gpu= names the P100");
        }
        try (Nvml nvml = FakeNvml.sessionOf(new Gpu("Tesla P100", OLD, false), new Gpu("Tesla K80", NEW, false))) {
            String refused = NvmlEnergyProfiler.unmeasurable(nvml, null, null);
            assertEquals("gpu energy: no GPU visible to the benchmarks has a total-energy counter (Tesla P100: nvmlDevice"
                    + "GetTotalEnergyConsumption: Not Supported (NVML error 3); Tesla K80: nvmlDeviceGetTotalEnergyConsumption:"
                    + " Not Supported (NVML error 3)); Volta or newer is needed", refused);
        }
    }

    /**
     * A GPU NVML counts but cannot open (lost, or not this user's) has no counter to read, and another visible GPU may
     * run the benchmarks: the host is measured where one has the counter, and refused in one line, each GPU's reason
     * listed, where none has.
     */
    @Test
    void aGpuNvmlCannotOpenIsOneWithoutTheCounter() {
        try (Nvml nvml = FakeNvml.sessionOf(new Gpu("NVIDIA H100", NEW, true), Gpu.lost(OLD))) {
            assertNull(NvmlEnergyProfiler.unmeasurable(nvml, null, null), "GPU 0 has the counter");
        }
        try (Nvml nvml = FakeNvml.sessionOf(Gpu.lost(OLD), new Gpu("Tesla P100", NEW, false))) {
            assertEquals("gpu energy: no GPU visible to the benchmarks has a total-energy counter (nvmlDeviceGetHandle"
                    + "ByIndex_v2(0): GPU is lost (NVML error 15); Tesla P100: nvmlDeviceGetTotalEnergyConsumption: Not "
                    + "Supported (NVML error 3)); Volta or newer is needed", NvmlEnergyProfiler.unmeasurable(nvml, null, null));
        }
    }

    /** The fork of a benchmark on the GPU without the counter refuses it in one line, at once. */
    @Test
    void aBenchmarkOnTheGpuWithoutTheCounterIsRefusedInOneLine() throws Exception {
        IterationParams warmup = new IterationParams(IterationType.WARMUP, 1, TimeValue.seconds(1), 1);
        WorkloadParams wp = new WorkloadParams();
        wp.put("batchSize", "8", 0);
        wp.put("device", "gpu:0", 1);
        BenchmarkParams bp = new BenchmarkParams("gpuenergy.bench.InferenceBenchmark.infer", "generated", false, 1,
                new int[]{1}, List.of(), 1, 0, warmup, warmup, Mode.Throughput, wp, TimeUnit.SECONDS, 1, "java",
                List.of(), "17", "vm", "17", "1.37", TimeValue.minutes(1));
        long start = System.nanoTime();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new Trial(ProfilerOptions.parse("gpu=" + OLD
                + ";idle=0"), bp, warmup, MeasurableGpuTest::mixedHost));
        assertEquals(NO_COUNTER, e.getMessage());
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(1), "refused without waiting for the counter");
        Trial.closeLeftOver();
    }
}
