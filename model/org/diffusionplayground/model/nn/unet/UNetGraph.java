package org.diffusionplayground.model.nn.unet;

import java.util.HashMap;
import java.util.Map;
import org.diffusionplayground.model.nn.Sinusoid;
import org.diffusionplayground.model.nn.unet.UNetLayout.Attention;
import org.diffusionplayground.model.nn.unet.UNetLayout.Block;
import org.diffusionplayground.model.nn.unet.UNetLayout.Downsample;
import org.diffusionplayground.model.nn.unet.UNetLayout.Input;
import org.diffusionplayground.model.nn.unet.UNetLayout.Output;
import org.diffusionplayground.model.nn.unet.UNetLayout.Residual;
import org.diffusionplayground.model.nn.unet.UNetLayout.Upsample;
import org.diffusionplayground.model.sampling.Noise;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Builds the U-Net of a {@link UNetConfig} as a SameDiff graph by walking its {@link UNetLayout}
 * (DDPM's U-Net, Ho et al. 2020, "Denoising diffusion probabilistic models", App. B, cut down to
 * one residual block per level). The graph is the reference implementation and owns the weights;
 * it defines the network only — the loss is the objective's ({@code objective.MeanSquaredError}).
 *
 * <p>Conditioning: emb = MLP(sinusoid(1000·t)) + onehot(label)·table, added per channel inside
 * every residual block; the table has numClasses + 1 rows, the last one the null class of
 * classifier-free guidance (Ho &amp; Salimans 2022, "Classifier-free diffusion guidance").
 * Placeholders: x [B, 1, S, S] FLOAT (S = {@link UNetConfig#SIZE}), t [B] FLOAT, label [B] INT32.
 * Output: "out" [B, 1, S, S].
 *
 * <p>Speed choices (measured on ND4J 1.0.0-M2.1 with oneDNN): GroupNorm as reshape → standardize →
 * reshape with its per-channel affine as a 1×1 depthwise convolution (runs on oneDNN; a broadcast
 * multiply's gradient cost more than the convolutions); the label embedding as oneHot·table
 * ({@code gather} fails in SameDiff's training session); upsampling with {@code upsampling2d(x, 2, 2, true)} (the
 * two-argument form fails to infer its shape). Weights are drawn from a seeded {@link Noise}:
 * LeCun-normal (std 1/√fan-in), with the last conv of every residual branch and the output conv
 * zero (as guided-diffusion's zero_module), so each block starts as the identity.
 */
public final class UNetGraph {

    public static final String X = "x", T = "t", LABEL = "label", OUT = "out", DOUT = "dout", VJP = "vjp";

    private final UNetConfig config;
    private final SameDiff sd;
    private final Noise noise;
    private SDVariable emb; // [B, E], SiLU already applied

    private UNetGraph(UNetConfig config, long seed) {
        this.config = config;
        this.sd = SameDiff.create();
        this.noise = new Noise(seed);
    }

    /** A freshly initialised graph (weights from {@code seed}) with the output "out". */
    public static SameDiff build(UNetConfig config, long seed) {
        UNetGraph g = new UNetGraph(config, seed);
        g.define();
        return g.sd;
    }

    /** The blocks of the layout in order; weights are created (and drawn) in that order. */
    private void define() {
        int s = UNetConfig.SIZE;
        SDVariable x = sd.placeHolder(X, DataType.FLOAT, -1, UNetLayout.IMAGE_CHANNELS, s, s);
        SDVariable t = sd.placeHolder(T, DataType.FLOAT, -1);
        SDVariable label = sd.placeHolder(LABEL, DataType.INT32, -1);
        emb = sd.nn.swish(embedding(t, label));
        Map<String, SDVariable> outputs = new HashMap<>();
        SDVariable h = x;
        for (Block block : UNetLayout.of(config).blocks()) {
            h = block(block, h, outputs);
            outputs.put(block.name(), h);
        }
        SDVariable out = sd.identity(OUT, h);
        // the vector–Jacobian product for training on the graph: ∂(Σ out ⊙ g)/∂θ = gᵀ·∂out/∂θ, the
        // loss's gradient when g = ∂loss/∂out (the loss itself stays outside the graph)
        SDVariable g = sd.placeHolder(DOUT, DataType.FLOAT, -1, UNetLayout.IMAGE_CHANNELS, s, s);
        sd.sum(VJP, out.mul(g));
        sd.setLossVariables(VJP);
    }

    /** One block on input h; {@code outputs}: the earlier blocks' outputs by name (for skips). */
    private SDVariable block(Block block, SDVariable h, Map<String, SDVariable> outputs) {
        if (block instanceof Input b) return conv(b.name(), h, b.in(), b.out(), 3, 1, false);
        if (block instanceof Residual b) return res(b.name(), h, b.in(), b.out(), b.size());
        if (block instanceof Downsample b) {
            return conv(b.name(), h, b.channels(), b.channels(), 3, Downsample.STRIDE, false);
        }
        if (block instanceof Attention b) return attention(b.name(), h, b.channels(), b.size());
        if (block instanceof Upsample b) return sd.concat(1, sd.cnn.upsampling2d(h, 2, 2, true), outputs.get(b.skip()));
        if (block instanceof Output b) {
            SDVariable normed = sd.nn.swish(groupNorm(b.norm(), h, b.in(), b.size()));
            return conv(b.name(), normed, b.in(), b.out(), 3, 1, true);
        }
        throw new IllegalStateException("no graph for " + block);
    }

    /** emb = W2·SiLU(W1·sinusoid(1000 t)) + onehot(label)·table   → [B, E]. */
    private SDVariable embedding(SDVariable t, SDVariable label) {
        int half = config.timeFeatures() / 2, e = config.embedDim();
        // frequencies 10000^(−k/half), k = 0…half−1 (Vaswani et al. 2017, "Attention is all you need",
        // §3.5; DDPM's timestep embedding)
        float[] freqs = new float[half];
        for (int k = 0; k < half; k++) freqs[k] = Sinusoid.frequency(k, half);
        SDVariable phase = sd.reshape(t, -1, 1).mul(sd.constant("emb.freqs", Nd4j.create(freqs, 1, half)));
        SDVariable feats = sd.concat(1, sd.math.sin(phase), sd.math.cos(phase)); // [B, 2·half]
        SDVariable h = sd.nn.swish(linear("emb.time1", feats, 2 * half, e));
        h = linear("emb.time2", h, e, e);
        if (config.numClasses() == 0) return h;
        int rows = config.numClasses() + 1;
        SDVariable table = sd.var("emb.class", noise.normal(rows, e).muli(0.02f));
        SDVariable oneHot = sd.oneHot(label, rows, -1, 1.0, 0.0, DataType.FLOAT);
        return h.add(sd.mmul(oneHot, table));
    }

    /**
     * Residual block: h = conv(SiLU(GN(x))) + proj(emb); h = conv(SiLU(GN(h))); return h + skip(x),
     * skip a 1×1 conv when the channel count changes.
     */
    private SDVariable res(String name, SDVariable x, int in, int out, int size) {
        SDVariable h = conv(name + ".conv1", sd.nn.swish(groupNorm(name + ".norm1", x, in, size)), in, out, 3, 1, false);
        SDVariable shift = linear(name + ".emb", emb, config.embedDim(), out);
        h = h.add(sd.reshape(shift, -1, out, 1, 1));
        h = conv(name + ".conv2", sd.nn.swish(groupNorm(name + ".norm2", h, out, size)), out, out, 3, 1, true);
        SDVariable skip = in == out ? x : conv(name + ".skip", x, in, out, 1, 1, false);
        return h.add(skip);
    }

    /** Single-head self-attention over the size² positions (DDPM's 16×16 attention block). */
    private SDVariable attention(String name, SDVariable x, int c, int size) {
        int n = size * size;
        SDVariable h = groupNorm(name + ".norm", x, c, size);
        SDVariable q = sd.reshape(conv(name + ".q", h, c, c, 1, 1, false), -1, c, n);
        SDVariable k = sd.reshape(conv(name + ".k", h, c, c, 1, 1, false), -1, c, n);
        SDVariable v = sd.reshape(conv(name + ".v", h, c, c, 1, 1, false), -1, c, n);
        SDVariable scores = sd.mmul(q, k, true, false, false).mul(1.0 / Math.sqrt(c)); // [B, n, n]
        SDVariable attn = sd.nn.softmax(scores, 2);
        SDVariable o = sd.mmul(v, attn, false, true, false); // [B, c, n]: o_ci = Σ_j v_cj·attn_ij
        return x.add(conv(name + ".proj", sd.reshape(o, -1, c, size, size), c, c, 1, 1, true));
    }

    /**
     * GroupNorm (Wu &amp; He 2018, "Group normalization", eq. 1–2): standardise each group of channels over (channels, H, W), then a
     * per-channel scale and shift — here a 1×1 depthwise conv, which oneDNN runs. ND4J's
     * standardize has no ε, so an exactly constant group would divide by zero; a conv output with
     * a nonzero bias or input never is.
     */
    private SDVariable groupNorm(String name, SDVariable x, int c, int size) {
        int g = config.groups();
        SDVariable grouped = sd.reshape(x, -1, g, (long) (c / g) * size * size);
        SDVariable normed = sd.reshape(sd.math.standardize(grouped, 2), -1, c, size, size);
        SDVariable scale = sd.var(name + ".scale", Nd4j.ones(DataType.FLOAT, 1, 1, c, 1));
        SDVariable shift = sd.var(name + ".shift", Nd4j.zeros(DataType.FLOAT, c));
        Conv2DConfig one = Conv2DConfig.builder().kH(1).kW(1).sH(1).sW(1).dataFormat("NCHW").build();
        return sd.cnn.depthWiseConv2d(normed, scale, shift, one);
    }

    /** k×k convolution, padding k/2, weights [k, k, in, out] (ND4J's layout), bias [out]. */
    private SDVariable conv(String name, SDVariable x, int in, int out, int k, int stride, boolean zero) {
        INDArray w = zero ? Nd4j.zeros(DataType.FLOAT, k, k, in, out)
                : noise.normal(k, k, in, out).muli(1.0 / Math.sqrt((double) k * k * in));
        SDVariable weight = sd.var(name + ".w", w);
        SDVariable bias = sd.var(name + ".b", Nd4j.zeros(DataType.FLOAT, out));
        Conv2DConfig cfg = Conv2DConfig.builder().kH(k).kW(k).sH(stride).sW(stride)
                .pH(k / 2).pW(k / 2).dataFormat("NCHW").build();
        return sd.cnn.conv2d(x, weight, bias, cfg);
    }

    private SDVariable linear(String name, SDVariable x, int in, int out) {
        SDVariable w = sd.var(name + ".w", noise.normal(in, out).muli(1.0 / Math.sqrt(in)));
        SDVariable b = sd.var(name + ".b", Nd4j.zeros(DataType.FLOAT, out));
        // mmul + add, not sd.nn.linear: xw_plus_b returned stale values when the inference
        // session handed it a recycled output buffer (outputs varied call to call; measured).
        return sd.mmul(x, w).add(b);
    }
}
