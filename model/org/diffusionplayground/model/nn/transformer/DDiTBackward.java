package org.diffusionplayground.model.nn.transformer;

import static org.diffusionplayground.model.nn.transformer.DDiTKernels.gatedAddBackward;
import static org.diffusionplayground.model.nn.transformer.DDiTKernels.normModulateBackward;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.diffusionplayground.model.nn.Gemm;
import org.diffusionplayground.model.nn.HeapArrays;
import org.diffusionplayground.model.nn.SoftmaxGradient;
import org.diffusionplayground.model.runtime.OpClock;
import org.diffusionplayground.model.nn.transformer.DDiTKernels.Modulation;
import org.diffusionplayground.model.nn.transformer.DDiTLayout.Block;
import org.diffusionplayground.model.nn.transformer.DDiTLayout.Embedding;
import org.diffusionplayground.model.nn.transformer.DDiTLayout.FinalLayer;
import org.diffusionplayground.model.nn.transformer.DDiTLayout.TimeEmbedding;
import org.diffusionplayground.model.nn.transformer.DDiTLayout.TransformerBlock;
import org.diffusionplayground.model.nn.transformer.DDiTLayout.Weight;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The gradients of the DDiT's weights by hand: {@link DDiTForward}'s steps in reverse over its
 * {@link DDiTTape}, given dL/dlogits. Each dense layer y = x·W + b gives dW = xᵀ·dy, db = Σ dy,
 * dx = dy·Wᵀ; the element-wise steps' gradients are in {@link DDiTKernels}; attention's are
 * dV = Pᵀ·dO, dP = dO·Vᵀ, dS = P ⊙ (dP − rowsum(P ⊙ dP)), dQ = dS·K/√dh, dK = dSᵀ·Q/√dh.
 * Causal attention needs nothing more: its masked weights are exactly 0 in P, so dS is 0 there.
 * The embedding's gradient goes to the rows it read (the shifted ids, for the autoregressive model).
 * Tests check it against SameDiff's gradients of the graph and against finite differences.
 */
final class DDiTBackward {

    private final DDiTLayout layout;
    private final Map<String, INDArray> weights;
    private final Gemm gemm;
    private final Rotary rotary;
    private final Map<String, float[]> scratch = new HashMap<>();
    private final Map<String, INDArray> held = new HashMap<>();
    private DDiTTape tape;
    private Map<String, INDArray> grads;
    private float[] dh, dc;

    DDiTBackward(TransformerConfig config, Map<String, INDArray> weights, Gemm gemm) {
        this.layout = DDiTLayout.of(config);
        this.weights = weights;
        this.gemm = gemm;
        this.rotary = new Rotary(config.length(), config.headWidth());
    }

    /** dL/dθ by weight name (layout order; arrays kept and overwritten by the next call) for the pass on {@code tape} and dlogits [B·L, V+1]. */
    Map<String, INDArray> run(DDiTTape tape, float[] dlogits) {
        if (!tape.forBackward) throw new IllegalArgumentException("the tape of an inference pass keeps no activations to differentiate");
        this.tape = tape;
        grads = new HashMap<>();
        dh = new float[tape.rows * tape.width];
        dc = new float[tape.batch * tape.condDim];
        var blocks = layout.blocks();
        int layer = tape.layers.length;
        for (int i = blocks.size() - 1; i >= 0; i--) {
            Block block = blocks.get(i);
            long t0 = OpClock.start();
            if (block instanceof FinalLayer e) last(e, dlogits);
            else if (block instanceof TransformerBlock e) block(e, tape.layers[--layer]);
            else if (block instanceof TimeEmbedding e) time(e);
            else if (block instanceof Embedding e) embed(e);
            else throw new IllegalStateException("no backward pass for " + block);
            if (!(block instanceof TransformerBlock)) OpClock.lap("bp: " + block.getClass().getSimpleName(), t0);
        }
        Map<String, INDArray> ordered = new LinkedHashMap<>();
        for (Weight w : layout.weights()) ordered.put(w.name(), grads.get(w.name()));
        return ordered;
    }

