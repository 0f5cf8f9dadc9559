package gpuenergy.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The suite against an independent yardstick: plain PyTorch eager timed by
 * {@code results/h100-580.159.04/python_eager_reference.py}, which reads the same NVML energy counter over its own
 * window of synchronous batches. Each reference row is matched to the plotted suite row of the same GPU, model,
 * batch size and engine (precision fp32 is pytorch-fp32, fp16 is pytorch-fp16: on both sides half weights with
 * channels_last input), and the two are compared as ratios suite / reference.
 *
 * @param references one line per reference file: its name and the environment it was measured in
 * @param lines      one per reference row, sorted by model, engine and batch
 */
record Validation(List<String> references, List<Line> lines) {

    static final String INTRO = "Suite / plain PyTorch eager (`python_eager_reference.py`, same GPU, model, batch and "
            + "precision); \"within " + Row.CRITERION_TEXT + "\" when both the img/s and the J/img ratio are within ±"
            + Row.CRITERION_TEXT + ". The criterion applies at batch >= 16; a launch-bound batch, where the GPU draws far "
            + "less than at large batch, is expected to differ, because the suite runs TorchScript without Python's "
            + "dispatch. Where a pair differs and the suite's own J/img has a 99.9 % confidence interval wider than ±"
            + Row.CRITERION_TEXT + ", the verdict says so: that J/img is not known to " + Row.CRITERION_TEXT + " itself. "
            + "The reference column says what Python ran: eager (the timm model, as users write it) or torchscript: "
            + "a reference file whose environment says `runner: torchscript` ran the suite's own artifacts from Python "
            + "(`--torchscript`): where it agrees with the suite and eager does not, Python's dispatch is the difference.";

    static final String[] HEADER = {"model", "engine", "batch", "reference", "suite img/s", "reference img/s",
        "img/s ratio (suite/reference)", "suite J/img", "reference J/img", "J/img ratio (suite/reference)",
        "suite avg W", "reference avg W", "verdict"};

    /**
     * One row of a reference file: a measurement ({@code error} null) or a configuration that failed, with
     * {@code error} saying why and the numbers NaN.
     */
    record Reference(String gpu, String runner, String model, String precision, int batch, double imgPerSec,
                     double joulesPerImage, double averageWatts, String error) {

        /** What a reference file without a "runner" ran: timm's model in eager mode, as users would write it. */
        static final String EAGER = "eager";

        /** fp32 -> pytorch-fp32, fp16 -> pytorch-fp16. */
        String engine() {
            return "pytorch-" + precision;
        }
    }

    /** A reference row and its suite counterpart ({@code suite} null when there is none). */
    record Line(Reference reference, Row suite) {

        double imgPerSecRatio() {
            return suite == null ? Double.NaN : suite.imgPerSec() / reference.imgPerSec();
        }

        double joulesPerImageRatio() {
            return suite == null ? Double.NaN : suite.joulesPerImage() / reference.joulesPerImage();
        }

        String verdict() {
            if (reference.error() != null) {
                return "reference error: " + reference.error();
            }
            if (suite == null) {
                return "no suite result";
            }
            if (!suite.hasEnergy()) {
                return "no suite J/img";
            }
            if (within(imgPerSecRatio()) && within(joulesPerImageRatio())) {
                return "within " + Row.CRITERION_TEXT;
            }
            // the suite's J/img is itself known only to ±x % there: a difference smaller than that is not established
            return suite.joulesPerImageImprecise() ? "differs; suite J/img CI " + suite.joulesPerImageHalfWidthText()
                    + " wider than " + Row.CRITERION_TEXT : "differs";
        }
    }

    static boolean within(double ratio) {
        return Math.abs(ratio - 1) <= Row.CRITERION;
    }

    /** Pairs each reference row with the plotted suite row it measures the same thing as (duplicates are not used). */
    static Validation match(List<String> references, List<Reference> rows, List<Row> suite) {
        List<Line> lines = new ArrayList<>();
        for (Reference r : rows) {
            Row match = suite.stream().filter(s -> s.plotted() && s.model().equals(r.model())
                    && s.engine().equals(r.engine()) && s.batch() == r.batch() && sameGpu(s.gpu(), r.gpu()))
                    .findFirst().orElse(null);
            lines.add(new Line(r, match));
        }
        lines.sort(Comparator.comparing((Line l) -> l.reference().model()).thenComparing(l -> l.reference().engine())
                .thenComparingInt(l -> l.reference().batch()).thenComparing(l -> l.reference().runner()));
        return new Validation(List.copyOf(references), List.copyOf(lines));
    }

    /** A result without a GPU name (no environment) cannot contradict one that has it. */
    private static boolean sameGpu(String a, String b) {
        return a.isEmpty() || b.isEmpty() || a.equals(b);
    }

    List<String[]> cells() {
        List<String[]> out = new ArrayList<>();
        for (Line l : lines) {
            Reference r = l.reference();
            Row s = l.suite();
            out.add(new String[] {r.model(), r.engine(), Integer.toString(r.batch()), r.runner(),
                s == null ? "" : Summary.num(s.imgPerSec()), Summary.num(r.imgPerSec()), Summary.num(l.imgPerSecRatio()),
                s == null ? "" : Summary.num(s.joulesPerImage()), Summary.num(r.joulesPerImage()),
                Summary.num(l.joulesPerImageRatio()), s == null ? "" : Summary.num(s.averageWatts()),
                Summary.num(r.averageWatts()), l.verdict()});
        }
        return out;
    }

    String markdown() {
        StringBuilder sb = new StringBuilder("\n## Validation against Python eager\n\n").append(INTRO).append("\n\n");
        references.forEach(r -> sb.append("- ").append(r).append('\n'));
        sb.append("\n| ").append(String.join(" | ", HEADER)).append(" |\n|").append("---|".repeat(HEADER.length)).append('\n');
        cells().forEach(c -> sb.append("| ").append(String.join(" | ", c)).append(" |\n"));
        return sb.toString();
    }

    String csv() {
        StringBuilder sb = new StringBuilder("model,engine,batch,reference,suite_img_per_s,reference_img_per_s,img_per_s_ratio,"
                + "suite_j_per_img,reference_j_per_img,j_per_img_ratio,suite_avg_w,reference_avg_w,verdict\n");
        for (String[] c : cells()) {
            for (int i = 0; i < c.length; i++) {
                sb.append(i == 0 ? "" : ",").append(Summary.csvField(c[i]));
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
