package gpuenergy.nvml;

import com.sun.jna.Structure;

/** nvmlSample_t, 16 bytes: timeStamp ("CPU timestamp in microseconds": since the epoch or since boot, by driver), sampleValue (nvmlValue_t as raw bits). */
@Structure.FieldOrder({"timeStamp", "sampleValue"})
public class NvmlSample extends Structure {
    public long timeStamp;
    public long sampleValue;
}
