package gpuenergy.sweep;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import gpuenergy.results.NotRun;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * DIR/sweep.jsonl: one JSON line per configuration outcome, appended and forced to disk as it happens,
 * never rewritten. It is what --resume and the not-run file are rebuilt from.
 */
final class SweepLog {
    static final String FILE = "sweep.jsonl";

    /** Final outcomes, and "rerun" for a run kept aside because its iterations held too few batches. */
    static final String DONE = "done";
    static final String DID_NOT_FIT = "did-not-fit";
    static final String FAILED = "failed";
    static final String RERUN = "rerun";
    /**
     * The benchmark said this machine or build cannot run it (FP16 on a CPU): its ladder ends there, as a not-run of
     * kind unavailable; it settles nothing, a resumed sweep on a machine that has what it needs runs it.
     */
    static final String UNAVAILABLE = NotRun.UNAVAILABLE;
    /**
     * Not run: the batch after a ladder's last rung, above --max-batch. It records that the ladder stopped at the cap
     * (not at out of memory), for the report; it settles nothing: a sweep with a larger --max-batch runs that batch.
     */
    static final String ABOVE_MAX_BATCH = NotRun.ABOVE_MAX_BATCH;

    /**
     * One line. {@code file} is relative to the sweep directory; null when nothing was written. {@code seconds}: the
     * configuration's wall time over all its runs; for a "rerun" line, that run's own (a resumed sweep predicts
     * the re-run from it). {@code gpu}: the GPU
     * it ran on (NotRun.gpuFor); null on the CPU, without a GPU, and in logs written before lines named their GPU.
     */
    record Entry(String time, String model, String engine, int batchSize, String status, String reason,
                 String file, double seconds, String gpu) {
    }

    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().serializeSpecialFloatingPointValues().create();

    private final Path file;

    SweepLog(Path dir) {
        this.file = dir.resolve(FILE);
    }

    Path file() {
        return file;
    }

    /** Appends one line with a single write, then forces it to disk before the sweep moves on. */
    void append(Entry e) throws IOException {
        byte[] line = (GSON.toJson(e) + "\n").getBytes(StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            ByteBuffer bytes = ByteBuffer.wrap(line);
            while (bytes.hasRemaining()) {
                ch.write(bytes);
            }
            ch.force(true);
        }
    }

    /**
     * Every complete line. A last line without its newline (the sweep was killed while appending) is
     * skipped: its configuration simply counts as not yet run.
     */
    static List<Entry> read(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        List<Entry> entries = new ArrayList<>();
        if (!Files.exists(file)) {
            return entries;
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        String[] lines = text.split("\n", -1);
        // the piece after the last newline is "" for a complete file, else a torn line
        for (int i = 0; i < lines.length - 1; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            try {
                entries.add(parse(lines[i]));
            } catch (JsonParseException | IllegalArgumentException e) {
                throw new IOException(file + " line " + (i + 1) + " is not a sweep log entry: " + Failure.oneLine(e.getMessage()), e);
            }
        }
        return entries;
    }

    static Entry parse(String line) {
        Entry e = GSON.fromJson(line, Entry.class);
        if (e == null || e.model() == null || e.engine() == null || e.status() == null || e.batchSize() < 1) {
            throw new IllegalArgumentException("missing model, engine, batchSize or status");
        }
        return e;
    }
}
