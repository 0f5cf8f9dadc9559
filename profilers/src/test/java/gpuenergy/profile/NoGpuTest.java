package gpuenergy.profile;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.profile.Profiler;
import org.openjdk.jmh.profile.ProfilerException;
import org.openjdk.jmh.profile.ProfilerFactory;
import org.openjdk.jmh.runner.options.ProfilerConfig;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ServiceLoader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** On a machine without an NVIDIA GPU (CI): one clear line, through JMH's own machinery. */
class NoGpuTest {
    private static final String NAME = NvmlEnergyProfiler.class.getCanonicalName();

    @BeforeAll
    static void noGpuHere() {
        assumeTrue(GpuEnvironment.unavailableReason() != null, "an NVIDIA GPU is present");
    }

    @Test
    void constructingTheProfilerFailsWithOneLine() {
        ProfilerException e = assertThrows(ProfilerException.class, () -> new NvmlEnergyProfiler(""));
        assertOneLine(e);
        assertTrue(e.getMessage().startsWith("gpu energy: NVML not available (libnvidia-ml.so.1 not found)"), e.getMessage());
    }

    /** JMH's -prof path: ProfilerFactory unwraps our ProfilerException; its Main prints each message in the chain. */
    @Test
    void jmhReportsTheSameLine() {
        ProfilerException e = assertThrows(ProfilerException.class,
                () -> ProfilerFactory.getProfilerOrException(new ProfilerConfig(NAME, "gpu=0;hz=500")));
        assertOneLine(e);
        assertTrue(e.getMessage().contains("no NVIDIA GPU to measure"), e.getMessage());
    }

    /** -lprof: discovered through META-INF/services, listed as unsupported here with the reason. */
    @Test
    void listedByLprofWithTheReason() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProfilerFactory.listProfilers(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String listing = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(listing.contains(NAME), listing);
        assertTrue(listing.contains("gpu energy: NVML not available"), listing);
        assertTrue(ServiceLoader.load(Profiler.class).stream().anyMatch(p -> p.type() == NvmlEnergyProfiler.class));
    }

    @Test
    void environmentSaysWhyAndDescribesNothing() {
        String reason = GpuEnvironment.unavailableReason();
        assertEquals("no NVIDIA GPU: libnvidia-ml.so.1 not found", reason);
        assertTrue(GpuEnvironment.describe(null).isEmpty());
        assertTrue(GpuEnvironment.describe("0").isEmpty());
    }

    private static void assertOneLine(ProfilerException e) {
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertNull(e.getCause(), "a cause would print as a second line");
    }
}
