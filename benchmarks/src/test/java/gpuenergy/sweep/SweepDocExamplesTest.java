package gpuenergy.sweep;

import gpuenergy.DocExamples;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every sweep command of the documents is one the sweep accepts (running it needs a GPU and exported models). */
class SweepDocExamplesTest {
    @Test
    void everySweepExampleIsAccepted() throws Exception {
        List<DocExamples.Example> examples = DocExamples.of("sweep");
        assertFalse(examples.isEmpty());
        for (DocExamples.Example e : examples) {
            SweepOptions o = SweepOptions.parse(e.args().toArray(new String[0]));
            assertNotNull(o, e.toString());
            for (String engine : o.engines()) {
                assertTrue(List.of(gpuenergy.engine.Engines.accepted().split(", ")).contains(engine), e + ": engine " + engine);
            }
            // and its fixed parameters are values the benchmark accepts: cli.DocExamplesTest runs every device= value
        }
    }

    /** docs/sweep.md's options table names each --option that sweep -h lists, with the default -h gives, and no other. */
    @Test
    void theOptionsTableIsTheHelps() {
        Map<String, String> help = new TreeMap<>();
        Matcher line = Pattern.compile("(?m)^  (--[a-z-]+)(.*)$").matcher(SweepOptions.help());
        while (line.find()) {
            Matcher d = Pattern.compile("\\(default:? ([^)]*)\\)").matcher(line.group(2));
            help.put(line.group(1), d.find() ? d.group(1) : "");
        }
        Map<String, String> doc = new TreeMap<>();
        for (List<String> row : DocExamples.table("docs/sweep.md", "## Options")) {
            if (row.get(0).startsWith("`--")) {
                doc.put(row.get(0).replace("`", "").split(" ")[0], row.get(1).replace("`", ""));
            }
        }
        assertEquals(help, doc);
    }

    /** docs/sweep.md's table of summary.csv names every column the file has, and no other. */
    @Test
    void theSummaryColumnsAreTheFiles() {
        assertEquals(List.of(Summary.HEADER.split(",")), DocExamples.tableNames("docs/sweep.md", "## Reading the summary"));
    }
}
