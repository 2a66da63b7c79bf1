package org.diffusionplayground.model.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Views of a float array whose values lie contiguous in c order (an array of its own, or a view
 * with an offset), made over the same buffer without a copy: some rows of it, or the same values
 * with another shape.
 *
 * <p>Why not ND4J's own {@code get(interval)} and {@code reshape}: on ND4J 1.0.0-M2.1
 * {@code get(interval)} of some views returned an empty array, so the passes copied such arrays
 * first ({@code dup}), and a copy made every step lives until the garbage collector frees it.
 * Copies of up to 19 MB a training step kept glibc's heap growing between collections, and every
 * page of new memory is a page fault, which costs 11–14 µs on the VMs this project is measured on
 * (measured: the reference U-Net's batch-64 step took 6,000–8,000 faults).
 */
public final class Views {

    private Views() {
    }

    /** Rows {@code from} ≤ i &lt; {@code to} of a [B, …] array, as a view of its buffer. */
    public static INDArray rows(INDArray a, long from, long to) {
        long[] shape = a.shape().clone();
        long row = a.length() / shape[0];
        shape[0] = to - from;
        return at(a, a.offset() + from * row, shape);
    }

    /** a's values seen with {@code shape} (the same number of values), as a view of its buffer. */
    public static INDArray reshaped(INDArray a, long... shape) {
        return at(a, a.offset(), shape);
    }

    private static INDArray at(INDArray a, long offset, long[] shape) {
        return Nd4j.create(contiguous(a).data(), shape, Nd4j.getStrides(shape, 'c'), offset, 'c');
    }

    /** a itself, if its values lie contiguous in c order from its offset; otherwise an error that says so. */
    public static INDArray contiguous(INDArray a) {
        if (a.ordering() != 'c' || a.elementWiseStride() != 1) {
            throw new IllegalStateException("a view without a copy needs a contiguous c-order array, got " + a.shapeInfoToString());
        }
        return a;
    }
}
