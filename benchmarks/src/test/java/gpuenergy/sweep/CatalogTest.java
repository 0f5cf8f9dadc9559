package gpuenergy.sweep;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shipped model catalog: the contract's columns, well-formed values, the default set. */
class CatalogTest {
    static final String HEADER = "name,timm_id,family,year,input_size,params_m,gmacs,top1,top1_source";

    private static List<String[]> rows() throws IOException {
        try (InputStream in = CatalogTest.class.getResourceAsStream("/catalog.csv")) {
            assertNotNull(in, "catalog.csv on the classpath");
            String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
            assertEquals(HEADER, lines[0]);
            List<String[]> rows = new ArrayList<>();
            for (int i = 1; i < lines.length; i++) {
                String[] cells = lines[i].split(",", -1);
                assertEquals(9, cells.length, "line " + (i + 1) + " has 9 cells (no commas inside a cell): " + lines[i]);
                rows.add(cells);
            }
            return rows;
        }
    }

    @Test
    void holdsTheDefaultSet() throws IOException {
        Set<String> names = new HashSet<>();
        for (String[] r : rows()) {
            assertTrue(names.add(r[0]), "duplicate " + r[0]);
        }
        for (String required : List.of("resnet50", "mobilenetv3_large_100", "efficientnet_b0", "convnext_tiny",
                "vit_base_patch16_224", "deit_small_patch16_224", "mobilenetv3_small_100", "vit_large_patch16_224",
                "mobilenetv4_conv_small", "efficientvit_b1", "swin_tiny_patch4_window7_224")) {
            assertTrue(names.contains(required), required);
        }
    }

    @Test
    void valuesAreWellFormed() throws IOException {
        for (String[] r : rows()) {
            String name = r[0];
            assertTrue(r[1].equals(name) || r[1].startsWith(name + "."), name + ": timm id " + r[1] + " is the architecture, optionally with a pretrained tag");
            assertTrue(Set.of("CNN", "Transformer", "hybrid", "MLP").contains(r[2]), name + ": family " + r[2]);
            int year = Integer.parseInt(r[3]);
            assertTrue(year >= 2012 && year <= 2026, name + ": year " + year);
            assertTrue(Integer.parseInt(r[4]) >= 32, name + ": input size");
            for (int col : new int[] {5, 6, 7}) {
                if (!r[col].isEmpty()) {
                    assertTrue(Double.parseDouble(r[col]) > 0, name + ": column " + (col + 1));
                }
            }
            if (!r[7].isEmpty()) {
                assertTrue(Double.parseDouble(r[7]) < 100, name + ": top-1 is a percentage");
                assertFalse(r[8].isBlank(), name + ": a top-1 figure names its source");
            }
        }
    }
}
