package gpuenergy.report;

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

    /** The precision an engine computes in: fp16 engines use FP16 tensor cores; fp32 uses TF32 unless tf32 is off. */
    public static Precision precision(String engine, boolean tf32) {
        String e = engine.toLowerCase(Locale.ROOT);
        if (e.contains("fp16") || e.contains("half")) {
            return Precision.FP16;
        }
        return tf32 ? Precision.TF32 : Precision.FP32;
    }

    /** Peak TFLOP/s, or NaN when the GPU (NVML's name, e.g. "NVIDIA H100 80GB HBM3") is not in the table. */
    public static double teraflops(String gpuName, Precision p) {
        String g = gpuName.toUpperCase(Locale.ROOT);
        if (g.contains("H200") || (g.contains("H100") && (g.contains("HBM3") || g.contains("SXM")))) {
            return switch (p) { case FP32 -> 67; case TF32 -> 494.7; case FP16 -> 989.4; };
        }
        if (g.contains("A100")) {
            return switch (p) { case FP32 -> 19.5; case TF32 -> 156; case FP16 -> 312; };
        }
        return Double.NaN;
    }
}
