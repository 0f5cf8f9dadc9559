package gpuenergy.profile;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Which build of this tool measured: {@code tool.version} (the Maven project version) and {@code tool.commit}
 * (the git commit, "-dirty" with uncommitted changes to tracked files), from the build.properties that
 * profilers/pom.xml writes at build time. The energy method differs between commits, so a J/img is only
 * comparable with one that says what measured it. "unknown" where the build could not tell (no git, a source
 * tarball) or the file is absent (classes compiled by an IDE, not Maven).
 */
public final class BuildInfo {
    static final String RESOURCE = "/gpuenergy/profile/build.properties";
    private static final String[] KEYS = {EnvironmentKeys.TOOL_VERSION, EnvironmentKeys.TOOL_COMMIT};

    private BuildInfo() {}

    /** tool.version and tool.commit of the jar this class was loaded from, in that order. */
    public static Map<String, String> describe() {
        try (InputStream in = BuildInfo.class.getResourceAsStream(RESOURCE)) {
            return describe(in);
        } catch (IOException e) {
            return describe((InputStream) null);
        }
    }

    /** @param in build.properties, or null when there is none */
    static Map<String, String> describe(InputStream in) {
        Properties p = new Properties();
        try {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException | IllegalArgumentException e) {
            p.clear(); // unreadable: every key "unknown"
        }
        Map<String, String> m = new LinkedHashMap<>();
        for (String k : KEYS) {
            String v = p.getProperty(k, "").strip();
            m.put(k, v.isEmpty() ? EnvironmentKeys.UNKNOWN : v);
        }
        return m;
    }
}
