/**
 * Sampling discrete diffusion models over token sequences: masked (absorbing-state) diffusion,
 * MDLM (Sahoo et al. 2024, "Simple and effective masked diffusion language models"), and, later,
 * uniform score-entropy diffusion, SEDD (Lou et al. 2023, "Discrete diffusion modeling by
 * estimating the ratios of the data distribution"); and the left-to-right baseline they are measured
against, one character per step ({@link org.diffusionplayground.model.sampling.tokens.LeftToRight}).
The Gaussian samplers' counterparts:
 * <ul>
 *   <li>{@link org.diffusionplayground.model.sampling.tokens.TokenModel} — the network behind one
 *       method, logits [B, L, V] from tokens [B, L] at t (cf. {@code Denoiser});</li>
 *   <li>{@link org.diffusionplayground.model.sampling.tokens.TokenSampler} — one reverse step from
 *       t to s &lt; t (cf. {@code Sampler});</li>
 *   <li>{@link org.diffusionplayground.model.sampling.tokens.TokenSamplingLoop} — the loop, on the
 *       same time-grid walk as {@code SamplingLoop} ({@code TimeGrid}).</li>
 * </ul>
 *
 * <h2>Glossary (names follow the papers)</h2>
 * <ul>
 *   <li>{@code z_t} — the noisy tokens at time t, int ids [B, L]; {@code x0} — the clean tokens.</li>
 *   <li>{@code s} — the time a reverse step moves to (s &lt; t); 0 at the final step (MDLM's
 *       notation; {@code tPrev} in the Gaussian loop).</li>
 *   <li>{@code B} batch, {@code L} sequence length, {@code V} vocabulary size (every id, the mask
 *       included).</li>
 *   <li>{@code [M]}, {@code maskToken} — the absorbing state of masked diffusion; for a left-to-right
 *       model, a position not yet written.</li>
 *   <li>{@code alpha} α_t — the probability that a token is still unmasked at t
 *       ({@code schedule.MaskingSchedule}); α_0 = 1, α_1 = 0.</li>
 *   <li>{@code nfe} — network function evaluations, one per call of the model.</li>
 * </ul>
 */
package org.diffusionplayground.model.sampling.tokens;
