package gpuenergy.run;

import gpuenergy.engine.OutOfMemory;
import gpuenergy.results.Lines;
import gpuenergy.results.NotRun;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Why one configuration produced no result (one line): it did not fit in memory, this machine cannot run it, or it
 * failed.
 *
 * @param vmNotStarted HotSpot's line saying why the forked VM did not start, for a failure that is a fork whose VM
 *                     did not start with the run's options ({@link #DID_NOT_START}): every later fork given the same
 *                     options fails alike, so a command that runs many stops there; null for any other outcome
 */
public record Failure(NotRun.Kind kind, String reason, String vmNotStarted) {
    static final int MAX_REASON = 400;

    /** A failure of any kind but a fork whose VM did not start. */
    public Failure(NotRun.Kind kind, String reason) {
        this(kind, reason, null);
    }

    /**
     * A stack trace's lines that are no exception's text: its frames ("at ...", "... N more") and the words that name
     * a cause or a suppressed error before its text.
     */
    private static final Pattern TRACE_FRAME = Pattern.compile("(?m)^\\s*(at \\S+\\(.*\\)|\\.\\.\\. \\d+ more)\\s*$");
    private static final Pattern TRACE_LABEL = Pattern.compile("(?m)^\\s*(Caused by|Suppressed): ");

    /**
     * JMH's words for a forked VM that exited without a result: its exception's message ("Forked VM failed with exit
     * code N") and the line it prints ("&lt;forked VM failed with exit code N&gt;", then the VM's output tails).
     */
    private static final Pattern FORK_FAILED = Pattern.compile("(?i)forked VM failed with exit code (-?\\d+)");

    /**
     * HotSpot's words for a VM that did not start, with the line saying why after the first ("Error occurred during
     * initialization of VM", on stdout) or before the second (the java launcher's, on stderr, which a refused option's
     * "Did you mean '...'? " can precede on its line).
     */
    private static final String INIT_FAILED = "Error occurred during initialization of VM";
    private static final String NOT_CREATED = "Error: Could not create the Java Virtual Machine.";

    /**
     * What follows the reason of a VM that did not start: its options are the run's, not the batch's, and every fork
     * given them fails alike. -jvmArgsAppend comes after the benchmark's own @Fork options (InferenceBenchmark's -Xms1g
     * -Xmx4g), so an -Xmx below that -Xms alone is refused; the '# VM options:' line shows them in order.
     */
    public static final String DID_NOT_START = " (the forked VM did not start: a JVM setting, not the batch; fix the "
            + "options given with -jvmArgs, -jvmArgsAppend or -jvmArgsPrepend, which JMH's '# VM options:' line lists)";

    /**
     * HotSpot's line in a reason recorded for a fork whose VM did not start ({@link #vmNotStarted}'s, as a sweep's log
     * and not-run list keep the reason, "forked VM failed with exit code N: LINE" then {@link #DID_NOT_START}); null for
     * any other reason. A --gpus parent reads it from a part's log: that part stopped, and every part forks alike.
     */
    public static String vmNotStartedIn(String reason) {
        if (reason == null || !reason.endsWith(DID_NOT_START)) {
            return null;
        }
        String said = reason.substring(0, reason.length() - DID_NOT_START.length());
        int colon = said.indexOf(": ");
        return colon < 0 ? said : said.substring(colon + 2);
    }

    /**
     * The VM's echo of the options its environment gives it, at the head of its stderr: "Picked up JAVA_TOOL_OPTIONS: ..."
     * (or _JAVA_OPTIONS), and the java launcher's "NOTE: Picked up JDK_JAVA_OPTIONS: ...".
     */
    private static final String OPTIONS_ECHO = "(NOTE: )?Picked up \\w+: ";
    private static final Pattern OPTIONS_ECHO_LINE = Pattern.compile(OPTIONS_ECHO);

    /**
     * The VM's refusal of an option it was given, on its stderr before it exits: "Unrecognized VM option 'X'", its
     * "Did you mean '(+/-)X'?", "Improperly specified VM option 'X'", "Missing +/- setting for VM option 'X'", the
     * launcher's "Unrecognized option: -X".
     */
    private static final String OPTION_REFUSED = "(Unrecognized (VM )?option|Improperly specified VM option|Did you mean '"
            + "|(Missing|Unexpected) \\+/- setting (for|in) VM option)";

