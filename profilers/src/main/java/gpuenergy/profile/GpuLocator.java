package gpuenergy.profile;

import gpuenergy.nvml.CudaDriver;
import gpuenergy.nvml.Nvml;
import gpuenergy.nvml.NvmlDevice;

/** Turns a {@link GpuSelector} into an NVML device; the only place that reads CUDA_VISIBLE_DEVICES. */
final class GpuLocator {
    private GpuLocator() {}

    /** gpuOption null: the benchmark's CUDA device 0. Throws IllegalArgumentException or IllegalStateException with one line. */
    static GpuSelector selector(String gpuOption) {
        return gpuOption == null
                ? GpuSelector.forCudaDevice0(System.getenv("CUDA_VISIBLE_DEVICES"))
                : GpuSelector.explicit(gpuOption);
    }

    static NvmlDevice locate(Nvml nvml, GpuSelector selector) {
        return switch (selector.kind()) {
            case NVML_INDEX -> nvml.deviceByIndex(Integer.parseInt(selector.value()));
            case UUID -> nvml.deviceByUuid(selector.value());
            case PCI_BUS_ID -> nvml.deviceByPciBusId(selector.value());
            case CUDA_DEVICE_0 -> nvml.deviceByPciBusId(GpuSelector.nvmlPciBusId(CudaDriver.pciBusIdOfDevice(0)));
        };
    }
}
