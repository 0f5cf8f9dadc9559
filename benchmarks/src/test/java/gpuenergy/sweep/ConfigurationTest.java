package gpuenergy.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ConfigurationTest {

    @Test
    void aResultFileNameIsNeverHidden() {
        assertEquals("_._models_r.pt-pytorch-fp32-b1.json", new Configuration("../models/r.pt", "pytorch-fp32", 1).resultName());
        assertEquals("__r.pt-pytorch-fp32-b2.json", new Configuration("./r.pt", "pytorch-fp32", 2).resultName());
        assertEquals("_hidden-pytorch-fp32-b4.json", new Configuration(".hidden", "pytorch-fp32", 4).resultName());
    }

    @Test
    void unsafeCharactersBecomeUnderscores() {
        assertEquals("_shared_m.pt-pytorch-fp32-b8.json", new Configuration("/shared/m.pt", "pytorch-fp32", 8).resultName());
        assertEquals("resnet50-tensorrt-fp16-b16.json", new Configuration("resnet50", "tensorrt-fp16", 16).resultName());
    }
}
