package gpuenergy.profile;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.runner.IterationType;
import org.openjdk.jmh.runner.WorkloadParams;
import org.openjdk.jmh.runner.options.TimeValue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A benchmark whose device parameter is cpu gets no energy figures: a GPU's power over a CPU's images is no J/img. The
 * profiler does not open NVML for it, so this runs on any machine (without NVML, a trial would fail at once).
 */
class CpuBenchmarkTest {

    @Test
    void aBenchmarkOnTheCpuIsNotMeasuredAndSaysSoOnce() {
        NvmlEnergyProfiler profiler = new NvmlEnergyProfiler();
        WorkloadParams wp = new WorkloadParams();
        wp.put("batchSize", "8", 0);
        wp.put("device", "cpu", 1);
        IterationParams warmup = new IterationParams(IterationType.WARMUP, 2, TimeValue.seconds(1), 1);
        IterationParams measurement = new IterationParams(IterationType.MEASUREMENT, 3, TimeValue.seconds(1), 1);
        BenchmarkParams bp = new BenchmarkParams("gpuenergy.bench.InferenceBenchmark.infer", "generated", false, 1,
                new int[]{1}, List.of(), 1, 0, warmup, measurement, Mode.Throughput, wp, TimeUnit.SECONDS, 1, "java",
                List.of(), "17", "vm", "17", "1.37", TimeValue.minutes(1));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = System.out;
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            for (IterationParams it : List.of(warmup, warmup, measurement, measurement, measurement)) {
                profiler.beforeIteration(bp, it);
                assertEquals(List.of(), List.copyOf(profiler.afterIteration(bp, it, new IterationResult(bp, it, null))));
            }
        } finally {
            System.setOut(out);
        }
        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(1, printed.lines().count(), printed);
        assertTrue(printed.startsWith("gpu energy: the benchmark runs on the CPU (device=cpu)"), printed);
    }

    @Test
    void onlyTheDeviceValueCpuIsTheCpu() {
        assertTrue(DeviceSpec.runsOnCpu("cpu"));
        for (String notCpu : new String[]{null, "", "auto", "gpu", "gpu:1", " cpu ", "cpu:0", "CPU"}) {
            assertTrue(!DeviceSpec.runsOnCpu(notCpu), notCpu);
        }
    }
}
