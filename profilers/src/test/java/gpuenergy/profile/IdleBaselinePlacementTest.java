package gpuenergy.profile;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;
import org.openjdk.jmh.runner.options.TimeValue;

import static org.junit.jupiter.api.Assertions.assertEquals;

class IdleBaselinePlacementTest {

    private static IterationParams it(IterationType type, int count) {
        return new IterationParams(type, count, TimeValue.seconds(1), 1);
    }

    /** The iteration (1-based, warmups first) before which the idle baseline is taken, replaying JMH's calls. */
    private static String placement(int warmups, int measurements) {
        int warmupsSoFar = 0;
        for (int i = 1; i <= warmups; i++) {
            warmupsSoFar++;
            if (Trial.idleGoesBefore(it(IterationType.WARMUP, warmups), warmupsSoFar)) {
                return "warmup " + i;
            }
        }
        for (int i = 1; i <= measurements; i++) {
            if (Trial.idleGoesBefore(it(IterationType.MEASUREMENT, measurements), warmupsSoFar)) {
                return "measurement " + i;
            }
        }
        return "never";
    }

    @Test
    void beforeTheLastWarmupSoThatItReWarmsTheGpu() {
        assertEquals("warmup 3", placement(3, 5));
        assertEquals("warmup 2", placement(2, 1));
    }

    @Test
    void beforeTheFirstMeasurementWhenOneWarmupCannotFollowTheModelLoad() {
        // the trial's setup (model load) runs inside the first iteration: a baseline before it would be the
        // GPU without the benchmark's context
        assertEquals("measurement 1", placement(1, 3));
        assertEquals("measurement 1", placement(0, 3));
    }
}
