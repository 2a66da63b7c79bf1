package org.diffusionplayground.model.runtime;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * Two parts of one batch at the same time: one on the calling thread, one on a shared daemon
 * thread, each with one OpenMP thread, so the two ask for no more threads than two cores have.
 * The hand-written passes split a batch this way (the U-Net's halves, the DDiT's chunks): their
 * products gain far less from a second OpenMP or BLAS thread per op than from a second batch
 * part running beside the first, and per-op barriers stalled for tens of milliseconds on a shared
 * machine. Callers keep one set of buffers per lane; the parts must not share mutable state.
 */
public final class SecondLane {

    private static final ExecutorService LANE = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(() -> {
            Threads.openMp(1); // for the life of the thread
            r.run();
        }, "second-lane");
        t.setDaemon(true);
        return t;
    });

    private SecondLane() {
    }

    /** Whether a second core exists to run a second lane on. */
    public static boolean available() {
        return Runtime.getRuntime().availableProcessors() >= 2;
    }

    /**
     * Runs {@code second} on the second lane and {@code first} here, at the same time, with one
     * OpenMP and one BLAS thread each (ND4J's process-wide limits held at one meanwhile: with
     * OpenMP's alone at one, the DDiT's training step at batch 32 took 1.5–1.7 s instead of
     * 0.72–0.93 s, its batched products and softmax still asking for two threads per lane; the
     * U-Net reference's forward at batch 64 172–199 ms instead of 232–271 ms).
     *
     * @return both results, first's then second's
     */
    public static <A, B> Pair<A, B> both(Supplier<A> first, Callable<B> second) {
        try (Threads one = Threads.limit(1)) {
            Future<B> other = LANE.submit(second);
            A mine;
            try {
                mine = first.get();
            } catch (RuntimeException | Error e) {
                try {
                    join(other); // no lane is still writing when the next call starts
                } catch (RuntimeException | Error suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
            return new Pair<>(mine, join(other));
        }
    }

    /** The two results of {@link #both}. */
    public record Pair<A, B>(A first, B second) {
    }

    /**
     * The second lane's result. Waits even when interrupted (the lane is still writing its
     * buffers, which the next call would reuse), then restores the interrupt flag.
     */
    private static <T> T join(Future<T> f) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return f.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw new IllegalStateException(e.getCause());
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }
}
