package org.diffusionplayground.model.nn.transformer;

import static org.diffusionplayground.model.nn.transformer.DDiTKernels.gatedAdd;
import static org.diffusionplayground.model.nn.transformer.DDiTKernels.normModulate;

import java.util.HashMap;
import java.util.Map;
import org.diffusionplayground.model.nn.Gemm;
import org.diffusionplayground.model.nn.HeapArrays;
import org.diffusionplayground.model.nn.Sinusoid;
import org.diffusionplayground.model.runtime.OpClock;
import org.diffusionplayground.model.nn.transformer.DDiTKernels.Modulation;
import org.diffusionplayground.model.nn.transformer.DDiTLayout.Block;
import org.diffusionplayground.model.nn.transformer.DDiTLayout.Embedding;
import org.diffusionplayground.model.nn.transformer.DDiTLayout.FinalLayer;
import org.diffusionplayground.model.nn.transformer.DDiTLayout.TimeEmbedding;
import org.diffusionplayground.model.nn.transformer.DDiTLayout.TransformerBlock;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The DDiT's forward pass without SameDiff: the same {@link DDiTLayout}, weights and arithmetic
 * as {@link DDiTGraph}, as matrix products through {@link Gemm} (BLAS / oneDNN) with the steps
 * between them in the loops of {@link DDiTKernels}, into a {@link DDiTTape} kept per batch size.
 *
 * <p>Why: SameDiff's training session ran the DDiT several times slower than PyTorch on this CPU
 * (shared/ND4J-NOTES.md); the matrix products are what costs, and here nothing else does.
 * Tests check it against the graph's outputs. Weights are read on every call, so training
 * between calls is seen. Not thread-safe.
 */
final class DDiTForward {

    private final TransformerConfig config;
    private final DDiTLayout layout;
    private final Map<String, INDArray> weights;
    private final Gemm gemm;
    private final Rotary rotary;
    private final Map<Integer, DDiTTape> training = new HashMap<>(), inference = new HashMap<>();
    private DDiTTape tape;
    private float[] qkv = new float[0], heads = new float[0];

    DDiTForward(TransformerConfig config, Map<String, INDArray> weights, Gemm gemm) {
        this.config = config;
        this.layout = DDiTLayout.of(config);
        this.weights = weights;
        this.gemm = gemm;
        this.rotary = new Rotary(config.length(), config.headWidth());
    }

    /**
     * Runs the network on ids [B·L] (row-major) at times t [B]; the tape holds the logits [B·L, V+1]
     * and, when {@code forBackward}, every block's activations for {@link DDiTBackward}. Tapes are kept
     * by batch size, two of each kind.
     */
    DDiTTape run(int[] ids, float[] t, boolean forBackward) {
        int b = t.length;
        Map<Integer, DDiTTape> kept = forBackward ? training : inference;
        tape = kept.get(b);
        if (tape == null) {
            if (kept.size() >= 2) kept.clear(); // near-equal chunks come in at most two sizes
            tape = new DDiTTape(config, b, forBackward);
            kept.put(b, tape);
            if (qkv.length < tape.rows * 3 * tape.width) {
                qkv = new float[tape.rows * 3 * tape.width];
                heads = new float[tape.rows * tape.width];
            }
        }
        int layer = 0;
        for (Block block : layout.blocks()) {
            long t0 = OpClock.start();
            if (block instanceof Embedding e) embed(e, tape.ids = e.read(ids, tape.length)); // the backward pass scatters into these
            else if (block instanceof TimeEmbedding e) time(e, t);
            else if (block instanceof TransformerBlock e) block(e, tape.layers[layer++]);
            else if (block instanceof FinalLayer e) last(e);
            else throw new IllegalStateException("no forward pass for " + block);
            if (!(block instanceof TransformerBlock)) OpClock.lap(block.getClass().getSimpleName(), t0); // a block laps its own ops
        }
        return tape;
    }

    /** h = tokens[x_t] (x_t already shifted for the autoregressive model). */
    private void embed(Embedding e, int[] ids) {
        int d = e.width();
        java.nio.FloatBuffer tokens = w(e.name() + ".tokens").data().asNioFloat(); // [V+1, d], c order
        for (int r = 0; r < tape.rows; r++) tokens.get(ids[r] * d, tape.h, r * d, d);
    }

    /** c = SiLU(fc2(SiLU(fc1(sinusoid(t))))). */
    private void time(TimeEmbedding e, float[] t) {
        tape.feats = Sinusoid.features(t, e.features());
        tape.pre1 = dense(e.name() + ".fc1", tape.feats, tape.batch, new float[tape.batch * e.condDim()]);
        tape.c1 = DDiTKernels.silu(tape.pre1);
        tape.pre2 = dense(e.name() + ".fc2", tape.c1, tape.batch, new float[tape.batch * e.condDim()]);
        tape.c = DDiTKernels.silu(tape.pre2);
    }

