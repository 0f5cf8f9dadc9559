package gpuenergy.sweep;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProgressTest {
    @Test
    void etaIsMeanDurationTimesRunsLeft() {
        assertEquals("after the first run", Progress.eta(0, 0, 10));
        assertEquals("<= 5m00s (3 runs so far, mean 30s)", Progress.eta(90, 3, 10));
        assertEquals("<= 20s (1 run so far, mean 10s)", Progress.eta(10, 1, 2));
    }

    @Test
    void formatsDurations() {
        assertEquals("2.5s", Progress.format(Duration.ofMillis(2500)));
        assertEquals("42s", Progress.format(Duration.ofSeconds(42)));
        assertEquals("1m05s", Progress.format(Duration.ofSeconds(65)));
        assertEquals("2h03m", Progress.format(Duration.ofMinutes(123)));
    }

    @Test
    void lineNamesConfigurationAndWhatIsLeft() {
        Progress p = new Progress(0);
        p.ran(20);
        String line = p.line("resnet50", "trt-fp16", 64, 5, 40, 65_000_000_000L);
        assertTrue(line.contains("resnet50 / trt-fp16 batch 64"), line);
        assertTrue(line.contains("<= 5 runs left in this ladder, <= 40 runs left overall"), line);
        assertTrue(line.contains("elapsed 1m05s"), line);
        assertTrue(line.contains("ETA <= 13m20s"), line);
    }
}
