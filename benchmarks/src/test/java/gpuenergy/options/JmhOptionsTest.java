package gpuenergy.options;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.util.Version;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JmhOptionsTest {
    @Test
    void jmhsOwnParserIsRead() throws Exception {
        assertTrue(JmhOptions.parserOf(new CommandLineOptions()).recognizedOptions().containsKey("prof"));
        assertTrue(JmhOptions.isJmhOption("jvmArgsAppend"));
        assertEquals(Version.getPlainVersion(), JmhOptions.JMH_VERSION, "the JMH the suite is built with");
    }

    /** Where the JMH on the classpath keeps no parser where JMH 1.37 does: one line naming why and the JMH needed. */
    @Test
    void noParserToReadIsOneLineNamingTheJmhTheSuiteNeeds() {
        JmhOptions.UnsupportedJmhException none = assertThrows(JmhOptions.UnsupportedJmhException.class,
                () -> JmhOptions.parserOf(new Object()));
        assertEquals("JMH's options cannot be read: java.lang.Object keeps no jopt-simple parser in a field 'parser' "
                + "(NoSuchFieldException: parser); this suite needs JMH 1.37 (found JMH 1.37)", none.getMessage());

        JmhOptions.UnsupportedJmhException other = assertThrows(JmhOptions.UnsupportedJmhException.class,
                () -> JmhOptions.parserOf(new AnotherParser()));
        assertTrue(other.getMessage().startsWith("JMH's options cannot be read: " + AnotherParser.class.getName()
                + " keeps no jopt-simple parser in a field 'parser' (ClassCastException: "), other.getMessage());
        assertTrue(other.getMessage().endsWith("; this suite needs JMH 1.37 (found JMH 1.37)"), other.getMessage());
        assertEquals(1, other.getMessage().lines().count());
    }

    /** A parser of another kind in a field of that name. */
    private static final class AnotherParser {
        @SuppressWarnings("unused")
        private final Object parser = "not jopt-simple's";
    }
}
