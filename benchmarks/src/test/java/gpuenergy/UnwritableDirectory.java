package gpuenergy;

import gpuenergy.results.IoMessage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An empty directory this machine refuses new files in, for a test of a command given it as --out. Tests run as root,
 * whom chmod does not stop, yet sysfs and procfs refuse a file they do not make (permission denied, no such file or
 * directory), as read-only storage or another user's directory would.
 */
public final class UnwritableDirectory {
    /**
     * Where such directories are: sysfs's classes and kernel objects with no member here (thermal, iommu_groups:
     * permission denied), procfs's and sysfs's places for file systems not mounted (no such file or directory).
     */
    private static final List<String> PARENTS = List.of("/sys/class", "/sys/kernel", "/proc/fs", "/proc/tty");

    private UnwritableDirectory() {}

    /** The first such directory here; empty where this machine has none. */
    public static Optional<Path> find() {
        for (String parent : PARENTS) {
            List<Path> dirs;
            try (Stream<Path> s = Files.list(Path.of(parent))) {
                dirs = s.filter(Files::isDirectory).sorted().toList();
            } catch (IOException e) {
                continue; // not Linux, or not mounted here
            }
            for (Path dir : dirs) {
                if (isEmpty(dir) && IoMessage.cannotCreate(dir.resolve("file")) != null) {
                    return Optional.of(dir);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * {@code command} given {@code out}, whose {@code lock} file is a directory, as --out ({@code run}) refuses it in
     * one line naming it and why, exit 1, and runs nothing; so too such a directory, where this machine has one.
     */
    public static void assertRefusedAsOut(String command, String lock, Path out, Function<Path, ConsoleCapture> run) {
        ConsoleCapture refused = run.apply(out);
        assertEquals(1, refused.rc(), refused.out() + refused.err());
        assertEquals(command + ": --out " + out + " cannot be written (" + out.resolve(lock) + ": is a directory)\n",
                refused.err());
        assertEquals("", refused.out(), "nothing ran");
        Path refusing = find().orElse(null);
        if (refusing != null) {
            refused = run.apply(refusing);
            assertEquals(1, refused.rc(), refused.out() + refused.err());
            assertTrue(refused.err().startsWith(command + ": --out " + refusing + " cannot be written ("
                    + refusing.resolve(lock) + ": ") && refused.err().endsWith(")\n"), refused.err());
            assertEquals(1, refused.err().lines().count(), refused.err());
            assertEquals("", refused.out(), "nothing ran");
        }
    }

    private static boolean isEmpty(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }
}
