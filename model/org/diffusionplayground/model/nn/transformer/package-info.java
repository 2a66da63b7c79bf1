/**
 * The DDiT: a bidirectional transformer conditioned on the noise level, for discrete diffusion on
 * token sequences (SEDD, Lou et al. 2023, App. C; adaLN-Zero from DiT, Peebles &amp; Xie 2023).
 * {@link org.diffusionplayground.model.nn.transformer.TransformerConfig} sizes it,
 * {@code DDiTLayout} describes it once as a list of blocks, {@code DDiTGraph} builds that list in
 * SameDiff (the reference, owner of the weights) and
 * {@link org.diffusionplayground.model.nn.transformer.Transformer} trains it through the
 * {@code Network} contract. Made causal (input shifted right by one, attention to earlier
 * positions only), the same network is the left-to-right baseline, process "autoregressive".
 *
 * <p>Glossary: V real tokens, [M] = id V the mask; L the context length; d the width; c the
 * conditioning vector from t; x_t the (partly masked) input, x0 the clean text; logits [B, L, V+1].
 */
package org.diffusionplayground.model.nn.transformer;
