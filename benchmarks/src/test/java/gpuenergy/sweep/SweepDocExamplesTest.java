package gpuenergy.sweep;

import gpuenergy.DocExamples;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every sweep command of the documents is one the sweep accepts (running it needs a GPU and exported models). */
class SweepDocExamplesTest {
    @Test
    void everySweepExampleIsAccepted() throws Exception {
        List<DocExamples.Example> examples = DocExamples.of("sweep");
        assertFalse(examples.isEmpty());
        for (DocExamples.Example e : examples) {
            SweepOptions o = SweepOptions.parse(e.args().toArray(new String[0]));
            assertNotNull(o, e.toString());
            for (String engine : o.engines()) {
                assertTrue(List.of(gpuenergy.engine.Engines.accepted().split(", ")).contains(engine), e + ": engine " + engine);
            }
            // and its fixed parameters are values the benchmark accepts: cli.DocExamplesTest runs every device= value
        }
    }
}
