package gpuenergy.nvml;

import com.sun.jna.Library;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;

/**
 * The NVML entry points this project calls, bound through JNA to libnvidia-ml.so.1 (installed with the
 * NVIDIA driver). Signatures follow nvml.h: nvmlReturn_t and C enums are {@code int}, unsigned int is
 * {@code int} (read back with {@link Integer#toUnsignedLong}), unsigned long long is {@code long},
 * nvmlDevice_t is an opaque pointer. Use {@link Nvml}, not this interface.
 */
public interface NvmlLibrary extends Library {
    int nvmlInit_v2();
    int nvmlShutdown();
    String nvmlErrorString(int result);

    int nvmlSystemGetDriverVersion(byte[] version, int length);
    int nvmlSystemGetNVMLVersion(byte[] version, int length);
    int nvmlSystemGetCudaDriverVersion_v2(IntByReference cudaDriverVersion);

    int nvmlDeviceGetCount_v2(IntByReference deviceCount);
    int nvmlDeviceGetHandleByIndex_v2(int index, PointerByReference device);
    int nvmlDeviceGetHandleByUUID(String uuid, PointerByReference device);
    int nvmlDeviceGetHandleByPciBusId_v2(String pciBusId, PointerByReference device);

    int nvmlDeviceGetName(Pointer device, byte[] name, int length);
    int nvmlDeviceGetUUID(Pointer device, byte[] uuid, int length);
    int nvmlDeviceGetVbiosVersion(Pointer device, byte[] version, int length);
    int nvmlDeviceGetPciInfo_v3(Pointer device, NvmlPciInfo pci);
    /** nvmlDeviceMigMode: NVML_DEVICE_MIG_DISABLE (0) or NVML_DEVICE_MIG_ENABLE (1), now and after the next GPU reset. */
    int nvmlDeviceGetMigMode(Pointer device, IntByReference currentMode, IntByReference pendingMode);
    /** The GPU a MIG instance's handle (from nvmlDeviceGetHandleByUUID of its "MIG-" UUID) is a slice of. */
    int nvmlDeviceGetDeviceHandleFromMigDeviceHandle(Pointer migDevice, PointerByReference device);

    /** Total energy since the driver was last reloaded, millijoules (Volta and newer). */
    int nvmlDeviceGetTotalEnergyConsumption(Pointer device, LongByReference energyMj);
    /** Power draw, milliwatts; on Ampere/Hopper a 1-second average, not an instant reading. */
    int nvmlDeviceGetPowerUsage(Pointer device, IntByReference powerMw);
    int nvmlDeviceGetEnforcedPowerLimit(Pointer device, IntByReference limitMw);
    int nvmlDeviceGetFieldValues(Pointer device, int valuesCount, NvmlFieldValue values);
    int nvmlDeviceGetTemperature(Pointer device, int sensorType, IntByReference temperatureC);
    int nvmlDeviceGetClockInfo(Pointer device, int clockType, IntByReference clockMhz);
    /** Driver 535 and newer; older drivers only have the Throttle name of the same call. */
    int nvmlDeviceGetCurrentClocksEventReasons(Pointer device, LongByReference reasons);
    int nvmlDeviceGetCurrentClocksThrottleReasons(Pointer device, LongByReference reasons);
    /** The driver's buffered samples of one kind newer than lastSeenTimeStamp (us); samples null: their count only. */
    int nvmlDeviceGetSamples(Pointer device, int type, long lastSeenTimeStamp, IntByReference sampleValType,
                             IntByReference sampleCount, NvmlSample samples);
    int nvmlDeviceGetComputeRunningProcesses_v3(Pointer device, IntByReference infoCount, NvmlProcessInfo infos);
}
