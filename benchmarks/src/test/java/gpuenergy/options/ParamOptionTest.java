package gpuenergy.options;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
