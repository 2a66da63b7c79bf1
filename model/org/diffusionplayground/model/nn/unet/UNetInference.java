package org.diffusionplayground.model.nn.unet;

import org.diffusionplayground.model.nn.HeapArrays;
import org.diffusionplayground.model.nn.NativeOp;
import org.diffusionplayground.model.nn.OneDnnConv;
import org.diffusionplayground.model.nn.Buffers;
import org.diffusionplayground.model.nn.Gemm;
import org.diffusionplayground.model.nn.GroupNormSilu;
import org.diffusionplayground.model.nn.Sinusoid;
import org.diffusionplayground.model.nn.Strip;
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
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.function.Consumer;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The forward pass of a {@link UNetGraph} for sampling and training, without SameDiff: the same
 * {@link UNetLayout}, the same weights and the same arithmetic, run as oneDNN convolutions into
 * arrays allocated once per batch size, with everything between the convolutions (GroupNorm, its
 * affine, the time/class shift, SiLU, upsampling, concatenation) in the fused Java kernel
 * {@link GroupNormSilu}.
 *
 * <p>Why: on ND4J 1.0.0-M2.1 the convolutions run close to PyTorch's speed but the U-Net's forward
 * pass through SameDiff was 3–4× slower (measured) — the time went to the norm and activation ops
 * (none on oneDNN), per-op overhead of SameDiff's inference session, and fresh output arrays
 * every call. Here every conv writes into a buffer that lives as long as the batch size, and the
 * work between two convs is one Java pass. Tests check this pass against {@code sd.output} to
 * float precision.
 *
 * <p>Activations are NHWC ([B, H, W, C]) while the graph's are NCHW: oneDNN computes convolutions
 * in NHWC, so given NCHW it reorders every conv's input and output (measured, one core, batch 16:
 * a 1×1 conv 96→32 at 28×28 took 0.69 ms in NHWC and 2–20 ms in NCHW, the spread from the
 * reorder; a 3×3 conv 32→32, 1.5 against 2.0 ms). The weights are the same arrays ([kH, kW, in,
 * out]), and the network's one-channel input and output are the same values in either layout.
 *
 * <p>Buffers are named by the op that writes them ("down1.conv2", "up2.cat", "out.norm"); a
 * block's output is kept by the block's name ({@link Tape#outputs}), whichever buffer holds it.
 * Weights are read from the graph's variables on every call, so training or {@code setWeights}
 * between calls is seen. Not thread-safe.
 */
final class UNetInference {

    private final UNetConfig config;
    private final UNetLayout layout;
    private final SameDiff sd;
    private final Map<String, INDArray> weights = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, NativeOp> convOps = new HashMap<>();
    /** Each conv's oneDNN primitive for the current batch size ({@link OneDnnConv}; ND4J's conv2d where it is not available). */
    private final Map<String, OneDnnConv> directConvs = new HashMap<>();
    private final Map<String, SmallAttention> smallAttention = new HashMap<>();
    private final Gemm gemm = new Gemm();
    private Buffers buffers;
    private Tape tape;
    private boolean parallel = Runtime.getRuntime().availableProcessors() > 1;
    private boolean oneDnn = OneDnnConv.available();

    UNetInference(UNetConfig config, SameDiff sd) {
        this.config = config;
        this.layout = UNetLayout.of(config);
        this.sd = sd;
    }

    /** Whether the convolutions run as {@link OneDnnConv} primitives (by default where available) or ND4J's conv2d. */
    void oneDnn(boolean on) {
        if (on && !OneDnnConv.available()) throw new IllegalStateException("oneDNN: " + OneDnnConv.unavailableReason());
        oneDnn = on;
    }

    /** Whether the Java kernels split the batch over two threads (on by default with ≥ 2 cores). */
    void parallel(boolean on) {
        parallel = on;
    }

    /**
     * out [B, 1, S, S] for x [B, 1, S, S] FLOAT (S = {@link UNetConfig#SIZE}), t [B] FLOAT,
     * labels [B] INT32 (already checked by {@link UNet}). The result is a fresh array.
     */
    INDArray output(INDArray x, INDArray t, INDArray labels) {
        return forward(x, t, labels, null).dup();
    }

    /** The pass's activations are NHWC [B, S, S, C] (see the class comment); with one channel the same values as NCHW. */
    private static INDArray asImage(INDArray nhwc) {
        return nhwc.reshape(nhwc.size(0), UNetLayout.IMAGE_CHANNELS, nhwc.size(1), nhwc.size(2));
    }

    /**
     * The forward pass, walking the layout's blocks, keeping in {@code tape} (if not null) what
     * {@link UNetBackward} needs. Returns this batch size's output buffer [B, 1, S, S], overwritten by
     * the next call.
     */
    INDArray forward(INDArray x, INDArray t, INDArray labels, Tape tape) {
        int b = (int) x.size(0), s = UNetConfig.SIZE;
        if (buffers == null || buffers.batch != b) buffers = new Buffers(b);
        this.tape = tape;
        long t0 = OpClock.start();
        float[] embv = embedding(HeapArrays.floats(t), HeapArrays.ints(labels));
        t0 = OpClock.lap("time/class embedding", t0);
        Map<String, float[]> shifts = shifts(embv, b);
        OpClock.lap("shifts", t0);
        INDArray h = x.castTo(DataType.FLOAT).reshape(b, s, s, UNetLayout.IMAGE_CHANNELS); // one channel: NCHW is NHWC
        Map<String, INDArray> outputs = tape == null ? new HashMap<>() : tape.outputs;
        if (tape != null) {
            tape.input = h;
            tape.labels = HeapArrays.ints(labels);
            tape.shifts = shifts;
        }
        for (Block block : layout.blocks()) {
            h = block(block, h, outputs, shifts);
            outputs.put(block.name(), h);
        }
        return asImage(h);
    }

    /** One block on input h; {@code outputs}: the earlier blocks' outputs by name (for skips). */
    private INDArray block(Block block, INDArray h, Map<String, INDArray> outputs, Map<String, float[]> shifts) {
        if (block instanceof Input b) return conv(b.name(), h, 1);
        if (block instanceof Residual b) return res(b, h, shifts.get(b.name()));
        if (block instanceof Downsample b) return conv(b.name(), h, Downsample.STRIDE);
        if (block instanceof Attention b) return attention(b.name(), h, b.channels(), b.size());
        if (block instanceof Upsample b) {
            return upsampleConcat(b.name(), h, b.channels(), outputs.get(b.skip()), b.skipChannels(), b.size());
        }
        if (block instanceof Output b) return conv(b.name(), norm(b.norm(), h, b.in(), b.size(), null, true), 1);
        throw new IllegalStateException("no forward pass for " + block);
    }

    /** silu(W2·silu(W1·sinusoid(1000 t) + b1) + b2 + table[label]) → [B, E] flattened, as in the graph. */
    private float[] embedding(float[] times, int[] labels) {
        int b = times.length, e = config.embedDim();
        float[] feats = Sinusoid.features(times, 2 * (config.timeFeatures() / 2)); // the graph's float32 phases
        float[] hidden = dense("emb.time1", feats, b), h = hidden.clone();
        GroupNormSilu.silu(h, h.length);
        h = dense("emb.time2", h, b);
        if (config.numClasses() > 0) {
            float[] table = floats("emb.class");
            for (int i = 0; i < b; i++) {
                for (int j = 0; j < e; j++) h[i * e + j] += table[labels[i] * e + j];
            }
        }
        float[] emb = h.clone();
        GroupNormSilu.silu(emb, emb.length);
        if (tape != null) {
            tape.feats = feats;
            tape.hidden = hidden;
            tape.preEmb = h;
            tape.emb = emb;
        }
        return emb;
    }

    /**
     * Every residual block's time/class shift, [B, out] flattened, by block name: one product of
     * emb with the blocks' weights side by side ([E, Σ out], copied afresh each call, so training is
     * seen), then each block's columns plus its bias. One product instead of one per block: each
     * BLAS call's staging and dispatch cost ~0.1 ms (the shifts took 1.6 ms of the "small" U-Net's
     * 17 ms at batch 16, measured).
     */
    private Map<String, float[]> shifts(float[] emb, int b) {
        int e = config.embedDim(), total = 0;
        for (Residual block : layout.residuals()) total += block.out();
        if (b <= Gemm.FEW_ROWS || Gemm.loops(b, e, total)) return blockShifts(emb, b);
        float[] side = buffers.heap("shifts.w", e * total), all = new float[b * total];
        int column = 0;
        for (Residual block : layout.residuals()) {
            java.nio.FloatBuffer w = weight(block.name() + ".emb.w").data().asNioFloat(); // [E, out], c order
            for (int i = 0; i < e; i++) w.get(i * block.out(), side, i * total + column, block.out());
            column += block.out();
        }
        gemm.times(emb, b, side, e, total, all);
        Map<String, float[]> out = new LinkedHashMap<>();
        column = 0;
        for (Residual block : layout.residuals()) {
            int n = block.out();
            float[] shift = new float[b * n];
            for (int r = 0; r < b; r++) System.arraycopy(all, r * total + column, shift, r * n, n);
            gemm.addBias(shift, b, weight(block.name() + ".emb.b"));
            out.put(block.name(), shift);
            column += n;
        }
        return out;
    }

    /**
     * {@link #shifts} for a few rows or a small product: block by block ({@link Gemm#times}: each a
     * Java loop reading the block's weights in place, or a product of its own), with no side-by-side
     * copy of all the weights (0.4 ms of the reference U-Net's 5 ms pass at batch 1, measured).
     */
    private Map<String, float[]> blockShifts(float[] emb, int b) {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (Residual block : layout.residuals()) out.put(block.name(), dense(block.name() + ".emb", emb, b));
        return out;
    }

    /** y = x·W + b for x [rows, in] flattened and this layer's W [in, out], b [out] (see {@link Gemm#times}). */
    private float[] dense(String name, float[] x, int rows) {
        INDArray w = weight(name + ".w");
        float[] y = new float[rows * (int) w.size(1)];
        gemm.times(x, rows, w, y);
        gemm.addBias(y, rows, weight(name + ".b"));
        return y;
    }

    /**
     * conv3×3(silu(GN(x))) + shift → silu(GN(·)) → conv3×3, plus x (or its 1×1 projection). The
     * sum is written in place into conv2's buffer: that buffer is the block's output.
     */
    private INDArray res(Residual block, INDArray x, float[] shift) {
        String name = block.name();
        INDArray h = conv(name + ".conv1", norm(name + ".norm1", x, block.in(), block.size(), null, true), 1);
        INDArray normed = norm(name + ".norm2", h, block.out(), block.size(), shift, true);
        if (oneDnn) { // the sum inside conv2's kernel, the skip's projection written straight into conv2's buffer
            INDArray y = buffers.get(name + ".conv2", buffers.batch, block.size(), block.size(), block.out());
            INDArray skip = block.in() == block.out() ? x : conv(name + ".skip", x, 1, y, null);
            return conv(name + ".conv2", normed, 1, y, skip);
        }
        h = conv(name + ".conv2", normed, 1);
        INDArray skip = block.in() == block.out() ? x : conv(name + ".skip", x, 1);
        long t0 = OpClock.start();
        addInPlace(h, skip);
        OpClock.lap("residual add", t0);
        return h;
    }

    /**
     * h += other, a cache-sized piece at a time through two heap arrays: one ND4J {@code addi} cost
     * 50–100 µs of dispatch at batch 1 (six per pass).
     */
    private void addInPlace(INDArray h, INDArray other) {
        int n = (int) h.length();
        float[] piece = buffers.heap("residual.piece", Math.min(n, ADD_CHUNK)),
                part = buffers.heap("residual.part", Math.min(n, ADD_CHUNK));
        Strip sum = Strip.of(h), addend = Strip.of(other);
        for (int from = 0; from < n; from += ADD_CHUNK) { // both staged at index 0 (C2 vectorises the add only then)
            int len = Math.min(ADD_CHUNK, n - from);
            sum.read(from, piece, len);
            addend.read(from, part, len);
            for (int j = 0; j < len; j++) piece[j] += part[j];
            sum.write(from, piece, len);
        }
    }

    /** Values of the residual's second operand read per piece in {@link #addInPlace} (16 KB). */
    private static final int ADD_CHUNK = 4096;

    /**
     * GroupNorm (+ shift before it, + SiLU after it) of x into this norm's buffer, read and written
     * a stretch at a time in place ({@link Strip}).
     */
    private INDArray norm(String name, INDArray x, int c, int size, float[] shift, boolean silu) {
        if (tape != null) tape.normInputs.put(name, x);
        int b = buffers.batch;
        double[] kept = tape == null ? null : new double[2 * b * config.groups()];
        if (kept != null) tape.moments.put(name, kept);
        float[] gamma = floats(name + ".scale"), beta = floats(name + ".shift");
        INDArray y = buffers.get(name, b, size, size, c);
        long t0 = OpClock.start();
        // a sample at a time (inside apply): its values stay in the core's cache between the two passes
        Consumer<int[]> part = range -> GroupNormSilu.apply(Strip.of(x), range[0], range[1],
                c, size * size, config.groups(), shift, gamma, beta, silu, Strip.of(y), kept);
        if (b < 2 || !parallel) {
            part.accept(new int[] {0, b});
        } else { // the second half of the batch on a pool thread: the samples share nothing
            ForkJoinTask<?> other = ForkJoinPool.commonPool().submit(() -> part.accept(new int[] {b / 2, b}));
            part.accept(new int[] {0, b / 2});
            other.join();
        }
        OpClock.lap(silu ? "GroupNorm+SiLU" : "GroupNorm", t0);
        return y;
    }

    /**
     * [up×2(h) (nearest), skip] along channels → this concat's buffer [B, 2s, 2s, ch+cs]: at each
     * pixel, the channels of the small map's pixel it lies in, then the skip's. A sample at a time
     * through heap arrays of one sample each, so its values stay in the core's cache.
     */
    private INDArray upsampleConcat(String name, INDArray h, int ch, INDArray skip, int cs, int s) {
        int b = buffers.batch, big = 2 * s, width = ch + cs, smallPer = s * s * ch, skipPer = big * big * cs,
                catPer = big * big * width;
        long t0 = OpClock.start();
        INDArray out = buffers.get(name, b, big, big, width);
        float[] small = buffers.heap("up.small", smallPer), skips = buffers.heap("up.skip", skipPer),
                cat = buffers.heap("up.cat", catPer);
        Strip smalls = Strip.of(h), skipped = Strip.of(skip), cats = Strip.of(out);
        for (int i = 0; i < b; i++) {
            smalls.read(i * smallPer, small, smallPer);
            skipped.read(i * skipPer, skips, skipPer);
            for (int y = 0; y < big; y++) {
                for (int xx = 0; xx < big; xx++) {
                    int pixel = y * big + xx, to = pixel * width;
                    System.arraycopy(small, ((y / 2) * s + xx / 2) * ch, cat, to, ch);
                    System.arraycopy(skips, pixel * cs, cat, to + ch, cs);
                }
            }
            cats.write(i * catPer, cat, catPer);
        }
        OpClock.lap("upsample+concat", t0);
        return out;
    }

    /**
     * Single-head self-attention over the size² positions, as {@link UNetGraph}'s; in NHWC each
     * sample's q, k, v are [n, c] matrices: A = softmax(q·kᵀ/√c) over keys, o = A·v.
     */
    private INDArray attention(String name, INDArray x, int c, int size) {
        int b = buffers.batch, n = size * size;
        INDArray h = norm(name + ".norm", x, c, size, null, false);
        INDArray q = Views.reshaped(conv(name + ".q", h, 1), b, n, c);
        INDArray k = Views.reshaped(conv(name + ".k", h, 1), b, n, c);
        INDArray v = Views.reshaped(conv(name + ".v", h, 1), b, n, c);
        long t0 = OpClock.start();
        INDArray scores, o;
        if (b <= Gemm.FEW_ROWS) {
            scores = buffers.get(name + ".weights", b, n, n);
            o = buffers.get(name + ".o", b, size, size, c);
            float[][] qkv = new float[3][];
            INDArray[] parts = {q, k, v};
            for (int i = 0; i < 3; i++) {
                qkv[i] = buffers.heap(name + ".qkv" + i, b * n * c);
                HeapArrays.read(parts[i], qkv[i], b * n * c);
            }
            float[] a = buffers.heap(name + ".a", b * n * n), out = buffers.heap(name + ".out", b * n * c);
            smallAttention.computeIfAbsent(name, key -> new SmallAttention(n, c)).apply(qkv[0], qkv[1], qkv[2], b, a, out);
            HeapArrays.write(a, scores, b * n * n);
            HeapArrays.write(out, o, b * n * c);
        } else {
            scores = buffers.get(name + ".weights", b, n, n); // [B, n (queries), n (keys)]
            o = buffers.get(name + ".o", b, size, size, c);
            Gemm.mmul(q, k, scores, false, true, 1.0 / Math.sqrt(c));
            Nd4j.exec(new SoftMax(scores, scores, 2));
            Gemm.mmul(scores, v, Views.reshaped(o, b, n, c), false, false, 1);
        }
        OpClock.lap("attention matmul+softmax", t0);
        if (tape != null) tape.attention.put(name, new Tape.Attention(h, q, k, v, scores, o));
        INDArray y = conv(name + ".proj", o, 1);
        addInPlace(y, x); // the proj buffer is the block's output
        return y;
    }

    /** Convolution with this name's weights into its buffer, padding k/2. */
    private INDArray conv(String name, INDArray x, int stride) {
        return conv(name, x, stride, null, null);
    }

    /**
     * {@link #conv(String, INDArray, int)} into {@code into} (null: its own buffer), plus
     * {@code residual} (null: nothing) added inside oneDNN's kernel ({@link OneDnnConv}'s sum; only
     * where the convolutions run as oneDNN primitives).
     */
    private INDArray conv(String name, INDArray x, int stride, INDArray into, INDArray residual) {
        INDArray w = weight(name + ".w");
        int k = (int) w.size(0), out = (int) w.size(3), size = ((int) x.size(1) + 2 * (k / 2) - k) / stride + 1;
        INDArray y = into != null ? into : buffers.get(name, buffers.batch, size, size, out);
        long t0 = OpClock.start();
        if (oneDnn) {
            OneDnnConv direct = directConvs.get(name);
            boolean adds = residual != null;
            if (direct == null || direct.batch() != buffers.batch || direct.adds() != adds) { // a new batch size replaces the last one's
                direct = new OneDnnConv(buffers.batch, (int) x.size(1), (int) w.size(2), out, k, stride, adds);
                directConvs.put(name, direct);
            }
            if (adds) direct.run(x, w, weight(name + ".b"), y, residual);
            else direct.run(x, w, weight(name + ".b"), y);
        } else {
            if (residual != null) throw new IllegalStateException("a residual inside the convolution needs oneDNN's primitives");
            // conv2d integer arguments: kH, kW, sH, sW, pH, pW, dH, dW, SAME mode (0 = explicit padding),
            // data format (1 = NHWC), weight format (0 = [kH, kW, in, out])
            convOps.computeIfAbsent(name, n -> new NativeOp("conv2d", k, k, stride, stride, k / 2, k / 2, 1, 1, 0, 1, 0))
                    .run(new INDArray[] {x, w, weight(name + ".b")}, y);
        }
        if (OpClock.running()) OpClock.lap(convKind(w, (int) x.size(1), stride), t0);
        return y;
    }

    /** A convolution's kind in {@link OpClock}'s tables: "conv 3×3 32→64 @28 /2". */
    static String convKind(INDArray w, int size, int stride) {
        return "conv %d×%d %d→%d @%d%s".formatted(w.size(0), w.size(1), w.size(2), w.size(3), size, stride > 1 ? " /" + stride : "");
    }

    /** A weight's values as a fresh Java array. */
    float[] floats(String name) {
        return HeapArrays.floats(weight(name));
    }

    /**
     * A weight's live array. Kept by name after the first look-up: SameDiff finds a variable in a
     * Patricia trie of its names, ~1 µs a look-up and over a hundred a pass (0.15 ms of the reference
     * U-Net's 5 ms at batch 1, sampled). The arrays stay the same objects: training and loading
     * write into them.
     */
    INDArray weight(String name) {
        return weights.computeIfAbsent(name, n -> sd.getVariable(n).getArr());
    }

    /** The matrix products of the dense layers (the embedding MLP, the shifts), shared with the backward pass. */
    Gemm gemm() {
        return gemm;
    }

    UNetConfig config() {
        return config;
    }

    UNetLayout layout() {
        return layout;
    }

    /** The current batch size's arrays (after a forward pass). */
    Buffers buffers() {
        return buffers;
    }

    boolean parallel() {
        return parallel;
    }

    /** Whether the convolutions run as oneDNN primitives ({@link #oneDnn(boolean)}), their gradients too. */
    boolean oneDnn() {
        return oneDnn;
    }
}
