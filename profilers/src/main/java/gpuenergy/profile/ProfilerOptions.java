package gpuenergy.profile;

import joptsimple.OptionException;
import joptsimple.OptionParser;
import joptsimple.OptionSet;
import joptsimple.OptionSpec;
import org.openjdk.jmh.profile.ProfilerException;

import java.util.Collection;

/**
 * The profiler's options, {@code -prof gpuenergy.profile.NvmlEnergyProfiler:gpu=...;batchParam=...;deviceParam=...;
 * hz=...;idle=...;settle=...;sampling=...;interleave=true;verbose=true;trace=DIR}, checked.
 *
 * @param gpu           the GPU to measure (NVML index, UUID or PCI bus id); null: the GPU the benchmark runs on
 * @param batchParam    the @Param holding the images per op
 * @param deviceParam   the @Param holding the benchmark's device (auto, gpu, gpu:N: CUDA device 0, 0, N; cpu: not
 *                      measured; any other value is refused: {@link DeviceSpec})
 * @param hz            the counter's sampling rate
 * @param idleSeconds   the idle baseline's length; 0: none
 * @param settleSeconds the longest wait for steady power before the idle baseline
 * @param sampling      how the sampler polls inside a window ({@link Sampling})
 * @param interleave    sit out every other pair of measured windows, in ABBA order ({@link Interleave}), with the
 *                      sampler parked: one run then compares the benchmark with the sampler and without it
 * @param verbose       print every window's figures
 * @param traceDir      where every trial's samples and windows are written as CSV; null: nowhere
 */
