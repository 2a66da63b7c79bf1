package org.diffusionplayground.model.nn.transformer;

import org.diffusionplayground.model.nn.Sinusoid;
import org.diffusionplayground.model.nn.transformer.DDiTLayout.Block;
import org.diffusionplayground.model.nn.transformer.DDiTLayout.Embedding;
import org.diffusionplayground.model.nn.transformer.DDiTLayout.FinalLayer;
import org.diffusionplayground.model.nn.transformer.DDiTLayout.TimeEmbedding;
import org.diffusionplayground.model.nn.transformer.DDiTLayout.TransformerBlock;
import org.diffusionplayground.model.nn.transformer.DDiTLayout.Weight;
import org.diffusionplayground.model.sampling.Noise;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Builds the DDiT of a {@link TransformerConfig} as a SameDiff graph by walking its
 * {@link DDiTLayout}. The graph is the reference implementation and owns the weights; it defines
 * the network only. For training it also holds one vector–Jacobian product: a placeholder
 * "dlogits" g [B, L, V+1] and the scalar "vjp" = Σ logits ⊙ g, whose gradient with respect to
 * the weights is gᵀ·∂logits/∂θ — the loss's gradient by the chain rule when g = ∂loss/∂logits,
 * without the loss in the graph.
 *
 * <p>Placeholders: tokens [B, L] INT32, t [B] FLOAT. Output: "logits" [B, L, V+1]. Token
 * embedding as oneHot·table ({@code gather} fails in training, shared/ND4J-NOTES.md); GELU in its
 * tanh form written out (ND4J's gelu is the sigmoid approximation); LayerNorm written out with
 * ε = 1e-5 and no affine parameters.
 */
final class DDiTGraph {

    static final String TOKENS = "tokens", T = "t", LOGITS = "logits", DLOGITS = "dlogits", VJP = "vjp";
    static final double LN_EPS = 1e-5;

    private final TransformerConfig config;
    private final Rotary rotary;
    private final SameDiff sd = SameDiff.create();
    private SDVariable c; // [B, condDim]

    private DDiTGraph(TransformerConfig config) {
        this.config = config;
        this.rotary = new Rotary(config.length(), config.headWidth());
    }

    /** A freshly initialised graph, its weights drawn from {@code seed} in layout order. */
    static SameDiff build(TransformerConfig config, long seed) {
        DDiTGraph g = new DDiTGraph(config);
        DDiTLayout layout = DDiTLayout.of(config);
        Noise noise = new Noise(seed);
        for (Weight w : layout.weights()) {
            g.sd.var(w.name(), w.zero() ? Nd4j.zeros(DataType.FLOAT, w.shape()) : noise.normal(w.shape()).muli(w.std()));
        }
        g.define(layout);
        return g.sd;
    }

    private void define(DDiTLayout layout) {
        int l = config.length(), columns = config.vocab() + 1;
        SDVariable tokens = sd.placeHolder(TOKENS, DataType.INT32, -1, l);
        SDVariable t = sd.placeHolder(T, DataType.FLOAT, -1);
        SDVariable h = null;
        for (Block block : layout.blocks()) {
            if (block instanceof Embedding b) h = embed(b, tokens);
            else if (block instanceof TimeEmbedding b) c = time(b, t);
            else if (block instanceof TransformerBlock b) h = block(b, h);
            else if (block instanceof FinalLayer b) h = last(b, h);
            else throw new IllegalStateException("no graph for " + block);
        }
        SDVariable logits = sd.identity(LOGITS, h);
        SDVariable g = sd.placeHolder(DLOGITS, DataType.FLOAT, -1, l, columns);
        sd.sum(VJP, logits.mul(g));
        sd.setLossVariables(VJP);
    }

    /** onehot(x_t)·tokens → [B, L, d]; shifted: the ids padded with the start token on the left, the last one dropped. */
    private SDVariable embed(Embedding b, SDVariable tokens) {
        if (b.shifted()) {
            SDVariable left = sd.constant(Nd4j.createFromArray(new int[][] {{0, 0}, {1, 0}}));
            tokens = sd.nn.pad(tokens, left, b.rows() - 1).get(SDIndex.all(), SDIndex.interval(0, config.length())); // [B, L]
        }
        SDVariable oneHot = sd.oneHot(tokens, b.rows(), -1, 1.0, 0.0, DataType.FLOAT); // [B, L, V+1]
        SDVariable e = sd.mmul(sd.reshape(oneHot, -1, b.rows()), w(b.name() + ".tokens"));
        return sd.reshape(e, -1, config.length(), b.width());
    }

    /** c = SiLU(fc2(SiLU(fc1([sin(t·f_k)…, cos(t·f_k)…])))) with {@link Sinusoid}'s frequencies. */
    private SDVariable time(TimeEmbedding b, SDVariable t) {
        int half = b.features() / 2;
        float[] freqs = new float[half];
        for (int k = 0; k < half; k++) freqs[k] = Sinusoid.frequency(k, half);
        SDVariable phase = sd.reshape(t, -1, 1).mul(sd.constant(b.name() + ".freqs", Nd4j.create(freqs, 1, half)));
        SDVariable feats = sd.concat(1, sd.math.sin(phase), sd.math.cos(phase));
        SDVariable h = sd.nn.swish(linear(b.name() + ".fc1", feats));
        return sd.nn.swish(linear(b.name() + ".fc2", h));
    }

    /** h += gate_a ⊙ attn(mod(LN(h))); h += gate_m ⊙ mlp(mod(LN(h))). */
    private SDVariable block(TransformerBlock b, SDVariable h) {
        int d = b.width();
        SDVariable ada = sd.reshape(linear(b.name() + ".ada", c), -1, 6, 1, d);
        SDVariable[] m = sd.unstack(ada, 1, 6); // each [B, 1, d]: shift, scale, gate (attn), shift, scale, gate (mlp)
        SDVariable a = attention(b, modulate(layerNorm(h), m[0], m[1]));
        h = h.add(a.mul(m[2]));
        SDVariable f = mlp(b, modulate(layerNorm(h), m[3], m[4]));
        return h.add(f.mul(m[5]));
    }

    /** Multi-head attention (Vaswani et al. 2017, eq. 1) on x [B, L, d]: bidirectional, or causal (§3.2.3). */
    private SDVariable attention(TransformerBlock b, SDVariable x) {
        int l = config.length(), d = b.width(), heads = b.heads(), dh = d / heads;
        SDVariable qkv = sd.mmul(sd.reshape(x, -1, d), w(b.name() + ".attn.qkv.w")); // [B·L, 3d]
        SDVariable split = sd.permute(sd.reshape(qkv, -1, l, 3, heads, dh), 2, 0, 3, 1, 4); // [3, B, H, L, dh]
        SDVariable[] parts = sd.unstack(split, 0, 3);
        SDVariable q = rotate(parts[0]), k = rotate(parts[1]);
        SDVariable scores = sd.mmul(q, k, false, true, false).mul(1.0 / Math.sqrt(dh)); // [B, H, L, L]
        if (b.causal()) scores = scores.add(sd.constant(causalMask(l))); // −∞ where j > i: softmax weight exactly 0
        SDVariable o = sd.mmul(sd.nn.softmax(scores, 3), parts[2]); // [B, H, L, dh]
        SDVariable merged = sd.reshape(sd.permute(o, 0, 2, 1, 3), -1, d); // [B·L, d]
        return sd.reshape(sd.mmul(merged, w(b.name() + ".attn.out.w")), -1, l, d);
    }

    /** [L, L]: 0 where key j ≤ query i, −∞ above the diagonal. */
    private static INDArray causalMask(int l) {
        float[] m = new float[l * l];
        for (int i = 0; i < l; i++) for (int j = i + 1; j < l; j++) m[i * l + j] = Float.NEGATIVE_INFINITY;
        return Nd4j.create(m, new long[] {l, l}, 'c');
    }

    /** {@link Rotary}'s rotation of x [B, H, L, dh] as x ⊙ C + (x·R) ⊙ S, C and S [L, dh] broadcast. */
    private SDVariable rotate(SDVariable x) {
        int l = config.length(), dh = config.headWidth();
        SDVariable half = sd.reshape(sd.mmul(sd.reshape(x, -1, dh), sd.constant(rotary.rotateHalf())), -1, config.heads(), l, dh);
        return x.mul(sd.constant(rotary.cosines())).add(half.mul(sd.constant(rotary.sines())));
    }

    /** fc → GELU → proj on x [B, L, d]. */
    private SDVariable mlp(TransformerBlock b, SDVariable x) {
        int d = b.width();
        SDVariable hidden = gelu(linear(b.name() + ".mlp.fc", sd.reshape(x, -1, d)));
        return sd.reshape(linear(b.name() + ".mlp.proj", hidden), -1, config.length(), d);
    }

    /** logits = linear(mod(LN(h))) → [B, L, V+1]. */
    private SDVariable last(FinalLayer b, SDVariable h) {
        SDVariable ada = sd.reshape(linear(b.name() + ".ada", c), -1, 2, 1, b.width());
        SDVariable[] m = sd.unstack(ada, 1, 2); // shift, scale
        SDVariable x = sd.reshape(modulate(layerNorm(h), m[0], m[1]), -1, b.width());
        return sd.reshape(linear(b.name() + ".linear", x), -1, config.length(), b.columns());
    }

    /** x·(1 + scale) + shift, scale and shift [B, 1, d] broadcast over positions (DiT's modulate). */
    private static SDVariable modulate(SDVariable x, SDVariable shift, SDVariable scale) {
        return x.mul(scale.add(1.0)).add(shift);
    }

    /** (x − mean)/√(var + ε) over the last axis (Ba et al. 2016, "Layer normalization", eq. 4), no affine. */
    private SDVariable layerNorm(SDVariable x) {
        SDVariable centred = x.sub(sd.mean(x, true, 2));
        SDVariable var = sd.mean(sd.math.square(centred), true, 2);
        return centred.mul(sd.math.rsqrt(var.add(LN_EPS)));
    }

    /** GELU, tanh form (Hendrycks &amp; Gimpel 2016, "Gaussian error linear units", §2): ½x(1 + tanh(√(2/π)(x + 0.044715x³))). */
    private SDVariable gelu(SDVariable x) {
        SDVariable inner = x.add(sd.math.cube(x).mul(0.044715)).mul(Math.sqrt(2 / Math.PI));
        return x.mul(sd.math.tanh(inner).add(1.0)).mul(0.5);
    }

    /** x·W + b (mmul + add; see UNetGraph on sd.nn.linear's stale buffers). */
    private SDVariable linear(String name, SDVariable x) {
        return sd.mmul(x, w(name + ".w")).add(w(name + ".b"));
    }

    private SDVariable w(String name) {
        return sd.getVariable(name);
    }
}
