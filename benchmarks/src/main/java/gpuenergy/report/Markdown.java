package gpuenergy.report;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * summary.md's text: every table cell escaped, so that a '|' in a value (a model, GPU, CPU or JVM name) stays in its
 * cell, and a '<' or '&' anywhere shown as text, not taken for HTML by a Markdown viewer.
 */
final class Markdown {
    private Markdown() {}

    /** The header row, the delimiter row and one row per entry of {@code rows}, each line ending in a newline. */
    static String table(List<String> header, List<String[]> rows) {
        StringBuilder sb = new StringBuilder(row(header.toArray(String[]::new)))
                .append('|').append("---|".repeat(header.size())).append('\n');
        rows.forEach(r -> sb.append(row(r)));
        return sb.toString();
    }

    static String row(String... cells) {
        return Arrays.stream(cells).map(Markdown::cell).collect(Collectors.joining(" | ", "| ", " |\n"));
    }

    /** A cell's text: '|' escaped, and a line break (which would end the row) as a space. */
    static String cell(String text) {
        return text.replace("|", "\\|").replaceAll("\\R", " ");
    }

    /**
     * The whole of summary.md with '&' and '<' as HTML entities: names in its tables and lines (a model, an engine, a
     * GPU) are the results' own, and the report writes no HTML of its own there.
     */
    static String text(String markdown) {
        return markdown.replace("&", "&amp;").replace("<", "&lt;");
    }
}
