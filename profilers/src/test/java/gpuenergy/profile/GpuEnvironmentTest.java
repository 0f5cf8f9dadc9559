package gpuenergy.profile;

import gpuenergy.nvml.FakeNvml;
import gpuenergy.nvml.Nvml;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

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

    /**
     * A GPU split into MIG instances is recorded so: a benchmark on one of them is measured as the whole GPU, whose name,
     * UUID and PCI bus id the instance shares, so those alone cannot tell its result from one of the whole GPU. A GPU
     * or driver without MIG has none.
     */
    @Test
    void aGpuSplitIntoMigInstancesIsToldFromAWholeOne() {
        FakeNvml.Gpu split = new FakeNvml.Gpu("NVIDIA H100 80GB HBM3", "GPU-00000000-0000-0000-0000-000000000001", true, 1);
        FakeNvml.Gpu whole = new FakeNvml.Gpu("NVIDIA H100 80GB HBM3", "GPU-00000000-0000-0000-0000-000000000002", true, 0);
        try (Nvml nvml = FakeNvml.sessionOf(split, whole)) {
            Map<String, String> onSlice = GpuEnvironment.describe(nvml, GpuSelector.explicit("0"));
            Map<String, String> onWhole = GpuEnvironment.describe(nvml, GpuSelector.explicit("1"));
            assertEquals(EnvironmentKeys.GPU_MIG_ENABLED, onSlice.get(EnvironmentKeys.GPU_MIG_MODE));
            assertEquals(EnvironmentKeys.GPU_MIG_DISABLED, onWhole.get(EnvironmentKeys.GPU_MIG_MODE));
            onWhole.put(EnvironmentKeys.GPU_UUID, split.uuid());
            assertNotEquals(onWhole, onSlice, "the same board, whole and split, is two records");
        }
        try (Nvml nvml = FakeNvml.session(new AtomicBoolean())) {
            assertEquals(EnvironmentKeys.NOT_APPLICABLE, GpuEnvironment.describe(nvml, GpuSelector.explicit("0"))
                    .get(EnvironmentKeys.GPU_MIG_MODE), "a GPU without MIG");
        }
        try (Nvml nvml = FakeNvml.sessionWithout("nvmlDeviceGetMigMode")) {
            assertEquals(EnvironmentKeys.NOT_APPLICABLE, GpuEnvironment.describe(nvml, GpuSelector.explicit("0"))
                    .get(EnvironmentKeys.GPU_MIG_MODE), "a driver older than MIG");
        }
    }
}
