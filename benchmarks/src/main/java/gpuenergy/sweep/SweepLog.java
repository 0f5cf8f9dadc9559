package gpuenergy.sweep;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import gpuenergy.results.JsonLines;
import gpuenergy.results.NotRun;
import gpuenergy.results.SweepResults;
import gpuenergy.run.Failure;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * DIR/sweep.jsonl: one JSON line per configuration outcome, appended and forced to disk as it happens,
 * never rewritten ({@link JsonLines}: only a torn last line a kill left is cut off). It is what --resume and the not-run
 * file are rebuilt from.
 */
final class SweepLog {
    static final String FILE = SweepResults.LOG;

    /** The complete lines of a sweep's sweep.jsonl; none where it has none or cannot be read (the sweep says why). */
    static List<String> completeLines(Path dir) {
        try {
            return JsonLines.read(dir.resolve(FILE)).lines();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** A configuration measured: its result file is {@code file}. */
    static final String DONE = "done";
    /** A run kept aside because its iterations held too few batches; the configuration runs again. */
    static final String RERUN = "rerun";
    /**
     * Kind error as the sweep logs that existing sweep directories hold may spell it: read as {@link NotRun.Kind#ERROR},
     * so that --resume continues those sweeps; never written.
     */
    static final String ERROR_AS_OLDER_LOGS_SPELL_IT = "failed";

    /** The status of a configuration that did not run: its kind's label, as the not-run lists and trial records write it. */
    static String status(NotRun.Kind kind) {
        return kind.label();
    }

    /**
     * One line. {@code file} is relative to the sweep directory; null when nothing was written. {@code seconds}: the
     * configuration's wall time over all its runs; for a "rerun" line, that run's own (a resumed sweep predicts
     * the re-run from it). {@code gpu}, {@code gpuUuid}, {@code gpuMigMode}, {@code gpuMigProfile}: the GPU it ran on,
     * its model, its board, its MIG mode and its MIG instance's profile ({@link OnGpu}); null on the CPU, without a GPU,
     * and in lines that name none.
     */
    record Entry(String time, String model, String engine, int batchSize, String status, String reason,
                 String file, double seconds, String gpu, String gpuUuid, String gpuMigMode, String gpuMigProfile) {

        OnGpu onGpu() {
            return new OnGpu(gpu, gpuUuid, gpuMigMode, gpuMigProfile);
        }

        /** What kind of not-run this line records; null for {@link #DONE} and {@link #RERUN}. */
        NotRun.Kind kind() {
            return DONE.equals(status) || RERUN.equals(status) ? null
                    : ERROR_AS_OLDER_LOGS_SPELL_IT.equals(status) ? NotRun.Kind.ERROR : NotRun.Kind.of(status);
        }
    }

    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().serializeSpecialFloatingPointValues().create();

    private final Path file;

    SweepLog(Path dir) {
        this.file = dir.resolve(FILE);
    }

    Path file() {
        return file;
    }

    /** Appends one line ({@link JsonLines#append}) before the sweep moves on. */
    void append(Entry e) throws IOException {
        JsonLines.append(file, GSON.toJson(e));
    }

    /**
     * Every complete line. A last line without its newline (the sweep was killed while appending) is skipped, saying so
     * on {@code notes}: its configuration simply counts as not yet run.
     */
    static List<Entry> read(Path dir, PrintStream notes) throws IOException {
        Path file = dir.resolve(FILE);
        JsonLines.Content log = JsonLines.read(file, notes, "[sweep] ");
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < log.lines().size(); i++) {
            if (log.lines().get(i).isBlank()) {
                continue;
            }
            try {
                entries.add(parse(log.lines().get(i)));
            } catch (JsonParseException e) {
                // Gson's message names its reader's Java exceptions and states ("Expected BEGIN_OBJECT but was STRING")
                throw new IOException(file + " line " + (i + 1) + " is not a sweep log entry: " + ENTRY, e);
            } catch (IllegalArgumentException e) {
                throw new IOException(file + " line " + (i + 1) + " is not a sweep log entry: " + Failure.oneLine(e.getMessage()), e);
            }
        }
        return entries;
    }

    /** What a line is, for the one that is not. */
    private static final String ENTRY = "expected one JSON object with model, engine, batchSize (a whole number >= 1) and status";

    static Entry parse(String line) {
        Entry e;
        try {
            e = GSON.fromJson(line, Entry.class);
        } catch (NumberFormatException notANumber) {
            // Gson reads a number given as text by parsing it: "seconds": "abc" fails with Java's "For input string"
            throw new IllegalArgumentException(ENTRY, notANumber);
        }
        if (e == null || e.model() == null || e.engine() == null || e.status() == null || e.batchSize() < 1) {
            throw new IllegalArgumentException(ENTRY);
        }
        e.kind(); // a status this version does not know makes the line unusable
        return e;
    }
}
