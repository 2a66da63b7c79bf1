package org.diffusionplayground.model.sampling.tokens;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One reverse step of a discrete diffusion process. An instance belongs to one run and draws its
 * random numbers from the seeded {@code Noise} it was made with; the loop reads the NFE off the
 * {@link TokenModelFn}.
 */
public interface TokenSampler {

    /**
     * Moves the tokens from time t to s &lt; t; s = 0 is the final step to clean tokens.
     *
     * @param tokens z_t [B, L] (int), never modified
     * @return z_s and the model's logits at (z_t, t)
     */
    Step step(TokenModelFn model, INDArray tokens, double t, double s);

    /** The result of one step: the new tokens z_s [B, L] and the logits [B, L, V] at the old ones. */
    record Step(INDArray tokens, INDArray logits) {
    }
}
