package gpuenergy.engine.tensorrt;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import gpuenergy.results.Lines;

/**
 * The CUDA driver API (libcuda.so.1, installed with the NVIDIA driver) through JNA direct mapping: device memory,
 * a stream and the copies the TensorRT engine needs, without a CUDA runtime library (TensorRT 10 carries its own,
 * statically linked). Direct mapping keeps a call at well under a microsecond: two of them are in every batch.
 * Handles and device pointers are {@code long}s.
 */
final class CudaDriverApi {
    static final int CUDA_SUCCESS = 0;
    static final int CUDA_ERROR_OUT_OF_MEMORY = 2;
    static final int ATTRIBUTE_MULTIPROCESSOR_COUNT = 16;
    static final int ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR = 75;
    static final int ATTRIBUTE_COMPUTE_CAPABILITY_MINOR = 76;
    static final String LIBRARY = "libcuda.so.1";

    private static String problem;
    private static volatile boolean registered;

    private CudaDriverApi() {}

    /** Binds the natives below to libcuda.so.1 once; null when that worked, else why not (one line). */
    static synchronized String load() {
        if (!registered && problem == null) {
            try {
                Native.register(CudaDriverApi.class, NativeLibrary.getInstance(LIBRARY));
                registered = true;
            } catch (UnsatisfiedLinkError e) {
                String m = Lines.firstLine(e.getMessage());
                problem = m.contains(LIBRARY) && !m.contains("Error looking up function")
                        ? LIBRARY + " not found: no NVIDIA driver on this machine"
                        : LIBRARY + " cannot be bound (" + m + "): the NVIDIA driver may be too old";
            }
        }
        return problem;
    }

    /** The driver's name for a CUresult, e.g. CUDA_ERROR_OUT_OF_MEMORY. */
    static String errorName(int result) {
        long[] name = new long[1];
        // a code given where the driver is not bound (a test's) has no name to look up
        if (registered && cuGetErrorName(result, name) == CUDA_SUCCESS && name[0] != 0) {
            return new Pointer(name[0]).getString(0);
        }
        return "CUresult " + result;
    }

    static native int cuInit(int flags);

    static native int cuDeviceGetCount(int[] count);

    static native int cuDeviceGet(int[] device, int ordinal);

    static native int cuDeviceGetName(byte[] name, int length, int device);

    static native int cuDeviceGetAttribute(int[] value, int attribute, int device);

    static native int cuDeviceTotalMem_v2(long[] bytes, int device);

    static native int cuDevicePrimaryCtxRetain(long[] context, int device);

    static native int cuDevicePrimaryCtxRelease_v2(int device);

    static native int cuCtxSetCurrent(long context);

    static native int cuMemGetInfo_v2(long[] free, long[] total);

    static native int cuStreamCreate(long[] stream, int flags);

    static native int cuStreamDestroy_v2(long stream);

    static native int cuStreamSynchronize(long stream);

    static native int cuMemAlloc_v2(long[] devicePointer, long bytes);

    static native int cuMemFree_v2(long devicePointer);

    static native int cuMemAllocHost_v2(long[] hostPointer, long bytes);

    static native int cuMemFreeHost(long hostPointer);

    static native int cuMemcpyHtoD_v2(long deviceDestination, long hostSource, long bytes);

    static native int cuMemcpyDtoH_v2(long hostDestination, long deviceSource, long bytes);

    static native int cuMemcpyDtoHAsync_v2(long hostDestination, long deviceSource, long bytes, long stream);

    static native int cuGetErrorName(int result, long[] name);
}
