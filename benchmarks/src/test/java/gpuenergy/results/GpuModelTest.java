package gpuenergy.results;

import gpuenergy.profile.EnvironmentKeys;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GpuModelTest {
    private static final String H100 = "NVIDIA H100 80GB HBM3";

    @Test
    void eachMigStateHasItsOwnModel() {
        assertEquals(H100, GpuModel.of(H100, EnvironmentKeys.GPU_MIG_DISABLED, null));
        assertEquals(H100, GpuModel.of(H100, null, null));
        assertEquals(H100 + " MIG 1g.10gb", GpuModel.of(H100, EnvironmentKeys.GPU_MIG_ENABLED, "1g.10gb"));
        assertEquals(H100 + " with MIG enabled", GpuModel.of(H100, EnvironmentKeys.GPU_MIG_ENABLED, EnvironmentKeys.UNKNOWN));
        assertEquals(H100 + " with MIG mode unknown", GpuModel.of(H100, EnvironmentKeys.UNKNOWN, null));
    }

    /** The model a --gpus parent gives an instance it has no line of: never one a result records, nor a whole GPU. */
    @Test
    void anUnknownInstanceIsNoModelAResultRecords() {
        String unknown = GpuModel.unknownInstance(H100);
        assertTrue(GpuModel.isUnknownInstance(unknown));
        assertFalse(GpuModel.wholeGpu(unknown));
        for (String profile : new String[] {null, EnvironmentKeys.UNKNOWN, "1g.10gb", "7g.80gb"}) {
            String recorded = GpuModel.of(H100, EnvironmentKeys.GPU_MIG_ENABLED, profile);
            assertFalse(GpuModel.isUnknownInstance(recorded), recorded);
        }
        assertNotEquals(unknown, GpuModel.of(H100, EnvironmentKeys.GPU_MIG_ENABLED, EnvironmentKeys.UNKNOWN));
        assertFalse(GpuModel.isUnknownInstance(null));
    }
}
