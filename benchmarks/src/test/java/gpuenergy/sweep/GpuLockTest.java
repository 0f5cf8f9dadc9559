package gpuenergy.sweep;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.FileLockInterruptionException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two processes on one board take turns; on two boards they do not wait for each other. */
class GpuLockTest {
    private static final String BOARD = "GPU-00000000-1111-2222-3333-444444444444";
    private static final String OTHER = "GPU-55555555-6666-7777-8888-999999999999";

    /**
     * Holds board args[1]'s lock in directory args[0] for args[2] milliseconds, saying when it first has it and, before
     * each time it lets go, "releasing"; with args[3] and args[4], that many times with args[4] milliseconds between, as
     * a sweep does over its configurations (saying, as one, when it waits for the board), and the first time for a line
     * on its input besides.
     */
    public static void main(String[] args) throws Exception {
        int times = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        for (int i = 0; i < times; i++) {
            try (GpuLock held = GpuLock.hold(Path.of(args[0]), args[1], System.out)) {
                if (i == 0) {
                    System.out.println("held");
                    System.out.flush();
                }
                Thread.sleep(Long.parseLong(args[2]));
                if (i == 0 && times > 1) {
                    new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                }
                // said while the lock is still held: a sweep that took it after this one finds the line there
                System.out.println("releasing");
                System.out.flush();
            }
            if (args.length > 4) {
                Thread.sleep(Long.parseLong(args[4]));
            }
        }
    }

