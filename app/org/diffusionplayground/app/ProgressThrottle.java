package org.diffusionplayground.app;

/**
 * Which of a job's progress reports reach the UI: the first, the last (done = 1), and otherwise
 * at most one per {@link #INTERVAL_NANOS}; a report held back is shown when its interval ends
 * ({@link #waitNanos}), so a job that stops reporting for a while never leaves the UI behind. A reverse run reports every step — 20 steps in half a
 * second — and every report redraws two image grids and the read-outs; on two cores the software
 * renderer then takes CPU time from the sampler. Ten pictures a second still show the run
 * unfolding, and the page's timeline keeps every step. Not thread-safe: one per job.
 */
final class ProgressThrottle {

    /** 100 ms: ten updates a second while a job runs. */
    static final long INTERVAL_NANOS = 100_000_000L;

    private long last = Long.MIN_VALUE;

    /** Whether the report {@code done} at time {@code now} (nanoseconds) goes to the UI. */
    boolean pass(double done, long now) {
        if (done >= 1 || last == Long.MIN_VALUE || now - last >= INTERVAL_NANOS) {
            last = now;
            return true;
        }
        return false;
    }

    /** How long after {@code now} the next report may pass (0: at once). */
    long waitNanos(long now) {
        return last == Long.MIN_VALUE ? 0 : Math.max(0, INTERVAL_NANOS - (now - last));
    }

    /** A held-back report was shown at {@code now}: the interval starts again. */
    void shown(long now) {
        last = now;
    }
}
