package gpuenergy.profile;

import gpuenergy.profile.EnvironmentKeys;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BuildInfoTest {

    /** What this build wrote: the pom's version (passed by surefire), and the commit git reports for this checkout. */
    @Test
    void buildPropertiesNameThePomVersionAndThisCheckoutsCommit() throws Exception {
        Map<String, String> info = BuildInfo.describe();
        assertEquals(System.getProperty("expected.tool.version"), info.get(EnvironmentKeys.TOOL_VERSION));
        String head = git("rev-parse", "--verify", "HEAD");
        String changes = git("--no-optional-locks", "status", "--porcelain", "--untracked-files=no");
        // no git or no checkout here (a source tarball): the build could not tell either
        String expected = head == null || changes == null ? "unknown" : changes.isEmpty() ? head : head + "-dirty";
        assertEquals(expected, info.get(EnvironmentKeys.TOOL_COMMIT));
    }

    @Test
    void missingOrBlankValuesAreUnknown() {
        assertEquals(Map.of("tool.version", "unknown", "tool.commit", "unknown"), BuildInfo.describe(null));
        assertEquals(Map.of("tool.version", "1.2.3", "tool.commit", "unknown"),
                BuildInfo.describe(new ByteArrayInputStream("tool.version=1.2.3\ntool.commit= \n".getBytes(StandardCharsets.ISO_8859_1))));
    }

    /** git's output without the trailing newline, or null when git is missing or fails (as the build treats it). */
    private static String git(String... args) throws InterruptedException {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "git";
        System.arraycopy(args, 0, cmd, 1, args.length);
        try {
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : null;
        } catch (IOException e) {
            return null;
        }
    }
}
