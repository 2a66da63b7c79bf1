package org.diffusionplayground.model.sampling;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What the loop reports after step {@code index} (0-based) of {@code total}: the time it started
 * from and went to, the new x, the model's x̂0 and raw output at the start, and the NFE so far.
 * Arrays are the loop's own results, never modified later; listeners may keep them.
 */
public record StepEvent(int index, int total, double t, double tPrev, INDArray x,
                        INDArray predX0, INDArray modelOutput, int nfe) {
}
