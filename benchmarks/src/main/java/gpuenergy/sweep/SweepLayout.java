package gpuenergy.sweep;

import com.google.gson.Gson;
import com.google.gson.JsonParseException;
import gpuenergy.results.BadInputException;
import gpuenergy.results.IoMessage;
import gpuenergy.results.JsonLines;
import gpuenergy.results.ShardFile;
import gpuenergy.results.SweepResults;
import gpuenergy.run.DirectoryLock;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The two layouts of a sweep's --out, of which one directory holds one: a sweep's own files at its top (a sweep run
 * whole, or one part run with --shard, whose --out is OUT/shard-I-of-N itself), or the parts of a divided sweep below it
 * (OUT/shard-I-of-N/ for each part, and OUT/gpu-runs.jsonl where --gpus ran them). A command of the other layout would
 * measure every configuration again beside the first, and report and compare read one layout of a directory only; it
 * is refused in one line naming the command that continues what the directory holds.
 */
final class SweepLayout {
    private SweepLayout() {}

    /** Refuses {@code dir} (which need not exist) where it holds the layout that {@code o} does not write. */
    static void refuseTheOther(SweepOptions o, Path dir) throws BadInputException {
        if (o.shard() != null) {
            refuseAPartBesideASweep(o, dir);
        }
        if (!Files.isDirectory(dir)) {
            return;
        }
        if (!o.gpus().isEmpty()) {
            refuseASweepAtTheTop(o, dir);
        } else {
            refuseParts(o, dir);
        }
    }

    /** --gpus writes its parts below --out: a sweep's own files at its top belong to a sweep run otherwise. */
    private static void refuseASweepAtTheTop(SweepOptions o, Path dir) throws BadInputException {
        ShardFile f = null;
        String unreadable = null;
        try {
            f = ShardFile.read(o.out()); // by --out as given, which its refusal names
        } catch (BadInputException e) {
            unreadable = e.getMessage(); // a part's or a whole sweep's: which, only the record says
        }
        if (f != null && f.count() != 1) {
            throw new BadInputException("--gpus: --out " + o.out() + " holds part " + f.shard() + " of a sharded sweep "
                    + "(its " + ShardFile.FILE + "), not the parts of one: continue it with --shard " + f.shard()
                    + " --resume and no --gpus, or choose another --out");
        }
        String own = SweepResults.ownFile(dir);
        if (own == null && Files.exists(dir.resolve(ShardFile.FILE))) {
            own = ShardFile.FILE; // a sweep run whole records its ladders as the one part of one before it runs
        }
        if (unreadable != null) {
            throw new BadInputException("--gpus: --out " + o.out() + " holds a sweep's own files (its " + own
                    + "), not the parts of one, and its record cannot be read: " + unreadable + "; restore it, then "
                    + "continue the sweep with --resume and no --gpus, or choose another --out");
        }
        if (own != null) {
            throw new BadInputException("--gpus: --out " + o.out() + " holds a sweep run without --gpus (its " + own
                    + "), which --gpus would measure again in parts beside it: continue it with --resume and no "
                    + "--gpus, or choose another --out");
        }
    }

    /**
     * {@code dir} made. A part written to OUT/shard-I-of-N makes it under its claim on OUT ({@link
     * DirectoryLock#claimAsPart}), having looked at OUT again under it: a sweep run whole in OUT holds OUT's lock from
     * before it looks at OUT a second time (for parts) until it ends, so of the two started at once one is refused,
     * whichever looked first. Where no sweep run whole can take OUT ({@link #mayBeTakenWhole}) there is nothing to
     * claim it against: a part makes its directory without a claim, leaving no lock file in a directory such as the
     * current one of --out shard-1-of-4, and a part whose directory is there already writes nothing in OUT, which it
     * may not be able to write.
     */
    static void makeDirectory(SweepOptions o, Path dir) throws IOException, BadInputException {
        Path parent = dir.getParent();
        if (o.shard() == null || parent == null || !ShardFile.DIRECTORY.matcher(dir.getFileName().toString()).matches()) {
            IoMessage.createOut(dir, o.out());
            return;
        }
        IoMessage.createOut(parent, o.out());
        if (!mayBeTakenWhole(parent)) {
            IoMessage.createOut(dir, o.out());
            return;
        }
        try (DirectoryLock claim = DirectoryLock.claimAsPart(parent, o.out(), "sweep")) {
            if (claim == null) {
                String holder = DirectoryLock.holderOf(parent, "sweep");
                throw new BadInputException("--shard " + o.shard() + ": --out " + o.out() + " would be a part of "
                        + shownParent(o, parent) + ", in which a sweep is running whole" + (holder == null || holder.isEmpty() ? "" : " (" + holder + ")")
                        + ", which report would read instead of the parts: give the parts a directory of their own");
            }
            refuseAPartBesideASweep(o, dir);
            IoMessage.createOut(dir, o.out());
        }
    }

