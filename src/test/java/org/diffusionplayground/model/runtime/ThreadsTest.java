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
}
