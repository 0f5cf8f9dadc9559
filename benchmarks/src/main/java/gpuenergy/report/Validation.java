package gpuenergy.report;

import gpuenergy.results.Csv;
import gpuenergy.results.Numbers;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleFunction;

/**
 * The suite against an independent yardstick: plain PyTorch eager timed in Python ({@link EagerReferenceFile}), reading
 * the same NVML energy counter over its own window of synchronous batches. Each reference row is matched to the
 * plotted suite row of the same GPU, model, batch size and engine (precision fp32 is pytorch-fp32, fp16 is
 * pytorch-fp16: on both sides half weights with channels_last input), and the two are compared as ratios suite /
 * reference, but only when both were measured on one board: boards of one GPU model differ by a few % in J/img, as
 * much as the criterion.
 *
 * @param references one line per reference file: its name and the environment it was measured in
 * @param lines      one per reference row, sorted by GPU, model, engine, batch and runner
 */
record Validation(List<String> references, List<Line> lines) {

    static final String INTRO = "Suite / plain PyTorch (same GPU, model, batch and precision); \"within "
            + Row.CRITERION_TEXT + "\" when both the img/s and the J/img ratio are within ±" + Row.CRITERION_TEXT
            + ". A pair is measured on one board (GPUs of one model differ board to board by a few % in J/img): a "
            + "reference from another board shows its ratios but is \"not compared\"; of several of one board the one "
            + "given last is paired; where a side does not record its board the pair is compared and says so. The "
            + "criterion applies at batch >= 16: a launch-bound batch is expected to differ, the suite running "
            + "TorchScript without Python's dispatch. Where a pair differs and the suite's own J/img interval is wider "
            + "than ±" + Row.CRITERION_TEXT + ", the verdict says so. The reference column says what Python ran: eager "
            + "(the timm model) or torchscript (the suite's own artifacts): where torchscript agrees and eager does not, "
            + "Python's dispatch is the difference. GPU busy is the share of the time the GPU runs kernels: (NVML) where "
            + "both sides read it from the driver's utilization samples in their energy windows, else (kernel time) from "
            + "the reference's profiled kernel time per batch, for the suite that of its paired torchscript reference at "
            + "the suite's pace; the two kinds are never mixed in a cell, as NVML's share reads higher where the GPU "
            + "idles between batches.";

    static final String[] HEADER = {"gpu", "model", "engine", "batch", "reference", "suite img/s", "reference img/s",
        "img/s ratio (suite/reference)", "suite J/img", "reference J/img", "J/img ratio (suite/reference)",
        "suite avg W", "reference avg W", "GPU busy suite / ref %", "verdict"};

    /** What a verdict says after the comparison when a side does not record its board. */
    static final String BOARD_NOT_RECORDED = "board not recorded";

    /**
     * One row of a reference file: a measurement ({@code error} null) or a configuration that failed, with
     * {@code error} saying why and the numbers NaN.
     *
     * @param gpuUuid             the board (NVML UUID), empty when the file does not record it
     * @param gpuKernelMsPerBatch summed CUDA kernel and memcpy time per batch in ms (torch.profiler); NaN when absent
     * @param gpuBusyPercent      the share of the energy window in which a kernel ran, from NVML's utilization samples
     *                            as the suite's profiler reads them ({@code gpu_busy_pct}); NaN when absent
     */
    record Reference(String gpu, String gpuUuid, String runner, String model, String precision, int batch,
                     double imgPerSec, double joulesPerImage, double averageWatts, double gpuKernelMsPerBatch,
                     double gpuBusyPercent, String error) {

        /** What a reference file without a "runner" ran: timm's model in eager mode, as users would write it. */
        static final String EAGER = "eager";

        /** The runner of a file whose Python ran the suite's own TorchScript artifacts. */
        static final String TORCHSCRIPT = "torchscript";

        /** fp32 -> pytorch-fp32, fp16 -> pytorch-fp16. */
        String engine() {
            return "pytorch-" + precision;
        }

        /** Share of the time the GPU was busy at this reference's pace; NaN without a kernel time. */
        double gpuBusy() {
            return gpuKernelMsPerBatch * imgPerSec / batch / 1000;
        }
    }

