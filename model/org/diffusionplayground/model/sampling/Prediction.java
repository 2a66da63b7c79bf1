package org.diffusionplayground.model.sampling;

import org.nd4j.linalg.api.ndarray.INDArray;

/** One model evaluation at (x_t, t): its raw output and that output as ε̂ and x̂0. */
public record Prediction(INDArray output, INDArray eps, INDArray predX0) {
}
