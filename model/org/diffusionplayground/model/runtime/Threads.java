package org.diffusionplayground.model.runtime;

import org.nd4j.linalg.factory.Environment;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A scoped limit on ND4J's native threads: {@code try (var t = Threads.limit(1)) { … }}.
 * For work on tiny arrays (2-D points, a few thousand rows) the per-op thread hand-off costs more
 * than the op: on the 2-core machine under load, 100 DDIM steps on 2000 ring8 points took
 * 1.2–5.6 s with ND4J's default threads and ~0.3 s with one. ND4J's setting is process-wide, so
 * the previous one is restored on close; don't hold a limit around network work.
 */
public final class Threads implements AutoCloseable {

    private final int maxThreads;
    private final int maxMasterThreads;

    private Threads(int maxThreads, int maxMasterThreads) {
        this.maxThreads = maxThreads;
        this.maxMasterThreads = maxMasterThreads;
    }

    /** Limits ND4J to {@code threads} until {@link #close()}. */
    public static Threads limit(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads (%d) must be ≥ 1".formatted(threads));
        Environment env = Nd4j.getEnvironment();
        Threads previous = new Threads(env.maxThreads(), env.maxMasterThreads());
        env.setMaxThreads(Math.min(threads, previous.maxThreads));
        env.setMaxMasterThreads(Math.min(threads, previous.maxMasterThreads));
        return previous;
    }

    /** Restores the limits in force before {@link #limit}. */
    @Override
    public void close() {
        Environment env = Nd4j.getEnvironment();
        env.setMaxThreads(maxThreads);
        env.setMaxMasterThreads(maxMasterThreads);
    }
}
