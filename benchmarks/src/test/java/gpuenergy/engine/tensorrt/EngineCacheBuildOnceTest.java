package gpuenergy.engine.tensorrt;

import gpuenergy.engine.NotRunException;
import gpuenergy.engine.Sha256;
import gpuenergy.results.NotRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.InterruptedIOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
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
import java.util.concurrent.atomic.AtomicReference;

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
        assertFalse(Files.exists(failureFile()), "a killed build did not fail: it records nothing");
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
            AtomicReference<Thread> waiting = new AtomicReference<>();
            Future<EngineCache.Obtained> secondThread = threads.submit(() -> {
                waiting.set(Thread.currentThread());
                return cache.buildOnce(EngineCacheTest.key(), "m", null, build, out);
            });
            // the second thread waits at the lock (parked: nothing else in buildOnce before it waits) before the first
            // builds, however long a busy host takes to run it there; arriving after the build, it would test nothing
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (waiting.get() == null || waiting.get().getState() != Thread.State.WAITING) {
                assertTrue(System.nanoTime() - deadline < 0 && !secondThread.isDone(), "the second thread did not wait");
                Thread.sleep(5);
            }
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

    /**
     * A build that fails for a reason of the moment (out of GPU memory, a CUDA error, TensorRT not loading) leaves the
     * lock free for the next and records nothing; an engine TensorRT could not load is built again.
     */
    @Test
    void aFailedBuildOrAnUnloadableEngineIsBuiltByTheNext() throws Exception {
        EngineCache cache = new EngineCache(dir);
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        for (NotRunException failed : List.of(
                new NotRunException(NotRun.Kind.DID_NOT_FIT, "TensorRT could not build an engine for batch 128: Error Code 2: OutOfMemory"),
                NotRunException.error("TensorRT could not build an engine for batch 128: Error Code 1: Cuda Runtime (an illegal "
                        + "memory access was encountered)"),
                NotRunException.error("the TensorRT engine build ended with exit code 1 and no reason (see its output above)"))) {
            assertEquals(failed, assertThrows(NotRunException.class, () -> cache.buildOnce(EngineCacheTest.key(), "m", null, () -> {
                throw failed;
            }, out)));
            assertFalse(Files.exists(cache.failureFile(EngineCacheTest.key(), "m")), failed.getMessage());
        }
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

    /**
     * A build that fails for a reason its key decides is recorded beside the engine, and the next process that needs the
     * engine fails at once with that line, the time and the record's path, without building; another key builds, and so
     * does this one once the record is deleted.
     */
    @Test
    void aBuildThatFailsForItsKeyIsNotRepeated() throws Exception {
        EngineCache cache = new EngineCache(dir);
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        EngineCache.Key key = EngineCacheTest.key();
        NotRunException failed = NotRunException.error(PARSE_ERROR);
        Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        assertEquals(failed, assertThrows(NotRunException.class, () -> cache.buildOnce(key, "m", null, () -> {
            throw new EngineCache.DeterministicFailure(failed);
        }, out)));
        Path record = cache.failureFile(key, "m");
        assertEquals(cache.file(key, "m") + ".failed", record.toString());
        List<String> lines = Files.readAllLines(record, StandardCharsets.UTF_8);
        assertEquals(3, lines.size(), String.join("\n", lines));
        assertEquals(PARSE_ERROR, lines.get(0));
        Instant when = Instant.parse(lines.get(1));
        assertFalse(when.isBefore(before) || when.isAfter(Instant.now()), lines.get(1));
        assertEquals(key.json(), lines.get(2));

        AtomicInteger builds = new AtomicInteger();
        Runnable build = () -> {
            builds.incrementAndGet();
            try {
                cache.write(key, "m", engine("a build"), 1);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
        NotRunException again = assertThrows(NotRunException.class, () -> cache.buildOnce(key, "m", null, build, out));
        assertEquals(NotRun.Kind.ERROR, again.kind());
        assertEquals(PARSE_ERROR + " (recorded by the build at " + when + ", and not tried again for the same model, batch, GPU, "
                + "TensorRT and build options; delete " + record + " to build it again)", again.getMessage());
        assertEquals(0, builds.get(), "not built again");

        EngineCache.Key otherBatch = new EngineCache.Key(key.onnxSha256(), key.onnxExternalData(), 64, key.inputShape(), key.gpuName(),
                key.computeCapability(), key.multiprocessors(), key.memoryBytes(), key.tensorRtVersion(), key.buildOptions());
        assertTrue(cache.buildOnce(otherBatch, "m", null, () -> builds.incrementAndGet(), out).builtHere(), "another key builds");
        assertEquals(1, builds.get());

        Files.delete(record);
        assertTrue(cache.buildOnce(key, "m", null, build, out).builtHere(), "the record deleted, the engine is built");
        assertEquals(2, builds.get());
    }

    /** A build that succeeds removes a record of an earlier failure of its engine. */
    @Test
    void aSuccessfulBuildRemovesTheRecordOfAFailedOne() throws Exception {
        EngineCache cache = new EngineCache(dir);
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertThrows(NotRunException.class, () -> cache.buildOnce(EngineCacheTest.key(), "m", null, () -> {
            throw new EngineCache.DeterministicFailure(NotRunException.error(PARSE_ERROR));
        }, out));
        Path record = cache.failureFile(EngineCacheTest.key(), "m");
        assertTrue(Files.exists(record));
        cache.write(EngineCacheTest.key(), "m", engine("a build"), 1); // a process whose file system does not lock, say
        assertFalse(Files.exists(record));
        assertEquals(sha("a build"), cache.buildOnce(EngineCacheTest.key(), "m", null, () -> fail("built again"), out).entry().sha256());
    }

    /** A process that waited for a build that failed for a reason its key decides takes that failure, building nothing. */
    @Test
    void aWaiterTakesTheFailureOfTheBuildItWaitedFor() throws Exception {
        Lines first = builder(FAILING);
        assertEquals("building", first.next());
        Lines second = builder("second");
        assertEquals(waitingLine(), second.next());
        Files.createFile(dir.resolve("go"));
        assertEquals("failed: " + PARSE_ERROR, first.next());
        String line = second.next();
        assertTrue(line.startsWith("failed: " + PARSE_ERROR + " (recorded by the build at "), line);
        assertTrue(line.endsWith("; delete " + failureFile() + " to build it again)"), line);
        assertEquals(0, second.process.waitFor());
    }

    /** A wait interrupted (JMH's -to counts it) says whose build it waited for, and what to do about it. */
    @Test
    void anInterruptedWaitSaysWhoseBuildItWaitedFor() throws Exception {
        Lines first = builder("first");
        assertEquals("building", first.next());
        EngineCache cache = new EngineCache(dir.resolve("engines"));
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(said, true, StandardCharsets.UTF_8);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread waiter = new Thread(() -> {
            try {
                cache.buildOnce(EngineCacheTest.key(), "m", null, () -> fail("built while another process holds the lock"), out);
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        waiter.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!said.toString(StandardCharsets.UTF_8).contains(waitingLine()) && System.nanoTime() - deadline < 0) {
            Thread.sleep(20);
        }
        Thread.sleep(200); // at the lock by now
        waiter.interrupt();
        waiter.join(TimeUnit.SECONDS.toMillis(30));
        assertFalse(waiter.isAlive(), "the interrupted wait did not end");
        Path file = cache.file(EngineCacheTest.key(), "m");
        assertTrue(thrown.get() instanceof InterruptedIOException, String.valueOf(thrown.get()));
        assertEquals("interrupted while waiting for another process's build of " + file + " (it holds " + file + ".lock): JMH's "
                + "iteration timeout (-to) counts the wait; give a longer -to, or build the engine first", thrown.get().getMessage());
    }

    private Path failureFile() {
        return new EngineCache(dir.resolve("engines")).failureFile(EngineCacheTest.key(), "m");
    }

    private String waitingLine() {
        Path file = new EngineCache(dir.resolve("engines")).file(EngineCacheTest.key(), "m");
        return "# TensorRT: waiting for another process's build of " + file + " (it holds " + file + ".lock)";
    }

    /** A failure the model decides, as the build child gives it. */
    private static final String PARSE_ERROR = "engine 'tensorrt-fp16', batchSize 128: TensorRT cannot parse /m/m.onnx at node 12 "
            + "'/blocks/attn/CustomOp' (CustomOp): No importer registered for op: CustomOp";
    /** The name that makes {@link #main}'s build fail as {@link #PARSE_ERROR}. */
    private static final String FAILING = "failing";

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
     * engine NAME built, or fails as {@link #PARSE_ERROR} when NAME is {@link #FAILING}; it ends saying whether it built
     * the engine or took another's ("built SHA" / "took SHA"), and whether it waited, or "failed: " and its line.
     */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        EngineCache cache = new EngineCache(dir.resolve("engines"));
        EngineCache.Obtained obtained;
        try {
            obtained = cache.buildOnce(EngineCacheTest.key(), "m", null, () -> {
                System.out.println("building");
                System.out.flush();
                try {
                    while (!Files.exists(dir.resolve("go"))) {
                        Thread.sleep(20);
                    }
                    if (args[1].equals(FAILING)) {
                        throw new EngineCache.DeterministicFailure(NotRunException.error(PARSE_ERROR));
                    }
                    cache.write(EngineCacheTest.key(), "m", engine(args[1]), 1);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }, System.out);
        } catch (NotRunException e) {
            System.out.println("failed: " + e.getMessage());
            return;
        }
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
