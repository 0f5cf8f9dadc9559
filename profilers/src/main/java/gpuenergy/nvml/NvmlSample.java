package gpuenergy.nvml;

import com.sun.jna.Structure;

/** nvmlSample_t, 16 bytes: timeStamp (CPU time, microseconds since the epoch), sampleValue (nvmlValue_t as raw bits). */
@Structure.FieldOrder({"timeStamp", "sampleValue"})
public class NvmlSample extends Structure {
    public long timeStamp;
    public long sampleValue;
}
