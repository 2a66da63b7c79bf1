package org.diffusionplayground.model.nn;

import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Floats that a kernel reads and writes a stretch at a time: a Java array, or an ND4J array's
 * off-heap buffer read in place. A kernel that stages each stretch into scratch arrays anyway (see
 * {@link GroupNormSilu}) can stage it straight from native memory, so the whole tensor need not be
 * copied into the heap first and back out after.
 */
public interface Strip {

    /** Copies the n values from index {@code from} into {@code to}[0 … n). */
    void read(int from, float[] to, int n);

    /** Copies {@code from}[0 … n) to index {@code at} onwards. */
    void write(int at, float[] from, int n);

    /** The values of a Java array. */
    static Strip of(float[] values) {
        return new Strip() {
            @Override
            public void read(int from, float[] to, int n) {
                System.arraycopy(values, from, to, 0, n);
            }

            @Override
            public void write(int at, float[] from, int n) {
                System.arraycopy(from, 0, values, at, n);
            }
        };
    }

    /** A float array's values in place, in c order (see {@link Views#contiguous}). */
    static Strip of(INDArray values) {
        if (values.dataType() != DataType.FLOAT) throw new IllegalArgumentException("a strip of floats, not " + values.dataType());
        return of(Views.contiguous(values).data().asNioFloat(), values.offset());
    }

    /**
     * The values of a buffer from its index {@code offset} on (an ND4J array's
     * {@code data().asNioFloat()} and {@code offset()}), read and written by absolute index. Like the
     * buffer, one per thread.
     */
    static Strip of(FloatBuffer values, long offset) {
        int base = Math.toIntExact(offset);
        return new Strip() {
            @Override
            public void read(int from, float[] to, int n) {
                values.get(base + from, to, 0, n);
            }

            @Override
            public void write(int at, float[] from, int n) {
                values.put(base + at, from, 0, n);
            }
        };
    }
}
