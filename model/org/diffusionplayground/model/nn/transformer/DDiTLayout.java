package org.diffusionplayground.model.nn.transformer;

import java.util.ArrayList;
import java.util.List;

/**
 * The DDiT of a {@link TransformerConfig} as one list of blocks in forward order, each naming
 * its weights with their shapes and initialisation: the single description that {@link DDiTGraph}
 * (the SameDiff graph, owner of the weights) walks, and that a hand-written pass will walk. SEDD's
 * DDiT (Lou et al. 2023, App. C) with rotary positions ({@link Rotary}) and DiT's adaLN-Zero (Peebles
 * &amp; Xie 2023, "Scalable diffusion models with transformers", §3.2):
 * <pre>
 *   embed        h = onehot(x_t)·tokens                                        [B, L, d]
 *   time         c = SiLU(fc2(SiLU(fc1(sinusoid(t)))))                          [B, c]
 *   blocks.i     (shift, scale, gate) × {attn, mlp} = ada(c)                   6 × [B, d]
 *                h += gate_a ⊙ attn(LN(h)·(1 + scale_a) + shift_a)
 *                h += gate_m ⊙ mlp(LN(h)·(1 + scale_m) + shift_m)
 *   final        logits = linear(LN(h)·(1 + scale) + shift), (shift, scale) = ada(c)   [B, L, V+1]
 * </pre>
 * LN has no affine parameters (adaLN supplies them, as in DiT); attn is multi-head bidirectional
 * softmax attention with a fused qkv projection, q and k rotated by position ({@link Rotary}),
 * and an output projection, without biases (SEDD's DDiT); mlp is fc → GELU (tanh form) → proj, with biases. Every ada layer and the final linear
 * layer start at zero (adaLN-Zero), so each block starts as the identity and the logits at 0.
 * The autoregressive model ({@link TransformerConfig#autoregressive()}) has the same weights; its
 * embedding reads the input shifted right by one ([M] = id V as the start token at position 0) and
 * its attention is causal (scores with j &gt; i set to −∞ before the softmax; Vaswani et al. 2017,
 * "Attention is all you need", §3.2.3), so position i's output depends on x_0 … x_{i−1} alone.
 * A block's name prefixes its weights ("blocks.0.attn.qkv.w", …): checkpoints match by name.
 * Dense weights are [in, out] (y = x·W + b). Column order, which a hand-written pass must follow:
 * {@code attn.qkv.w} [d, 3d] is q | k | v, each split into heads of d/heads consecutive columns;
 * a block's {@code ada.w} [c, 6d] is shift_a | scale_a | gate_a | shift_m | scale_m | gate_m; the
 * final {@code ada.w} [c, 2d] is shift | scale. The time features are [sin(t·f_k)…, cos(t·f_k)…]
 * ({@code nn.Sinusoid}).
 */
record DDiTLayout(List<Block> blocks) {

    DDiTLayout {
        blocks = List.copyOf(blocks);
    }

    /** How a weight starts: N(0, std²), or zero. */
    record Weight(String name, long[] shape, double std) {
        boolean zero() {
            return std == 0;
        }
    }

    /** One step of the network; its weights in creation order. */
    sealed interface Block permits Embedding, TimeEmbedding, TransformerBlock, FinalLayer {
        String name();

        List<Weight> weights();
    }

    /**
     * Token embedding [V+1, d] (GPT-2's N(0, 0.02²)); positions enter through the attention's {@link Rotary}.
     * When {@code shifted}, position i reads x_{i−1} and position 0 the start token, id rows − 1 ([M]).
     */
    record Embedding(String name, int rows, int width, boolean shifted) implements Block {
        public List<Weight> weights() {
            return List.of(new Weight(name + ".tokens", new long[] {rows, width}, 0.02));
        }

        /** The ids the embedding reads for ids [B·L] (row-major): the ids themselves, or shifted right by one. */
        int[] read(int[] ids, int length) {
            if (!shifted) return ids;
            int[] out = new int[ids.length];
            for (int r = 0; r < ids.length; r++) out[r] = r % length == 0 ? rows - 1 : ids[r - 1];
            return out;
        }
    }

    /** c = SiLU(fc2(SiLU(fc1(sinusoid(t))))), {@code features} → {@code condDim} → {@code condDim}. */
    record TimeEmbedding(String name, int features, int condDim) implements Block {
        public List<Weight> weights() {
            return List.of(lecun(name + ".fc1.w", features, condDim), bias(name + ".fc1.b", condDim),
                    lecun(name + ".fc2.w", condDim, condDim), bias(name + ".fc2.b", condDim));
        }
    }

    /** A pre-LN block with adaLN-Zero modulation: attention (causal: j ≤ i only) then MLP, each a gated residual. */
    record TransformerBlock(String name, int width, int heads, int mlpWidth, int condDim, boolean causal) implements Block {
        public List<Weight> weights() {
            return List.of(zero(name + ".ada.w", condDim, 6L * width), bias(name + ".ada.b", 6L * width),
                    lecun(name + ".attn.qkv.w", width, 3L * width), lecun(name + ".attn.out.w", width, width),
                    lecun(name + ".mlp.fc.w", width, mlpWidth), bias(name + ".mlp.fc.b", mlpWidth),
                    lecun(name + ".mlp.proj.w", mlpWidth, width), bias(name + ".mlp.proj.b", width));
        }
    }

    /** adaLN (shift, scale) then a linear layer d → V+1 logits, all starting at zero. */
    record FinalLayer(String name, int width, int condDim, int columns) implements Block {
        public List<Weight> weights() {
            return List.of(zero(name + ".ada.w", condDim, 2L * width), bias(name + ".ada.b", 2L * width),
                    zero(name + ".linear.w", width, columns), bias(name + ".linear.b", columns));
        }
    }

    /** The blocks of {@code config}: embedding, time embedding, N transformer blocks, final layer. */
    static DDiTLayout of(TransformerConfig config) {
        List<Block> blocks = new ArrayList<>();
        int rows = config.vocab() + 1;
        boolean causal = config.autoregressive();
        blocks.add(new Embedding("embed", rows, config.width(), causal));
        blocks.add(new TimeEmbedding("time", config.timeFeatures(), config.condDim()));
        for (int i = 0; i < config.layers(); i++) {
            blocks.add(new TransformerBlock("blocks." + i, config.width(), config.heads(),
                    config.mlpRatio() * config.width(), config.condDim(), causal));
        }
        blocks.add(new FinalLayer("final", config.width(), config.condDim(), rows));
        return new DDiTLayout(blocks);
    }

    /** Every weight of the network, in creation order. */
    List<Weight> weights() {
        return blocks.stream().flatMap(b -> b.weights().stream()).toList();
    }

    /** LeCun-normal, std 1/√fan-in (LeCun et al. 1998, "Efficient BackProp"). */
    private static Weight lecun(String name, long in, long out) {
        return new Weight(name, new long[] {in, out}, 1 / Math.sqrt(in));
    }

    private static Weight zero(String name, long in, long out) {
        return new Weight(name, new long[] {in, out}, 0);
    }

    private static Weight bias(String name, long n) {
        return new Weight(name, new long[] {n}, 0);
    }
}
