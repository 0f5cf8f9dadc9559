package gpuenergy.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.pytorch.jni.LibUtils;
import gpuenergy.options.SuiteSetting;
import gpuenergy.profile.DeviceSpec;
import gpuenergy.profile.EnvironmentKeys;

import java.io.IOException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The libtorch DJL loaded in this VM, and the {@code device} parameter resolved against it.
 *
 * <p>Packaging trap this class guards: with pytorch-native-cpu on the classpath (the default jar), DJL
 * loads the CPU libtorch even on a GPU machine unless PYTORCH_LIBRARY_PATH names another one. A run on
 * such a machine must never silently measure the CPU, so {@code auto} fails there instead of falling back.
 */
public final class Libtorch {
    static final String HOW_TO_POINT_AT_CUDA = "set PYTORCH_LIBRARY_PATH to a CUDA libtorch (e.g. the output of "
            + "python3 -c \"import torch,os;print(os.path.dirname(torch.__file__)+'/lib')\")";

    private static Libtorch loaded;

    private final Engine engine;
    private final String version;
    private final String flavor;
    private final String path;

    private Libtorch(Engine engine) {
        this.engine = engine;
        this.version = engine.getVersion();
        this.path = LibUtils.getLibtorchPath();
        // DJL does not expose the flavour it chose; the files say it: only CUDA builds ship libtorch_cuda.so.
        this.flavor = Files.exists(Path.of(path, System.mapLibraryName("torch_cuda"))) ? "cuda" : "cpu";
    }

    /** DJL's property for libtorch's intra-op threads, which -h lists among the suite's settings. */
    static final String THREADS = SuiteSetting.TORCH_THREADS.property();

    /**
     * Loads libtorch once per VM (the first call extracts the bundled CPU libtorch, which takes seconds); a value of
     * {@value #THREADS} other than a whole number >= 1 is an error, not run: DJL passes over one it cannot read (abc)
     * without a word, running on libtorch's own count, and refuses 0 as libtorch that could not load. The launcher refuses
     * such a value before anything runs; a VM started otherwise (JMH's own Main) reaches this check.
     */
    public static synchronized Libtorch get() {
        String threads = System.getProperty(THREADS);
        if (threads != null && !SuiteSetting.TORCH_THREADS.accepts(threads)) {
            throw NotRunException.error(SuiteSetting.TORCH_THREADS.notAccepted(threads));
        }
        if (loaded == null) {
            // Leave one core to the JVM (JMH's threads, JIT, GC). With as many OpenMP threads as cores, a 2-core
            // CPU-only machine measured mobilenetv3_small_100 at batch 8 anywhere between 0.7 and 39 batches/s
            // from one 4 s iteration to the next (OpenMP threads spinning on a barrier while one of them waits
            // for a core); with one thread, 19-25 batches/s. Set ai.djl.pytorch.num_threads to override.
            if (threads == null) {
                System.setProperty(THREADS,
                        String.valueOf(Math.max(1, Runtime.getRuntime().availableProcessors() - 1)));
            }
            if (System.getProperty("ai.djl.pytorch.num_interop_threads") == null) {
                System.setProperty("ai.djl.pytorch.num_interop_threads", "1"); // one batch at a time: no inter-op work
            }
            Engine engine;
            try {
                engine = Engine.getEngine("PyTorch");
            } catch (RuntimeException | LinkageError e) {
                throw NotRunException.unavailable(loadFailure(e, System.getenv("PYTORCH_LIBRARY_PATH")));
            }
            loaded = new Libtorch(engine);
        }
        return loaded;
    }