    /** h += gate_a ⊙ attn(mod(LN(h))); h += gate_m ⊙ mlp(mod(LN(h))). */
    private void block(TransformerBlock e, DDiTTape.Layer y) {
        int b = tape.batch, l = tape.length, d = tape.width, n = tape.rows;
        long t = OpClock.start();
        dense(e.name() + ".ada", tape.c, b, y.ada);
        t = OpClock.lap("adaLN dense", t);
        normModulate(tape.h, b, l, d, new Modulation(y.ada, 6, 0, 1), y.xhat1, y.rstd1, y.ain);
        OpClock.lap("LayerNorm+modulate", t);
        attention(e, y);
        t = OpClock.start();
        gemm.times(y.o, n, w(e.name() + ".attn.out.w"), y.attn);
        t = OpClock.lap("matmul attention out", t);
        gatedAdd(tape.h, y.attn, b, l, d, y.ada, 6, 2);
        t = OpClock.lap("gated residual add", t);
        normModulate(tape.h, b, l, d, new Modulation(y.ada, 6, 3, 4), y.xhat2, y.rstd2, y.min);
        t = OpClock.lap("LayerNorm+modulate", t);
        dense(e.name() + ".mlp.fc", y.min, n, y.f);
        t = OpClock.lap("matmul MLP in", t);
        DDiTKernels.gelu(y.f, y.g, n * tape.hidden);
        t = OpClock.lap("GELU", t);
        dense(e.name() + ".mlp.proj", y.g, n, y.p);
        t = OpClock.lap("matmul MLP out", t);
        gatedAdd(tape.h, y.p, b, l, d, y.ada, 6, 5);
        OpClock.lap("gated residual add", t);
    }

    /**
     * Multi-head attention (Vaswani et al. 2017, "Attention is all you need", eq. 1) on ain:
     * o = softmax(q·kᵀ/√dh)·v per head, q and k rotated by {@link Rotary}, heads merged back to
     * [B·L, d]. Bidirectional, or causal (§3.2.3): the scores with j &gt; i set to −∞, so their
     * softmax weights are exactly 0 — and so are their gradients in {@link DDiTBackward}.
     */
    private void attention(TransformerBlock e, DDiTTape.Layer y) {
        int b = tape.batch, l = tape.length, d = tape.width, h = tape.heads, dh = tape.headWidth;
        long t = OpClock.start();
        gemm.times(y.ain, tape.rows, w(e.name() + ".attn.qkv.w"), qkv);
        t = OpClock.lap("matmul qkv", t);
        INDArray[] parts = {y.q, y.k, y.v};
        for (int p = 0; p < 3; p++) {
            DDiTKernels.splitHeads(qkv, 3 * d, p * d, b, l, h, dh, heads);
            if (p < 2) rotary.rotate(heads, b * h, false); // q, k
            HeapArrays.write(heads, parts[p], (int) parts[p].length());
        }
        t = OpClock.lap("split heads, rotary", t);
        Gemm.mmul(y.q, y.k, y.probs, false, true, 1 / Math.sqrt(dh));
        t = OpClock.lap("matmul attention scores", t);
        if (e.causal()) DDiTKernels.maskFuture(y.probs.data().asNioFloat(), b * h, l);
        Nd4j.exec(new SoftMax(y.probs, y.probs, 2)); // in place, on oneDNN: masked weights exactly 0
        // (a Java softmax here, exp by a Padé approximant, took 1.8–2.2 ms of the pass at batch 1
        // against oneDNN's 1.1–1.2, measured alternating)
        t = OpClock.lap("softmax", t);
        INDArray o = gemm.buffer("attn.o", (long) b * h, l, dh);
        Gemm.mmul(y.probs, y.v, o, false, false, 1);
        t = OpClock.lap("matmul attention·v", t);
        HeapArrays.read(o, heads, (int) o.length());
        DDiTKernels.mergeHeads(heads, b, l, h, dh, y.o, d, 0);
        OpClock.lap("merge heads", t);
    }

    /** logits = linear(mod(LN(h))). */
    private void last(FinalLayer e) {
        dense(e.name() + ".ada", tape.c, tape.batch, tape.adaF);
        normModulate(tape.h, tape.batch, tape.length, tape.width, new Modulation(tape.adaF, 2, 0, 1), tape.xhatF, tape.rstdF,
                tape.zin);
        dense(e.name() + ".linear", tape.zin, tape.rows, tape.logits);
    }

    /** out [m, ·] = x [m, ·]·W + b for the dense layer {@code name}; returns out. */
    private float[] dense(String name, float[] x, int m, float[] out) {
        gemm.times(x, m, w(name + ".w"), out);
        gemm.addBias(out, m, w(name + ".b"));
        return out;
    }

    private INDArray w(String name) {
        return weights.get(name);
    }
}