    private void last(FinalLayer e, float[] dz) {
        int n = tape.rows, d = tape.width;
        float[] dzin = scratch("dzin", n * d);
        dense(e.name() + ".linear", tape.zin, n, d, dz, e.columns(), dzin);
        float[] dAda = new float[tape.batch * 2 * d];
        normModulateBackward(dzin, tape.batch, tape.length, d, new Modulation(tape.adaF, 2, 0, 1), tape.xhatF, tape.rstdF,
                dAda, dh);
        condition(e.name() + ".ada", dAda, 2 * d);
    }

    private void block(TransformerBlock e, DDiTTape.Layer y) {
        int b = tape.batch, l = tape.length, d = tape.width, n = tape.rows, hidden = tape.hidden;
        float[] dAda = new float[b * 6 * d];
        // h2 = h1 + gate_m ⊙ mlp(mod(LN(h1)))
        long t = OpClock.start();
        float[] dp = scratch("dd", n * d), dg = scratch("dhidden", n * hidden), dmin = scratch("dd2", n * d);
        gatedAddBackward(dh, y.p, b, l, d, y.ada, 6, 5, dAda, dp);
        t = OpClock.lap("bp: gated residual add", t);
        dense(e.name() + ".mlp.proj", y.g, n, hidden, dp, d, dg);
        t = OpClock.lap("bp: matmul MLP out", t);
        DDiTKernels.geluBackward(y.f, dg, n * hidden);
        t = OpClock.lap("bp: GELU", t);
        dense(e.name() + ".mlp.fc", y.min, n, d, dg, hidden, dmin);
        t = OpClock.lap("bp: matmul MLP in", t);
        normModulateBackward(dmin, b, l, d, new Modulation(y.ada, 6, 3, 4), y.xhat2, y.rstd2, dAda, dh);
        t = OpClock.lap("bp: LayerNorm+modulate", t);
        // h1 = h + gate_a ⊙ attn(mod(LN(h)))
        float[] dattn = scratch("dd", n * d), dout = scratch("dd2", n * d);
        gatedAddBackward(dh, y.attn, b, l, d, y.ada, 6, 2, dAda, dattn);
        t = OpClock.lap("bp: gated residual add", t);
        gemm.denseBackward(y.o, n, d, dattn, d, w(e.name() + ".attn.out.w"), held(e.name() + ".attn.out.w"), dout);
        OpClock.lap("bp: matmul attention out", t);
        float[] dqkv = attention(y, dout), dain = scratch("dd", n * d);
        t = OpClock.start();
        gemm.denseBackward(y.ain, n, d, dqkv, 3 * d, w(e.name() + ".attn.qkv.w"), held(e.name() + ".attn.qkv.w"), dain);
        t = OpClock.lap("bp: matmul qkv", t);
        normModulateBackward(dain, b, l, d, new Modulation(y.ada, 6, 0, 1), y.xhat1, y.rstd1, dAda, dh);
        t = OpClock.lap("bp: LayerNorm+modulate", t);
        condition(e.name() + ".ada", dAda, 6 * d);
        OpClock.lap("bp: adaLN dense", t);
    }

