package org.diffusionplayground.model.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class ViewsTest {

    private static INDArray counting(long... shape) {
        return Nd4j.arange(Nd4j.create(DataType.FLOAT, shape).length()).castTo(DataType.FLOAT).reshape(shape).dup('c');
    }

    @Test
    void rowsHoldTheSameValuesAsInterval() {
        INDArray a = counting(6, 3, 2, 4);
        INDArray view = Views.rows(a, 2, 5);
        assertArrayEquals(new long[] {3, 3, 2, 4}, view.shape());
        assertEquals(a.get(NDArrayIndex.interval(2, 5)), view);
        view.putScalar(new long[] {0, 0, 0, 0}, -7f);
        assertEquals(-7f, a.getFloat(2, 0, 0, 0), 0f, "the view shares the array's buffer");
    }

    @Test
    void aRowsViewOfAViewKeepsBothOffsets() {
        INDArray a = counting(8, 5);
        INDArray inner = Views.rows(Views.rows(a, 3, 8), 1, 4); // rows 4..6 of a
        assertEquals(a.get(NDArrayIndex.interval(4, 7)), inner);
        assertEquals(20, inner.offset());
    }

    @Test
    void writesThroughAViewReachTheArray() {
        INDArray a = counting(4, 6);
        Views.reshaped(Views.rows(a, 2, 4), 3, 4).assign(-1);
        assertEquals(11f, a.getFloat(1, 5), 0f);
        assertEquals(-12f, a.get(NDArrayIndex.interval(2, 4)).sumNumber().floatValue(), 0f);
    }

    @Test
    void reshapedKeepsTheValuesInOrder() {
        INDArray a = counting(2, 3, 4);
        INDArray r = Views.reshaped(a, 6, 4);
        assertEquals(a.reshape(6, 4), r);
        assertEquals(13f, r.getFloat(3, 1), 0f);
    }

    @Test
    void aStridedViewIsRefusedNotMisread() {
        INDArray a = counting(4, 6);
        INDArray column = a.get(NDArrayIndex.all(), NDArrayIndex.interval(1, 3)); // rows of 2 out of 6: not contiguous
        assertThrows(IllegalStateException.class, () -> Views.reshaped(column, 8));
        assertThrows(IllegalStateException.class, () -> Views.rows(a.transpose(), 0, 2));
    }
}
