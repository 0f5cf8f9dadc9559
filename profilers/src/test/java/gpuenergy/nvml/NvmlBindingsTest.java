package gpuenergy.nvml;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Struct layouts must match nvml.h byte for byte on x86-64 Linux; a wrong size corrupts memory at run time. */
class NvmlBindingsTest {
    /** CUDA's 16 UUID bytes in NVML's spelling, which NVML finds a MIG instance by (after "MIG-"). */
    @Test
    void aCudaUuidIsSpelledAsNvmlSpellsIt() {
        byte[] uuid = new byte[16];
        for (int i = 0; i < 16; i++) {
            uuid[i] = (byte) (0xf0 + i);
        }
        assertEquals("f0f1f2f3-f4f5-f6f7-f8f9-fafbfcfdfeff", CudaDriver.uuidText(uuid));
    }

    @Test
    void structSizesMatchNvmlH() {
        assertEquals(40, new NvmlFieldValue().size());
        assertEquals(24, new NvmlProcessInfo().size());
        assertEquals(68, new NvmlPciInfo().size());
        assertEquals(16, new NvmlSample().size());
    }

    @Test
    void fieldOffsetsMatchNvmlH() {
        NvmlFieldValue v = new NvmlFieldValue();
        v.fieldId = 186;
        v.timestamp = 1_700_000_000_000_000L;
        v.valueType = 1;
        v.nvmlReturn = 3;
        v.value = 565_156;
        v.write();
        assertEquals(186, v.getPointer().getInt(0));
        assertEquals(1_700_000_000_000_000L, v.getPointer().getLong(8));
        assertEquals(1, v.getPointer().getInt(24));
        assertEquals(3, v.getPointer().getInt(28));
        assertEquals(565_156, v.getPointer().getInt(32));

        NvmlProcessInfo p = new NvmlProcessInfo();
        p.pid = 4242;
        p.usedGpuMemory = 3L << 30;
        p.computeInstanceId = 7;
        p.write();
        assertEquals(4242, p.getPointer().getInt(0));
        assertEquals(3L << 30, p.getPointer().getLong(8));
        assertEquals(7, p.getPointer().getInt(20));

        NvmlPciInfo pci = new NvmlPciInfo();
        pci.pciSubSystemId = 0x16C110DE;
        pci.busId[0] = 'X';
        pci.write();
        assertEquals(0x16C110DE, pci.getPointer().getInt(32));
        assertEquals('X', pci.getPointer().getByte(36));

        NvmlSample sample = new NvmlSample();
        sample.timeStamp = 1_763_870_000_000_000L;
        sample.sampleValue = 87;
        sample.write();
        assertEquals(1_763_870_000_000_000L, sample.getPointer().getLong(0));
        assertEquals(87, sample.getPointer().getInt(8));
    }

    /** The union holds one member; the bytes above a narrow member are not cleared by NVML. */
    @Test
    void fieldValueUnionDecodesByType() {
        NvmlFieldValue v = new NvmlFieldValue();
        v.valueType = NvmlFieldValue.UNSIGNED_INT;
        v.value = 0xDEAD_BEEF_0008_9FA4L;  // garbage above 565,156 mW
        assertEquals(565_156, v.numericValue());
        v.valueType = NvmlFieldValue.DOUBLE;
        v.value = Double.doubleToRawLongBits(71.5);
        assertEquals(71.5, v.numericValue());
        v.valueType = NvmlFieldValue.SIGNED_INT;
        v.value = 0xFFFF_FFFFL;
        assertEquals(-1, v.numericValue());
        v.valueType = NvmlFieldValue.UNSIGNED_LONG_LONG;
        v.value = -1L;
        assertEquals(Math.pow(2, 64) - 1, v.numericValue());
    }

    @Test
    void cudaVersions() {
        assertEquals("13.0", Nvml.cudaVersionString(13000));
        assertEquals("12.4", Nvml.cudaVersionString(12040));
        assertEquals("12.8", Nvml.cudaVersionString(12080));
        assertEquals("11.8", Nvml.cudaVersionString(11080));
    }

    @Test
    void clockEventReasonNames() {
        assertEquals(List.of(), ClockEventReasons.names(0));
        assertEquals(List.of("GpuIdle", "SwPowerCap"), ClockEventReasons.names(0x5));
        assertEquals(List.of("HwSlowdown", "SwThermalSlowdown", "HwThermalSlowdown", "HwPowerBrakeSlowdown",
                "DisplayClockSetting", "0x200"), ClockEventReasons.names(0x3E8));
        assertTrue(ClockEventReasons.powerCapped(0x4));
        assertTrue(ClockEventReasons.thermalOrHwSlowdown(0x80));
        assertTrue(!ClockEventReasons.thermalOrHwSlowdown(0x4 | 0x1 | 0x10));
    }
}
