package gpuenergy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A command's refusal of a symbolic link in its --out at a name it writes: the sweep and the overhead command refuse
 * one in the same words, before anything runs, and leave the link and the directory as they were.
 */
public final class SymbolicLinkInOut {
    private SymbolicLinkInOut() {}

    /**
     * The line for a link at a name {@code command} renames a file over, {@code where} saying what it writes there, as
     * a function of the link's target.
     */
    public static Function<Path, String> renamedOver(String command, Path link, String where) {
        return to -> command + ": --out " + link.getParent() + ": " + link + ", " + where + ", is a symbolic link (to " + to
                + "); that file is renamed over the name, which would replace the link, not write its target;"
                + " remove the link, or choose another --out\n";
    }

    /** The line for a link at the name of {@code command}'s lock, as a function of the link's target. */
    public static Function<Path, String> lock(String command, Path link) {
        return to -> command + ": --out " + link.getParent() + ": " + link + ", where " + command + " locks the directory"
                + " and names its holder, is a symbolic link (to " + to + "); that file is emptied and written in place,"
                + " which would replace what the link's target holds; remove the link, or choose another --out\n";
    }

    /**
     * For each of {@code targets} in turn, a symbolic link at {@code link} to it and then {@code command}: exit 2, the
     * one line {@code line} gives for that target, nothing on standard output, the link still a link and nothing but
     * it and {@code others} in its directory. The link is removed after each.
     */
    public static void assertRefused(Path link, List<Path> targets, Set<Path> others, Function<Path, String> line,
                                     Supplier<ConsoleCapture> command) throws IOException {
        Set<Path> left = new HashSet<>(others);
        left.add(link);
        for (Path to : targets) {
            Files.createSymbolicLink(link, to);
            ConsoleCapture refused = command.get();
            assertEquals(2, refused.rc(), link + " to " + to + ": " + refused.out() + refused.err());
            assertEquals(line.apply(to), refused.err());
            assertEquals("", refused.out(), "nothing ran");
            assertTrue(Files.isSymbolicLink(link));
            try (Stream<Path> s = Files.list(link.getParent())) {
                assertEquals(left, Set.copyOf(s.toList()), "nothing written");
            }
            Files.delete(link);
        }
    }
}
