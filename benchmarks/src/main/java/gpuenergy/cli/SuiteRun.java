package gpuenergy.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import gpuenergy.options.ShellWord;
import gpuenergy.options.SuiteSetting;
import gpuenergy.profile.BuildInfo;
import gpuenergy.profile.DeviceSpec;
import gpuenergy.profile.EnvironmentKeys;
import gpuenergy.profile.GpuEnvironment;
import gpuenergy.profile.NvmlEnergyProfiler;
import gpuenergy.results.BenchmarkResult;
import gpuenergy.results.ParamNames;
import gpuenergy.results.ResultFile;
import gpuenergy.results.TrialRecords;
import gpuenergy.run.Failure;
import gpuenergy.run.RunHooks;
import org.openjdk.jmh.profile.ProfilerException;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.format.OutputFormat;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.ProfilerConfig;
import org.openjdk.jmh.runner.options.VerboseMode;
import org.openjdk.jmh.util.Version;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * What every JMH run of this suite gets, plain or sweep: the energy profiler where a GPU can be measured,
 * a records file the forked benchmark VMs report their environment into, and afterwards that environment
 * added to each entry of the JSON result.
 */
public final class SuiteRun implements RunHooks, AutoCloseable {
    static final String ENERGY_PROFILER = NvmlEnergyProfiler.class.getName();

    final Path records;
    private final String command;
    /** Why this machine's GPU cannot be measured, null when it can: whether the energy profiler is added by itself. */
    private final Supplier<String> gpuUnavailableReason;
    /** The energy profiler's options in the configured run ("" for its defaults); null when it does not measure. */
    private String energyOptions;
    /** NVML's description of the GPU a gpu= option (null: unset) and a device value name ({@link GpuEnvironment#describe}). */
    private final BiFunction<String, String, Map<String, String>> describeGpu;
    /** {@link #gpu}'s descriptions, by the profiler's gpu= option and the device value. */
    private final Map<String, Map<String, String>> gpus = new java.util.HashMap<>();

    SuiteRun(String[] args) throws IOException {
        this(args, GpuEnvironment::unavailableReason);
    }

    SuiteRun(String[] args, Supplier<String> gpuUnavailableReason) throws IOException {
        this(args, gpuUnavailableReason, GpuEnvironment::describe);
    }

    SuiteRun(String[] args, Supplier<String> gpuUnavailableReason, BiFunction<String, String, Map<String, String>> describeGpu)
            throws IOException {
        this.describeGpu = describeGpu;
        this.records = Files.createTempFile("gpuenergy-records", ".jsonl");
        records.toFile().deleteOnExit(); // a launcher stopped by SIGTERM or Ctrl-C leaves no records file either
        List<String> command = new ArrayList<>(List.of("java"));
        SuiteSetting.jvmArgs().forEach(p -> command.add(ShellWord.of(p)));
        command.addAll(List.of("-jar", "benchmarks.jar"));
        Arrays.stream(args).map(ShellWord::of).forEach(command::add);
        this.command = String.join(" ", command);
        this.gpuUnavailableReason = gpuUnavailableReason;
    }

    /** Empties the records file: the forks of the run about to start report into it alone. */
    @Override
    public void startRun() throws IOException {
        Files.write(records, new byte[0]);
    }

