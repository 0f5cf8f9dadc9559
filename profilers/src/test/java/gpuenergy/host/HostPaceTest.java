package gpuenergy.host;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HostPaceTest {

    @Test
    void aReadingIsATimePerChainedOperationAndAMemoryRate() {
        HostPace pace = new HostPace();
        HostPace.Reading r = pace.read();
        assertTrue(r.chainNsPerStep() > 0.1 && r.chainNsPerStep() < 100, r.toString());
        assertTrue(r.sweepGbPerS() > 0.5 && r.sweepGbPerS() < 1000, r.toString());
    }

    @Test
    void twoReadingsAverage() {
        HostPace.Reading r = new HostPace.Reading(2, 10).meanWith(new HostPace.Reading(4, 30));
        assertEquals(new HostPace.Reading(3, 20), r);
    }
}
