package gpuenergy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The commands the user documentation shows ({@code java -jar .../benchmarks.jar SUBCOMMAND args}), so that tests run
 * each one: an example that does not work is a bug. Synopses (with {@code ...} or {@code [option]}) are not examples.
 */
public final class DocExamples {
    /** The repository root, from the benchmarks module where the tests run. */
    public static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    public static final List<String> DOCS = List.of("README.md", "docs/sweep.md", "docs/report.md", "docs/scale-out.md",
            "docs/tensorrt.md", "docs/overhead.md", "docs/energy-method.md");

    private static final Pattern COMMAND = Pattern.compile("java -jar \\S*benchmarks\\.jar (sweep|report|compare|overhead)\\b([^`#>|]*)");

    /** One documented command: where it is, its subcommand and its arguments as the shell would pass them. */
    public record Example(String where, String subcommand, List<String> args) {
    }

    private DocExamples() {}

    public static List<Example> of(String subcommand) {
        List<Example> out = new ArrayList<>();
        for (String doc : DOCS) {
            List<String> lines = read(doc);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                int n = i;
                while (line.endsWith("\\") && n + 1 < lines.size()) {
                    line = line.substring(0, line.length() - 1) + " " + lines.get(++n).strip();
                }
                Matcher m = COMMAND.matcher(line);
                while (m.find()) {
                    String args = m.group(2).strip();
                    if (!m.group(1).equals(subcommand) || args.isEmpty() || args.contains("...") || args.contains("[")) {
                        continue;
                    }
                    List<String> expanded = new ArrayList<>();
                    for (String a : args.split("\\s+")) {
                        expanded.addAll(expand(a));
                    }
                    out.add(new Example(doc + ":" + (i + 1), subcommand, expanded));
                }
            }
        }
        return out;
    }

    /** The text of every document, one string each. */
    public static List<String> texts() {
        return DOCS.stream().map(doc -> String.join("\n", read(doc))).toList();
    }

    /** Every {@code device=VALUE} or {@code device=V1,V2} list the documents name as one to pass. */
    public static List<String> deviceValues() {
        List<String> values = new ArrayList<>();
        Pattern device = Pattern.compile("device=([a-z]+(?::\\d+)?(?:,[a-z]+(?::\\d+)?)*)");
        for (String doc : DOCS) {
            Matcher m = device.matcher(String.join("\n", read(doc)));
            while (m.find()) {
                if (!values.contains(m.group(1))) {
                    values.add(m.group(1));
                }
            }
        }
        return values;
    }

    /** The rows of the first table under a document's heading, each its cells, stripped (a {@code \|} stays in its cell). */
    public static List<List<String>> table(String doc, String heading) {
        List<String> lines = read(doc);
        int i = lines.indexOf(heading);
        if (i < 0) {
            throw new AssertionError(doc + " has no heading '" + heading + "'");
        }
        while (i < lines.size() && !lines.get(i).startsWith("|")) {
            i++;
        }
        List<List<String>> rows = new ArrayList<>();
        for (i += 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            String line = lines.get(i).strip();
            rows.add(Stream.of(line.substring(1, line.length() - 1).split("(?<!\\\\)\\|")).map(String::strip).toList());
        }
        return rows;
    }

    /** The names in backquotes in the first column of that table: the columns or options it documents. */
    public static List<String> tableNames(String doc, String heading) {
        List<String> names = new ArrayList<>();
        Pattern name = Pattern.compile("`([^`]+)`");
        for (List<String> row : table(doc, heading)) {
            Matcher m = name.matcher(row.get(0));
            while (m.find()) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    /** A glob or path relative to the repository root, as the shell there would expand it; other words as they are. */
    private static List<String> expand(String word) {
        if (!word.contains("/") || word.startsWith("-")) {
            return List.of(word);
        }
        if (!word.contains("*")) {
            return List.of(Files.exists(ROOT.resolve(word)) ? ROOT.resolve(word).toString() : word);
        }
        Path dir = ROOT.resolve(word.substring(0, word.lastIndexOf('/')));
        PathMatcher glob = FileSystems.getDefault().getPathMatcher("glob:" + word.substring(word.lastIndexOf('/') + 1));
        try (Stream<Path> files = Files.list(dir)) {
            List<String> matched = files.filter(p -> glob.matches(p.getFileName())).map(Path::toString).sorted().toList();
            return matched.isEmpty() ? List.of(word) : matched; // the shell, too, passes an unmatched glob as it is
        } catch (IOException e) {
            return List.of(word);
        }
    }

    private static List<String> read(String doc) {
        try {
            return Files.readAllLines(ROOT.resolve(doc));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
