package org.diffusionplayground.model.runtime;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.nd4j.linalg.factory.Environment;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOps;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * A scoped limit on ND4J's native threads: {@code try (var t = Threads.limit(1)) { … }}.
 * For work on tiny arrays (2-D points, a few thousand rows) the per-op thread hand-off costs more
 * than the op: on the 2-core machine under load, 100 DDIM steps on 2000 ring8 points took
 * 1.2–5.6 s with ND4J's default threads and ~0.3 s with one. ND4J's setting is process-wide, so
 * the one from before is restored when the last open limit closes.
 *
 * <p>It holds OpenBLAS's own pool too ({@code blas_set_num_threads}), which ND4J's matrix
 * products use and neither setting reaches: without it, the Text page's 256-character, 64-step
 * run took 0.86–1.02 s instead of 0.72–0.77 s on an idle 2-core machine, and 1.1–2.9 s instead of
 * 1.1–1.2 s in the app, where a product's second BLAS thread waits for the core the renderer holds
 * ({@code bench text-page}; the app's own read-out under Xvfb).
 *
 * <p>The limit also sets OpenMP's thread count, which oneDNN's convolutions use (ND4J's own
 * setting does not reach them); that one belongs to the calling thread. Measured 22 Nov 2026 with
 * a training run busy on the other core: the U-Net "small" forward at batch 1 / 16 took
 * 1,569 / 1,527 ms with 2 OpenMP threads and 60 / 91 ms with one
 * ({@code [OMP_NUM_THREADS=1] java -jar … bench network --models small --train-steps 0}).
 */
public final class Threads implements AutoCloseable {

    /** ND4J's and BLAS's process-wide settings, as they were before the first limit now open. */
    private record Process(int maxThreads, int maxMasterThreads, int blasThreads) {
    }

    private static final Object LOCK = new Object();
    /** The limits open now, on any thread (a multiset: the same value may be open twice). */
    private static final List<Integer> OPEN = new ArrayList<>();
    private static Process original;
    /** BLAS's thread count as last set while limits are open (setting it costs 0.6–1.1 ms: see {@link #setBlas}). */
    private static int blasSet;

    private final int threads;
    private final int ompThreads;
    private boolean closed;

    private Threads(int threads, int ompThreads) {
        this.threads = threads;
        this.ompThreads = ompThreads;
    }

    /**
     * Limits ND4J to {@code threads} until {@link #close()}. Limits opened on several threads at
     * once, or nested, hold the smallest of them; the last one closed restores the settings from
     * before the first (saving and restoring per scope let two overlapping scopes leave the process
     * at one thread for good).
     */
    public static Threads limit(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads (%d) must be ≥ 1".formatted(threads));
        Environment env = Nd4j.getEnvironment(); // loads ND4J's backend before its native ops are reached
        NativeOps ops = NativeOpsHolder.getInstance().getDeviceNativeOps();
        int omp = ops.ompGetMaxThreads();
        synchronized (LOCK) {
            if (OPEN.isEmpty()) {
                original = new Process(env.maxThreads(), env.maxMasterThreads(), Nd4j.factory().blas().getMaxThreads());
                blasSet = original.blasThreads();
            }
            OPEN.add(threads);
            apply(Collections.min(OPEN));
        }
        ops.setOmpNumThreads(Math.max(1, Math.min(threads, omp)));
        return new Threads(threads, omp);
    }

    /** ND4J's and BLAS's limits at {@code threads}, never above what they were before. */
    private static void apply(int threads) {
        Environment env = Nd4j.getEnvironment();
        env.setMaxThreads(Math.min(threads, original.maxThreads()));
        env.setMaxMasterThreads(Math.min(threads, original.maxMasterThreads()));
        if (original.blasThreads() > 0) setBlas(Math.max(1, Math.min(threads, original.blasThreads())));
    }

    /**
     * BLAS's thread count, set only when it changes: ND4J's setter goes through JavaCPP's
     * {@code blas_set_num_threads}, which looks the library's function up on every call (measured
     * 0.6–1.1 ms a call; the getter 0.2 µs). Setting it on every {@link SecondLane} pass — a limit
     * and its close around each forward pass, 20 of them in a 20-step guided grid — cost ~1.2–2 ms
     * a pass.
     */
    private static void setBlas(int threads) {
        if (threads == blasSet) return;
        Nd4j.factory().blas().setMaxThreads(threads);
        blasSet = threads;
    }

    /** A scope that ends without checked exceptions. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * OpenMP's thread count for the calling thread only (what oneDNN's convolutions use), until
     * closed; ND4J's process-wide limits are untouched. For threads that each run their own share
     * of a batch, so two of them do not ask for more OpenMP threads than there are cores.
     */
    public static Scope openMp(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads (%d) must be ≥ 1".formatted(threads));
        NativeOps ops = NativeOpsHolder.getInstance().getDeviceNativeOps();
        int previous = ops.ompGetMaxThreads();
        ops.setOmpNumThreads(threads);
        return () -> ops.setOmpNumThreads(previous);
    }

    /**
     * Ends this limit: the calling thread's OpenMP count goes back to what it was; ND4J's and BLAS's
     * go back to their original values when no other limit is open, else to the smallest open one.
     */
    @Override
    public void close() {
        synchronized (LOCK) {
            if (closed) return;
            closed = true;
            OPEN.remove(Integer.valueOf(threads));
            apply(OPEN.isEmpty() ? Integer.MAX_VALUE : Collections.min(OPEN)); // no limit left: the original settings
        }
        NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(ompThreads);
    }
}
