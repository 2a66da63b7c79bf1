package org.diffusionplayground.model.sampling.tokens;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What the token loop reports after step {@code index} (0-based) of {@code total}: the time it
 * started from and went to, the new tokens z_s [B, L], the model's logits [B, L, V] at the start,
 * and the NFE so far. Arrays are the loop's own results, never modified later.
 */
public record TokenStepEvent(int index, int total, double t, double s, INDArray tokens, INDArray logits, int nfe) {
}
