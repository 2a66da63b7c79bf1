package org.diffusionplayground.model.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Structure;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class NativeOpTest {

    /** matmul with transposes and alpha through one reused op, against ND4J's own product. */
    @Test
    void aReusedOpKeepsItsArgumentsAndComputesEachCallAfresh() {
        NativeOp op = new NativeOp("matmul", new double[] {0.5, 0.0}, 0, 1, 0); // 0.5 · a · bᵀ
        for (int call = 0; call < 3; call++) {
            INDArray a = Nd4j.rand(DataType.FLOAT, 3, 5), b = Nd4j.rand(DataType.FLOAT, 4, 5);
            INDArray c = Nd4j.create(DataType.FLOAT, 3, 4);
            op.run(new INDArray[] {a, b}, c);
            assertArrayEquals(a.mmul(b.transpose()).muli(0.5).data().asFloat(), c.data().asFloat(), 1e-5f);
        }
    }

    /**
     * A reused op's native memory stays flat: before each run was followed by a purge, libnd4j's
     * context kept a handle for every array it was given, about 380 bytes a call, so every window
     * of 100,000 calls grew RSS by ~38 MB. Measured as the bytes glibc's malloc has handed out
     * ({@code mallinfo2}), not as RSS: in a test fork with -Xmx3g, RSS also grows by 60–120 MB a
     * window while the JVM touches its young generation's pages for the first time (measured), which
     * read as a leak on CI. The collector runs before each reading so that JavaCPP's per-call
     * pointers, freed with their Java objects, are not counted; a leak grows every window.
     */
    @Test
    void aReusedOpDoesNotGrowNativeMemory() {
        assumeTrue(MallInfo2.available(), "no mallinfo2 here (it is glibc's, from 2.33)");
        NativeOp op = new NativeOp("matmul", new double[] {1.0, 0.0}, 0, 0, 0);
        INDArray[] in = {Nd4j.rand(DataType.FLOAT, 2, 4), Nd4j.rand(DataType.FLOAT, 4, 3)};
        INDArray c = Nd4j.create(DataType.FLOAT, 2, 3);
        long least = Long.MAX_VALUE;
        StringBuilder seen = new StringBuilder();
        for (int window = 0; window < 4; window++) {
            long before = MallInfo2.inUse();
            for (int i = 0; i < 100_000; i++) op.run(in, c);
            long grown = (MallInfo2.inUse() - before) >> 20;
            least = Math.min(least, grown);
            seen.append(grown).append(" MB ");
        }
        assertTrue(least < 10, "malloc's memory in use grew in every window of 100,000 calls: " + seen);
    }

    /** glibc's {@code struct mallinfo2} (malloc.h, glibc 2.33 and later): ten size_t counters. */
    public static final class MallInfo2 extends Structure implements Structure.ByValue {
        public long arena, ordblks, smblks, hblks, hblkhd, usmblks, fsmblks, uordblks, fordblks, keepcost;

        @Override
        protected List<String> getFieldOrder() {
            return List.of("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks", "keepcost");
        }

        /** Whether the C library has it: Linux with glibc 2.33 or later (Debian 12, Ubuntu 22.04). */
        static boolean available() {
            try {
                return Platform.isLinux() && function() != null;
            } catch (UnsatisfiedLinkError | RuntimeException e) {
                return false;
            }
        }

        /** Bytes in use from every arena plus those served by their own mmap, after a collection. */
        static long inUse() {
            System.gc();
            MallInfo2 info = (MallInfo2) function().invoke(MallInfo2.class, new Object[0]);
            return info.uordblks + info.hblkhd;
        }

        private static Function function() {
            return NativeLibrary.getInstance(Platform.C_LIBRARY_NAME).getFunction("mallinfo2");
        }
    }
}
