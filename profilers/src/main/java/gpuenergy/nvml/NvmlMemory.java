package gpuenergy.nvml;

import com.sun.jna.Structure;

/** nvmlMemory_t (v1): total, free, used framebuffer memory in bytes. */
@Structure.FieldOrder({"total", "free", "used"})
public class NvmlMemory extends Structure {
    public long total;
    public long free;
    public long used;
}
