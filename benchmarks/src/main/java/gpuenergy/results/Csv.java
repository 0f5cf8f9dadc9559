package gpuenergy.results;

/** The CSV files the commands write (summaries, tables): RFC 4180 fields, so that a spreadsheet reads them as written. */
public final class Csv {
    private Csv() {}

    /** {@code s} as one field: quoted where it holds a comma, a quote or a line break; empty for null. */
    public static String field(String s) {
        if (s == null) {
            return "";
        }
        return s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")
                ? '"' + s.replace("\"", "\"\"") + '"' : s;
    }
}
