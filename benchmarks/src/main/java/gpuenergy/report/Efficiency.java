package gpuenergy.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The report's formulas: geometric statistics of ratios, the accuracy/energy Pareto front, the efficiency
 * score, accuracy per joule, the naive energy estimate. Pure functions; index.html repeats the efficiency
 * score and accuracy-per-joule rankings in JavaScript (the page's slider), the browser test checks both agree.
 */
public final class Efficiency {
    private Efficiency() {}

    /** exp(mean(ln v)). */
    public static double geometricMean(double[] v) {
        return Math.exp(IntStream.range(0, v.length).mapToDouble(i -> Math.log(v[i])).average().orElse(Double.NaN));
    }

    /**
     * Geometric standard deviation exp(sd(ln v)) with the sample standard deviation (n - 1), as
     * scipy.stats.gstd; a factor: about 68 % of log-normal values lie within geometricMean ×/÷ gstd. NaN for n < 2.
     */
    public static double geometricStd(double[] v) {
        if (v.length < 2) {
            return Double.NaN;
        }
        double m = Math.log(geometricMean(v));
        double s = 0;
        for (double x : v) {
            s += (Math.log(x) - m) * (Math.log(x) - m);
        }
        return Math.exp(Math.sqrt(s / (v.length - 1)));
    }

    /** A model on the accuracy/energy plane: J/img (lower is better) and top-1 % (higher is better). */
    public record Point(String name, double joulesPerImage, double top1) {}

    /** The points no other point beats on both axes (less or equal J/img and more or equal top-1, one strictly). */
    public static List<Point> paretoFront(List<Point> points) {
        List<Point> front = new ArrayList<>();
        for (Point p : points) {
            boolean dominated = points.stream().anyMatch(q -> q.joulesPerImage() <= p.joulesPerImage()
                    && q.top1() >= p.top1() && (q.joulesPerImage() < p.joulesPerImage() || q.top1() > p.top1()));
            if (!dominated) {
                front.add(p);
            }
        }
        front.sort(Comparator.comparingDouble(Point::joulesPerImage));
        return front;
    }

    /**
     * The efficiency score: a weighted Manhattan distance to the ideal point (highest accuracy, lowest energy)
     * after min-max normalising both axes over the shown points; energy is normalised on log10(J/img), the
     * plot's axis, because J/img spans orders of magnitude. 0 = the ideal, 1 = the worst on both axes.
     *   a = (top1 - min top1) / (max top1 - min top1)          (1 when all accuracies are equal)
     *   e = (log J - log min J) / (log max J - log min J)      (0 when all energies are equal)
     *   score = w · (1 - a) + (1 - w) · e                      w = accuracy weight in [0, 1]
     * Lower is better. The paper prints the formula without saying how the axes are normalised; this is our choice.
     */
    public static List<Scored> rankByEfficiency(List<Point> points, double accuracyWeight) {
        double aMin = points.stream().mapToDouble(Point::top1).min().orElse(0);
        double aMax = points.stream().mapToDouble(Point::top1).max().orElse(0);
        double eMin = points.stream().mapToDouble(p -> Math.log10(p.joulesPerImage())).min().orElse(0);
        double eMax = points.stream().mapToDouble(p -> Math.log10(p.joulesPerImage())).max().orElse(0);
        List<Scored> scored = new ArrayList<>();
        for (Point p : points) {
            double a = aMax > aMin ? (p.top1() - aMin) / (aMax - aMin) : 1;
            double e = eMax > eMin ? (Math.log10(p.joulesPerImage()) - eMin) / (eMax - eMin) : 0;
            scored.add(new Scored(p, accuracyWeight * (1 - a) + (1 - accuracyWeight) * e));
        }
        scored.sort(Comparator.comparingDouble(Scored::score).thenComparing(s -> s.point().name()));
        return scored;
    }

    /** Accuracy per joule, top-1 % per J/img, of the points at or above {@code minTop1}; highest first. */
    public static List<Scored> rankByAccuracyPerJoule(List<Point> points, double minTop1) {
        return points.stream().filter(p -> p.top1() >= minTop1)
                .map(p -> new Scored(p, p.top1() / p.joulesPerImage()))
                .sorted(Comparator.comparingDouble(Scored::score).reversed().thenComparing(s -> s.point().name()))
                .toList();
    }

    public record Scored(Point point, double score) {}

    /**
     * The naive estimate of the paper: J/img = FLOPs per image / peak FLOP/s × TDP, with FLOPs = 2 × MACs.
     * It assumes the GPU computes at its peak rate and draws exactly its power limit all the time.
     */
    public static double naiveJoulesPerImage(double gmacs, double peakTflops, double powerLimitW) {
        return 2 * gmacs * 1e9 / (peakTflops * 1e12) * powerLimitW;
    }
}
