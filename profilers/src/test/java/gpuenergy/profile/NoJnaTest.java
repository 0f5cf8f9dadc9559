package gpuenergy.profile;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The profiler added by hand to another JMH project, without JNA: JMH's own Main, as that project runs it, prints one
 * line naming the missing dependency (not "InvocationTargetException / null / com/sun/jna/Library").
 */
class NoJnaTest {

    @Test
    void withoutJnaJmhSaysWhichDependencyIsMissing(@TempDir Path dir) throws Exception {
        String classpath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(p -> !Path.of(p).getFileName().toString().startsWith("jna-")).collect(Collectors.joining(File.pathSeparator));
        assertFalse(classpath.contains("jna-"), classpath);
        Path log = dir.resolve("jmh.log");
        Process jmh = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djmh.ignoreLock=true", "-cp", classpath, "org.openjdk.jmh.Main", "-prof", NvmlEnergyProfiler.class.getName()))
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(jmh.waitFor(60, TimeUnit.SECONDS), "JMH still running");
        String out = Files.readString(log);
        assertTrue(out.contains("gpu energy: JNA is not on the classpath (com/sun/jna/"), out);
        assertTrue(out.contains("add net.java.dev.jna:jna (version " + NvmlEnergyProfiler.JNA_VERSION + ","), out);
        assertFalse(out.contains("InvocationTargetException"), out);
        assertFalse(out.contains("\tat "), out);
    }

    @Test
    void theNamedVersionIsTheOneTheProfilerIsBuiltWith() {
        assertEquals(com.sun.jna.Native.VERSION, NvmlEnergyProfiler.JNA_VERSION);
    }
}
