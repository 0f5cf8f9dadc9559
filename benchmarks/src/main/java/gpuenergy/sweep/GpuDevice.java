package gpuenergy.sweep;

import gpuenergy.profile.EnvironmentKeys;
import gpuenergy.results.GpuModel;
import gpuenergy.profile.GpuEnvironment;
import gpuenergy.results.BadInputException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One GPU of {@code sweep --gpus}: as the user named it (an NVML index as nvidia-smi numbers GPUs, a UUID, a PCI bus
 * id), and its board's UUID, which pins a part's process to it (CUDA_VISIBLE_DEVICES takes a UUID whatever order CUDA
 * enumerates GPUs in) and which its results record; its model's name and MIG mode ({@code gpu.mig_mode}), which together
 * are the GPU model its part's log lines record ({@link #model}).
 */
record GpuDevice(String selector, String uuid, String name, String migMode) {

    /**
     * The GPUs named, looked up in NVML. A machine without a GPU NVML can see stops the sweep as a machine does (an
     * IOException: exit 1); a name NVML does not know among the GPUs it sees, or a GPU named twice, is the command
     * line's (a BadInputException). Each is one line.
     */
    static List<GpuDevice> resolve(List<String> selectors) throws BadInputException, IOException {
        String given = String.join(",", selectors);
        String missing = GpuEnvironment.unavailableReason();
        if (missing != null) {
            throw new IOException("--gpus " + given + ": " + missing);
        }
        List<GpuDevice> gpus = new ArrayList<>();
        for (String s : selectors) {
            Map<String, String> described;
            try {
                described = GpuEnvironment.describe(s);
            } catch (IllegalArgumentException e) {
                throw new BadInputException("--gpus " + given + ": " + e.getMessage());
            }
            gpus.add(new GpuDevice(s, described.get(EnvironmentKeys.GPU_UUID), described.get(EnvironmentKeys.GPU_NAME),
                    described.get(EnvironmentKeys.GPU_MIG_MODE)));
        }
        return distinct(gpus, given);
    }

    /** Refuses a GPU named twice (an index and its UUID, say): two parts on it would measure at once. */
    static List<GpuDevice> distinct(List<GpuDevice> gpus, String given) throws BadInputException {
        Map<String, GpuDevice> byUuid = new LinkedHashMap<>();
        for (GpuDevice g : gpus) {
            GpuDevice before = byUuid.putIfAbsent(g.uuid(), g);
            if (before != null) {
                throw new BadInputException("--gpus " + given + ": " + before.selector() + " and " + g.selector()
                        + " are one GPU (" + g.uuid() + ")");
            }
        }
        return gpus;
    }

    /**
     * The GPU model as its part's log lines record it ({@link OnGpu#model}) where the board is not split into MIG
     * instances: a did-not-fit there is on this model. On a split board the part's lines name the profile of the
     * instance CUDA gives it, which only the part's process can ask: this is then {@link
     * GpuModel#unknownInstance}, which no line records, rather than "NAME with MIG enabled", the model of lines of any
     * instance whose profile was not told, or of another board's.
     */
    String model() {
        return EnvironmentKeys.GPU_MIG_ENABLED.equals(migMode) ? GpuModel.unknownInstance(name)
                : new OnGpu(name, uuid, migMode, null).model();
    }

    @Override
    public String toString() {
        return "GPU " + selector + (selector.equals(uuid) ? "" : " (" + uuid + ")") + (name == null ? "" : ", " + name);
    }
}
