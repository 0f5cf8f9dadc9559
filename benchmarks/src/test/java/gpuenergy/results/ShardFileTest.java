package gpuenergy.results;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ShardFileTest {
    @TempDir
    Path dir;

    /**
     * A shard.json whose predicted seconds are text ("predictedSeconds": "abc", which Gson parses as a number) is
     * refused in one line naming it, as a field of any other shape is; report, compare and sweep --resume read it here.
     */
    @Test
    void textForPredictedSecondsIsOneLine() throws Exception {
        Path record = Files.writeString(dir.resolve(ShardFile.FILE), "{\"shard\": \"1/1\", \"partition\": [{\"model\": "
                + "\"m\", \"engine\": \"pytorch-fp32\", \"shard\": 1, \"predictedSeconds\": \"abc\"}]}");
        BadInputException e = assertThrows(BadInputException.class, () -> ShardFile.read(dir));
        assertEquals(record + ": not a shard record; expected the shard.json a sweep with --shard I/N writes",
                e.getMessage());
    }
}
