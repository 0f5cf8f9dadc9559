package gpuenergy.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import gpuenergy.profile.EnvironmentKeys;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ArtifactTest {
    /** An opt-* record as tools/export_models.py writes it (values from the H100 export of regnety_008). */
    private static final String OPT_RECORD = "{\"file\": \"regnety_008-opt-fp16.pt\", \"precision\": \"fp16\","
            + " \"relative_error\": 0.00054, \"top1_agreement\": 1.0, \"bound\": 0.02, \"checked_with\": \"cuda\","
            + " \"tuning\": {\"variant\": \"freeze+conv-add-relu\", \"batch\": 128, \"device\": \"cuda:0\", \"seconds\": 1.0,"
            + " \"img_per_s\": {\"plain trace\": 24266.1, \"freeze\": 23515.7, \"freeze+conv-add-relu\": 35595.3}},"
            + " \"passed\": true, \"bytes\": 12345}";

    @Test
    void theChosenFrozenVariantIsPartOfTheModelNotOfItsNumerics() {
        JsonObject rec = JsonParser.parseString(OPT_RECORD).getAsJsonObject();
        Map<String, String> m = new Artifact("/m/regnety_008-opt-fp16.pt", "models dir", rec, new long[] {3, 224, 224}).describe();
        assertEquals("freeze+conv-add-relu", m.get(EnvironmentKeys.MODEL_VARIANT));
        assertEquals(rec.get("tuning").toString(), m.get(EnvironmentKeys.MODEL_TUNING));
        assertFalse(m.containsKey("numerics.tuning"));
        assertEquals("true", m.get("numerics.passed"));
        assertEquals("0.00054", m.get("numerics.relative_error"));
        assertEquals("3x224x224", m.get(EnvironmentKeys.MODEL_INPUT_SHAPE));
    }

    @Test
    void aPlainArtifactHasNoVariant() {
        JsonObject rec = JsonParser.parseString("{\"relative_error\": 0.0003, \"bound\": 0.005, \"passed\": true}").getAsJsonObject();
        Map<String, String> m = new Artifact("x.pt", "embedded", rec, new long[] {3, 224, 224}).describe();
        assertFalse(m.containsKey(EnvironmentKeys.MODEL_VARIANT));
        assertEquals("0.005", m.get("numerics.bound"));
    }
}
