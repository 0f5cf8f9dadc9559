package gpuenergy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** What the product's sources must not hold. */
class SourcesTest {
    /** NVML's board UUID: "GPU-" and eight hex digits, then more groups. */
    private static final Pattern GPU_UUID = Pattern.compile("GPU-[0-9a-fA-F]{8}-");

    /** A board's UUID identifies one machine: results record it, the code and its comments do not. */
    @Test
    void noSourceNamesARealBoard() throws IOException {
        List<String> found;
        try (Stream<Path> files = Stream.of("benchmarks/src/main", "profilers/src/main")
                .flatMap(d -> walk(DocExamples.ROOT.resolve(d)))) {
            found = files.filter(Files::isRegularFile).flatMap(f -> lines(f).stream()
                    .filter(l -> GPU_UUID.matcher(l).find()).map(l -> DocExamples.ROOT.relativize(f) + ": " + l.strip()))
                    .toList();
        }
        assertEquals(List.of(), found);
    }

    private static Stream<Path> walk(Path dir) {
        try {
            return Files.walk(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> lines(Path f) {
        try {
            return Files.readAllLines(f);
        } catch (IOException e) {
            return List.of(); // a binary resource holds no comment
        }
    }
}
