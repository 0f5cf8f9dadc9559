package gpuenergy.profile;

/**
 * The keys of the {@code environment} object a result entry carries: what measured it and on what. The profilers
 * module writes the GPU's, the build's and the energy profiler's options ({@link GpuEnvironment}, {@link BuildInfo},
 * {@link NvmlEnergyProfiler#environment}), the suite's launcher and engines the rest; every writer and reader names a
 * key through these constants, beside {@link EnergyLabels}, so that both modules share one spelling of the result
 * schema.
 */
public final class EnvironmentKeys {
    private EnvironmentKeys() {}

    /** The Maven version of the build that measured. */
    public static final String TOOL_VERSION = "tool.version";
    /** The git commit of that build, "-dirty" with uncommitted changes to tracked files, "unknown" outside git. */
    public static final String TOOL_COMMIT = "tool.commit";

    /**
     * Present only on the entries of a {@code *.unfinished.json}: a benchmark that did not finish (the run stopped
     * during it, or it failed after measuring), with how far it got. Its iterations are kept, but they are no result:
     * every reader refuses such an entry as one.
     */
    public static final String UNFINISHED = "unfinished";

    /**
     * How the energy profiler read the counter inside the measured windows (its {@code sampling} option: ends, lean,
     * quiet or continuous) and the rate asked outside them: only where it measured.
     */
    public static final String ENERGY_SAMPLING = "energy.sampling";
    public static final String ENERGY_HZ = "energy.hz";
    /**
     * "true" where the energy profiler sat out every other pair of measured windows ({@code interleave=true}): JMH's
     * score is then over every window, its energy figures over the sampled ones; absent otherwise.
     */
    public static final String ENERGY_INTERLEAVE = "energy.interleave";

    /** What every key about the GPU measured begins with. */
    public static final String GPU_PREFIX = "gpu.";
    public static final String GPU_NAME = "gpu.name";
    /** The board: boards of one GPU model differ by a few % in J/img. */
    public static final String GPU_UUID = "gpu.uuid";
    public static final String GPU_PCI_BUS_ID = "gpu.pci_bus_id";
    public static final String GPU_VBIOS = "gpu.vbios";
    public static final String GPU_POWER_LIMIT_W = "gpu.power_limit_w";
    /**
     * Whether the GPU is split into MIG instances ({@link GpuEnvironment}): {@link #GPU_MIG_ENABLED} where it is, and the
     * benchmark then ran on one instance, its SMs and memory a slice of the GPU the other gpu.* keys name, while the
     * energy and power measured are the whole board's; {@link #GPU_MIG_DISABLED}; {@link #NOT_APPLICABLE} on a GPU or
     * driver without MIG; {@link #UNKNOWN} where NVML does not tell.
     */
    public static final String GPU_MIG_MODE = "gpu.mig_mode";
    public static final String GPU_MIG_ENABLED = "enabled";
    public static final String GPU_MIG_DISABLED = "disabled";
    /**
     * Present where {@link #GPU_MIG_MODE} is {@link #GPU_MIG_ENABLED}: the profile of the MIG instance the benchmark ran
     * on, as NVML's name of the instance ends ("1g.10gb" of "NVIDIA H100 80GB HBM3 MIG 1g.10gb"), which tells its slice of
     * the SMs and memory from the board's other instances'; {@link #UNKNOWN} where CUDA or NVML does not tell which
     * instance it is, or the benchmark's instance is not on the board measured.
     */
    public static final String GPU_MIG_PROFILE = "gpu.mig_profile";
    public static final String DRIVER = "driver";
    public static final String CUDA_DRIVER = "cuda_driver";
    public static final String NVML = "nvml";

    public static final String JMH = "jmh";
    public static final String JVM = "jvm";
    public static final String OS = "os";
    /** Launch-bound batches run at the host's pace: the CPU is part of such a result. */
    public static final String HOST_CPU = "host.cpu";
    public static final String HOST_CPUS = "host.cpus";
    public static final String COMMAND = "command";

    /** The device the benchmark ran on as its engine names it: cpu, gpu:N. */
    public static final String DEVICE = "device";
    /** The precision the engine computes in: {@link #PRECISION_FP32} or {@link #PRECISION_FP16}. */
    public static final String PRECISION = "precision";
    public static final String PRECISION_FP32 = "fp32";
    public static final String PRECISION_FP16 = "fp16";
    public static final String DJL = "djl";
    public static final String LIBTORCH_VERSION = "libtorch.version";
    public static final String LIBTORCH_FLAVOR = "libtorch.flavor";
    public static final String LIBTORCH_PATH = "libtorch.path";

    /**
     * For engines that build a device-specific engine before measuring: whether it came from their cache ({@code hit},
     * {@code hit after waiting N s for another process's build}, {@code miss}, or {@code rebuilt (why)}), and the seconds
     * its build took (when it was built, in this trial or earlier). The sweep's time prediction reads them.
     */
    public static final String ENGINE_CACHE = "engine.cache";
    public static final String BUILD_SECONDS = "engine.build_seconds";
    /** {@link #ENGINE_CACHE}'s value when the engine came from the cache unchanged, with no build in this trial. */
    public static final String ENGINE_CACHE_HIT = "hit";
    /** {@link #ENGINE_CACHE}'s value when the cache had no engine for this configuration and this trial built it. */
    public static final String ENGINE_CACHE_MISS = "miss";
    /** The engine file measured, for engines that build one. */
    public static final String ENGINE_FILE = "engine.file";
    /**
     * The SHA-256 of the engine measured: two results with the same one measured the same engine bytes, so a change in
     * J/img between them (a driver upgrade, say) is not the engine's; another one means it was built again.
     */
    public static final String ENGINE_SHA256 = "engine.sha256";