    /**
     * Adds the energy profiler (unless the user chose profilers, the caller asks for none, or -Dgpuenergy.energy=off)
     * and the forks' JVM arguments.
     *
     * @return why energy is not measured in this run, or null when it is
     */
    @Override
    public String configure(ChainedOptionsBuilder opts, CommandLineOptions cmd, boolean addEnergy) {
        List<BenchmarkListEntry> selected = selected(opts.build().getIncludes(), cmd.getExcludes());
        List<String> prepend = new ArrayList<>();
        prepend.add("-D" + TrialRecords.PROPERTY + "=" + records);
        // each suite setting once: JMH gives the forks this VM's own arguments unless -jvmArgs or @Fork(jvmArgs) replace
        // them (one prepend serves every selected benchmark: where only some have @Fork(jvmArgs), the others get a setting
        // twice, with the same value)
        boolean ownArgsReplaced = cmd.getJvmArgs().hasValue() || selected.stream().anyMatch(e -> e.getJvmArgs().hasValue());
        java.util.Collection<String> given = ownArgsReplaced ? cmd.getJvmArgs().orElse(List.of())
                : ManagementFactory.getRuntimeMXBean().getInputArguments();
        SuiteSetting.jvmArgs().stream().filter(p -> !given.contains(p)).forEach(prepend::add);
        prepend.addAll(cmd.getJvmArgsPrepend().orElse(List.of()));
        opts.jvmArgsPrepend(prepend.toArray(new String[0]));
        if (cmd.getJvmArgsAppend().hasValue()) {
            // JMH's -jvmArgsAppend replaces the benchmark's @Fork(jvmArgsAppend) (-Xmx4g, cuDNN's benchmark mode): keep
            // those first (each once, in order), so the user's own come after them and win where both set the same option
            Set<String> append = new LinkedHashSet<>();
            selected.forEach(e -> append.addAll(e.getJvmArgsAppend().orElse(List.of())));
            List<String> all = new ArrayList<>(append);
            all.addAll(cmd.getJvmArgsAppend().get());
            opts.jvmArgsAppend(all.toArray(new String[0]));
        }

        energyOptions = null;
        List<ProfilerConfig> profilers = cmd.getProfilers();
        if (!profilers.isEmpty()) {
            profilers.stream().filter(p -> p.getKlass().equals(ENERGY_PROFILER)).findFirst()
                    .ifPresent(p -> energyOptions = p.getOpts() == null ? "" : p.getOpts());
            return energyOptions != null ? null : "-prof given without energy";
        }
        if (!addEnergy) {
            return "no profiler asked for";
        }
        if ("off".equals(SuiteSetting.ENERGY.value())) {
            return "switched off with -Dgpuenergy.energy=off";
        }
        String reason = gpuUnavailableReason.get();
        if (reason == null) {
            opts.addProfiler(ENERGY_PROFILER);
            energyOptions = "";
        }
        return reason;
    }

    /** The benchmarks these patterns select; none when the benchmark list cannot be read. */
    static List<BenchmarkListEntry> selected(List<String> includes, List<String> excludes) {
        try {
            OutputFormat silent = OutputFormatFactory.createFormatInstance(System.out, VerboseMode.SILENT);
            return new ArrayList<>(BenchmarkList.defaultList().find(silent, includes.isEmpty() ? List.of(".*") : includes,
                    excludes));
        } catch (RuntimeException e) {
            return List.of(); // JMH reports the missing benchmark list itself
        }
    }

