package org.diffusionplayground.model.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A training loss on a network's output, with its gradient. Networks call it on the rows they
 * computed — the whole batch, or one part when a batch runs as concurrent parts — so a loss is
 * a mean over the {@code total} rows of the batch, each part adding its share.
 */
@FunctionalInterface
public interface Loss {

    /**
     * @param out   the network's output for {@code rows} [R, …] (FLOAT)
     * @param rows  the part of the batch that produced {@code out}
     * @param total the number of rows of the whole batch (the mean's denominator)
     * @param dOut  receives dL/d(out) [R, …] (FLOAT, same shape as out), overwritten
     * @return this part's share of the batch loss
     */
    double apply(INDArray out, Batch rows, int total, INDArray dOut);
}