record ProfilerOptions(String gpu, String batchParam, String deviceParam, int hz, int idleSeconds, int settleSeconds,
                       Sampling sampling, boolean interleave, boolean verbose, String traceDir) {

    static final ProfilerOptions DEFAULTS = new ProfilerOptions(null, "batchSize", "device", 500, 5, 15,
            Sampling.ENDS, false, false, null);

    static ProfilerOptions parse(String initLine) throws ProfilerException {
        // no abbreviations: a spec names its options in full, so that two specs that mean the same read the same
        OptionParser parser = new OptionParser(false);
        OptionSpec<String> optGpu = parser.accepts("gpu", "GPU to measure: NVML index (as nvidia-smi), GPU UUID or PCI bus id."
                        + " Default: the benchmark's own, CUDA device N for its deviceParam gpu:N (0 for auto and gpu), honouring CUDA_VISIBLE_DEVICES.")
                .withRequiredArg().ofType(String.class).describedAs("index|uuid|pci");
        OptionSpec<String> optBatch = parser.accepts("batchParam", "@Param holding the images per op; missing param: 1 (a name given must be the benchmark's).")
                .withRequiredArg().ofType(String.class).describedAs("name").defaultsTo(DEFAULTS.batchParam);
        OptionSpec<String> optDevice = parser.accepts("deviceParam", "@Param holding the benchmark's device (auto|gpu|gpu:N; cpu: no energy measured; any other value is refused; a name given must be the benchmark's).")
                .withRequiredArg().ofType(String.class).describedAs("name").defaultsTo(DEFAULTS.deviceParam);
        OptionSpec<Integer> optHz = parser.accepts("hz", "Sampling rate, 200..10000 (the counter steps every ~100 ms).")
                .withRequiredArg().ofType(Integer.class).describedAs("int").defaultsTo(DEFAULTS.hz);
        OptionSpec<Integer> optIdle = parser.accepts("idle", "Idle-baseline seconds, measured before the last warmup iteration (model loaded, no work); 0 = off.")
                .withRequiredArg().ofType(Integer.class).describedAs("int").defaultsTo(DEFAULTS.idleSeconds);
        OptionSpec<Integer> optSettle = parser.accepts("settle", "Max seconds to wait for steady power before the idle baseline.")
                .withRequiredArg().ofType(Integer.class).describedAs("int").defaultsTo(DEFAULTS.settleSeconds);
        OptionSpec<String> optSampling = parser.accepts("sampling", "The energy counter inside a window (a read is ~4 ms of"
                        + " CPU): ends = at hz until the first read after the window's start, then none (power, temperature"
                        + " and clocks still read; no edge count or interior figure); lean = as ends, then every 75 ms;"
                        + " quiet = as ends, and no power, temperature or clock read inside either; continuous = at hz"
                        + " throughout (docs/energy-method.md).")
                .withRequiredArg().ofType(String.class).describedAs("ends|lean|quiet|continuous").defaultsTo(DEFAULTS.sampling.toString());
        OptionSpec<String> optInterleave = parser.accepts("interleave", "Measured windows alternate sat out, sampled,"
                        + " sampled, sat out (ABBA blocks of 4; give -i a multiple of 4): in a sat-out window the sampler is"
                        + " parked and no energy figure is reported, so one run compares the benchmark with the sampler and"
                        + " without it (energy.sampled; java -jar benchmarks.jar overhead, docs/overhead.md).")
                .withRequiredArg().ofType(String.class).describedAs("true|false").defaultsTo(String.valueOf(DEFAULTS.interleave));
        // a String, not a Boolean: Boolean.valueOf takes any word other than "true" for false
        OptionSpec<String> optVerbose = parser.accepts("verbose", "Print the window, edges (where read) and cross-check of every iteration.")
                .withRequiredArg().ofType(String.class).describedAs("true|false").defaultsTo(String.valueOf(DEFAULTS.verbose));
        OptionSpec<String> optTrace = parser.accepts("trace", "Also write every sample and window of each trial as CSV"
                        + " into this directory, for offline re-analysis.")
                .withRequiredArg().ofType(String.class).describedAs("dir");
        OptionSet set = OptionLine.parse(initLine, parser, NvmlEnergyProfiler.class.getCanonicalName(), "gpu energy");
        ProfilerOptions o;
        try {
            o = new ProfilerOptions(set.valueOf(optGpu), set.valueOf(optBatch), set.valueOf(optDevice), set.valueOf(optHz),
                    set.valueOf(optIdle), set.valueOf(optSettle), Sampling.of(set.valueOf(optSampling)),
                    bool("interleave", set.valueOf(optInterleave)), bool("verbose", set.valueOf(optVerbose)), set.valueOf(optTrace));
        } catch (OptionException e) {
            throw new ProfilerException("gpu energy: " + e.getMessage() + " in '" + initLine + "'");
        } catch (IllegalArgumentException e) {
            throw new ProfilerException(e.getMessage());
        }
        for (String[] named : new String[][]{{"gpu", o.gpu}, {"batchParam", o.batchParam}, {"deviceParam", o.deviceParam},
                {"trace", o.traceDir}}) {
            if (named[1] != null && named[1].isBlank()) {
                // an empty trace= would write into the working directory, an empty param name would match no @Param
                throw new ProfilerException("gpu energy: " + named[0] + "= needs a value");
            }
        }
        if (o.hz < 200 || o.hz > 10_000) {
            throw new ProfilerException("gpu energy: hz=" + o.hz + " is outside 200..10000; edges of a 100 ms counter need >= 200 Hz");
        }
        if (o.idleSeconds < 0 || o.settleSeconds < 0) {
            throw new ProfilerException("gpu energy: idle=" + o.idleSeconds + ", settle=" + o.settleSeconds
                    + ": seconds must be >= 0");
        }
        return o;
    }

    /**
     * Refuses a batchParam or deviceParam, named in the options, that the benchmark lacks: its images per op would be
     * taken as 1 and its device as CUDA device 0, with no word. The default names may be missing (a benchmark of one
     * image per op, on the default device).
     *
     * @throws IllegalArgumentException one line naming the benchmark's @Params
     */
    void checkNamedParams(Collection<String> benchmarkParams) {
        for (String[] named : new String[][]{{"batchParam", batchParam, DEFAULTS.batchParam},
                {"deviceParam", deviceParam, DEFAULTS.deviceParam}}) {
            if (!named[1].equals(named[2]) && !benchmarkParams.contains(named[1])) {
                throw new IllegalArgumentException("gpu energy: " + named[0] + "=" + named[1] + " names no @Param of this"
                        + " benchmark (its @Params: " + (benchmarkParams.isEmpty() ? "none" : String.join(", ", benchmarkParams)) + ")");
            }
        }
    }

    private static boolean bool(String option, String value) {
        if (!value.equals("true") && !value.equals("false")) {
            throw new IllegalArgumentException("gpu energy: " + option + "=" + value + " is not accepted; accepted: true or false");
        }
        return Boolean.parseBoolean(value);
    }
}
