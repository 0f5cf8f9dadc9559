package gpuenergy.engine.tensorrt;

import gpuenergy.engine.NotRunException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A session's teardown on the device, through driver calls that record themselves and return the codes given. */
class CudaDeviceTest {
    private static final int ILLEGAL_ADDRESS = 700;
    private static final int INVALID_CONTEXT = 201;

    /** Records each call as "name handle" and returns the code {@code codes} gives its name, else success. */
    private static CudaDevice device(List<String> calls, Map<String, Integer> codes) {
        CudaDevice.Teardown teardown = new CudaDevice.Teardown() {
            private int call(String name, long handle) {
                calls.add(name + " " + handle);
                return codes.getOrDefault(name, CudaDriverApi.CUDA_SUCCESS);
            }

            @Override
            public int setCurrent(long context) {
                return call("cuCtxSetCurrent", context);
            }

            @Override
            public int destroyStream(long stream) {
                return call("cuStreamDestroy", stream);
            }

            @Override
            public int freeHost(long hostPointer) {
                return call("cuMemFreeHost", hostPointer);
            }

            @Override
            public int free(long devicePointer) {
                return call("cuMemFree", devicePointer);
            }

            @Override
            public int releasePrimaryContext(int device) {
                return call("cuDevicePrimaryCtxRelease", device);
            }
        };
        return new CudaDevice(0, 3, 9, "test GPU", "9.0", 132, 80L << 30, teardown);
    }

    @Test
    void aFailedFreeIsReportedByItsCallAndCodeAfterEveryOtherRelease() {
        List<String> calls = new ArrayList<>();
        CudaDevice gpu = device(calls, Map.of("cuMemFree", ILLEGAL_ADDRESS));
        NotRunException thrown = assertThrows(NotRunException.class, () -> gpu.releaseAll(11, 12, 21, 0, 22));
        assertEquals("cuMemFree failed: CUresult 700 (CUDA driver)", thrown.getMessage());
        assertEquals(List.of("cuCtxSetCurrent 9", "cuStreamDestroy 11", "cuMemFreeHost 12", "cuMemFree 21", "cuMemFree 22",
                "cuDevicePrimaryCtxRelease 3"), calls);
    }

    @Test
    void aContextThatCannotBeMadeCurrentIsTheFailureReportedAndTheFreesAreStillTried() {
        List<String> calls = new ArrayList<>();
        CudaDevice gpu = device(calls, Map.of("cuCtxSetCurrent", INVALID_CONTEXT, "cuStreamDestroy", INVALID_CONTEXT));
        NotRunException thrown = assertThrows(NotRunException.class, () -> gpu.releaseAll(11, 12, 21));
        assertEquals("cuCtxSetCurrent failed: CUresult 201 (CUDA driver)", thrown.getMessage());
        assertEquals(List.of("cuCtxSetCurrent 9", "cuStreamDestroy 11", "cuMemFreeHost 12", "cuMemFree 21",
                "cuDevicePrimaryCtxRelease 3"), calls);
    }

    @Test
    void aFailedContextReleaseIsReportedAndASecondReleaseCallsNothing() {
        List<String> calls = new ArrayList<>();
        CudaDevice gpu = device(calls, Map.of("cuDevicePrimaryCtxRelease", INVALID_CONTEXT));
        NotRunException thrown = assertThrows(NotRunException.class, () -> gpu.releaseAll(0, 0, 0));
        assertTrue(thrown.getMessage().startsWith("cuDevicePrimaryCtxRelease failed"), thrown.getMessage());
        calls.clear();
        gpu.releaseAll(0, 0, 0);
        assertEquals(List.of(), calls);
    }
}
