package gpuenergy.engine.tensorrt;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import gpuenergy.engine.NotRunException;
import gpuenergy.engine.Releases;
import gpuenergy.results.NotRun;

import java.util.SplittableRandom;

import static gpuenergy.engine.tensorrt.CudaDriverApi.*;

/**
 * One CUDA device through the driver API: its primary context (the one TensorRT's own CUDA runtime uses), a stream,
 * and device and pinned host memory. Every failure is one line; running out of memory is did-not-fit.
 */
final class CudaDevice {
    final int ordinal;
    final String name;
    final String computeCapability;
    /**
     * Streaming multiprocessors and total memory (bytes): what tells a MIG slice from the whole GPU it is part of, whose
     * name and compute capability it shares, and one slice profile from another.
     */
    final int multiprocessors;
    final long memoryBytes;
    private final int device;
    private final long context;
    private final Teardown teardown;
    private boolean released;

    /**
     * The driver calls that make the context current and end what a session holds, apart from the others so that a test
     * gives their return codes without a GPU.
     */
    interface Teardown {
        int setCurrent(long context);

        int destroyStream(long stream);

        int freeHost(long hostPointer);

        int free(long devicePointer);

        int releasePrimaryContext(int device);
    }

    private static final Teardown DRIVER = new Teardown() {
        @Override
        public int setCurrent(long context) {
            return cuCtxSetCurrent(context);
        }

        @Override
        public int destroyStream(long stream) {
            return cuStreamDestroy_v2(stream);
        }

        @Override
        public int freeHost(long hostPointer) {
            return cuMemFreeHost(hostPointer);
        }

        @Override
        public int free(long devicePointer) {
            return cuMemFree_v2(devicePointer);
        }

        @Override
        public int releasePrimaryContext(int device) {
            return cuDevicePrimaryCtxRelease_v2(device);
        }
    };

    CudaDevice(int ordinal, int device, long context, String name, String computeCapability, int multiprocessors,
               long memoryBytes, Teardown teardown) {
        this.teardown = teardown;
        this.ordinal = ordinal;
        this.device = device;
        this.context = context;
        this.name = name;
        this.computeCapability = computeCapability;
        this.multiprocessors = multiprocessors;
        this.memoryBytes = memoryBytes;
    }

    /**
     * Retains CUDA device {@code ordinal}'s primary context (CUDA_VISIBLE_DEVICES applies: the driver numbers the
     * visible devices) and makes it current on this thread.
     */
    static CudaDevice open(int ordinal, String engine) {
        int device = deviceHandle(ordinal, engine);
        byte[] nameBytes = new byte[256];
        check(cuDeviceGetName(nameBytes, nameBytes.length, device), "cuDeviceGetName");
        int[] major = new int[1];
        int[] minor = new int[1];
        check(cuDeviceGetAttribute(major, ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, device), "cuDeviceGetAttribute");
        check(cuDeviceGetAttribute(minor, ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, device), "cuDeviceGetAttribute");
        int[] multiprocessors = new int[1];
        check(cuDeviceGetAttribute(multiprocessors, ATTRIBUTE_MULTIPROCESSOR_COUNT, device), "cuDeviceGetAttribute");
        long[] memory = new long[1];
        check(cuDeviceTotalMem_v2(memory, device), "cuDeviceTotalMem");
        long[] ctx = new long[1];
        check(cuDevicePrimaryCtxRetain(ctx, device), "cuDevicePrimaryCtxRetain");
        CudaDevice d = new CudaDevice(ordinal, device, ctx[0], Native.toString(nameBytes), major[0] + "." + minor[0], multiprocessors[0],
                memory[0], DRIVER);
        try {
            d.makeCurrent();
        } catch (RuntimeException e) {
            Releases.closeAfter(e, d::release);
            throw e;
        }
        return d;
    }

    /**
     * Checks, without creating a context, that the driver is there and has CUDA device {@code ordinal}; returns its
     * handle.
     */
    static int deviceHandle(int ordinal, String engine) {
        String missing = CudaDriverApi.load();
        if (missing != null) {
            throw NotRunException.unavailable("engine '" + engine + "' needs an NVIDIA GPU: " + missing);
        }
        int rc = cuInit(0);
        if (rc != CUDA_SUCCESS) {
            throw NotRunException.unavailable("engine '" + engine + "' needs an NVIDIA GPU: the CUDA driver has none it can use (cuInit: "
                    + errorName(rc) + ")");
        }
        int[] count = new int[1];
        check(cuDeviceGetCount(count), "cuDeviceGetCount");
        if (ordinal >= count[0]) {
            throw NotRunException.error("device 'gpu:" + ordinal + "' is not accepted for engine '" + engine + "': this machine has "
                    + count[0] + " CUDA device" + (count[0] == 1 ? "" : "s") + " (gpu:0" + (count[0] > 1 ? "..gpu:" + (count[0] - 1) : "")
                    + (System.getenv("CUDA_VISIBLE_DEVICES") == null ? "" : "; CUDA_VISIBLE_DEVICES=" + System.getenv("CUDA_VISIBLE_DEVICES"))
                    + ")");
        }
        int[] dev = new int[1];
        check(cuDeviceGet(dev, ordinal), "cuDeviceGet");
        return dev[0];
    }

    void makeCurrent() {
        check(teardown.setCurrent(context), "cuCtxSetCurrent");
    }

