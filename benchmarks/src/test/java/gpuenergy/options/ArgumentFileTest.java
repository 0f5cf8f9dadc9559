package gpuenergy.options;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArgumentFileTest {
    /** Prints the VM's arguments that start with -Dt., each ended by a NUL: what the java launcher made of its @file. */
    public static final class PrintArguments {
        public static void main(String[] args) {
            ManagementFactory.getRuntimeMXBean().getInputArguments().stream().filter(a -> a.startsWith("-Dt."))
                    .forEach(a -> System.out.print(a + "\0"));
        }
    }

    /**
     * The words read from an argument file are those this JDK's java launcher reads from it: white space, quotes, escapes
     * and joined lines inside quotes, comments (also after a quoted part of a word), CRLF line ends, an unclosed quote
     * at a line's end, a last word without a line end.
     */
    @Test
    void theWordsAreThoseTheJavaLauncherReads(@TempDir Path tmp) throws Exception {
        String text = String.join("\n",
                "  -Dt.plain=a \t-Dt.tab=b\f-Dt.ff=c",
                "\"-Dt.dq=a b\" '-Dt.sq=c \"d\" #e'",
                "-Dt.mid=\"x y\"z -Dt.mix='1'\"2\"3",
                "\"-Dt.esc=\\n\\t\\\\\\\"\\q\"",
                "\"-Dt.joined=a\\",
                "     b\"",
                "-Dt.hash=k # -Dt.comment=1",
                "-Dt.cut=v#rest -Dt.gone=1",
                "\"-Dt.kept=\"a#b",
                "-Dt.next=1\r",
                "-Dt.crlf=2\r",
                "\"-Dt.open=un terminated",
                "-Dt.last=end");
        Path file = Files.writeString(tmp.resolve("args"), text);
        Process java = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "@" + file,
                "-cp", System.getProperty("java.class.path"), PrintArguments.class.getName())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String printed = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(java.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, java.exitValue());
        List<String> launcher = List.of(printed.split("\0"));

        assertEquals(List.of("-Dt.plain=a", "-Dt.tab=b", "-Dt.ff=c", "-Dt.dq=a b", "-Dt.sq=c \"d\" #e", "-Dt.mid=x yz",
                "-Dt.mix=123", "-Dt.esc=\n\t\\\"q", "-Dt.joined=ab", "-Dt.hash=k", "-Dt.kept=-Dt.next=1", "-Dt.crlf=2",
                "-Dt.open=un terminated", "-Dt.last=end"), launcher, "this JDK's launcher");
        assertEquals(launcher, ArgumentFile.words(text));
    }

    @Test
    void anAtSignWordIsAFileOnlyWhenOneAtSignLeadsAName(@TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("args"), "-Dgpuenergy.energy=off -Xmx1g\n");
        assertEquals(List.of("-Dgpuenergy.energy=off", "-Xmx1g"), ArgumentFile.arguments("@" + file));
        assertEquals(List.of("@" + file), ArgumentFile.arguments("@@" + file));
        assertEquals(List.of("@"), ArgumentFile.arguments("@"));
        assertEquals(List.of("-Xmx1g"), ArgumentFile.arguments("-Xmx1g"));
    }
}