    /**
     * Whether a sweep run whole could take {@code dir}, as its looks at it go: its check passes a directory that is empty
     * or, with --resume, holds a name only a sweep makes ({@link SweepDirectory#requireNewOrResumed}), and it refuses one
     * that holds parts ({@link #refuseParts}), this part's own directory among them once it is there. Files no sweep
     * makes, alone, keep every sweep run whole out, as do parts, which stay; so does a directory that cannot be listed.
     */
    private static boolean mayBeTakenWhole(Path dir) {
        if (!SweepResults.partCounts(dir).isEmpty() || Files.exists(dir.resolve(MultiGpuSweep.RUNS_FILE))) {
            return false;
        }
        try (Stream<Path> s = Files.list(dir)) {
            List<String> names = s.map(p -> p.getFileName().toString()).toList();
            return names.isEmpty() || names.stream().anyMatch(SweepDirectory::sweepsOwn);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * A part written to OUT/shard-I-of-N, as the Slurm array writes it, is one of OUT's parts: an OUT that holds a sweep
     * of its own is read as that sweep alone, without its parts.
     */
    private static void refuseAPartBesideASweep(SweepOptions o, Path dir) throws BadInputException {
        Path parent = dir.getParent();
        if (parent == null || !ShardFile.DIRECTORY.matcher(dir.getFileName().toString()).matches()) {
            return;
        }
        String own = SweepResults.ownFile(parent);
        if (own != null) {
            throw new BadInputException("--shard " + o.shard() + ": --out " + o.out() + " would be a part of "
                    + shownParent(o, parent) + ", which holds a sweep run whole (its " + own + ") that report reads instead of the "
                    + "parts: give the parts a directory of their own");
        }
    }

    /**
     * {@code parent}, the directory above --out, as the lines name it: above --out as given, or where --out is a name in
     * the current directory, which has no name of its own there, as {@code parent} gives it.
     */
    private static Path shownParent(SweepOptions o, Path parent) {
        return o.out().getParent() != null ? o.out().getParent() : parent;
    }

    /**
     * A sweep run whole, or one part with --shard, writes at the top of --out: parts below it belong to a divided sweep,
     * which --gpus (its GPUs as gpu-runs.jsonl names them) or each part's --shard continues.
     */
    private static void refuseParts(SweepOptions o, Path dir) throws BadInputException {
        // a directory that cannot be listed holds no parts here; the sweep's own checks refuse it with its reason
        Set<Integer> counts = SweepResults.partCounts(dir);
        Path runs = dir.resolve(MultiGpuSweep.RUNS_FILE);
        boolean byGpus = Files.exists(runs);
        if (counts.isEmpty() && !byGpus) {
            return;
        }
        boolean below = !counts.isEmpty();
        Set<String> gpus = new LinkedHashSet<>();
        if (byGpus) {
            readGpuRuns(runs, gpus, counts);
        }
        String n = counts.isEmpty() ? "N" : String.valueOf(counts.iterator().next());
        String held = (below ? "shard-I-of-" + n + "/" + (byGpus ? ", " : "") : "")
                + (byGpus ? MultiGpuSweep.RUNS_FILE : "");
        if (o.shard() != null) {
            throw new BadInputException("--shard " + o.shard() + ": --out " + o.out() + " holds the parts of a divided "
                    + "sweep (" + held + "), not one part's directory: give --out "
                    + o.out().resolve(ShardFile.directoryName(o.shard().index(), o.shard().count())));
        }
        String how = gpus.isEmpty()
                ? "each part with --shard I/" + n + " --out " + o.out().resolve("shard-I-of-" + n) + " --resume"
                : "--gpus " + String.join(",", gpus) + (!counts.isEmpty() && counts.iterator().next() > gpus.size()
                ? " --shards " + n : "") + " --resume";
        throw new BadInputException("--out " + o.out() + " holds a sweep divided into parts (" + held + "), which a sweep "
                + "without --gpus or --shard would measure again beside them: continue it with " + how
                + ", or choose another --out");
    }

    /** The GPUs (as --gpus named them) and the number of parts that gpu-runs.jsonl's readable lines record. */
    private static void readGpuRuns(Path runs, Set<String> gpus, Set<Integer> counts) {
        try {
            Gson gson = new Gson();
            for (String line : JsonLines.read(runs).lines()) {
                MultiGpuSweep.RunLine r;
                try {
                    r = line.isBlank() ? null : gson.fromJson(line, MultiGpuSweep.RunLine.class);
                } catch (JsonParseException e) {
                    continue; // the line names no GPU to suggest; the others may
                }
                if (r == null) {
                    continue;
                }
                if (r.gpuSelector() != null) {
                    gpus.add(r.gpuSelector());
                }
                if (ShardFile.countOf(r.shard()) > 0) {
                    counts.add(ShardFile.countOf(r.shard()));
                }
            }
        } catch (IOException e) {
            // unreadable: the line suggests each part's --shard instead of the GPUs
        }
    }
}