    /** The value of a key the run could not tell: a GPU's power limit its NVML does not report, a build without git. */
    public static final String UNKNOWN = "unknown";

    /** The value of an engine option that does not apply where the benchmark ran ({@link #TF32}, {@link #CUDNN_BENCHMARK}). */
    public static final String NOT_APPLICABLE = "n/a";

    /**
     * Whether float32 layers may run in TF32 on the GPU: {@link #TF32_ON}, {@link #TF32_OFF}, or
     * {@link #TF32_NOT_APPLICABLE} where no float32 layer runs on a GPU (the CPU, half-precision input). Readers take
     * every value but {@link #TF32_OFF} as TF32 allowed ({@link #tf32Allowed}): it is the default of PyTorch's
     * convolutions and of TensorRT, and results written before the key existed, or with the value "true", ran so.
     */
    public static final String TF32 = "tf32";
    public static final String TF32_ON = "on";
    public static final String TF32_OFF = "off";
    public static final String TF32_NOT_APPLICABLE = NOT_APPLICABLE;

    /** How a reader takes a {@link #TF32} value, null when the result has none: true unless it is {@link #TF32_OFF}. */
    public static boolean tf32Allowed(String value) {
        return !TF32_OFF.equalsIgnoreCase(value == null ? "" : value.strip());
    }

    /** The precision the engine's input is given in, where it differs from {@link #PRECISION}'s. */
    public static final String INPUT_PRECISION = "input_precision";
    /** The runtime that executes the model, for engines other than DJL's libtorch. */
    public static final String RUNTIME = "runtime";
    /** The shape of one batch's output, from one inference before measuring: "(batch, classes)". */
    public static final String OUTPUT_SHAPE = "output_shape";
    public static final String GPU_COMPUTE_CAPABILITY = "gpu.compute_capability";

    /** Whether cuDNN picks its convolution algorithms by timing them ({@code true}, {@code false}; n/a off the GPU). */
    public static final String CUDNN_BENCHMARK = "cudnn_benchmark";
    /** Prefix of the environment variables recorded as they were: env.PYTORCH_VERSION, ... */
    public static final String ENV_PREFIX = "env.";
    /** How the benchmark's process allocates host memory: glibc malloc's thresholds (gpuenergy.bench.GlibcMalloc). */
    public static final String MALLOC = "malloc";
    public static final String TORCH_INTRA_OP_THREADS = "torch.intra_op_threads";
    public static final String TORCH_INTEROP_THREADS = "torch.interop_threads";
    public static final String TORCHSCRIPT_GRAPH_OPTIMIZER = "torchscript.graph_optimizer";

    /** The model measured: where it was loaded from, how it was found, and its input's channels x height x width. */
    public static final String MODEL_LOCATION = "model.location";
    public static final String MODEL_SOURCE = "model.source";
    public static final String MODEL_INPUT_SHAPE = "model.input_shape";
    /** Whether the model file's SHA-256 matched its export record: "matched" or "not in the record". */
    public static final String MODEL_SHA256_CHECK = "model.sha256_check";
    /** Which frozen variant an opt-* artifact is, and the img/s of every candidate at export. */
    public static final String MODEL_VARIANT = "model.variant";
    public static final String MODEL_TUNING = "model.tuning";
    /**
     * The export record's numerics check: {@link #NUMERICS} is "unchecked" where the model has no record; otherwise
     * every field of the record is written under {@link #NUMERICS_PREFIX} (numerics.passed, numerics.relative_error,
     * ...).
     */
    public static final String NUMERICS = "numerics";
    public static final String NUMERICS_PREFIX = "numerics.";

    /** TensorRT: the library and how it was found, how the engine was built, and its numerics gate. */
    public static final String TENSORRT_VERSION = "tensorrt.version";
    public static final String TENSORRT_LIBRARY = "tensorrt.library";
    public static final String TENSORRT_LIBRARY_SOURCE = "tensorrt.library_source";
    public static final String TENSORRT_BUILDER_FLAGS = "tensorrt.builder_flags";
    public static final String TENSORRT_OPTIMIZATION_LEVEL = "tensorrt.optimization_level";
    public static final String TENSORRT_DEVICE_MEMORY_BYTES = "tensorrt.device_memory_bytes";
    /** "unchecked (...)" where the gate did not run; otherwise the gate's figures below. */
    public static final String TENSORRT_NUMERICS = "tensorrt.numerics";
    public static final String TENSORRT_NUMERICS_RELATIVE_ERROR = "tensorrt.numerics.relative_error";
    public static final String TENSORRT_NUMERICS_TOP1_AGREEMENT = "tensorrt.numerics.top1_agreement";
    public static final String TENSORRT_NUMERICS_BOUND = "tensorrt.numerics.bound";
    public static final String TENSORRT_NUMERICS_IMAGES = "tensorrt.numerics.images";
}