    /**
     * The lines naming the run's settings, JMH's that a fork's output begins with (the VM's options, its invoker, the
     * parameters), the VM's {@link #OPTIONS_ECHO} and its {@link #OPTION_REFUSED}: -XX:+HeapDumpOnOutOfMemoryError,
     * -XX:MaxMetaspaceSize=... there are what the run was given, not what happened to it, so they are no out-of-memory
     * report.
     */
    private static final Pattern RUN_SETTINGS = Pattern.compile("(?m)^(# (VM invoker|VM options|Parameters): |" + OPTIONS_ECHO
            + "|" + OPTION_REFUSED + ").*$");

    /**
     * What the benchmark itself recorded (gpuenergy.results.TrialRecords): its kind and its own reason, whole. The
     * benchmark writes that reason as one line meant to be read to its end (an export command, a path), so it is not
     * cut to {@link #MAX_REASON} as an exception's text is.
     */
    public static Failure recorded(NotRun.Kind kind, String reason) {
        return new Failure(kind, Lines.firstLine(reason));
    }

    boolean didNotFit() {
        return kind == NotRun.Kind.DID_NOT_FIT;
    }

    /**
     * Classifies a failed JMH run whose benchmark recorded nothing (a crash, an error outside its setup). The
     * benchmark's own exception travels back from the forked VM as a suppressed error of JMH's BenchmarkException; a
     * VM that died without one (a native abort) leaves only "Forked VM failed with exit code N", and then its output
     * tail (which JMH prints) is searched.
     *
     * @param error    what Runner threw (null when it returned without a result)
     * @param output   what the run printed: JMH's output format and the forked VM's forwarded output
     * @param oomKills the kernel's out-of-memory kills while the run ran, which decide what a fork killed by SIGKILL
     *                 did ({@link #sigkill}); {@link OomKills#UNKNOWN} where they were not counted
     */
    public static Failure classify(Throwable error, String output, OomKills oomKills) {
        List<Throwable> chain = flatten(error);
        // the chain is read as one text, so that a limit of the VM that a cause names decides: JavaCPP's maxBytes
        // reached comes as the cause of its own OutOfMemoryError "Cannot allocate new FloatPointer(N): ..."
        Failure memory = outOfMemory(chain.stream().map(Failure::describe).collect(Collectors.joining("\n")));
        if (memory != null) {
            return memory;
        }
        String reason = chain.isEmpty() ? "JMH finished without a result for this configuration"
                : oneLine(describe(mostSpecific(chain)));
        if (!hasBenchmarkException(chain)) {
            memory = outOfMemory(output == null ? null : RUN_SETTINGS.matcher(output).replaceAll(""));
            if (memory != null) {
                return memory;
            }
            Failure vm = forkedVm(output, oomKills);
            if (vm != null) {
                return vm;
            }
        }
        return new Failure(NotRun.Kind.ERROR, reason);
    }

    /**
     * A benchmark's exception as a plain run's JMH prints it under "&lt;failure&gt;" (its stack trace), classified as
     * {@link #classify} classifies the exception itself in a sweep: the text of the exception, its causes and
     * suppressed errors, every line of their messages (a TorchScript error's comes last), is read for memory, and the
     * first line, whole, is the reason otherwise.
     */
    public static Failure printed(String trace) {
        String texts = TRACE_LABEL.matcher(TRACE_FRAME.matcher(trace).replaceAll("")).replaceAll("");
        Failure memory = outOfMemory(texts);
        return memory != null ? memory : new Failure(NotRun.Kind.ERROR, Lines.firstLine(trace));
    }

    /** What {@code text} says of memory ({@link OutOfMemory#verdict}); null where it says nothing of it. */
    private static Failure outOfMemory(String text) {
        OutOfMemory.Verdict verdict = OutOfMemory.verdict(text);
        return verdict == null ? null : new Failure(verdict.kind(), oneLine(verdict.line()) + verdict.why());
    }

