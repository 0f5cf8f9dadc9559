package gpuenergy.cli;

import gpuenergy.DocExamples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every report and compare command of the user documentation (DocExamples.DOCS) runs on the committed results, and the
 * overhead example that runs on a CPU runs.
 */
class DocExamplesTest {

    private static int run(List<String> args, ByteArrayOutputStream bytes) throws IOException {
        PrintStream out = System.out;
        PrintStream err = System.err;
        PrintStream both = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        System.setOut(both);
        System.setErr(both);
        try {
            return Main.run(args.toArray(new String[0]));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void everyReportExampleRuns(@TempDir Path tmp) throws IOException {
        List<DocExamples.Example> examples = DocExamples.of("report");
        assertTrue(examples.size() >= 2, examples.toString());
        for (DocExamples.Example e : examples) {
            List<String> args = new ArrayList<>(List.of("report"));
            args.addAll(e.args());
            int out = args.indexOf("--out");
            Path dir = tmp.resolve("report-" + e.where().replaceAll("[^A-Za-z0-9]", "_"));
            args.set(out + 1, dir.toString()); // not into the repository
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            assertEquals(0, run(args, bytes), e + "\n" + bytes);
            assertFalse(bytes.toString(StandardCharsets.UTF_8).contains("report: skipped"), e + "\n" + bytes);
            assertTrue(Files.exists(dir.resolve("index.html")), e.toString());
        }
    }

    @Test
    void everyCompareExampleRuns() throws IOException {
        List<DocExamples.Example> examples = DocExamples.of("compare");
        assertTrue(examples.size() >= 3, examples.toString());
        for (DocExamples.Example e : examples) {
            List<String> args = new ArrayList<>(List.of("compare"));
            args.addAll(e.args());
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            int rc = run(args, bytes);
            assertTrue(rc == 0 || rc == 1, "exit " + rc + ": " + e + "\n" + bytes);
            assertTrue(bytes.toString(StandardCharsets.UTF_8).contains(" compared; threshold "), e + "\n" + bytes);
        }
    }

    /** The CI snippet of docs/report.md shows the gate passing: its compare exits 0, its "no regression" branch. */
    @Test
    void theCiSnippetsExamplePasses() throws IOException {
        List<String> doc = Files.readAllLines(DocExamples.ROOT.resolve("docs/report.md"));
        int snippet = doc.indexOf("```sh");
        assertTrue(snippet >= 0, "a ```sh block in docs/report.md");
        String where = "docs/report.md:" + (snippet + 2);
        DocExamples.Example e = DocExamples.of("compare").stream().filter(x -> x.where().equals(where)).findFirst()
                .orElseThrow(() -> new AssertionError("no compare example at " + where));
        List<String> args = new ArrayList<>(List.of("compare"));
        args.addAll(e.args());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        assertEquals(0, run(args, bytes), e + "\n" + bytes);
    }

    /**
     * The overhead examples that run on a CPU (FP32, no energy profiler): each measures both variants and writes the
     * table. The GPU examples need the energy profiler and FP16, which this machine need not have.
     */
    @Test
    void everyCpuOverheadExampleRuns(@TempDir Path tmp) throws IOException {
        List<DocExamples.Example> examples = DocExamples.of("overhead").stream()
                .filter(e -> !String.join(" ", e.args()).matches(".*(energy|fp16|tensorrt).*")).toList();
        assertEquals(1, examples.size(), DocExamples.of("overhead").toString());
        for (DocExamples.Example e : examples) {
            List<String> args = new ArrayList<>(List.of("overhead"));
            args.addAll(e.args());
            Path dir = tmp.resolve("overhead");
            args.set(args.indexOf("--out") + 1, dir.toString()); // not into the repository
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            assertEquals(0, run(args, bytes), e + "\n" + bytes);
            assertEquals(3, Files.readAllLines(dir.resolve("overhead.csv")).size(), "a header, off and gc");
        }
    }

    /** A device the documents tell users to pass is one the benchmark accepts (here: at most unavailable, no CUDA). */
    @Test
    void everyDocumentedDeviceIsAccepted(@TempDir Path tmp) throws IOException {
        List<String> devices = DocExamples.deviceValues();
        assertTrue(devices.contains("gpu:1"), devices.toString());
        assertTrue(devices.contains("gpu,gpu:0"), devices.toString());
        for (String device : devices) {
            if (device.contains(",")) {
                // the docs name a list that gives one device under two names (gpu,gpu:0) as one a run refuses
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                assertEquals(1, run(List.of("InferenceBenchmark.infer", "-f", "0", "-p", "batchSize=1", "-p",
                        "device=" + device), bytes), device + ": " + bytes);
                String refusal = bytes.toString(StandardCharsets.UTF_8);
                assertTrue(refusal.contains("are one device"), device + ": " + refusal);
                assertEquals(1, refusal.lines().count(), refusal);
                continue;
            }
            JmhRun run = JmhRun.of(tmp.resolve(device.replace(':', '_')), "engine=pytorch-fp32", "device=" + device);
            if (device.matches("gpu:0\\d+")) {
                // the docs name another spelling of an index (gpu:01) as one a run refuses
                assertEquals(1, run.notRun.size(), device + ": " + run.notRun);
                assertTrue(run.notRun.get(0).toString().contains("is not accepted"), device + ": " + run.notRun);
                continue;
            }
            for (var n : run.notRun) {
                assertEquals("unavailable", n.getAsJsonObject().get("kind").getAsString(), device + ": " + n);
            }
        }
    }
}
