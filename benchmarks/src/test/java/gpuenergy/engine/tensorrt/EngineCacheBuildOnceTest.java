package gpuenergy.engine.tensorrt;

import gpuenergy.engine.NotRunException;
import gpuenergy.engine.Sha256;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Processes that need one engine build it once: the second waits for the first's build and takes its engine, and
 * builds it itself when the first is killed. The builders are JVMs started for real (a file lock is a process's);
 * their build writes bytes that stand for an engine once the test lets it.
 */
class EngineCacheBuildOnceTest {
    @TempDir
    Path dir;

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void endBuilders() {
        started.forEach(Process::destroyForcibly);
    }

    @Test
    void aSecondProcessWaitsForTheFirstsBuildAndTakesItsEngine() throws Exception {
        Lines first = builder("first");
        assertEquals("building", first.next());
        Lines second = builder("second");
        assertEquals(waitingLine(), second.next());
        Files.createFile(dir.resolve("go"));
        assertEquals("built " + sha("first"), first.next());
        assertEquals("took " + sha("first") + " after waiting", second.next(), "the second took the first's engine, building none");
        assertEquals(0, first.process.waitFor());
        assertEquals(0, second.process.waitFor());
    }

    /** The lock is the operating system's: a builder killed (kill -9, the out-of-memory killer) holds it no longer. */
    @Test
    void aKilledBuildersLockPassesToTheWaitingProcess() throws Exception {
        Lines first = builder("first");
        assertEquals("building", first.next());
        Lines second = builder("second");
        assertEquals(waitingLine(), second.next());
        first.process.destroyForcibly().waitFor();
        assertEquals("building", second.next(), "the killed build wrote nothing: the second builds");
        Files.createFile(dir.resolve("go"));
        assertEquals("built " + sha("second") + " after waiting", second.next());
        assertEquals(0, second.process.waitFor());
    }

    /**
     * Threads of one VM take turns too: the VM holds a file lock as a whole, so a second channel of it asking for the
     * lock would fail rather than wait.
     */
    @Test
    void twoThreadsOfOneVmBuildOnce() throws Exception {
        EngineCache cache = new EngineCache(dir);
        CountDownLatch building = new CountDownLatch(1);
        CountDownLatch go = new CountDownLatch(1);
        AtomicInteger builds = new AtomicInteger();
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        Runnable build = () -> {
            builds.incrementAndGet();
            building.countDown();
            try {
                assertTrue(go.await(30, TimeUnit.SECONDS));
                cache.write(EngineCacheTest.key(), "m", engine("a thread"), 1);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        };
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<EngineCache.Obtained> firstThread = threads.submit(() -> cache.buildOnce(EngineCacheTest.key(), "m", null, build, out));
            assertTrue(building.await(30, TimeUnit.SECONDS));
            Future<EngineCache.Obtained> secondThread = threads.submit(() -> cache.buildOnce(EngineCacheTest.key(), "m", null, build, out));
            Thread.sleep(300); // the second thread is at the lock by now
            go.countDown();
            assertTrue(firstThread.get(30, TimeUnit.SECONDS).builtHere());
            EngineCache.Obtained second = secondThread.get(30, TimeUnit.SECONDS);
            assertFalse(second.builtHere());
            assertEquals(sha("a thread"), second.entry().sha256());
            assertEquals(1, builds.get());
        } finally {
            threads.shutdownNow();
        }
    }

    /** A build that fails leaves the lock free for the next; an engine TensorRT could not load is built again. */
    @Test
    void aFailedBuildOrAnUnloadableEngineIsBuiltByTheNext() throws Exception {
        EngineCache cache = new EngineCache(dir);
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        NotRunException failed = NotRunException.error("TensorRT could not build an engine for batch 128");
        assertEquals(failed, assertThrows(NotRunException.class, () -> cache.buildOnce(EngineCacheTest.key(), "m", null, () -> {
            throw failed;
        }, out)));
        Runnable build = () -> {
            try {
                cache.write(EngineCacheTest.key(), "m", engine("after the failure"), 1);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
        EngineCache.Obtained built = cache.buildOnce(EngineCacheTest.key(), "m", null, build, out);
        assertTrue(built.builtHere());
        assertFalse(cache.buildOnce(EngineCacheTest.key(), "m", null, build, out).builtHere(), "cached now");
        assertTrue(cache.buildOnce(EngineCacheTest.key(), "m", built.entry().sha256(), build, out).builtHere(),
                "the cached engine is the one TensorRT could not load");
    }

    private String waitingLine() {
        Path file = new EngineCache(dir.resolve("engines")).file(EngineCacheTest.key(), "m");
        return "# TensorRT: waiting for another process's build of " + file + " (it holds " + file + ".lock)";
    }

    static ByteBuffer engine(String builder) {
        return ByteBuffer.wrap(("the engine " + builder + " built").getBytes(StandardCharsets.UTF_8));
    }

    static String sha(String builder) {
        return Sha256.of(engine(builder));
    }

    /** A builder as {@link #main} is, and its output lines. */
    private Lines builder(String name) throws IOException {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), EngineCacheBuildOnceTest.class.getName(), dir.toString(), name)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        started.add(p);
        return new Lines(p);
    }

    /**
     * A process that needs the engine: arguments DIR NAME. Its build says "building", waits for DIR/go, then writes the
     * engine NAME built; it ends saying whether it built the engine or took another's ("built SHA" / "took SHA"), and
     * whether it waited.
     */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        EngineCache cache = new EngineCache(dir.resolve("engines"));
        EngineCache.Obtained obtained = cache.buildOnce(EngineCacheTest.key(), "m", null, () -> {
            System.out.println("building");
            System.out.flush();
            try {
                while (!Files.exists(dir.resolve("go"))) {
                    Thread.sleep(20);
                }
                cache.write(EngineCacheTest.key(), "m", engine(args[1]), 1);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }, System.out);
        System.out.println((obtained.builtHere() ? "built " : "took ") + obtained.entry().sha256()
                + (obtained.waitedSeconds() > 0 ? " after waiting" : ""));
    }

    /** A process's output lines as they come, each waited for up to 30 s. */
    private static final class Lines {
        final Process process;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final List<String> seen = new ArrayList<>();

        Lines(Process process) {
            this.process = process;
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        lines.add(line);
                    }
                } catch (IOException ignored) {
                    // the process was killed: its lines end
                }
            });
            reader.setDaemon(true);
            reader.start();
        }

        String next() throws InterruptedException {
            String line = lines.poll(30, TimeUnit.SECONDS);
            if (line == null) {
                return fail("no line in 30 s after " + seen);
            }
            seen.add(line);
            return line;
        }
    }
}
