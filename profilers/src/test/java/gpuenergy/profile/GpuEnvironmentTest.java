package gpuenergy.profile;

import gpuenergy.nvml.FakeNvml;
import gpuenergy.nvml.Nvml;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The environment record of the GPU a run measures, on a fake GPU. */
class GpuEnvironmentTest {

    @Test
    void aGpuIsDescribedWithItsPowerLimit() {
        try (Nvml nvml = FakeNvml.session(new AtomicBoolean())) {
            Map<String, String> env = GpuEnvironment.describe(nvml, GpuSelector.explicit("0"));
            assertEquals("700", env.get(EnvironmentKeys.GPU_POWER_LIMIT_W));
            assertEquals("Fake GPU", env.get(EnvironmentKeys.GPU_NAME));
            assertEquals("00000000:1A:00.0", env.get(EnvironmentKeys.GPU_PCI_BUS_ID));
            assertEquals("13.0", env.get(EnvironmentKeys.CUDA_DRIVER));
        }
    }

    /** A board whose NVML does not tell its enforced power limit: the limit is unknown, the rest of the record stands. */
    @Test
    void aBoardThatDoesNotTellItsPowerLimitIsDescribedWithTheLimitUnknown() {
        try (Nvml nvml = FakeNvml.sessionNotSupporting("nvmlDeviceGetEnforcedPowerLimit")) {
            Map<String, String> env = GpuEnvironment.describe(nvml, GpuSelector.explicit("0"));
            assertEquals(EnvironmentKeys.UNKNOWN, env.get(EnvironmentKeys.GPU_POWER_LIMIT_W));
            assertEquals("GPU-fake", env.get(EnvironmentKeys.GPU_UUID));
            assertEquals("580.159.04", env.get(EnvironmentKeys.DRIVER));
        }
    }
}
