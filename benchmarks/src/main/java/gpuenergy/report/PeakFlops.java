package gpuenergy.report;

import gpuenergy.profile.EnvironmentKeys;
import gpuenergy.results.GpuModel;
import java.util.Locale;

/**
 * Peak dense FLOP/s (TFLOP/s, without structured sparsity) per GPU and precision, for the naive estimate.
 * Sources: NVIDIA H100 Tensor Core GPU datasheet (H100 SXM: FP32 67, TF32 tensor 989 and FP16 tensor 1,979
 * "with sparsity", i.e. 494.7 and 989.4 dense); NVIDIA H200 datasheet (same figures as H100 SXM); NVIDIA A100
 * datasheet (FP32 19.5, TF32 tensor 156, FP16 tensor 312 dense). Other GPUs: no naive estimate (said so).
 */
public final class PeakFlops {
    private PeakFlops() {}

    public enum Precision { FP32, TF32, FP16 }

    /**
     * The precision a result computed in, from the precision its environment records ({@link EnvironmentKeys#PRECISION}):
     * fp16 runs on FP16 tensor cores; fp32 in TF32 unless tf32 is off. Null when the result records none, or a value that
     * is neither (forks that differ, a hand-made file): the engine's name does not say how it computed.
     */
    public static Precision precision(String recorded, boolean tf32) {
        String p = recorded == null ? "" : recorded.strip().toLowerCase(Locale.ROOT);
        if (p.equals(EnvironmentKeys.PRECISION_FP16)) {
            return Precision.FP16;
        }
        if (p.equals(EnvironmentKeys.PRECISION_FP32)) {
            return tf32 ? Precision.TF32 : Precision.FP32;
        }
        return null;
    }

    /**
     * Peak TFLOP/s, or NaN when the GPU model ({@link GpuModel#of}: NVML's name, e.g. "NVIDIA H100 80GB HBM3", with its
     * MIG instance's profile where it is one) is not in the table, is a MIG instance (or a board whose MIG mode is not
     * known), whose peak is a share of its board's that the table does not hold, or the precision is unknown (null).
     */
    public static double teraflops(String gpuModel, Precision p) {
        if (p == null || !GpuModel.wholeGpu(gpuModel)) {
            return Double.NaN;
        }
        String g = gpuModel.toUpperCase(Locale.ROOT);
        if (g.contains("H200") || (g.contains("H100") && (g.contains("HBM3") || g.contains("SXM")))) {
            return switch (p) { case FP32 -> 67; case TF32 -> 494.7; case FP16 -> 989.4; };
        }
        if (g.contains("A100")) {
            return switch (p) { case FP32 -> 19.5; case TF32 -> 156; case FP16 -> 312; };
        }
        return Double.NaN;
    }
}
