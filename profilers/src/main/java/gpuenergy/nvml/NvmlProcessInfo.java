package gpuenergy.nvml;

import com.sun.jna.Structure;

/**
 * nvmlProcessInfo_t as nvmlDeviceGetComputeRunningProcesses_v3 fills it (the v2 layout, 24 bytes with
 * the padding after pid): pid, usedGpuMemory, gpuInstanceId, computeInstanceId.
 */
@Structure.FieldOrder({"pid", "usedGpuMemory", "gpuInstanceId", "computeInstanceId"})
public class NvmlProcessInfo extends Structure {
    public int pid;
    public long usedGpuMemory;
    public int gpuInstanceId;
    public int computeInstanceId;
}
