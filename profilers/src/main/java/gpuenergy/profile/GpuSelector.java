package gpuenergy.profile;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which GPU to measure, in a form NVML can look up without guessing at enumeration orders.
 * NVML numbers GPUs by PCI bus; CUDA, by default, fastest first, and after CUDA_VISIBLE_DEVICES has
 * re-numbered them. A bare index is therefore only ever an NVML index when the user wrote it as gpu=N;
 * the GPU a benchmark uses (its CUDA device N) is named by UUID, or found through the CUDA driver.
 */
public record GpuSelector(Kind kind, String value) {

    public enum Kind {
        /** gpu=N: NVML's (and nvidia-smi's) index. */
        NVML_INDEX,
        /** A full "GPU-..." UUID. */
        UUID,
        /** A PCI bus id in NVML's form, "00000000:1A:00.0". */
        PCI_BUS_ID,
        /** Whatever CUDA calls device {@code value} in this process: ask the CUDA driver for its PCI bus id. */
        CUDA_DEVICE
    }

    private static final Pattern FULL_UUID =
            Pattern.compile("GPU-\\p{XDigit}{8}-\\p{XDigit}{4}-\\p{XDigit}{4}-\\p{XDigit}{4}-\\p{XDigit}{12}");
    private static final Pattern PCI =
            Pattern.compile("(?:(\\p{XDigit}{1,8}):)?(\\p{XDigit}{1,2}):(\\p{XDigit}{1,2})\\.([0-7])");
    private static final Pattern INDEX = Pattern.compile("\\d{1,4}");

    /** The profiler's gpu= option: an NVML index, a GPU UUID or a PCI bus id. */
    public static GpuSelector explicit(String option) {
        String s = option.trim();
        if (INDEX.matcher(s).matches()) {
            return new GpuSelector(Kind.NVML_INDEX, s);
        }
        if (FULL_UUID.matcher(s).matches()) {
            return new GpuSelector(Kind.UUID, s);
        }
        if (PCI.matcher(s).matches()) {
            return new GpuSelector(Kind.PCI_BUS_ID, nvmlPciBusId(s));
        }
        throw new IllegalArgumentException("gpu energy: gpu='" + option + "' is not an NVML index (0), a GPU UUID"
                + " (GPU-xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx) or a PCI bus id (0000:1a:00.0)");
    }

    /**
     * The GPU a benchmark runs on: CUDA device N for its {@code device} parameter gpu:N, device 0 for auto, gpu or a
     * missing parameter. A benchmark on the CPU has no GPU of its own ({@link DeviceSpec#runsOnCpu}).
     *
     * @throws IllegalArgumentException with {@link DeviceSpec#parse}'s line for a value outside its grammar, which the
     *                                  benchmark's engine refuses too: no GPU is measured for it
     */
    public static GpuSelector forBenchmarkDevice(String deviceValue, String cudaVisibleDevices) {
        DeviceSpec device = deviceValue == null ? DeviceSpec.AUTO : DeviceSpec.parse(deviceValue);
        if (device.isCpu()) {
            throw new IllegalArgumentException("gpu energy: the benchmark runs on the CPU (device=cpu): it has no GPU");
        }
        return forCudaDevice(device.ordinal(), cudaVisibleDevices);
    }

    /**
     * The GPU a CUDA library in a process with this CUDA_VISIBLE_DEVICES value (null: unset) calls device
     * {@code ordinal}: its entry in the list, when the list names it by full UUID, is looked up directly. Anything else
     * CUDA accepts (an index, which CUDA_DEVICE_ORDER interprets; a UUID prefix; a MIG instance, which is measured as
     * its whole GPU) is left to the CUDA driver, which applies the variable itself. CUDA stops at the first entry it
     * cannot parse, so a bad or empty entry hides it and every one after it: that is an error here too.
     */
    public static GpuSelector forCudaDevice(int ordinal, String cudaVisibleDevices) {
        if (cudaVisibleDevices == null) {
            return new GpuSelector(Kind.CUDA_DEVICE, String.valueOf(ordinal));
        }
        String[] entries = cudaVisibleDevices.split(",", -1);
        for (int i = 0; i <= ordinal; i++) {
            String entry = i < entries.length ? entries[i].trim() : "";
            if (!(INDEX.matcher(entry).matches() || entry.startsWith("GPU-") || entry.startsWith("MIG-"))) {
                throw new IllegalArgumentException("gpu energy: CUDA_VISIBLE_DEVICES='" + cudaVisibleDevices + "' makes no CUDA device "
                        + ordinal + " visible (its entries up to that one must be device indices or GPU-/MIG- UUIDs)");
            }
        }
        String entry = entries[ordinal].trim();
        if (FULL_UUID.matcher(entry).matches()) {
            return new GpuSelector(Kind.UUID, entry);
        }
        return new GpuSelector(Kind.CUDA_DEVICE, String.valueOf(ordinal));
    }

    /** Any "[domain:]bus:device.function" in hex (CUDA writes "0000:1a:00.0") as NVML's "00000000:1A:00.0". */
    public static String nvmlPciBusId(String pciBusId) {
        Matcher m = PCI.matcher(pciBusId.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("gpu energy: '" + pciBusId + "' is not a PCI bus id (0000:1a:00.0)");
        }
        long domain = m.group(1) == null ? 0 : Long.parseLong(m.group(1), 16);
        return String.format(Locale.ROOT, "%08X:%02X:%02X.%X", domain,
                Integer.parseInt(m.group(2), 16), Integer.parseInt(m.group(3), 16), Integer.parseInt(m.group(4)));
    }

    @Override
    public String toString() {
        return switch (kind) {
            case NVML_INDEX -> "NVML GPU " + value;
            case UUID -> value;
            case PCI_BUS_ID -> "GPU at PCI " + value;
            case CUDA_DEVICE -> "CUDA device " + value;
        };
    }
}
