package gpuenergy.profile;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.profile.ProfilerException;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Options are checked before any GPU is looked for, so these hold on any machine. */
class ProfilerOptionsTest {
    @Test
    void helpListsEveryOption() {
        ProfilerException e = assertThrows(ProfilerException.class, () -> new NvmlEnergyProfiler("help"));
        for (String option : new String[]{"gpu=<index|uuid|pci>", "batchParam=<name>", "deviceParam=<name>", "hz=<int>", "idle=<int>",
                "settle=<int>", "sampling=<ends|lean|quiet|continuous>", "interleave=<true|false>", "verbose=<true|false>", "trace=<dir>", "(default: 500)",
                "(default: batchSize)", "(default: " + ProfilerOptions.DEFAULTS.sampling() + ")"}) {
            assertTrue(e.getMessage().contains(option), option + " missing from:\n" + e.getMessage());
        }
        assertTrue(e.getMessage().startsWith("Usage: -prof gpuenergy.profile.NvmlEnergyProfiler:"), e.getMessage());
    }

    /** Too slow and too fast a rate are refused in one line naming the range, which the help names too. */
    @Test
    void tooSlowAPollingRateIsRefusedInOneLine() {
        ProfilerException e = assertThrows(ProfilerException.class, () -> new NvmlEnergyProfiler("hz=100"));
        assertTrue(e.getMessage().startsWith("gpu energy: hz=100 is outside 200..10000"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        ProfilerException fast = assertThrows(ProfilerException.class, () -> ProfilerOptions.parse("hz=10001"));
        assertTrue(fast.getMessage().startsWith("gpu energy: hz=10001 is outside 200..10000"), fast.getMessage());
        ProfilerException help = assertThrows(ProfilerException.class, () -> new NvmlEnergyProfiler("help"));
        assertTrue(help.getMessage().contains("hz=<int>                   Sampling rate, 200..10000 "), help.getMessage());
    }

    @Test
    void unknownOptionsAndBadValuesAreNamed() {
        ProfilerException unknown = assertThrows(ProfilerException.class, () -> new NvmlEnergyProfiler("hz=500;frobnicate=1"));
        assertEquals("gpu energy: frobnicate is not a recognized option in 'hz=500;frobnicate=1'; the options are "
                + "gpu, batchParam, deviceParam, hz, idle, settle, sampling, interleave, verbose, trace ('help' describes them)", unknown.getMessage());
        ProfilerException notANumber = assertThrows(ProfilerException.class, () -> new NvmlEnergyProfiler("idle=five"));
        assertTrue(notANumber.getMessage().contains("five"), notANumber.getMessage());
        ProfilerException emptyEntriesAreSkipped = assertThrows(ProfilerException.class, () -> new NvmlEnergyProfiler("hz=50;;idle=1;"));
        assertTrue(emptyEntriesAreSkipped.getMessage().startsWith("gpu energy: hz=50 "), emptyEntriesAreSkipped.getMessage());
        // trace takes a path (slashes and all); parsing passes it on to the next check, here the polling rate
        ProfilerException traced = assertThrows(ProfilerException.class, () -> new NvmlEnergyProfiler("trace=/tmp/out/traces;hz=50"));
        assertTrue(traced.getMessage().startsWith("gpu energy: hz=50 "), traced.getMessage());
        ProfilerException negative = assertThrows(ProfilerException.class, () -> new NvmlEnergyProfiler("settle=-1"));
        assertTrue(negative.getMessage().contains("settle=-1"), negative.getMessage());
        ProfilerException notABoolean = assertThrows(ProfilerException.class, () -> new NvmlEnergyProfiler("verbose=yes"));
        assertEquals("gpu energy: verbose=yes is not accepted; accepted: true or false", notABoolean.getMessage());
        ProfilerException abbreviated = assertThrows(ProfilerException.class, () -> new NvmlEnergyProfiler("samp=lean"));
        assertTrue(abbreviated.getMessage().startsWith("gpu energy: samp is not a recognized option"), abbreviated.getMessage());
    }

    /** An empty value is refused rather than taken: trace= would write into the working directory. */
    @Test
    void anOptionGivenWithoutAValueIsRefused() {
        for (String option : new String[]{"trace", "batchParam", "deviceParam", "gpu"}) {
            ProfilerException e = assertThrows(ProfilerException.class, () -> ProfilerOptions.parse("idle=0;" + option + "="));
            assertEquals("gpu energy: " + option + "= needs a value", e.getMessage());
        }
    }

    /**
     * A batchParam or deviceParam the benchmark lacks is refused in one line when the options name it: taken as missing,
     * J/img would be J/op and the device CUDA device 0. The default names may be missing.
     */
    @Test
    void aNamedParamTheBenchmarkLacksIsRefused() throws ProfilerException {
        List<String> params = List.of("batchSize", "device", "engine", "model");
        ProfilerOptions.parse("").checkNamedParams(params);
        ProfilerOptions.parse("").checkNamedParams(List.of("engine"));
        ProfilerOptions.parse("batchParam=batchSize;deviceParam=device").checkNamedParams(params);
        ProfilerOptions.parse("batchParam=engine").checkNamedParams(params);
        IllegalArgumentException batch = assertThrows(IllegalArgumentException.class,
                () -> ProfilerOptions.parse("batchParam=batch").checkNamedParams(params));
        assertEquals("gpu energy: batchParam=batch names no @Param of this benchmark (its @Params: batchSize, device,"
                + " engine, model)", batch.getMessage());
        IllegalArgumentException device = assertThrows(IllegalArgumentException.class,
                () -> ProfilerOptions.parse("deviceParam=dev").checkNamedParams(List.of()));
        assertEquals("gpu energy: deviceParam=dev names no @Param of this benchmark (its @Params: none)", device.getMessage());
    }

    @Test
    void samplingIsOneOfItsModes() throws ProfilerException {
        assertEquals(Sampling.LEAN, ProfilerOptions.parse("sampling=lean").sampling());
        assertEquals(Sampling.CONTINUOUS, ProfilerOptions.parse("sampling=continuous;hz=300").sampling());
        assertEquals(Sampling.ENDS, ProfilerOptions.parse("sampling=ends").sampling());
        assertEquals(Sampling.QUIET, ProfilerOptions.parse("sampling=quiet").sampling());
        assertEquals(ProfilerOptions.DEFAULTS.sampling(), ProfilerOptions.parse("").sampling());
        assertTrue(ProfilerOptions.parse("verbose=true").verbose());
        assertFalse(ProfilerOptions.parse("verbose=false").verbose());
        assertTrue(ProfilerOptions.parse("interleave=true").interleave());
        assertFalse(ProfilerOptions.parse("").interleave(), "a plain run samples every window");
        ProfilerException notABoolean = assertThrows(ProfilerException.class, () -> ProfilerOptions.parse("interleave=1"));
        assertEquals("gpu energy: interleave=1 is not accepted; accepted: true or false", notABoolean.getMessage());
        for (String bad : new String[]{"sampling=fast", "sampling=LEAN", "sampling=", "hz=300;sampling=lean,continuous"}) {
            ProfilerException e = assertThrows(ProfilerException.class, () -> ProfilerOptions.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("gpu energy: sampling="), e.getMessage());
            assertTrue(e.getMessage().endsWith(" is not ends, lean, quiet or continuous"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
    }
}