    /**
     * Why a forked VM died, from what JMH printed about it, as an error in one line; null when the output says no fork
     * died. A signal is named ("forked VM failed with exit code 139 (crashed: SIGSEGV)"); a VM that did not start comes
     * with HotSpot's line that says why ({@link #notStarted}), then {@link #DID_NOT_START}, and that line as
     * {@link #vmNotStarted}; another exit code comes with the line of the VM's stderr tail that names its error
     * ({@link #telling}). A dying VM's stderr tail says nothing about a signal, so it is left out there. The output alone
     * cannot tell who sent a SIGKILL (exit code 137): see {@link #sigkill} for what the kernel's count of out-of-memory
     * kills adds.
     */
    private static Failure forkedVm(String output, OomKills oomKills) {
        Matcher m = FORK_FAILED.matcher(output == null ? "" : output);
        int code = 0;
        int end = -1;
        while (m.find()) { // the last fork that died
            code = Integer.parseInt(m.group(1));
            end = m.end();
        }
        if (end < 0) {
            return null;
        }
        String exit = "forked VM failed with exit code " + code;
        if (code == 128 + 9) {
            return sigkill(exit, oomKills);
        }
        String signalled = signalled(code);
        if (signalled != null) {
            return new Failure(NotRun.Kind.ERROR, exit + " (" + signalled + ")");
        }
        String after = output.substring(end);
        String notStarted = notStarted(said(tail(after, "stdout") + tail(after, "stderr")));
        if (notStarted != null) {
            return new Failure(NotRun.Kind.ERROR, oneLine(exit + ": " + notStarted) + DID_NOT_START,
                    oneLine(notStarted));
        }
        String why = telling(said(tail(after, "stderr")));
        return new Failure(NotRun.Kind.ERROR, why.isEmpty() ? exit : oneLine(exit + ": " + why));
    }

    /**
     * A fork killed by SIGKILL: did-not-fit where the kernel's out-of-memory killer killed a process in the fork's
     * memory cgroup (or, where it runs in none, on the host) while the run ran. It picks the process that holds the most
     * memory, which is the fork measuring a large batch: the batch did not fit in the host's memory (or the cgroup's
     * limit, a Slurm job's --mem), as Java's OutOfMemoryError for native memory is the host's too, and the ladder ends
     * there. The count is the cgroup's or the host's, not the fork's: a kill of another process there meanwhile with a
     * kill -9 of the fork reads alike, so the reason says the kill is taken as this fork's. The fork's own peak memory,
     * which would tell, is gone with it: JMH reaps the fork before its exit code reaches the sweep. Any other SIGKILL
     * (kill -9, a user-space killer such as earlyoom, which the kernel does not count) is an error that --resume runs
     * again, and so is one where no count can be read: the kernel's log, which names the victim, is closed to other
     * users on most distributions, and an error mistaken for the ladder's top would end it for good.
     */
    private static Failure sigkill(String exit, OomKills oomKills) {
        if (!oomKills.known()) {
            return new Failure(NotRun.Kind.ERROR, exit + " (" + signal(9) + "; the kernel's count of out-of-memory kills "
                    + "cannot be read here)");
        }
        if (oomKills.kills() == 0) {
            return new Failure(NotRun.Kind.ERROR, exit + " (killed: SIGKILL, not by the kernel's out-of-memory killer, "
                    + "which killed no process " + oomKills.scope() + " meanwhile: kill -9, or " + USER_SPACE_KILLER + ")");
        }
        boolean host = OomKills.HOST.equals(oomKills.scope());
        return new Failure(NotRun.Kind.DID_NOT_FIT, exit + " (killed: SIGKILL while the kernel's out-of-memory killer "
                + "killed " + oomKills.kills() + (oomKills.kills() == 1 ? " process " : " processes ") + oomKills.scope()
                + (host ? ", a count of every process's kills" : "") + ", taken as this fork: the batch did not fit in the "
                + (host ? "host's memory)" : "host's memory or the cgroup's limit)"));
    }

    /**
     * What else ends a fork that the host's memory runs short for: a killer in user space, which the kernel does not
     * count, sends the largest process SIGTERM first, then SIGKILL. (systemd-oomd ends a whole cgroup, the sweep with
     * its fork, so that no sweep is left to read the fork's end.)
     */
    private static final String USER_SPACE_KILLER = "a user-space out-of-memory killer such as earlyoom";

    /** The text of JMH's {@code <stdout ...>} or {@code <stderr ...>} block (the VM's last lines there); "" for none. */
    private static String tail(String jmhOutput, String stream) {
        int open = jmhOutput.indexOf("<" + stream);
        if (open < 0) {
            return "";
        }
        String block = jmhOutput.substring(jmhOutput.indexOf('\n', open) + 1);
        int close = block.indexOf("</" + stream + ">");
        return close < 0 ? block : block.substring(0, close);
    }

    /** The lines a VM printed, trimmed, without blank ones and the VM's {@link #OPTIONS_ECHO}. */
    private static List<String> said(String tail) {
        return tail.lines().map(String::strip).filter(l -> !l.isEmpty() && !OPTIONS_ECHO_LINE.matcher(l).lookingAt())
                .toList();
    }

