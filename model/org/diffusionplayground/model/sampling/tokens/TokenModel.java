package org.diffusionplayground.model.sampling.tokens;

import org.diffusionplayground.model.schedule.GeometricNoise;
import org.diffusionplayground.model.schedule.MaskingSchedule;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A discrete diffusion model over token sequences: given the noisy tokens z_t [B, L] at time t, it
 * returns logits [B, L, V] over the vocabulary at every position. Networks, exact models of toy
 * data and test dummies all sit behind this one method, as Gaussian models sit behind
 * {@code Denoiser.predict}.
 *
 * <p>What the logits mean is the process's: for masked diffusion they are the model's
 * x_θ(z_t, t), the distribution of the clean token x0 at each position (MDLM, Sahoo et al. 2024,
 * "Simple and effective masked diffusion language models", the SUBS parameterisation); the
 * samplers ignore the mask's own logit. A score-entropy model (SEDD, Lou et al. 2023,
 * "Discrete diffusion modeling by estimating the ratios of the data distribution") returns its
 * log concrete scores log s_θ(z_t, t) in the same shape. A left-to-right (autoregressive) model
 * returns at position i the logits of x_i given the tokens before it, ignoring t; the positions
 * not yet written hold {@link #maskToken()} and cannot change the logits before them.
 */
public interface TokenModel {

    /**
     * @param tokens z_t [B, L], integer-valued ids in [0, V)
     * @param t      time in [0, 1] shared by the batch
     * @return logits [B, L, V]
     */
    INDArray logits(INDArray tokens, double t);

    /** V: the number of token ids, the mask included. */
    int vocabularySize();

    /** The absorbing state [M] of masked diffusion; −1 for a process without one (uniform). */
    default int maskToken() {
        return -1;
    }

    /** The masking schedule α_t a masked model was trained with (MDLM's linear one unless it says otherwise). */
    default MaskingSchedule maskingSchedule() {
        return MaskingSchedule.linear();
    }

    /** The noise σ̄(t) a uniform-process model was trained with (SEDD's geometric one unless it says otherwise). */
    default GeometricNoise uniformNoise() {
        return GeometricNoise.sedd();
    }

    /** Whether this is a masked (absorbing-state) model. */
    default boolean absorbing() {
        return maskToken() >= 0 && !autoregressive();
    }

    /**
     * Whether this is a left-to-right model (a causal network of p(x_i | x_&lt;i)), written one
     * position at a time by {@link LeftToRight}; its {@link #maskToken()} marks the positions not yet written.
     */
    default boolean autoregressive() {
        return false;
    }
}
