package gpuenergy.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import gpuenergy.profile.EnvironmentKeys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The environment record (environment.csv and its section) on the hand-made fixtures and on small maps. */
class EnvironmentRecordTest {

    @TempDir
    Path tmp;

    @Test
    void resultsOnTwoDriversGiveTwoRowsWithOnlyTheVaryingKeysAsColumns() {
        Map<String, String> old = Map.of("gpu.name", "G", "driver", "550", "cuda_driver", "12.4", "jmh", "1.37");
        Map<String, String> upgraded = Map.of("gpu.name", "G", "driver", "580", "cuda_driver", "13.0", "jmh", "1.37");
        EnvironmentRecord e = EnvironmentRecord.of(List.of(upgraded, old, old));

        assertEquals(Map.of("gpu.name", "G", "jmh", "1.37"), e.common());
        assertArrayEquals(new String[] {"driver", "cuda_driver", "results"}, e.header());
        assertEquals(2, e.cells().size());
        assertArrayEquals(new String[] {"550", "12.4", "2"}, e.cells().get(0), "sorted by value, counted");
        assertArrayEquals(new String[] {"580", "13.0", "1"}, e.cells().get(1));
        assertTrue(e.notRecorded().contains("host.cpu") && e.notRecorded().contains("tool.commit"), e.notRecorded().toString());
    }

    @Test
    void aKeyMissingInSomeResultsIsAnEmptyCellNotAnError() {
        Map<String, String> withHost = Map.of("gpu.name", "G", "host.cpu", "Xeon, 2.1 GHz", "host.cpus", "16");
        Map<String, String> before = Map.of("gpu.name", "G");
        EnvironmentRecord e = EnvironmentRecord.of(List.of(withHost, before, Map.of()));

        assertArrayEquals(new String[] {"gpu.name", "host.cpu", "host.cpus", "results"}, e.header(),
                "a key some results lack varies, and so does one a result without environment lacks");
        assertArrayEquals(new String[] {"", "", "", "1"}, e.cells().get(0));
        assertArrayEquals(new String[] {"G", "", "", "1"}, e.cells().get(1));
        assertArrayEquals(new String[] {"G", "Xeon, 2.1 GHz", "16", "1"}, e.cells().get(2));
        List<String> csv = e.csv().lines().toList();
        assertEquals(String.join(",", EnvironmentRecord.KEYS) + ",results", csv.get(0), "every key is a CSV column");
        assertEquals("G,,,,,,,,,,,,,,,\"Xeon, 2.1 GHz\",16,1", csv.get(3));
    }

    @Test
    void aMigInstanceAndTheWholeGpuOfOneBoardAreTwoRows() {
        // a MIG instance has its board's name, UUID and power limit; its energy is the whole board's
        Map<String, String> whole = boardG(EnvironmentKeys.GPU_MIG_DISABLED, EnvironmentKeys.DRIVER, "580");
        Map<String, String> slice = boardG(EnvironmentKeys.GPU_MIG_ENABLED, EnvironmentKeys.DRIVER, "580");
        EnvironmentRecord e = EnvironmentRecord.of(List.of(whole, slice, slice));

        assertOneAndTwo(e, Map.of("gpu.name", "G", "gpu.uuid", "GPU-1", "driver", "580"), "gpu.mig_mode", "disabled",
                "enabled");
        assertTrue(e.csv().startsWith("gpu.name,gpu.uuid,gpu.vbios,gpu.power_limit_w,gpu.mig_mode,gpu.mig_profile,driver,"),
                e.csv());
    }

    @Test
    void twoMigProfilesOfOneBoardAreTwoRows() {
        // instances of one board share its name, UUID and MIG mode, not their slice of its SMs and memory
        Map<String, String> small = boardG(EnvironmentKeys.GPU_MIG_ENABLED, EnvironmentKeys.GPU_MIG_PROFILE, "1g.10gb");
        Map<String, String> large = boardG(EnvironmentKeys.GPU_MIG_ENABLED, EnvironmentKeys.GPU_MIG_PROFILE, "3g.40gb");
        EnvironmentRecord e = EnvironmentRecord.of(List.of(small, large, large));

        assertOneAndTwo(e, Map.of("gpu.name", "G", "gpu.uuid", "GPU-1", "gpu.mig_mode", "enabled"), "gpu.mig_profile",
                "1g.10gb", "3g.40gb");
    }

    /** Board G (UUID GPU-1) in MIG mode {@code migMode}, with {@code key} set to {@code value}. */
    private static Map<String, String> boardG(String migMode, String key, String value) {
        return Map.of(EnvironmentKeys.GPU_NAME, "G", EnvironmentKeys.GPU_UUID, "GPU-1", EnvironmentKeys.GPU_MIG_MODE, migMode,
                key, value);
    }

