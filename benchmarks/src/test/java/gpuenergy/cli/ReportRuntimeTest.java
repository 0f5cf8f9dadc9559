package gpuenergy.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** report in a Java runtime without Java2D, as a runtime made with jlink for the benchmarks alone is. */
class ReportRuntimeTest {

    @Test
    void aRuntimeWithoutJavaDesktopIsOneLine(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("report.log");
        Path out = dir.resolve("report");
        // every module the jar's code reads except java.desktop (and what requires it)
        List<String> jvm = List.of("--limit-modules", "java.base,java.logging,java.management,java.naming,java.xml,"
                + "java.security.sasl,jdk.management,jdk.unsupported", "-Djava.io.tmpdir=" + dir);
        int rc = Forked.run(Forked.java(log, jvm, Main.class.getName(), "report",
                "src/test/resources/fixtures/baseline.json", "--out", out.toString()));
        String said = Forked.read(log);
        assertEquals(1, rc, said);
        assertEquals(1, said.lines().count(), said);
        assertEquals("report: the plots are drawn with Java2D (module java.desktop), which the Java runtime in "
                + System.getProperty("java.home") + " lacks; run report with a full JDK or JRE, or add java.desktop to a "
                + "jlink'ed one (--add-modules java.desktop)", said.strip());
        assertFalse(Files.exists(out));
    }
}
