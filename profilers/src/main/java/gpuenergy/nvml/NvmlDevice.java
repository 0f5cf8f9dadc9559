package gpuenergy.nvml;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/** One GPU as NVML sees it. Calls are thread-safe (NVML's are); each allocates only small by-reference cells. */
public final class NvmlDevice {
    /** nvmlFieldValue_t field id (nvml.h): the instant power reading, milliwatts. */
    public static final int FI_DEV_POWER_INSTANT = 186;
    static final int TEMPERATURE_GPU = 0;
    static final int CLOCK_SM = 1;

    private final Nvml nvml;
    private final Pointer handle;
    private volatile boolean eventReasonsMissing;

    NvmlDevice(Nvml nvml, Pointer handle) {
        this.nvml = nvml;
        this.handle = handle;
    }

    /** Millijoules since the driver was loaded; on H100 the value steps about every 100 ms. */
    public long totalEnergyMillijoules() {
        LongByReference mj = new LongByReference();
        nvml.check(nvml.lib.nvmlDeviceGetTotalEnergyConsumption(handle, mj), "nvmlDeviceGetTotalEnergyConsumption");
        return mj.getValue();
    }

    /** nvmlDeviceGetPowerUsage, milliwatts (a 1 s average on Ampere and newer). */
    public long powerUsageMilliwatts() {
        IntByReference mw = new IntByReference();
        nvml.check(nvml.lib.nvmlDeviceGetPowerUsage(handle, mw), "nvmlDeviceGetPowerUsage");
        return Integer.toUnsignedLong(mw.getValue());
    }

    /** Field {@link #FI_DEV_POWER_INSTANT}, milliwatts. */
    public long instantPowerMilliwatts() {
        return (long) fieldValues(FI_DEV_POWER_INSTANT)[0];
    }

    /** nvmlDeviceGetFieldValues for the given field ids; a field whose own nvmlReturn fails throws. */
    public double[] fieldValues(int... fieldIds) {
        NvmlFieldValue[] values = (NvmlFieldValue[]) new NvmlFieldValue().toArray(fieldIds.length);
        for (int i = 0; i < fieldIds.length; i++) {
            values[i].fieldId = fieldIds[i];
            values[i].write();
        }
        nvml.check(nvml.lib.nvmlDeviceGetFieldValues(handle, fieldIds.length, values[0]), "nvmlDeviceGetFieldValues");
        double[] out = new double[fieldIds.length];
        for (int i = 0; i < fieldIds.length; i++) {
            values[i].read();
            nvml.check(values[i].nvmlReturn, "nvmlDeviceGetFieldValues(field " + fieldIds[i] + ")");
            out[i] = values[i].numericValue();
        }
        return out;
    }

    /** The power limit the GPU enforces now (the lowest of all limiters), milliwatts. */
    public long enforcedPowerLimitMilliwatts() {
        IntByReference mw = new IntByReference();
        nvml.check(nvml.lib.nvmlDeviceGetEnforcedPowerLimit(handle, mw), "nvmlDeviceGetEnforcedPowerLimit");
        return Integer.toUnsignedLong(mw.getValue());
    }

    /** GPU die temperature, degrees C. */
    public int temperatureC() {
        IntByReference c = new IntByReference();
        nvml.check(nvml.lib.nvmlDeviceGetTemperature(handle, TEMPERATURE_GPU, c), "nvmlDeviceGetTemperature");
        return c.getValue();
    }

    /** Current SM clock, MHz. */
    public int smClockMhz() {
        IntByReference mhz = new IntByReference();
        nvml.check(nvml.lib.nvmlDeviceGetClockInfo(handle, CLOCK_SM, mhz), "nvmlDeviceGetClockInfo(SM)");
        return mhz.getValue();
    }

