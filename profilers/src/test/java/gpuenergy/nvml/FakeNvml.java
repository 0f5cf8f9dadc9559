package gpuenergy.nvml;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;

import java.lang.reflect.Constructor;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A GPU without NVML, for the sampler's thread and a trial: an energy counter that starts at 1 MJ (a driver loaded a
 * while ago) and steps by 10 J every 100 ms of System.nanoTime, a steady 100 W power reading (a read may take a while),
 * the GPU's name, UUID, power limit, VBIOS, PCI bus id and MIG mode (where it has MIG), the driver's versions; every
 * other call fails as an unsupported one does. A counter read can keep the calling thread busy for a while, as the real
 * one does (3.9 ms of CPU on an H200).
 */
public final class FakeNvml {
    private static final long STEP_NS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long START_MJ = 1_000_000_000L;
    private static final int ERROR_INVALID_ARGUMENT = 2;
    private static final int ERROR_NOT_SUPPORTED = 3;
    private static final int ERROR_NOT_FOUND = 6;
    private static final int ERROR_GPU_IS_LOST = 15;

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
        return new NvmlDevice(nvml(counterReadNs, powerReadNs, counterReading, new AtomicBoolean(), new AtomicLong(), null), null);
    }

    /**
     * A GPU that has field 186, the instant power, reading {@link #INSTANT_POWER_MW} (nvmlDeviceGetPowerUsage's 1 s
     * average reads 100 W), whose field reads fail (NVML's "GPU is lost") while {@code instantPowerFails} is true.
     */
    public static NvmlDevice withInstantPower(AtomicBoolean instantPowerFails) {
        return new NvmlDevice(nvml(0, 0, new AtomicBoolean(), new AtomicBoolean(), new AtomicLong(), null, instantPowerFails, null,
                new AtomicBoolean(), ONE_GPU), null);
    }

    /** What field 186 reads on {@link #withInstantPower}, milliwatts. */
    public static final long INSTANT_POWER_MW = 120_000;

    /** A GPU whose counter reads fail (NVML's "GPU is lost") while {@code counterFails} is true. */
    public static NvmlDevice failingCounter(AtomicBoolean counterFails) {
        return new NvmlDevice(nvml(0, 0, new AtomicBoolean(), counterFails, new AtomicLong(), null), null);
    }

    /**
     * An NVML session with one GPU at index 0, "Fake GPU" (GPU-fake), enforcing 700 W, whose counter reads fail while
     * {@code counterFails} is true.
     */
    public static Nvml session(AtomicBoolean counterFails) {
        return session(counterFails, new AtomicLong());
    }

    /**
     * The same session, its counter read {@code counterLoweredMj} lower (at most 1 MJ): raising it makes the counter
     * go backwards, as a driver reload or a GPU reset does.
     */
    public static Nvml session(AtomicBoolean counterFails, AtomicLong counterLoweredMj) {
        return nvml(0, 0, new AtomicBoolean(), counterFails, counterLoweredMj, null);
    }

    /**
     * The same session on a driver whose NVML lacks {@code function}: calling it throws JNA's UnsatisfiedLinkError, as
     * an older libnvidia-ml does for a call it does not export.
     */
    public static Nvml sessionWithout(String function) {
        return nvml(0, 0, new AtomicBoolean(), new AtomicBoolean(), new AtomicLong(), function);
    }

    /** The same session on a board where {@code function} returns NVML's "Not Supported". */
    public static Nvml sessionNotSupporting(String function) {
        return nvml(0, 0, new AtomicBoolean(), new AtomicBoolean(), new AtomicLong(), null, null, function, new AtomicBoolean(), ONE_GPU);
    }

    /**
     * The same session, its counter read without stepping while {@code counterStalls} is true (a driver that stalls the
     * counter's updates): every read succeeds with the value it had when the stall began.
     */
    public static Nvml sessionStalling(AtomicBoolean counterStalls) {
        return nvml(0, 0, new AtomicBoolean(), new AtomicBoolean(), new AtomicLong(), null, null, null, counterStalls, ONE_GPU);
    }

    /**
     * One GPU of {@link #sessionOf}: its name, UUID, whether it has the energy counter (Volta or newer), and its MIG
     * mode (nvmlDeviceGetMigMode's, 0 off, 1 on; null on a GPU without MIG, whose call is "Not Supported"); a name of
     * null is a GPU NVML counts but cannot open ("GPU is lost" for its handle). A MIG instance ({@link #migInstance})
     * names its board: NVML neither counts nor numbers it, but finds it by its "MIG-" UUID.
     */
    public record Gpu(String name, String uuid, boolean hasCounter, Integer migMode, String boardUuid) {
        public Gpu(String name, String uuid, boolean hasCounter, Integer migMode) {
            this(name, uuid, hasCounter, migMode, null);
        }

        /** A GPU without MIG. */
        public Gpu(String name, String uuid, boolean hasCounter) {
            this(name, uuid, hasCounter, null);
        }

        /** A GPU NVML counts but cannot open (fallen off the bus). */
        public static Gpu lost(String uuid) {
            return new Gpu(null, uuid, false);
        }

        /** A MIG instance of the board with UUID {@code boardUuid}, named as NVML names one ("NAME MIG 1g.10gb"). */
        public static Gpu migInstance(String name, String uuid, String boardUuid) {
            return new Gpu(name, uuid, false, null, boardUuid);
        }
    }

    /** The GPU of every other session: "Fake GPU" (GPU-fake), with the counter. */
    private static final List<Gpu> ONE_GPU = List.of(new Gpu("Fake GPU", "GPU-fake", true));

    /**
     * A session with these GPUs at NVML indices 0, 1, ... (MIG instances left out of the numbering), each found by index
     * and by UUID; the counter of one without it is "Not Supported", as on a GPU older than Volta.
     */
    public static Nvml sessionOf(Gpu... gpus) {
        return nvml(0, 0, new AtomicBoolean(), new AtomicBoolean(), new AtomicLong(), null, null, null, new AtomicBoolean(),
                List.of(gpus));
    }

    private static Nvml nvml(long counterReadNs, long powerReadNs, AtomicBoolean counterReading, AtomicBoolean counterFails,
                             AtomicLong counterLoweredMj, String missingFunction) {
        return nvml(counterReadNs, powerReadNs, counterReading, counterFails, counterLoweredMj, missingFunction, null, null,
                new AtomicBoolean(), ONE_GPU);
    }

    /**
     * @param instantPowerFails    null: no field 186 (the field call is unsupported); else it fails while true
     * @param unsupportedFunction  a call that returns "Not Supported"; null: none
     * @param counterStalls        while true, the counter reads the value it had when it became true
     * @param gpus                 the GPUs, NVML index 0 first
     */
    private static Nvml nvml(long counterReadNs, long powerReadNs, AtomicBoolean counterReading, AtomicBoolean counterFails,
                             AtomicLong counterLoweredMj, String missingFunction, AtomicBoolean instantPowerFails,
                             String unsupportedFunction, AtomicBoolean counterStalls, List<Gpu> gpus) {
        long start = System.nanoTime();
        AtomicLong stalledAtNs = new AtomicLong(-1);
        NvmlLibrary lib = (NvmlLibrary) Proxy.newProxyInstance(NvmlLibrary.class.getClassLoader(), new Class<?>[]{NvmlLibrary.class},
                (proxy, method, args) -> method.getName().equals(missingFunction) ? missing(missingFunction)
                        : method.getName().equals(unsupportedFunction) ? ERROR_NOT_SUPPORTED : switch (method.getName()) {
                    case "nvmlDeviceGetTotalEnergyConsumption" -> {
                        if (!gpu(gpus, args[0]).hasCounter()) {
                            yield ERROR_NOT_SUPPORTED;
                        }
                        if (counterFails.get()) {
                            yield ERROR_GPU_IS_LOST;
                        }
                        counterReading.set(true);
                        long readStart = System.nanoTime();
                        if (!counterStalls.get()) {
                            stalledAtNs.set(-1);
                        } else {
                            stalledAtNs.compareAndSet(-1, readStart);
                        }
                        long at = counterStalls.get() ? stalledAtNs.get() : readStart;
                        long mj = START_MJ + 10_000 * ((at - start) / STEP_NS) - counterLoweredMj.get();
                        while (System.nanoTime() - readStart < counterReadNs) {
                            Thread.onSpinWait();
                        }
                        counterReading.set(false);
                        ((LongByReference) args[1]).setValue(mj);
                        yield 0;
                    }
                    // a GPU at 40 C and 1,980 MHz, its clocks held down for no reason
                    case "nvmlDeviceGetTemperature" -> {
                        ((IntByReference) args[2]).setValue(40);
                        yield 0;
                    }
                    case "nvmlDeviceGetClockInfo" -> {
                        ((IntByReference) args[2]).setValue(1980);
                        yield 0;
                    }
                    case "nvmlDeviceGetCurrentClocksEventReasons" -> {
                        ((LongByReference) args[1]).setValue(0);
                        yield 0;
                    }
                    case "nvmlDeviceGetFieldValues" -> {
                        if (instantPowerFails == null) {
                            yield ERROR_NOT_SUPPORTED;
                        }
                        if (instantPowerFails.get()) {
                            yield ERROR_GPU_IS_LOST;
                        }
                        NvmlFieldValue v = (NvmlFieldValue) args[2];
                        v.valueType = NvmlFieldValue.UNSIGNED_INT;
                        v.nvmlReturn = 0;
                        v.value = INSTANT_POWER_MW;
                        v.write();
                        yield 0;
                    }
                    case "nvmlDeviceGetPowerUsage" -> {
                        LockSupport.parkNanos(powerReadNs);
                        ((IntByReference) args[1]).setValue(100_000);
                        yield 0;
                    }
                    case "nvmlInit_v2", "nvmlShutdown" -> 0;
                    case "nvmlDeviceGetCount_v2" -> {
                        ((IntByReference) args[0]).setValue(boards(gpus).size());
                        yield 0;
                    }
                    case "nvmlDeviceGetHandleByIndex_v2" -> {
                        int index = (int) args[0];
                        if (index < 0 || index >= boards(gpus).size()) {
                            yield ERROR_INVALID_ARGUMENT;
                        }
                        Gpu board = boards(gpus).get(index);
                        if (board.name() == null) {
                            yield ERROR_GPU_IS_LOST;
                        }
                        ((PointerByReference) args[1]).setValue(new Pointer(gpus.indexOf(board) + 1));
                        yield 0;
                    }
                    case "nvmlDeviceGetDeviceHandleFromMigDeviceHandle" -> {
                        String board = gpu(gpus, args[0]).boardUuid();
                        if (board == null) {
                            yield ERROR_INVALID_ARGUMENT;
                        }
                        ((PointerByReference) args[1]).setValue(new Pointer(gpus.stream().map(Gpu::uuid).toList().indexOf(board) + 1));
                        yield 0;
                    }
                    case "nvmlDeviceGetHandleByUUID" -> {
                        int index = gpus.stream().map(Gpu::uuid).toList().indexOf((String) args[0]);
                        if (index < 0) {
                            yield ERROR_NOT_FOUND;
                        }
                        ((PointerByReference) args[1]).setValue(new Pointer(index + 1));
                        yield 0;
                    }
                    case "nvmlDeviceGetName" -> text(gpu(gpus, args[0]).name(), (byte[]) args[1]);
                    case "nvmlDeviceGetUUID" -> text(gpu(gpus, args[0]).uuid(), (byte[]) args[1]);
                    case "nvmlDeviceGetEnforcedPowerLimit" -> {
                        ((IntByReference) args[1]).setValue(700_000);
                        yield 0;
                    }
                    case "nvmlDeviceGetMigMode" -> {
                        Integer mode = gpu(gpus, args[0]).migMode();
                        if (mode == null) {
                            yield ERROR_NOT_SUPPORTED;
                        }
                        ((IntByReference) args[1]).setValue(mode);
                        ((IntByReference) args[2]).setValue(mode);
                        yield 0;
                    }
                    case "nvmlDeviceGetVbiosVersion" -> text("96.00.FA.00.01", (byte[]) args[1]);
                    case "nvmlDeviceGetPciInfo_v3" -> {
                        NvmlPciInfo pci = (NvmlPciInfo) args[1];
                        byte[] id = "00000000:1A:00.0".getBytes(StandardCharsets.US_ASCII);
                        System.arraycopy(id, 0, pci.busId, 0, id.length);
                        yield 0;
                    }
                    case "nvmlSystemGetDriverVersion" -> text("580.159.04", (byte[]) args[0]);
                    case "nvmlSystemGetNVMLVersion" -> text("13.580.159.04", (byte[]) args[0]);
                    case "nvmlSystemGetCudaDriverVersion_v2" -> {
                        ((IntByReference) args[0]).setValue(13000);
                        yield 0;
                    }
                    case "nvmlErrorString" -> switch ((int) args[0]) {
                        case ERROR_GPU_IS_LOST -> "GPU is lost";
                        case ERROR_INVALID_ARGUMENT -> "Invalid Argument";
                        case ERROR_NOT_FOUND -> "Not Found";
                        default -> "Not Supported";
                    };
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "FakeNvml";
                    default -> ERROR_NOT_SUPPORTED;
                });
        try {
            Constructor<Nvml> nvml = Nvml.class.getDeclaredConstructor(NvmlLibrary.class);
            nvml.setAccessible(true);
            return nvml.newInstance(lib);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The GPU of a handle the session gave out (index + 1); a device made without a session (null) is the first. */
    private static Gpu gpu(List<Gpu> gpus, Object handle) {
        return handle == null ? gpus.get(0) : gpus.get((int) Pointer.nativeValue((Pointer) handle) - 1);
    }

    /** The GPUs NVML counts and numbers: all but the MIG instances. */
    private static List<Gpu> boards(List<Gpu> gpus) {
        return gpus.stream().filter(g -> g.boardUuid() == null).toList();
    }

    private static Object missing(String function) {
        throw new UnsatisfiedLinkError("Error looking up function '" + function + "': undefined symbol: " + function);
    }

    private static int text(String value, byte[] buffer) {
        byte[] b = value.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, buffer, 0, b.length);
        buffer[b.length] = 0;
        return 0;
    }
}
