package gpuenergy.sweep;

import gpuenergy.results.IoMessage;
import gpuenergy.run.Failure;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A ladder's first rung that --resume runs after a run of its sweep ended early, and whether that run logged an outcome
 * there (a failure, an unavailable): where not, the run stopped before it. The --gpus parent names them for a part that
 * was stopped or killed, and a sweep in one process for itself, through the same words ({@link #line}).
 */
record LaddersLeft(Shard.LadderId ladder, int from, boolean reached) {
    @Override
    public String toString() {
        return ladder + " from batch " + from;
    }

    /**
     * The line for a run of a sweep ({@code who}: "part 1/3", "the sweep") in {@code dir} that its --stop-after stopped
     * before a rung of its {@code ladders}: it ran through as far as its time allowed (exit 0, or 1 where a
     * configuration failed) and wrote its summary, but --resume has rungs of it to run that this run did not reach,
     * which the line names ({@link #of}); null where it reached the end of each ladder (a failure or an unavailable it
     * ran, which --resume runs again, is an end). The --gpus parent says it of each part as the part ends, and a sweep
     * in one process of itself as it ends, so that both name what is left alike. {@code dir} is read as given, and
     * the line names it so: --out as the user gave it.
     *
     * @param logLinesBefore sweep.jsonl's complete lines as the run started
     * @param gpu            the GPU model ({@link OnGpu#model}) the run measured; null without a GPU
     */
    static String line(String who, SweepOptions o, Path dir, int logLinesBefore, String gpu, List<Shard.LadderId> ladders)
            throws IOException {
        List<LaddersLeft> rungs = of(o, dir, logLinesBefore, gpu, ladders);
        if (rungs.stream().allMatch(LaddersLeft::reached)) {
            return null;
        }
        return "[sweep] " + who + " was stopped by its --stop-after with ladders left; left to run: "
                + rungs.stream().map(LaddersLeft::toString).collect(Collectors.joining(", ")) + "; what it measured stays "
                + "in " + dir + ", and --resume continues it";
    }

    /**
     * The line for a run of a sweep ({@code who}, as for {@link #line}) in {@code dir} with a --stop-after whose
     * sweep.jsonl cannot be read ({@code e}) once it has ended: whether it left ladders to run is not known, so it is
     * not finished, though what it measured stands.
     */
    static String unknown(String who, Path dir, IOException e) {
        return "[sweep] " + who + ": whether its --stop-after left ladders to run is not known ("
                + Failure.oneLine(IoMessage.describe(e)) + "); what it measured stays in " + dir + ", and --resume continues it once "
                + dir.resolve(SweepLog.FILE) + " can be read"; // --resume reads the same log before it runs anything
    }

    /**
     * For each of the {@code ladders} of the sweep in {@code dir} that --resume continues, its first rung to run, as a
     * sweep of the directory walks it ({@link Ladder#firstLeft}), from its results and sweep.jsonl, the latter's lines
     * after the first {@code logLinesBefore} (those of the run that just ended) telling which rungs this run reached. A
     * ladder this run ended at a short run kept as the result ({@link Rung#keptShortRun}) is not left, though --resume
     * tries the batch above it: the run took it to its end. {@code gpu}: the GPU model the run measured, whose
     * did-not-fits end a ladder.
     */
    static List<LaddersLeft> of(SweepOptions o, Path dir, int logLinesBefore, String gpu, List<Shard.LadderId> ladders)
            throws IOException {
        Resume resume = Resume.of(SweepLog.read(dir, new PrintStream(OutputStream.nullOutputStream())));
        List<String> lines = SweepLog.completeLines(dir);
        Set<List<Object>> reached = new HashSet<>();
        Set<List<String>> ended = new HashSet<>();
        for (String line : lines.subList(Math.min(logLinesBefore, lines.size()), lines.size())) {
            try {
                SweepLog.Entry e = SweepLog.parse(line);
                if (!SweepLog.RERUN.equals(e.status())) {
                    reached.add(List.of(e.model(), e.engine(), e.batchSize()));
                }
                if (Rung.keptShortRun(e)) {
                    ended.add(List.of(e.model(), e.engine()));
                }
            } catch (RuntimeException e) {
                // a blank line, or one SweepLog.read above would have refused
            }
        }
        List<LaddersLeft> left = new ArrayList<>();
        for (Shard.LadderId l : ladders) {
            int from = Ladder.firstLeft(o, resume, l.model(), l.engine(), gpu, dir);
            if (from != 0 && !ended.contains(List.of(l.model(), l.engine()))) {
                left.add(new LaddersLeft(l, from, reached.contains(List.of(l.model(), l.engine(), from))));
            }
        }
        return left;
    }
}