    /** JMH's JSON entries with {"environment": host + what the forks reported}; unchecked so it can be a function. */
    @Override
    public JsonArray withEnvironment(JsonArray jmh) {
        JsonArray out;
        try {
            out = ResultFile.withEnvironment(jmh, hostEnvironment(), records());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // each entry names the GPU its benchmark ran on (device=gpu:N) and the profiler measured (its gpu= option)
        for (JsonElement e : out) {
            JsonObject entry = e.getAsJsonObject();
            JsonObject params = entry.getAsJsonObject("params");
            String device = params == null || !params.has(ParamNames.DEVICE) ? null : params.get(ParamNames.DEVICE).getAsString();
            Map<String, String> host = gpu(null), own = gpu(device);
            if (!own.equals(host)) {
                // the host's GPU is the wrong one here: where the benchmark's cannot be described, no GPU is named
                JsonObject env = entry.getAsJsonObject("environment");
                host.keySet().stream().filter(k -> k.startsWith(EnvironmentKeys.GPU_PREFIX)).forEach(env::remove);
                own.forEach(env::addProperty);
            }
        }
        return out;
    }

    /**
     * The GPU a benchmark with this device value (null: none given) runs on, or the one the energy profiler's gpu=
     * option names: NVML's description (name, UUID, driver, power limit ...), once per device; empty without a GPU,
     * for a benchmark on the CPU or with a device value outside {@link DeviceSpec}'s grammar (unless gpu= names one),
     * or when it cannot be described (said in one line).
     */
    private Map<String, String> gpu(String device) {
        String gpuOption = measuredGpuOption();
        // a value DeviceSpec does not read runs nowhere: its benchmarks are refused with that line
        if (gpuOption == null && device != null && (DeviceSpec.runsOnCpu(device) || DeviceSpec.readOrNull(device) == null)) {
            return Map.of();
        }
        return gpus.computeIfAbsent(gpuOption + "|" + device, k -> {
            try {
                return describeGpu.apply(gpuOption, device);
            } catch (RuntimeException e) {
                // the results and the not-run list go on without the GPU
                System.out.println("environment: " + Failure.oneLine(e.getMessage()) + "; the results of "
                        + ParamNames.DEVICE + "=" + device + " name no GPU");
                return Map.of();
            }
        });
    }

    /** The energy profiler's gpu= option in the configured run; null when unset or not measuring. */
    private String measuredGpuOption() {
        try {
            return energyOptions == null ? null : NvmlEnergyProfiler.gpuOption(energyOptions);
        } catch (ProfilerException e) {
            return null; // JMH refused the same line and measured nothing with it
        }
    }

    @Override
    public List<String> profilers(List<String> given) {
        return Main.profilers(given);
    }

    /** gpu.name of the environment record {@link #finish} adds to a benchmark with this device value. */
    @Override
    public String gpuName(String device) {
        return gpu(device).get(EnvironmentKeys.GPU_NAME);
    }

    @Override
    public String gpuUuid(String device) {
        return gpu(device).get(EnvironmentKeys.GPU_UUID);
    }

    @Override
    public String gpuMigMode(String device) {
        return gpu(device).get(EnvironmentKeys.GPU_MIG_MODE);
    }

    @Override
    public String gpuMigProfile(String device) {
        return gpu(device).get(EnvironmentKeys.GPU_MIG_PROFILE);
    }

    @Override
    public String mainClass() {
        return Main.class.getName();
    }

    @Override
    public TrialRecords.NotRunRecord notRun(String benchmark, Map<String, String> params) {
        try {
            return records().notRun(BenchmarkResult.key(benchmark, params));
        } catch (IOException | RuntimeException e) {
            return null; // then the run's own failure stands
        }
    }

    TrialRecords records() throws IOException {
        return TrialRecords.read(records);
    }

    private Map<String, String> hostEnvironment() {
        // first: which build of this tool measured (the energy method changes between commits)
        Map<String, String> m = new LinkedHashMap<>(BuildInfo.describe());
        m.putAll(gpu(null)); // the entries replace it with their own benchmark's GPU
        if (energyOptions != null) {
            try {
                m.putAll(NvmlEnergyProfiler.environment(energyOptions));
            } catch (ProfilerException e) {
                // JMH refused the same line and measured nothing with it
            }
        }
        m.put(EnvironmentKeys.JMH, Version.getPlainVersion());
        m.put(EnvironmentKeys.JVM, System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        m.put(EnvironmentKeys.OS, System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        m.put(EnvironmentKeys.HOST_CPU, cpuModel(Path.of("/proc/cpuinfo")));
        m.put(EnvironmentKeys.HOST_CPUS, String.valueOf(Runtime.getRuntime().availableProcessors()));
        m.put(EnvironmentKeys.COMMAND, command);
        return m;
    }

    /** The first "model name" of a Linux /proc/cpuinfo; "unknown" where there is none (other OS, unreadable). */
    static String cpuModel(Path cpuinfo) {
        try (var lines = Files.lines(cpuinfo)) {
            return lines.filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst().orElse("unknown");
        } catch (IOException | UncheckedIOException e) {
            return "unknown";
        }
    }

    @Override
    public void close() throws IOException {
        Files.deleteIfExists(records);
    }
}
