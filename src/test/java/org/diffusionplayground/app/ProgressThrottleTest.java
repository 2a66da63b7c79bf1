package org.diffusionplayground.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressThrottleTest {

    private static final long MS = 1_000_000L;

    @Test
    void aFastRunShowsTenFramesASecondAndAlwaysItsLast() {
        ProgressThrottle throttle = new ProgressThrottle();
        List<Integer> shown = new ArrayList<>();
        for (int step = 1; step <= 40; step++) { // 40 steps, 25 ms apart: one second
            if (throttle.pass(step / 40.0, 1_000 * MS + step * 25 * MS)) shown.add(step);
        }
        assertEquals(List.of(1, 5, 9, 13, 17, 21, 25, 29, 33, 37, 40), shown);
    }

    @Test
    void aSlowRunShowsEveryStep() {
        ProgressThrottle throttle = new ProgressThrottle();
        for (int step = 1; step <= 10; step++) assertTrue(throttle.pass(step / 10.0, step * 150 * MS));
    }

    @Test
    void reportsCloserThanTheIntervalWait() {
        ProgressThrottle throttle = new ProgressThrottle();
        assertTrue(throttle.pass(0, 0));
        assertFalse(throttle.pass(0.1, 99 * MS));
        assertTrue(throttle.pass(0.2, 100 * MS));
        assertTrue(throttle.pass(1, 101 * MS), "the last report always passes");
    }

    @Test
    void aHeldBackReportWaitsOnlyUntilItsIntervalEnds() {
        ProgressThrottle throttle = new ProgressThrottle();
        assertEquals(0, throttle.waitNanos(0), "nothing shown yet: at once");
        assertTrue(throttle.pass(0.1, 0));
        assertFalse(throttle.pass(0.2, 30 * MS));
        assertEquals(70 * MS, throttle.waitNanos(30 * MS));
        throttle.shown(100 * MS); // the held-back 0.2 shown when its interval ended
        assertFalse(throttle.pass(0.3, 150 * MS), "the interval restarts from the held-back report");
        assertEquals(0, throttle.waitNanos(250 * MS));
    }
}
