package gpuenergy.nvml;

import com.sun.jna.Structure;

/**
 * nvmlPciInfo_t as nvmlDeviceGetPciInfo_v3 fills it, 68 bytes: busIdLegacy[16], domain, bus, device,
 * pciDeviceId, pciSubSystemId, busId[32] ("00000000:1A:00.0", the form NVML accepts back).
 */
@Structure.FieldOrder({"busIdLegacy", "domain", "bus", "device", "pciDeviceId", "pciSubSystemId", "busId"})
public class NvmlPciInfo extends Structure {
    public byte[] busIdLegacy = new byte[16];
    public int domain;
    public int bus;
    public int device;
    public int pciDeviceId;
    public int pciSubSystemId;
    public byte[] busId = new byte[32];
}