    /** Bit mask of why clocks are held down now; decode with {@link ClockEventReasons}. */
    public long clockEventReasons() {
        LongByReference bits = new LongByReference();
        if (!eventReasonsMissing) {
            try {
                nvml.check(nvml.lib.nvmlDeviceGetCurrentClocksEventReasons(handle, bits), "nvmlDeviceGetCurrentClocksEventReasons");
                return bits.getValue();
            } catch (UnsatisfiedLinkError e) {
                eventReasonsMissing = true; // a driver older than 535: same call under its old name
            }
        }
        nvml.check(nvml.lib.nvmlDeviceGetCurrentClocksThrottleReasons(handle, bits), "nvmlDeviceGetCurrentClocksThrottleReasons");
        return bits.getValue();
    }

    /** nvmlSamplingType_t NVML_GPU_UTILIZATION_SAMPLES. */
    static final int GPU_UTILIZATION_SAMPLES = 1;

    /** Samples in time order: the driver's CPU timestamp (microseconds, since the epoch or since boot) and value. */
    public record Samples(long[] timeMicros, double[] values) {
        static final Samples NONE = new Samples(new long[0], new double[0]);
    }

    /**
     * The driver's GPU-utilization samples newer than {@code sinceMicros}: each the percent of its sample period (since
     * the sample before it) in which one or more kernels ran. None when the driver holds none that new.
     */
    public Samples utilizationSamples(long sinceMicros) {
        IntByReference type = new IntByReference();
        IntByReference count = new IntByReference(0);
        int rc = nvml.lib.nvmlDeviceGetSamples(handle, GPU_UTILIZATION_SAMPLES, sinceMicros, type, count, null);
        if (rc == Nvml.ERROR_NOT_FOUND || rc == Nvml.SUCCESS && count.getValue() <= 0) {
            return Samples.NONE;
        }
        nvml.check(rc, "nvmlDeviceGetSamples(GPU utilization)");
        int capacity = count.getValue();
        NvmlSample[] buf = (NvmlSample[]) new NvmlSample().toArray(capacity);
        rc = nvml.lib.nvmlDeviceGetSamples(handle, GPU_UTILIZATION_SAMPLES, sinceMicros, type, count, buf[0]);
        if (rc == Nvml.ERROR_NOT_FOUND) {
            return Samples.NONE;
        }
        nvml.check(rc, "nvmlDeviceGetSamples(GPU utilization)");
        int n = Math.min(count.getValue(), capacity);
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            buf[i].read();
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingLong(i -> buf[i].timeStamp));
        long[] t = new long[n];
        double[] v = new double[n];
        for (int k = 0; k < n; k++) {
            t[k] = buf[order[k]].timeStamp;
            v[k] = NvmlFieldValue.decode(type.getValue(), buf[order[k]].sampleValue, "nvmlDeviceGetSamples");
        }
        return new Samples(t, v);
    }

    /** A process with a compute context on this GPU; usedGpuMemory is -1 where NVML cannot tell. */
    public record GpuProcess(long pid, long usedGpuMemoryBytes) {}

    /**
     * The processes with a compute context on this GPU.
     *
     * @throws NvmlException also where this driver's NVML lacks the call (older than the _v3 API): as any call NVML
     *                       refuses, so that a caller that can do without the list need catch one exception
     */
    public List<GpuProcess> computeProcesses() {
        try {
            return runningProcesses();
        } catch (UnsatisfiedLinkError e) {
            throw new NvmlException("nvmlDeviceGetComputeRunningProcesses_v3", Nvml.ERROR_FUNCTION_NOT_FOUND,
                    "not in this driver's NVML");
        }
    }

    private List<GpuProcess> runningProcesses() {
        IntByReference count = new IntByReference(0);
        int rc = nvml.lib.nvmlDeviceGetComputeRunningProcesses_v3(handle, count, null);
        // The list can grow between the sizing call and the filling call: retry with the new size.
        for (int attempt = 0; rc == Nvml.ERROR_INSUFFICIENT_SIZE && attempt < 5; attempt++) {
            int capacity = count.getValue() + 4;
            NvmlProcessInfo[] infos = (NvmlProcessInfo[]) new NvmlProcessInfo().toArray(capacity);
            count.setValue(capacity);
            rc = nvml.lib.nvmlDeviceGetComputeRunningProcesses_v3(handle, count, infos[0]);
            if (rc == Nvml.SUCCESS) {
                List<GpuProcess> out = new ArrayList<>();
                for (int i = 0; i < count.getValue(); i++) {
                    infos[i].read();
                    out.add(new GpuProcess(Integer.toUnsignedLong(infos[i].pid), infos[i].usedGpuMemory));
                }
                return out;
            }
        }
        nvml.check(rc, "nvmlDeviceGetComputeRunningProcesses_v3");
        return List.of(); // success on the sizing call: no process
    }

    public String name() {
        byte[] buf = new byte[Nvml.DEVICE_NAME_BUFFER];
        nvml.check(nvml.lib.nvmlDeviceGetName(handle, buf, buf.length), "nvmlDeviceGetName");
        return Native.toString(buf);
    }

    public String uuid() {
        byte[] buf = new byte[Nvml.DEVICE_UUID_BUFFER];
        nvml.check(nvml.lib.nvmlDeviceGetUUID(handle, buf, buf.length), "nvmlDeviceGetUUID");
        return Native.toString(buf);
    }

    public String vbiosVersion() {
        byte[] buf = new byte[Nvml.VBIOS_VERSION_BUFFER];
        nvml.check(nvml.lib.nvmlDeviceGetVbiosVersion(handle, buf, buf.length), "nvmlDeviceGetVbiosVersion");
        return Native.toString(buf);
    }

    /** nvml.h's NVML_DEVICE_MIG_ENABLE. */
    static final int MIG_ENABLE = 1;

    /**
     * Whether the GPU is split into MIG instances now (nvmlDeviceGetMigMode's current mode, not the one pending a reset).
     *
     * @throws NvmlException "Not Supported" on a GPU without MIG, and where this driver's NVML lacks the call (older than
     *                       R450, which has no MIG): as any call NVML refuses
     */
    public boolean migEnabled() {
        IntByReference current = new IntByReference();
        IntByReference pending = new IntByReference();
        try {
            nvml.check(nvml.lib.nvmlDeviceGetMigMode(handle, current, pending), "nvmlDeviceGetMigMode");
        } catch (UnsatisfiedLinkError e) {
            throw new NvmlException("nvmlDeviceGetMigMode", Nvml.ERROR_FUNCTION_NOT_FOUND, "not in this driver's NVML");
        }
        return current.getValue() == MIG_ENABLE;
    }

    /**
     * The GPU this MIG instance is a slice of ({@link Nvml#deviceByUuid} of a "MIG-" UUID gives an instance).
     *
     * @throws NvmlException "Invalid Argument" where this is a GPU, not an instance, and where this driver's NVML lacks
     *                       the call (older than R450): as any call NVML refuses
     */
    public NvmlDevice migParent() {
        PointerByReference parent = new PointerByReference();
        try {
            nvml.check(nvml.lib.nvmlDeviceGetDeviceHandleFromMigDeviceHandle(handle, parent),
                    "nvmlDeviceGetDeviceHandleFromMigDeviceHandle");
        } catch (UnsatisfiedLinkError e) {
            throw new NvmlException("nvmlDeviceGetDeviceHandleFromMigDeviceHandle", Nvml.ERROR_FUNCTION_NOT_FOUND,
                    "not in this driver's NVML");
        }
        return new NvmlDevice(nvml, parent.getValue());
    }

    /** "00000000:1A:00.0", the form {@link Nvml#deviceByPciBusId} accepts. */
    public String pciBusId() {
        NvmlPciInfo pci = new NvmlPciInfo();
        nvml.check(nvml.lib.nvmlDeviceGetPciInfo_v3(handle, pci), "nvmlDeviceGetPciInfo_v3");
        return Native.toString(pci.busId);
    }
}
