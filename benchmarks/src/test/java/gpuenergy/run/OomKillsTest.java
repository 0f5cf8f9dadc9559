package gpuenergy.run;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The kernel's count of out-of-memory kills, read from the files a sweep killed by it had (recorded in
 * src/test/resources/cpu/oom-kill-cgroup-v1, see the README there): its memory cgroup's first, else the host's.
 */
class OomKillsTest {
    static final Path RECORDED = Path.of("src/test/resources/cpu/oom-kill-cgroup-v1");

    /** The recorded files as the sweep started, in a tree of their own under {@code tmp}. */
    static Path before(Path tmp) throws IOException {
        Path root = tmp.resolve("root");
        try (Stream<Path> files = Files.walk(RECORDED.resolve("before"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Path to = root.resolve(RECORDED.resolve("before").relativize(f).toString());
                Files.createDirectories(to.getParent());
                Files.copy(f, to);
            }
        }
        return root;
    }

    static final String CGROUP_FILE = "sys/fs/cgroup/memory/sweep-1500m/memory.oom_control";

    /** The recorded counters as the sweep ended: its cgroup's and the host's counted the kill. */
    static void after(Path root) throws IOException {
        Files.copy(RECORDED.resolve("after/memory.oom_control"), root.resolve(CGROUP_FILE), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(RECORDED.resolve("after/vmstat"), root.resolve("proc/vmstat"), StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void theKillOfAForkIsCountedInItsMemoryCgroup(@TempDir Path tmp) throws IOException {
        Path root = before(tmp);
        OomKills.Counter counter = OomKills.start(root);
        assertEquals(root.resolve(CGROUP_FILE), counter.file(), "cgroup v1's memory cgroup of /proc/self/cgroup, not /proc/vmstat");
        assertEquals(new OomKills(OomKills.CGROUP, 0), counter.sinceThen());
        after(root);
        assertEquals(new OomKills(OomKills.CGROUP, 1), counter.sinceThen());
    }

    /** Where no memory cgroup counts kills (a process in none), the host's count stands in. */
    @Test
    void withoutAMemoryCgroupTheHostsCountIsRead(@TempDir Path tmp) throws IOException {
        Path root = before(tmp);
        Files.delete(root.resolve(CGROUP_FILE));
        OomKills.Counter counter = OomKills.start(root);
        assertEquals(root.resolve("proc/vmstat"), counter.file());
        after(root);
        assertEquals(new OomKills(OomKills.HOST, 1), counter.sinceThen(), "the recorded vmstat went from 1 to 2");
    }

    /** No counter (not Linux, a kernel before 4.13), or one that cannot be read again: not known, never 0 kills. */
    @Test
    void noCounterIsUnknown(@TempDir Path tmp) throws IOException {
        assertFalse(OomKills.start(tmp).sinceThen().known());
        Path root = before(tmp);
        OomKills.Counter counter = OomKills.start(root);
        Files.delete(root.resolve(CGROUP_FILE));
        assertEquals(OomKills.UNKNOWN, counter.sinceThen());
    }

    /**
     * Cgroup v2, in the files' format of the kernel's Documentation/admin-guide/cgroup-v2.rst: memory.events is where
     * the memory controller is on, so a cgroup without it (a Slurm task's, below its job's) is counted in its nearest
     * ancestor's, which counts its descendants; a cgroup namespace's or a bind mount's root is the mount's root, and
     * /proc/self/cgroup's path is read below it.
     */
    @Test
    void cgroupV2IsReadInTheNearestCgroupThatCountsAndBelowTheMountsRoot(@TempDir Path root) throws IOException {
        Files.createDirectories(root.resolve("proc/self"));
        Files.writeString(root.resolve("proc/self/cgroup"), "0::/slurm/job_7/step_0/task_0\n");
        Files.writeString(root.resolve("proc/self/mountinfo"), "22 27 0:21 / /proc rw,relatime - proc proc rw\n"
                + "31 23 0:28 /slurm /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime - cgroup2 cgroup2 rw,nsdelegate\n");
        Files.writeString(root.resolve("proc/vmstat"), "oom_kill 9\n");
        Path job = Files.createDirectories(root.resolve("sys/fs/cgroup/job_7"));
        Files.createDirectories(job.resolve("step_0/task_0"));
        String events = "low 0\nhigh 0\nmax 3\noom 1\noom_kill %d\noom_group_kill 0\n";
        Files.writeString(job.resolve("memory.events"), events.formatted(1));
        OomKills.Counter counter = OomKills.start(root);
        assertEquals(job.resolve("memory.events"), counter.file());
        Files.writeString(job.resolve("memory.events"), events.formatted(3));
        assertEquals(new OomKills(OomKills.CGROUP, 2), counter.sinceThen());

        Files.writeString(root.resolve("proc/self/mountinfo"), "31 23 0:28 /other /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n");
        assertEquals(root.resolve("proc/vmstat"), OomKills.start(root).file(), "a mount of another subtree holds not ours");
    }
}
