package gpuenergy.nvml;

import com.sun.jna.Structure;

/**
 * nvmlFieldValue_t, 40 bytes: fieldId, scopeId (unsigned int), timestamp, latencyUsec (long long),
 * valueType, nvmlReturn (enums), value (nvmlValue_t, an 8-byte union held here as its raw bits).
 */
@Structure.FieldOrder({"fieldId", "scopeId", "timestamp", "latencyUsec", "valueType", "nvmlReturn", "value"})
public class NvmlFieldValue extends Structure {
    public int fieldId;
    public int scopeId;
    /** CPU timestamp of the reading, microseconds since the epoch. */
    public long timestamp;
    public long latencyUsec;
    public int valueType;
    public int nvmlReturn;
    public long value;

    /** nvmlValueType_t, the member of the union that {@link #value} holds. */
    static final int DOUBLE = 0, UNSIGNED_INT = 1, UNSIGNED_LONG = 2, UNSIGNED_LONG_LONG = 3,
            SIGNED_LONG_LONG = 4, SIGNED_INT = 5, UNSIGNED_SHORT = 6;

    /**
     * The union member named by {@link #valueType}, as a double. Narrow members sit in the low bytes:
     * the bindings assume a little-endian host (x86-64, aarch64), as NVIDIA's Linux drivers do.
     */
    public double numericValue() {
        return decode(valueType, value, "NVML field " + fieldId);
    }

    /** An nvmlValue_t union held as its raw bits, read as the member {@code valueType} names (nvmlSample_t has one too). */
    static double decode(int valueType, long bits, String what) {
        return switch (valueType) {
            case DOUBLE -> Double.longBitsToDouble(bits);
            case UNSIGNED_INT -> bits & 0xFFFF_FFFFL;
            case SIGNED_INT -> (int) bits;
            case UNSIGNED_SHORT -> bits & 0xFFFFL;
            case SIGNED_LONG_LONG -> bits;
            case UNSIGNED_LONG, UNSIGNED_LONG_LONG -> bits >= 0 ? bits : Math.pow(2, 64) + bits;
            default -> throw new IllegalStateException(what + ": unknown value type " + valueType);
        };
    }
}
