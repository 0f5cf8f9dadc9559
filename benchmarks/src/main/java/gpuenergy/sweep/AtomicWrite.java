package gpuenergy.sweep;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Files that appear whole or not at all: written beside their final name, forced to disk, then renamed.
 * A crash (or kill -9) at any moment leaves either the old file or the new one, never a torn one.
 */
final class AtomicWrite {
    private AtomicWrite() {}

    static void writeString(Path target, String text) throws IOException {
        Path tmp = target.resolveSibling("." + target.getFileName() + ".partial");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                ch.write(bytes);
            }
            ch.force(true);
        }
        publish(tmp, target);
    }

    /** Forces a finished file to disk and renames it to its final name in one step. */
    static void publish(Path finished, Path target) throws IOException {
        try (FileChannel ch = FileChannel.open(finished, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.move(finished, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