    /** {@code common} to all results, and {@code key} the one column: {@code first} in one result, {@code second} in two. */
    private static void assertOneAndTwo(EnvironmentRecord e, Map<String, String> common, String key, String first,
                                        String second) {
        assertEquals(common, e.common());
        assertArrayEquals(new String[] {key, "results"}, e.header());
        assertArrayEquals(new String[] {first, "1"}, e.cells().get(0));
        assertArrayEquals(new String[] {second, "2"}, e.cells().get(1));
    }

    @Test
    void resultsWithoutAnyEnvironmentSaySoInsteadOfListingNothing() {
        EnvironmentRecord e = EnvironmentRecord.of(List.of(Map.of(), Map.of("os", "Linux")));
        assertTrue(e.common().isEmpty() && e.cells().isEmpty());
        assertEquals(EnvironmentRecord.KEYS, e.notRecorded());
        assertEquals("None of the 2 results records any of these keys.", e.commonLine());
        assertTrue(e.markdown().contains("None of the 2 results records any of these keys.\n\nRecorded by no result: gpu.name, "),
                e.markdown());
    }

    @Test
    void oneCombinationIsListedOnceWithoutATable() {
        EnvironmentRecord e = EnvironmentRecord.of(List.of(Map.of("driver", "580"), Map.of("driver", "580")));
        assertTrue(e.cells().isEmpty());
        String md = e.markdown();
        assertTrue(md.contains("Common to all 2 results (one combination):\n\n- driver: 580\n"), md);
        assertFalse(md.contains("| results |"), md);
    }

    @Test
    void theReportWritesTheRecordForFixturesOnTwoDriversOneWithoutHost() throws Exception {
        // slower.json is the fixture measured "after an upgrade": driver 560 and CUDA 12.6 instead of 550 and 12.4;
        // baseline.json gets a host record here, slower.json has none
        Path baseline = Files.writeString(tmp.resolve("baseline.json"), withEnvironment(ReportCommandTest.F + "baseline.json",
                Map.of("host.cpu", "FIXTURE CPU | 8 cores", "host.cpus", "8")));
        Path dir = tmp.resolve("report");
        ReportCommandTest r = new ReportCommandTest();
        assertEquals(0, r.report(baseline.toString(), ReportCommandTest.F + "slower.json", "--out", dir.toString(),
                "--catalog", ReportCommandTest.F + "catalog-fixture.csv"), r.err.toString(StandardCharsets.UTF_8));

        List<String> csv = Files.readAllLines(dir.resolve("environment.csv"));
        assertEquals(List.of(String.join(",", EnvironmentRecord.KEYS) + ",results",
                "FIXTURE (hand-made test input) H100 80GB HBM3,GPU-fixture-0000,,700,,,550.00-fixture,12.4,2.7.1,,,1.37,,,,"
                        + "FIXTURE CPU | 8 cores,8,24",
                "FIXTURE (hand-made test input) H100 80GB HBM3,GPU-fixture-0000,,700,,,560.00-fixture,12.6,2.7.1,,,1.37,,,,,,24"),
                csv);

        String md = Files.readString(dir.resolve("summary.md"));
        String record = md.substring(md.indexOf("## " + EnvironmentRecord.HEADING), md.indexOf("## Results"));
        assertTrue(record.contains("Common to all 48 results:\n\n- gpu.name: FIXTURE (hand-made test input) H100 80GB HBM3\n"
                + "- gpu.uuid: GPU-fixture-0000\n- gpu.power_limit_w: 700\n- libtorch.version: 2.7.1\n- jmh: 1.37\n"), record);
        assertTrue(record.contains("| driver | cuda_driver | host.cpu | host.cpus | results |\n|---|---|---|---|---|\n"
                + "| 550.00-fixture | 12.4 | FIXTURE CPU \\| 8 cores | 8 | 24 |\n"
                + "| 560.00-fixture | 12.6 |  |  | 24 |\n"), record);

        String html = Files.readString(dir.resolve("index.html"));
        assertTrue(html.contains("<tr><th>driver</th><th>cuda_driver</th><th>host.cpu</th><th>host.cpus</th><th>results</th></tr>\n"
                + "<tr><td>550.00-fixture</td><td>12.4</td><td>FIXTURE CPU | 8 cores</td><td>8</td><td>24</td></tr>\n"
                + "<tr><td>560.00-fixture</td><td>12.6</td><td></td><td></td><td>24</td></tr>"), html);
        assertTrue(html.contains("<li>gpu.uuid: GPU-fixture-0000</li>"), html);
    }

    /** The result file with these keys added to every entry's environment. */
    private static String withEnvironment(String file, Map<String, String> extra) throws Exception {
        JsonArray entries = JsonParser.parseString(Files.readString(Path.of(file))).getAsJsonArray();
        for (JsonElement entry : entries) {
            JsonObject env = entry.getAsJsonObject().getAsJsonObject("environment");
            extra.forEach(env::addProperty);
        }
        return entries.toString();
    }
}
