package gpuenergy.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import gpuenergy.results.ParamNames;
import org.junit.jupiter.api.Test;

/**
 * The suite runs the profiler without batchParam= or deviceParam=: its defaults must name the benchmark's parameters.
 * In this package because the defaults are the profiler's own, and the profilers module cannot see ParamNames.
 */
class ProfilerDefaultsTest {

    @Test
    void theProfilersDefaultParamsAreTheBenchmarks() {
        assertEquals(ParamNames.BATCH_SIZE, ProfilerOptions.DEFAULTS.batchParam());
        assertEquals(ParamNames.DEVICE, ProfilerOptions.DEFAULTS.deviceParam());
    }
}
