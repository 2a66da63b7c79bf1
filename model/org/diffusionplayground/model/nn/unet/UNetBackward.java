package org.diffusionplayground.model.nn.unet;

import org.diffusionplayground.model.nn.Gemm;
import org.diffusionplayground.model.nn.GroupNormSilu;
import org.diffusionplayground.model.nn.Strip;
import org.diffusionplayground.model.nn.HeapArrays;
import org.diffusionplayground.model.nn.NativeOp;
import org.diffusionplayground.model.nn.OneDnnConvBackward;
import org.diffusionplayground.model.nn.SoftmaxGradient;
import org.diffusionplayground.model.nn.Views;
import org.diffusionplayground.model.runtime.OpClock;
import org.diffusionplayground.model.nn.unet.UNetLayout.Attention;
import org.diffusionplayground.model.nn.unet.UNetLayout.Block;
import org.diffusionplayground.model.nn.unet.UNetLayout.Downsample;
import org.diffusionplayground.model.nn.unet.UNetLayout.Input;
import org.diffusionplayground.model.nn.unet.UNetLayout.Output;
import org.diffusionplayground.model.nn.unet.UNetLayout.Residual;
import org.diffusionplayground.model.nn.unet.UNetLayout.Upsample;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.function.BiConsumer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The backward pass of {@link UNetInference#forward}: dL/dθ for every weight of the
 * {@link UNetGraph}, given dL/d(out), by the chain rule block by block, walking the
 * {@link UNetLayout} in reverse. Convolution gradients come from oneDNN (its primitives kept per
 * layer, {@link OneDnnConvBackward}, or ND4J's {@code conv2d_bp} where those are not available), GroupNorm+SiLU gradients from the fused Java kernel
 * {@link GroupNormSilu#backward}, the embedding MLP and the attention softmax from plain Java.
 * Weight gradients are allocated once per batch size; the returned gradients are live arrays,
 * overwritten by the next call. Gradients of activations live only until the op before them has
 * used them, so their buffers are pooled by shape and reused ({@link #acquire}, {@link #release}):
 * the walk holds a few at a time, not one per op (the reference U-Net at batch 64: 190 MB of them
 * before).
 *
 * <p>Each block's input is the previous block's output as the forward pass recorded it on the
 * {@link Tape} by name ({@link Tape#outputs}); a skip connection's gradient waits, by the name of
 * the block it came from, until the walk reaches that block's output and is added there.
 *
 * <p>Why not SameDiff's own backward: its gradient graph runs ~3× the ops of the forward graph
 * through the same per-op session overhead, and keeps every activation and gradient as a fresh
 * array each step (measured on ND4J 1.0.0-M2.1: 2.2–2.9 s and 3.7–4 GB per batch-64 step of the
 * reference model). Checked against SameDiff's gradients of the same loss in UNetGradientsTest.
 */
final class UNetBackward {

    private final UNetInference net;
    private final Map<String, INDArray> grads = new LinkedHashMap<>();
    /** Activation-gradient buffers not in use, by shape; those handed out by {@link #acquire}. */
    private final Map<List<Long>, java.util.Deque<INDArray>> free = new HashMap<>();
    private final java.util.Set<INDArray> inUse = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    private final Map<List<Long>, INDArray> scratch = new HashMap<>();
    private final Map<String, NativeOp> convOps = new HashMap<>();
    /** Each conv's oneDNN gradient primitives for the current batch size ({@link OneDnnConvBackward}), where the pass uses oneDNN. */
    private final Map<String, OneDnnConvBackward> directConvs = new HashMap<>();
    private Tape tape;
    private float[] dEmb;

    /** The most samples per {@code conv2d_bp} call at 14×14 and above (see {@link #convBack}). */
    static final int CHUNK = 32;

    UNetBackward(UNetInference net) {
        this.net = net;
    }

    /** dL/dθ by weight name, after {@code net.forward(…, tape)}, for dL/d(out) [B, 1, S, S]. */
    Map<String, INDArray> run(Tape tape, INDArray dOut) {
        this.tape = tape;
        dEmb = new float[batch() * net.config().embedDim()];
        List<Block> blocks = net.layout().blocks();
        Map<String, INDArray> skipGrads = new HashMap<>(); // dL/d(a block's output) through a skip
        INDArray d = dOut.reshape(dOut.size(0), dOut.size(2), dOut.size(3), dOut.size(1)); // NHWC, one channel: the same values; dL/d(output of block i)
        for (int i = blocks.size() - 1; i >= 0; i--) {
            Block block = blocks.get(i);
            INDArray viaSkip = skipGrads.remove(block.name());
            if (viaSkip != null) {
                long t0 = OpClock.start();
                d.addi(viaSkip);
                OpClock.lap("bp: add", t0);
                release(viaSkip);
            }
            INDArray input = i == 0 ? tape.input : tape.outputs.get(blocks.get(i - 1).name());
            INDArray next = backward(block, input, d, skipGrads);
            release(d); // used: every block's backward returns a new buffer
            d = next;
        }
        release(d); // dL/d(input): not needed
        if (!skipGrads.isEmpty()) throw new IllegalStateException("skips from no block: " + skipGrads.keySet());
        long t0 = OpClock.start();
        embeddingBack();
        OpClock.lap("bp: time/class embedding", t0);
        return grads;
    }

    /** dL/d(input) of one block, given its input and dL/d(its output); a skip's share into skipGrads. */
    private INDArray backward(Block block, INDArray input, INDArray dy, Map<String, INDArray> skipGrads) {
        if (block instanceof Input b) return convBack(b.name(), input, dy);
        if (block instanceof Residual b) return resBack(b, input, dy);
        if (block instanceof Downsample b) return convBack(b.name(), input, dy, Downsample.STRIDE);
        if (block instanceof Attention b) return attentionBack(b.name(), b.channels(), b.size(), dy);
        if (block instanceof Upsample b) {
            INDArray[] parts = catBack(b.name(), dy, b.channels(), b.skipChannels(), b.size());
            skipGrads.put(b.skip(), parts[1]);
            return parts[0];
        }
        if (block instanceof Output b) {
            INDArray d = convBack(b.name(), buffer(b.norm()), dy); // the conv's input: the norm's buffer
            return consumed(normBack(b.norm(), d, b.in(), b.size(), null, true, null), d);
        }
        throw new IllegalStateException("no backward pass for " + block);
    }

    /**
     * Residual block y = conv2(silu(GN2(conv1(silu(GN1(x))) + shift))) + skip(x): returns dL/dx
     * and records dL/dshift for {@link #embeddingBack}.
     */
    private INDArray resBack(Residual block, INDArray x, INDArray dy) {
        String name = block.name();
        int in = block.in(), out = block.out(), size = block.size();
        INDArray d = convBack(name + ".conv2", buffer(name + ".norm2"), dy);
        float[] dShift = new float[batch() * out];
        d = consumed(normBack(name + ".norm2", d, out, size, tape.shifts.get(name), true, dShift), d);
        long t0 = OpClock.start();
        blockEmbeddingBack(name, dShift);
        OpClock.lap("bp: shift dense", t0);
        d = consumed(convBack(name + ".conv1", buffer(name + ".norm1"), d), d);
        d = consumed(normBack(name + ".norm1", d, in, size, null, true, null), d);
        if (in == out) return added(d, dy);
        INDArray viaSkip = convBack(name + ".skip", x, dy);
        return consumed(added(d, viaSkip), viaSkip);
    }

    /** Attention x + proj(v·softmax(qᵀk/√c)ᵀ) (see {@link UNetInference}): returns dL/dx. */
    private INDArray attentionBack(String name, int c, int size, INDArray dy) {
        Tape.Attention a = tape.attention.get(name);
        int b = batch(), n = size * size;
        INDArray dProj = convBack(name + ".proj", a.o(), dy), dO = Views.reshaped(dProj, b, n, c);
        long t0 = OpClock.start();
        INDArray dV = acquire(b, size, size, c), dA = acquire(b, n, n), dQ = acquire(b, size, size, c), dK = acquire(b, size, size, c);
        Gemm.mmul(a.weights(), dO, Views.reshaped(dV, b, n, c), true, false, 1); // o = A·v ⇒ dv = Aᵀ·do
        Gemm.mmul(dO, a.v(), dA, false, true, 1);                                 // dA_ij = Σ_c do_ic·v_jc
        release(dProj);
        java.nio.FloatBuffer weights = a.weights().data().asNioFloat().slice((int) a.weights().offset(), b * n * n);
        SoftmaxGradient.rows(weights, dA.data().asNioFloat(), b * n, n); // dA becomes dS
        Gemm.mmul(dA, a.k(), Views.reshaped(dQ, b, n, c), false, false, 1 / Math.sqrt(c)); // S = q·kᵀ/√c
        Gemm.mmul(dA, a.q(), Views.reshaped(dK, b, n, c), true, false, 1 / Math.sqrt(c));
        release(dA);
        OpClock.lap("bp: attention matmul+softmax", t0);
        INDArray dNormed = convBack(name + ".q", a.normed(), dQ);
        INDArray viaK = convBack(name + ".k", a.normed(), dK);
        INDArray viaV = convBack(name + ".v", a.normed(), dV);
        added(added(dNormed, viaK), viaV);
        for (INDArray used : new INDArray[] {dQ, dK, dV, viaK, viaV}) release(used);
        return consumed(added(normBack(name + ".norm", dNormed, c, size, null, false, null), dy), dNormed);
    }

    /**
     * Nearest ×2 upsampling of [B,s,s,ch] concatenated with a skip [B,2s,2s,cs] (NHWC): {dL/dsmall,
     * dL/dskip}, a sample at a time through heap arrays of one sample each (see the forward pass).
     */
    private INDArray[] catBack(String name, INDArray dCat, int ch, int cs, int s) {
        int b = batch(), big = 2 * s, width = ch + cs, smallPer = s * s * ch, skipPer = big * big * cs,
                catPer = big * big * width;
        long t0 = OpClock.start();
        float[] d = net.buffers().heap("cat", catPer), small = net.buffers().heap("up", smallPer),
                skip = net.buffers().heap("skip", skipPer);
        INDArray dSmall = acquire(b, s, s, ch), dSkip = acquire(b, big, big, cs);
        Strip cats = Strip.of(dCat), smalls = Strip.of(dSmall), skips = Strip.of(dSkip);
        float[] sum = new float[ch], part = new float[ch]; // staged at index 0, so C2 vectorises the adds
        for (int i = 0; i < b; i++) {
            cats.read(i * catPer, d, catPer);
            for (int y = 0; y < s; y++) {
                for (int x = 0; x < s; x++) { // a small pixel: the sum over the four big pixels it became
                    java.util.Arrays.fill(sum, 0f);
                    for (int k = 0; k < 4; k++) {
                        int pixel = (2 * y + k / 2) * big + 2 * x + k % 2, from = pixel * width;
                        System.arraycopy(d, from, part, 0, ch);
                        for (int c = 0; c < ch; c++) sum[c] += part[c];
                        System.arraycopy(d, from + ch, skip, pixel * cs, cs);
                    }
                    System.arraycopy(sum, 0, small, (y * s + x) * ch, ch);
                }
            }
            smalls.write(i * smallPer, small, smallPer);
            skips.write(i * skipPer, skip, skipPer);
        }
        OpClock.lap("bp: upsample+concat", t0);
        return new INDArray[] {dSmall, dSkip};
    }

    /** GroupNorm(+SiLU) of this name: dL/d(its input); dL/dγ, dL/dβ into the gradients. */
    private INDArray normBack(String name, INDArray dy, int c, int size, float[] shift, boolean silu, float[] dShift) {
        INDArray x = tape.normInputs.get(name);
        int b = batch(), pixels = size * size, groups = net.config().groups();
        long t0 = OpClock.start();
        float[] gamma = net.floats(name + ".scale"), beta = net.floats(name + ".shift");
        double[] kept = tape.moments.get(name);
        INDArray dx = acquire(x.shape());
        // a sample at a time (inside backward), as the forward pass: its values stay in the core's cache
        // between the two passes (the whole batch at once, up to 19 MB an array, went through memory
        // three times more); dx keeps dL/dz between them
        BiConsumer<int[], float[][]> part = (range, sums) -> GroupNormSilu.backward(Strip.of(x), Strip.of(dy), range[0], range[1],
                c, pixels, groups, shift, gamma, beta, silu, Strip.of(dx), sums[0], sums[1], dShift, kept);
        float[] dGamma = new float[c], dBeta = new float[c];
        if (b < 2 || !net.parallel()) {
            part.accept(new int[] {0, b}, new float[][] {dGamma, dBeta});
        } else { // second half of the batch on a pool thread, with its own dγ, dβ
            float[] dGamma2 = new float[c], dBeta2 = new float[c];
            ForkJoinTask<?> other = ForkJoinPool.commonPool().submit(() -> part.accept(new int[] {b / 2, b},
                    new float[][] {dGamma2, dBeta2}));
            part.accept(new int[] {0, b / 2}, new float[][] {dGamma, dBeta});
            other.join();
            for (int i = 0; i < c; i++) {
                dGamma[i] += dGamma2[i];
                dBeta[i] += dBeta2[i];
            }
        }
        set(name + ".scale", dGamma);
        set(name + ".shift", dBeta);
        OpClock.lap(silu ? "bp: GroupNorm+SiLU" : "bp: GroupNorm", t0);
        return dx;
    }

    private INDArray convBack(String name, INDArray input, INDArray dy) {
        return convBack(name, input, dy, 1);
    }

    /**
     * k×k conv (padding k/2, stride s) of this name: dL/d(its input); dL/dW, dL/db into the
     * gradients. With oneDNN's own primitives (direct convolutions) the whole batch at once: 64
     * samples of 192→64 at 14×14 took 29 ms, against 180 ms in one {@code conv2d_bp} (measured, one
     * core). Through {@code conv2d_bp}, at 14×14 and above, {@link #CHUNK} samples at a time, the
     * weight gradients summed: it chose avx512 Winograd backward-data, 4–6× slower on 64 samples of
     * the reference U-Net's up-path convs than on two calls of 32 (192 against 31 ms).
     */
    private INDArray convBack(String name, INDArray input, INDArray dy, int s) {
        INDArray w = net.weight(name + ".w"), bias = net.weight(name + ".b"), dw = grad(name + ".w"), db = grad(name + ".b");
        int k = (int) w.size(0), b = (int) input.size(0);
        INDArray dx = acquire(input.shape());
        long t0 = OpClock.start();
        if (k == 1 && s == 1) {
            pointwiseBack(input, dy, w, dx, dw, db);
            if (OpClock.running()) OpClock.lap("bp: " + UNetInference.convKind(w, (int) input.size(1), s), t0);
            return dx;
        }
        if (net.oneDnn()) {
            OneDnnConvBackward direct = directConvs.get(name);
            if (direct == null || direct.batch() != b) { // a new batch size replaces the last one's
                direct = new OneDnnConvBackward(b, (int) input.size(1), (int) w.size(2), (int) w.size(3), k, s);
                directConvs.put(name, direct);
            }
            direct.run(input, w, dy, dx, dw, db);
            if (OpClock.running()) OpClock.lap("bp: " + UNetInference.convKind(w, (int) input.size(1), s), t0);
            return dx;
        }
        int chunk = input.size(1) >= 14 ? Math.min(b, CHUNK) : b;
        for (int from = 0; from < b; from += chunk) {
            int to = Math.min(b, from + chunk);
            boolean first = from == 0;
            INDArray dwPart = first ? dw : scratch(dw), dbPart = first ? db : scratch(db);
            // conv2d(_bp) integer arguments: kH, kW, sH, sW, pH, pW, dH, dW, SAME mode (0 = explicit
            // padding), data format (1 = NHWC), weight format (0 = [kH, kW, in, out])
            NativeOp op = convOps.computeIfAbsent(name, n -> new NativeOp("conv2d_bp", k, k, s, s, k / 2, k / 2, 1, 1, 0, 1, 0));
            op.run(new INDArray[] {rows(input, from, to, b), w, bias, rows(dy, from, to, b)}, rows(dx, from, to, b), dwPart, dbPart);
            if (!first) {
                dw.addi(dwPart);
                db.addi(dbPart);
            }
        }
        if (OpClock.running()) OpClock.lap("bp: " + UNetInference.convKind(w, (int) input.size(1), s), t0);
        return dx;
    }

    /**
     * A 1×1 convolution's gradients as three matrix products: in NHWC it is y [BHW, out] = x [BHW, in]
     * · W [in, out] + b, so dx = dy·Wᵀ, dW = xᵀ·dy and db = 1ᵀ·dy. oneDNN's {@code conv2d_bp} took
     * the reference U-Net's 96→32 one at 28×28, batch 64, 18–40 ms against ~3 ms forward, reordering
     * to its blocked layout around both backward primitives.
     */
    private void pointwiseBack(INDArray input, INDArray dy, INDArray w, INDArray dx, INDArray dw, INDArray db) {
        long rows = input.length() / input.size(3), in = w.size(2), out = w.size(3);
        INDArray x2 = Views.reshaped(input, rows, in), dy2 = Views.reshaped(dy, rows, out);
        Gemm.mmul(dy2, Views.reshaped(w, in, out), Views.reshaped(dx, rows, in), false, true, 1);
        Gemm.mmul(x2, dy2, Views.reshaped(dw, in, out), true, false, 1);
        Gemm.mmul(ones(rows), dy2, Views.reshaped(db, 1, out), false, false, 1);
    }

    /** A [1, n] row of ones, kept by length (the bias gradient's column sums as a product). */
    private INDArray ones(long n) {
        return scratch.computeIfAbsent(List.of(-1L, n), key -> Nd4j.ones(DataType.FLOAT, 1, n));
    }

    /** Samples from ≤ i &lt; to of a [B, …] array: a view of its buffer, or the array itself when that is all of it. */
    private static INDArray rows(INDArray a, int from, int to, int b) {
        return from == 0 && to == b ? a : Views.rows(a, from, to);
    }

    /** A weight-gradient-shaped scratch array for a chunk's share (see {@link #convBack}). */
    private INDArray scratch(INDArray like) {
        return scratch.computeIfAbsent(key(like.shape()), k -> Nd4j.create(DataType.FLOAT, like.shape()));
    }

    /** shift = emb·W + b for one block: dW = embᵀ·dshift, db = Σ dshift; dL/demb accumulates. */
    private void blockEmbeddingBack(String block, float[] dShift) {
        denseBack(block + ".emb", tape.emb, dShift, dEmb);
    }

    /** emb = silu(W2·silu(W1·f + b1) + b2 + table[label]): gradients of W1, b1, W2, b2, table. */
    private void embeddingBack() {
        int b = batch(), e = net.config().embedDim();
        float[] de = dEmb.clone();
        siluBack(tape.preEmb, de);
        if (net.config().numClasses() > 0) {
            float[] table = new float[(net.config().numClasses() + 1) * e];
            for (int i = 0; i < b; i++) {
                for (int j = 0; j < e; j++) table[tape.labels[i] * e + j] += de[i * e + j];
            }
            set("emb.class", table);
        }
        float[] hs = tape.hidden.clone();
        GroupNormSilu.silu(hs, hs.length);
        float[] dHidden = new float[tape.hidden.length];
        denseBack("emb.time2", hs, de, dHidden);
        siluBack(tape.hidden, dHidden);
        denseBack("emb.time1", tape.feats, dHidden, null);
    }

    /** y = x·W + b, x [rows, in], W [in, out]: sets dW = xᵀ·dy, db = Σ dy; adds dL/dx = dy·Wᵀ into dx (if not null). */
    private void denseBack(String name, float[] x, float[] dy, float[] dx) {
        INDArray w = net.weight(name + ".w");
        int in = (int) w.size(0), out = (int) w.size(1), rows = dy.length / out;
        Gemm.columnSums(dy, rows, out, grad(name + ".b"));
        float[] via = dx == null ? null : new float[rows * in];
        net.gemm().denseBackward(x, rows, in, dy, out, w, grad(name + ".w"), via);
        if (dx != null) for (int i = 0; i < via.length; i++) dx[i] += via[i];
    }

    /** d ← d·silu'(z), silu'(z) = σ(z)(1 + z(1 − σ(z))). */
    private static void siluBack(float[] z, float[] d) {
        for (int i = 0; i < d.length; i++) {
            float s = GroupNormSilu.sigmoid(z[i]);
            d[i] *= s * (1f + z[i] * (1f - s));
        }
    }

    private INDArray grad(String name) {
        return grads.computeIfAbsent(name, n -> Nd4j.create(DataType.FLOAT, net.weight(n).shape()));
    }

    private void set(String name, float[] values) {
        HeapArrays.write(values, grad(name), values.length);
    }

    /** A forward buffer by the name of the op that wrote it. */
    private INDArray buffer(String name) {
        return net.buffers().existing(name);
    }

    /** a += b in place, timed; returns a. */
    private static INDArray added(INDArray a, INDArray b) {
        long t0 = OpClock.start();
        a.addi(b);
        OpClock.lap("bp: add", t0);
        return a;
    }

    /** A gradient buffer of this shape, free until {@link #release}d (its contents are stale). */
    private INDArray acquire(long... shape) {
        java.util.Deque<INDArray> q = free.get(key(shape));
        INDArray a = q == null || q.isEmpty() ? Nd4j.create(DataType.FLOAT, shape) : q.pop();
        inUse.add(a);
        return a;
    }

    /** Gives back a buffer from {@link #acquire} once its value is used; any other array (dL/d(out), a view) is left alone. */
    private void release(INDArray a) {
        if (inUse.remove(a)) free.computeIfAbsent(key(a.shape()), k -> new java.util.ArrayDeque<>()).push(a);
    }

    /** {@code result}, after releasing {@code used}: the input gradient it was computed from. */
    private INDArray consumed(INDArray result, INDArray used) {
        release(used);
        return result;
    }

    private static List<Long> key(long[] shape) {
        return java.util.Arrays.stream(shape).boxed().toList();
    }

    private int batch() {
        return net.buffers().batch;
    }
}
