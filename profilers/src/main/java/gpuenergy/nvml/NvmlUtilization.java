package gpuenergy.nvml;

import com.sun.jna.Structure;

/** nvmlUtilization_t: percent of the last sample period a kernel ran (gpu) and memory was read or written. */
@Structure.FieldOrder({"gpu", "memory"})
public class NvmlUtilization extends Structure {
    public int gpu;
    public int memory;
}
