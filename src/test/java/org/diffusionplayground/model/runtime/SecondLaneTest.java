package org.diffusionplayground.model.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Both parts run at once on two threads; a failure on either side surfaces only after both have stopped. */
class SecondLaneTest {

    @BeforeAll
    static void nativeBuild() {
        NativeBuild.configure();
    }

    @Test
    void bothPartsRunAtTheSameTimeOnTwoThreads() {
        CountDownLatch met = new CountDownLatch(2); // each part waits for the other: only concurrent parts pass
        var result = SecondLane.both(() -> meet(met), () -> meet(met));
        assertNotEquals(result.first(), result.second(), "two threads");
        assertEquals(Thread.currentThread().getName(), result.first(), "the first part runs on the calling thread");
    }

    @Test
    void aFailureHereWaitsForTheSecondLaneBeforeItIsThrown() {
        AtomicBoolean secondDone = new AtomicBoolean();
        var e = assertThrows(IllegalStateException.class, () -> SecondLane.both(() -> {
            throw new IllegalStateException("first");
        }, () -> {
            Thread.sleep(200);
            secondDone.set(true);
            return 0;
        }));
        assertEquals("first", e.getMessage());
        assertTrue(secondDone.get(), "the second lane had finished before the failure was thrown");
    }

    @Test
    void aFailureOnTheSecondLaneIsThrownHere() {
        var e = assertThrows(IllegalArgumentException.class, () -> SecondLane.both(() -> 1, () -> {
            throw new IllegalArgumentException("second");
        }));
        assertEquals("second", e.getMessage());
    }

    private static String meet(CountDownLatch met) {
        met.countDown();
        try {
            assertTrue(met.await(10, TimeUnit.SECONDS), "the other part never ran beside this one");
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        return Thread.currentThread().getName();
    }
}
