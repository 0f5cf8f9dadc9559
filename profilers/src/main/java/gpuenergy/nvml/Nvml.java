package gpuenergy.nvml;

import com.sun.jna.Native;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;

/**
 * An initialised NVML session (nvmlInit_v2 .. nvmlShutdown; NVML counts nested sessions).
 * Every non-success return becomes an {@link NvmlException}; a missing libnvidia-ml.so.1 is reported
 * the same way, with NVML's own code for it, {@link #ERROR_LIBRARY_NOT_FOUND}.
 */
public final class Nvml implements AutoCloseable {
    public static final int SUCCESS = 0;
    public static final int ERROR_NOT_SUPPORTED = 3;
    public static final int ERROR_NOT_FOUND = 6;
    public static final int ERROR_INSUFFICIENT_SIZE = 7;
    public static final int ERROR_DRIVER_NOT_LOADED = 9;
    public static final int ERROR_LIBRARY_NOT_FOUND = 12;
    public static final int ERROR_FUNCTION_NOT_FOUND = 13;

    /** Buffer sizes from nvml.h (the _V2_ sizes where both exist). */
    static final int SYSTEM_VERSION_BUFFER = 80, DEVICE_NAME_BUFFER = 96, DEVICE_UUID_BUFFER = 96,
            VBIOS_VERSION_BUFFER = 32;

    private static final String LIBRARY = "libnvidia-ml.so.1";
    private static NvmlLibrary loaded;

    final NvmlLibrary lib;
    private boolean open = true;

    private Nvml(NvmlLibrary lib) {
        this.lib = lib;
    }

    /** Loads libnvidia-ml.so.1 (once per JVM) and initialises NVML. */
    public static Nvml open() {
        NvmlLibrary lib = library();
        int rc = lib.nvmlInit_v2();
        if (rc != SUCCESS) {
            throw new NvmlException("nvmlInit_v2", rc, lib.nvmlErrorString(rc));
        }
        return new Nvml(lib);
    }

    private static synchronized NvmlLibrary library() {
        if (loaded == null) {
            try {
                // The versioned name: the driver installs libnvidia-ml.so.1, the unversioned link only
                // comes with development packages.
                loaded = Native.load(LIBRARY, NvmlLibrary.class);
            } catch (UnsatisfiedLinkError e) {
                throw new NvmlException("load " + LIBRARY, ERROR_LIBRARY_NOT_FOUND, LIBRARY + " not found");
            }
        }
        return loaded;
    }

    void check(int rc, String call) {
        if (rc != SUCCESS) {
            throw new NvmlException(call, rc, lib.nvmlErrorString(rc));
        }
    }

    public int deviceCount() {
        IntByReference n = new IntByReference();
        check(lib.nvmlDeviceGetCount_v2(n), "nvmlDeviceGetCount_v2");
        return n.getValue();
    }

    /** By NVML index, the order nvidia-smi shows (PCI bus order), not necessarily CUDA's. */
    public NvmlDevice deviceByIndex(int index) {
        PointerByReference h = new PointerByReference();
        check(lib.nvmlDeviceGetHandleByIndex_v2(index, h), "nvmlDeviceGetHandleByIndex_v2(" + index + ")");
        return new NvmlDevice(this, h.getValue());
    }

    /** By the full UUID, "GPU-xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx", or a MIG instance's, "MIG-xxxxxxxx-...". */
    public NvmlDevice deviceByUuid(String uuid) {
        PointerByReference h = new PointerByReference();
        check(lib.nvmlDeviceGetHandleByUUID(uuid, h), "nvmlDeviceGetHandleByUUID(" + uuid + ")");
        return new NvmlDevice(this, h.getValue());
    }

    /** By PCI bus id, "domain:bus:device.function" in hex, e.g. "00000000:1A:00.0". */
    public NvmlDevice deviceByPciBusId(String pciBusId) {
        PointerByReference h = new PointerByReference();
        check(lib.nvmlDeviceGetHandleByPciBusId_v2(pciBusId, h), "nvmlDeviceGetHandleByPciBusId_v2(" + pciBusId + ")");
        return new NvmlDevice(this, h.getValue());
    }

    public String driverVersion() {
        byte[] buf = new byte[SYSTEM_VERSION_BUFFER];
        check(lib.nvmlSystemGetDriverVersion(buf, buf.length), "nvmlSystemGetDriverVersion");
        return Native.toString(buf);
    }

    public String nvmlVersion() {
        byte[] buf = new byte[SYSTEM_VERSION_BUFFER];
        check(lib.nvmlSystemGetNVMLVersion(buf, buf.length), "nvmlSystemGetNVMLVersion");
        return Native.toString(buf);
    }

    /** The CUDA version the driver supports, e.g. "13.0". */
    public String cudaDriverVersion() {
        IntByReference v = new IntByReference();
        check(lib.nvmlSystemGetCudaDriverVersion_v2(v), "nvmlSystemGetCudaDriverVersion_v2");
        return cudaVersionString(v.getValue());
    }

    /** CUDA's integer version (1000 x major + 10 x minor, e.g. 12040) as "12.4". */
    public static String cudaVersionString(int version) {
        return (version / 1000) + "." + (version % 1000) / 10;
    }

    @Override
    public synchronized void close() {
        if (open) {
            open = false;
            check(lib.nvmlShutdown(), "nvmlShutdown");
        }
    }
}