    /** How a line counts: only {@link #WITHIN} and {@link #DIFFERS} are comparisons. */
    enum Outcome { WITHIN, DIFFERS, DIFFERENT_BOARDS, NOT_PAIRED, NO_SUITE_ENERGY, NO_SUITE_IMG_PER_S, NO_SUITE_RESULT,
        REFERENCE_ERROR }

    /**
     * A reference row and its suite counterpart ({@code suite} null when there is none).
     *
     * @param paired           the reference of this row's runner kind that the suite result is paired with: this row's
     *                         own reference, another (same board, or given later), or null when every one is from
     *                         another board
     * @param suiteKernelMs    the kernel time per batch of the torchscript reference paired with the suite result; NaN
     *                         when there is none or it does not record one
     */
    record Line(Reference reference, Row suite, Reference paired, double suiteKernelMs) {

        double imgPerSecRatio() {
            return suite == null ? Double.NaN : suite.imgPerSec() / reference.imgPerSec();
        }

        double joulesPerImageRatio() {
            return suite == null ? Double.NaN : suite.joulesPerImage() / reference.joulesPerImage();
        }

        /** The suite's GPU-busy share at its own pace, from the same-board torchscript reference's kernel time. */
        double suiteGpuBusy() {
            return suite == null ? Double.NaN : suiteKernelMs * suite.imgPerSec() / suite.batch() / 1000;
        }

        /** Both sides measured their busy share from NVML's samples: the table shows those, not the kernel times. */
        boolean nvmlBusy() {
            return suite != null && !Double.isNaN(suite.gpuBusyPercent()) && !Double.isNaN(reference.gpuBusyPercent());
        }

        boolean differentBoards() {
            return suite != null && Validation.differentBoards(suite.gpuUuid(), reference.gpuUuid());
        }

        Outcome outcome() {
            if (reference.error() != null) {
                return Outcome.REFERENCE_ERROR;
            }
            if (suite == null) {
                return Outcome.NO_SUITE_RESULT;
            }
            if (differentBoards()) {
                return Outcome.DIFFERENT_BOARDS;
            }
            if (paired != reference) {
                return Outcome.NOT_PAIRED;
            }
            if (!suite.hasEnergy()) {
                return Outcome.NO_SUITE_ENERGY;
            }
            if (Double.isNaN(suite.imgPerSec())) {
                return Outcome.NO_SUITE_IMG_PER_S;
            }
            return within(imgPerSecRatio()) && within(joulesPerImageRatio()) ? Outcome.WITHIN : Outcome.DIFFERS;
        }

        String verdict() {
            String boardNote = suite != null && (suite.gpuUuid().isEmpty() || reference.gpuUuid().isEmpty())
                    ? "; " + BOARD_NOT_RECORDED : "";
            return switch (outcome()) {
                case REFERENCE_ERROR -> "reference error: " + reference.error();
                case NO_SUITE_RESULT -> "no suite result";
                case DIFFERENT_BOARDS -> "different boards (suite " + shortUuid(suite.gpuUuid()) + ", reference "
                        + shortUuid(reference.gpuUuid()) + "): not compared";
                case NOT_PAIRED -> "not compared: the suite result is paired with "
                        + (sameBoard(paired) && !sameBoard(reference) ? "a reference of its own board"
                        : "the reference given later");
                case NO_SUITE_ENERGY -> "no suite J/img" + boardNote;
                case NO_SUITE_IMG_PER_S -> "no suite img/s (a time mode's result)" + boardNote;
                case WITHIN -> "within " + Row.CRITERION_TEXT + boardNote;
                // the suite's J/img is itself known only to ±x % there: a difference smaller than that is not established
                case DIFFERS -> (suite.joulesPerImageImprecise() ? "differs; suite J/img CI "
                        + suite.joulesPerImageHalfWidthText() + " wider than " + Row.CRITERION_TEXT : "differs") + boardNote;
            };
        }

        private boolean sameBoard(Reference r) {
            return !suite.gpuUuid().isEmpty() && suite.gpuUuid().equals(r.gpuUuid());
        }
    }

    static boolean within(double ratio) {
        return Math.abs(ratio - 1) <= Row.CRITERION;
    }

