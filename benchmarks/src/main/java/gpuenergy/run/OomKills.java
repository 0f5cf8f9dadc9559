package gpuenergy.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The processes the kernel's out-of-memory killer killed while a run's forks ran: the evidence, readable without
 * privileges, that a fork killed by SIGKILL was killed for memory. A SIGKILL says nothing of who sent it, and the
 * kernel's log (dmesg), which names the victim, is closed to other users on most distributions. The count names no
 * victim either: a kill of another process counted in the same place meanwhile reads as the fork's. The kernel counts each
 * kill ({@code oom_kill}) in the victim's memory cgroup, whether the cgroup's limit or the host's memory ran out: in
 * cgroup v2's {@code memory.events} (which counts the cgroup's descendants too), in cgroup v1's
 * {@code memory.oom_control} (its own processes only), and host-wide in {@code /proc/vmstat} (Linux 4.13 on). A fork
 * stays in the cgroup of the VM that started it, so that VM's own cgroup is read (under v2, where the memory controller
 * is off there, its nearest ancestor's), else, where none has the counter (the cgroup tree's root: a host or VM that
 * puts processes in no cgroup of their own; a container that does not mount its cgroup), the host's count, which holds
 * every process's kills on the host, other users' and other containers' included.
 *
 * @param scope where the kills were counted, as a reason names it ("in its memory cgroup", "on the host"); null where
 *              no count could be read (not Linux, a kernel before 4.13, /proc or /sys not mounted)
 * @param kills the kills counted there while the run ran; -1 where no count could be read
 */
public record OomKills(String scope, long kills) {
    /** No count could be read: whether the out-of-memory killer acted is not known. */
    public static final OomKills UNKNOWN = new OomKills(null, -1);

    static final String CGROUP = "in its memory cgroup";
    static final String HOST = "on the host";
    private static final String KEY = "oom_kill";

    public boolean known() {
        return scope != null;
    }

    /** The counter as a run starts, for {@link Counter#sinceThen} as it ends. */
    public static Counter start() {
        return start(Path.of("/"));
    }

    /** {@link #start} in a file tree whose root is {@code root} ("/" but in tests of recorded trees). */
    static Counter start(Path root) {
        Path file = counterFile(root);
        long at = file == null ? -1 : read(file);
        return at < 0 ? new Counter(null, null, -1)
                : new Counter(file, file.startsWith(root.resolve("proc")) ? HOST : CGROUP, at);
    }

    /**
     * One counter's value as a run started.
     *
     * @param file where it is read; null where none could be
     */
    public record Counter(Path file, String scope, long at) {
        /** The kills counted since {@link #start}; {@link #UNKNOWN} where the counter cannot be read again. */
        public OomKills sinceThen() {
            long now = file == null ? -1 : read(file);
            return now < at || at < 0 ? UNKNOWN : new OomKills(scope, now - at);
        }
    }

    /** The file of the narrowest counter this VM's forks are counted in; null where there is none. */
    private static Path counterFile(Path root) {
        List<String> cgroups = lines(root.resolve("proc/self/cgroup"));
        List<String> mounts = lines(root.resolve("proc/self/mountinfo"));
        for (String cgroup : cgroups) {
            // hierarchy-id:controllers:path; v2's has no controllers
            String[] f = cgroup.split(":", 3);
            if (f.length < 3) {
                continue;
            }
            boolean v2 = f[1].isEmpty();
            if (!v2 && !Arrays.asList(f[1].split(",")).contains("memory")) {
                continue;
            }
            for (String mount : mounts) {
                Path dir = cgroupDir(root, mount, f[2], v2);
                if (dir == null) {
                    continue;
                }
                if (!v2) { // v1 counts a kill in the victim's own cgroup only
                    Path file = dir.resolve("memory.oom_control");
                    if (read(file) >= 0) {
                        return file;
                    }
                    continue;
                }
                // v2 has the file where the memory controller is on, and counts a cgroup's descendants in it
                Path top = mountPoint(root, mount);
                for (Path d = dir; d != null && d.startsWith(top); d = d.getParent()) {
                    Path file = d.resolve("memory.events");
                    if (read(file) >= 0) {
                        return file;
                    }
                }
            }
        }
        Path vmstat = root.resolve("proc/vmstat");
        return read(vmstat) >= 0 ? vmstat : null;
    }

    /**
     * The directory of cgroup {@code path} under {@code mount}, a line of mountinfo ("36 35 0:32 ROOT MOUNT-POINT opts -
     * FSTYPE SOURCE SUPER-OPTS"), where it mounts that hierarchy (cgroup2; cgroup with the memory controller) at a root
     * the path lies under; null otherwise.
     */
    private static Path cgroupDir(Path root, String mount, String path, boolean v2) {
        String[] f = mount.split(" ");
        int dash = Arrays.asList(f).indexOf("-");
        if (dash < 5 || f.length < dash + 4) {
            return null;
        }
        boolean fits = v2 ? f[dash + 1].equals("cgroup2")
                : f[dash + 1].equals("cgroup") && Arrays.asList(f[dash + 3].split(",")).contains("memory");
        String mountRoot = unescape(f[3]);
        if (!fits || !(path.equals(mountRoot) || path.startsWith(mountRoot.endsWith("/") ? mountRoot : mountRoot + "/"))) {
            return null;
        }
        String below = path.substring(mountRoot.length()).replaceFirst("^/+", "");
        Path point = mountPoint(root, mount);
        return below.isEmpty() ? point : point.resolve(below);
    }

    private static Path mountPoint(Path root, String mount) {
        return root.resolve(unescape(mount.split(" ")[4]).substring(1));
    }

    /** mountinfo writes a space, tab, newline and backslash in a path as \040, \011, \012, \134. */
    private static String unescape(String s) {
        return s.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\");
    }

    /** The {@code oom_kill} count in {@code file} ("oom_kill N" among other "key value" lines); -1 where there is none. */
    private static long read(Path file) {
        for (String line : lines(file)) {
            String[] kv = line.trim().split("\\s+");
            if (kv.length == 2 && kv[0].equals(KEY)) {
                try {
                    return Long.parseLong(kv[1]);
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
        }
        return -1;
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }
}
