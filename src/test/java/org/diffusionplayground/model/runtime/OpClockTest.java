package org.diffusionplayground.model.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** OpClock adds each kind's laps while on, records nothing while off, and lists kinds largest first. */
class OpClockTest {

    @AfterEach
    void off() {
        OpClock.disable();
        OpClock.reset();
    }

    @Test
    void lapsAddUpByKindLargestFirst() throws InterruptedException {
        OpClock.enable();
        for (int i = 0; i < 3; i++) {
            long t0 = OpClock.start();
            Thread.sleep(5);
            t0 = OpClock.lap("slow", t0);
            OpClock.lap("quick", t0);
        }
        List<OpClock.Row> rows = OpClock.rows();
        assertEquals(List.of("slow", "quick"), rows.stream().map(OpClock.Row::kind).toList());
        assertEquals(3, rows.get(0).calls());
        assertTrue(rows.get(0).ms() >= 15, "three sleeps of 5 ms: " + rows.get(0).ms());
        assertTrue(rows.get(1).ms() < rows.get(0).ms());
        OpClock.Row slow = rows.get(0);
        assertTrue(slow.minMs() >= 5 && slow.minMs() <= slow.maxMs() && slow.maxMs() <= slow.ms(), slow.toString());
    }

    @Test
    void offItRecordsNothingAndResetClears() {
        assertEquals(0L, OpClock.start());
        OpClock.lap("ignored", 0L);
        assertTrue(OpClock.rows().isEmpty());
        OpClock.enable();
        OpClock.lap("kept", OpClock.start());
        assertEquals(1, OpClock.rows().size());
        OpClock.reset();
        assertTrue(OpClock.rows().isEmpty());
    }
}
