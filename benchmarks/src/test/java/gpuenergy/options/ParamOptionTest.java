package gpuenergy.options;

import gpuenergy.results.BadInputException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The one reading of -p NAME=V1,V2 that the sweep and the overhead command share. */
class ParamOptionTest {

    /** A name in several -p options has the values of all, in the order first given, each once. */
    @Test
    void aNameGivenTwiceHasTheValuesOfBoth() throws Exception {
        Map<String, List<String>> parsed = ParamOption.parse(List.of("engine=a,b", "batchSize=1", "engine=b, c"));
        assertEquals(List.of("engine", "batchSize"), List.copyOf(parsed.keySet()));
        assertEquals(List.of("a", "b", "c"), parsed.get("engine"));
        assertEquals(List.of("1"), parsed.get("batchSize"));
    }

    /**
     * A device named twice under two names is refused with DeviceSpec's line, over two -p options too; the same value
     * twice is one value, and another parameter's values are not devices.
     */
    @Test
    void oneDeviceUnderTwoNamesIsRefused() throws Exception {
        BadInputException e = assertThrows(BadInputException.class,
                () -> ParamOption.parse(List.of("device=gpu:0", "batchSize=1", "device=cpu,gpu")));
        assertEquals("device 'gpu:0' and 'gpu' are one device (CUDA device 0) under two names; give it once, as gpu:0, as "
                + "results name it", e.getMessage());
        assertEquals(List.of("gpu", "auto"), ParamOption.parse(List.of("device=gpu,auto,gpu")).get("device"));
        assertEquals(List.of("gpu", "gpu:0"), ParamOption.parse(List.of("model=gpu,gpu:0")).get("model"));
    }
}
