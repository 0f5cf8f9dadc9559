package gpuenergy.run;

import ai.djl.engine.EngineException;
import gpuenergy.engine.NotRunException;
import gpuenergy.results.NotRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.runner.BenchmarkException;
import org.openjdk.jmh.runner.RunnerException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FailureTest {
    /** What Runner throws when the forked VM sent back the benchmark's exception (failOnError). */
    private static RunnerException fromFork(Throwable benchmarkError) {
        return new RunnerException("Benchmark caught the exception", new BenchmarkException(benchmarkError));
    }

    /** The benchmark's own reason is one line to read to its end (here an export command after a long models path). */
    @Test
    void theBenchmarksRecordedReasonIsKeptWhole() {
        String reason = "model 'resnet50' has no fp32 artifact: " + "/long".repeat(100) + "/models/resnet50/resnet50-fp32.pt"
                + " is missing; export it with: python3 tools/export_models.py --models resnet50 --out " + "/long".repeat(100)
                + "/models";
        assertTrue(reason.length() > Failure.MAX_REASON);
        assertEquals(reason, Failure.recorded(gpuenergy.results.NotRun.Kind.ERROR, reason + "\n  at a stack frame").reason());
        assertEquals(Failure.MAX_REASON, Failure.oneLine(reason).length(), "an exception's text is still cut");
    }

    @Test
    void benchmarkOutOfMemoryExceptionDidNotFit() {
        Failure f = Failure.classify(fromFork(new IllegalStateException("wrapper",
                new RuntimeException("CUDA out of memory: batch 512 of resnet50 (engine pytorch-fp32)"))), "",
                OomKills.UNKNOWN);
        assertTrue(f.didNotFit());
        assertEquals("RuntimeException: CUDA out of memory: batch 512 of resnet50 (engine pytorch-fp32)", f.reason());
    }

    @Test
    void otherBenchmarkExceptionsFailWithTheirRootCause() {
        Failure f = Failure.classify(fromFork(new IllegalStateException("setup failed",
                new java.io.FileNotFoundException("models/resnet50/resnet50-fp16.pt"))),
                "an earlier line mentioning out of memory", OomKills.UNKNOWN);
        assertFalse(f.didNotFit(), "the benchmark's own exception decides, not stray output");
        assertEquals("FileNotFoundException: models/resnet50/resnet50-fp16.pt", f.reason());
    }

    @Test
    void deadVmIsClassifiedFromItsOutput() {
        RunnerException crash = fromFork(new IllegalStateException("Forked VM failed with exit code 134"));
        Failure oom = Failure.classify(crash, "<stderr last='20 lines'>\n  what():  CUDA out of memory.\n</stderr>",
                OomKills.UNKNOWN);
        assertTrue(oom.didNotFit());
        assertEquals("what():  CUDA out of memory.", oom.reason());

        Failure other = Failure.classify(crash, "<stderr last='20 lines'>\nSegmentation fault\n</stderr>",
                OomKills.UNKNOWN);
        assertFalse(other.didNotFit());
        assertEquals("IllegalStateException: Forked VM failed with exit code 134", other.reason());
    }

    /**
     * A fork whose VM the host could not give memory (its fatal error on stdout) failed, to be tried again: it did not
     * run out of the device's memory at this batch, and a did-not-fit would end the ladder for good.
     */
    @Test
    void aVmTheHostCouldNotGiveMemoryFailedRatherThanDidNotFit() {
        String output = "Iteration   1: \n<forked VM failed with exit code 1>\n<stdout last='20 lines'>\n#\n"
                + "# There is insufficient memory for the Java Runtime Environment to continue.\n"
                + "# Native memory allocation (mmap) failed to map 2147483648 bytes for G1 virtual space\n"
                + "# An error report file with more information is saved as:\n# /tmp/hs_err_pid42.log\n</stdout>\n"
                + "<stderr last='20 lines'>\nOpenJDK 64-Bit Server VM warning: INFO: os::commit_memory(0x0000000700000000, "
                + "2147483648, 0) failed; error='Cannot allocate memory' (errno=12)\n</stderr>\n\n";
        Failure f = Failure.classify(fromFork(new IllegalStateException("Forked VM failed with exit code 1")), output,
                OomKills.UNKNOWN);
        assertFalse(f.didNotFit(), f.reason());
        assertTrue(f.reason().startsWith("forked VM failed with exit code 1: OpenJDK 64-Bit Server VM warning"), f.reason());
    }

    /**
     * A fork whose Java heap is full failed, with a reason that says how to give it more: its -Xmx is a setting of the
     * run, not the device's memory, and a did-not-fit would end the ladder for good. The outputs are the CPU sweeps'
     * of src/test/resources/cpu/README.md: the heap full in the benchmark's setup (the VM sends the error back), and
     * before the VM could load JMH (the VM dies; its output alone says why).
     */
    @Test
    void aForkWhoseJavaHeapIsFullFailedRatherThanDidNotFit() throws Exception {
        String advice = "(the forked VM's Java heap is full: a JVM setting, not the device's memory; give the forks a "
                + "larger one with -jvmArgsAppend -Xmx<size>)";
        Failure inSetup = Failure.classify(fromFork(new OutOfMemoryError("Java heap space")),
                Files.readString(Path.of("src/test/resources/cpu/java-heap-in-setup.txt")), OomKills.UNKNOWN);
        assertEquals(NotRun.Kind.ERROR, inSetup.kind());
        assertEquals("OutOfMemoryError: Java heap space " + advice, inSetup.reason());

        Failure vmDied = Failure.classify(fromFork(new IllegalStateException("Forked VM failed with exit code 1")),
                Files.readString(Path.of("src/test/resources/cpu/java-heap-vm-died.txt")), OomKills.UNKNOWN);
        assertEquals(NotRun.Kind.ERROR, vmDied.kind());
        assertEquals("Exception in thread \"main\" java.lang.OutOfMemoryError: Java heap space " + advice, vmDied.reason());

        assertEquals(NotRun.Kind.ERROR, Failure.classify(fromFork(new OutOfMemoryError("GC overhead limit exceeded")), "",
                OomKills.UNKNOWN).kind());
        assertTrue(Failure.classify(fromFork(new OutOfMemoryError("Cannot allocate 4294967296 bytes")), "",
                OomKills.UNKNOWN).didNotFit(), "native memory the engine could not have (JNA's Memory) is not the heap");
    }

    /**
     * An OutOfMemoryError that a runtime wraps (DJL's EngineException), which the benchmark's setup records as
     * NotRunException.from says, is recorded as the same error thrown out of the fork unwrapped is classified: the same
     * kind, and the same reason after the benchmark's prefix.
     */
    @Test
    void aWrappedOutOfMemoryErrorIsRecordedAsTheUnwrappedOneIsClassified() {
        for (String message : new String[] {"Cannot allocate 4294967296 bytes", "Metaspace", "Java heap space",
                "Cannot reserve 4194304 bytes of direct buffer memory (allocated: 8192, limit: 1048576)",
                "unable to create native thread: possibly out of memory or process/resource limits reached"}) {
            Failure unwrapped = Failure.classify(fromFork(new OutOfMemoryError(message)), "", OomKills.UNKNOWN);
            NotRunException wrapped = NotRunException.from("m: ", new EngineException(new OutOfMemoryError(message)));
            assertEquals(unwrapped.kind(), wrapped.kind(), message);
            assertEquals("m: " + unwrapped.reason(), wrapped.getMessage());
        }
    }

    /**
     * A fork that reached another limit of its VM (metaspace, direct buffers, threads, an array's length) failed too,
     * with a reason that names what governs it: a did-not-fit would end the ladder for good, and --resume would never
     * try the batch again with a larger setting. The VM sends the error back, or dies of it and its output says so.
     */
    @Test
    void aForkAtALimitOfItsVmFailedRatherThanDidNotFit() {
        Failure metaspace = Failure.classify(fromFork(new OutOfMemoryError("Metaspace")), "", OomKills.UNKNOWN);
        assertEquals(NotRun.Kind.ERROR, metaspace.kind(), metaspace.reason());
        assertEquals("OutOfMemoryError: Metaspace (the forked VM's metaspace is full: a JVM setting, not the device's "
                + "memory; give the forks a larger one with -jvmArgsAppend -XX:MaxMetaspaceSize=<size>)", metaspace.reason());

        Failure direct = Failure.classify(fromFork(new OutOfMemoryError(
                "Cannot reserve 4194304 bytes of direct buffer memory (allocated: 8192, limit: 1048576)")), "",
                OomKills.UNKNOWN);
        assertEquals(NotRun.Kind.ERROR, direct.kind(), direct.reason());
        assertTrue(direct.reason().endsWith("-jvmArgsAppend -XX:MaxDirectMemorySize=<size>)"), direct.reason());

        for (String message : new String[] {"Compressed class space", "Requested array size exceeds VM limit",
                "unable to create native thread: possibly out of memory or process/resource limits reached",
                "Unable to create new native thread"}) {
            Failure f = Failure.classify(fromFork(new OutOfMemoryError(message)), "", OomKills.UNKNOWN);
            assertEquals(NotRun.Kind.ERROR, f.kind(), f.reason());
            assertTrue(f.reason().startsWith("OutOfMemoryError: " + message + " ("), f.reason());
        }

        Failure threadsVmDied = Failure.classify(fromFork(new IllegalStateException("Forked VM failed with exit code 1")),
                jmhSaysTheForkDied(1, "Exception in thread \"main\" java.lang.OutOfMemoryError: unable to create native "
                        + "thread: possibly out of memory or process/resource limits reached"), OomKills.UNKNOWN);
        assertEquals(NotRun.Kind.ERROR, threadsVmDied.kind(), threadsVmDied.reason());
        assertTrue(threadsVmDied.reason().endsWith("(the forked VM cannot start another thread: the host's limit on threads "
                + "(ulimit -u, a container's pids.max), not the device's memory)"), threadsVmDied.reason());
    }

    /**
     * A fork that died of another cause is a failure, also where its VM options name OutOfMemoryError
     * (-XX:+HeapDumpOnOutOfMemoryError): JMH's header line that lists them, and the VM's echo of those its environment
     * gives it (JAVA_TOOL_OPTIONS), are what the run was given, not an out-of-memory report, and a did-not-fit would end
     * the ladder for good.
     */
    @Test
    void vmOptionsThatNameOutOfMemoryAreNoOutOfMemory() {
        String output = "# VM invoker: /usr/lib/jvm/java-17-openjdk-amd64/bin/java\n"
                + "# VM options: -Xms1g -Xmx4g -XX:+HeapDumpOnOutOfMemoryError -XX:+ExitOnOutOfMemoryError\n"
                + "# Parameters: (batchSize = 64, device = auto, engine = pytorch-fp32, model = resnet50)\n\n"
                + jmhSaysTheForkDied(139, "# A fatal error has been detected by the Java Runtime Environment:");
        Failure f = Failure.classify(fromFork(new IllegalStateException("Forked VM failed with exit code 139")), output,
                OomKills.UNKNOWN);
        assertEquals(NotRun.Kind.ERROR, f.kind(), f.reason());
        assertEquals("forked VM failed with exit code 139 (crashed: SIGSEGV)", f.reason());

        // the VM's echo of the options its environment gives it, at the head of its stderr, is what it was given too
        for (String echo : new String[] {"Picked up JAVA_TOOL_OPTIONS: -XX:+HeapDumpOnOutOfMemoryError",
                "Picked up _JAVA_OPTIONS: -XX:+ExitOnOutOfMemoryError -XX:MaxMetaspaceSize=512m",
                "NOTE: Picked up JDK_JAVA_OPTIONS: -XX:+CrashOnOutOfMemoryError"}) {
            Failure echoed = Failure.classify(fromFork(new IllegalStateException("Forked VM failed with exit code 139")),
                    jmhSaysTheForkDied(139, echo, "# A fatal error has been detected by the Java Runtime Environment:"),
                    OomKills.UNKNOWN);
            assertEquals(NotRun.Kind.ERROR, echoed.kind(), echo + ": " + echoed.reason());
            assertEquals("forked VM failed with exit code 139 (crashed: SIGSEGV)", echoed.reason(), echo);
        }
    }

    /**
     * A VM that refuses an option naming out of memory (a misspelt -XX:+HeapDumpOnOutOfMemoryError) never ran the batch:
     * an error that names the option, not did-not-fit, in a sweep and in a plain run's list (FailureCapture) alike.
     */
    @Test
    void aRefusedVmOptionThatNamesOutOfMemoryIsAnError() {
        String[][] refusals = {
                {"Unrecognized VM option 'HeapDumpOnOutOfMemory'", "Did you mean '(+/-)HeapDumpOnOutOfMemoryError'? "
                        + "Error: Could not create the Java Virtual Machine.",
                        "Error: A fatal exception has occurred. Program will exit."},
                {"Improperly specified VM option 'ExitOnOutOfMemoryError=1'",
                        "Error: Could not create the Java Virtual Machine."},
                {"Missing +/- setting for VM option 'CrashOnOutOfMemoryError'",
                        "Error: Could not create the Java Virtual Machine."}};
        for (String[] stderr : refusals) {
            Failure f = Failure.classify(null, jmhSaysTheForkDied(1, stderr), OomKills.UNKNOWN);
            assertEquals(NotRun.Kind.ERROR, f.kind(), f.reason());
            assertEquals("forked VM failed with exit code 1: " + stderr[0] + Failure.DID_NOT_START, f.reason());
        }
    }

    /**
     * A fork whose VM did not start with the run's options failed with HotSpot's line that says why and what to fix, on
     * its stdout or its stderr: not did-not-fit, and not the exit code alone. The outputs are the CPU runs' of
     * src/test/resources/cpu/README.md: -jvmArgsAppend -Xmx6m below the benchmark's own -Xms1g (HotSpot says why on
     * stdout, after "Error occurred during initialization of VM"), -Xmx6q (on stderr, before the launcher's "Could not
     * create the Java Virtual Machine."), and -Xss1k (on stdout, before that line on stderr).
     */
    @Test
    void aForkWhoseVmDidNotStartSaysHotSpotsReason() throws Exception {
        String[][] cases = {
                {"heap-settings-conflict.txt", "Initial heap size set to a larger value than the maximum heap size"},
                {"invalid-heap-size.txt", "Invalid maximum heap size: -Xmx6q"},
                {"stack-size-too-small.txt", "The Java thread stack size specified is too small. Specify at least 136k"}};
        for (String[] c : cases) {
            Failure f = Failure.classify(fromFork(new IllegalStateException("Forked VM failed with exit code 1")),
                    Files.readString(Path.of("src/test/resources/cpu/" + c[0])), OomKills.UNKNOWN);
            assertEquals(NotRun.Kind.ERROR, f.kind(), c[0] + ": " + f.reason());
            assertEquals("forked VM failed with exit code 1: " + c[1] + " (the forked VM did not start: a JVM setting, not "
                    + "the batch; fix the options given with -jvmArgs, -jvmArgsAppend or -jvmArgsPrepend, which JMH's "
                    + "'# VM options:' line lists)", f.reason(), c[0]);
            assertEquals(c[1], f.vmNotStarted(), c[0]);
            assertEquals(c[1], Failure.vmNotStartedIn(f.reason()), c[0] + ": read back from the reason a log keeps");
        }
    }

    /**
     * Only a VM that did not start is flagged so (a command stops on it): not one that started and died, with an
     * exit code (here after its heap filled, before JMH's main class loaded), a signal or its stderr's error.
     */
    @Test
    void aForkThatStartedAndDiedIsNoVmThatDidNotStart() throws Exception {
        Failure vmDied = Failure.classify(fromFork(new IllegalStateException("Forked VM failed with exit code 1")),
                Files.readString(Path.of("src/test/resources/cpu/java-heap-vm-died.txt")), OomKills.UNKNOWN);
        assertNull(vmDied.vmNotStarted(), vmDied.reason());
        for (String output : List.of(jmhSaysTheForkDied(137), jmhSaysTheForkDied(3),
                jmhSaysTheForkDied(1, "Exception in thread \"main\" java.lang.IllegalStateException: no model"))) {
            Failure f = Failure.classify(fromFork(new IllegalStateException("Forked VM failed with exit code 1")),
                    output, OomKills.UNKNOWN);
            assertTrue(f.reason().startsWith("forked VM failed with exit code"), f.reason());
            assertNull(f.vmNotStarted(), f.reason());
            assertNull(Failure.vmNotStartedIn(f.reason()), f.reason());
        }
    }

    /** JMH's lines for a fork that died: the exit code, then the VM's last stdout and stderr lines. */
    private static String jmhSaysTheForkDied(int code, String... stderr) {
        return "Iteration   1: \n<forked VM failed with exit code " + code + ">\n<stdout last='20 lines'>\nsome output\n</stdout>\n"
                + "<stderr last='20 lines'>\n" + String.join("\n", stderr) + (stderr.length == 0 ? "" : "\n") + "</stderr>\n\n";
    }

    /** JMH's own refusal (its lock held by another run) is a sentence already: no class name in front of it. */
    @Test
    void jmhsOwnRefusalReadsAsItsSentence() {
        Failure f = Failure.classify(new RunnerException("ERROR: Another JMH instance might be running. Unable to acquire the"
                + " JMH lock (/tmp/jmh.lock): Resource temporarily unavailable"), "", OomKills.UNKNOWN);
        assertTrue(f.reason().startsWith("ERROR: Another JMH instance might be running."), f.reason());
    }

    /**
     * What a plain run makes of JMH's lines for a fork that died (FailureCapture: no exception, no count of out-of-memory
     * kills): the signal, HotSpot's line of a VM that did not start, or the line of the VM's stderr that names its error.
     */
    private static String forkDied(String jmhOutput) {
        return Failure.classify(null, jmhOutput, OomKills.UNKNOWN).reason();
    }

    @Test
    void aForkKilledByASignalSaysWhichAndAForkThatCouldNotStartSaysWhy() {
        assertEquals("forked VM failed with exit code 137 (killed: SIGKILL, e.g. the out-of-memory killer; the kernel's "
                + "count of out-of-memory kills cannot be read here)",
                forkDied(jmhSaysTheForkDied(137, "a warning printed long before")));
        assertEquals("forked VM failed with exit code 139 (crashed: SIGSEGV)", forkDied(jmhSaysTheForkDied(139)));
        assertEquals("forked VM failed with exit code 1: Unrecognized VM option 'BogusFlag'" + Failure.DID_NOT_START,
                forkDied(jmhSaysTheForkDied(1, "", "Unrecognized VM option 'BogusFlag'",
                        "Error: Could not create the Java Virtual Machine.")));
        // the JVM's echo of JAVA_TOOL_OPTIONS says nothing; a VM that ran a while names its error among other lines
        assertEquals("forked VM failed with exit code 1: Unrecognized VM option 'BogusFlag'",
                forkDied(jmhSaysTheForkDied(1, "Picked up JAVA_TOOL_OPTIONS: -Xss4m", "Unrecognized VM option 'BogusFlag'")));
        assertEquals("forked VM failed with exit code 1: model file truncated",
                forkDied(jmhSaysTheForkDied(1, "NOTE: Picked up JDK_JAVA_OPTIONS: -Xss4m", "model file truncated")));
        assertEquals("forked VM failed with exit code 1: Exception in thread \"main\" java.lang.IllegalStateException: x",
                forkDied(jmhSaysTheForkDied(1, "loading model", "Exception in thread \"main\" "
                        + "java.lang.IllegalStateException: x", "\tat a.b.C.d(C.java:1)")));
        assertEquals("forked VM failed with exit code 3", forkDied(jmhSaysTheForkDied(3)));
        assertEquals("JMH finished without a result for this configuration", forkDied("Iteration   1: 42 ops/s\n"),
                "no fork died");

        Failure killed = Failure.classify(fromFork(new IllegalStateException("Forked VM failed with exit code 137")),
                jmhSaysTheForkDied(137), OomKills.UNKNOWN);
        assertFalse(killed.didNotFit(), "no count of out-of-memory kills: a SIGKILL of unknown origin");
        assertEquals("forked VM failed with exit code 137 (killed: SIGKILL, e.g. the out-of-memory killer; the kernel's "
                + "count of out-of-memory kills cannot be read here)", killed.reason());
    }

    /**
     * A fork that a user-space out-of-memory killer ended (earlyoom: SIGTERM first, exit code 143; then SIGKILL, which
     * the kernel does not count) is an error whose reason names that possibility, as it does kill: nothing shows which
     * it was, and a did-not-fit would end the ladder for good.
     */
    @Test
    void aForkEndedBySigtermOrAnUncountedSigkillNamesAUserSpaceOutOfMemoryKiller() {
        for (OomKills counted : List.of(OomKills.UNKNOWN, new OomKills(OomKills.CGROUP, 1))) {
            Failure terminated = Failure.classify(fromFork(new IllegalStateException("Forked VM failed with exit code 143")),
                    jmhSaysTheForkDied(143), counted);
            assertEquals(NotRun.Kind.ERROR, terminated.kind(), terminated.reason());
            assertEquals("forked VM failed with exit code 143 (terminated: SIGTERM, e.g. kill, or a user-space "
                    + "out-of-memory killer such as earlyoom)", terminated.reason());
        }
        Failure killed = Failure.classify(null, jmhSaysTheForkDied(137), new OomKills(OomKills.HOST, 0));
        assertEquals(NotRun.Kind.ERROR, killed.kind(), killed.reason());
        assertEquals("forked VM failed with exit code 137 (killed: SIGKILL, not by the kernel's out-of-memory killer, "
                + "which killed no process on the host meanwhile: kill -9, or a user-space out-of-memory killer such as "
                + "earlyoom)", killed.reason());
    }

    /**
     * A fork the kernel's out-of-memory killer killed (a real one, src/test/resources/cpu/README.md: exit code 137, its
     * output tails empty) did not fit: its memory cgroup counted the kill while it ran. The count names no victim, so the
     * reason says the kill is taken as the fork's, and, for the host's count, that it holds every process's kills. The
     * same SIGKILL with no kill counted meanwhile (kill -9) is an error that --resume runs again, and so is one where no
     * count can be read.
     */
    @Test
    void aForkTheOutOfMemoryKillerKilledDidNotFitAndAnotherSigkillFailed(@TempDir Path tmp) throws Exception {
        String output = Files.readString(Path.of("src/test/resources/cpu/oom-killed-fork.txt"));
        RunnerException died = fromFork(new IllegalStateException("Forked VM failed with exit code 137"));
        Path root = OomKillsTest.before(tmp);
        OomKills.Counter counter = OomKills.start(root);

        Failure notCounted = Failure.classify(died, output, counter.sinceThen());
        assertEquals(NotRun.Kind.ERROR, notCounted.kind(), notCounted.reason());
        assertEquals("forked VM failed with exit code 137 (killed: SIGKILL, not by the kernel's out-of-memory killer, "
                + "which killed no process in its memory cgroup meanwhile: kill -9, or a user-space out-of-memory killer "
                + "such as earlyoom)", notCounted.reason());

        OomKillsTest.after(root);
        Failure oomKilled = Failure.classify(died, output, counter.sinceThen());
        assertEquals(NotRun.Kind.DID_NOT_FIT, oomKilled.kind(), oomKilled.reason());
        assertEquals("forked VM failed with exit code 137 (killed: SIGKILL while the kernel's out-of-memory killer "
                + "killed 1 process in its memory cgroup, taken as this fork: the batch did not fit in the host's memory or "
                + "the cgroup's limit)", oomKilled.reason());
        Failure onTheHost = Failure.classify(null, output, new OomKills(OomKills.HOST, 2)); // as a plain run classifies it
        assertEquals(NotRun.Kind.DID_NOT_FIT, onTheHost.kind(), onTheHost.reason());
        assertEquals("forked VM failed with exit code 137 (killed: SIGKILL while the kernel's out-of-memory killer "
                + "killed 2 processes on the host, a count of every process's kills, taken as this fork: the batch did not "
                + "fit in the host's memory)", onTheHost.reason());

        assertEquals(NotRun.Kind.ERROR, Failure.classify(died, output, OomKills.UNKNOWN).kind());
        // only a SIGKILL: the kernel's out-of-memory killer sends no other signal
        assertEquals(NotRun.Kind.ERROR, Failure.classify(died, output.replace("exit code 137", "exit code 134"),
                new OomKills(OomKills.CGROUP, 1)).kind());
    }

    @Test
    void recognisesJmhRefusingToStartBesideAnotherRun() {
        Failure f = Failure.classify(new RunnerException("ERROR: Another JMH instance might be running. Unable to acquire "
                + "the JMH lock (/tmp/jmh.lock), exiting. Use -Djmh.ignoreLock=true to forcefully continue."), "",
                OomKills.UNKNOWN);
        assertTrue(f.jmhLocked());
        assertFalse(f.didNotFit());
        assertFalse(Failure.classify(fromFork(new IllegalStateException("boom")), "", OomKills.UNKNOWN).jmhLocked());
    }

    @Test
    void noResultWithoutErrorIsAFailure() {
        Failure f = Failure.classify(null, "", OomKills.UNKNOWN);
        assertFalse(f.didNotFit());
        assertEquals("JMH finished without a result for this configuration", f.reason());
    }

    @Test
    void reasonsAreOneBoundedLine() {
        assertEquals("first", Failure.oneLine("first\nsecond"));
        String longLine = "x".repeat(1000);
        assertEquals(Failure.MAX_REASON, Failure.oneLine(longLine).length());
    }
}
