package gpuenergy.engine.tensorrt;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import gpuenergy.engine.Sha256;
import gpuenergy.options.SuiteSetting;
import gpuenergy.results.IoMessage;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Serialized TensorRT engines on disk, keyed by everything that makes an engine valid: the ONNX file's content, the
 * batch size and input shape, the GPU (name and compute capability), TensorRT's version and the build options. An
 * engine is reused only when every key field matches; otherwise it is built again, in the benchmark's setup.
 *
 * <p>A file is: a magic line, the key as one line of JSON, one line of JSON about the build (seconds, when), the
 * SHA-256 of the engine bytes, then the engine bytes. The key line guards against a stale engine and the checksum
 * against a truncated or corrupt one, before TensorRT is handed the bytes. Files are written to a temporary name and
 * moved into place, so a killed build never leaves a half-written engine under the real name; a later write removes the
 * temporary file a killed one left.
 */
final class EngineCache {
    static final String MAGIC = "gpuenergy-tensorrt-engine 1";

    /** What makes an engine valid; {@link #json} is compared verbatim. */
    record Key(String onnxSha256, int batch, long[] inputShape, String gpuName, String computeCapability,
               String tensorRtVersion, Map<String, String> buildOptions) {

        String json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("onnx_sha256", onnxSha256);
            m.put("batch", batch);
            m.put("input", inputShape[0] + "x" + inputShape[1] + "x" + inputShape[2]);
            m.put("gpu", gpuName);
            m.put("compute_capability", computeCapability);
            m.put("tensorrt", tensorRtVersion);
            m.put("build", buildOptions);
            return new Gson().toJson(m);
        }

        /** File name: readable, plus a hash of the whole key so that any change of a field is another file. */
        String fileName(String model) {
            return model.replaceAll("[^A-Za-z0-9_.-]", "_") + "-b" + batch + "-" + Sha256.of(json().getBytes(StandardCharsets.UTF_8)).substring(0, 16)
                    + ".engine";
        }
    }

    /** An engine read from the cache: its bytes (a read-only mapping of the file), their SHA-256 (checked on reading), its build's seconds and its file. */
    record Entry(ByteBuffer engine, String sha256, double buildSeconds, Path file) {}

    /** Why a cached file was not used. */
    static final class Unusable extends Exception {
        private static final long serialVersionUID = 1L;

        Unusable(String why) {
            super(why, null, false, false);
        }
    }

    /** {@link #write}'s temporary names: Files.createTempFile's random digits between the engine's name and ".tmp". */
    private static final Pattern TEMPORARY = Pattern.compile(".+\\.engine\\d+\\.tmp");
    private static final Duration KILLED_WRITE_AGE = Duration.ofHours(1);

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
     * @throws Unusable when a file exists but is stale (another key), truncated or corrupt: the caller rebuilds
     */
    Entry read(Key key, String model) throws Unusable {
        Path file = file(key, model);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            ByteBuffer head = ch.map(FileChannel.MapMode.READ_ONLY, 0, Math.min(size, 64 * 1024));
            String magic = line(head);
            if (!MAGIC.equals(magic)) {
                throw new Unusable("not an engine file of this tool (first line '" + abbreviate(magic) + "')");
            }
            String keyLine = line(head);
            if (keyLine == null) {
                throw new Unusable("truncated header"); // a file cut after its magic line is damaged, not built for another key
            }
            if (!key.json().equals(keyLine)) {
                throw new Unusable("stale: built for " + abbreviate(keyLine));
            }
            String buildLine = line(head);
            String digest = line(head);
            if (buildLine == null || digest == null) {
                throw new Unusable("truncated header");
            }
            double seconds = buildSeconds(buildLine);
            long offset = head.position();
            if (size - offset > Integer.MAX_VALUE) {
                // the builder refuses engines over 2 GiB, and one mapping holds no more: checked before mapping, whose
                // IllegalArgumentException would end the benchmark instead of rebuilding the engine
                throw new Unusable("corrupt: " + size + " bytes, more than any engine this tool writes");
            }
            ByteBuffer engine = ch.map(FileChannel.MapMode.READ_ONLY, offset, size - offset);
            if (engine.remaining() == 0 || !digest.equals(Sha256.of(engine.duplicate()))) {
                throw new Unusable("corrupt: the engine bytes do not match their SHA-256");
            }
            return new Entry(engine, digest, seconds, file);
        } catch (IOException e) {
            throw new Unusable("unreadable: " + e.getMessage());
        }
    }

    /** Writes an engine under its key: a temporary file first, moved into place when complete. */
    Path write(Key key, String model, ByteBuffer engine, double buildSeconds) throws IOException {
        Files.createDirectories(dir);
        removeKilledWrites();
        Path file = file(key, model);
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
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
        return file;
    }

    /**
     * Removes the temporary files of writes that were killed (SIGKILL, power loss: no finally ran), each as large as its
     * engine and under a name no read takes, so they would pile up. A write takes seconds once its build is done: a
     * temporary file unchanged for {@link #KILLED_WRITE_AGE} has no writer left, while a younger one may be another
     * process's write in progress (a shared cache). Files not named as {@link #write} names them are not touched.
     */
    private void removeKilledWrites() {
        Instant before = Instant.now().minus(KILLED_WRITE_AGE);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.tmp")) {
            for (Path f : files) {
                try {
                    if (TEMPORARY.matcher(f.getFileName().toString()).matches() && Files.getLastModifiedTime(f).toInstant().isBefore(before)) {
                        long bytes = Files.size(f);
                        Files.delete(f);
                        System.out.println("# TensorRT: removed " + f + " (" + (bytes >> 20) + " MiB), left in the engine cache by a write "
                                + "that was killed");
                    }
                } catch (IOException e) {
                    // gone meanwhile, or not ours to delete: the write goes on, as it would have without this
                }
            }
        } catch (IOException | DirectoryIteratorException e) {
            // an unlistable directory fails the write itself, with its reason
        }
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

    private static double buildSeconds(String line) throws Unusable {
        try {
            return JsonParser.parseString(line).getAsJsonObject().get("build_seconds").getAsDouble();
        } catch (JsonParseException | IllegalStateException | NullPointerException | UnsupportedOperationException e) {
            throw new Unusable("corrupt build record");
        }
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }
}
