package gpuenergy.profile;

import gpuenergy.nvml.CudaDriver;
import gpuenergy.nvml.Nvml;
import gpuenergy.nvml.NvmlDevice;

/** Turns a {@link GpuSelector} into an NVML device; the profiler's only reader of CUDA_VISIBLE_DEVICES. */
final class GpuLocator {
    private GpuLocator() {}

    /**
     * gpuOption null: the GPU the benchmark runs on, from its device parameter's value (gpu:N is CUDA device N; auto,
     * gpu or null, device 0; any other value is refused: {@link DeviceSpec}). Throws IllegalArgumentException with one line.
     */
    static GpuSelector selector(String gpuOption, String deviceValue) {
        return gpuOption == null
                ? GpuSelector.forBenchmarkDevice(deviceValue, System.getenv("CUDA_VISIBLE_DEVICES"))
                : GpuSelector.explicit(gpuOption);
    }

    static NvmlDevice locate(Nvml nvml, GpuSelector selector) {
        return switch (selector.kind()) {
            case NVML_INDEX -> nvml.deviceByIndex(Integer.parseInt(selector.value()));
            case UUID -> nvml.deviceByUuid(selector.value());
            case PCI_BUS_ID -> nvml.deviceByPciBusId(selector.value());
            case CUDA_DEVICE -> nvml.deviceByPciBusId(GpuSelector.nvmlPciBusId(CudaDriver.pciBusIdOfDevice(Integer.parseInt(selector.value()))));
        };
    }
}
