package gpuenergy.profile;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;
import org.openjdk.jmh.runner.WorkloadParams;
import org.openjdk.jmh.runner.options.TimeValue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The -p device= grammar, read once for the engines, the profiler, the sweep and compare: device/values.txt. */
class DeviceSpecTest {

    private record Case(String value, String expected) {
        /** The one line a refused value gets; null for a value that is read. */
        String refusal() {
            if (expected.equals("refused")) {
                return "device '" + value + "' is not accepted; accepted: auto, cpu, gpu, gpu:N";
            }
            return expected.startsWith("write ")
                    ? "device '" + value + "' is not accepted; write it " + expected.substring("write ".length())
                    + ", as results name it" : null;
        }
    }

    static List<Case> cases() throws IOException {
        try (InputStream in = DeviceSpecTest.class.getResourceAsStream("/device/values.txt")) {
            assertNotNull(in, "device/values.txt");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.startsWith("#") && !l.isEmpty())
                    .map(l -> new Case(l.substring(0, l.indexOf('|')), l.substring(l.indexOf('|') + 1)))
                    .toList();
        }
    }

    @Test
    void everyValueIsReadOrRefusedWithOneLine() throws IOException {
        List<Case> cases = cases();
        assertTrue(cases.size() > 15, cases.toString());
        for (Case c : cases) {
            if (c.refusal() != null) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DeviceSpec.parse(c.value()),
                        "'" + c.value() + "'");
                assertEquals(c.refusal(), e.getMessage());
                assertNull(DeviceSpec.readOrNull(c.value()), "'" + c.value() + "'");
                assertTrue(!DeviceSpec.runsOnCpu(c.value()), "'" + c.value() + "'");
            } else {
                DeviceSpec d = DeviceSpec.parse(c.value());
                String[] expected = c.expected().split("\\|");
                assertEquals(expected[0], d.kind() + " " + d.ordinal(), "'" + c.value() + "'");
                assertEquals(expected[1], d.toString(), "'" + c.value() + "'");
                assertEquals(d, DeviceSpec.parse(d.toString()), "what is written reads back");
                assertEquals(c.value().equals("cpu"), DeviceSpec.runsOnCpu(c.value()));
            }
        }
        assertNull(DeviceSpec.readOrNull(null));
        assertTrue(!DeviceSpec.runsOnCpu(null));
    }

    /**
     * A list that names CUDA device 0 as gpu and as gpu:0 is refused in one line asking for gpu:0, in either order; auto
     * beside gpu:0 is not (the engine's choice), nor a value given twice alike (one run) or one outside the grammar
     * (parse refuses it).
     */
    @Test
    void oneDeviceUnderTwoNamesIsRefused() {
        for (List<String> twice : List.of(List.of("gpu", "gpu:0"), List.of("gpu:0", "cpu", "gpu"))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> DeviceSpec.refuseOneDeviceTwice(twice), twice.toString());
            assertEquals("device '" + twice.get(0) + "' and '" + twice.get(twice.size() - 1) + "' are one device (CUDA "
                    + "device 0) under two names; give it once, as gpu:0, as results name it", e.getMessage());
        }
        for (List<String> distinct : List.of(List.of("auto", "gpu:0"), List.of("auto", "gpu"), List.of("gpu", "gpu"),
                List.of("gpu:1", "gpu:01"), List.of("cpu", "gpu:0", "gpu:1"), List.<String>of())) {
            assertDoesNotThrow(() -> DeviceSpec.refuseOneDeviceTwice(distinct), distinct.toString());
        }
    }

    /**
     * The profiler refuses a device value outside the grammar with DeviceSpec's line, before NVML is asked (so this
     * runs on any machine): it measures no GPU for a benchmark its engine refuses.
     */
    @Test
    void theProfilerRefusesAnUnknownDeviceWithTheSameLine() throws IOException {
        for (Case c : cases()) {
            if (c.refusal() == null) {
                continue;
            }
            NvmlEnergyProfiler profiler = new NvmlEnergyProfiler();
            WorkloadParams wp = new WorkloadParams();
            wp.put("batchSize", "8", 0);
            wp.put("device", c.value(), 1);
            IterationParams warmup = new IterationParams(IterationType.WARMUP, 1, TimeValue.seconds(1), 1);
            IterationParams measurement = new IterationParams(IterationType.MEASUREMENT, 1, TimeValue.seconds(1), 1);
            BenchmarkParams bp = new BenchmarkParams("gpuenergy.bench.InferenceBenchmark.infer", "generated", false, 1,
                    new int[]{1}, List.of(), 1, 0, warmup, measurement, Mode.Throughput, wp, TimeUnit.SECONDS, 1, "java",
                    List.of(), "17", "vm", "17", "1.37", TimeValue.minutes(1));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> profiler.beforeIteration(bp, warmup),
                    "'" + c.value() + "'");
            assertEquals(c.refusal(), e.getMessage());
        }
    }
}
