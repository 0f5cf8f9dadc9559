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
     * How the energy profiler read the counter inside the measured windows ({@code lean}, {@code continuous}) and the
     * rate asked outside them: only where it measured.
     */
    public static final String ENERGY_SAMPLING = "energy.sampling";
    public static final String ENERGY_HZ = "energy.hz";

    public static final String GPU_NAME = "gpu.name";
    /** The board: boards of one GPU model differ by a few % in J/img. */
    public static final String GPU_UUID = "gpu.uuid";
    public static final String GPU_PCI_BUS_ID = "gpu.pci_bus_id";
    public static final String GPU_VBIOS = "gpu.vbios";
    public static final String GPU_POWER_LIMIT_W = "gpu.power_limit_w";
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
    public static final String PRECISION = "precision";
    public static final String DJL = "djl";
    public static final String LIBTORCH_VERSION = "libtorch.version";
    public static final String LIBTORCH_FLAVOR = "libtorch.flavor";
    public static final String LIBTORCH_PATH = "libtorch.path";

    /**
     * For engines that build a device-specific engine before measuring: whether it came from their cache ({@code hit},
     * {@code miss}, or {@code rebuilt (why)}), and the seconds its build took (when it was built, in this trial or
     * earlier). The sweep's time prediction reads them.
     */
    public static final String ENGINE_CACHE = "engine.cache";
    public static final String BUILD_SECONDS = "engine.build_seconds";
}