    /** Free and total device memory, bytes. */
    long[] memoryInfo() {
        long[] free = new long[1];
        long[] total = new long[1];
        check(cuMemGetInfo_v2(free, total), "cuMemGetInfo");
        return new long[] {free[0], total[0]};
    }

    /** Device memory; a batch that does not fit is did-not-fit, naming what was being allocated. */
    long allocate(long bytes, String what) {
        long[] ptr = new long[1];
        int rc = cuMemAlloc_v2(ptr, bytes);
        if (rc == CUDA_ERROR_OUT_OF_MEMORY) {
            long[] mem = memoryInfo();
            throw new NotRunException(NotRun.Kind.DID_NOT_FIT, "out of memory on gpu:" + ordinal + " allocating " + mib(bytes)
                    + " for " + what + " (" + mib(mem[0]) + " of " + mib(mem[1]) + " free; CUDA_ERROR_OUT_OF_MEMORY)");
        }
        check(rc, "cuMemAlloc(" + bytes + " bytes for " + what + ")");
        return ptr[0];
    }

    /** Page-locked host memory: the asynchronous device-to-host copy of the output needs it to be truly asynchronous. */
    long allocateHost(long bytes) {
        long[] ptr = new long[1];
        check(cuMemAllocHost_v2(ptr, bytes), "cuMemAllocHost(" + bytes + " bytes)");
        return ptr[0];
    }

    long createStream() {
        long[] stream = new long[1];
        check(cuStreamCreate(stream, 0), "cuStreamCreate");
        return stream[0];
    }

    /**
     * Fills {@code floats} float32 values at {@code devicePointer} with uniform random values in [0, 1), generated on
     * the host in chunks (a large batch's input is several GB) from a fixed seed, so that every run sees the same input.
     */
    void fillRandom(long devicePointer, long floats, long seed) {
        int chunk = (int) Math.min(floats, 1 << 22);
        float[] values = new float[chunk];
        SplittableRandom random = new SplittableRandom(seed);
        try (Memory host = new Memory(chunk * 4L)) {
            for (long done = 0; done < floats; done += chunk) {
                int n = (int) Math.min(chunk, floats - done);
                for (int i = 0; i < n; i++) {
                    values[i] = random.nextFloat();
                }
                host.write(0, values, 0, n);
                check(cuMemcpyHtoD_v2(devicePointer + done * 4, Pointer.nativeValue(host), n * 4L), "cuMemcpyHtoD");
            }
        }
    }

    /** Copies {@code images} images of {@code perImage} floats to the device, repeated until {@code batch} images. */
    void copyTiled(long devicePointer, float[] images, int imageCount, long perImage, int batch) {
        long bytesPerImage = perImage * 4;
        try (Memory host = new Memory(images.length * 4L)) {
            host.write(0, images, 0, images.length);
            for (int i = 0; i < batch; i++) {
                check(cuMemcpyHtoD_v2(devicePointer + i * bytesPerImage, Pointer.nativeValue(host) + (i % imageCount) * bytesPerImage,
                        bytesPerImage), "cuMemcpyHtoD");
            }
        }
    }

    /** Copies device memory into a new host array (setup only, never in the hot path). */
    float[] read(long devicePointer, int floats) {
        try (Memory host = new Memory(floats * 4L)) {
            check(cuMemcpyDtoH_v2(Pointer.nativeValue(host), devicePointer, floats * 4L), "cuMemcpyDtoH");
            return host.getFloatArray(0, floats);
        }
    }

    /**
     * Frees a session's stream, pinned host memory and device memory, then releases the primary context: each whatever
     * the ones before it threw, so that one failure keeps nothing else held; then throws the first failure, which names
     * its call and CUresult (a context that cannot be made current comes first, as the cause of the frees' failures
     * after it). Zero handles are skipped; once the context is released this does nothing.
     */
    void releaseAll(long stream, long hostPointer, long... devicePointers) {
        if (released) {
            return;
        }
        Runnable[] steps = new Runnable[devicePointers.length + 4];
        steps[0] = this::makeCurrent; // teardown may run on another thread than setup
        steps[1] = () -> destroyStream(stream);
        steps[2] = () -> freeHost(hostPointer);
        for (int i = 0; i < devicePointers.length; i++) {
            long pointer = devicePointers[i];
            steps[3 + i] = () -> free(pointer);
        }
        steps[steps.length - 1] = this::release;
        Releases.all(steps);
    }

    private void free(long devicePointer) {
        if (devicePointer != 0) {
            check(teardown.free(devicePointer), "cuMemFree");
        }
    }

    private void freeHost(long hostPointer) {
        if (hostPointer != 0) {
            check(teardown.freeHost(hostPointer), "cuMemFreeHost");
        }
    }

    private void destroyStream(long stream) {
        if (stream != 0) {
            check(teardown.destroyStream(stream), "cuStreamDestroy");
        }
    }

    private void release() {
        if (!released) {
            released = true;
            check(teardown.releasePrimaryContext(device), "cuDevicePrimaryCtxRelease");
        }
    }

    static void check(int rc, String call) {
        if (rc != CUDA_SUCCESS) {
            throw new NotRunException(rc == CUDA_ERROR_OUT_OF_MEMORY ? NotRun.Kind.DID_NOT_FIT : NotRun.Kind.ERROR,
                    call + " failed: " + errorName(rc) + " (CUDA driver)");
        }
    }

    static String mib(long bytes) {
        return (bytes >> 20) + " MiB";
    }
}
