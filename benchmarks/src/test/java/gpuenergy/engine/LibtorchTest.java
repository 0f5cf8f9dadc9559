package gpuenergy.engine;

import ai.djl.engine.EngineException;
import gpuenergy.results.NotRun;
import org.junit.jupiter.api.Test;

import java.net.UnknownHostException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LibtorchTest {
    /**
     * A libtorch thread count other than a whole number >= 1 is an error, not run, in one line naming the setting: DJL
     * runs on libtorch's own count for one it cannot read (abc, 1.5) and fails 0 as a libtorch that did not load.
     */
    @Test
    void aThreadCountOtherThanAWholeNumberIsAnError() {
        String before = System.getProperty(Libtorch.THREADS);
        try {
            for (String value : List.of("abc", "0", "-1", "1.5", "", " 2", "9999999999")) {
                System.setProperty(Libtorch.THREADS, value);
                NotRunException e = assertThrows(NotRunException.class, Libtorch::get, value);
                assertEquals("-Dai.djl.pytorch.num_threads=" + value + " is not accepted; accepted: a whole number >= 1 "
                        + "(libtorch's intra-op threads)", e.getMessage());
                assertEquals(NotRun.Kind.ERROR, e.kind(), value);
            }
        } finally {
            if (before == null) {
                System.clearProperty(Libtorch.THREADS);
            } else {
                System.setProperty(Libtorch.THREADS, before);
            }
        }
    }

    /** Offline, a jar without its own libtorch and no PYTORCH_LIBRARY_PATH: DJL's download fails on a bare host name. */
    @Test
    void aFailedDownloadSaysWhereToPointDjl() {
        EngineException e = new EngineException("Failed to save pytorch index file", new UnknownHostException("publish.djl.ai"));
        assertEquals("cannot load libtorch through DJL: this jar holds none and DJL could not download one (unknown host "
                + "publish.djl.ai); " + Libtorch.HOW_TO_POINT_AT_CUDA + ", as tools/gpu-env.sh does", Libtorch.loadFailure(e, null));
        assertTrue(Libtorch.loadFailure(e, "/opt/torch/lib").startsWith("cannot load libtorch through DJL: publish.djl.ai"
                + " (PYTORCH_LIBRARY_PATH=/opt/torch/lib; DJL "));
        assertEquals("cannot load libtorch through DJL: no such file", Libtorch.loadFailure(
                new EngineException("x", new IllegalStateException("no such file")), null));
    }
}
