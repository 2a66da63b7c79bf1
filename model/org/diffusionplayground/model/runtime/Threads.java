package org.diffusionplayground.model.runtime;

import org.nd4j.linalg.factory.Environment;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOps;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * A scoped limit on ND4J's native threads: {@code try (var t = Threads.limit(1)) { … }}.
 * For work on tiny arrays (2-D points, a few thousand rows) the per-op thread hand-off costs more
 * than the op: on the 2-core machine under load, 100 DDIM steps on 2000 ring8 points took
 * 1.2–5.6 s with ND4J's default threads and ~0.3 s with one. ND4J's setting is process-wide, so
 * the previous one is restored on close.
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

    private final int maxThreads;
    private final int maxMasterThreads;
    private final int ompThreads;
    private final int blasThreads;

    private Threads(int maxThreads, int maxMasterThreads, int ompThreads, int blasThreads) {
        this.maxThreads = maxThreads;
        this.maxMasterThreads = maxMasterThreads;
        this.ompThreads = ompThreads;
        this.blasThreads = blasThreads;
    }

    /** Limits ND4J to {@code threads} until {@link #close()}. */
    public static Threads limit(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads (%d) must be ≥ 1".formatted(threads));
        Environment env = Nd4j.getEnvironment();
        NativeOps ops = NativeOpsHolder.getInstance().getDeviceNativeOps();
        var blas = Nd4j.factory().blas();
        Threads previous = new Threads(env.maxThreads(), env.maxMasterThreads(), ops.ompGetMaxThreads(), blas.getMaxThreads());
        env.setMaxThreads(Math.min(threads, previous.maxThreads));
        env.setMaxMasterThreads(Math.min(threads, previous.maxMasterThreads));
        ops.setOmpNumThreads(Math.max(1, Math.min(threads, previous.ompThreads)));
        if (previous.blasThreads > 0) blas.setMaxThreads(Math.max(1, Math.min(threads, previous.blasThreads)));
        return previous;
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

    /** Restores the limits in force before {@link #limit}. */
    @Override
    public void close() {
        Environment env = Nd4j.getEnvironment();
        env.setMaxThreads(maxThreads);
        env.setMaxMasterThreads(maxMasterThreads);
        NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(ompThreads);
        if (blasThreads > 0) Nd4j.factory().blas().setMaxThreads(blasThreads);
    }
}