    /**
     * Why DJL loaded no libtorch, in one line. A jar built without the bundled CPU libtorch (-Dexternal-libtorch, for GPU
     * machines) run without PYTORCH_LIBRARY_PATH has DJL download one: offline, its failure is a bare host name.
     */
    static String loadFailure(Throwable e, String pytorchLibraryPath) {
        String line = "cannot load libtorch through DJL: ";
        if (pytorchLibraryPath != null) {
            return line + NotRunException.firstLine(e) + " (PYTORCH_LIBRARY_PATH=" + pytorchLibraryPath + "; DJL "
                    + Engine.getDjlVersion() + " needs its JNI built for that libtorch, see README)";
        }
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof IOException && t.getClass().getPackageName().equals("java.net")) {
                return line + "this jar holds none and DJL could not download one ("
                        + (t instanceof UnknownHostException ? "unknown host " + t.getMessage() : NotRunException.firstLine(t))
                        + "); " + HOW_TO_POINT_AT_CUDA + ", as tools/gpu-env.sh does";
            }
        }
        return line + NotRunException.firstLine(e);
    }

    public boolean isCudaBuild() {
        return "cuda".equals(flavor);
    }

    /** torch::cuda::is_available() as seen by this libtorch (honours CUDA_VISIBLE_DEVICES). */
    public boolean seesCudaDevice() {
        return engine.hasCapability("CUDA");
    }

    /** An NVIDIA driver is installed on this machine, whatever libtorch was loaded. */
    public static boolean nvidiaGpuPresent() {
        return Files.exists(Path.of("/proc/driver/nvidia/version")) || Files.exists(Path.of("/dev/nvidia0"));
    }

    /**
     * auto = GPU 0 when this libtorch sees a CUDA device, else the CPU (but never the CPU on a machine
     * with an NVIDIA GPU: that is the packaging trap above); cpu; gpu = gpu:0; gpu:N.
     */
    public Device resolve(DeviceSpec spec) {
        switch (spec.kind()) {
            case CPU:
                return Device.cpu();
            case AUTO:
                if (seesCudaDevice()) {
                    return Device.gpu(0);
                }
                if (nvidiaGpuPresent()) {
                    throw NotRunException.unavailable(isCudaBuild()
                            ? "device=auto: this machine has an NVIDIA GPU but the CUDA libtorch at " + path
                            + " sees no CUDA device (check CUDA_VISIBLE_DEVICES and the driver); pass -p device=cpu to measure the CPU on purpose"
                            : "device=auto: this machine has an NVIDIA GPU but DJL loaded the CPU libtorch (" + path + "); "
                            + HOW_TO_POINT_AT_CUDA + ", or pass -p device=cpu to measure the CPU on purpose");
                }
                return Device.cpu();
            default:
                if (!isCudaBuild() && !nvidiaGpuPresent()) {
                    // no CUDA libtorch would help: say what is missing, not how to load one
                    throw NotRunException.unavailable("device '" + spec + "' needs an NVIDIA GPU, and this machine has none "
                            + "(no NVIDIA driver: neither /proc/driver/nvidia/version nor /dev/nvidia0); on a CPU use -p device=cpu");
                }
                if (!isCudaBuild()) {
                    throw NotRunException.unavailable("device '" + spec + "' needs a CUDA libtorch but DJL loaded the CPU libtorch ("
                            + path + "); " + HOW_TO_POINT_AT_CUDA);
                }
                if (!seesCudaDevice()) {
                    throw NotRunException.unavailable("device '" + spec + "': the CUDA libtorch at " + path
                            + " sees no CUDA device (check CUDA_VISIBLE_DEVICES and the driver)");
                }
                return Device.gpu(spec.ordinal());
        }
    }

    /** How a resolved device is written in results: cpu or gpu:N, as {@link DeviceSpec} writes it. */
    public static String label(Device device) {
        return (device.isGpu() ? DeviceSpec.gpu(device.getDeviceId()) : DeviceSpec.CPU).toString();
    }

    public Map<String, String> describe() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(EnvironmentKeys.DJL, Engine.getDjlVersion());
        m.put(EnvironmentKeys.LIBTORCH_VERSION, version);
        m.put(EnvironmentKeys.LIBTORCH_FLAVOR, flavor);
        m.put(EnvironmentKeys.LIBTORCH_PATH, path);
        for (String env : new String[] {"PYTORCH_LIBRARY_PATH", "PYTORCH_VERSION", "PYTORCH_FLAVOR"}) {
            String v = System.getenv(env);
            if (v != null) {
                m.put(EnvironmentKeys.ENV_PREFIX + env, v);
            }
        }
        m.put(EnvironmentKeys.TORCH_INTRA_OP_THREADS, String.valueOf(JniUtils.getNumThreads()));
        m.put(EnvironmentKeys.TORCH_INTEROP_THREADS, String.valueOf(JniUtils.getNumInteropThreads()));
        m.put(EnvironmentKeys.TORCHSCRIPT_GRAPH_OPTIMIZER, System.getProperty("ai.djl.pytorch.graph_optimizer", "true"));
        return m;
    }

    /** One line for the run's log: which libtorch this VM runs. */
    @Override
    public String toString() {
        return "libtorch " + version + " (" + flavor + ") from " + path + ", DJL " + Engine.getDjlVersion();
    }
}
