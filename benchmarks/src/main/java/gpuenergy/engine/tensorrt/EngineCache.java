package gpuenergy.engine.tensorrt;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import gpuenergy.engine.NotRunException;
import gpuenergy.engine.Sha256;
import gpuenergy.options.SuiteSetting;
import gpuenergy.results.AtomicWrite;
import gpuenergy.results.FileLocks;
import gpuenergy.results.FileNames;
import gpuenergy.results.IoMessage;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLockInterruptionException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

/**
 * Serialized TensorRT engines on disk, keyed by everything that makes an engine valid: the ONNX file's content and
 * that of its external data files, the batch size and input shape, the GPU (name, compute capability, streaming
 * multiprocessors and memory), TensorRT's version with its build number ({@link TensorRtLibraries#version()}) and the
 * build options. An engine is reused only when every key field matches; otherwise it is built again, in the benchmark's
 * setup.
 *
 * <p>A file is: a magic line, the key as one line of JSON, one line of JSON about the build (seconds, when), the
 * SHA-256 of the engine bytes, then the engine bytes. The key line guards against a stale engine and the checksum
 * against a truncated or corrupt one, before TensorRT is handed the bytes. Files are written to a temporary name and
 * moved into place, so a killed build never leaves a half-written engine under the real name, and a reader never sees
 * one being written; a later write removes the temporary file a killed one left.
 *
 * <p>Processes sharing the directory ({@code sweep --gpus}, Slurm tasks on one node) build each engine once: a build
 * holds the engine's lock file ({@code <engine>.lock}, beside it) from its last look into the cache until its engine
 * is in place, and a process that needs the same engine meanwhile waits, then takes the engine the other wrote
 * ({@link #buildOnce}). The lock is the operating system's, released when its holder ends, however it ends.
 *
 * <p>A build that fails for a reason its key decides leaves a failure record beside the engine ({@code <engine>.failed}:
 * the one-line reason, when, and the key), and whoever then needs that engine (the process that waited for the build,
 * a later trial) fails at once with that line and the record's path instead of building again: the build would fail
 * alike after minutes of the GPU, once per waiter and per trial. Such failures are the model's and the build's, given
 * the key ({@link DeterministicFailure}): TensorRT cannot parse the model (for a reason other than the device's memory),
 * the model's input does not match its export record, the engine is too large. The record is named as its engine, so a change of any key field (the model's
 * content, the batch, TensorRT, the build options) builds afresh; deleting it builds again; a build that succeeds
 * removes it. A failure that may pass leaves none, since a later run may well succeed: any build TensorRT itself fails
 * (with no workspace limit, whether it finds a way to build each layer depends on the device memory free at the moment,
 * other processes' included, and its messages do not tell that from the model), TensorRT or the GPU not loading, a
 * cache that cannot take the engine; nor does a build interrupted (JMH's -to) or killed, which was stopped rather than
 * failed.
 */
final class EngineCache {
    static final String MAGIC = "gpuenergy-tensorrt-engine 1";

    /**
     * What makes an engine valid; {@link #json} is compared verbatim.
     *
     * @param onnxExternalData the model's external data files, location to SHA-256 ({@link OnnxExternalData}); left out
     *                         of the JSON when empty, so that a model keeping its data inside is keyed by its .onnx
     *                         file alone
     * @param multiprocessors  the GPU's streaming multiprocessors, and {@code memoryBytes} its total memory: a MIG slice
     *                         has the name and compute capability of its whole GPU, and TensorRT picks its kernels
     *                         (tactics) for the SMs and memory it builds on, so an engine built on the one is not the
     *                         other's
     */
    record Key(String onnxSha256, SortedMap<String, String> onnxExternalData, int batch, long[] inputShape, String gpuName,
               String computeCapability, int multiprocessors, long memoryBytes, String tensorRtVersion,
               Map<String, String> buildOptions) {

        String json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("onnx_sha256", onnxSha256);
            if (!onnxExternalData.isEmpty()) {
                m.put("onnx_external_data", onnxExternalData);
            }
            m.put("batch", batch);
            m.put("input", inputShape[0] + "x" + inputShape[1] + "x" + inputShape[2]);
            m.put("gpu", gpuName);
            m.put("compute_capability", computeCapability);
            m.put("multiprocessors", multiprocessors);
            m.put("memory_bytes", memoryBytes);
            m.put("tensorrt", tensorRtVersion);
            m.put("build", buildOptions);
            return new Gson().toJson(m);
        }

