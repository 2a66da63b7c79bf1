package org.diffusionplayground.model.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/** {@link Threads#limit} reaches the BLAS library's own thread pool too, and gives it back. */
class ThreadsTest {

    @Test
    void theLimitHoldsBlasToItAndCloseRestoresIt() {
        NativeBuild.configure();
        var blas = Nd4j.factory().blas();
        int before = blas.getMaxThreads();
        assumeTrue(before > 1, "this machine's BLAS runs one thread already (" + before + ")");
        try (Threads one = Threads.limit(1)) {
            assertEquals(1, blas.getMaxThreads(), "matrix products on the calling thread only");
        }
        assertEquals(before, blas.getMaxThreads());
    }

    @Test
    void overlappingLimitsOnTwoThreadsLeaveTheProcessAsItWas() throws Exception {
        NativeBuild.configure();
        var env = Nd4j.getEnvironment(); // (ND4J keeps maxThreads at the core count whatever is set; maxMasterThreads follows)
        int before = env.maxMasterThreads();
        assumeTrue(before > 1, "ND4J runs one thread already (" + before + ")");
        // A opens, B opens, A closes, B closes: B once saved A's limit as "the previous setting"
        Threads a = Threads.limit(1);
        Threads[] b = new Threads[1];
        Thread other = new Thread(() -> b[0] = Threads.limit(1));
        other.start();
        other.join();
        a.close();
        assertEquals(1, env.maxMasterThreads(), "B's limit still holds while B runs");
        Thread closing = new Thread(() -> b[0].close());
        closing.start();
        closing.join();
        assertEquals(before, env.maxMasterThreads(), "the last limit closed restores the setting from before the first");
    }

    @Test
    void aNestedWiderLimitKeepsTheNarrowerOneAndClosingTwiceIsHarmless() {
        NativeBuild.configure();
        var env = Nd4j.getEnvironment();
        int before = env.maxMasterThreads();
        assumeTrue(before > 1, "ND4J runs one thread already (" + before + ")");
        try (Threads one = Threads.limit(1)) {
            Threads wide = Threads.limit(before);
            assertEquals(1, env.maxMasterThreads());
            wide.close();
            wide.close();
            assertEquals(1, env.maxMasterThreads(), "a second close does not end the outer limit");
        }
        assertEquals(before, env.maxMasterThreads());
    }
}
