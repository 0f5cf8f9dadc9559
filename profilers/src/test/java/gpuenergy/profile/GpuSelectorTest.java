package gpuenergy.profile;

import gpuenergy.profile.GpuSelector.Kind;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GpuSelectorTest {
    private static final String UUID = "GPU-5a4f3c1e-7d2b-4e8a-9c6f-0123456789ab";

    @Test
    void unsetMeansWhateverCudaCallsDevice0() {
        assertEquals(new GpuSelector(Kind.CUDA_DEVICE_0, "0"), GpuSelector.forCudaDevice0(null));
    }

    @Test
    void aFullUuidIsLookedUpDirectly() {
        assertEquals(new GpuSelector(Kind.UUID, UUID), GpuSelector.forCudaDevice0(UUID + ",GPU-0000"));
        assertEquals(new GpuSelector(Kind.UUID, UUID), GpuSelector.forCudaDevice0(" " + UUID + " "));
    }

    /** "1" is CUDA's device 1 (fastest first unless CUDA_DEVICE_ORDER=PCI_BUS_ID), never NVML's index 1. */
    @Test
    void indicesPrefixesAndMigAreLeftToTheCudaDriver() {
        assertEquals(new GpuSelector(Kind.CUDA_DEVICE_0, "1"), GpuSelector.forCudaDevice0("1,0"));
        assertEquals(new GpuSelector(Kind.CUDA_DEVICE_0, "2"), GpuSelector.forCudaDevice0(" 2 , 3"));
        assertEquals(Kind.CUDA_DEVICE_0, GpuSelector.forCudaDevice0("GPU-5a4f").kind());
        assertEquals(Kind.CUDA_DEVICE_0, GpuSelector.forCudaDevice0("MIG-5a4f3c1e-7d2b-4e8a-9c6f-0123456789ab").kind());
    }

    @Test
    void aFirstEntryCudaCannotParseHidesEveryGpu() {
        for (String hidden : new String[]{"", "-1", "none", ",0", "gpu0"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GpuSelector.forCudaDevice0(hidden));
            assertTrue(e.getMessage().contains("CUDA_VISIBLE_DEVICES='" + hidden + "'"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"));
        }
    }

    @Test
    void explicitSelectors() {
        assertEquals(new GpuSelector(Kind.NVML_INDEX, "3"), GpuSelector.explicit("3"));
        assertEquals(new GpuSelector(Kind.UUID, UUID), GpuSelector.explicit(UUID));
        assertEquals(new GpuSelector(Kind.PCI_BUS_ID, "00000000:1A:00.0"), GpuSelector.explicit("0000:1a:00.0"));
        assertEquals(new GpuSelector(Kind.PCI_BUS_ID, "00000000:C1:00.0"), GpuSelector.explicit("c1:00.0"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GpuSelector.explicit("first"));
        assertTrue(e.getMessage().startsWith("gpu energy: gpu='first' is not"), e.getMessage());
    }

    /** CUDA writes "0000:1a:00.0", NVML "00000000:1A:00.0"; both name the same device. */
    @Test
    void pciBusIdsAreWrittenTheNvmlWay() {
        assertEquals("00000000:1A:00.0", GpuSelector.nvmlPciBusId("0000:1a:00.0"));
        assertEquals("00000000:1A:00.0", GpuSelector.nvmlPciBusId("00000000:1A:00.0"));
        assertEquals("00000001:04:1F.7", GpuSelector.nvmlPciBusId("1:4:1f.7"));
        assertThrows(IllegalArgumentException.class, () -> GpuSelector.nvmlPciBusId("0000:1a:00"));
    }
}
