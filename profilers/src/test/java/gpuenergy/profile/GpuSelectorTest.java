package gpuenergy.profile;

import gpuenergy.profile.GpuSelector.Kind;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GpuSelectorTest {
    private static final String UUID = "GPU-5a4f3c1e-7d2b-4e8a-9c6f-0123456789ab";

    private static final String UUID_B = "GPU-21cf34a0-23d8-40ae-cc48-94e9cc09bd56";

    @Test
    void unsetMeansWhateverCudaCallsTheBenchmarksDevice() {
        assertEquals(new GpuSelector(Kind.CUDA_DEVICE, "0"), GpuSelector.forBenchmarkDevice("auto", null));
        assertEquals(new GpuSelector(Kind.CUDA_DEVICE, "0"), GpuSelector.forBenchmarkDevice(null, null));
        assertEquals(new GpuSelector(Kind.CUDA_DEVICE, "0"), GpuSelector.forBenchmarkDevice("gpu", null));
        assertEquals(new GpuSelector(Kind.CUDA_DEVICE, "1"), GpuSelector.forBenchmarkDevice("gpu:1", null));
        assertEquals("CUDA device 1", GpuSelector.forBenchmarkDevice("gpu:1", null).toString());
    }

    /** A device value the benchmark's engine refuses is no GPU to measure: not CUDA device 0, DeviceSpec's line. */
    @Test
    void aDeviceValueOutsideTheGrammarIsRefused() {
        for (String bad : new String[] {"tpu", " gpu:1", "cpu ", "gpu:1234", "cuda:0"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GpuSelector.forBenchmarkDevice(bad, null));
            assertEquals("device '" + bad + "' is not accepted; accepted: auto, cpu, gpu, gpu:N", e.getMessage());
        }
    }

    @Test
    void aFullUuidIsLookedUpDirectly() {
        assertEquals(new GpuSelector(Kind.UUID, UUID), GpuSelector.forCudaDevice(0, UUID + ",GPU-0000"));
        assertEquals(new GpuSelector(Kind.UUID, UUID), GpuSelector.forCudaDevice(0, " " + UUID + " "));
    }

    /**
     * A two-GPU host as a launcher pins it: the benchmark's gpu:N is the N-th GPU CUDA_VISIBLE_DEVICES lists, so the
     * profiler measures the card the benchmark runs on, not NVML's GPU 0.
     */
    @Test
    void onTwoGpusTheBenchmarksDeviceIsItsEntryInCudaVisibleDevices() {
        assertEquals(new GpuSelector(Kind.UUID, UUID_B), GpuSelector.forBenchmarkDevice("gpu:1", UUID + "," + UUID_B));
        assertEquals(new GpuSelector(Kind.UUID, UUID), GpuSelector.forBenchmarkDevice("auto", UUID + "," + UUID_B));
        assertEquals(new GpuSelector(Kind.UUID, UUID_B), GpuSelector.forBenchmarkDevice("auto", UUID_B));
        // indices: CUDA's device 1 is the second listed, which the driver maps to physical GPU 0 ("1,0")
        assertEquals(new GpuSelector(Kind.CUDA_DEVICE, "1"), GpuSelector.forBenchmarkDevice("gpu:1", "1,0"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GpuSelector.forBenchmarkDevice("gpu:1", UUID));
        assertEquals("gpu energy: CUDA_VISIBLE_DEVICES='" + UUID + "' makes no CUDA device 1 visible (its entries up to that one must be "
                + "device indices or GPU-/MIG- UUIDs)", e.getMessage());
    }

    /** "1" is CUDA's device 1 (fastest first unless CUDA_DEVICE_ORDER=PCI_BUS_ID), never NVML's index 1. */
    @Test
    void indicesPrefixesAndMigAreLeftToTheCudaDriver() {
        assertEquals(new GpuSelector(Kind.CUDA_DEVICE, "0"), GpuSelector.forCudaDevice(0, "1,0"));
        assertEquals(new GpuSelector(Kind.CUDA_DEVICE, "1"), GpuSelector.forCudaDevice(1, " 2 , 3"));
        assertEquals(Kind.CUDA_DEVICE, GpuSelector.forCudaDevice(0, "GPU-5a4f").kind());
        assertEquals(Kind.CUDA_DEVICE, GpuSelector.forCudaDevice(0, "MIG-5a4f3c1e-7d2b-4e8a-9c6f-0123456789ab").kind());
    }

    @Test
    void anEntryCudaCannotParseHidesItAndEveryGpuAfterIt() {
        for (String hidden : new String[]{"", "-1", "none", ",0", "gpu0"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GpuSelector.forCudaDevice(0, hidden));
            assertTrue(e.getMessage().contains("CUDA_VISIBLE_DEVICES='" + hidden + "'"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"));
        }
        assertThrows(IllegalArgumentException.class, () -> GpuSelector.forCudaDevice(1, "0,none"));
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
