package gpuenergy.cli;

import gpuenergy.ConsoleCapture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A run that cannot start (JMH's lock taken, nowhere to write its result) says why in one line, exit 1. */
class LaunchFailureTest {

    private static void assertOneErrorLine(String output, String expected) {
        assertFalse(output.contains("\tat "), "a stack trace was printed:\n" + output);
        assertFalse(output.contains("Exception"), "an exception's name was printed:\n" + output);
        assertTrue(output.contains(expected), "expected a line with '" + expected + "':\n" + output);
    }

    @Test
    void jmhLockHeldByAnotherRun(@TempDir Path dir) throws Exception {
        Process holder = Forked.java(dir.resolve("holder.log"), List.of(), LockHolder.class.getName(),
                dir.resolve("jmh.lock").toString()).redirectOutput(ProcessBuilder.Redirect.PIPE).start();
        try {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8))) {
                assertEquals("locked", r.readLine());
                Path log = dir.resolve("run.log");
                // JMH's lock is <java.io.tmpdir>/jmh.lock
                int rc = Forked.run(Forked.java(log, List.of("-Djava.io.tmpdir=" + dir), Main.class.getName(), Forked.SLEEP,
                        "-f", "0", "-wi", "0", "-i", "1", "-r", "100ms", "-rff", dir.resolve("r.json").toString()));
                String out = Forked.read(log);
                assertEquals(1, rc, out);
                assertOneErrorLine(out, "Another JMH instance might be running. Unable to acquire the JMH lock ("
                        + dir.resolve("jmh.lock") + ")");
                assertFalse(Files.exists(dir.resolve("r.json")), "no result file: nothing ran");
                assertFalse(out.contains("energy: not measured"), "a run that did not start said how it measured:\n" + out);
            }
        } finally {
            holder.destroy();
            holder.waitFor();
        }
    }

    @Test
    void resultFileInADirectoryThatIsAFile(@TempDir Path dir) throws IOException {
        Path notADir = Files.writeString(dir.resolve("file"), "x");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream saved = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int rc;
        try {
            rc = Main.run(new String[] {Forked.SLEEP, "-f", "0", "-rff", notADir.resolve("r.json").toString()});
        } finally {
            System.setErr(saved);
        }
        String out = err.toString(StandardCharsets.UTF_8);
        assertEquals(1, rc, out);
        assertEquals(1, out.strip().lines().count(), out);
        assertOneErrorLine(out, "cannot write the result file " + notADir.resolve("r.json") + ": " + notADir + " is not a directory");
    }

    /** The plain run and the subcommands that run benchmarks need java.io.tmpdir; each says so before anything runs. */
    @Test
    void tmpDirThatCannotHoldFiles(@TempDir Path dir) throws Exception {
        Path aFile = Files.writeString(dir.resolve("file"), "x");
        String[][] cases = {
                {"/nonexistent", "directory /nonexistent does not exist"},
                {aFile.toString(), aFile + " is not a directory"},
                {"/proc", "directory /proc does not accept new files"}};
        for (String[] c : cases) {
            for (String command : new String[] {"", "sweep", "overhead"}) {
                Path log = dir.resolve("run.log");
                // refused before the arguments are read: the subcommands' own arguments do not matter
                List<String> args = command.isEmpty() ? List.of(Forked.SLEEP, "-f", "0") : List.of(command);
                int rc = Forked.run(Forked.java(log, List.of("-Djava.io.tmpdir=" + c[0], "-Djmh.ignoreLock=true"),
                        Main.class.getName(), args.toArray(new String[0])).directory(dir.toFile()));
                String out = Forked.read(log);
                assertEquals(1, rc, command + " " + c[0] + ":\n" + out);
                assertEquals(1, out.strip().lines().count(), out);
                assertOneErrorLine(out, "java.io.tmpdir " + c[0] + " cannot hold the run's temporary files: " + c[1]);
            }
        }
    }

    @Test
    void emptyResultFileName(@TempDir Path dir) throws IOException {
        String out = stderrOf(() -> assertEquals(1, Main.run(new String[] {Forked.SLEEP, "-f", "0", "-rff", ""})));
        assertEquals("-rff needs a file name", out.strip());
    }

    /**
     * A misspelt subcommand is taken for a benchmark name: the message names the subcommands, and it is all the run says
     * (no note on the energy before it).
     */
    @Test
    void noBenchmarkMatchesNamesTheSubcommands(@TempDir Path dir) throws IOException {
        ConsoleCapture c = SettingsTest.main("frobnicate", "-rff", dir.resolve("r.json").toString());
        assertEquals(1, c.rc());
        assertEquals("", c.out());
        assertEquals("No benchmark matches 'frobnicate'; subcommands are sweep, report, compare, overhead; -l lists the benchmarks",
                c.err().strip());
    }

    /** -e that excludes every benchmark is named, not taken for a pattern that matches none. */
    @Test
    void anExclusionOfEveryBenchmarkIsNamed(@TempDir Path dir) throws IOException {
        String rff = dir.resolve("r.json").toString();
        String out = stderrOf(() -> assertEquals(1, Main.run(new String[] {"-e", "infer", "-rff", rff})));
        assertEquals("no benchmark is left: -e infer excludes every one; -l lists the benchmarks", out.strip());
        out = stderrOf(() -> assertEquals(1, Main.run(new String[] {"InferenceBenchmark", "-e", "Sleep,infer", "-rff", rff})));
        assertEquals("no benchmark is left: -e Sleep,infer excludes every one matching 'InferenceBenchmark'; -l lists the "
                + "benchmarks", out.strip());
        out = stderrOf(() -> assertEquals(1, Main.run(new String[] {"nomatch", "-e", "infer", "-rff", rff})));
        assertEquals("No benchmark matches 'nomatch'; subcommands are sweep, report, compare, overhead; -l lists the "
                + "benchmarks", out.strip());
        assertFalse(Files.exists(dir.resolve("r.json")));
    }

    /**
     * A misspelt subcommand with options of its own: JMH would name the first option it does not know; a word that is
     * no subcommand nor near one keeps JMH's message.
     */
    @Test
    void aMisspeltSubcommandWithOptionsIsNamed(@TempDir Path dir) throws IOException {
        String out = stderrOf(() -> assertEquals(1, Main.run(new String[] {"reprot", "x.json", "--out", dir.toString()})));
        assertEquals("unknown subcommand 'reprot'; subcommands are sweep, report, compare, overhead", out.strip());
        out = stderrOf(() -> assertEquals(1, Main.run(new String[] {"ovrhead", "-p", "batchSize=1", "--rounds", "2"})));
        assertEquals("unknown subcommand 'ovrhead'; subcommands are sweep, report, compare, overhead", out.strip());
        // with arguments JMH would take for benchmark patterns, it would have run every benchmark holding an a or a b
        out = stderrOf(() -> assertEquals(1, Main.run(new String[] {"comapre", "a", "b"})));
        assertEquals("unknown subcommand 'comapre'; subcommands are sweep, report, compare, overhead", out.strip());
        out = stderrOf(() -> assertEquals(1, Main.run(new String[] {"frobnicate", "--out", dir.toString()})));
        assertEquals("unknown option --out", out.strip());
        assertTrue(Main.editDistance("reprot", "report") == 2 && Main.editDistance("sweep", "sweep") == 0
                && Main.editDistance("", "abc") == 3 && Main.editDistance("compre", "compare") == 1);
    }

    /** A benchmark pattern that is no regular expression is one line, not JMH's stop or a trace, and nothing else. */
    @Test
    void aBadBenchmarkPatternIsOneLine(@TempDir Path dir) throws IOException {
        for (String[] args : new String[][] {{"Infer["}, {"-e", "("}}) {
            List<String> all = new ArrayList<>(List.of(args));
            all.addAll(List.of("-rff", dir.resolve("r.json").toString()));
            ConsoleCapture c = SettingsTest.main(all.toArray(new String[0]));
            assertEquals(1, c.rc());
            assertEquals("", c.out());
            assertTrue(c.err().startsWith("bad benchmark pattern '" + args[args.length - 1] + "': Unclosed "), c.err());
            assertEquals(1, c.err().strip().lines().count(), c.err());
        }
        assertFalse(Files.exists(dir.resolve("r.json")));
    }

    /**
     * Several -bm modes in one run would file the modes of one configuration as one result (its not-run entry, its
     * unfinished iterations): refused in one line before anything runs.
     */
    @Test
    void severalModesInOneRunAreRefused(@TempDir Path dir) throws IOException {
        for (String modes : new String[] {"thrpt,avgt", "all"}) {
            ConsoleCapture c = SettingsTest.main(Forked.SLEEP, "-bm", modes, "-rff", dir.resolve("r.json").toString());
            assertEquals(1, c.rc(), c.err());
            assertTrue(c.err().startsWith("-bm "), c.err());
            assertTrue(c.err().contains(": one mode per run"), c.err());
            assertEquals(1, c.err().strip().lines().count(), c.err());
        }
        assertFalse(Files.exists(dir.resolve("r.json")));
    }

    /** -jvm naming something that does not run as a JVM: one line, not JMH's exception with its trace. */
    @Test
    void aJvmThatIsNoJavaVmIsOneLine(@TempDir Path dir) throws IOException {
        ConsoleCapture c = SettingsTest.main(Forked.SLEEP, "-jvm", "/bin/true", "-rff", dir.resolve("r.json").toString());
        assertEquals(1, c.rc(), c.err());
        assertOneErrorLine(c.out() + c.err(), "-jvm /bin/true: it does not run as a Java VM");
    }

    /** The root as the result file: refused as any directory is, in one line. */
    @Test
    void theRootAsTheResultFileIsOneLine() throws IOException {
        for (String[] args : new String[][] {{"-rff", "/"}, {"-rf", "csv", "-rff", "/"}}) {
            List<String> all = new ArrayList<>(List.of(Forked.SLEEP, "-f", "0"));
            all.addAll(List.of(args));
            ConsoleCapture c = SettingsTest.main(all.toArray(new String[0]));
            assertEquals(1, c.rc(), c.err());
            assertOneErrorLine(c.out() + c.err(), "is a directory");
        }
    }

    /** A profiler that does not load: one line before anything runs, as sweep says it, not JMH's exception. */
    @Test
    void aProfilerThatDoesNotLoadIsOneLine(@TempDir Path dir) throws IOException {
        Path result = dir.resolve("r.json");
        ConsoleCapture run = ConsoleCapture.run(() -> {
            try {
                return Main.run(new String[] {Forked.SLEEP, "-f", "0", "-wi", "0", "-i", "1", "-prof", "nosuchprof", "-rff",
                        result.toString()});
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        assertEquals(1, run.rc(), run.out() + run.err());
        assertEquals("-prof nosuchprof: the profiler does not load: no profiler of that name (-lprof lists them)\n",
                run.err());
        assertEquals("", run.out(), "nothing started");
        assertFalse(Files.exists(result));
    }

    /** A profiler given by the suite's short name is named by it, not by the Java class the name stands for. */
    @Test
    void aProfilerGivenByItsShortNameIsNamedByIt(@TempDir Path dir) throws IOException {
        Path result = dir.resolve("r.json");
        ConsoleCapture run = ConsoleCapture.run(() -> {
            try {
                return Main.run(new String[] {Forked.SLEEP, "-f", "0", "-wi", "0", "-i", "1", "-prof", "sched:probe=maybe",
                        "-rff", result.toString()});
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        assertEquals(1, run.rc(), run.out() + run.err());
        assertEquals("-prof sched:probe=maybe: the profiler does not load: sched: probe=maybe is not accepted; "
                + "accepted: true or false\n", run.err());
        assertFalse(Files.exists(result));
    }

    /**
     * A profiler's help is what was asked for: printed whole, exit 0, nothing run; the energy profiler's too where no
     * GPU can be measured (it reads its options first).
     */
    @Test
    void aProfilersHelpIsPrintedWhole(@TempDir Path dir) {
        Path result = dir.resolve("r.json");
        for (String prof : List.of("sched:help", "energy:help", "sched:probe=true;help")) {
            ConsoleCapture run = ConsoleCapture.run(() -> {
                try {
                    return Main.run(new String[] {Forked.SLEEP, "-f", "0", "-wi", "0", "-i", "1", "-prof", prof, "-rff",
                            result.toString()});
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            assertEquals(0, run.rc(), run.out() + run.err());
            assertTrue(run.out().startsWith("Usage: -prof gpuenergy.profile."), run.out());
            assertTrue(run.out().contains(prof.startsWith("sched") ? "  probe=<true|false>" : "  sampling=<ends|lean|quiet|continuous>"),
                    run.out());
            assertTrue(run.out().lines().count() > 4, "every option's line: " + run.out());
            assertEquals("", run.err());
            assertFalse(Files.exists(result), "nothing ran");
        }
    }

    interface ThrowingRunnable {
        void run() throws IOException;
    }

    private static String stderrOf(ThrowingRunnable r) throws IOException {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream saved = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            r.run();
        } finally {
            System.setErr(saved);
        }
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void workingDirectoryThatRefusesFiles(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("run.log");
        int rc = Forked.run(Forked.java(log, List.of("-Djmh.ignoreLock=true"), Main.class.getName(), Forked.SLEEP,
                "-f", "0", "-wi", "0", "-i", "1", "-r", "100ms").directory(Path.of("/proc").toFile()));
        String out = Forked.read(log);
        assertEquals(1, rc, out);
        assertOneErrorLine(out, "cannot write the result file gpuenergy-result-");
        assertTrue(out.contains("directory /proc does not accept new files"), out);
        assertTrue(out.contains("-rff"), "says how to write it elsewhere:\n" + out);
    }
}