        /** File name: readable, plus a hash of the whole key so that any change of a field is another file. */
        String fileName(String model) {
            return FileNames.part(model) + "-b" + batch + "-" + Sha256.of(json().getBytes(StandardCharsets.UTF_8)).substring(0, 16)
                    + ".engine";
        }
    }

    /** An engine read from the cache: its bytes (read into memory, outside the heap), their SHA-256 (checked on reading), its build's seconds and its file. */
    record Entry(ByteBuffer engine, String sha256, double buildSeconds, Path file) {
        /**
         * This entry without its bytes, once TensorRT has deserialized them (it copies what it keeps): the VM frees a
         * direct buffer only once nothing refers to it, collecting such buffers first where its direct memory runs
         * short, so that a rebuild reads its engine into the memory the one TensorRT could not load held, not beside it.
         */
        Entry withoutEngine() {
            return new Entry(null, sha256, buildSeconds, file);
        }
    }

    /** Why a cached file was not used. */
    static final class Unusable extends Exception {
        private static final long serialVersionUID = 1L;

        Unusable(String why) {
            super(why, null, false, false);
        }
    }

    /**
     * A build's failure that its key decides: the same model, batch, GPU, TensorRT and build options fail alike again,
     * so {@link #buildOnce} records it beside the engine (see the class comment) and throws {@link #failure} itself.
     */
    static final class DeterministicFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        private final NotRunException failure;

        DeterministicFailure(NotRunException failure) {
            super(failure.getMessage(), null, false, false);
            this.failure = failure;
        }

        NotRunException failure() {
            return failure;
        }
    }

    /**
     * The temporary names of engine writes: {@link #write}'s ({@link #temporaryFor}: ENGINE.PID-RANDOM.tmp, RANDOM in
     * base 36), and ENGINE&lt;digits&gt;.tmp, Files.createTempFile's, which earlier versions of the suite write through
     * and a cache they share may hold.
     */
    private static final Pattern TEMPORARY = Pattern.compile(".+\\.engine(\\.\\d+-[0-9a-z]+|\\d+)\\.tmp");
    /** The most of a file read as its header: a key of some 100 000 external data files; a file whose lines run longer is damaged. */
    private static final int LONGEST_HEADER = 16 << 20;

    /** The builds of this VM, by engine file: see {@link #buildOnce}. */
    private static final ConcurrentHashMap<Path, ReentrantLock> BUILDS_IN_THIS_VM = new ConcurrentHashMap<>();

    private final Path dir;

    EngineCache(Path dir) {
        this.dir = dir;
    }

    /** -Dgpuenergy.tensorrt.cache, else $XDG_CACHE_HOME/gpuenergy/tensorrt-engines, else ~/.cache/gpuenergy/tensorrt-engines. */
    static Path defaultDir() {
        String property = SuiteSetting.TENSORRT_CACHE.value();
        if (property != null && !property.isBlank()) {
            return Path.of(property).toAbsolutePath();
        }
        return TensorRtLibraries.userCacheRoot().resolve("tensorrt-engines");
    }

    Path dir() {
        return dir;
    }

    Path file(Key key, String model) {
        return dir.resolve(key.fileName(model));
    }

    /** The record of a failed build of this engine ({@link DeterministicFailure}), beside the engine. */
    Path failureFile(Key key, String model) {
        return dir.resolve(key.fileName(model) + ".failed");
    }

    /**
     * Why this directory cannot take the engine file for {@code key}, or null when it can (it is created if missing).
     * Asked before a build: a build takes minutes, and its engine would be thrown away if it could not be written.
     */
    String cannotWrite(Key key, String model) {
        IOException notCreated = null;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            notCreated = e; // a file in its place, a parent that is one: cannotCreate says which, in words
        }
        String why = IoMessage.cannotCreate(file(key, model));
        return why != null || notCreated == null ? why : IoMessage.describe(notCreated);
    }

    /**
     * The cached engine for this key, or null when there is none.
     *
     * @throws Unusable        when a file exists but is stale (another key), truncated or corrupt: the caller rebuilds
     * @throws NotRunException when the VM cannot hold the engine's bytes: a rebuilt engine would not fit either
     */
    Entry read(Key key, String model) throws Unusable {
        return read(key, model, null);
    }

    /**
     * {@link #read(Key, String)}, null also when the header's SHA-256 is {@code unloadable}: the engine TensorRT could not
     * load, whose bytes (up to 2 GiB) are then not read.
     */
    private Entry read(Key key, String model, String unloadable) throws Unusable {
        Path file = file(key, model);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            ByteBuffer head = readFully(ch, 0, (int) Math.min(size, 64 * 1024), false);
            String magic = line(head);
            if (!MAGIC.equals(magic)) {
                throw new Unusable("not an engine file of this tool (first line '" + abbreviate(magic) + "')");
            }
            String keyLine = line(head);
            String buildLine = line(head);
            String digest = line(head);
            if (digest == null && head.capacity() < size) {
                // a key naming hundreds of external data files (one per tensor, as torch.onnx.export writes models over
                // 2 GiB) makes the header longer than the first read: it is read again, longer
                head = readFully(ch, 0, (int) Math.min(size, LONGEST_HEADER), false);
                head.position(MAGIC.length() + 1);
                keyLine = line(head);
                buildLine = line(head);
                digest = line(head);
            }
            if (keyLine == null) {
                throw new Unusable("truncated header"); // a file cut after its magic line is damaged, not built for another key
            }
            if (!key.json().equals(keyLine)) {
                throw new Unusable("stale: built for " + abbreviate(keyLine));
            }
            if (buildLine == null || digest == null) {
                throw new Unusable("truncated header");
            }
            if (digest.equals(unloadable)) {
                return null;
            }
            double seconds = buildSeconds(buildLine);
            long offset = head.position();
            if (size - offset > Integer.MAX_VALUE) {
                // the builder refuses engines over 2 GiB, and one buffer holds no more: checked before allocating it
                throw new Unusable("corrupt: " + size + " bytes, more than any engine this tool writes");
            }
            ByteBuffer engine;
            try {
                engine = readFully(ch, offset, (int) (size - offset), true).asReadOnlyBuffer();
            } catch (OutOfMemoryError e) {
                // the VM's direct buffer memory (-XX:MaxDirectMemorySize, by default its heap's size) is short of the
                // engine, and a rebuilt one is read alike: not run, in one line whose kind OutOfMemory.verdict decides
                throw NotRunException.from("the cached engine " + file + " (" + (size - offset) + " bytes) cannot be read into memory: ", e);
            }
            if (engine.remaining() == 0 || !digest.equals(Sha256.of(engine.duplicate()))) {
                throw new Unusable("corrupt: the engine bytes do not match their SHA-256");
            }
            return new Entry(engine, digest, seconds, file);
        } catch (EOFException e) {
            throw new Unusable("truncated: " + e.getMessage());
        } catch (IOException e) {
            throw new Unusable("unreadable: " + IoMessage.reason(e)); // the file is named where the line is printed
        }
    }

    /**
     * {@code length} bytes of {@code ch} from {@code position}, read into memory rather than mapped: a mapped file cut
     * short meanwhile (a user's cp over it, another host's write on NFS) faults at the first byte past its new end, an
     * InternalError in Java (which passes a trial's RuntimeException catch) and the VM's end in TensorRT's
     * deserialization. OnnxExternalData reads the model so too.
     *
     * @param direct outside the heap, where TensorRT reads the engine without a copy
     * @throws EOFException when the file ends early, in one line
     */
    static ByteBuffer readFully(FileChannel ch, long position, int length, boolean direct) throws IOException {
        ByteBuffer b = direct ? ByteBuffer.allocateDirect(length) : ByteBuffer.allocate(length);
        while (b.hasRemaining()) {
            if (ch.read(b, position + b.position()) < 0) {
                throw new EOFException("the file ended at byte " + (position + b.position()) + " while it was read, "
                        + (position + length) + " expected (rewritten meanwhile?)");
            }
        }
        return b.flip();
    }

    /**
     * What {@link #buildOnce} ends with: the engine (null when the build wrote none), whether this process built it, and
     * the seconds it waited for another process's build of it (0 when it did not wait).
     */
    record Obtained(Entry entry, boolean builtHere, double waitedSeconds) {}

    /**
     * The engine for {@code key}, built by {@code build} only when the cache still has no usable one once this process
     * holds the engine's build lock: a process that waited for another's build takes the engine that one wrote. Without
     * the lock, two processes needing one engine would both build it, each a minute or more of a GPU, one of them heating
     * the GPU beside the other's measurement. Where the lock cannot be had (a file system without locks, such as NFS
     * without its lock service; a lock file another user made and this one cannot open) the build goes on unguarded and
     * one line says so; where the directory cannot take files at all, the build says why.
     *
     * @param unloadable the SHA-256 of the cached engine TensorRT could not load, which therefore does not count as
     *                   usable; null when there is none
     * @param build      writes the engine for {@code key} into this cache; what it throws passes through, the lock released,
     *                   except a {@link DeterministicFailure}, which is recorded and whose failure is thrown in its place
     * @param out        where a wait, or a build without the lock, is said in one line
     * @throws NotRunException        an earlier build of this engine failed for a reason its key decides: its line, when,
     *                                and the record to delete to build it again; or the VM cannot hold the engine ({@link #read})
     * @throws Unusable               the engine the build wrote is unusable
     * @throws InterruptedIOException the wait for another process's build was interrupted (JMH's -to): its message says so
     * @throws IOException            the wait for the lock ended without it otherwise
     */
    Obtained buildOnce(Key key, String model, String unloadable, Runnable build, PrintStream out) throws Unusable, IOException {
        Path file = file(key, model);
        Path lockFile = dir.resolve(file.getFileName() + ".lock");
        // a file lock is held by the whole VM: a second channel of this VM asking for it would throw
        // OverlappingFileLockException instead of waiting, so this VM's threads take turns here first
        ReentrantLock thisVm = BUILDS_IN_THIS_VM.computeIfAbsent(lockFile, f -> new ReentrantLock());
        thisVm.lock();
        try (FileChannel channel = openLockFile(lockFile, key, model, out)) {
            double waitedSeconds = 0;
            FileLocks.Attempt attempt = channel == null ? null : FileLocks.tryLockIfPossible(channel);
            if (attempt != null && attempt.heldElsewhere()) {
                out.println("# TensorRT: waiting for another process's build of " + file + " (it holds " + lockFile + ")");
                out.flush();
                long start = System.nanoTime();
                try {
                    FileLocks.lockIfPossible(channel);
                } catch (FileLockInterruptionException | ClosedByInterruptException e) {
                    throw new InterruptedIOException("interrupted while waiting for another process's build of " + file + " (it holds "
                            + lockFile + "): JMH's iteration timeout (-to) counts the wait; give a longer -to, or build the engine first");
                }
                waitedSeconds = (System.nanoTime() - start) / 1e9;
            } else if (attempt != null && !attempt.supported()) {
                out.println("# TensorRT: " + lockFile + ": its file system does not lock files, so another process may build this "
                        + "engine at the same time");
            }
            Entry cached = usable(key, model, unloadable);
            if (cached != null) {
                return new Obtained(cached, false, waitedSeconds);
            }
            NotRunException failedBefore = failedBefore(key, model);
            if (failedBefore != null) {
                throw failedBefore;
            }
            try {
                build.run();
            } catch (DeterministicFailure e) {
                recordFailure(key, model, e.failure().getMessage(), out);
                throw e.failure();
            }
            return new Obtained(read(key, model), true, waitedSeconds);
        } finally { // the channel is closed by now, which released its lock
            thisVm.unlock();
        }
    }

    /**
     * The build lock's file, opened for locking (and made so that other users' processes can lock it too); null when
     * it cannot be opened: a line says so when the directory takes files but not this one.
     */
    private FileChannel openLockFile(Path lockFile, Key key, String model, PrintStream out) {
        try {
            Files.createDirectories(dir);
            FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            // other users' processes that share the cache lock it too; only its owner can let them, and does
            lockFile.toFile().setWritable(true, false);
            return channel;
        } catch (IOException e) {
            if (cannotWrite(key, model) == null) {
                out.println("# TensorRT: cannot lock " + lockFile + " (" + IoMessage.reason(e) + "), so another process may build "
                        + "this engine at the same time");
            }
            return null;
        }
    }

    /** The cached engine for {@code key} when it reads and is not {@code unloadable}; null otherwise. */
    private Entry usable(Key key, String model, String unloadable) {
        try {
            return read(key, model, unloadable);
        } catch (Unusable e) {
            return null;
        }
    }

    /**
     * The line of an earlier build of this engine that failed for a reason its key decides, with when and how to build
     * it again; null when there is no record of one. A record that does not read as one for this key is not one: the
     * engine is built, and its write removes the record.
     */
    private NotRunException failedBefore(Key key, String model) {
        Path record = failureFile(key, model);
        List<String> lines;
        try {
            lines = Files.readAllLines(record, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null; // none, mostly; an unreadable one costs a build, never a refusal it cannot justify
        }
        if (lines.size() < 3 || !lines.get(2).equals(key.json())) {
            return null;
        }
        return NotRunException.error(lines.get(0) + " (recorded by the build at " + lines.get(1) + ", and not tried again for the same "
                + "model, batch, GPU, TensorRT and build options; delete " + record + " to build it again)");
    }

    /**
     * Records a failed build beside its engine: the one-line reason, when (UTC), and the key. Written whole or not at all,
     * so a reader never takes a torn record; one that cannot be written costs the next process a build, said in a line.
     */
    private void recordFailure(Key key, String model, String reason, PrintStream out) {
        Path record = failureFile(key, model);
        try {
            AtomicWrite.writeString(record, reason.replaceAll("\\R", " ") + "\n" + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "\n"
                    + key.json() + "\n");
        } catch (IOException e) {
            out.println("# TensorRT: cannot record the failed build in " + record + " (" + IoMessage.reason(e) + "), so the next "
                    + "process that needs this engine builds it again");
        }
    }

    /**
     * Writes an engine under its key: a temporary file first, moved into place when complete. A record of an earlier
     * failed build of it is removed: this build did not fail.
     */
    Path write(Key key, String model, ByteBuffer engine, double buildSeconds) throws IOException {
        Files.createDirectories(dir);
        removeKilledWrites();
        Path file = file(key, model);
        Path tmp = temporaryFor(file);
        // created with the process's umask, as the lock files are open to others: a cache the users of a machine share
        // holds engines each of them can read (a temporary file's 0600 would have every other user build it again)
        FileChannel created = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            try (FileChannel ch = created) {
                JsonObject build = new JsonObject();
                build.addProperty("build_seconds", buildSeconds);
                build.addProperty("built", java.time.Instant.now().toString());
                String header = MAGIC + "\n" + key.json() + "\n" + build + "\n" + Sha256.of(engine.duplicate()) + "\n";
                ch.write(ByteBuffer.wrap(header.getBytes(StandardCharsets.UTF_8)));
                ByteBuffer body = engine.duplicate();
                while (body.hasRemaining()) {
                    ch.write(body);
                }
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
        try {
            Files.deleteIfExists(failureFile(key, model));
        } catch (IOException e) {
            // a record left beside a usable engine is never read: a process takes the engine first
        }
        return file;
    }

    /** The name {@link #write} writes {@code engine} under before moving it into place: one of its own per write. */
    static Path temporaryFor(Path engine) {
        return engine.resolveSibling(engine.getFileName() + "." + ProcessHandle.current().pid() + "-"
                + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".tmp");
    }

    /**
     * Removes the temporary files of writes that were killed ({@link AtomicWrite#removeKilledWrites}), each as large as
     * its engine and under a name no read takes, so they would pile up; a shared cache's younger ones may be another
     * process's write in progress. Files not named as writes name them are not touched.
     */
    private void removeKilledWrites() {
        AtomicWrite.removeKilledWrites(dir, f -> TEMPORARY.matcher(f.getFileName().toString()).matches(),
                (f, bytes) -> System.out.println("# TensorRT: removed " + f + " (" + (bytes >> 20) + " MiB), left in the "
                        + "engine cache by a write that was killed"));
    }

    /** The next '\n'-terminated line from the buffer, or null when there is none within it. */
    private static String line(ByteBuffer b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (b.hasRemaining()) {
            byte c = b.get();
            if (c == '\n') {
                return out.toString(StandardCharsets.UTF_8);
            }
            out.write(c);
        }
        return null;
    }

    /**
     * The build line's seconds, the number {@link #write} wrote; anything else there (a damaged byte reads, leniently, as
     * a word) is a corrupt file.
     */
    private static double buildSeconds(String line) throws Unusable {
        try {
            JsonElement seconds = JsonParser.parseString(line).getAsJsonObject().get("build_seconds");
            if (seconds != null && seconds.isJsonPrimitive() && seconds.getAsJsonPrimitive().isNumber()) {
                return seconds.getAsDouble();
            }
        } catch (JsonParseException | IllegalStateException e) {
            // not a JSON object: refused below
        }
        throw new Unusable("corrupt build record");
    }

    /** At most 400 characters: a key naming no external data file (some 300) is shown whole, the build options at its end too. */
    private static String abbreviate(String s) {
        return s == null ? "" : s.length() > 400 ? s.substring(0, 400) + "..." : s;
    }
}
