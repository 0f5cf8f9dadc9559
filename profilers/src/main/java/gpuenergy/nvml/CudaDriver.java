package gpuenergy.nvml;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;

import java.util.HexFormat;

/**
 * The CUDA driver (libcuda.so.1), asked two things of a CUDA device ordinal in this process: its PCI bus id and its
 * UUID. The driver applies CUDA_VISIBLE_DEVICES and CUDA_DEVICE_ORDER itself, so ordinal 0 here is the device a CUDA
 * library in this process calls device 0. cuInit creates no context and takes no GPU memory.
 */
public final class CudaDriver {
    public interface CudaLibrary extends Library {
        int cuInit(int flags);
        int cuDeviceGet(IntByReference device, int ordinal);
        int cuDeviceGetPCIBusId(byte[] pciBusId, int length, int device);
        /** CUDA 11.4 and newer: a MIG instance's own UUID, where the older cuDeviceGetUuid gives its board's. */
        int cuDeviceGetUuid_v2(byte[] uuid, int device);
        int cuGetErrorName(int error, PointerByReference name);
    }

    private static final String LIBRARY = "libcuda.so.1";

    private CudaDriver() {}

    /** "0000:1a:00.0"-style bus id of CUDA device {@code ordinal}; throws IllegalStateException with one line. */
    public static String pciBusIdOfDevice(int ordinal) {
        CudaLibrary cuda = library(ordinal);
        byte[] buf = new byte[64];
        check(cuda, cuda.cuDeviceGetPCIBusId(buf, buf.length, device(cuda, ordinal)), "cuDeviceGetPCIBusId");
        return Native.toString(buf);
    }

    /**
     * The UUID of CUDA device {@code ordinal} in NVML's spelling without its prefix ("xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"):
     * on a MIG instance the instance's, which NVML knows as "MIG-" and this. Throws IllegalStateException with one line,
     * also where the driver is older than the call.
     */
    public static String uuidOfDevice(int ordinal) {
        CudaLibrary cuda = library(ordinal);
        int device = device(cuda, ordinal);
        byte[] uuid = new byte[16];
        try {
            check(cuda, cuda.cuDeviceGetUuid_v2(uuid, device), "cuDeviceGetUuid_v2");
        } catch (UnsatisfiedLinkError e) {
            throw new IllegalStateException("cuDeviceGetUuid_v2: not in this CUDA driver (older than CUDA 11.4)");
        }
        return uuidText(uuid);
    }

    /** 16 bytes as a UUID's text, lower-case hex in groups of 8, 4, 4, 4 and 12 digits. */
    static String uuidText(byte[] uuid) {
        HexFormat hex = HexFormat.of();
        return hex.formatHex(uuid, 0, 4) + "-" + hex.formatHex(uuid, 4, 6) + "-" + hex.formatHex(uuid, 6, 8) + "-"
                + hex.formatHex(uuid, 8, 10) + "-" + hex.formatHex(uuid, 10, 16);
    }

    private static CudaLibrary library(int ordinal) {
        CudaLibrary cuda;
        try {
            cuda = Native.load(LIBRARY, CudaLibrary.class);
        } catch (UnsatisfiedLinkError e) {
            throw new IllegalStateException(LIBRARY + " not found: cannot ask CUDA which GPU is its device " + ordinal);
        }
        check(cuda, cuda.cuInit(0), "cuInit");
        return cuda;
    }

    private static int device(CudaLibrary cuda, int ordinal) {
        IntByReference device = new IntByReference();
        check(cuda, cuda.cuDeviceGet(device, ordinal), "cuDeviceGet(" + ordinal + ")");
        return device.getValue();
    }

    private static void check(CudaLibrary cuda, int rc, String call) {
        if (rc != 0) {
            PointerByReference name = new PointerByReference();
            String text = cuda.cuGetErrorName(rc, name) == 0 ? name.getValue().getString(0) : "CUresult " + rc;
            throw new IllegalStateException(call + ": " + text + " (CUDA driver)");
        }
    }
}
