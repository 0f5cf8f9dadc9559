package gpuenergy.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import gpuenergy.engine.PyTorchEngine;
import gpuenergy.profile.EnvironmentKeys;
import gpuenergy.report.PeakFlops.Precision;
import gpuenergy.results.BenchmarkResult;
import gpuenergy.results.Metric;
import gpuenergy.results.ParamNames;
import gpuenergy.results.ResultFile;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The tf32 environment value from the engines that write it to the report that reads it. */
class Tf32Test {

    private static Row row(String engine, Map<String, String> environment) {
        Metric batches = new Metric(10, 9, 11, "ops/s", List.of(List.of(10.0)));
        TreeMap<String, String> params = new TreeMap<>(Map.of(ParamNames.MODEL, "m", ParamNames.ENGINE, engine,
                ParamNames.BATCH_SIZE, "8"));
        return Row.of(new BenchmarkResult("b", "thrpt", params, batches, Map.of(), environment, 1000, 1), "test");
    }

    private static Precision precision(String engine, Map<String, String> environment) {
        return row(engine, environment).peakPrecision();
    }

    /** Every value the engines write is one of the key's values, and it reads as the precision the engine ran in. */
    @Test
    void whatThePyTorchEnginesWriteReadsAsTheirPrecision() {
        Set<String> values = Set.of(EnvironmentKeys.TF32_ON, EnvironmentKeys.TF32_OFF, EnvironmentKeys.TF32_NOT_APPLICABLE);
        for (PyTorchEngine e : List.of(PyTorchEngine.fp32(), PyTorchEngine.fp16(), PyTorchEngine.optFp32(),
                PyTorchEngine.optFp16())) {
            for (Device device : List.of(Device.gpu(0), Device.cpu())) {
                Map<String, String> environment = e.describe(device);
                String written = environment.get(EnvironmentKeys.TF32);
                assertTrue(values.contains(written), e.name() + " on " + device + " writes tf32=" + written);
                if (device.isGpu()) {
                    // float32 convolutions run in TF32 by PyTorch's defaults, which the engines keep
                    assertEquals(e.precision().equals("fp16") ? Precision.FP16 : Precision.TF32,
                            precision(e.name(), environment), e.name() + " with tf32=" + written);
                }
            }
        }
    }

    @Test
    void onlyOffReadsAsFloat32() {
        Map<String, String> environment = new HashMap<>();
        environment.put(EnvironmentKeys.TF32, EnvironmentKeys.TF32_OFF);
        environment.put(EnvironmentKeys.PRECISION, EnvironmentKeys.PRECISION_FP32);
        assertEquals(Precision.FP32, precision("pytorch-fp32", environment));
        environment.put(EnvironmentKeys.TF32, EnvironmentKeys.TF32_ON);
        assertEquals(Precision.TF32, precision("pytorch-fp32", environment));
        environment.put(EnvironmentKeys.PRECISION, EnvironmentKeys.PRECISION_FP16);
        assertEquals(Precision.FP16, precision("pytorch-fp16", environment));
        // results written before the tf32 key existed ran PyTorch's defaults
        assertEquals(Precision.TF32, precision("pytorch-fp32", Map.of(EnvironmentKeys.PRECISION, EnvironmentKeys.PRECISION_FP32)));
    }

    /** The recorded precision decides, not the engine's name; a result that records none has no peak FLOP/s. */
    @Test
    void thePrecisionIsTheRecordedOneAndUnknownWithoutIt() {
        assertEquals(Precision.FP16, precision("my-half-engine-v2", Map.of(EnvironmentKeys.PRECISION, "fp16")));
        assertEquals(Precision.TF32, precision("tensorrt-fp16-but-fp32-really", Map.of(EnvironmentKeys.PRECISION, "fp32")));
        assertNull(precision("pytorch-fp16", Map.of()), "not recorded: unknown, not guessed from the engine's name");
        assertNull(precision("pytorch-fp16", Map.of(EnvironmentKeys.PRECISION, "fp16 | fp32")), "forks that differ");
        assertTrue(Double.isNaN(PeakFlops.teraflops("NVIDIA H100 80GB HBM3", precision("pytorch-fp16", Map.of()))));
    }

    /** The values result files already carry: "on" and "n/a" (engines), "true" (the hand-made fixtures). */
    @Test
    void resultFilesOnDiskReadAsTf32() throws Exception {
        Map<String, Integer> seen = new TreeMap<>();
        for (String f : List.of("src/test/resources/fixtures/baseline.json", "src/test/resources/h100/suite.json")) {
            for (BenchmarkResult r : ResultFile.read(Path.of(f))) {
                seen.merge(r.environment().get(EnvironmentKeys.TF32), 1, Integer::sum);
                assertTrue(Row.of(r, f).tf32(), f + ": " + r.key());
            }
        }
        assertEquals(Set.of("true", EnvironmentKeys.TF32_ON, EnvironmentKeys.TF32_NOT_APPLICABLE), seen.keySet());
        assertFalse(EnvironmentKeys.tf32Allowed(" Off "));
    }
}
