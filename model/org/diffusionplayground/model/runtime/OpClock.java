package org.diffusionplayground.model.runtime;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Wall time by kind of op inside the hand-written passes and the trainer's step, for the tables of
 * {@code bench profile}: each op reads {@link #start} before it and calls {@link #lap} after it
 * with its kind ("conv 3×3 32→64 @28", "GroupNorm+SiLU", "Adam"). Off, which it is unless a
 * profile is being taken, a lap costs one volatile read; on, it adds System.nanoTime's cost per op
 * (≈ 50 ns, far below any op's time). Process-wide, like a sampling profiler: the passes need no
 * plumbing to be profiled. Laps from several threads add up (the kinds then overlap in time).
 */
public final class OpClock {

    /** One kind's total since {@link #reset}: calls, milliseconds, and its shortest and longest lap. */
    public record Row(String kind, long calls, double ms, double minMs, double maxMs) {
    }

    /** The kind a benchmark loop laps once per whole pass or step, the tables' denominator. */
    public static final String WHOLE = "(whole pass or step)";

    private static volatile boolean on;
    private static final Map<String, long[]> TOTALS = new LinkedHashMap<>();
    /** The process's minor page faults at the last reset. */
    private static long faultsAtReset;

    private OpClock() {
    }

    /** Starts recording (the totals so far are cleared). */
    public static synchronized void enable() {
        reset();
        on = true;
    }

    /** Stops recording; the totals stay readable. */
    public static void disable() {
        on = false;
    }

    public static synchronized void reset() {
        TOTALS.clear();
        faultsAtReset = ProcessMemory.minorFaults();
    }

    /** The process's minor page faults since the last {@link #reset} (all threads'), or −1 off Linux. */
    public static synchronized long faultsSinceReset() {
        long now = ProcessMemory.minorFaults();
        return now < 0 || faultsAtReset < 0 ? -1 : now - faultsAtReset;
    }

    /** Whether laps are recorded (to skip building a kind's name when not). */
    public static boolean running() {
        return on;
    }

    /** A start time for {@link #lap}, or 0 when off. */
    public static long start() {
        return on ? System.nanoTime() : 0L;
    }

    /**
     * Adds the time since {@code start} to {@code kind}; returns the time after this bookkeeping (a
     * start for the next op, so the first lap of a kind, which creates its entry, is charged to no
     * op), or 0 when off.
     */
    public static long lap(String kind, long start) {
        if (!on) return 0L;
        long lap = System.nanoTime() - start;
        synchronized (OpClock.class) {
            long[] t = TOTALS.get(kind);
            if (t == null) {
                t = new long[] {0, 0, Long.MAX_VALUE, 0};
                TOTALS.put(kind, t);
            }
            t[0] += lap;
            t[1]++;
            t[2] = Math.min(t[2], lap);
            t[3] = Math.max(t[3], lap);
        }
        return System.nanoTime();
    }

    /** Every kind's total, largest first. */
    public static synchronized List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        TOTALS.forEach((k, t) -> rows.add(new Row(k, t[1], t[0] / 1e6, t[2] / 1e6, t[3] / 1e6)));
        rows.sort(Comparator.comparingDouble(Row::ms).reversed());
        return rows;
    }
}
