package gpuenergy.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Function;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EndWithParentTest {

    /**
     * A child whose parent ends leaves without running the native libraries' exit handlers: libtorch's, run while the
     * benchmark's thread is still in a convolution, crash the VM and leave an hs_err file in the working directory.
     * The child stands for such a library with an exit handler that aborts the process.
     */
    @Test
    void theChildEndsWithItsCodeAndRunsNoNativeExitHandler(@TempDir Path tmp) throws Exception {
        Process child = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Child.class.getName()))
                .directory(tmp.toFile()).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        assertEquals("watching", out.readLine());
        child.getOutputStream().close(); // what the kernel does to the pipe when the parent dies

        assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the child ended");
        assertEquals("# parent gone", out.readLine());
        assertEquals(143, child.exitValue(), "its own code, not SIGABRT's 134 from the exit handler");
        try (var files = Files.list(tmp)) {
            assertEquals(List.of(), files.toList(), "nothing left in its working directory");
        }
    }

    /** Registers C's abort as an exit handler, watches its stdin and waits. */
    public static final class Child {
        interface C extends Library {
            /** What atexit calls (atexit itself is no exported symbol of glibc); abort ignores the argument. */
            int __cxa_atexit(Pointer handler, Pointer argument, Pointer dso);
        }

        public static void main(String[] args) throws InterruptedException {
            Function abort = NativeLibrary.getInstance("c").getFunction("abort");
            if (Native.load("c", C.class).__cxa_atexit(abort, null, null) != 0) {
                throw new IllegalStateException("atexit refused the handler");
            }
            EndWithParent.watch("# parent gone", 143);
            System.out.println("watching");
            System.out.flush();
            Thread.sleep(60_000);
        }
    }
}
