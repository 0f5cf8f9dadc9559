package gpuenergy.engine;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The sessions' close: every release runs whatever the ones before it threw. */
class ReleasesTest {

    /** A release that records its name, then throws {@code failure} where there is one. */
    private static Runnable release(List<String> ran, String name, Throwable failure) {
        return () -> {
            ran.add(name);
            if (failure instanceof RuntimeException e) {
                throw e;
            }
            if (failure instanceof Error e) {
                throw e;
            }
        };
    }

    @Test
    void everyReleaseRunsInOrderAndTheFirstFailureCarriesTheLaterOnes() {
        List<String> ran = new ArrayList<>();
        IllegalStateException stream = new IllegalStateException("stream");
        OutOfMemoryError host = new OutOfMemoryError("host");
        RuntimeException context = new RuntimeException("context");
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> Releases.all(
                release(ran, "current", null),
                release(ran, "stream", stream),
                release(ran, "host", host),
                release(ran, "input", null),
                release(ran, "context", context)));
        assertEquals(List.of("current", "stream", "host", "input", "context"), ran);
        assertSame(stream, thrown);
        assertArrayEquals(new Throwable[] {host, context}, thrown.getSuppressed());
    }

    @Test
    void anErrorFirstIsThrownAsItIsWithTheLaterFailuresSuppressed() {
        List<String> ran = new ArrayList<>();
        OutOfMemoryError heap = new OutOfMemoryError("Java heap space");
        IllegalStateException later = new IllegalStateException("later");
        OutOfMemoryError thrown = assertThrows(OutOfMemoryError.class, () -> Releases.all(
                release(ran, "a", heap), release(ran, "b", null), release(ran, "c", later)));
        assertEquals(List.of("a", "b", "c"), ran);
        assertSame(heap, thrown);
        assertArrayEquals(new Throwable[] {later}, thrown.getSuppressed());
    }

    @Test
    void releasesThatAllSucceedThrowNothing() {
        List<String> ran = new ArrayList<>();
        Releases.all(release(ran, "a", null), release(ran, "b", null));
        Releases.all();
        assertEquals(List.of("a", "b"), ran);
    }

    /** The VM throws one preallocated OutOfMemoryError once its others are spent: the same instance twice. */
    @Test
    void theSameFailureTwiceIsThrownOnceNotSuppressedInItself() {
        List<String> ran = new ArrayList<>();
        OutOfMemoryError shared = new OutOfMemoryError("Java heap space");
        OutOfMemoryError thrown = assertThrows(OutOfMemoryError.class, () -> Releases.all(
                release(ran, "a", shared), release(ran, "b", shared), release(ran, "c", null)));
        assertEquals(List.of("a", "b", "c"), ran);
        assertSame(shared, thrown);
        assertEquals(0, thrown.getSuppressed().length);
    }

    /** A setup's failure stays what the trial records; its close's failures are told beside it. */
    @Test
    void aCloseAfterAFailedSetupRunsAllAndIsSuppressedInTheFailure() {
        List<String> ran = new ArrayList<>();
        IllegalStateException setup = new IllegalStateException("setup");
        OutOfMemoryError free = new OutOfMemoryError("free");
        IllegalStateException release = new IllegalStateException("release");
        Releases.closeAfter(setup, () -> Releases.all(
                release(ran, "free", free), release(ran, "release", release)));
        assertEquals(List.of("free", "release"), ran);
        assertArrayEquals(new Throwable[] {free}, setup.getSuppressed());
        assertArrayEquals(new Throwable[] {release}, free.getSuppressed());

        Releases.closeAfter(setup, () -> { });
        assertEquals(1, setup.getSuppressed().length);
        Releases.closeAfter(setup, () -> {
            throw setup;
        });
        assertEquals(1, setup.getSuppressed().length, "a failure the close throws again is not suppressed in itself");
    }
}
