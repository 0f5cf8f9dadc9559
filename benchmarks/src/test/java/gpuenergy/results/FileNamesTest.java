package gpuenergy.results;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class FileNamesTest {

    @Test
    void aPartIsNeverAPathNorHidden() {
        assertEquals("__m.pt", FileNames.part("./m.pt"));
        assertEquals("______m.pt", FileNames.part("../../m.pt"));
        assertEquals("_hidden", FileNames.part(".hidden"));
        assertEquals("a_b_c.onnx", FileNames.part("a/b\"c.onnx"));
        assertEquals("resnet50", FileNames.part("resnet50"));
    }

    @Test
    void aVisibleNameChangesOnlyALeadingDot() {
        assertEquals("_._m.pt-pytorch-fp32-b1.json", FileNames.visible(".._m.pt-pytorch-fp32-b1.json"));
        assertEquals("m.pt.json", FileNames.visible("m.pt.json"));
    }
}