    /** A process holding BOARD's lock in {@code dir} as {@link #main} does, with {@code args} after the board. */
    private static Process holder(Path dir, String... args) throws IOException {
        List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), GpuLockTest.class.getName(), dir.toString(), BOARD));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    /**
     * A sweep waiting for a board gets it between two of the holder's configurations, not only after its last: the
     * holder, with configurations left, then waits for it. The sweep waits inside FileChannel.lock, which the kernel
     * ends as the holder lets go, not in a sleep between tries that would rarely end in the holder's 30 ms between
     * configurations (how many pass before it is scheduled in one is the host's affair: a busy host runs it late).
     */
    @Test
    void aWaitingSweepGetsTheBoardBetweenTheHoldersConfigurations(@TempDir Path dir) throws Exception {
        Process holder = holder(dir, "700", "12", "30");
        try {
            BufferedReader r = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("held", r.readLine());
            PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
            FutureTask<GpuLock> waiting = new FutureTask<>(() -> GpuLock.hold(dir, BOARD, out, () -> false));
            Thread sweep = new Thread(waiting, "waiting sweep");
            sweep.setDaemon(true);
            sweep.start();
            // the holder keeps its first configuration until told: the sweep is seen waiting in the lock call first
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (Arrays.stream(sweep.getStackTrace()).noneMatch(f -> f.getClassName().equals(FileChannel.class.getName())
                    && f.getMethodName().equals("lock"))) {
                assertTrue(!waiting.isDone() && System.nanoTime() < deadline, "the sweep does not wait in FileChannel.lock: "
                        + Arrays.toString(sweep.getStackTrace()));
                Thread.sleep(1);
            }
            holder.getOutputStream().write('\n');
            holder.getOutputStream().flush();
            try (GpuLock held = waiting.get()) {
                List<String> before = new java.util.ArrayList<>();
                String line;
                while ((line = r.readLine()) != null && !line.startsWith("[sweep] waiting for " + BOARD)) {
                    before.add(line);
                }
                assertTrue(line != null, "the holder ended instead of waiting for the board: " + before);
                assertTrue(before.stream().allMatch("releasing"::equals), "the holder's lines before it waited: " + before);
            }
        } finally {
            holder.destroyForcibly();
        }
    }

    @Test
    void aSecondSweepOnTheBoardWaitsAndOneOnAnotherDoesNot(@TempDir Path dir) throws Exception {
        Process holder = holder(dir, "1500");
        BufferedReader r = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
        assertEquals("held", r.readLine());

        ByteArrayOutputStream said = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(said, true, StandardCharsets.UTF_8);
        try (GpuLock other = GpuLock.hold(dir, OTHER, out)) {
            assertEquals("", said.toString(StandardCharsets.UTF_8), "another board is free: taken without a wait");
        }
        try (GpuLock same = GpuLock.hold(dir, BOARD, out)) {
            // the holder says it lets go before it does: taken after that, its line is there to read at once
            assertTrue(r.ready(), "the board taken while the holder held it");
            assertEquals("releasing", r.readLine());
        }
        assertEquals(0, holder.waitFor());
        assertTrue(said.toString(StandardCharsets.UTF_8).startsWith("[sweep] waiting for " + BOARD
                + ": another sweep is measuring on it"), said.toString(StandardCharsets.UTF_8));
    }

    /**
     * A tmpdir whose file system does not lock files (NFS without its lock service: ENOLCK) leaves the GPU unguarded, as
     * such storage leaves a sweep's directory, and says so once, instead of failing every configuration.
     */
    @Test
    void aFileSystemWithoutLocksLeavesTheBoardUnguardedSayingSoOnce(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("gpuenergy-" + BOARD + ".lock");
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(said, true, StandardCharsets.UTF_8);
        for (int configuration = 0; configuration < 2; configuration++) {
            try (FileChannel ch = new NoLocks(FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE));
                 GpuLock held = GpuLock.hold(ch, file, BOARD, out)) {
                assertTrue(ch.isOpen());
            }
        }
        assertEquals("[sweep] " + file + ": its file system does not lock files, so nothing keeps a second sweep off "
                + BOARD + " while this one measures" + System.lineSeparator(), said.toString(StandardCharsets.UTF_8));
    }

    /** The lock file is writable by every user: the sweeps of another user on the host take the same lock. */
    @Test
    void theLockFileIsOneEveryUserCanLock(@TempDir Path dir) throws Exception {
        try (GpuLock held = GpuLock.hold(dir, BOARD, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))) {
            Path file = dir.resolve("gpuenergy-" + BOARD + ".lock");
            assertTrue(Files.getPosixFilePermissions(file).contains(PosixFilePermission.OTHERS_WRITE),
                    Files.getPosixFilePermissions(file).toString());
        }
    }

    /**
     * A wait for the board that is interrupted ends in an exception: it says nothing about the file system, so the
     * sweep does not go on to measure beside the holder as if the storage did not lock.
     */
    @Test
    void anInterruptedWaitIsNoLockLeftOut(@TempDir Path dir) throws Exception {
        Process holder = holder(dir, "20000");
        try {
            BufferedReader r = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("held", r.readLine());
            ByteArrayOutputStream said = new ByteArrayOutputStream();
            PrintStream out = new PrintStream(said, true, StandardCharsets.UTF_8);
            FutureTask<GpuLock> waiting = new FutureTask<>(() -> GpuLock.hold(dir, BOARD, out));
            Thread t = new Thread(waiting);
            t.start();
            while (!said.toString(StandardCharsets.UTF_8).contains("waiting for " + BOARD)) {
                Thread.sleep(20);
            }
            Thread.sleep(200); // in the wait for the lock
            t.interrupt();
            ExecutionException e = assertThrows(ExecutionException.class, () -> waiting.get(10, TimeUnit.SECONDS));
            assertTrue(e.getCause() instanceof FileLockInterruptionException, String.valueOf(e.getCause()));
            assertFalse(said.toString(StandardCharsets.UTF_8).contains("does not lock"), said.toString(StandardCharsets.UTF_8));
        } finally {
            holder.destroyForcibly();
        }
    }

    /** The wait for a board another sweep holds ends where --stop-after would stop the sweep: no lock, nothing left open. */
    @Test
    void aWaitEndsWhenTheSweepMustStop(@TempDir Path dir) throws Exception {
        Process holder = holder(dir, "20000");
        try {
            BufferedReader r = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("held", r.readLine());
            ByteArrayOutputStream said = new ByteArrayOutputStream();
            PrintStream out = new PrintStream(said, true, StandardCharsets.UTF_8);
            long start = System.nanoTime();
            assertNull(GpuLock.hold(dir, BOARD, out, () -> System.nanoTime() - start > 1_000_000_000L));
            double waited = (System.nanoTime() - start) / 1e9;
            assertTrue(waited >= 1 && waited < 5, "waited " + waited + " s");
            assertTrue(said.toString(StandardCharsets.UTF_8).contains("Ctrl-C or SIGTERM stops the sweep"), said.toString());
            assertTrue(holder.isAlive(), "the holder keeps its board");
        } finally {
            holder.destroyForcibly();
        }
    }

    /** A channel whose file system has no lock service: every lock fails as Linux's ENOLCK does. */
    private static final class NoLocks extends FileChannel {
        private final FileChannel ch;

        NoLocks(FileChannel ch) {
            this.ch = ch;
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) throws IOException {
            throw new IOException("No locks available");
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            throw new IOException("No locks available");
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return ch.read(dst);
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
            return ch.read(dsts, offset, length);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            return ch.write(src);
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            return ch.write(srcs, offset, length);
        }

        @Override
        public long position() throws IOException {
            return ch.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            ch.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return ch.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            ch.truncate(size);
            return this;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            ch.force(metaData);
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
            return ch.transferTo(position, count, target);
        }

        @Override
        public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
            return ch.transferFrom(src, position, count);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return ch.read(dst, position);
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            return ch.write(src, position);
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
            return ch.map(mode, position, size);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            ch.close();
        }
    }
}
