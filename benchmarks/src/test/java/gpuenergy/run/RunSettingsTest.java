package gpuenergy.run;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.runner.options.CommandLineOptions;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RunSettingsTest {

    @Test
    void onlyWhatIsGivenIsRecorded() throws Exception {
        assertEquals(Map.of(), RunSettings.whenGiven(new CommandLineOptions()));
        assertEquals(Map.of("-opi", "4", "-bs", "2", "-si", "false", "-gc", "true"),
                RunSettings.whenGiven(new CommandLineOptions("-opi", "4", "-bs", "2", "-si", "false", "-gc", "true")));
        String shape = "gpuenergy.inputShape";
        String cache = "gpuenergy.tensorrt.cache";
        System.setProperty(shape, "3,64,64");
        System.setProperty(cache, "/tmp/engines");
        try {
            // the input shape changes what is measured; where TensorRT keeps its engines does not
            assertEquals(Map.of("-Dgpuenergy.inputShape", "3,64,64"), RunSettings.whenGiven(new CommandLineOptions()));
        } finally {
            System.clearProperty(shape);
            System.clearProperty(cache);
        }
    }
}
