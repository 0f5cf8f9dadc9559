package gpuenergy.engine;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Ends a child process once the process that started it has ended, however it ended: the parent holds the other end
 * of the child's stdin, a pipe, which the kernel closes when the parent exits (SIGKILL and the out-of-memory killer
 * included, where no shutdown hook or finally of the parent runs). A child left running would hold the GPU, its memory
 * and its power beside whatever runs on that GPU next: a resumed sweep, the next part of a sweep over several GPUs, the
 * next benchmark's fork. Nothing is read from stdin but its end, by a thread that blocks in the read and so costs
 * nothing while the parent lives.
 *
 * <p>The process ends by the C library's {@code _exit}, not {@link Runtime#halt}: halt ends through {@code exit}, which
 * runs the native libraries' exit handlers and static destructors while the benchmark's thread is still inside them
 * (libtorch's convolution, a TensorRT build). That thread then crashes the VM (SIGSEGV), which writes an
 * {@code hs_err_pid<N>.log} into the working directory of the sweep or run that was killed, one more with every kill.
 */
public final class EndWithParent {
    /** JMH's main class in the VMs it forks for the benchmarks. */
    private static final String JMH_FORK = "org.openjdk.jmh.runner.ForkedMain";
    private static final AtomicBoolean WATCHING = new AtomicBoolean();

    private EndWithParent() {}

    /**
     * Halts this VM with {@code exitCode} once its stdin ends, saying {@code line} first; once per VM. For processes
     * whose stdin is a pipe their parent holds open and never writes to.
     */
    public static void watch(String line, int exitCode) {
        if (!WATCHING.compareAndSet(false, true)) {
            return;
        }
        Function exit = exitFunction(); // resolved before the end: a lookup failing as the process ends would end nothing
        Thread watch = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // the parent writes nothing: only the end of the stream says something
                }
            } catch (IOException ignored) {
                // a broken pipe says it as well
            }
            System.out.println(line);
            System.out.flush();
            if (exit != null) {
                try {
                    exit.invokeVoid(new Object[] {exitCode});
                } catch (Throwable t) {
                    // the halt below ends the process all the same
                }
            }
            Runtime.getRuntime().halt(exitCode);
        }, "gpuenergy-parent-watch");
        watch.setDaemon(true);
        watch.start();
    }

    /**
     * The C library's {@code _exit} (in every POSIX C library), its symbol resolved; null where JNA's native part or the
     * symbol is not found: then the process ends by {@link Runtime#halt}.
     */
    private static Function exitFunction() {
        try {
            return NativeLibrary.getInstance("c").getFunction("_exit");
        } catch (LinkageError | RuntimeException e) {
            return null;
        }
    }

    /**
     * In a VM JMH forked for a benchmark, {@link #watch}es its stdin: JMH starts its forks with a pipe as stdin that it
     * holds open and never writes to. Nothing in a VM that runs benchmarks itself (-f 0), whose stdin is the user's.
     */
    public static void watchInJmhFork() {
        if (System.getProperty("sun.java.command", "").startsWith(JMH_FORK)) {
            watch("# the VM that started this benchmark has ended; the benchmark stops", 143);
        }
    }
}
