package org.diffusionplayground.model.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.diffusionplayground.model.runtime.NativeBuild;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The bulk copies between ND4J arrays and Java arrays: a view's own values at its offset, and a refusal where they are not contiguous. */
class HeapArraysTest {

    @BeforeAll
    static void nativeBuild() {
        NativeBuild.configure();
    }

    @Test
    void readsAndWritesAContiguousViewAtItsOffset() {
        INDArray a = Nd4j.arange(24).castTo(DataType.FLOAT).reshape(4, 6);
        INDArray rows = a.get(NDArrayIndex.interval(2, 4)); // rows 2 and 3: values 12…23, offset 12
        assertTrue(rows.offset() > 0);
        float[] got = new float[12];
        HeapArrays.read(rows, got, 12);
        float[] expected = new float[12];
        for (int i = 0; i < 12; i++) expected[i] = 12 + i;
        assertArrayEquals(expected, got);

        float[] put = new float[12];
        java.util.Arrays.fill(put, -1);
        HeapArrays.write(put, rows, 12);
        float[] all = HeapArrays.floats(a);
        for (int i = 0; i < 24; i++) assertTrue(all[i] == (i < 12 ? i : -1), "value " + i + ": " + all[i]);
    }

    @Test
    void refusesAnArrayWhoseValuesAreNotContiguous() {
        INDArray a = Nd4j.create(DataType.FLOAT, 4, 6);
        INDArray column = a.get(NDArrayIndex.all(), NDArrayIndex.point(1));
        assertThrows(IllegalStateException.class, () -> HeapArrays.read(column, new float[4], 4));
        assertThrows(IllegalStateException.class, () -> HeapArrays.write(new float[24], a.transpose(), 24));
    }
}
