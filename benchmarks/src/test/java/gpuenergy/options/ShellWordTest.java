package gpuenergy.options;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one quoting of the commands that runs and sweeps record. */
class ShellWordTest {

    @Test
    void wordsAreQuotedOnlyWhereAShellNeedsIt() {
        assertEquals("-Dgpuenergy.models=/data/models", ShellWord.of("-Dgpuenergy.models=/data/models"));
        assertEquals("--shard=1/2,gpu@0+x%", ShellWord.of("--shard=1/2,gpu@0+x%"));
        assertEquals("'-jvmArgsAppend=-Xmx8g -Dx=y'", ShellWord.of("-jvmArgsAppend=-Xmx8g -Dx=y"));
        assertEquals("''", ShellWord.of(""));
        assertEquals("'it'\\''s'", ShellWord.of("it's"));
        for (String special : List.of("a;b", "$HOME", "a*", "~", "a\"b", "a\\b", "(x)", "a\nb")) {
            assertEquals("'" + special + "'", ShellWord.of(special), special);
        }
    }

    /** A shell reads every quoted word back as the argument it was. */
    @Test
    void aShellReadsTheWordBack() throws Exception {
        for (String arg : List.of("it's", "a b", "", "$HOME", "'", "a\\b")) {
            Process p = new ProcessBuilder("sh", "-c", "printf %s " + ShellWord.of(arg)).start();
            String back = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.waitFor());
            assertEquals(arg, back, arg);
        }
    }
}
