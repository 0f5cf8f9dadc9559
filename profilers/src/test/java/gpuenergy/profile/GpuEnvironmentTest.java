package gpuenergy.profile;

import gpuenergy.nvml.FakeNvml;
import gpuenergy.nvml.Nvml;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

    /**
     * Two instances of other profiles on one board are two records: the instance is the one CUDA gives the benchmark's
     * device (its UUID, which NVML has with "MIG-" before it), and its profile is where NVML's name of it ends. Where
     * CUDA does not tell, gives the board's own UUID (no instance), or an instance of another board than the one
     * measured, the profile is unknown; a board without MIG enabled has none.
     */
    @Test
    void twoMigProfilesOfOneBoardAreTwoRecords() {
        String board = "GPU-00000000-0000-0000-0000-000000000001";
        FakeNvml.Gpu split = new FakeNvml.Gpu("NVIDIA H100 80GB HBM3", board, true, 1);
        FakeNvml.Gpu other = new FakeNvml.Gpu("NVIDIA H100 80GB HBM3", "GPU-00000000-0000-0000-0000-000000000002", true, 1);
        FakeNvml.Gpu small = FakeNvml.Gpu.migInstance("NVIDIA H100 80GB HBM3 MIG 1g.10gb",
                "MIG-11111111-0000-0000-0000-000000000001", board);
        FakeNvml.Gpu large = FakeNvml.Gpu.migInstance("NVIDIA H100 80GB HBM3 MIG 3g.40gb",
                "MIG-33333333-0000-0000-0000-000000000003", board);
        FakeNvml.Gpu onOther = FakeNvml.Gpu.migInstance("NVIDIA H100 80GB HBM3 MIG 7g.80gb",
                "MIG-77777777-0000-0000-0000-000000000007", other.uuid());
        try (Nvml nvml = FakeNvml.sessionOf(split, other, small, large, onOther)) {
            assertEquals(2, nvml.deviceCount(), "NVML counts boards, not instances");
            GpuSelector first = GpuSelector.explicit(board);
            Map<String, String> onSmall = GpuEnvironment.describe(nvml, first, () -> small.uuid().substring(4));
            Map<String, String> onLarge = GpuEnvironment.describe(nvml, first, () -> large.uuid().substring(4));
            assertEquals("1g.10gb", onSmall.get(EnvironmentKeys.GPU_MIG_PROFILE));
            assertEquals("3g.40gb", onLarge.get(EnvironmentKeys.GPU_MIG_PROFILE));
            assertEquals(onSmall.get(EnvironmentKeys.GPU_NAME), onLarge.get(EnvironmentKeys.GPU_NAME), "the board's name");
            assertEquals(board, onLarge.get(EnvironmentKeys.GPU_UUID));
            assertNotEquals(onSmall, onLarge);

            assertEquals(EnvironmentKeys.UNKNOWN, GpuEnvironment.describe(nvml, first).get(EnvironmentKeys.GPU_MIG_PROFILE),
                    "no benchmark's device");
            assertEquals(EnvironmentKeys.UNKNOWN, GpuEnvironment.describe(nvml, first, () -> {
                throw new IllegalStateException("libcuda.so.1 not found");
            }).get(EnvironmentKeys.GPU_MIG_PROFILE), "CUDA cannot say");
            assertEquals(EnvironmentKeys.UNKNOWN, GpuEnvironment.describe(nvml, first, () -> board.substring(4))
                    .get(EnvironmentKeys.GPU_MIG_PROFILE), "CUDA's device is the board");
            assertEquals(EnvironmentKeys.UNKNOWN, GpuEnvironment.describe(nvml, first, () -> onOther.uuid().substring(4))
                    .get(EnvironmentKeys.GPU_MIG_PROFILE), "the benchmark's instance is on another board");
            assertEquals("7g.80gb", GpuEnvironment.describe(nvml, GpuSelector.explicit("1"), () -> onOther.uuid().substring(4))
                    .get(EnvironmentKeys.GPU_MIG_PROFILE));
        }
        FakeNvml.Gpu whole = new FakeNvml.Gpu("NVIDIA H100 80GB HBM3", board, true, 0);
        try (Nvml nvml = FakeNvml.sessionOf(whole, small)) {
            assertFalse(GpuEnvironment.describe(nvml, GpuSelector.explicit("0"), () -> small.uuid().substring(4))
                    .containsKey(EnvironmentKeys.GPU_MIG_PROFILE), "MIG disabled: no profile");
        }
    }

    /** An instance whose NVML name has no " MIG " before a profile: unknown, not the whole name as its profile. */
    @Test
    void anInstanceNameWithoutMigIsAnUnknownProfile() {
        String board = "GPU-00000000-0000-0000-0000-000000000001";
        FakeNvml.Gpu split = new FakeNvml.Gpu("NVIDIA H100 80GB HBM3", board, true, 1);
        FakeNvml.Gpu instance = FakeNvml.Gpu.migInstance("NVIDIA H100 80GB HBM3", "MIG-11111111-0000-0000-0000-000000000001",
                board);
        try (Nvml nvml = FakeNvml.sessionOf(split, instance)) {
            assertEquals(EnvironmentKeys.UNKNOWN, GpuEnvironment.describe(nvml, GpuSelector.explicit(board),
                    () -> instance.uuid().substring(4)).get(EnvironmentKeys.GPU_MIG_PROFILE));
        }
    }
}
