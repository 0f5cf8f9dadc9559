package gpuenergy.nvml;

import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;

import java.lang.reflect.Constructor;
import java.lang.reflect.Proxy;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * A GPU without NVML, for the sampler's thread: an energy counter that steps by 10 J every 100 ms of System.nanoTime,
 * a steady 100 W power reading (a read may take a while); every other call fails as an unsupported one does. A counter read can keep the calling
 * thread busy for a while, as the real one does (3.9 ms of CPU on an H200).
 */
public final class FakeNvml {
    private static final long STEP_NS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final int ERROR_NOT_SUPPORTED = 3;

    private FakeNvml() {}

    public static NvmlDevice device() {
        return device(0, new AtomicBoolean());
    }

    /**
     * @param counterReadNs how long a counter read spins
     * @param counterReading true while a counter read is under way
     */
    public static NvmlDevice device(long counterReadNs, AtomicBoolean counterReading) {
        return device(counterReadNs, 0, counterReading);
    }

    /** @param powerReadNs how long a power read takes (sleeping, as a call that waits on the driver) */
    public static NvmlDevice device(long counterReadNs, long powerReadNs, AtomicBoolean counterReading) {
        long start = System.nanoTime();
        NvmlLibrary lib = (NvmlLibrary) Proxy.newProxyInstance(NvmlLibrary.class.getClassLoader(), new Class<?>[]{NvmlLibrary.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "nvmlDeviceGetTotalEnergyConsumption" -> {
                        counterReading.set(true);
                        long readStart = System.nanoTime();
                        long mj = 10_000 * ((readStart - start) / STEP_NS);
                        while (System.nanoTime() - readStart < counterReadNs) {
                            Thread.onSpinWait();
                        }
                        counterReading.set(false);
                        ((LongByReference) args[1]).setValue(mj);
                        yield 0;
                    }
                    case "nvmlDeviceGetPowerUsage" -> {
                        LockSupport.parkNanos(powerReadNs);
                        ((IntByReference) args[1]).setValue(100_000);
                        yield 0;
                    }
                    case "nvmlErrorString" -> "Not Supported";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "FakeNvml";
                    default -> ERROR_NOT_SUPPORTED;
                });
        try {
            Constructor<Nvml> nvml = Nvml.class.getDeclaredConstructor(NvmlLibrary.class);
            nvml.setAccessible(true);
            return new NvmlDevice(nvml.newInstance(lib), null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
