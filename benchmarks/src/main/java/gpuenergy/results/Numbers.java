package gpuenergy.results;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * How the commands write a measured figure for people: the report's tables, compare's lines, the sweep's lines and
 * summary, and the overhead table alike. Files for programs (CSV) keep full precision.
 */
public final class Numbers {
    private Numbers() {}

    /**
     * At least 4 significant digits, never fewer than the integer part, and never in scientific notation (12927,
     * 103740, 544.9, 0.09432, -0.4433); "NaN", "Infinity" and a size no measurement has (beyond what
     * {@link ResultFile#withinRange} takes: 1.0E308, 1.0E-320, which written out would run to hundreds of digits) as Java
     * spells them. Measurements here vary by about a percent: more digits would be noise.
     */
    public static String plain(double v) {
        if (!ResultFile.withinRange(v)) {
            return Double.toString(v);
        }
        if (v == 0) {
            return "0";
        }
        int decimals = Math.max(0, 3 - (int) Math.floor(Math.log10(Math.abs(v))));
        return new BigDecimal(v).setScale(decimals, RoundingMode.HALF_EVEN).toPlainString();
    }

    /** A count and its noun for the console, plural but for 1: "1 round", "6 rounds", "0 models". */
    public static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    /**
     * A figure for a tool reading a CSV: in full (the shortest decimal that reads back as the same double), never in
     * scientific notation; empty for an absent value (NaN), "Infinity" as Java spells it. A verdict decided on the full
     * figure then reads the same from the file.
     */
    public static String full(double v) {
        return Double.isNaN(v) ? "" : Double.isInfinite(v) ? Double.toString(v) : BigDecimal.valueOf(v).toPlainString();
    }
}
