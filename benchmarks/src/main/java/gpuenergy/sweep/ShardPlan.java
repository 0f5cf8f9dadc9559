package gpuenergy.sweep;

import gpuenergy.options.Subcommand;
import gpuenergy.results.AtomicWrite;
import gpuenergy.results.BadInputException;
import gpuenergy.results.ShardFile;
import gpuenergy.results.SweepResults;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * A sweep run with --shard I/N: its part of the ladders ({@link Shard}), balanced by the times --balance-from's sweeps
 * logged, and DIR/shard.json, which ties the directory to that part so that a resumed task runs the same ladders. A
 * sweep run whole records its ladders alike, as the one part of one ({@link Shard#WHOLE}): what it set out to run, which
 * report and compare hold against what it measured, so that a sweep stopped or killed before a ladder says so.
 */
final class ShardPlan {
    private ShardPlan() {}

    /** The whole partition of {@code every} into --shard's N parts (one without --shard), as DIR/shard.json records it. */
    static ShardFile partition(SweepOptions o, List<Shard.LadderId> every, PrintStream notes)
            throws BadInputException, IOException {
        List<Path> logs = new ArrayList<>();
        // a directory given twice is read once, as report reads an input given twice: its times are those of once
        for (Path p : Subcommand.onceEach("sweep", o.balanceFrom(), Path::toString, "--balance-from DIR(s)", System.err)) {
            try {
                logs.addAll(SweepResults.of(p).parts());
            } catch (BadInputException e) {
                throw new BadInputException("--balance-from " + e.getMessage());
            }
        }
        Map<Shard.LadderId, Double> known = LadderTimes.read(logs, o.minBatch(), o.maxBatch(), notes);
        double[] weight = Shard.weights(every, known);
        Shard shard = o.shard() == null ? Shard.WHOLE : o.shard();
        List<List<Shard.LadderId>> parts = Shard.partition(every, known, shard.count());
        List<ShardFile.Ladder> partition = new ArrayList<>();
        for (int i = 0; i < every.size(); i++) {
            Shard.LadderId l = every.get(i);
            int part = 0;
            while (!parts.get(part).contains(l)) {
                part++;
            }
            partition.add(new ShardFile.Ladder(l.model(), l.engine(), part + 1, Math.round(weight[i] * 1000) / 1000.0));
        }
        return new ShardFile(shard.toString(), partition);
    }

    static List<Shard.LadderId> ladders(ShardFile f) {
        return f.part(f.index()).stream().map(l -> new Shard.LadderId(l.model(), l.engine())).toList();
    }

    /** "a / x, b / y", and with {@code timed} (times from --balance-from) "; predicted 130 s of the sweep's 260 s". */
    static String describe(ShardFile f, int index, boolean timed) {
        List<ShardFile.Ladder> mine = f.part(index);
        double own = mine.stream().mapToDouble(ShardFile.Ladder::predictedSeconds).sum();
        double all = f.partition().stream().mapToDouble(ShardFile.Ladder::predictedSeconds).sum();
        return String.join(", ", mine.stream().map(l -> l.model() + " / " + l.engine()).toList())
                + (timed ? String.format(Locale.ROOT, "; predicted %.0f s of the sweep's %.0f s", own, all) : "");
    }

    /**
     * Refuses, in one line, a directory that holds another part, another partition, or a sweep run whole (and a sharded
     * directory resumed without --shard); writes nothing. A part takes a new directory, and a sweep run whole ({@code
     * shard} null) continues a directory recorded as one part of one, or by a sweep from before the record; {@link
     * #record} then records the part.
     */
    static void check(Path dir, Path shownDir, ShardFile part, Shard shard) throws BadInputException {
        ShardFile recorded;
        try {
            recorded = ShardFile.read(shownDir); // by --out as given, which its refusal names
        } catch (BadInputException e) {
            throw new BadInputException(e.getMessage() + "; restore it, or sweep into another --out");
        }
        if (shard == null) {
            if (recorded != null && recorded.count() != 1) {
                throw new BadInputException("--out " + shownDir + " holds part " + recorded.shard() + " of a sharded sweep; "
                        + "continue it with --shard " + recorded.shard());
            }
            return;
        }
        if (recorded == null) {
            if (Files.exists(dir.resolve(SweepSettings.FILE))) {
                throw new BadInputException("--shard " + shard + ": --out " + shownDir + " holds a sweep run without --shard; "
                        + "shard into another --out");
            }
            return;
        }
        if (recorded.count() == 1 && shard.count() != 1) {
            throw new BadInputException("--shard " + shard + ": --out " + shownDir + " holds a sweep run without --shard "
                    + "(or with --shard 1/1), of every ladder; shard into another --out");
        }
        if (!recorded.shard().equals(part.shard())) {
            throw new BadInputException("--shard " + shard + ": --out " + shownDir + " holds part " + recorded.shard()
                    + "; give --shard " + recorded.shard() + ", or sweep into another --out");
        }
        if (!recorded.samePartition(part)) {
            throw new BadInputException("--shard " + shard + ": this command divides the ladders otherwise than the one "
                    + "that started " + shownDir + " (ladders whose part differs, as recorded -> as this command divides them: "
                    + differences(recorded, part) + "); give its -p model, -p engine, "
                    + "--min-batch, --max-batch and --balance-from, or sweep into another --out");
        }
    }

    /**
     * {@code part} recorded in its directory, which {@link #check} has taken, where the record differs: a part's in its
     * new directory; a sweep run whole may run other models and engines than the sweep it continues, and the record
     * holds those of the latest.
     */
    static void record(Path dir, ShardFile part) throws IOException, BadInputException {
        ShardFile recorded = ShardFile.read(dir);
        if (recorded == null || !recorded.samePartition(part)) {
            AtomicWrite.writeString(dir.resolve(ShardFile.FILE), part.toJson());
        }
    }

    /**
     * How two partitions differ, ladder by ladder: "a / x: part 2 -> none, b / y: part 1 -> part 2";
     * then the ladders in another order, where that is the only difference. A part's own list can be the same in both
     * while the partitions differ (a ladder fewer elsewhere), so each ladder says where it goes.
     */
    static String differences(ShardFile recorded, ShardFile command) {
        Map<String, Integer> there = new LinkedHashMap<>();
        recorded.partition().forEach(l -> there.put(l.model() + " / " + l.engine(), l.shard()));
        Map<String, Integer> here = new LinkedHashMap<>();
        command.partition().forEach(l -> here.put(l.model() + " / " + l.engine(), l.shard()));
        Set<String> ladders = new LinkedHashSet<>(there.keySet());
        ladders.addAll(here.keySet());
        List<String> diffs = new ArrayList<>();
        for (String l : ladders) {
            Integer a = there.get(l);
            Integer b = here.get(l);
            if (!java.util.Objects.equals(a, b)) {
                diffs.add(l + ": " + (a == null ? "none" : "part " + a) + " -> " + (b == null ? "none" : "part " + b));
            }
        }
        return diffs.isEmpty() ? "none; the same ladders in another order: " + String.join(", ", there.keySet())
                + " -> " + String.join(", ", here.keySet()) : String.join(", ", diffs);
    }
}