    /** dqkv [B·L, 3d] from do [B·L, d] through the heads' softmax attention. */
    private float[] attention(DDiTTape.Layer y, float[] dout) {
        int b = tape.batch, l = tape.length, d = tape.width, h = tape.heads, dh = tape.headWidth;
        long bh = (long) b * h;
        long t = OpClock.start();
        float[] heads = scratch("heads", tape.rows * d), dqkv = scratch("dqkv", tape.rows * 3 * d);
        DDiTKernels.splitHeads(dout, d, 0, b, l, h, dh, heads);
        INDArray dO = gemm.stage("attn.dO", heads, bh, l, dh);
        INDArray dP = gemm.buffer("attn.dP", bh, l, l), dQ = gemm.buffer("attn.dQ", bh, l, dh),
                dK = gemm.buffer("attn.dK", bh, l, dh), dV = gemm.buffer("attn.dV", bh, l, dh);
        t = OpClock.lap("bp: split heads", t);
        Gemm.mmul(dO, y.v, dP, false, true, 1);
        Gemm.mmul(y.probs, dO, dV, true, false, 1);
        t = OpClock.lap("bp: matmul attention·v", t);
        SoftmaxGradient.rows(y.probs.data().asNioFloat(), dP.data().asNioFloat(), (int) bh * l, l);
        t = OpClock.lap("bp: softmax", t);
        double scale = 1 / Math.sqrt(dh);
        Gemm.mmul(dP, y.k, dQ, false, false, scale);
        Gemm.mmul(dP, y.q, dK, true, false, scale);
        t = OpClock.lap("bp: matmul attention scores", t);
        INDArray[] parts = {dQ, dK, dV};
        for (int p = 0; p < 3; p++) {
            HeapArrays.read(parts[p], heads, (int) parts[p].length());
            if (p < 2) rotary.rotate(heads, b * h, true); // the rotation's gradient: the inverse rotation
            DDiTKernels.mergeHeads(heads, b, l, h, dh, dqkv, 3 * d, p * d);
        }
        OpClock.lap("bp: rotary, merge heads", t);
        return dqkv;
    }

    /** c = SiLU(fc2(SiLU(fc1(feats)))) given dc. */
    private void time(TimeEmbedding e) {
        int b = tape.batch, cd = e.condDim();
        float[] dpre2 = DDiTKernels.siluBackward(tape.pre2, dc), dc1 = new float[b * cd];
        dense(e.name() + ".fc2", tape.c1, b, cd, dpre2, cd, dc1);
        float[] dpre1 = DDiTKernels.siluBackward(tape.pre1, dc1);
        gemm.denseBackward(tape.feats, b, e.features(), dpre1, cd, w(e.name() + ".fc1.w"), held(e.name() + ".fc1.w"), null);
        grads.put(e.name() + ".fc1.b", Gemm.columnSums(dpre1, b, cd, grad(e.name() + ".fc1.b")));
    }

    /** h = tokens[x_t] given dh: rows scattered into the table. */
    private void embed(Embedding e) {
        int d = e.width();
        float[] dTokens = new float[e.rows() * d];
        for (int r = 0; r < tape.rows; r++) {
            int id = tape.ids[r];
            for (int c = 0; c < d; c++) dTokens[id * d + c] += dh[r * d + c];
        }
        INDArray tokens = grad(e.name() + ".tokens");
        HeapArrays.write(dTokens, tokens, (int) tokens.length());
        grads.put(e.name() + ".tokens", tokens);
    }

    /** The ada layer {@code name} (c → width) given dAda: its gradients, and dc += dAda·Wᵀ. */
    private void condition(String name, float[] dAda, int width) {
        float[] part = new float[dc.length];
        dense(name, tape.c, tape.batch, tape.condDim, dAda, width, part);
        for (int i = 0; i < dc.length; i++) dc[i] += part[i];
    }

    /** Dense layer y = x·W + b, x [m, k], given dy [m, n]: dW, db into the gradients, dx [m, k] written. */
    private void dense(String name, float[] x, int m, int k, float[] dy, int n, float[] dx) {
        gemm.denseBackward(x, m, k, dy, n, w(name + ".w"), held(name + ".w"), dx);
        grads.put(name + ".b", Gemm.columnSums(dy, m, n, grad(name + ".b")));
    }

    /** {@link #grad}, entered in this call's gradients, for a product to write into. */
    private INDArray held(String name) {
        INDArray g = grad(name);
        grads.put(name, g);
        return g;
    }

    /** The gradient array of weight {@code name}, kept from call to call (the Network contract: live, overwritten). */
    private INDArray grad(String name) {
        return held.computeIfAbsent(name, k -> Nd4j.create(DataType.FLOAT, weights.get(k).shape()));
    }

    private float[] scratch(String name, int n) {
        float[] a = scratch.get(name);
        if (a == null || a.length < n) scratch.put(name, a = new float[n]);
        return a;
    }

    private INDArray w(String name) {
        return weights.get(name);
    }
}