    /** Both boards recorded and not the same. */
    static boolean differentBoards(String suiteUuid, String referenceUuid) {
        return !suiteUuid.isEmpty() && !referenceUuid.isEmpty() && !suiteUuid.equals(referenceUuid);
    }

    /** The UUID up to its second hyphen ("GPU-" and the first group of hex digits): enough to tell boards apart in a verdict. */
    static String shortUuid(String uuid) {
        int end = uuid.indexOf('-', uuid.indexOf('-') + 1);
        return end < 0 ? uuid : uuid.substring(0, end);
    }

    /**
     * Pairs each reference row with the suite row it measures the same thing as: the result of the reference's own
     * board where there is one (a configuration measured again, on another board, with its reference), else the
     * plotted one. rows: in the order given on the command line, which decides between references of one board.
     */
    static Validation match(List<String> references, List<Reference> rows, List<Row> suite) {
        List<Row> suiteOf = new ArrayList<>(); // by the index of the reference row
        // suite result and runner -> the reference paired with it: same board first, then board not recorded; of
        // equals the one given last. A reference from another board is never paired.
        Map<SuiteRunner, Reference> paired = new HashMap<>();
        for (Reference r : rows) {
            List<Row> same = suite.stream().filter(x -> x.model().equals(r.model()) && x.engine().equals(r.engine())
                    && x.batch() == r.batch() && sameGpu(x.gpu(), r.gpu())).toList();
            Row s = same.stream().filter(x -> !r.gpuUuid().isEmpty() && r.gpuUuid().equals(x.gpuUuid())).findFirst()
                    .orElse(same.stream().filter(Row::plotted).findFirst().orElse(null));
            suiteOf.add(s);
            if (s != null && r.error() == null && !differentBoards(s.gpuUuid(), r.gpuUuid())) {
                paired.merge(new SuiteRunner(s, r.runner()), r, (earlier, later) ->
                        boardRank(s, later) >= boardRank(s, earlier) ? later : earlier);
            }
        }
        List<Line> lines = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            Reference r = rows.get(i);
            Row s = suiteOf.get(i);
            Reference p = s == null ? null : paired.get(new SuiteRunner(s, r.runner()));
            Reference ts = s == null ? null : paired.get(new SuiteRunner(s, Reference.TORCHSCRIPT));
            lines.add(new Line(r, s, p, ts == null ? Double.NaN : ts.gpuKernelMsPerBatch()));
        }
        // GPU first, as in the Results table: a model measured on two GPU models is two groups of rows, one per GPU
        lines.sort(Comparator.comparing((Line l) -> l.reference().gpu()).thenComparing(l -> l.reference().model())
                .thenComparing(l -> l.reference().engine())
                .thenComparingInt(l -> l.reference().batch()).thenComparing(l -> l.reference().runner()));
        return new Validation(List.copyOf(references), List.copyOf(lines));
    }

    /** A suite result and a reference kind (eager, torchscript): one reference is paired with each. */
    private record SuiteRunner(Row suite, String runner) {
    }

    /** 2 for the suite result's own board, 1 for a reference that does not record its board (or a result). */
    private static int boardRank(Row s, Reference r) {
        return !s.gpuUuid().isEmpty() && s.gpuUuid().equals(r.gpuUuid()) ? 2 : 1;
    }

    /** A result without a GPU name (no environment) cannot contradict one that has it. */
    private static boolean sameGpu(String a, String b) {
        return a.isEmpty() || b.isEmpty() || a.equals(b);
    }

    /** "4 within 2 %, 9 differ; not compared: 4 on different boards, ...": the lines by outcome, counts above 0. */
    String counts() {
        Map<Outcome, Integer> n = new LinkedHashMap<>();
        lines.forEach(l -> n.merge(l.outcome(), 1, Integer::sum));
        String compared = n.getOrDefault(Outcome.WITHIN, 0) + " within " + Row.CRITERION_TEXT + ", "
                + n.getOrDefault(Outcome.DIFFERS, 0) + " differ";
        List<String> rest = new ArrayList<>();
        count(rest, n, Outcome.DIFFERENT_BOARDS, "on different boards (not compared)");
        count(rest, n, Outcome.NOT_PAIRED, "not paired (another reference is)");
        count(rest, n, Outcome.NO_SUITE_ENERGY, "without suite J/img");
        count(rest, n, Outcome.NO_SUITE_IMG_PER_S, "without suite img/s");
        count(rest, n, Outcome.NO_SUITE_RESULT, "without a suite result");
        count(rest, n, Outcome.REFERENCE_ERROR, "reference errors");
        return "Pairs compared: " + compared + (rest.isEmpty() ? "" : "; other rows: " + String.join(", ", rest)) + ".";
    }

    private static void count(List<String> out, Map<Outcome, Integer> n, Outcome o, String what) {
        if (n.containsKey(o)) {
            out.add(n.get(o) + " " + what);
        }
    }

    List<String[]> cells() {
        List<String[]> out = new ArrayList<>();
        for (Line l : lines) {
            String[] busy = l.nvmlBusy() ? nvmlBusy(l) : kernelTimeBusy(l);
            String both = busy[0].isEmpty() && busy[1].isEmpty() ? ""
                    : (busy[0] + " / " + busy[1]).strip() + (l.nvmlBusy() ? " (NVML)" : " (kernel time)");
            out.add(cells(l, List.of(both), Summary::num));
        }
        return out;
    }

    /** The suite's and the reference's GPU-busy share in % from kernel times, each empty when unknown. */
    private static String[] kernelTimeBusy(Line l) {
        return new String[] {percent(l.suiteGpuBusy() * 100), percent(l.reference().gpuBusy() * 100)};
    }

    /** The suite's and the reference's GPU-busy share in % from NVML's samples, each empty when unknown. */
    private static String[] nvmlBusy(Line l) {
        return new String[] {percent(l.suite() == null ? Double.NaN : l.suite().gpuBusyPercent()),
            percent(l.reference().gpuBusyPercent())};
    }

    private static String percent(double percent) {
        return Double.isNaN(percent) ? "" : String.format(Locale.ROOT, "%.1f", percent);
    }

    /**
     * The cells of a line, with {@code busy} before the verdict: one cell in markdown, suite and reference in CSV; each
     * figure as {@code number} writes it (rounded for people, in full for tools).
     */
    private static String[] cells(Line l, List<String> busy, DoubleFunction<String> number) {
        Reference r = l.reference();
        Row s = l.suite();
        List<String> c = new ArrayList<>(List.of(r.gpu(), r.model(), r.engine(), Integer.toString(r.batch()), r.runner(),
                s == null ? "" : number.apply(s.imgPerSec()), number.apply(r.imgPerSec()), number.apply(l.imgPerSecRatio()),
                s == null ? "" : number.apply(s.joulesPerImage()), number.apply(r.joulesPerImage()),
                number.apply(l.joulesPerImageRatio()), s == null ? "" : number.apply(s.averageWatts()),
                number.apply(r.averageWatts())));
        c.addAll(busy);
        c.add(l.verdict());
        return c.toArray(String[]::new);
    }

    String markdown() {
        StringBuilder sb = new StringBuilder("\n## Validation against Python eager\n\n").append(INTRO).append("\n\n")
                .append(counts()).append("\n\n");
        references.forEach(r -> sb.append("- ").append(r).append('\n'));
        sb.append('\n').append(Markdown.table(List.of(HEADER), cells()));
        return sb.toString();
    }

    /**
     * The same table with the GPU-busy shares in four columns, for tools: from kernel times (suite_gpu_busy_pct,
     * reference_gpu_busy_pct) and from NVML's samples (suite_nvml_busy_pct, reference_nvml_busy_pct), each where known.
     */
    String csv() {
        StringBuilder sb = new StringBuilder("gpu,model,engine,batch,reference,suite_img_per_s,reference_img_per_s,img_per_s_ratio,"
                + "suite_j_per_img,reference_j_per_img,j_per_img_ratio,suite_avg_w,reference_avg_w,suite_gpu_busy_pct,"
                + "reference_gpu_busy_pct,suite_nvml_busy_pct,reference_nvml_busy_pct,verdict\n");
        for (Line l : lines) {
            List<String> busy = new ArrayList<>(List.of(kernelTimeBusy(l)));
            busy.addAll(List.of(nvmlBusy(l)));
            String[] c = cells(l, busy, Numbers::full);
            for (int i = 0; i < c.length; i++) {
                sb.append(i == 0 ? "" : ",").append(Csv.field(c[i]));
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
