package gpuenergy.profile;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.AverageTimeResult;
import org.openjdk.jmh.results.ResultRole;
import org.openjdk.jmh.results.ThroughputResult;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The same iteration (ops over a duration) scored by JMH's own result classes in any mode and unit gives one rate. */
class OpsRateTest {
    private static final long TEN_S = 10_000_000_000L;

    @Test
    void throughputInAnyUnit() {
        for (TimeUnit unit : new TimeUnit[]{TimeUnit.SECONDS, TimeUnit.MILLISECONDS, TimeUnit.MINUTES}) {
            double score = new ThroughputResult(ResultRole.PRIMARY, "infer", 1234, TEN_S, unit).getScore();
            assertEquals(123.4, OpsRate.opsPerSecond(Mode.Throughput, score, unit, 1), 1e-9);
        }
    }

    @Test
    void averageTimeInAnyUnit() {
        for (TimeUnit unit : new TimeUnit[]{TimeUnit.SECONDS, TimeUnit.MILLISECONDS, TimeUnit.MICROSECONDS}) {
            double score = new AverageTimeResult(ResultRole.PRIMARY, "infer", 1234, TEN_S, unit).getScore();
            assertEquals(123.4, OpsRate.opsPerSecond(Mode.AverageTime, score, unit, 1), 1e-9);
        }
    }

    /** Two threads of 617 ops each: throughput scores add up across threads, average times average. */
    @Test
    void threadsTogether() {
        double perThread = new ThroughputResult(ResultRole.PRIMARY, "infer", 617, TEN_S, TimeUnit.SECONDS).getScore();
        assertEquals(123.4, OpsRate.opsPerSecond(Mode.Throughput, 2 * perThread, TimeUnit.SECONDS, 2), 1e-9);
        double avg = new AverageTimeResult(ResultRole.PRIMARY, "infer", 617, TEN_S, TimeUnit.MILLISECONDS).getScore();
        assertEquals(123.4, OpsRate.opsPerSecond(Mode.AverageTime, avg, TimeUnit.MILLISECONDS, 2), 1e-9);
    }

    @Test
    void allIsNotAnIterationMode() {
        assertThrows(IllegalArgumentException.class, () -> OpsRate.opsPerSecond(Mode.All, 1, TimeUnit.SECONDS, 1));
    }
}
