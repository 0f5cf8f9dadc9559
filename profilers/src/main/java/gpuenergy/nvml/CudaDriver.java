package gpuenergy.nvml;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;

/**
 * The CUDA driver (libcuda.so.1), asked one thing: the PCI bus id of a CUDA device ordinal in this
 * process. The driver applies CUDA_VISIBLE_DEVICES and CUDA_DEVICE_ORDER itself, so ordinal 0 here is
 * the device a CUDA library in this process calls device 0. cuInit creates no context and takes no GPU memory.
 */
public final class CudaDriver {
    public interface CudaLibrary extends Library {
        int cuInit(int flags);
        int cuDeviceGet(IntByReference device, int ordinal);
        int cuDeviceGetPCIBusId(byte[] pciBusId, int length, int device);
        int cuGetErrorName(int error, PointerByReference name);
    }

    private static final String LIBRARY = "libcuda.so.1";

    private CudaDriver() {}

    /** "0000:1a:00.0"-style bus id of CUDA device {@code ordinal}; throws IllegalStateException with one line. */
    public static String pciBusIdOfDevice(int ordinal) {
        CudaLibrary cuda;
        try {
            cuda = Native.load(LIBRARY, CudaLibrary.class);
        } catch (UnsatisfiedLinkError e) {
            throw new IllegalStateException(LIBRARY + " not found: cannot ask CUDA which GPU is its device " + ordinal);
        }
        check(cuda, cuda.cuInit(0), "cuInit");
        IntByReference device = new IntByReference();
        check(cuda, cuda.cuDeviceGet(device, ordinal), "cuDeviceGet(" + ordinal + ")");
        byte[] buf = new byte[64];
        check(cuda, cuda.cuDeviceGetPCIBusId(buf, buf.length, device.getValue()), "cuDeviceGetPCIBusId");
        return Native.toString(buf);
    }

    private static void check(CudaLibrary cuda, int rc, String call) {
        if (rc != 0) {
            PointerByReference name = new PointerByReference();
            String text = cuda.cuGetErrorName(rc, name) == 0 ? name.getValue().getString(0) : "CUresult " + rc;
            throw new IllegalStateException(call + ": " + text + " (CUDA driver)");
        }
    }
}