    /**
     * HotSpot's line saying why a VM did not start, in its stdout then its stderr tail as JMH prints them: the line
     * after {@link #INIT_FAILED} (on stdout: "Initial heap size set to a larger value than the maximum heap size"), or
     * the one before {@link #NOT_CREATED} ("Invalid maximum heap size: -Xmx6q" on stderr; "The Java thread stack size
     * specified is too small" on stdout before it on stderr); null where the VM started.
     */
    static String notStarted(List<String> lines) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).equals(INIT_FAILED) && i + 1 < lines.size()) {
                return lines.get(i + 1);
            }
            if (lines.get(i).contains(NOT_CREATED) && i > 0) {
                return lines.get(i - 1);
            }
        }
        return null;
    }

    /** The line of a VM's stderr tail that says why it ended: the first naming an error or exception, else the first. */
    static String telling(List<String> stderr) {
        return stderr.stream().filter(l -> l.contains("Error") || l.contains("Exception"))
                .findFirst().orElse(stderr.isEmpty() ? "" : stderr.get(0));
    }

    /**
     * What the exit code of a process a signal ended (128 + the signal's number, as Process gives it) usually means
     * ("killed: SIGKILL, e.g. the out-of-memory killer"); null for a code no signal gives.
     */
    public static String signalled(int exitCode) {
        return exitCode > 128 ? signal(exitCode - 128) : null;
    }

    /** What a signal that ends a VM usually means, for exit code 128 + n. */
    private static String signal(int n) {
        return switch (n) {
            case 2 -> "interrupted: SIGINT";
            case 6 -> "aborted: SIGABRT, e.g. a native library's fatal error";
            case 9 -> "killed: SIGKILL, e.g. the out-of-memory killer";
            case 11 -> "crashed: SIGSEGV";
            case 15 -> "terminated: SIGTERM, e.g. kill, or " + USER_SPACE_KILLER;
            default -> "killed by signal " + n;
        };
    }

    /**
     * JMH refused to start because another JMH run holds its machine-wide lock: nothing ran, so this is
     * not an outcome of the configuration, and every further run would be refused the same way.
     */
    public boolean jmhLocked() {
        return reason.contains("Unable to acquire the JMH lock");
    }

    /** The first line of {@code text}, cut to {@link #MAX_REASON} characters: an exception's text can be a page long. */
    public static String oneLine(String text) {
        String line = Lines.firstLine(text);
        return line.length() <= MAX_REASON ? line : line.substring(0, MAX_REASON - 3) + "...";
    }

    /** The error as a user reads it: JMH's own refusals are sentences already, without their class's name. */
    private static String describe(Throwable t) {
        String message = t.getMessage();
        if (isJmhWrapper(t) && message != null && !message.isBlank()) {
            return message;
        }
        return t.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    /** The root cause of the first error JMH collected: the benchmark's exception, not JMH's wrappers. */
    private static Throwable mostSpecific(List<Throwable> chain) {
        for (Throwable t : chain) {
            if (!isJmhWrapper(t)) {
                Throwable root = t;
                while (root.getCause() != null && root.getCause() != root) {
                    root = root.getCause();
                }
                return root;
            }
        }
        return chain.get(chain.size() - 1);
    }

    /** True when the forked VM sent back an exception thrown by the benchmark itself (not just a VM exit). */
    private static boolean hasBenchmarkException(List<Throwable> chain) {
        for (Throwable t : chain) {
            if (!isJmhWrapper(t) && !FORK_FAILED.matcher(String.valueOf(t.getMessage())).lookingAt()) {
                return true;
            }
        }
        return false;
    }

    private static boolean isJmhWrapper(Throwable t) {
        String name = t.getClass().getName();
        return name.equals("org.openjdk.jmh.runner.RunnerException")
                || name.equals("org.openjdk.jmh.runner.BenchmarkException");
    }

    /** The error, its causes and suppressed errors, depth first, each once. */
    private static List<Throwable> flatten(Throwable error) {
        List<Throwable> out = new ArrayList<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        collect(error, out, seen);
        return out;
    }

    private static void collect(Throwable t, List<Throwable> out, Set<Throwable> seen) {
        if (t == null || !seen.add(t)) {
            return;
        }
        out.add(t);
        for (Throwable s : t.getSuppressed()) {
            collect(s, out, seen);
        }
        collect(t.getCause(), out, seen);
    }
}
