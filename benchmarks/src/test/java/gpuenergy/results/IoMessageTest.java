package gpuenergy.results;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class IoMessageTest {
    /**
     * A directory of a command's own that cannot be made names the path that failed as the command's lines name the
     * directory, as --out is named ({@link IoMessage#createOut}): relative where they name it relative, though Java's
     * error names it absolute.
     */
    @Test
    void aDirectoryThatCannotBeMadeIsNamedAsGiven(@TempDir Path tmp) throws Exception {
        Files.writeString(tmp.resolve("afile"), "x");
        Path relative = Path.of("").toAbsolutePath().relativize(tmp);
        // a file further up: Java's error names the absolute path below it, which is not there; the line names the file
        Path deeper = relative.resolve("afile/sub/deeper");
        IOException below = assertThrows(IOException.class, () -> IoMessage.createDirectories(deeper));
        assertEquals(relative.resolve("afile") + ": is a file, not a directory", IoMessage.describe(below));
        // made by its absolute path, named as the lines name it (a sweep's unreadable/ under a relative --out)
        Path unreadable = Files.writeString(tmp.resolve("unreadable"), "x");
        IOException inTheWay = assertThrows(IOException.class, () -> IoMessage.createDirectories(
                relative.resolve("unreadable").toAbsolutePath(), relative.resolve("unreadable")));
        assertEquals(relative.resolve("unreadable") + ": is a file, not a directory", IoMessage.describe(inTheWay));
        // named absolute where the lines do
        IOException absolute = assertThrows(IOException.class, () -> IoMessage.createDirectories(unreadable));
        assertEquals(unreadable + ": is a file, not a directory", IoMessage.describe(absolute));
    }
}
